package io.iris.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iris.infra.DebianTools;
import io.iris.infra.Executables;
import io.iris.infra.OrphanGuard;
import io.iris.infra.Readiness;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Prometheus server (Debian's 2.42, from {@link DebianTools}) as a child of the test JVM,
 * on a free loopback port with its storage in a temporary directory, for tests to query with the
 * HTTP API. It dies with the test JVM even when that is killed ({@link OrphanGuard}).
 */
final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final URI base;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusServer(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /** Starts Prometheus with {@code config} (prometheus.yml text) under {@code dir}. */
  static PrometheusServer start(Path dir, String config) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
    Path log = dir.resolve("prometheus.log");
    int port = Readiness.freePort();
    List<String> command = new ArrayList<>();
    command.add(Executables.currentJava().toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(OrphanGuard.class.getName());
    command.add(Long.toString(ProcessHandle.current().pid()));
    command.add("--exec");
    command.addAll(DebianTools.prometheus().command());
    command.add("--config.file=" + configFile);
    command.add("--storage.tsdb.path=" + dir.resolve("data"));
    command.add("--web.listen-address=127.0.0.1:" + port);
    command.add("--log.level=warn");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusServer server =
        new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
    server.awaitReady();
    return server;
  }

  private void awaitReady() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("Prometheus exited at start-up: " + Files.readString(log));
      }
      try {
        HttpResponse<String> ready =
            http.send(
                HttpRequest.newBuilder(base.resolve("/-/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IOException("Prometheus not ready in 60 s: " + Files.readString(log));
      }
      Thread.sleep(200);
    }
  }

  /** What {@code GET /api/v1/query} answered: status and the JSON body. */
  record Answer(int status, JsonNode body) {
    boolean ok() {
      return status == 200 && "success".equals(body.path("status").asText());
    }

    /** The error Prometheus gave, for messages. */
    String error() {
      return body.path("errorType").asText() + ": " + body.path("error").asText();
    }

    /** The result's series (vector, matrix) or the single value (scalar, string). */
    JsonNode result() {
      return body.path("data").path("result");
    }

    /** Whether the result holds at least one series or a scalar. */
    boolean hasData() {
      JsonNode result = result();
      String type = body.path("data").path("resultType").asText();
      return type.equals("scalar") || type.equals("string")
          ? !result.isMissingNode()
          : !result.isEmpty();
    }
  }

  /** Evaluates {@code expr} now, as an instant query. */
  Answer query(String expr) throws IOException, InterruptedException {
    return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
  }

  /** {@code GET path} of the HTTP API, as JSON. */
  Answer get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), JSON.readTree(response.body()));
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    // The guard's shutdown hook stops Prometheus with SIGTERM; wait for Prometheus itself too, so
    // its storage directory can be deleted.
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        child.destroyForcibly();
      }
    }
  }
}
