package io.iris.compose;

import io.iris.collector.CollectorMain;
import io.iris.compressor.CompressorMain;
import io.iris.feature.FeatureMain;
import io.iris.infra.LocalInfra;
import io.iris.infra.Readiness;
import io.iris.infra.TopicContents;
import io.iris.parser.ParserMain;
import io.iris.platform.IrisConfig;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * The four services, each a JVM of its own started from the test classpath on a free HTTP port,
 * against a given broker, registry and Redis, exporting Kafka client metrics every second. Tests
 * can kill a service with SIGKILL and start it again with the same settings, as a supervisor would.
 */
final class LivePipeline implements AutoCloseable {
  /** The source nothing answers for: the collector reports it down and counts its errors. */
  static final String UNREACHABLE_SOURCE = "offline";

  /** The services in start order (upstream first). */
  static final List<String> SERVICES = List.of("collector", "parser", "compressor", "feature");

  /** Where the services find Kafka, the registry and Redis, and in what environment. */
  record Endpoints(
      String bootstrapServers, String registryUrl, String redisUrl, Map<String, String> env) {
    static Endpoints of(LocalInfra infra) {
      return new Endpoints(
          infra.bootstrapServers(),
          infra.schemaRegistryUrl(),
          infra.redisUrl().toUriWithCredentials(),
          Map.of());
    }

    /**
     * The settings of a Kafka client that connects as the services do: the bootstrap servers and
     * the {@code IRIS_KAFKA_*} settings of {@link #env} (security, for one).
     */
    Map<String, Object> kafkaClient() {
      Map<String, String> all = new HashMap<>(env);
      all.put("IRIS_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
      return new HashMap<>(new IrisConfig(all).kafkaProperties());
    }
  }

  private final Path dir;
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, Class<?>> mains = new HashMap<>();
  private final Map<String, Map<String, String>> environments = new HashMap<>();

  /** Whether a service that dies is started again, as {@code restart: unless-stopped} does. */
  private boolean supervised;

  /** What the supervisor restarted, with the log tail of the process that died. */
  private final List<String> crashes = new ArrayList<>();

  private LivePipeline(Path dir) {
    this.dir = dir;
  }

  /**
   * The demo's pipeline on the fixture's infrastructure: topics and schemas set up, the AWR
   * simulator as a process of its own that takes a snapshot every few seconds, plus a source that
   * does not answer, as a down database looks; waits until every service answers /health/live.
   */
  static LivePipeline start(LocalInfra infra, Path dir) throws Exception {
    Endpoints endpoints = Endpoints.of(infra);
    setUp(endpoints);
    LivePipeline pipeline = new LivePipeline(dir);
    try {
      int simulatorPort = Readiness.freePort();
      pipeline.start(
          "simulator",
          SimulatorMain.class,
          Map.of(
              "IRIS_SIMULATOR_PORT", Integer.toString(simulatorPort),
              "IRIS_SIMULATOR_HISTORY", "12",
              // A new snapshot every few seconds, so data keeps flowing while Prometheus scrapes.
              "IRIS_SIMULATOR_EVERY_SECONDS", "4"));
      Instant deadline = Instant.now().plusSeconds(60);
      while (!Readiness.isListening("127.0.0.1", simulatorPort)) {
        pipeline.check("simulator", deadline);
        Thread.sleep(100);
      }
      Map<String, String> sources = new LinkedHashMap<>();
      sources.put("sim", SimulatorMain.url(simulatorPort));
      sources.put(UNREACHABLE_SOURCE, SimulatorMain.url(Readiness.freePort()));
      pipeline.startServices(endpoints, sources);
      pipeline.awaitLive(SERVICES);
    } catch (Exception | Error e) {
      pipeline.close();
      throw e;
    }
    return pipeline;
  }

  /**
   * The four services reading the AWR at each of {@code sources} (name to JDBC URL, user {@code
   * sa}); starts them without waiting for them.
   */
  static LivePipeline startServices(Endpoints endpoints, Map<String, String> sources, Path dir)
      throws IOException {
    LivePipeline pipeline = new LivePipeline(dir);
    pipeline.startServices(endpoints, sources);
    return pipeline;
  }

  /** Creates the topics and registers the schemas, as {@code ./iris setup} does. */
  static void setUp(Endpoints endpoints) throws Exception {
    try (Admin admin = Admin.create(endpoints.kafkaClient())) {
      TopicSetup.ensure(admin);
    }
    Map<String, Object> serde = Map.of(RegistryConfig.URL, endpoints.registryUrl());
    SchemaSetup.registerAll(new SchemaRegistryClient(RegistryConfig.from(serde)));
  }

  private void startServices(Endpoints endpoints, Map<String, String> sources) throws IOException {
    Map<String, String> common = new HashMap<>(endpoints.env());
    common.put("IRIS_KAFKA_BOOTSTRAP_SERVERS", endpoints.bootstrapServers());
    common.put("IRIS_SCHEMA_REGISTRY_URL", endpoints.registryUrl());
    common.put("IRIS_REDIS_URL", endpoints.redisUrl());
    common.put("IRIS_LOG_FORMAT", "text");
    common.put("IRIS_METRICS_REFRESH_SECONDS", "1");

    Map<String, String> collector = new HashMap<>(common);
    collector.put("IRIS_COLLECTOR_SOURCES", String.join(",", sources.keySet()));
    sources.forEach(
        (name, url) -> {
          String prefix = "IRIS_COLLECTOR_SOURCE_" + name.toUpperCase(java.util.Locale.ROOT) + "_";
          collector.put(prefix + "URL", url);
          collector.put(prefix + "USER", "sa");
        });
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
    feature.put("IRIS_FEATURE_OFFLINE_DIR", offlineDir().toString());
    feature.put("IRIS_FEATURE_OFFLINE_FILE_SECONDS", "1");
    service("feature", FeatureMain.class, feature);
  }

  /** The feature service's offline store root. */
  Path offlineDir() {
    return dir.resolve("offline");
  }

  /** Waits until each of {@code services} answers /health/live; fails if one dies first. */
  void awaitLive(List<String> services) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    for (String service : services) {
      Instant deadline = Instant.now().plusSeconds(90);
      URI live = URI.create("http://127.0.0.1:" + ports.get(service) + "/health/live");
      while (true) {
        check(service, deadline);
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

  /**
   * From now on a service found dead is started again and the crash recorded ({@link #crashes()}),
   * as the compose file's restart policy does, instead of failing the test.
   */
  void supervise() {
    supervised = true;
  }

  /** The crashes the supervisor restarted a service after. */
  List<String> crashes() {
    return crashes;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
  void kill(String service) throws InterruptedException {
    Process process = processes.get(service);
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * Starts a second instance of {@code service}, called {@code name} (its log), with the settings
   * of the first but {@code overrides}, on an HTTP port and a state directory of its own.
   */
  Process startAnother(String service, String name, Map<String, String> overrides)
      throws IOException {
    Map<String, String> env = new HashMap<>(environments.get(service));
    env.put("IRIS_HTTP_PORT", Integer.toString(Readiness.freePort()));
    env.put("IRIS_STATE_DIR", dir.resolve("state").resolve(name).toString());
    env.putAll(overrides);
    start(name, mains.get(service), env);
    return processes.get(name);
  }

  /** Starts {@code service} again with the settings and HTTP port it had. */
  void restart(String service) throws IOException {
    if (processes.get(service).isAlive()) {
      throw new IllegalStateException(service + " still runs");
    }
    start(service, mains.get(service), environments.get(service));
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
    mains.put(name, main);
    environments.put(name, env);
    processes.put(name, TopicContents.startJvm(main, env, log(name)));
  }

  Path log(String name) {
    return dir.resolve(name + ".log");
  }

  /** Fails when {@code name} died or {@code deadline} passed, with the end of its log. */
  void check(String name, Instant deadline) throws IOException {
    Process process = processes.get(name);
    if (supervised && !process.isAlive() && mains.containsKey(name)) {
      crashes.add(name + " exited with " + process.exitValue() + "; " + logTail(name));
      restart(name);
      return;
    }
    if (!process.isAlive() || Instant.now().isAfter(deadline)) {
      throw new AssertionError(
          name + (process.isAlive() ? " is too slow" : " died") + "; " + logTail(name));
    }
  }

  /** The end of {@code name}'s log, for messages. */
  String logTail(String name) throws IOException {
    List<String> lines = Files.readAllLines(log(name));
    return "its log ends with:\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** Every service's HTTP port, by service name (collector, parser, compressor, feature). */
  Map<String, Integer> ports() {
    return ports;
  }

  /** Every service's process id, by service name. */
  Map<String, Long> pids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    processes.forEach((name, process) -> pids.put(name, process.pid()));
    return pids;
  }

  /** Whether no consumer group has a record waiting (transaction markers do not count). */
  static boolean idle(Endpoints endpoints) throws Exception {
    return waiting(endpoints).isEmpty();
  }

  /** The partitions a group has records to read on (transaction markers do not count). */
  private static List<ConsumerLag.Row> waiting(Endpoints endpoints) throws Exception {
    Map<String, Object> admin = endpoints.kafkaClient();
    return ConsumerLag.of(admin, admin, Optional.empty(), Instant.now()).stream()
        .filter(row -> row.recordsWaiting() > 0)
        .toList();
  }

  /**
   * What a stalled pipeline looks like, for a failure's message: the partitions a group has yet to
   * read, the dead letters, and each service's last warnings and errors.
   */
  String diagnosis(Endpoints endpoints) {
    StringBuilder text = new StringBuilder("records waiting:");
    try {
      waiting(endpoints).forEach(row -> text.append("\n  ").append(row));
      text.append("\ndead letters: ").append(PipelineOutputs.deadLetters(endpoints));
    } catch (Exception e) {
      text.append(" unknown: ").append(e);
    }
    for (String name : processes.keySet()) {
      text.append("\n").append(name).append(" last warnings and errors:");
      try {
        List<String> problems =
            Files.readAllLines(log(name)).stream()
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                .map(line -> line.length() > 400 ? line.substring(0, 400) + "…" : line)
                .toList();
        problems
            .subList(Math.max(0, problems.size() - 12), problems.size())
            .forEach(line -> text.append("\n  ").append(line));
      } catch (IOException e) {
        text.append(" unreadable: ").append(e);
      }
    }
    return text.toString();
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
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
