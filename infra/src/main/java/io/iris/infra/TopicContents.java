package io.iris.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    return read(Map.of("bootstrap.servers", bootstrapServers), topic, values, committedOnly, keep);
  }

  /**
   * As {@link #read(String, String, Deserializer, boolean, Predicate)}, with the client settings
   * {@code client}: bootstrap servers and whatever else the broker needs (SASL, TLS).
   */
  public static <V> List<ConsumerRecord<String, V>> read(
      Map<String, Object> client,
      String topic,
      Deserializer<V> values,
      boolean committedOnly,
      Predicate<V> keep) {
    Map<String, Object> config = new HashMap<>(client);
    config.put("isolation.level", committedOnly ? "read_committed" : "read_uncommitted");
    config.put("max.partition.fetch.bytes", 64 * 1024 * 1024);
    List<ConsumerRecord<String, V>> records = new ArrayList<>();
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
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  if (keep.test(r.value())) {
                    records.add(r);
                  }
                });
      }
    }
    return records;
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
