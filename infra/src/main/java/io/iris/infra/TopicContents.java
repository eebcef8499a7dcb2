package io.iris.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a topic holds right now, read from the beginning to the end, for tests to check. */
public final class TopicContents {
  private TopicContents() {}

  /**
   * The records of {@code topic} whose value passes {@code keep}: only committed ones with {@code
   * committedOnly}, else also those of open or aborted transactions.
   */
  public static <V> List<ConsumerRecord<String, V>> read(
      String bootstrapServers,
      String topic,
      Deserializer<V> values,
      boolean committedOnly,
      Predicate<V> keep) {
    List<ConsumerRecord<String, V>> records = new ArrayList<>();
    forEach(
        bootstrapServers,
        topic,
        values,
        committedOnly,
        r -> {
          if (keep.test(r.value())) {
            records.add(r);
          }
        });
    return records;
  }

  /**
   * Hands each record of {@code topic} up to its current end to {@code each} without keeping it,
   * for topics too large to hold: only committed ones with {@code committedOnly}. Returns how many
   * there were.
   */
  public static <V> long forEach(
      String bootstrapServers,
      String topic,
      Deserializer<V> values,
      boolean committedOnly,
      Consumer<ConsumerRecord<String, V>> each) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("isolation.level", committedOnly ? "read_committed" : "read_uncommitted");
    config.put("max.partition.fetch.bytes", 64 * 1024 * 1024);
    long count = 0;
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), values)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic)) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
          each.accept(r);
          count++;
        }
      }
    }
    return count;
  }

  /**
   * Starts {@code mainClass} from this JVM's classpath in a JVM of its own, output appended to
   * {@code log}.
   */
  public static Process startJvm(
      Class<?> mainClass, Map<String, String> env, java.nio.file.Path log)
      throws java.io.IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Executables.currentJava().toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass.getName())
            .redirectErrorStream(true)
            // Appended: a restarted service's log follows the one it had before.
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    builder.environment().putIfAbsent("IRIS_HTTP_PORT", Integer.toString(Readiness.freePort()));
    return builder.start();
  }
}
