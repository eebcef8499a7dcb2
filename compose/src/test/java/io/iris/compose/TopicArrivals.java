package io.iris.compose;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When a topic's records become readable: a reader of its own (no consumer group, read_committed,
 * nothing decoded) that counts records and their bytes as they arrive, with the time of each poll
 * that brought some, so a stage's throughput can be read off its output topic.
 */
final class TopicArrivals implements AutoCloseable {
  /** {@code count} records had arrived by {@code nanos} ({@link System#nanoTime()}). */
  record Sample(long nanos, long count) {}

  private final String topic;
  private final Thread reader;
  private final List<Sample> samples = new ArrayList<>();
  private volatile boolean stopped;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private volatile long cpuNanos;
  private volatile RuntimeException failure;

  private TopicArrivals(String topic, Map<String, Object> config) {
    this.topic = topic;
    this.reader = new Thread(() -> read(config), "arrivals-" + topic);
    reader.setDaemon(true);
  }

  /** Starts reading {@code topic} from its beginning. */
  static TopicArrivals watch(String bootstrapServers, String topic) {
    TopicArrivals arrivals =
        new TopicArrivals(
            topic,
            Map.of(
                "bootstrap.servers",
                bootstrapServers,
                "isolation.level",
                "read_committed",
                "enable.auto.commit",
                false,
                "max.partition.fetch.bytes",
                64 * 1024 * 1024));
    arrivals.reader.start();
    return arrivals;
  }

  private void read(Map<String, Object> config) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!stopped) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty()) {
          continue;
        }
        long now = System.nanoTime();
        long size = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
          size += r.serializedKeySize() + r.serializedValueSize();
        }
        bytes.addAndGet(size);
        long total = count.addAndGet(records.count());
        synchronized (samples) {
          samples.add(new Sample(now, total));
        }
      }
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      cpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
  }

  String topic() {
    return topic;
  }

  /** Records arrived so far. */
  long count() {
    check();
    return count.get();
  }

  /** Their serialized keys and values, uncompressed. */
  long bytes() {
    return bytes.get();
  }

  /** When the first record arrived, if one did. */
  OptionalLong first() {
    synchronized (samples) {
      return samples.isEmpty() ? OptionalLong.empty() : OptionalLong.of(samples.getFirst().nanos());
    }
  }

  /** When the last record so far arrived, if one did. */
  OptionalLong last() {
    synchronized (samples) {
      return samples.isEmpty() ? OptionalLong.empty() : OptionalLong.of(samples.getLast().nanos());
    }
  }

  /** When at least {@code records} had arrived, if they have. */
  OptionalLong reached(long records) {
    synchronized (samples) {
      for (Sample s : samples) {
        if (s.count() >= records) {
          return OptionalLong.of(s.nanos());
        }
      }
    }
    return OptionalLong.empty();
  }

  /** The reader's own CPU time, once closed. */
  Duration cpu() {
    return Duration.ofNanos(cpuNanos);
  }

  private void check() {
    if (failure != null) {
      throw new IllegalStateException("reading " + topic + " failed", failure);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    reader.join(10_000);
    check();
  }
}
