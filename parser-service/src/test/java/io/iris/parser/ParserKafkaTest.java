package io.iris.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.TopicContents;
import io.iris.schemas.TopicSetup;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.DeadLetter;
import io.iris.schemas.avro.TemplateObservation;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.serde.AvroDeserializer;
import io.iris.schemas.serde.AvroSerializer;
import io.iris.simulator.SampleApplication;
import io.iris.simulator.SqlShape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parser service as a process on the real broker: killed with SIGKILL mid-stream and restarted,
 * it still writes every statement exactly once, and a bad record goes to the DLQ.
 */
@ExtendWith(LocalInfraExtension.class)
class ParserKafkaTest {
  private static final int SNAPSHOTS = 30;

  @Test
  void everyStatementOnceThroughAKillAndADeadLetterForGarbage(LocalInfra infra, @TempDir Path dir)
      throws Exception {
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", infra.bootstrapServers()))) {
      TopicSetup.ensure(admin);
    }
    String source = "p" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> serde = Map.of(RegistryConfig.URL, infra.schemaRegistryUrl());
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serde));
    List<String> texts = new ArrayList<>();
    for (SqlShape shape : SampleApplication.SHAPES.subList(0, 20)) {
      texts.add(
          shape
              .text()
              .replace("#in", "1, 2")
              .replace("#n", "7")
              .replace("#f", "1.5")
              .replace("#s", "'x'")
              .replace("#d", "DATE '2026-01-01'"));
    }
    Map<String, Object> producerConfig = Map.of("bootstrap.servers", infra.bootstrapServers());
    try (KafkaProducer<String, AwrSnapshot> producer =
            new KafkaProducer<>(
                producerConfig,
                new StringSerializer(),
                new AvroSerializer<>(registry, serde, false));
        KafkaProducer<String, byte[]> garbage =
            new KafkaProducer<>(
                producerConfig, new StringSerializer(), new ByteArraySerializer())) {
      for (int snap = 1; snap <= SNAPSHOTS; snap++) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.AWR_SNAPSHOTS.name(), "42:1", Snapshots.snapshot(source, snap, texts)))
            .get();
        if (snap == 10) {
          garbage
              .send(
                  new ProducerRecord<>(
                      Topics.AWR_SNAPSHOTS.name(),
                      "42:1",
                      (source + " garbage").getBytes(StandardCharsets.UTF_8)))
              .get();
        }
      }
    }

    Map<String, String> env = new HashMap<>();
    env.put("IRIS_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
    env.put("IRIS_SCHEMA_REGISTRY_URL", infra.schemaRegistryUrl());
    env.put("IRIS_STATE_DIR", dir.resolve("state").toString());
    env.put("IRIS_LOG_FORMAT", "text");
    // The killed instance leaves the group only when its session times out (45 s by default).
    env.put("IRIS_KAFKA_SESSION_TIMEOUT_MS", "10000");
    Predicate<TemplateObservation> ours = o -> o.getSnapshot().getSource().equals(source);
    Process first = start(env, dir.resolve("parser-1.log"));
    try {
      awaitCount(infra, registry, ours, SNAPSHOTS * 20 / 3, first, false);
    } finally {
      first.destroyForcibly().waitFor();
    }
    Process second = start(env, dir.resolve("parser-2.log"));
    try {
      awaitCount(infra, registry, ours, SNAPSHOTS * 20, second, true);
    } finally {
      second.destroy();
      second.waitFor();
    }
    List<ConsumerRecord<String, TemplateObservation>> out =
        committed(
            infra,
            Topics.SQL_TEMPLATES.name(),
            new AvroDeserializer<>(registry, TemplateObservation.class),
            ours);
    assertEquals(SNAPSHOTS * 20, out.size());
    Set<String> unique = new HashSet<>();
    for (ConsumerRecord<String, TemplateObservation> r : out) {
      assertTrue(
          unique.add(r.value().getSnapshot().getSnapId() + "/" + r.value().getStatementIndex()),
          "duplicate " + r.value());
      assertEquals(r.value().getTemplateId(), r.key());
    }
    List<ConsumerRecord<String, DeadLetter>> dead =
        committed(
            infra,
            Topics.deadLetter(Topics.AWR_SNAPSHOTS).name(),
            new AvroDeserializer<>(registry, DeadLetter.class),
            d ->
                d.getValue() != null
                    && StandardCharsets.UTF_8
                        .decode(d.getValue().duplicate())
                        .toString()
                        .startsWith(source));
    assertEquals(1, dead.size());
    assertTrue(dead.get(0).value().getErrorMessage().contains("magic byte"));
  }

  private static Process start(Map<String, String> env, Path log) throws Exception {
    return TopicContents.startJvm(ParserMain.class, env, log);
  }

  private static void awaitCount(
      LocalInfra infra,
      SchemaRegistryClient registry,
      Predicate<TemplateObservation> ours,
      int count,
      Process parser,
      boolean committedOnly)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    int seen = 0;
    while (System.nanoTime() < deadline && parser.isAlive()) {
      seen = read(infra, registry, ours, committedOnly);
      if (seen >= count) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError(
        "the parser wrote "
            + seen
            + " of "
            + count
            + " observations (alive: "
            + parser.isAlive()
            + ")");
  }

  private static int read(
      LocalInfra infra,
      SchemaRegistryClient registry,
      Predicate<TemplateObservation> ours,
      boolean committedOnly) {
    return TopicContents.read(
            infra.bootstrapServers(),
            Topics.SQL_TEMPLATES.name(),
            new AvroDeserializer<>(registry, TemplateObservation.class),
            committedOnly,
            ours)
        .size();
  }

  static <V> List<ConsumerRecord<String, V>> committed(
      LocalInfra infra, String topic, Deserializer<V> values, Predicate<V> keep) {
    return TopicContents.read(infra.bootstrapServers(), topic, values, true, keep);
  }
}
