package io.iris.collector;

import io.iris.schemas.Topics;
import io.iris.schemas.avro.CollectorCheckpoint;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the collector knows from Kafka when it starts: the last snapshot committed per database
 * instance (the checkpoint topic is the single source of truth) and the plans already sent. Both
 * are read to the end with read_committed, so an aborted transaction counts for nothing.
 */
public final class CollectorState {
  private final Map<String, CollectorCheckpoint> checkpoints;
  private final Set<String> plansSent;

  private CollectorState(Map<String, CollectorCheckpoint> checkpoints, Set<String> plansSent) {
    this.checkpoints = checkpoints;
    this.plansSent = plansSent;
  }

  /** Reads the checkpoints and the keys of awr.plans. */
  public static CollectorState load(
      Map<String, Object> consumerConfig, SchemaRegistryClient registry) {
    Map<String, CollectorCheckpoint> checkpoints = new ConcurrentHashMap<>();
    readToEnd(
        consumerConfig,
        Topics.COLLECTOR_CHECKPOINTS.name(),
        new AvroDeserializer<>(registry, CollectorCheckpoint.class),
        (key, value) -> {
          if (value == null) {
            checkpoints.remove(key);
          } else {
            checkpoints.put(key, value);
          }
        });
    Set<String> plans = ConcurrentHashMap.newKeySet();
    readToEnd(
        consumerConfig,
        Topics.AWR_PLANS.name(),
        new ByteArrayDeserializer(),
        (key, value) -> plans.add(key));
    return new CollectorState(checkpoints, plans);
  }

  /** Empty state: for looking at a database without Kafka. */
  public static CollectorState empty() {
    return new CollectorState(new ConcurrentHashMap<>(), ConcurrentHashMap.newKeySet());
  }

  public Map<String, CollectorCheckpoint> checkpoints() {
    return checkpoints;
  }

  public Set<String> plansSent() {
    return plansSent;
  }

  private static <V> void readToEnd(
      Map<String, Object> consumerConfig,
      String topic,
      Deserializer<V> values,
      BiConsumer<String, V> each) {
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), values)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      while (partitions.stream()
          .anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(30)) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> each.accept(r.key(), r.value()));
      }
    }
  }
}
