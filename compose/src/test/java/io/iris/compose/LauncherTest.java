package io.iris.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.Readiness;
import io.iris.infra.RedisServer;
import io.iris.infra.RedisUrl;
import io.iris.platform.IrisConfig;
import io.iris.schemas.Topic;
import io.iris.schemas.Topics;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./iris up}, {@code status} and {@code down}, as a user runs them, on free ports and in a
 * private IRIS_HOME: real processes, real topics, real subjects.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherTest {
  @TempDir static Path repo;
  private static IrisConfig config;
  private static int kafkaPort;
  private static int registryPort;
  private static int redisPort;

  @BeforeAll
  static void ports() {
    kafkaPort = Readiness.freePort();
    registryPort = Readiness.freePort();
    redisPort = Readiness.freePort();
    config =
        new IrisConfig(
            Map.of(
                "IRIS_HOME",
                ".iris",
                "IRIS_KAFKA_BOOTSTRAP_SERVERS",
                "127.0.0.1:" + kafkaPort,
                "IRIS_LOCAL_CONTROLLER_PORT",
                Integer.toString(Readiness.freePort()),
                "IRIS_SCHEMA_REGISTRY_URL",
                "http://127.0.0.1:" + registryPort + "/apis/ccompat/v7",
                "IRIS_REDIS_URL",
                "redis://127.0.0.1:" + redisPort,
                "IRIS_TOPIC_SQL_TEMPLATES_PARTITIONS",
                "9"));
  }

  @AfterAll
  static void down() {
    run(config, "down");
  }

  private record Result(int code, String out, String err) {}

  private static Result run(IrisConfig config, String command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Launcher.run(
            new String[] {command},
            repo,
            config,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  @Order(1)
  void upStartsEverythingCreatesEveryTopicAndRegistersEverySchema() throws Exception {
    Result up = run(config, "up");
    assertEquals(0, up.code(), up.err() + up.out());
    assertTrue(
        up.out().contains("started Kafka 4.3.1 (KRaft) at 127.0.0.1:" + kafkaPort), up.out());
    assertTrue(up.out().contains("started Apicurio Registry"), up.out());
    assertTrue(
        up.out().contains("started redis-server at redis://127.0.0.1:" + redisPort), up.out());
    assertTrue(up.out().contains("topics     11 created"), up.out());

    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", "127.0.0.1:" + kafkaPort))) {
      Map<String, TopicDescription> topics =
          admin
              .describeTopics(Topics.all().stream().map(Topic::name).toList())
              .allTopicNames()
              .get();
      for (Topic<?> topic : Topics.all()) {
        int expected = topic == Topics.SQL_TEMPLATES ? 9 : topic.defaultPartitions();
        assertEquals(expected, topics.get(topic.name()).partitions().size(), topic.name());
      }
      var configs =
          admin
              .describeConfigs(
                  List.of(
                      new org.apache.kafka.common.config.ConfigResource(
                          org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "awr.plans")))
              .all()
              .get();
      assertEquals("compact", configs.values().iterator().next().get("cleanup.policy").value());
    }
    SchemaRegistryClient registry =
        new SchemaRegistryClient(
            RegistryConfig.from(
                Map.of(
                    RegistryConfig.URL, "http://127.0.0.1:" + registryPort + "/apis/ccompat/v7")));
    assertTrue(
        registry.subjects().containsAll(Topics.all().stream().map(Topic::valueSubject).toList()));
    for (Topic<?> topic : Topics.all()) {
      assertEquals(topic.valueSchema(), registry.latest(topic.valueSubject()).schema());
    }
    assertEquals(null, RedisServer.ping(RedisUrl.local(redisPort)));
    assertTrue(Files.isRegularFile(repo.resolve(".iris/logs/kafka.log")));
    assertTrue(Files.isRegularFile(repo.resolve(".iris/logs/registry.log")));
  }

  @Test
  @Order(2)
  void upAgainChangesNothing() {
    Result again = run(config, "up");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("kafka      already running"), again.out());
    assertTrue(again.out().contains("registry   already running"), again.out());
    assertTrue(again.out().contains("redis      already running"), again.out());
    assertTrue(again.out().contains("0 created, 11 already there"), again.out());
  }

  @Test
  @Order(3)
  void statusShowsProcessesHealthTopicsAndLag() {
    Result status = run(config, "status");
    assertEquals(0, status.code(), status.out() + status.err());
    assertTrue(
        status
            .out()
            .matches(
                "(?s).*kafka +running \\d+ +127\\.0\\.0\\.1:"
                    + kafkaPort
                    + " +ready \\(1 broker\\).*"),
        status.out());
    assertTrue(status.out().matches("(?s).*registry +running \\d+ .* ready\n.*"), status.out());
    assertTrue(
        status.out().matches("(?s).*redis +running \\d+ .* ready \\(PONG\\).*"), status.out());
    assertTrue(
        status.out().matches("(?s).*\nawr\\.snapshots +6  restricted: raw SQL text\n.*"),
        status.out());
    assertTrue(status.out().matches("(?s).*\nsql\\.templates\\.dlq +1  \n.*"), status.out());
    assertTrue(status.out().contains("CONSUMER GROUP"), status.out());
  }

  @Test
  @Order(4)
  void aPortTakenByAnotherProcessIsReportedWithTheSettingToChange() throws Exception {
    int taken;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      taken = socket.getLocalPort();
      IrisConfig other =
          config
              .with("IRIS_HOME", ".iris-other")
              .with("IRIS_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + taken);
      Result up = run(other, "up");
      assertEquals(1, up.code());
      assertTrue(up.err().contains("port " + taken + " on 127.0.0.1 is in use"), up.err());
      assertTrue(up.err().contains("IRIS_KAFKA_BOOTSTRAP_SERVERS"), up.err());
    }
    assertFalse(
        Files.exists(repo.resolve(".iris-other/kafka/kafka.pid")), "nothing is left half-started");
  }

  @Test
  @Order(5)
  void downStopsEveryProcessItStarted() throws Exception {
    Set<Long> pids =
        Set.of(
            Long.parseLong(Files.readString(repo.resolve(".iris/kafka/kafka.pid")).trim()),
            Long.parseLong(Files.readString(repo.resolve(".iris/registry/registry.pid")).trim()),
            Long.parseLong(Files.readString(repo.resolve(".iris/redis/redis.pid")).trim()));
    Result down = run(config, "down");
    assertEquals(0, down.code());
    assertTrue(down.out().contains("IRIS is down."), down.out());
    for (long pid : pids) {
      assertFalse(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "pid " + pid + " survived");
    }
    assertFalse(Readiness.isListening("127.0.0.1", kafkaPort));
    assertEquals("Nothing was running.\n", run(config, "down").out());

    Result status = run(config, "status");
    assertEquals(1, status.code(), "status fails while the system is down");
    assertTrue(status.out().matches("(?s).*kafka +not running .* unreachable.*"), status.out());
  }

  @Test
  void badCommandsAndSettingsFailWithAMessage() {
    Result unknown = run(config, "launch");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("unknown command 'launch'"));
    Result badRedis = run(config.with("IRIS_REDIS_URL", "http://cache"), "status");
    assertEquals(1, badRedis.code());
    assertTrue(badRedis.err().contains("IRIS_REDIS_URL"), badRedis.err());
    Result badRegistry =
        run(config.with("IRIS_SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081/"), "status");
    assertEquals(1, badRegistry.code());
    assertTrue(badRegistry.err().contains("/apis/ccompat/v7"), badRegistry.err());
  }
}
