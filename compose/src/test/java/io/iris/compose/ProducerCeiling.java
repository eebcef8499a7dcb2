package io.iris.compose;

import io.iris.platform.IrisConfig;
import io.iris.platform.KafkaSettings;
import io.iris.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the broker takes from one producer with the services' producer settings (idempotent,
 * acks=all, zstd, linger 20 ms; no transaction): records copied from a topic the pipeline wrote, so
 * their size and compressibility are the pipeline's, sent as fast as the producer sends them to a
 * topic of the same partitions and configs. The ceiling a stage writing that topic cannot beat.
 */
final class ProducerCeiling {
  /** {@code records} of {@code bytes} (keys and values, uncompressed) sent in {@code took}. */
  record Result(
      String copyOf,
      long records,
      long bytes,
      Duration took,
      Duration brokerCpu,
      Duration producerJvmCpu) {
    double recordsPerSecond() {
      return records / seconds();
    }

    double megabytesPerSecond() {
      return bytes / 1e6 / seconds();
    }

    private double seconds() {
      return took.toNanos() / 1e9;
    }
  }

  private ProducerCeiling() {}

  /**
   * Sends {@code records} records, cycling through the first {@code sample} records of {@code
   * source}, to a new topic like it; {@code producerConfig} adds to the services' settings. Empty
   * when {@code source} is.
   */
  static Optional<Result> measure(
      String bootstrapServers,
      Topic<?> source,
      int sample,
      long records,
      Map<String, Object> producerConfig,
      long brokerPid)
      throws Exception {
    List<ConsumerRecord<byte[], byte[]>> copies = sample(bootstrapServers, source.name(), sample);
    if (copies.isEmpty()) {
      return Optional.empty();
    }
    String target = "bench.ceiling." + source.name();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(target, source.defaultPartitions(), (short) 1)
                      .configs(source.configs())))
          .all()
          .get(30, TimeUnit.SECONDS);
      // Every partition's leader serving before the first send: an idempotent producer whose
      // first batch meets a partition not yet led retries out-of-order sequences for good.
      Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
      for (int p = 0; p < source.defaultPartitions(); p++) {
        partitions.put(new TopicPartition(target, p), OffsetSpec.latest());
      }
      admin.listOffsets(partitions).all().get(60, TimeUnit.SECONDS);
    }
    Map<String, Object> config =
        new HashMap<>(
            new KafkaSettings(
                    new IrisConfig(Map.of("IRIS_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers)),
                    "ceiling")
                .producer(null));
    config.putAll(producerConfig);
    AtomicReference<Exception> failure = new AtomicReference<>();
    Callback failed =
        (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        };
    long bytes = 0;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      // The new topic's leaders elected, connections open and the producer warm before the clock
      // starts: the sample sent once.
      for (ConsumerRecord<byte[], byte[]> copy : copies) {
        producer.send(new ProducerRecord<>(target, copy.key(), copy.value()), failed);
      }
      producer.flush();
      Duration brokerBefore = ProcessCpu.ofTree(brokerPid);
      Duration jvmBefore = ProcessCpu.ofThisJvm();
      long started = System.nanoTime();
      for (long i = 0; i < records; i++) {
        ConsumerRecord<byte[], byte[]> copy = copies.get((int) (i % copies.size()));
        bytes += copy.serializedKeySize() + copy.serializedValueSize();
        producer.send(new ProducerRecord<>(target, copy.key(), copy.value()), failed);
      }
      producer.flush();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      if (failure.get() != null) {
        throw failure.get();
      }
      return Optional.of(
          new Result(
              source.name(),
              records,
              bytes,
              took,
              ProcessCpu.ofTree(brokerPid).minus(brokerBefore),
              ProcessCpu.ofThisJvm().minus(jvmBefore)));
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> sample(
      String bootstrapServers, String topic, int size) {
    List<ConsumerRecord<byte[], byte[]>> sample = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                bootstrapServers,
                "isolation.level",
                "read_committed",
                "max.partition.fetch.bytes",
                64 * 1024 * 1024),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (sample.size() < size
          && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (sample.size() < size) {
            sample.add(r);
          }
        }
      }
    }
    return sample;
  }
}
