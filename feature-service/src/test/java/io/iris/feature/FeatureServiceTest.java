package io.iris.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.Readiness;
import io.iris.infra.TopicContents;
import io.iris.schemas.TopicSetup;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.ExecutionPlan;
import io.iris.schemas.avro.TemplateObservation;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature service as a process on the real broker, registry and Redis: killed with SIGKILL
 * mid-stream and restarted, it still writes every (template, snapshot) to Parquet exactly once,
 * DuckDB reads the result, and the latest features are served over HTTP.
 */
@ExtendWith(LocalInfraExtension.class)
class FeatureServiceTest {
  private static final int SNAPSHOTS = 30;
  private static final int STATEMENTS = 8;
  private static final int TEMPLATES = 7;

  @Test
  void everyTemplateAndSnapshotOnceInParquetThroughAKillAndOnlineOverHttp(
      LocalInfra infra, @TempDir Path dir) throws Exception {
    long dbid = 2_000_000L + (System.nanoTime() & 0xfffff);
    String prefix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    Map<String, Object> kafka = Map.of("bootstrap.servers", infra.bootstrapServers());
    Map<String, Object> serde = Map.of(RegistryConfig.URL, infra.schemaRegistryUrl());
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serde));
    try (Admin admin = Admin.create(kafka);
        KafkaProducer<String, AwrSnapshot> snapshots =
            new KafkaProducer<>(
                kafka,
                new StringSerializer(),
                Topics.AWR_SNAPSHOTS.valueSerde(registry, serde).serializer());
        KafkaProducer<String, TemplateObservation> observations =
            new KafkaProducer<>(
                kafka,
                new StringSerializer(),
                Topics.SQL_TEMPLATES.valueSerde(registry, serde).serializer());
        KafkaProducer<String, ExecutionPlan> plans =
            new KafkaProducer<>(
                kafka,
                new StringSerializer(),
                Topics.AWR_PLANS.valueSerde(registry, serde).serializer())) {
      TopicSetup.ensure(admin);
      plans.send(
          new ProducerRecord<>(
              Topics.AWR_PLANS.name(),
              dbid + ":" + prefix + "sql0:7",
              TestInputs.plan(dbid, prefix + "sql0", 7)));
      for (int snap = 1; snap <= SNAPSHOTS; snap++) {
        snapshots.send(
            new ProducerRecord<>(
                Topics.AWR_SNAPSHOTS.name(), dbid + ":1", TestInputs.snapshot(dbid, snap, 40.0)));
        for (int i = 0; i < STATEMENTS; i++) {
          // Statements 0 and 7 are literal variants of one template: 7 templates a snapshot.
          String template = prefix + "t" + (i % TEMPLATES);
          TemplateObservation o =
              TestInputs.observation(dbid, snap, i, STATEMENTS, template, prefix + "sql" + i, 600);
          o.setPlanHashValue(7);
          observations.send(new ProducerRecord<>(Topics.SQL_TEMPLATES.name(), template, o));
        }
      }
    }

    Path offline = dir.resolve("offline");
    int port = Readiness.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("IRIS_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
    env.put("IRIS_SCHEMA_REGISTRY_URL", infra.schemaRegistryUrl());
    env.put("IRIS_REDIS_URL", infra.redisUrl().toUriWithCredentials());
    env.put("IRIS_STATE_DIR", dir.resolve("state").toString());
    env.put("IRIS_FEATURE_OFFLINE_DIR", offline.toString());
    env.put("IRIS_FEATURE_OFFLINE_FILE_ROWS", "20");
    env.put("IRIS_FEATURE_OFFLINE_FILE_SECONDS", "1");
    env.put("IRIS_HTTP_PORT", Integer.toString(port));
    env.put("IRIS_LOG_FORMAT", "text");
    // The killed instance leaves the groups only when its session times out (45 s by default).
    env.put("IRIS_KAFKA_SESSION_TIMEOUT_MS", "10000");
    String glob = offline.resolve("features/v1/dbid=" + dbid) + "/**/*.parquet";

    Process first = TopicContents.startJvm(FeatureMain.class, env, dir.resolve("feature-1.log"));
    try {
      await("some rows in Parquet", first, () -> rows(glob)[0] > 0);
    } finally {
      first.destroyForcibly().waitFor();
    }
    Process second = TopicContents.startJvm(FeatureMain.class, env, dir.resolve("feature-2.log"));
    try {
      await("every row in Parquet", second, () -> rows(glob)[0] >= SNAPSHOTS * TEMPLATES);
      // A little longer: anything more would be a duplicate.
      Thread.sleep(3_000);
      long[] counted = rows(glob);
      assertEquals(SNAPSHOTS * TEMPLATES, counted[0], "rows");
      assertEquals(SNAPSHOTS * TEMPLATES, counted[1], "rows unique by template and snapshot");

      HttpClient http = HttpClient.newHttpClient();
      FeatureClient client = new FeatureClient("http://127.0.0.1:" + port, Duration.ofSeconds(5));
      await(
          "the newest snapshot online",
          second,
          () -> {
            try {
              return client
                  .get(prefix + "t0")
                  .map(f -> f.eventTime().equals(TestInputs.end(SNAPSHOTS)))
                  .orElse(false);
            } catch (Exception e) {
              return false;
            }
          });
      FeatureClient.OnlineFeatures t0 = client.get(prefix + "t0").orElseThrow();
      assertEquals(20L, t0.features().get("executions"), "the two variants' executions");
      assertEquals(40.0, t0.features().get("hostCpuUtilizationPct"));
      assertEquals(2L, t0.features().get("planDepth"), "the plan of the dominant variant");
      assertEquals(
          200,
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
    } finally {
      second.destroy();
      second.waitFor();
    }
    try (var files = Files.walk(offline)) {
      assertTrue(
          files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")),
          "no temporary file left behind");
    }
  }

  /** Rows, and distinct (template, dbid, instance, snapshot), as DuckDB reads the files. */
  private static long[] rows(String glob) {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet r =
            duck.createStatement()
                .executeQuery(
                    "SELECT count(*), count(DISTINCT (templateId, dbid, instanceNumber, snapId))"
                        + " FROM read_parquet('"
                        + glob
                        + "', hive_partitioning = true)")) {
      r.next();
      return new long[] {r.getLong(1), r.getLong(2)};
    } catch (java.sql.SQLException e) {
      // No file yet.
      return new long[] {0, 0};
    }
  }

  private static void await(String what, Process service, BooleanSupplier condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(120);
    while (!condition.getAsBoolean()) {
      if (!service.isAlive()) {
        throw new AssertionError("the feature service died waiting for " + what);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
