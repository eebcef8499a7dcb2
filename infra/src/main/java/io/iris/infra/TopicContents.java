package io.iris.infra;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a topic holds right now, read from the beginning to the end: for tests to check, and for the
 * summary {@code ./iris up} prints.
 */
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
    List<ConsumerRecord<String, V>> records = new ArrayList<>();
    forEach(
        config,
        topic,
        values,
        Instant.MAX,
        r -> {
          if (keep.test(r.value())) {
            records.add(r);
          }
        });
    return records;
  }

  /**
   * Hands {@code each} every record of {@code topic}, from the beginning to the end it has now, one
   * at a time (a large topic is never held in memory). {@code consumerConfig} says how to reach the
   * cluster and which records to see ({@code isolation.level}); its group is not joined and nothing
   * is committed.
   *
   * @return false when {@code deadline} passed before the end was reached
   */
  public static <V> boolean forEach(
      Map<String, Object> consumerConfig,
      String topic,
      Deserializer<V> values,
      Instant deadline,
      Consumer<ConsumerRecord<String, V>> each) {
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.remove(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024 * 1024);
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
        if (Instant.now().isAfter(deadline)) {
          return false;
        }
        consumer.poll(Duration.ofMillis(200)).forEach(each);
      }
    }
    return true;
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
