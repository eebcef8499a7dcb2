package io.iris.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.platform.IrisConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Lag in records and in seconds on the real broker, and {@code ./iris lag}'s output. */
@ExtendWith(LocalInfraExtension.class)
class ConsumerLagTest {
  @Test
  void lagIsReportedInRecordsAndInTheAgeOfTheOldestUnconsumedRecord(LocalInfra infra)
      throws Exception {
    String topic = "lag-" + UUID.randomUUID();
    String behind = "behind-" + topic;
    String caughtUp = "caught-up-" + topic;
    Map<String, Object> kafka =
        new HashMap<>(Map.of("bootstrap.servers", infra.bootstrapServers()));
    Instant now = Instant.now();
    long base = now.minusSeconds(300).toEpochMilli();
    try (Admin admin = Admin.create(kafka);
        KafkaProducer<String, String> producer =
            new KafkaProducer<>(kafka, new StringSerializer(), new StringSerializer())) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      for (int i = 0; i < 10; i++) {
        // Record i was written 300 - i seconds ago.
        producer.send(new ProducerRecord<>(topic, 0, base + i * 1000L, "k", "v" + i)).get();
      }
    }
    TopicPartition tp = new TopicPartition(topic, 0);
    commit(kafka, behind, tp, 4);
    commit(kafka, caughtUp, tp, 10);

    Map<String, Object> consumer = new HashMap<>(kafka);
    consumer.put("group.id", "unused");
    List<ConsumerLag.Row> rows =
        ConsumerLag.of(kafka, consumer, Optional.empty(), now).stream()
            .filter(r -> r.partition().equals(tp))
            .toList();
    assertEquals(2, rows.size(), rows.toString());
    ConsumerLag.Row late =
        rows.stream().filter(r -> r.group().equals(behind)).findFirst().orElseThrow();
    assertEquals(4, late.committed());
    assertEquals(6, late.lag());
    assertEquals(296.0, late.seconds().orElseThrow(), 0.01, "the age of record 4");
    ConsumerLag.Row current =
        rows.stream().filter(r -> r.group().equals(caughtUp)).findFirst().orElseThrow();
    assertEquals(0, current.lag());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    IrisConfig config = new IrisConfig(Map.of());
    int code =
        Launcher.lag(
            new String[] {"--bootstrap-server", infra.bootstrapServers(), "--group", behind},
            config,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertTrue(printed.contains("LAG SECONDS"), printed);
    assertTrue(printed.lines().anyMatch(l -> l.startsWith(behind) && l.contains(" 6 ")), printed);
    assertTrue(printed.lines().noneMatch(l -> l.startsWith(caughtUp)), "only the group asked for");
    assertEquals(
        2,
        Launcher.lag(
            new String[] {"--partitions", "3"},
            config,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)));
  }

  private static void commit(
      Map<String, Object> kafka, String group, TopicPartition tp, long offset) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put("group.id", group);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.commitSync(Map.of(tp, new OffsetAndMetadata(offset)));
    }
  }
}
