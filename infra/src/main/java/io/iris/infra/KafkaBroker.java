package io.iris.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one JVM), bound to
 * 127.0.0.1, storing its log under {@code home/data}.
 */
public final class KafkaBroker {
  static final String MAIN_CLASS = "kafka.Kafka";

  /**
   * Marks the broker's command line, so a pid file is only trusted for a Kafka process. It comes
   * first: the JDK may see only the start of a command line this long (its classpath).
   */
  static final String MARKER = "-Diris.component=kafka";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final List<String> JVM_ARGS =
      List.of(
          MARKER,
          "-Xms256m",
          "-Xmx1g",
          "-XX:+UseG1GC",
          "-Djava.awt.headless=true",
          "-Dorg.slf4j.simpleLogger.showDateTime=true",
          "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn",
          "-Dorg.slf4j.simpleLogger.log.kafka=info");

  private final LocalProcess process;
  private final int port;
  private final Optional<KafkaSecurity> security;

  private KafkaBroker(LocalProcess process, int port, Optional<KafkaSecurity> security) {
    this.process = process;
    this.port = port;
    this.security = security;
  }

  /**
   * Formats {@code home/data} on first use, starts the broker (logging to {@code logs/kafka.log})
   * and waits until it serves metadata.
   */
  public static KafkaBroker start(
      Path home, Path logs, int port, int controllerPort, ProcessMode mode) throws IOException {
    return start(home, logs, port, controllerPort, mode, Optional.empty());
  }

  /**
   * A broker whose client listener on {@code port} authenticates with {@code security} when given
   * (the controller listener stays plain text on loopback); its {@code server.properties} then
   * holds passwords and is readable by its owner only.
   */
  public static KafkaBroker start(
      Path home,
      Path logs,
      int port,
      int controllerPort,
      ProcessMode mode,
      Optional<KafkaSecurity> security)
      throws IOException {
    Path data = home.resolve("data");
    Path config = home.resolve("server.properties");
    Files.createDirectories(data);
    Files.createDirectories(logs);
    PrivateFiles.write(config, serverProperties(data, port, controllerPort, security));
    String classpath = Distributions.kafkaBrokerClasspath();
    Path log = logs.resolve("kafka.log");
    if (!Files.exists(data.resolve("meta.properties"))) {
      format(classpath, config, log);
    }
    LocalProcess process =
        LocalProcess.start(
            "kafka",
            JavaCommand.of(mode, JVM_ARGS, classpath, MAIN_CLASS, List.of(config.toString())),
            mode,
            log,
            mode == ProcessMode.DAEMON ? home.resolve("kafka.pid") : null);
    KafkaBroker broker = new KafkaBroker(process, port, security);
    try {
      broker.awaitReady();
    } catch (RuntimeException e) {
      process.stop(Duration.ofSeconds(5));
      throw e;
    }
    return broker;
  }

  /** The broker a previous {@code ./iris up} started under {@code home}, if it still runs. */
  public static Optional<LocalProcess> running(Path home, Path logs) {
    return LocalProcess.fromPidFile(
        "kafka", home.resolve("kafka.pid"), logs.resolve("kafka.log"), MARKER);
  }

  /** Waits until a client gets cluster metadata from {@code bootstrapServers}. */
  public static void awaitReady(String bootstrapServers, LocalProcess process, Duration timeout) {
    awaitReady(bootstrapServers, Map.of(), process, timeout);
  }

  /**
   * Waits until a client with the settings {@code client} (security, for one) gets cluster metadata
   * from {@code bootstrapServers}.
   */
  public static void awaitReady(
      String bootstrapServers, Map<String, Object> client, LocalProcess process, Duration timeout) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    String[] hostPort = bootstrapServers.split(",")[0].split(":");
    Readiness.await(
        "Kafka broker at " + bootstrapServers,
        process,
        timeout,
        () -> {
          // The socket first: an admin client polling a closed port logs a warning per attempt.
          if (!Readiness.isListening(hostPort[0], Integer.parseInt(hostPort[1]))) {
            throw new IOException("port not open yet");
          }
          try (Admin admin = Admin.create(config)) {
            if (admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
              throw new IOException("no broker registered yet");
            }
          }
        });
  }

  private void awaitReady() {
    awaitReady(
        bootstrapServers(),
        security.map(s -> s.client(KafkaSecurity.BROKER_USER)).orElse(Map.of()),
        process,
        START_TIMEOUT);
  }

  private static void format(String classpath, Path config, Path log) throws IOException {
    List<String> command =
        JavaCommand.of(
            ProcessMode.CHILD,
            List.of("-Xmx256m"),
            classpath,
            "kafka.tools.StorageTool",
            List.of(
                "format",
                "--cluster-id",
                Uuid.randomUuid().toString(),
                "--config",
                config.toString(),
                "--ignore-formatted"));
    Process formatter =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      if (!formatter.waitFor(60, TimeUnit.SECONDS) || formatter.exitValue() != 0) {
        formatter.destroyForcibly();
        throw new InfraException(
            "formatting the Kafka log directory failed; the last lines of "
                + log
                + ":\n"
                + LocalProcess.tail(log, 20));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfraException("interrupted while formatting the Kafka log directory", e);
    }
  }

  static String serverProperties(
      Path data, int port, int controllerPort, Optional<KafkaSecurity> security) {
    // The client listener is named after its protocol: PLAINTEXT, SASL_PLAINTEXT or SASL_SSL.
    String listener = security.map(KafkaSecurity::protocol).orElse("PLAINTEXT");
    List<String> lines =
        new ArrayList<>(
            List.of(
                "# Written by IRIS: a single KRaft node on loopback.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners="
                    + listener
                    + "://127.0.0.1:"
                    + port
                    + ",CONTROLLER://127.0.0.1:"
                    + controllerPort,
                "advertised.listeners=" + listener + "://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=" + listener,
                "listener.security.protocol.map="
                    + listener
                    + ":"
                    + listener
                    + ",CONTROLLER:PLAINTEXT"));
    security.ifPresent(s -> lines.addAll(s.serverProperties()));
    lines.addAll(
        List.of(
            "log.dirs=" + data.toAbsolutePath(),
            // Topics come from the typed registry (schemas Topics); a typo must not create one.
            "auto.create.topics.enable=false",
            "num.partitions=1",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=10",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "transaction.state.log.num.partitions=10",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            ""));
    return String.join("\n", lines);
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** How the broker authenticates its clients; empty for plain text without login. */
  public Optional<KafkaSecurity> security() {
    return security;
  }

  public LocalProcess process() {
    return process;
  }

  public void stop() {
    process.stop(Duration.ofSeconds(20));
  }
}
