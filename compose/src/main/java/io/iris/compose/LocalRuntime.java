package io.iris.compose;

import io.iris.infra.Distributions;
import io.iris.infra.Executables;
import io.iris.infra.InfraException;
import io.iris.infra.KafkaBroker;
import io.iris.infra.LocalProcess;
import io.iris.infra.ProcessMode;
import io.iris.infra.Readiness;
import io.iris.infra.RedisServer;
import io.iris.infra.RedisUrl;
import io.iris.infra.SchemaRegistryServer;
import io.iris.platform.IrisConfig;
import io.iris.platform.KafkaSettings;
import io.iris.schemas.TopicSetup;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;

/**
 * The whole system on this machine, under {@code IRIS_HOME}: a broker, a registry, Redis, every
 * topic and schema, and whichever services are built. {@link #up()} is idempotent and never leaves
 * a half-started system; {@link #down()} stops what {@code up} started, by pid.
 */
final class LocalRuntime {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  /** How long the summary may spend reading the topics. */
  private static final Duration SUMMARY_BUDGET = Duration.ofSeconds(60);

  private final Path repo;
  private final Path home;
  private final Path logs;
  private final IrisConfig config;
  private final LocalEndpoints endpoints;
  private final PrintStream out;

  LocalRuntime(Path repo, IrisConfig config, PrintStream out) {
    this.repo = repo;
    this.home = repo.resolve(config.get(LauncherSettings.HOME)).toAbsolutePath().normalize();
    this.logs = home.resolve("logs");
    this.config = config;
    this.endpoints = LocalEndpoints.from(config);
    this.out = out;
  }

  Path home() {
    return home;
  }

  Path logs() {
    return logs;
  }

  LocalEndpoints endpoints() {
    return endpoints;
  }

  /** Starts what is not running yet; on any failure stops what this call started. */
  void up() throws IOException, InterruptedException {
    Files.createDirectories(logs);
    // What this call started, to stop again if a later step fails.
    Deque<LocalProcess> started = new ArrayDeque<>();
    try {
      CompletableFuture<String> kafka = async(() -> kafka(started));
      CompletableFuture<String> registry = async(() -> registry(started));
      CompletableFuture<String> redis = async(() -> redis(started));
      // Let all three finish before reporting, so a failure rolls back everything started.
      CompletableFuture.allOf(kafka, registry, redis).exceptionally(e -> null).join();
      report("kafka", kafka);
      report("registry", registry);
      report("redis", redis);
      topicsAndSchemas();
      services(started);
    } catch (RuntimeException | Error | IOException | InterruptedException e) {
      // Errors too: a broken build (a class missing from the launcher) must not leave a broker
      // running that the next ./iris up then finds in its way.
      while (!started.isEmpty()) {
        LocalProcess process = started.pop();
        out.println("  stopping " + process + " again");
        process.stop(Duration.ofSeconds(15));
      }
      throw e;
    }
    followPipeline();
    out.println();
    out.println(
        "IRIS is up. Logs: "
            + repo.relativize(logs)
            + "/   Status: ./iris status   Stop: ./iris down");
  }

  /**
   * Creates the topics and registers the schemas on the configured broker and registry and starts
   * nothing, not even when they are on loopback: for a broker and registry run by someone else
   * (docker compose, a shared cluster). Idempotent, as {@link #up()} is.
   */
  void setup() throws InterruptedException {
    out.printf("%-10s %s%n", "kafka", endpoints.bootstrapServers());
    out.printf("%-10s %s%n", "registry", endpoints.registryUrl());
    topicsAndSchemas();
  }

  private void report(String component, CompletableFuture<String> step)
      throws InterruptedException {
    try {
      out.printf("%-10s %s%n", component, step.get());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new InfraException(component + " failed: " + cause, cause);
    }
  }

  private String kafka(Deque<LocalProcess> started) throws IOException {
    if (endpoints.localKafkaPort().isEmpty()) {
      KafkaBroker.awaitReady(endpoints.bootstrapServers(), null, Duration.ofSeconds(30));
      return "external cluster at " + endpoints.bootstrapServers();
    }
    int port = endpoints.localKafkaPort().getAsInt();
    Path dir = home.resolve("kafka");
    Optional<LocalProcess> running = KafkaBroker.running(dir, logs);
    if (running.isPresent()) {
      KafkaBroker.awaitReady(endpoints.bootstrapServers(), running.get(), READY_TIMEOUT);
      return "already running at "
          + endpoints.bootstrapServers()
          + " (pid "
          + running.get().pid()
          + ")";
    }
    requireFree(port, "IRIS_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:<free port>");
    requireFree(endpoints.controllerPort(), "IRIS_LOCAL_CONTROLLER_PORT=<free port>");
    KafkaBroker broker =
        KafkaBroker.start(dir, logs, port, endpoints.controllerPort(), ProcessMode.DAEMON);
    push(started, broker.process());
    return "started Kafka "
        + Distributions.kafkaVersion()
        + " (KRaft) at "
        + broker.bootstrapServers()
        + " (pid "
        + broker.process().pid()
        + ")";
  }

