package io.iris.compressor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.Readiness;
import io.iris.platform.DeadLetters;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.CostMetric;
import io.iris.schemas.avro.TemplateObservation;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalInfraExtension.class)
class CompressorTopologyTest {
  private static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
  private TopologyTestDriver driver;
  private TestInputTopic<String, TemplateObservation> in;
  private TestOutputTopic<String, CompressedWorkload> out;
  private TestInputTopic<String, byte[]> raw;
  private TestOutputTopic<String, io.iris.schemas.avro.DeadLetter> dead;

  private Map<String, Object> registry;

  @BeforeEach
  void start(LocalInfra infra, @TempDir Path state) {
    registry = Map.of(RegistryConfig.URL, infra.schemaRegistryUrl());
    driver = driver(registry, state);
  }

  /** The topology on a driver, reading the registry {@code serde} says, with the test's topics. */
  private TopologyTestDriver driver(Map<String, Object> serde, Path state) {
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serde));
    Serde<TemplateObservation> observations = Topics.SQL_TEMPLATES.valueSerde(registry, serde);
    Serde<CompressedWorkload> results = Topics.WORKLOAD_COMPRESSED.valueSerde(registry, serde);
    StreamsBuilder builder = new StreamsBuilder();
    CompressorTopology.build(
        builder,
        new CompressorSettings(
            2, 0, CostMetric.ELAPSED, Duration.ofHours(24), Duration.ofSeconds(60)),
        observations,
        results,
        Topics.deadLetter(Topics.SQL_TEMPLATES).valueSerde(registry, serde),
        () -> {});
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "compressor-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, T0);
    in =
        driver.createInputTopic(
            Topics.SQL_TEMPLATES.name(), new StringSerializer(), observations.serializer());
    out =
        driver.createOutputTopic(
            Topics.WORKLOAD_COMPRESSED.name(), new StringDeserializer(), results.deserializer());
    raw =
        driver.createInputTopic(
            Topics.SQL_TEMPLATES.name(),
            new StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer());
    dead =
        driver.createOutputTopic(
            Topics.deadLetter(Topics.SQL_TEMPLATES).name(),
            new StringDeserializer(),
            Topics.deadLetter(Topics.SQL_TEMPLATES).valueSerde(registry, serde).deserializer());
    return driver;
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void aCompleteSnapshotGivesOneResultKeyedByItsWorkload() {
    in.pipeInput("t1", TestObservations.of(42, 1, T0, 0, 3, "t1", "ORDERS", 600));
    in.pipeInput("t2", TestObservations.of(42, 1, T0, 1, 3, "t2", "ITEMS", 300));
    assertTrue(out.isEmpty(), "no half-snapshot result");
    in.pipeInput("t3", TestObservations.of(42, 1, T0, 2, 3, "t3", "USERS", 100));
    var results = out.readKeyValuesToList();
    assertEquals(1, results.size());
    assertEquals("42", results.get(0).key);
    CompressedWorkload w = results.get(0).value;
    assertEquals(3, w.getTotalTemplates());
    assertEquals(2, w.getRepresentatives().size());
    assertEquals(1000.0, w.getTotalCost(), 1e-9);
    assertEquals(
        1.0, w.getRepresentatives().stream().mapToDouble(r -> r.getCostShare()).sum(), 1e-9);
    assertEquals(1L, w.getTriggeringSnapId());
    assertEquals(0.9, w.getCoverage().getCostCoverage(), 1e-9);
  }

  @Test
  void anIncompleteSnapshotIsCompressedAfterItsTimeOut() {
    in.pipeInput("t1", TestObservations.of(7, 5, T0, 0, 3, "t1", "ORDERS", 600));
    in.pipeInput("t2", TestObservations.of(7, 5, T0, 1, 3, "t2", "ITEMS", 300));
    driver.advanceWallClockTime(Duration.ofSeconds(30));
    assertTrue(out.isEmpty());
    driver.advanceWallClockTime(Duration.ofSeconds(31));
    CompressedWorkload w = out.readValue();
    assertEquals(2, w.getTotalTemplates());
    assertTrue(out.isEmpty());
  }

  @Test
  void aResultIsStampedWithItsSnapshotsEndButNeverAheadOfTheClock() {
    Instant earlier = T0.minus(Duration.ofHours(1));
    in.pipeInput("t1", TestObservations.of(11, 1, earlier, 0, 1, "t1", "ORDERS", 600));
    assertEquals(earlier.toEpochMilli(), out.readRecord().timestamp());
    // AWR times three weeks ahead (a wrong source time zone): a broker would refuse the stamp.
    Instant ahead = T0.plus(Duration.ofDays(21));
    in.pipeInput("t1", TestObservations.of(11, 2, ahead, 0, 1, "t1", "ORDERS", 600));
    var record = out.readRecord();
    assertEquals(T0.toEpochMilli(), record.timestamp());
    assertEquals(ahead, record.value().getWindowEnd(), "the window still says when AWR says");
  }

  @Test
  void snapshotsOlderThanTheHorizonExpire() {
    in.pipeInput("old", TestObservations.of(9, 1, T0, 0, 1, "old", "ARCHIVE", 5000));
    assertEquals(1, out.readValue().getTotalTemplates());
    Instant later = T0.plus(Duration.ofHours(25));
    in.pipeInput("new", TestObservations.of(9, 2, later, 0, 1, "new", "ORDERS", 10));
    CompressedWorkload w = out.readValue();
    assertEquals(1, w.getTotalTemplates(), "the old template's only snapshot is beyond 24 h");
    assertEquals("new", w.getRepresentatives().get(0).getTemplateId());
    assertEquals(later, w.getWindowStart());
  }

  @Test
  void aTemplatesStoredWindowKeepsOnlyTheHorizon() {
    for (int hour = 0; hour < 100; hour++) {
      in.pipeInput(
          "t",
          TestObservations.of(42, hour + 1, T0.plus(Duration.ofHours(hour)), 0, 1, "t", "T", 10));
    }
    assertEquals(100, out.readValuesToList().size());
    KeyValueStore<String, WorkloadWindow> store =
        driver.getKeyValueStore(CompressorTopology.TEMPLATES);
    WorkloadWindow window = store.get("42|t");
    // The 25 hourly snapshots within 24 h of the newest, not all 100.
    assertEquals(T0.plus(Duration.ofHours(99 - 24)).toEpochMilli(), window.oldestBucket());
    assertEquals(25, window.buckets());
  }

  @Test
  void aRecordThatIsNotAnObservationBecomesADeadLetter() {
    raw.pipeInput("x", "garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    in.pipeInput("a", TestObservations.of(3, 1, T0, 0, 1, "a", "A", 10));
    var letter = dead.readValue();
    assertEquals("compressor", letter.getService());
    assertTrue(letter.getErrorMessage().contains("magic byte"), letter.getErrorMessage());
    assertEquals(1, out.readValuesToList().size(), "the stream goes on");
  }

  @Test
  void aRecordIsNotBlamedForARegistryThatDoesNotAnswer(@TempDir Path state) {
    // A valid observation, whose schema is registered, read where the registry is unreachable.
    in.pipeInput("a", TestObservations.of(3, 1, T0, 0, 1, "a", "A", 10));
    assertEquals(1, out.readValuesToList().size());
    driver.close();
    driver =
        driver(
            Map.of(
                RegistryConfig.URL,
                "http://127.0.0.1:" + Readiness.freePort(),
                RegistryConfig.MAX_RETRIES,
                "0"),
            state);
    byte[] valid =
        Topics.SQL_TEMPLATES
            .valueSerde(new SchemaRegistryClient(RegistryConfig.from(registry)), registry)
            .serializer()
            .serialize(
                Topics.SQL_TEMPLATES.name(), TestObservations.of(3, 1, T0, 1, 1, "b", "B", 10));
    StreamsException failed = assertThrows(StreamsException.class, () -> raw.pipeInput("b", valid));
    assertTrue(DeadLetters.registryUnavailable(failed), failed::toString);
    assertTrue(
        dead.isEmpty(), "no dead letter: the record is read again once the registry answers");
  }

  @Test
  void workloadsAreCompressedSeparately() {
    in.pipeInput("a", TestObservations.of(1, 1, T0, 0, 1, "a", "A", 10));
    in.pipeInput("b", TestObservations.of(2, 1, T0, 0, 1, "b", "B", 10));
    var results = out.readKeyValuesToList();
    assertEquals(List.of("1", "2"), results.stream().map(kv -> kv.key).toList());
    assertTrue(results.stream().allMatch(kv -> kv.value.getTotalTemplates() == 1));
  }
}
