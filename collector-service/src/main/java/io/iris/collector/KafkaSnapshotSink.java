package io.iris.collector;

import io.iris.schemas.RecordKeys;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.CollectorCheckpoint;
import io.iris.schemas.avro.ExecutionPlan;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes each snapshot, its new plans and the collector's checkpoint in one Kafka transaction. A
 * collector killed mid-transaction leaves an aborted transaction that read_committed consumers
 * never see, and its checkpoint still points before the snapshot: the restarted collector publishes
 * it again, once. A second collector with the same transactional id fences the first (zombie
 * fencing).
 */
public final class KafkaSnapshotSink implements SnapshotSink {
  private final KafkaProducer<String, GenericContainer> producer;

  public KafkaSnapshotSink(
      Map<String, Object> producerConfig,
      SchemaRegistryClient registry,
      Map<String, Object> serdeConfig) {
    Map<String, Object> config = new java.util.HashMap<>(producerConfig);
    // A snapshot with 1,000 long SQL texts is tens of MB before compression.
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * Topics.MAX_MESSAGE_BYTES);
    config.putIfAbsent(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Duration.ofMinutes(2).toMillis());
    this.producer =
        new KafkaProducer<>(
            config, new StringSerializer(), new AvroSerializer<>(registry, serdeConfig, false));
    producer.initTransactions();
  }

  public KafkaProducer<String, GenericContainer> producer() {
    return producer;
  }

  @Override
  public void publish(SnapshotAssembler.Collected collected, CollectorCheckpoint checkpoint) {
    producer.beginTransaction();
    try {
      for (ExecutionPlan plan : collected.newPlans()) {
        producer.send(
            new ProducerRecord<>(
                Topics.AWR_PLANS.name(),
                RecordKeys.plan(plan.getDbid(), plan.getSqlId(), plan.getPlanHashValue()),
                plan));
      }
      producer.send(
          new ProducerRecord<>(Topics.AWR_SNAPSHOTS.name(), collected.key(), collected.snapshot()));
      producer.send(
          new ProducerRecord<>(
              Topics.COLLECTOR_CHECKPOINTS.name(),
              RecordKeys.checkpoint(
                  checkpoint.getSource(), checkpoint.getDbid(), checkpoint.getInstanceNumber()),
              checkpoint));
      producer.commitTransaction();
    } catch (ProducerFencedException e) {
      // Another collector took over this source: this one must stop, not abort.
      throw e;
    } catch (KafkaException e) {
      producer.abortTransaction();
      throw e;
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
