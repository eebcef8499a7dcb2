package io.iris.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Apicurio Registry 3.x, started from its Maven Central distribution, serving the Confluent Schema
 * Registry API under {@code /apis/ccompat/v7} on 127.0.0.1, with BACKWARD as the global
 * compatibility level.
 */
public final class SchemaRegistryServer {
  /** The Confluent-compatible API's path on an Apicurio server. */
  public static final String CCOMPAT_PATH = "/apis/ccompat/v7";

  static final String MAIN_CLASS = "io.quarkus.bootstrap.runner.QuarkusEntryPoint";

  /** Marks the registry's command line, so a pid file is only trusted for the registry. */
  static final String MARKER = "-Diris.component=registry";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final LocalProcess process;
  private final int port;

  private SchemaRegistryServer(LocalProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts the registry on {@code port}. With {@code storage} it keeps its schemas in an H2 file
   * there (so ids survive a restart of {@code ./iris up}); without, in memory.
   */
  public static SchemaRegistryServer start(
      Path home, Path logs, int port, Optional<Path> storage, ProcessMode mode) throws IOException {
    Files.createDirectories(home);
    Path runner = Distributions.apicurioRunner();
    List<String> jvmArgs = new ArrayList<>();
    jvmArgs.add(MARKER);
    jvmArgs.add("-Xms128m");
    jvmArgs.add("-Xmx512m");
    jvmArgs.add("-Dquarkus.http.host=127.0.0.1");
    jvmArgs.add("-Dquarkus.http.port=" + port);
    // Apicurio builds Quarkus's management interface (health, metrics) in; it would take port
    // 9000 on all interfaces, where a second registry (another test JVM) then fails to start.
    // Enabling it is fixed at build time, so it is moved to a free loopback port instead.
    jvmArgs.add("-Dquarkus.management.host=127.0.0.1");
    jvmArgs.add("-Dquarkus.management.port=" + Readiness.freePort());
    jvmArgs.add("-Dquarkus.http.access-log.enabled=false");
    jvmArgs.add("-Dapicurio.rest.deletion.artifact.enabled=true");
    storage.ifPresent(
        dir ->
            jvmArgs.add(
                "-Dapicurio.datasource.url=jdbc:h2:file:"
                    + dir.toAbsolutePath().resolve("registry")));
    LocalProcess process =
        LocalProcess.start(
            "registry",
            JavaCommand.of(mode, jvmArgs, runner.toString(), MAIN_CLASS, List.of()),
            mode,
            logs.resolve("registry.log"),
            mode == ProcessMode.DAEMON ? home.resolve("registry.pid") : null);
    SchemaRegistryServer server = new SchemaRegistryServer(process, port);
    try {
      awaitReady(server.url(), process, START_TIMEOUT);
      setGlobalCompatibility(server.url(), "BACKWARD");
    } catch (RuntimeException | IOException e) {
      process.stop(Duration.ofSeconds(5));
      throw e;
    }
    return server;
  }

  /** The registry a previous {@code ./iris up} started under {@code home}, if it still runs. */
  public static Optional<LocalProcess> running(Path home, Path logs) {
    return LocalProcess.fromPidFile(
        "registry", home.resolve("registry.pid"), logs.resolve("registry.log"), MARKER);
  }

  /** Waits until {@code GET <url>/subjects} answers 200. */
  public static void awaitReady(String url, LocalProcess process, Duration timeout) {
    Readiness.await(
        "schema registry at " + url,
        process,
        timeout,
        () -> {
          HttpResponse<String> response =
              HTTP.send(
                  HttpRequest.newBuilder(URI.create(url + "/subjects"))
                      .timeout(Duration.ofSeconds(3))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
          }
        });
  }

  /** Sets the registry-wide compatibility level through the Confluent API. */
  public static void setGlobalCompatibility(String url, String level) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/config"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException(
            "setting compatibility "
                + level
                + " on "
                + url
                + " failed: HTTP "
                + response.statusCode()
                + " "
                + response.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The Confluent-compatible base URL, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}. */
  public String url() {
    return "http://127.0.0.1:" + port + CCOMPAT_PATH;
  }

  public LocalProcess process() {
    return process;
  }

  public void stop() {
    process.stop(Duration.ofSeconds(15));
  }
}
