package io.iris.compressor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.platform.IrisConfig;
import io.iris.platform.KafkaSettings;
import io.iris.platform.Shutdown;
import io.iris.schemas.TopicSetup;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.CostMetric;
import io.iris.schemas.avro.TemplateObservation;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.serde.AvroDeserializer;
import io.iris.schemas.serde.AvroSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compressor on the real broker: its state comes back from the changelog after a restart that
 * lost the local state directory, so the next result still covers the earlier snapshot.
 */
@ExtendWith(LocalInfraExtension.class)
class CompressorKafkaTest {
  private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

  @Test
  void aRestartRestoresTheWorkloadFromTheChangelog(
      LocalInfra infra, @TempDir Path first, @TempDir Path second) throws Exception {
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", infra.bootstrapServers()))) {
      TopicSetup.ensure(admin);
    }
    long dbid = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
    String app = "compressor-test-" + UUID.randomUUID();
    Map<String, Object> serde = Map.of(RegistryConfig.URL, infra.schemaRegistryUrl());
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serde));

    produce(
        infra,
        registry,
        serde,
        List.of(
            TestObservations.of(dbid, 1, T0, 0, 2, "a", "ORDERS", 500),
            TestObservations.of(dbid, 1, T0, 1, 2, "b", "ITEMS", 300)));
    KafkaStreams one = start(infra, registry, serde, app, first);
    awaitResults(infra, registry, dbid, 1);
    Shutdown.leavingGroup(one, Duration.ofSeconds(30)).close();

    // A new instance with an empty state directory: the stores come back from their changelogs.
    KafkaStreams two = start(infra, registry, serde, app, second);
    produce(
        infra,
        registry,
        serde,
        List.of(TestObservations.of(dbid, 2, T0.plusSeconds(900), 0, 1, "c", "USERS", 200)));
    List<CompressedWorkload> results = awaitResults(infra, registry, dbid, 2);
    Shutdown.leavingGroup(two, Duration.ofSeconds(30)).close();

    assertEquals(2, results.get(0).getTotalTemplates());
    CompressedWorkload after = results.get(1);
    assertEquals(
        3,
        after.getTotalTemplates(),
        "templates of the snapshot before the restart are still there");
    assertEquals(1000.0, after.getTotalCost(), 1e-9);
    assertEquals(T0, after.getWindowStart());
  }

  private static void produce(
      LocalInfra infra,
      SchemaRegistryClient registry,
      Map<String, Object> serde,
      List<TemplateObservation> observations)
      throws Exception {
    try (KafkaProducer<String, TemplateObservation> producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", infra.bootstrapServers()),
            new StringSerializer(),
            new AvroSerializer<>(registry, serde, false))) {
      for (TemplateObservation o : observations) {
        producer
            .send(new ProducerRecord<>(Topics.SQL_TEMPLATES.name(), o.getTemplateId(), o))
            .get();
      }
    }
  }

  private static KafkaStreams start(
      LocalInfra infra,
      SchemaRegistryClient registry,
      Map<String, Object> serde,
      String app,
      Path state) {
    StreamsBuilder builder = new StreamsBuilder();
    CompressorTopology.build(
        builder,
        new CompressorSettings(
            2, 0, CostMetric.ELAPSED, Duration.ofHours(24), Duration.ofSeconds(60)),
        Topics.SQL_TEMPLATES.valueSerde(registry, serde),
        Topics.WORKLOAD_COMPRESSED.valueSerde(registry, serde),
        Topics.deadLetter(Topics.SQL_TEMPLATES).valueSerde(registry, serde),
        () -> {});
    Properties props =
        new KafkaSettings(
                new IrisConfig(
                    Map.of(
                        "IRIS_KAFKA_BOOTSTRAP_SERVERS",
                        infra.bootstrapServers(),
                        "IRIS_STATE_DIR",
                        state.toString())),
                "compressor")
            .streams(app);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put("consumer.auto.offset.reset", "earliest");
    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    streams.start();
    return streams;
  }

  private static List<CompressedWorkload> awaitResults(
      LocalInfra infra, SchemaRegistryClient registry, long dbid, int count) throws Exception {
    Map<String, Object> config =
        Map.of(
            "bootstrap.servers",
            infra.bootstrapServers(),
            "group.id",
            "check-" + UUID.randomUUID(),
            "auto.offset.reset",
            "earliest",
            "isolation.level",
            "read_committed");
    List<CompressedWorkload> results = new ArrayList<>();
    try (KafkaConsumer<String, CompressedWorkload> consumer =
        new KafkaConsumer<>(
            config,
            new StringDeserializer(),
            new AvroDeserializer<>(registry, CompressedWorkload.class))) {
      consumer.subscribe(List.of(Topics.WORKLOAD_COMPRESSED.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (results.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, CompressedWorkload> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key().equals(Long.toString(dbid))) {
            results.add(r.value());
          }
        }
      }
    }
    assertEquals(count, results.size(), "results for workload " + dbid);
    return results;
  }
}
