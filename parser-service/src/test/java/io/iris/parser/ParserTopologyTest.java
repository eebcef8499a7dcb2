package io.iris.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.Readiness;
import io.iris.platform.DeadLetters;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.DeadLetter;
import io.iris.schemas.avro.ParseMode;
import io.iris.schemas.avro.StatementType;
import io.iris.schemas.avro.TemplateObservation;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.serde.AvroDeserializer;
import io.iris.schemas.serde.AvroSerializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The topology in TopologyTestDriver, with the real registry for the Confluent serdes. */
@ExtendWith(LocalInfraExtension.class)
class ParserTopologyTest {
  private TopologyTestDriver driver;
  private StatementParser parser;
  private TestInputTopic<String, AwrSnapshot> snapshots;
  private TestInputTopic<String, byte[]> raw;
  private TestOutputTopic<String, TemplateObservation> templates;
  private TestOutputTopic<String, DeadLetter> deadLetters;
  private SimpleMeterRegistry meters;

  @BeforeEach
  void start(LocalInfra infra) {
    Map<String, Object> serde = Map.of(RegistryConfig.URL, infra.schemaRegistryUrl());
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serde));
    parser = new StatementParser(Duration.ofSeconds(2), 1);
    SnapshotTemplater templater = new SnapshotTemplater(parser, 100);
    meters = new SimpleMeterRegistry();
    Serde<TemplateObservation> observations = Topics.SQL_TEMPLATES.valueSerde(registry, serde);
    Serde<DeadLetter> dead = Topics.deadLetter(Topics.AWR_SNAPSHOTS).valueSerde(registry, serde);
    StreamsBuilder builder = new StreamsBuilder();
    ParserTopology.build(
        builder,
        templater,
        new AvroDeserializer<>(registry, AwrSnapshot.class),
        observations,
        dead,
        new ParserMetrics(meters, templater.statementCache()));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "parser-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(builder.build(), props);
    snapshots =
        driver.createInputTopic(
            Topics.AWR_SNAPSHOTS.name(),
            new StringSerializer(),
            new AvroSerializer<>(registry, serde, false));
    raw =
        driver.createInputTopic(
            Topics.AWR_SNAPSHOTS.name(), new StringSerializer(), new ByteArraySerializer());
    templates =
        driver.createOutputTopic(
            Topics.SQL_TEMPLATES.name(), new StringDeserializer(), observations.deserializer());
    deadLetters =
        driver.createOutputTopic(
            Topics.deadLetter(Topics.AWR_SNAPSHOTS).name(),
            new StringDeserializer(),
            dead.deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
    parser.close();
  }

  @Test
  void everyStatementBecomesOneObservationKeyedByItsTemplate() {
    snapshots.pipeInput(
        "42:1",
        Snapshots.snapshot(
            "db",
            7,
            List.of(
                "select * from orders where id = 1",
                "SELECT * FROM orders WHERE id = :B1",
                "begin pkg.proc(:1, 'x'); end;")));
    List<TestRecord<String, TemplateObservation>> out = templates.readRecordsToList();
    assertEquals(3, out.size());
    for (int i = 0; i < 3; i++) {
      TemplateObservation o = out.get(i).value();
      assertEquals(o.getTemplateId(), out.get(i).key());
      assertEquals(i, o.getStatementIndex());
      assertEquals(3, o.getStatementsInSnapshot());
      assertEquals(7, o.getSnapshot().getSnapId());
      assertEquals("t1", o.getTemplateVersion());
      assertEquals(10L, o.getStats().getExecutions());
    }
    assertEquals(out.get(0).key(), out.get(1).key(), "a literal and a bind give one template");
    assertEquals(StatementType.PLSQL, out.get(2).value().getStatementType());
    assertEquals(ParseMode.FULL, out.get(0).value().getParseMode());
    assertTrue(deadLetters.isEmpty());
    assertEquals(1.0, meters.get("iris.parser.snapshots").counter().count());
    assertEquals(3.0, meters.get("iris.parser.cache.misses").functionCounter().count());
    snapshots.pipeInput(
        "42:1", Snapshots.snapshot("db", 8, List.of("select * from orders where id = 1")));
    assertEquals(
        1.0,
        meters.get("iris.parser.cache.hits").functionCounter().count(),
        "AWR repeats a sql_id");
  }

  @Test
  void aSnapshotIsNotBlamedForARegistryThatDoesNotAnswer(LocalInfra infra) {
    Map<String, Object> serde = Map.of(RegistryConfig.URL, infra.schemaRegistryUrl());
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serde));
    byte[] valid =
        new AvroSerializer<AwrSnapshot>(registry, serde, false)
            .serialize(
                Topics.AWR_SNAPSHOTS.name(),
                Snapshots.snapshot("db", 9, List.of("select 1 from dual")));
    Map<String, Object> unreachable =
        Map.of(
            RegistryConfig.URL,
            "http://127.0.0.1:" + Readiness.freePort(),
            RegistryConfig.MAX_RETRIES,
            "0");
    Serde<DeadLetter> dead = Topics.deadLetter(Topics.AWR_SNAPSHOTS).valueSerde(registry, serde);
    StreamsBuilder builder = new StreamsBuilder();
    SnapshotTemplater templater = new SnapshotTemplater(parser, 100);
    ParserTopology.build(
        builder,
        templater,
        new AvroDeserializer<>(
            new SchemaRegistryClient(RegistryConfig.from(unreachable)), AwrSnapshot.class),
        Topics.SQL_TEMPLATES.valueSerde(registry, serde),
        dead,
        new ParserMetrics(new SimpleMeterRegistry(), templater.statementCache()));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "parser-test-unreachable");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try (TopologyTestDriver unavailable = new TopologyTestDriver(builder.build(), props)) {
      TestInputTopic<String, byte[]> in =
          unavailable.createInputTopic(
              Topics.AWR_SNAPSHOTS.name(), new StringSerializer(), new ByteArraySerializer());
      StreamsException failed =
          assertThrows(StreamsException.class, () -> in.pipeInput("42:1", valid));
      assertTrue(DeadLetters.registryUnavailable(failed), failed::toString);
      assertTrue(
          unavailable
              .createOutputTopic(
                  Topics.deadLetter(Topics.AWR_SNAPSHOTS).name(),
                  new StringDeserializer(),
                  dead.deserializer())
              .isEmpty(),
          "no dead letter: the snapshot is read again once the registry answers");
    }
  }

  @Test
  void aPurgedTextIsKeptWithAMarkerTemplate() {
    snapshots.pipeInput(
        "42:1", Snapshots.snapshot("db", 8, Arrays.asList("select 1 from dual", null)));
    List<TemplateObservation> out = templates.readValuesToList();
    assertEquals(2, out.size());
    assertTrue(out.get(1).getTemplateText().contains("purged"), out.get(1).getTemplateText());
    assertEquals(StatementType.SELECT, out.get(1).getStatementType());
  }

  @Test
  void anUndecodableRecordBecomesADeadLetterAndTheStreamGoesOn() {
    raw.pipeInput("42:1", "not avro at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    raw.pipeInput("42:1", null);
    snapshots.pipeInput("42:1", Snapshots.snapshot("db", 9, List.of("select a from b")));
    List<DeadLetter> dead = deadLetters.readValuesToList();
    assertEquals(2, dead.size());
    assertEquals(Topics.AWR_SNAPSHOTS.name(), dead.get(0).getSourceTopic());
    assertEquals("parser", dead.get(0).getService());
    assertTrue(dead.get(0).getErrorMessage().contains("magic byte"), dead.get(0).getErrorMessage());
    assertEquals(
        "not avro at all",
        java.nio.charset.StandardCharsets.UTF_8.decode(dead.get(0).getValue()).toString());
    assertEquals(0, dead.get(0).getOffset());
    assertTrue(dead.get(1).getErrorMessage().contains("tombstone"));
    assertEquals(1, templates.readValuesToList().size(), "the next snapshot is templated");
    assertEquals(2.0, meters.get("iris.parser.dead.letters").counter().count());
  }

  @Test
  void badTextsStillGiveTemplates() {
    String deep = "SELECT " + "(".repeat(10_000) + "1" + ")".repeat(10_000) + " FROM dual";
    StringBuilder chain = new StringBuilder("SELECT * FROM t WHERE a = 1");
    for (int i = 0; i < 10_000; i++) {
      chain.append(" AND c").append(i).append(" = ").append(i);
    }
    StringBuilder big = new StringBuilder("SELECT * FROM t WHERE x IN (");
    while (big.length() < 1_000_000) {
      big.append(big.length()).append(',');
    }
    big.append("1)");
    snapshots.pipeInput(
        "42:1",
        Snapshots.snapshot(
            "db",
            10,
            List.of(
                "",
                "   ",
                "SELECT\0x",
                "SELECT '\uD800",
                deep,
                chain.toString(),
                big.toString(),
                "SELECT * FROM t WHERE s = 'cut",
                "SELECT a /* cut")));
    List<TemplateObservation> out = templates.readValuesToList();
    assertEquals(9, out.size());
    assertEquals(ParseMode.LEXICAL, out.get(4).getParseMode());
    assertTrue(deadLetters.isEmpty());
  }
}
