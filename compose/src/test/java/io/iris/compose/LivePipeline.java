package io.iris.compose;

import io.iris.collector.CollectorMain;
import io.iris.compressor.CompressorMain;
import io.iris.feature.FeatureMain;
import io.iris.infra.LocalInfra;
import io.iris.infra.Readiness;
import io.iris.infra.TopicContents;
import io.iris.parser.ParserMain;
import io.iris.schemas.TopicSetup;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.simulator.SimulatorMain;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The whole pipeline on the test fixture's broker, registry and Redis: the AWR simulator as the
 * collector's source (plus a source nothing answers for, as a down database looks), and the four
 * services, each a JVM of its own started from the test classpath on a free HTTP port, exporting
 * Kafka client metrics every second.
 */
final class LivePipeline implements AutoCloseable {
  /** The source nothing answers for: the collector reports it down and counts its errors. */
  static final String UNREACHABLE_SOURCE = "offline";

  private final Path dir;
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, Process> processes = new LinkedHashMap<>();

  private LivePipeline(Path dir) {
    this.dir = dir;
  }

  /** Starts everything and waits until every service answers /health/live. */
  static LivePipeline start(LocalInfra infra, Path dir) throws Exception {
    LivePipeline pipeline = new LivePipeline(dir);
    try {
      pipeline.startAll(infra);
    } catch (Exception | Error e) {
      pipeline.close();
      throw e;
    }
    return pipeline;
  }

  private void startAll(LocalInfra infra) throws Exception {
    Map<String, Object> serde = Map.of(RegistryConfig.URL, infra.schemaRegistryUrl());
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
      TopicSetup.ensure(admin);
    }
    SchemaSetup.registerAll(new SchemaRegistryClient(RegistryConfig.from(serde)));

    int simulatorPort = Readiness.freePort();
    start(
        "simulator",
        SimulatorMain.class,
        Map.of(
            "IRIS_SIMULATOR_PORT", Integer.toString(simulatorPort),
            "IRIS_SIMULATOR_HISTORY", "12",
            // A new snapshot every few seconds, so data keeps flowing while Prometheus scrapes.
            "IRIS_SIMULATOR_EVERY_SECONDS", "4"));
    Instant deadline = Instant.now().plusSeconds(60);
    while (!Readiness.isListening("127.0.0.1", simulatorPort)) {
      check("simulator", deadline);
      Thread.sleep(100);
    }

    Map<String, String> common = new HashMap<>();
    common.put("IRIS_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
    common.put("IRIS_SCHEMA_REGISTRY_URL", infra.schemaRegistryUrl());
    common.put("IRIS_REDIS_URL", infra.redisUrl().toUriWithCredentials());
    common.put("IRIS_LOG_FORMAT", "text");
    common.put("IRIS_METRICS_REFRESH_SECONDS", "1");

    Map<String, String> collector = new HashMap<>(common);
    collector.put("IRIS_COLLECTOR_SOURCES", "sim," + UNREACHABLE_SOURCE);
    collector.put("IRIS_COLLECTOR_SOURCE_SIM_URL", SimulatorMain.url(simulatorPort));
    String offline = "IRIS_COLLECTOR_SOURCE_" + UNREACHABLE_SOURCE.toUpperCase() + "_";
    collector.put(offline + "URL", SimulatorMain.url(Readiness.freePort()));
    collector.put(offline + "USER", "sa");
    collector.put("IRIS_COLLECTOR_START", "earliest");
    collector.put("IRIS_COLLECTOR_POLL_SECONDS", "1");
    collector.put("IRIS_COLLECTOR_MAX_BACKOFF_SECONDS", "2");
    service("collector", CollectorMain.class, collector);

    service("parser", ParserMain.class, new HashMap<>(common));

    Map<String, String> compressor = new HashMap<>(common);
    compressor.put("IRIS_COMPRESSOR_SNAPSHOT_TIMEOUT_SECONDS", "5");
    service("compressor", CompressorMain.class, compressor);

    Map<String, String> feature = new HashMap<>(common);
    feature.put("IRIS_FEATURE_CONTEXT_WAIT_SECONDS", "5");
    feature.put("IRIS_FEATURE_OFFLINE_DIR", dir.resolve("offline").toString());
    feature.put("IRIS_FEATURE_OFFLINE_FILE_SECONDS", "1");
    service("feature", FeatureMain.class, feature);

    HttpClient http = HttpClient.newHttpClient();
    for (Map.Entry<String, Integer> service : ports.entrySet()) {
      deadline = Instant.now().plusSeconds(90);
      URI live = URI.create("http://127.0.0.1:" + service.getValue() + "/health/live");
      while (true) {
        check(service.getKey(), deadline);
        try {
          if (http.send(
                      HttpRequest.newBuilder(live).timeout(Duration.ofSeconds(2)).build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode()
              == 200) {
            break;
          }
        } catch (IOException e) {
          // Not listening yet.
        }
        Thread.sleep(200);
      }
    }
  }

  private void service(String name, Class<?> main, Map<String, String> env) throws IOException {
    int port = Readiness.freePort();
    env.put("IRIS_HTTP_PORT", Integer.toString(port));
    env.put("IRIS_STATE_DIR", dir.resolve("state").resolve(name).toString());
    start(name, main, env);
    ports.put(name, port);
  }

  private void start(String name, Class<?> main, Map<String, String> env) throws IOException {
    Files.createDirectories(dir);
    processes.put(name, TopicContents.startJvm(main, env, log(name)));
  }

  Path log(String name) {
    return dir.resolve(name + ".log");
  }

  /** Fails when {@code name} died or {@code deadline} passed, with the end of its log. */
  void check(String name, Instant deadline) throws IOException {
    Process process = processes.get(name);
    if (!process.isAlive() || Instant.now().isAfter(deadline)) {
      List<String> lines = Files.readAllLines(log(name));
      throw new AssertionError(
          name
              + (process.isAlive() ? " is too slow" : " died")
              + "; its log ends with:\n"
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }
  }

  /** Every service's HTTP port, by service name (collector, parser, compressor, feature). */
  Map<String, Integer> ports() {
    return ports;
  }

  /** The services that died, for messages. */
  List<String> dead() {
    List<String> dead = new ArrayList<>();
    processes.forEach(
        (name, process) -> {
          if (!process.isAlive()) {
            dead.add(name);
          }
        });
    return dead;
  }

  @Override
  public void close() throws InterruptedException {
    List<Process> all = new ArrayList<>(processes.values());
    for (Process process : all.reversed()) {
      process.destroy();
    }
    for (Process process : all) {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
