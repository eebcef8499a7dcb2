package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.TopicContents;
import io.iris.platform.IrisConfig;
import io.iris.platform.KafkaSettings;
import io.iris.schemas.TopicSetup;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.CollectorCheckpoint;
import io.iris.schemas.avro.ExecutionPlan;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.serde.AvroDeserializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The collector against the simulated AWR and a real broker and registry. */
@ExtendWith(LocalInfraExtension.class)
class CollectorKafkaTest {

  @BeforeAll
  static void topics(LocalInfra infra) throws Exception {
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", infra.bootstrapServers()))) {
      TopicSetup.ensure(admin);
    }
  }

  static IrisConfig config(LocalInfra infra, String start) {
    return new IrisConfig(
        Map.of(
            "IRIS_KAFKA_BOOTSTRAP_SERVERS",
            infra.bootstrapServers(),
            "IRIS_SCHEMA_REGISTRY_URL",
            infra.schemaRegistryUrl(),
            "IRIS_COLLECTOR_START",
            start,
            "IRIS_COLLECTOR_POLL_SECONDS",
            "1",
            "IRIS_COLLECTOR_MAX_BACKOFF_SECONDS",
            "2"));
  }

  static SchemaRegistryClient registry(LocalInfra infra) {
    return new SchemaRegistryClient(
        RegistryConfig.from(Map.of(RegistryConfig.URL, infra.schemaRegistryUrl())));
  }

  /** A collector of one source, publishing to the real broker. */
  private record Running(
      SourceCollector collector,
      KafkaSnapshotSink sink,
      CollectorState state,
      SimpleMeterRegistry meters) {}

  private static Running collector(LocalInfra infra, Source source, String start) {
    IrisConfig config = config(infra, start);
    KafkaSettings kafka = new KafkaSettings(config, "collector-test");
    CollectorState state = CollectorState.load(kafka.consumer("unused"), registry(infra));
    KafkaSnapshotSink sink =
        new KafkaSnapshotSink(
            kafka.producer("test-collector-" + source.name()), registry(infra), kafka.serde());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CollectorMetrics metrics = new CollectorMetrics(meters);
    metrics.register(source.name());
    return new Running(
        new SourceCollector(
            source, CollectorSettings.from(config), state, sink, metrics, Clock.systemUTC()),
        sink,
        state,
        meters);
  }

  /** Every committed record of a topic whose value passes {@code keep}. */
  static <V> List<ConsumerRecord<String, V>> committed(
      LocalInfra infra, String topic, Deserializer<V> values, Predicate<V> keep) {
    return TopicContents.read(infra.bootstrapServers(), topic, values, true, keep);
  }

  static List<ConsumerRecord<String, AwrSnapshot>> snapshots(LocalInfra infra, String source) {
    return committed(
        infra,
        Topics.AWR_SNAPSHOTS.name(),
        new AvroDeserializer<>(registry(infra), AwrSnapshot.class),
        s -> s.getSource().equals(source));
  }

  /** Each key's snapshots, in topic order, are its snap ids in increasing order, each once. */
  static void assertExactlyOnceInOrder(
      List<ConsumerRecord<String, AwrSnapshot>> records, int expected) {
    assertEquals(expected, records.size(), "snapshots on the topic");
    Map<String, Long> last = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<String, AwrSnapshot> r : records) {
      AwrSnapshot s = r.value();
      assertEquals(s.getDbid() + ":" + s.getInstanceNumber(), r.key());
      assertTrue(
          seen.add(r.key() + "@" + s.getSnapId()), "duplicate " + r.key() + "@" + s.getSnapId());
      Long before = last.put(r.key(), s.getSnapId());
      assertTrue(
          before == null || before < s.getSnapId(),
          r.key() + ": " + s.getSnapId() + " after " + before);
    }
  }

  @Test
  void everySnapshotOnceInOrderWithItsPlansAndCheckpoints(LocalInfra infra) throws Exception {
    String name = "s" + UUID.randomUUID().toString().substring(0, 8);
    try (SimulatedAwr awr = new SimulatedAwr()) {
      awr.simulator.generate(12);
      Running running = collector(infra, awr.source(name), "earliest");
      try (KafkaSnapshotSink sink = running.sink()) {
        assertEquals(36, running.collector().collectOnce());
        assertEquals(0, running.collector().collectOnce(), "nothing new, nothing published");
        awr.simulator.generate(2);
        assertEquals(6, running.collector().collectOnce());
      }
      List<ConsumerRecord<String, AwrSnapshot>> records = snapshots(infra, name);
      assertExactlyOnceInOrder(records, 42);

      // The first snapshot after the restart of SHOP instance 2 (snap 1011).
      AwrSnapshot restarted =
          records.stream()
              .map(ConsumerRecord::value)
              .filter(
                  s ->
                      s.getDbid() == SimulatedAwr.SHOP
                          && s.getInstanceNumber() == 2
                          && s.getSnapId() == 1011)
              .findFirst()
              .orElseThrow();
      assertTrue(restarted.getInstanceRestarted());
      assertNull(restarted.getSystem().getDbTimeUs());
      assertNull(restarted.getSystem().getLogicalReads());
      assertEquals(List.of(), restarted.getQualityViolations());
      AwrSnapshot normal =
          records.stream()
              .map(ConsumerRecord::value)
              .filter(
                  s ->
                      s.getDbid() == SimulatedAwr.SHOP
                          && s.getInstanceNumber() == 2
                          && s.getSnapId() == 1012)
              .findFirst()
              .orElseThrow();
      assertFalse(normal.getInstanceRestarted());
      assertTrue(normal.getSystem().getDbTimeUs() > 0);
      assertTrue(normal.getSystem().getAverageActiveSessions() > 0);
      assertTrue(normal.getSystem().getHostCpuUtilizationPct() > 0);
      assertTrue(normal.getSqlStats().size() >= 50);
      assertNotNull(normal.getSqlStats().get(0).getSqlText());
      for (AwrSnapshot s : records.stream().map(ConsumerRecord::value).toList()) {
        assertTrue(
            s.getSystem().getDbTimeUs() == null || s.getSystem().getDbTimeUs() >= 0,
            "never a negative delta");
      }

      // Every plan the snapshots use is on awr.plans, once.
      Set<String> used = new HashSet<>();
      records.forEach(
          r ->
              r.value().getSqlStats().stream()
                  .filter(q -> q.getPlanHashValue() != 0)
                  .forEach(
                      q ->
                          used.add(
                              r.value().getDbid()
                                  + ":"
                                  + q.getSqlId()
                                  + ":"
                                  + q.getPlanHashValue())));
      List<ConsumerRecord<String, ExecutionPlan>> plans =
          committed(
              infra,
              Topics.AWR_PLANS.name(),
              new AvroDeserializer<>(registry(infra), ExecutionPlan.class),
              p -> true);
      Set<String> sent = new HashSet<>();
      for (ConsumerRecord<String, ExecutionPlan> p : plans) {
        if (used.contains(p.key())) {
          assertTrue(sent.add(p.key()), "plan sent twice: " + p.key());
        }
      }
      assertEquals(used, sent);

      // The checkpoints say where each instance stands.
      List<ConsumerRecord<String, CollectorCheckpoint>> checkpoints =
          committed(
              infra,
              Topics.COLLECTOR_CHECKPOINTS.name(),
              new AvroDeserializer<>(registry(infra), CollectorCheckpoint.class),
              c -> c.getSource().equals(name));
      Map<String, Long> latest = new HashMap<>();
      checkpoints.forEach(c -> latest.put(c.key(), c.value().getSnapId()));
      assertEquals(
          Map.of(
              name + ":" + SimulatedAwr.SHOP + ":1",
              1014L,
              name + ":" + SimulatedAwr.SHOP + ":2",
              1014L,
              name + ":" + SimulatedAwr.CRM + ":1",
              1014L),
          latest);
    }
  }

  @Test
  void aRestartedCollectorContinuesFromItsCheckpoint(LocalInfra infra) throws Exception {
    String name = "r" + UUID.randomUUID().toString().substring(0, 8);
    try (SimulatedAwr awr = new SimulatedAwr()) {
      awr.simulator.generate(4);
      Running first = collector(infra, awr.source(name), "latest");
      try (KafkaSnapshotSink sink = first.sink()) {
        assertEquals(
            3,
            first.collector().collectOnce(),
            "latest: only the newest snapshot of each instance");
      }
      awr.simulator.generate(3);
      // A new collector process: all it knows comes from Kafka.
      Running second = collector(infra, awr.source(name), "latest");
      assertEquals(
          3,
          second.state().checkpoints().keySet().stream()
              .filter(k -> k.startsWith(name + ":"))
              .count());
      try (KafkaSnapshotSink sink = second.sink()) {
        assertEquals(9, second.collector().collectOnce());
      }
      assertExactlyOnceInOrder(snapshots(infra, name), 12);
    }
  }

  @Test
  void aGapPurgedFromAwrIsCountedAndHasNoSystemDeltas(LocalInfra infra) throws Exception {
    String name = "g" + UUID.randomUUID().toString().substring(0, 8);
    try (SimulatedAwr awr = new SimulatedAwr()) {
      awr.simulator.generate(2);
      Running running = collector(infra, awr.source(name), "earliest");
      try (KafkaSnapshotSink sink = running.sink()) {
        running.collector().collectOnce();
        awr.simulator.generate(4);
        awr.simulator.purgeSnapshots(SimulatedAwr.SHOP, 1003, 1004);
        running.collector().collectOnce();
      }
      double gaps = running.meters().get("iris.collector.gap.snapshots").counter().count();
      assertEquals(4, gaps, "two snapshots missing on each of SHOP's two instances");
      AwrSnapshot afterGap =
          snapshots(infra, name).stream()
              .map(ConsumerRecord::value)
              .filter(
                  s ->
                      s.getDbid() == SimulatedAwr.SHOP
                          && s.getInstanceNumber() == 1
                          && s.getSnapId() == 1005)
              .findFirst()
              .orElseThrow();
      assertFalse(afterGap.getInstanceRestarted());
      assertNull(afterGap.getSystem().getDbTimeUs(), "the delta would span the purged snapshots");
      assertExactlyOnceInOrder(snapshots(infra, name), 2 * 3 + 4 + 2 * 2);
    }
  }

  @Test
  void anUnreachableSourceDoesNotStopTheOthers(LocalInfra infra) throws Exception {
    String name = "u" + UUID.randomUUID().toString().substring(0, 8);
    try (SimulatedAwr awr = new SimulatedAwr()) {
      awr.simulator.generate(3);
      Source dead =
          new Source(
              name + "dead",
              "jdbc:h2:tcp://127.0.0.1:"
                  + io.iris.infra.Readiness.freePort()
                  + "/mem:none;MODE=Oracle",
              java.util.Optional.of("sa"),
              java.util.Optional.of(""),
              "DBA_HIST_",
              java.time.ZoneOffset.UTC);
      Running down = collector(infra, dead, "earliest");
      Running up = collector(infra, awr.source(name), "earliest");
      Thread downThread = Thread.ofPlatform().start(down.collector());
      Thread upThread = Thread.ofPlatform().start(up.collector());
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && snapshots(infra, name).size() < 9) {
          Thread.sleep(200);
        }
        assertEquals(9, snapshots(infra, name).size(), "the reachable source was collected");
        assertEquals(0, down.meters().get("iris.collector.source.up").gauge().value());
        assertEquals(1, up.meters().get("iris.collector.source.up").gauge().value());
        assertTrue(
            down.meters().get("iris.collector.errors").tag("kind", "database").counter().count()
                >= 1);
      } finally {
        down.collector().stop();
        up.collector().stop();
        downThread.join();
        upThread.join();
        down.sink().close();
        up.sink().close();
      }
    }
  }
}
