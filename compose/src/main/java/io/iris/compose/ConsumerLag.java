package io.iris.compose;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumer groups' lag per partition, in records and in seconds: like {@code kafka-consumer-groups
 * --describe}, plus the age of the oldest record a group has not consumed yet (read at its
 * committed offset). Offset lag says little for a feed that moves every 15 minutes; the age says
 * how late the group is. Works against any cluster the admin settings reach.
 */
final class ConsumerLag {
  /** One group's partition; {@code seconds} is empty when nothing is waiting. */
  record Row(
      String group, TopicPartition partition, long committed, long end, Optional<Double> seconds) {
    long lag() {
      return Math.max(0, end - committed);
    }

    /**
     * Records the group has yet to read: none when only transaction markers follow its offset
     * (their age is 0).
     */
    long recordsWaiting() {
      return seconds.isPresent() && seconds.get() == 0.0 ? 0 : lag();
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ConsumerLag() {}

  /**
   * Every group's (or only {@code group}'s) partitions. {@code consumer} reads the oldest
   * unconsumed records (it joins no group and commits nothing).
   */
  static List<Row> of(
      Map<String, Object> admin, Map<String, Object> consumer, Optional<String> group, Instant now)
      throws Exception {
    return of(admin, consumer, g -> group.isEmpty() || group.get().equals(g), now);
  }

  /** The partitions of the groups {@code wanted} accepts. */
  static List<Row> of(
      Map<String, Object> admin,
      Map<String, Object> consumer,
      Predicate<String> wanted,
      Instant now)
      throws Exception {
    List<Row> rows = new ArrayList<>();
    try (Admin kafka = Admin.create(admin)) {
      List<String> groups = new ArrayList<>();
      for (GroupListing listing : kafka.listGroups().all().get(10, TimeUnit.SECONDS)) {
        if (wanted.test(listing.groupId())) {
          groups.add(listing.groupId());
        }
      }
      groups.sort(null);
      for (String g : groups) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            kafka
                .listConsumerGroupOffsets(g)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
            kafka.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        for (TopicPartition tp : committed.keySet()) {
          long at = committed.get(tp) == null ? 0 : committed.get(tp).offset();
          long end = ends.get(tp).offset();
          rows.add(new Row(g, tp, at, end, Optional.empty()));
        }
      }
    }
    Map<TopicPartition, Map<Long, Long>> timestamps = oldestTimestamps(consumer, rows);
    List<Row> withSeconds = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Long timestamp =
          r.lag() == 0 ? null : timestamps.getOrDefault(r.partition(), Map.of()).get(r.committed());
      withSeconds.add(
          new Row(
              r.group(),
              r.partition(),
              r.committed(),
              r.end(),
              timestamp == null
                  ? Optional.empty()
                  : Optional.of(
                      timestamp < 0 ? 0.0 : Math.max(0, now.toEpochMilli() - timestamp) / 1000.0)));
    }
    withSeconds.sort(
        Comparator.comparing(Row::group)
            .thenComparing(r -> r.partition().topic())
            .thenComparingInt(r -> r.partition().partition()));
    return withSeconds;
  }

  /**
   * The timestamp of the first committed record at or after each lagging row's committed offset, by
   * partition and offset (several groups may wait at different offsets of one partition); -1 when
   * only transaction markers follow it.
   */
  private static Map<TopicPartition, Map<Long, Long>> oldestTimestamps(
      Map<String, Object> consumerConfig, Collection<Row> rows) {
    Map<TopicPartition, Map<Long, Long>> found = new HashMap<>();
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.remove(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (Row r : rows) {
        if (r.lag() == 0
            || found.getOrDefault(r.partition(), Map.of()).containsKey(r.committed())) {
          continue;
        }
        consumer.assign(List.of(r.partition()));
        consumer.seek(r.partition(), r.committed());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
          List<ConsumerRecord<byte[], byte[]>> records =
              consumer.poll(Duration.ofMillis(200)).records(r.partition());
          if (!records.isEmpty()) {
            found
                .computeIfAbsent(r.partition(), tp -> new HashMap<>())
                .put(r.committed(), records.get(0).timestamp());
            break;
          }
          if (consumer.position(r.partition()) >= r.end()) {
            // Only transaction markers or aborted records left: nothing is waiting (-1).
            found.computeIfAbsent(r.partition(), tp -> new HashMap<>()).put(r.committed(), -1L);
            break;
          }
        }
      }
    }
    return found;
  }

  /** The table {@code ./iris lag} and {@code ./iris status} print. */
  static void print(List<Row> rows, PrintStream out) {
    out.printf(
        "%-30s %-42s %9s %10s %10s %8s %12s%n",
        "CONSUMER GROUP", "TOPIC", "PARTITION", "COMMITTED", "END", "LAG", "LAG SECONDS");
    if (rows.isEmpty()) {
      out.println("(none)");
    }
    for (Row r : rows) {
      out.printf(
          "%-30s %-42s %9d %10d %10d %8d %12s%n",
          r.group(),
          r.partition().topic(),
          r.partition().partition(),
          r.committed(),
          r.end(),
          r.lag(),
          r.seconds().map(s -> String.format("%.1f", s)).orElse(r.lag() == 0 ? "0" : "?"));
    }
  }
}