  private String registry(Deque<LocalProcess> started) throws IOException {
    if (endpoints.localRegistryPort().isEmpty()) {
      SchemaRegistryServer.awaitReady(endpoints.registryUrl(), null, Duration.ofSeconds(30));
      return "external registry at " + endpoints.registryUrl();
    }
    int port = endpoints.localRegistryPort().getAsInt();
    Path dir = home.resolve("registry");
    Optional<LocalProcess> running = SchemaRegistryServer.running(dir, logs);
    if (running.isPresent()) {
      SchemaRegistryServer.awaitReady(endpoints.registryUrl(), running.get(), READY_TIMEOUT);
      return "already running at " + endpoints.registryUrl() + " (pid " + running.get().pid() + ")";
    }
    requireFree(port, "IRIS_SCHEMA_REGISTRY_URL=http://127.0.0.1:<free port>/apis/ccompat/v7");
    SchemaRegistryServer server =
        SchemaRegistryServer.start(
            dir, logs, port, Optional.of(dir.resolve("data")), ProcessMode.DAEMON);
    push(started, server.process());
    return "started Apicurio Registry "
        + Distributions.apicurioVersion()
        + " at "
        + server.url()
        + " (pid "
        + server.process().pid()
        + ", compatibility BACKWARD)";
  }

  /**
   * A Redis answering at IRIS_REDIS_URL is used as it is; on a loopback address where none answers,
   * IRIS starts one (the machine's redis-server, else the embedded binary).
   */
  private String redis(Deque<LocalProcess> started) throws IOException {
    RedisUrl url = endpoints.redisUrl();
    Path dir = home.resolve("redis");
    Optional<LocalProcess> running = RedisServer.running(dir, logs);
    String problem = RedisServer.ping(url);
    if (problem == null) {
      return running
          .map(p -> "already running at " + url + " (pid " + p.pid() + ")")
          .orElse("using the Redis answering at " + url);
    }
    if (!LocalEndpoints.isLoopback(url.host()) || Readiness.isListening(url.host(), url.port())) {
      throw new InfraException(
          "no usable Redis at "
              + url
              + " (IRIS_REDIS_URL): "
              + problem
              + ". Start it, or point IRIS_REDIS_URL at a free loopback port to let IRIS start one.");
    }
    if (url.user().filter(u -> !u.equals("default")).isPresent()) {
      throw new InfraException(
          "IRIS_REDIS_URL="
              + url
              + " names a Redis user but no Redis answers there; IRIS starts local Redis"
              + " servers with a password for the default user only. Start yours, or drop the"
              + " user.");
    }
    // With a password in the URL, the Redis IRIS starts wants that password.
    RedisServer server =
        RedisServer.start(dir, logs, url.port(), ProcessMode.DAEMON, false, url.password());
    server.process().ifPresent(p -> push(started, p));
    return "started redis-server at "
        + server.url()
        + server.process().map(p -> " (pid " + p.pid() + ")").orElse("");
  }

  private static synchronized void push(Deque<LocalProcess> started, LocalProcess process) {
    started.push(process);
  }

  private void topicsAndSchemas() throws InterruptedException {
    KafkaSettings kafka = new KafkaSettings(config, "launcher");
    try (Admin admin = Admin.create(kafka.admin())) {
      TopicSetup.Result topics = TopicSetup.ensure(admin, LauncherSettings.partitions(config));
      out.printf(
          "%-10s %d created, %d already there%n",
          "topics", topics.created().size(), topics.existing().size());
      topics.problems().forEach(p -> out.println("           warning: " + p));
    } catch (ExecutionException e) {
      throw new InfraException("creating topics failed: " + e.getCause().getMessage(), e);
    }
    Map<String, Integer> ids =
        SchemaSetup.registerAll(new SchemaRegistryClient(RegistryConfig.from(kafka.serde())));
    out.printf("%-10s %d subjects registered (ids %s)%n", "schemas", ids.size(), ids.values());
  }

