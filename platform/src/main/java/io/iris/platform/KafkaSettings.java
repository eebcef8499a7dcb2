package io.iris.platform;

import io.iris.schemas.registry.RegistryConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka producer, consumer, admin and Streams settings for one service, in one place: the bootstrap
 * servers and pass-through security settings from {@code IRIS_KAFKA_*}, and the delivery guarantees
 * IRIS relies on.
 */
public final class KafkaSettings {
  private final IrisConfig config;
  private final String service;

  public KafkaSettings(IrisConfig config, String service) {
    this.config = config;
    this.service = service;
  }

  /** What every client gets: bootstrap servers and the {@code IRIS_KAFKA_*} pass-through. */
  public Map<String, Object> common() {
    return new HashMap<>(config.kafkaProperties());
  }

  public Map<String, Object> admin() {
    Map<String, Object> props = common();
    props.putIfAbsent("client.id", "iris-" + service + "-admin");
    return props;
  }

  /**
   * An idempotent producer that waits for all in-sync replicas; with {@code transactionalId} a
   * transactional one (exactly-once with the consumer offsets it commits).
   */
  public Map<String, Object> producer(String transactionalId) {
    Map<String, Object> props = common();
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "iris-" + service + "-producer");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
    if (transactionalId != null) {
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    return props;
  }

  /**
   * A consumer in {@code groupId} that reads only committed records and commits offsets itself
   * (after processing, or inside a producer transaction).
   */
  public Map<String, Object> consumer(String groupId) {
    Map<String, Object> props = common();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "iris-" + service + "-consumer");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ConsumerProgress.class.getName());
    return props;
  }

  /** Streams' commit interval unless {@code IRIS_KAFKA_COMMIT_INTERVAL_MS} says otherwise. */
  static final String COMMIT_INTERVAL_MS = "500";

  /**
   * A Kafka Streams application {@code applicationId} with exactly-once processing ({@code
   * exactly_once_v2}), a commit every 500 ms, and its state under {@code IRIS_STATE_DIR}.
   */
  public Properties streams(String applicationId) {
    Properties props = new Properties();
    props.putAll(common());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(
        StreamsConfig.STATE_DIR_CONFIG,
        Path.of(config.get(Settings.STATE_DIR)).resolve(service).toAbsolutePath().toString());
    props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "zstd");
    // Every commit is a transaction (offsets, outputs, changelogs, markers on each partition) and a
    // flush of the store caches. Streams' exactly-once default of 100 ms made the transactions
    // most of the broker's work in a backfill; 500 ms took a quarter off the pipeline's CPU per
    // observation (docs/PERFORMANCE.md), for up to half a second more latency per stage.
    props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
    props.put(
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG),
        ConsumerProgress.class.getName());
    return props;
  }

  /** Confluent serde settings: registry URL and credentials. */
  public Map<String, Object> serde() {
    Map<String, Object> props = new HashMap<>();
    props.put(RegistryConfig.URL, config.get(Settings.SCHEMA_REGISTRY_URL));
    config
        .optional(Settings.SCHEMA_REGISTRY_USER_INFO)
        .ifPresent(
            info -> {
              props.put(RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
              props.put(RegistryConfig.BASIC_AUTH_USER_INFO, info);
            });
    return props;
  }
}
