package io.iris.feature;

import static io.iris.feature.TestInputs.observation;
import static io.iris.feature.TestInputs.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.platform.JsonSerde;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.DeadLetter;
import io.iris.schemas.avro.ExecutionPlan;
import io.iris.schemas.avro.FeatureVector;
import io.iris.schemas.avro.TemplateObservation;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The join, on Kafka Streams' test driver with the real registry's serdes. */
@ExtendWith(LocalInfraExtension.class)
class FeatureTopologyTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private TopologyTestDriver driver;
  private SimpleMeterRegistry meters;
  private FeatureTopology.FeatureSerdes serdes;
  private TestInputTopic<String, AwrSnapshot> snapshots;
  private TestInputTopic<String, TemplateObservation> observations;
  private TestInputTopic<String, ExecutionPlan> plans;
  private TestInputTopic<String, CompressedWorkload> workloads;
  private TestInputTopic<String, byte[]> rawObservations;
  private TestOutputTopic<String, FeatureVector> features;
  private TestOutputTopic<String, DeadLetter> deadObservations;

  @BeforeEach
  void start(LocalInfra infra, @TempDir Path state) {
    Map<String, Object> serde = Map.of(RegistryConfig.URL, infra.schemaRegistryUrl());
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serde));
    Serde<AwrSnapshot> snapshotSerde = Topics.AWR_SNAPSHOTS.valueSerde(registry, serde);
    Serde<TemplateObservation> observationSerde = Topics.SQL_TEMPLATES.valueSerde(registry, serde);
    Serde<ExecutionPlan> planSerde = Topics.AWR_PLANS.valueSerde(registry, serde);
    Serde<CompressedWorkload> workloadSerde =
        Topics.WORKLOAD_COMPRESSED.valueSerde(registry, serde);
    Serde<FeatureVector> featureSerde = Topics.FEATURES.valueSerde(registry, serde);
    Serde<DeadLetter> deadLetterSerde =
        Topics.deadLetter(Topics.SQL_TEMPLATES).valueSerde(registry, serde);
    meters = new SimpleMeterRegistry();
    StreamsBuilder builder = new StreamsBuilder();
    serdes =
        new FeatureTopology.FeatureSerdes(
            snapshotSerde,
            observationSerde,
            planSerde,
            workloadSerde,
            featureSerde,
            deadLetterSerde);
    FeatureTopology.build(
        builder,
        new FeatureSettings(3, WAIT, Duration.ZERO, state, 1000, Duration.ofSeconds(60)),
        serdes,
        new FeatureMetrics(meters));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "feature-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    driver = new TopologyTestDriver(builder.build(), props, TestInputs.T0);
    StringSerializer keys = new StringSerializer();
    snapshots =
        driver.createInputTopic(Topics.AWR_SNAPSHOTS.name(), keys, snapshotSerde.serializer());
    observations =
        driver.createInputTopic(Topics.SQL_TEMPLATES.name(), keys, observationSerde.serializer());
    plans = driver.createInputTopic(Topics.AWR_PLANS.name(), keys, planSerde.serializer());
    workloads =
        driver.createInputTopic(
            Topics.WORKLOAD_COMPRESSED.name(), keys, workloadSerde.serializer());
    rawObservations =
        driver.createInputTopic(Topics.SQL_TEMPLATES.name(), keys, new ByteArraySerializer());
    features =
        driver.createOutputTopic(
            Topics.FEATURES.name(), new StringDeserializer(), featureSerde.deserializer());
    deadObservations =
        driver.createOutputTopic(
            Topics.deadLetter(Topics.SQL_TEMPLATES).name(),
            new StringDeserializer(),
            deadLetterSerde.deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void observe(TemplateObservation o) {
    observations.pipeInput(o.getTemplateId(), o);
  }

  @Test
  void aCompleteSnapshotGivesOneVectorPerTemplateWithEveryInputJoined() {
    plans.pipeInput("42:sqlA:7", TestInputs.plan(42, "sqlA", 7));
    workloads.pipeInput("42", TestInputs.workload(42, "tA", 600.0));
    snapshots.pipeInput("42:1", snapshot(42, 5, 35.5));
    observe(observation(42, 5, 0, 2, "tA", "sqlA", 600));
    assertTrue(features.isEmpty(), "no features before the snapshot's last statement");
    observe(observation(42, 5, 1, 2, "tB", "sqlB", 300));

    Map<String, FeatureVector> out = features.readKeyValuesToMap();
    assertEquals(2, out.size());
    FeatureVector a = out.get("tA");
    assertEquals(TestInputs.end(5), a.getEventTime());
    assertEquals(42, a.getDbid());
    assertEquals(5, a.getSnapId());
    assertEquals(35.5, a.getHostCpuUtilizationPct());
    assertEquals(1, a.getPlanFullScans(), "plan features from awr.plans");
    assertEquals(42L, a.getPlanTotalCost());
    assertEquals(Boolean.TRUE, a.getIsRepresentative());
    assertEquals(600.0, a.getRepresentativeWeight());
    FeatureVector b = out.get("tB");
    assertNull(b.getPlanTotalCost(), "no plan for sqlB: null, not zero");
    assertEquals(Boolean.FALSE, b.getIsRepresentative());
    assertEquals(35.5, b.getHostCpuUtilizationPct());
  }

  @Test
  void observationsWaitForTheirSnapshotsSystemMetricsWhicheverComesFirst() {
    observe(observation(42, 6, 0, 1, "tA", "sqlA", 600));
    assertTrue(features.isEmpty(), "waiting for the snapshot's system metrics");
    snapshots.pipeInput("42:1", snapshot(42, 6, 12.0));
    FeatureVector v = features.readValue();
    assertEquals(12.0, v.getHostCpuUtilizationPct());
    assertTrue(features.isEmpty());
    assertTrue(store(FeatureTopology.PENDING).isEmpty(), "nothing left waiting");
    assertTrue(store(FeatureTopology.CONTEXTS).isEmpty());
  }

  @Test
  void literalVariantsOfOneTemplateInASnapshotBecomeOneVector() {
    snapshots.pipeInput("42:1", snapshot(42, 7, 50.0));
    observe(observation(42, 7, 0, 3, "tA", "sqlA1", 100));
    observe(observation(42, 7, 1, 3, "tA", "sqlA2", 900));
    observe(observation(42, 7, 2, 3, "tB", "sqlB", 10));
    List<KeyValue<String, FeatureVector>> out = features.readKeyValuesToList();
    assertEquals(List.of("tA", "tB"), out.stream().map(kv -> kv.key).toList());
    FeatureVector a = out.get(0).value;
    assertEquals(20L, a.getExecutions(), "executions of both variants");
    assertEquals(1000.0 / 20, a.getElapsedPerExecUs(), 1e-9);
  }

  @Test
  void withoutSystemMetricsTheFeaturesComeAfterTheWaitWithNullContext() {
    observe(observation(43, 1, 0, 1, "tA", "sqlA", 600));
    driver.advanceWallClockTime(WAIT.minusSeconds(5));
    assertTrue(features.isEmpty());
    driver.advanceWallClockTime(Duration.ofSeconds(10));
    FeatureVector v = features.readValue();
    assertNull(v.getHostCpuUtilizationPct(), "missing input: null features, not zeros");
    assertNull(v.getDbTimeShare());
    assertEquals(
        1.0, meters.counter("iris.feature.snapshot.timeouts", "context", "missing").count());
  }

  @Test
  void theWaitCountsFromASnapshotsLastProgressNotItsFirst() {
    snapshots.pipeInput("45:1", snapshot(45, 1, 5.0));
    observe(observation(45, 1, 0, 2, "tA", "sqlA", 600));
    driver.advanceWallClockTime(WAIT.minusSeconds(5));
    // Still arriving (a lagging partition during a backfill): the wait starts again.
    plans.pipeInput("45:sqlZ:1", TestInputs.plan(45, "sqlZ", 1));
    snapshots.pipeInput("45:1", snapshot(45, 1, 5.0));
    driver.advanceWallClockTime(Duration.ofSeconds(10));
    assertTrue(features.isEmpty(), "cut off although it made progress within the wait");
    observe(observation(45, 1, 1, 2, "tB", "sqlB", 300));
    assertEquals(
        List.of("tA", "tB"), features.readKeyValuesToList().stream().map(kv -> kv.key).toList());
    assertEquals(
        0.0, meters.counter("iris.feature.snapshot.timeouts", "context", "present").count());
  }

  @Test
  void stragglersAfterTheWaitGetRowsOfTheirOwnButATemplateNeverASecondRow() {
    snapshots.pipeInput("46:1", snapshot(46, 1, 5.0));
    observe(observation(46, 1, 0, 4, "tA", "sqlA1", 600));
    observe(observation(46, 1, 1, 4, "tB", "sqlB", 300));
    driver.advanceWallClockTime(WAIT.plusSeconds(5));
    assertEquals(
        List.of("tA", "tB"), features.readKeyValuesToList().stream().map(kv -> kv.key).toList());
    assertEquals(
        1.0, meters.counter("iris.feature.snapshot.timeouts", "context", "present").count());

    // The rest of the snapshot comes late: another literal variant of tA, and a new template tC.
    observe(observation(46, 1, 2, 4, "tA", "sqlA2", 100));
    observe(observation(46, 1, 3, 4, "tC", "sqlC", 50));
    List<KeyValue<String, FeatureVector>> late = features.readKeyValuesToList();
    assertEquals(List.of("tC"), late.stream().map(kv -> kv.key).toList(), "tA has its row already");
    assertEquals(5.0, late.get(0).value.getHostCpuUtilizationPct(), "the snapshot's context kept");
    assertEquals(1.0, meters.counter("iris.feature.late.observations").count());
    assertTrue(store(FeatureTopology.PROGRESS).isEmpty(), "every statement seen: forgotten");
    assertTrue(store(FeatureTopology.CONTEXTS).isEmpty());
    assertTrue(store(FeatureTopology.PENDING).isEmpty());
  }

  @Test
  void aSnapshotBegunBeforeARestartIsEmittedWholeFromTheStore() {
    // The joiner of a restarted task: the same stores, nothing in memory.
    MockProcessorContext<String, FeatureVector> context = joinerContext();
    FeatureJoiner before = joiner(context, FeatureJoiner.MAX_HELD);
    before.process(input(observation(47, 1, 0, 3, "tA", "sqlA1", 100)));
    before.process(input(observation(47, 1, 1, 3, "tB", "sqlB", 10)));
    before.close();

    FeatureJoiner after = joiner(context, FeatureJoiner.MAX_HELD);
    after.process(input(observation(47, 1, 2, 3, "tA", "sqlA2", 900)));
    assertTrue(context.forwarded().isEmpty(), "waiting for the system metrics");
    after.process(input(snapshot(47, 1, 50.0)));
    Map<String, FeatureVector> out = new java.util.HashMap<>();
    context.forwarded().forEach(f -> out.put(f.record().key(), f.record().value()));
    assertEquals(Set.of("tA", "tB"), out.keySet());
    assertEquals(20L, out.get("tA").getExecutions(), "both variants, one read back from the store");
    assertEquals(1000.0 / 20, out.get("tA").getElapsedPerExecUs(), 1e-9);
    KeyValueStore<String, byte[]> pending = context.getStateStore(FeatureTopology.PENDING);
    try (var left = pending.all()) {
      assertFalse(left.hasNext(), "nothing left waiting");
    }
  }

  private FeatureJoiner joiner(MockProcessorContext<String, FeatureVector> context, int maxHeld) {
    FeatureJoiner joiner =
        new FeatureJoiner(
            WAIT, new FeatureMetrics(meters), serdes.observations().deserializer(), maxHeld);
    joiner.init(context);
    return joiner;
  }

  @Test
  void snapshotsBeyondWhatIsHeldInMemoryAreEmittedWholeFromTheStore() {
    MockProcessorContext<String, FeatureVector> context = joinerContext();
    FeatureJoiner joiner = joiner(context, 2);
    // Three snapshots whose system metrics are late: only the first is held decoded.
    for (int snap = 1; snap <= 3; snap++) {
      joiner.process(input(observation(48, snap, 0, 2, "tA", "sqlA1", 100)));
      joiner.process(input(observation(48, snap, 1, 2, "tA", "sqlA2", 900)));
    }
    assertEquals(2, joiner.held(), "the cap, not every waiting observation");
    for (int snap = 1; snap <= 3; snap++) {
      joiner.process(input(snapshot(48, snap, 50.0)));
    }
    List<FeatureVector> out =
        context.forwarded().stream().<FeatureVector>map(f -> f.record().value()).toList();
    assertEquals(List.of(1L, 2L, 3L), out.stream().map(FeatureVector::getSnapId).toList());
    assertTrue(out.stream().allMatch(v -> v.getExecutions() == 20L), "both variants each time");
    assertEquals(0, joiner.held());
  }

  /** A context for a {@link FeatureJoiner} alone, with the topology's stores in memory. */
  private MockProcessorContext<String, FeatureVector> joinerContext() {
    MockProcessorContext<String, FeatureVector> context = new MockProcessorContext<>();
    context.setCurrentSystemTimeMs(TestInputs.T0.toEpochMilli());
    inMemory(context, FeatureTopology.CONTEXTS, serdes.snapshots());
    inMemory(context, FeatureTopology.PENDING, Serdes.ByteArray());
    inMemory(context, FeatureTopology.PROGRESS, JsonSerde.of(SnapshotWait.class));
    inMemory(context, FeatureTopology.PLANS, serdes.plans());
    inMemory(context, FeatureTopology.WORKLOADS, serdes.workloads());
    return context;
  }

  private static <V> void inMemory(
      MockProcessorContext<String, FeatureVector> context, String name, Serde<V> values) {
    KeyValueStore<String, V> store =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
  }

  private Record<String, FeatureTopology.Input> input(SpecificRecord value) {
    byte[] bytes =
        value instanceof AwrSnapshot s
            ? serdes.snapshots().serializer().serialize(Topics.AWR_SNAPSHOTS.name(), s)
            : serdes
                .observations()
                .serializer()
                .serialize(Topics.SQL_TEMPLATES.name(), (TemplateObservation) value);
    return new Record<>("47", new FeatureTopology.Input(value, bytes), 0L);
  }

  @Test
  void systemMetricsOfASnapshotWithoutStatementsAreForgottenAfterTheWait() {
    snapshots.pipeInput("44:1", snapshot(44, 1, 5.0));
    assertFalse(store(FeatureTopology.CONTEXTS).isEmpty());
    driver.advanceWallClockTime(WAIT.plusSeconds(5));
    assertTrue(store(FeatureTopology.CONTEXTS).isEmpty());
    assertTrue(store(FeatureTopology.PROGRESS).isEmpty());
    assertTrue(features.isEmpty());
  }

  @Test
  void aRecordThatIsNotAnObservationGoesToTheDeadLetterTopicAndTheJoinGoesOn() {
    rawObservations.pipeInput("bad", new byte[] {0, 0, 0, 0, 9, 1, 2});
    DeadLetter letter = deadObservations.readValue();
    assertEquals(Topics.SQL_TEMPLATES.name(), letter.getSourceTopic());
    assertEquals("feature", letter.getService());
    assertEquals(1.0, meters.counter("iris.feature.dead.letters").count());
    snapshots.pipeInput("42:1", snapshot(42, 8, 1.0));
    observe(observation(42, 8, 0, 1, "tA", "sqlA", 600));
    assertEquals("tA", features.readKeyValue().key);
  }

  private List<?> store(String name) {
    KeyValueStore<String, Object> store = driver.getKeyValueStore(name);
    List<Object> keys = new java.util.ArrayList<>();
    try (var all = store.all()) {
      all.forEachRemaining(kv -> keys.add(kv.key));
    }
    return keys;
  }
}