  private void services(Deque<LocalProcess> started) throws IOException {
    List<ServiceCatalog.Service> built = services().stream().filter(s -> s.isBuilt(repo)).toList();
    if (built.isEmpty()) {
      out.printf("%-10s none built yet%n", "services");
      return;
    }
    for (ServiceCatalog.Service service : built) {
      Optional<LocalProcess> running = runningService(service);
      if (running.isPresent()) {
        out.printf("%-10s already running (pid %d)%n", service.name(), running.get().pid());
        continue;
      }
      requireFree(service.port(), "stop what uses it");
      LocalProcess process =
          LocalProcess.start(
              service.name(),
              List.of(
                  Executables.currentJava().toString(),
                  "-Xmx512m",
                  "-jar",
                  service.jar(repo).toString()),
              service.env(),
              ProcessMode.DAEMON,
              logs.resolve(service.name() + ".log"),
              home.resolve("services").resolve(service.name() + ".pid"));
      push(started, process);
      awaitServiceReady(service, process);
      out.printf("%-10s started at %s (pid %d)%n", service.name(), address(service), process.pid());
    }
  }

  List<ServiceCatalog.Service> services() {
    return ServiceCatalog.all(config, home);
  }

  /**
   * With services running: follows what they do with the sample until the pipeline is idle (at most
   * {@link CatchUp#BOUND}), then prints the summary. Nothing here stops what was started.
   */
  private void followPipeline() throws InterruptedException {
    List<ServiceCatalog.Service> running =
        services().stream()
            .filter(ServiceCatalog.Service::http)
            .filter(s -> runningService(s).isPresent())
            .toList();
    if (running.isEmpty()) {
      return;
    }
    KafkaSettings kafka = new KafkaSettings(config, "launcher");
    Optional<String> collector =
        running.stream()
            .filter(s -> s.name().equals("collector"))
            .map(ServiceCatalog.Service::url)
            .findFirst();
    Set<String> groups = new HashSet<>();
    running.forEach(s -> groups.addAll(s.groups()));
    out.println();
    CatchUp.run(
        new CatchUp(Instant.now(), CatchUp.BOUND, collector.isPresent()),
        new PipelineProbe(collector, groups, kafka),
        out);
    Path offline = repo.resolve(ServiceCatalog.offlineDir(config, home)).normalize();
    PipelineSummary summary =
        PipelineTally.read(
            new PipelineTally.Outputs(
                kafka,
                running.stream()
                    .filter(s -> s.name().equals("feature"))
                    .map(ServiceCatalog.Service::url)
                    .findFirst(),
                offline,
                offline.startsWith(repo) ? repo.relativize(offline).toString() : offline.toString(),
                endpoints.redisUrl().toString(),
                running.stream()
                    .map(s -> new PipelineSummary.Endpoint(s.name(), s.url()))
                    .toList()),
            SUMMARY_BUDGET);
    summary.lines().forEach(out::println);
  }

  static String address(ServiceCatalog.Service service) {
    return service.http()
        ? service.url()
        : "jdbc:h2:tcp://127.0.0.1:" + service.port() + "/mem:awr";
  }

  Optional<LocalProcess> runningService(ServiceCatalog.Service service) {
    return LocalProcess.fromPidFile(
        service.name(),
        home.resolve("services").resolve(service.name() + ".pid"),
        logs.resolve(service.name() + ".log"),
        service.jar(repo).getFileName().toString());
  }

  private static void awaitServiceReady(ServiceCatalog.Service service, LocalProcess process) {
    HttpClient http = HttpClient.newHttpClient();
    URI ready = URI.create("http://127.0.0.1:" + service.port() + "/health/ready");
    Readiness.await(
        service.name(),
        process,
        READY_TIMEOUT,
        () -> {
          if (!service.http()) {
            if (!Readiness.isListening("127.0.0.1", service.port())) {
              throw new IOException("not listening yet");
            }
            return;
          }
          HttpResponse<String> response =
              http.send(
                  HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() != 200) {
            throw new IOException(response.body());
          }
        });
  }

  private static void requireFree(int port, String fix) {
    if (Readiness.isListening("127.0.0.1", port)) {
      throw new InfraException(
          "port "
              + port
              + " on 127.0.0.1 is in use by a process IRIS did not start."
              + " Stop it, or choose another port: "
              + fix);
    }
  }

  /** Stops everything {@code up} started, services first. */
  void down() {
    boolean any = false;
    for (ServiceCatalog.Service service : services().reversed()) {
      any |= stop(runningService(service));
    }
    any |= stop(RedisServer.running(home.resolve("redis"), logs));
    any |= stop(SchemaRegistryServer.running(home.resolve("registry"), logs));
    any |= stop(KafkaBroker.running(home.resolve("kafka"), logs));
    out.println(any ? "IRIS is down." : "Nothing was running.");
  }

  private boolean stop(Optional<LocalProcess> process) {
    process.ifPresent(
        p -> {
          p.stop(Duration.ofSeconds(30));
          out.println("stopped " + p);
        });
    return process.isPresent();
  }

  @FunctionalInterface
  private interface Step {
    String run() throws IOException;
  }

  private static CompletableFuture<String> async(Step step) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return step.run();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
