package io.iris.feature;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.parser.ParserMetrics;
import io.iris.parser.ParserTopology;
import io.iris.parser.SnapshotTemplater;
import io.iris.parser.SqlTemplater;
import io.iris.parser.StatementParser;
import io.iris.platform.Health;
import io.iris.platform.HttpEndpoint;
import io.iris.platform.IrisConfig;
import io.iris.platform.KafkaSettings;
import io.iris.platform.ServiceMetrics;
import io.iris.schemas.TopicSetup;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.FeatureVector;
import io.iris.schemas.avro.SqlStat;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.serde.AvroSerializer;
import io.iris.simulator.SampleApplication;
import io.iris.simulator.SqlShape;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature service's latencies on loopback: online reads through the HTTP API (one template, 100
 * templates), and freshness: from a snapshot's publication on awr.snapshots to its features being
 * readable online, through the parser and the feature service. Run with {@code ./iris bench};
 * prints results, asserts nothing about time.
 */
@Tag("benchmark")
@ExtendWith(LocalInfraExtension.class)
class FeatureBenchmarkTest {
  private static double percentile(long[] nanos, double p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  @Test
  void onlineReadsThroughTheHttpApi(LocalInfra infra) throws Exception {
    String prefix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    List<String> ids = new ArrayList<>();
    try (ServiceMetrics metrics = new ServiceMetrics("feature-bench", Duration.ofSeconds(60));
        HttpEndpoint http = HttpEndpoint.start("127.0.0.1", 0, metrics, new Health());
        OnlineStore store =
            new OnlineStore(infra.redisUrl().toUriWithCredentials(), Duration.ofMinutes(10))) {
      List<FeatureVector> vectors = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        String id = prefix + String.format("%08x", i);
        ids.add(id);
        vectors.add(
            FeatureExtractor.extract(
                TestInputs.observation(42, 5, 0, 1, id, "sqlA", 600 + i),
                Optional.of(TestInputs.snapshot(42, 5, 35.5).getSystem()),
                Optional.of(TestInputs.plan(42, "sqlA", 7)),
                Optional.of(TestInputs.workload(42, id, 10.0))));
      }
      store.write(vectors);
      new OnlineApi(store, new FeatureMetrics(metrics.registry())).register(http);
      int fields = store.read(ids.get(0)).orElseThrow().size();
      List<byte[]> batchBodies = new ArrayList<>();
      for (int from = 0; from + 100 <= ids.size(); from += 100) {
        batchBodies.add(
            ("{\"templateIds\":[\"" + String.join("\",\"", ids.subList(from, from + 100)) + "\"]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      int rounds = 20_000;
      int batchRounds = 2_000;
      long[] single = new long[rounds];
      long[] batch = new long[batchRounds];
      // The API as a load generator sees it: one keep-alive connection, nothing parsed.
      try (RawHttpClient raw = new RawHttpClient(http.port())) {
        for (int i = 0; i < 2 * rounds; i++) {
          long started = System.nanoTime();
          int status = raw.send("GET", "/features/" + ids.get(i % ids.size()), null);
          if (i >= rounds) {
            single[i - rounds] = System.nanoTime() - started;
          }
          assertTrue(status == 200);
        }
        for (int i = 0; i < 2 * batchRounds; i++) {
          long started = System.nanoTime();
          int status = raw.send("POST", "/features/batch", batchBodies.get(i % batchBodies.size()));
          if (i >= batchRounds) {
            batch[i - batchRounds] = System.nanoTime() - started;
          }
          assertTrue(status == 200);
        }
      }
      // The same through the Java client (java.net.http and Jackson, parsing every answer).
      FeatureClient client =
          new FeatureClient("http://127.0.0.1:" + http.port(), Duration.ofSeconds(5));
      long[] clientSingle = new long[rounds];
      long[] clientBatch = new long[batchRounds];
      int read = 0;
      for (int i = 0; i < 2 * rounds; i++) {
        long started = System.nanoTime();
        read += client.get(ids.get(i % ids.size())).isPresent() ? 1 : 0;
        if (i >= rounds) {
          clientSingle[i - rounds] = System.nanoTime() - started;
        }
      }
      for (int i = 0; i < 2 * batchRounds; i++) {
        int from = (i * 100) % ids.size();
        long started = System.nanoTime();
        read += client.get(ids.subList(from, from + 100)).size();
        if (i >= batchRounds) {
          clientBatch[i - batchRounds] = System.nanoTime() - started;
        }
      }
      assertTrue(read == 2 * rounds + 2 * batchRounds * 100);
      // The same reads straight from Redis: what the HTTP layer adds.
      long[] direct = new long[batchRounds];
      for (int i = 0; i < 2 * batchRounds; i++) {
        int from = (i * 100) % ids.size();
        long started = System.nanoTime();
        int found = store.read(ids.subList(from, from + 100)).size();
        if (i >= batchRounds) {
          direct[i - batchRounds] = System.nanoTime() - started;
        }
        assertTrue(found == 100);
      }
      System.out.printf(
          "BENCH feature-read: HTTP API (one keep-alive connection, loopback): one template (%d fields) p50 %.3f ms"
              + " p99 %.3f ms p99.9 %.3f ms; batch of 100 p50 %.3f ms p99 %.3f ms. Through FeatureClient (parsing"
              + " the answers): one p50 %.3f ms p99 %.3f ms, 100 p50 %.3f ms p99 %.3f ms. The 100 straight from"
              + " Redis: p50 %.3f ms p99 %.3f ms (server and clients in one JVM, Redis %s)%n",
          fields,
          percentile(single, 0.50),
          percentile(single, 0.99),
          percentile(single, 0.999),
          percentile(batch, 0.50),
          percentile(batch, 0.99),
          percentile(clientSingle, 0.50),
          percentile(clientSingle, 0.99),
          percentile(clientBatch, 0.50),
          percentile(clientBatch, 0.99),
          percentile(direct, 0.50),
          percentile(direct, 0.99),
          infra.redisUrl());
    }
  }

  @Test
  void freshnessFromPublicationToOnlineFeatures(LocalInfra infra, @TempDir Path state)
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    IrisConfig config =
        new IrisConfig(
            Map.of(
                "IRIS_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers(),
                "IRIS_SCHEMA_REGISTRY_URL", infra.schemaRegistryUrl(),
                "IRIS_STATE_DIR", state.toString()));
    KafkaSettings kafka = new KafkaSettings(config, "bench");
    Map<String, Object> serde = kafka.serde();
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serde));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    FeatureMetrics metrics = new FeatureMetrics(meters);
    try (Admin admin = Admin.create(kafka.admin())) {
      TopicSetup.ensure(admin);
    }
    long dbid = 1_000_000L + (System.nanoTime() & 0xffff);
    List<SqlShape> shapes = SampleApplication.SHAPES;
    List<Long> latencies = new ArrayList<>();
    try (StatementParser parser = new StatementParser(Duration.ofMillis(500), 1);
        OnlineStore store =
            new OnlineStore(infra.redisUrl().toUriWithCredentials(), Duration.ofMinutes(10));
        KafkaProducer<String, AwrSnapshot> producer =
            new KafkaProducer<>(
                kafka.producer(null),
                new StringSerializer(),
                new AvroSerializer<>(registry, serde, false))) {
      SnapshotTemplater templater = new SnapshotTemplater(parser, 10_000);
      StreamsBuilder parsing = new StreamsBuilder();
      ParserTopology.build(
          parsing,
          templater,
          Topics.AWR_SNAPSHOTS.valueSerde(registry, serde).deserializer(),
          Topics.SQL_TEMPLATES.valueSerde(registry, serde),
          Topics.deadLetter(Topics.AWR_SNAPSHOTS).valueSerde(registry, serde),
          new ParserMetrics(meters, templater.statementCache()));
      StreamsBuilder joining = new StreamsBuilder();
      FeatureTopology.build(
          joining,
          new FeatureSettings(6, Duration.ofSeconds(30), Duration.ZERO, state, 1, Duration.ZERO),
          new FeatureTopology.FeatureSerdes(
              Topics.AWR_SNAPSHOTS.valueSerde(registry, serde),
              Topics.SQL_TEMPLATES.valueSerde(registry, serde),
              Topics.AWR_PLANS.valueSerde(registry, serde),
              Topics.WORKLOAD_COMPRESSED.valueSerde(registry, serde),
              Topics.FEATURES.valueSerde(registry, serde),
              Topics.deadLetter(Topics.AWR_SNAPSHOTS).valueSerde(registry, serde)),
          metrics);
      FeatureSink sink =
          new FeatureSink(
              "redis",
              (partition, first, last, batch) -> store.write(batch),
              new FeatureSink.Batching(2_000, Duration.ofMillis(50)),
              true,
              new KafkaConsumer<>(
                  kafka.consumer("bench-online-" + run),
                  new StringDeserializer(),
                  new ByteArrayDeserializer()),
              Topics.FEATURES.valueSerde(registry, serde).deserializer(),
              new KafkaProducer<>(
                  kafka.producer(null),
                  new StringSerializer(),
                  Topics.deadLetter(Topics.FEATURES).valueSerde(registry, serde).serializer()),
              metrics);
      try (KafkaStreams parserApp =
              new KafkaStreams(parsing.build(), kafka.streams("bench-parser-" + run));
          KafkaStreams featureApp =
              new KafkaStreams(joining.build(), kafka.streams("bench-feature-" + run))) {
        parserApp.start();
        featureApp.start();
        Thread sinkThread = Thread.ofPlatform().start(sink);
        try {
          for (int snap = 1; snap <= 60; snap++) {
            AwrSnapshot snapshot = snapshot(dbid, snap, shapes.subList(0, 40));
            String probe = probeTemplate(snapshot);
            long started = System.nanoTime();
            producer.send(new ProducerRecord<>(Topics.AWR_SNAPSHOTS.name(), dbid + ":1", snapshot));
            producer.flush();
            Instant deadline = Instant.now().plusSeconds(120);
            while (!online(store, probe, snapshot.getEndIntervalTime())) {
              if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("snapshot " + snap + " never reached the online store");
              }
              Thread.sleep(2);
            }
            // The first snapshots wait for the applications' first rebalance: not counted.
            if (snap > 10) {
              latencies.add(System.nanoTime() - started);
            }
            Thread.sleep(100);
          }
        } finally {
          sink.close();
          sinkThread.join();
        }
      }
    }
    long[] nanos = latencies.stream().mapToLong(Long::longValue).toArray();
    System.out.printf(
        "BENCH feature-freshness: awr.snapshots publication -> features online (parser + feature service, exactly once,"
            + " 40 statements per snapshot) p50 %.0f ms p95 %.0f ms max %.0f ms over %d snapshots%n",
        percentile(nanos, 0.50), percentile(nanos, 0.95), percentile(nanos, 1.0), nanos.length);
    assertTrue(nanos.length == 50);
  }

  private static boolean online(OnlineStore store, String templateId, Instant end) {
    return store
        .read(templateId)
        .map(f -> Long.parseLong(f.get(OnlineStore.EVENT_TIME)) >= end.toEpochMilli())
        .orElse(false);
  }

  /** The template of the snapshot's last statement: when it is online, the snapshot is. */
  private static String probeTemplate(AwrSnapshot snapshot) {
    List<SqlStat> stats = snapshot.getSqlStats();
    return SqlTemplater.template(stats.get(stats.size() - 1).getSqlText()).id();
  }

  private static AwrSnapshot snapshot(long dbid, long snapId, List<SqlShape> shapes) {
    List<SqlStat> stats = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      String text =
          shapes
              .get(i)
              .text()
              .replace("#in", "1, 2")
              .replace("#n", Long.toString(snapId))
              .replace("#f", "1.5")
              .replace("#s", "'x'")
              .replace("#d", "DATE '2026-01-01'");
      stats.add(
          SqlStat.newBuilder()
              .setSqlId(String.format("%05d%08d", snapId % 100_000, i))
              .setPlanHashValue(1000 + i)
              .setSqlText(text)
              .setSqlTextPurged(false)
              .setExecutions(10L)
              .setElapsedTimeUs(5_000L + i)
              .setCpuTimeUs(4_000L)
              .setBufferGets(100L)
              .build());
    }
    Instant end = Instant.now();
    AwrSnapshot header = TestInputs.snapshot(dbid, snapId, 20.0);
    return AwrSnapshot.newBuilder(header)
        .setEndIntervalTime(end)
        .setBeginIntervalTime(end.minusSeconds(900))
        .setCollectedAt(end)
        .setSqlStats(stats)
        .build();
  }
}
