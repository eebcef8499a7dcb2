package io.iris.platform;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far behind each consumer is in time. Offset lag says little for a feed that moves every 15
 * minutes, so this consumer interceptor, set on every IRIS consumer (Kafka Streams' included) by
 * {@link KafkaSettings}, notes per group and partition the timestamp of the newest record read and
 * when it was read; {@link ServiceMetrics} publishes them as {@code
 * iris_consumer_record_age_seconds} and {@code iris_consumer_idle_seconds}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ConsumerProgress<K, V> implements ConsumerInterceptor<K, V> {
  /** One group's partition. */
  public record Position(String group, String topic, int partition) {}

  /** What one group last read of one partition (epoch milliseconds). */
  public static final class Progress {
    private volatile long newestTimestamp = -1;
    private volatile long lastReadAt = -1;

    /** Seconds from the newest record's timestamp to {@code now}; NaN before the first record. */
    public double recordAgeSeconds(long now) {
      return newestTimestamp < 0 ? Double.NaN : (now - newestTimestamp) / 1000.0;
    }

    /** Seconds since a record was last read; NaN before the first. */
    public double idleSeconds(long now) {
      return lastReadAt < 0 ? Double.NaN : (now - lastReadAt) / 1000.0;
    }
  }

  private static final Map<Position, Progress> PROGRESS = new ConcurrentHashMap<>();

  private String group = "";

  /** Every group and partition this JVM's consumers have read. */
  public static Map<Position, Progress> all() {
    return PROGRESS;
  }

  @Override
  public void configure(Map<String, ?> configs) {
    Object id = configs.get(ConsumerConfig.GROUP_ID_CONFIG);
    group = id == null ? "" : id.toString();
  }

  @Override
  public ConsumerRecords<K, V> onConsume(ConsumerRecords<K, V> records) {
    long now = System.currentTimeMillis();
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<K, V>> read = records.records(tp);
      long newest = read.get(read.size() - 1).timestamp();
      Progress p =
          PROGRESS.computeIfAbsent(
              new Position(group, tp.topic(), tp.partition()), k -> new Progress());
      p.newestTimestamp = Math.max(p.newestTimestamp, newest);
      p.lastReadAt = now;
    }
    return records;
  }

  @Override
  public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

  @Override
  public void close() {}
}
