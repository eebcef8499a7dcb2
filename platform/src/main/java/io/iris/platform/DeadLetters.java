package io.iris.platform;

import io.iris.schemas.avro.DeadLetter;
import io.iris.schemas.registry.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Records a service cannot process become {@link DeadLetter}s on {@code <topic>.dlq}: where they
 * were read, who failed, why, and the bytes as received. Nothing is dropped silently.
 */
public final class DeadLetters {
  private DeadLetters() {}

  /**
   * A value decoded from its bytes (kept, so a stage that only re-keys a record can pass them on as
   * they came instead of encoding the value again), or the dead letter saying why it could not be.
   */
  public record Decoded<V>(V value, byte[] bytes, DeadLetter deadLetter) {
    public boolean failed() {
      return deadLetter != null;
    }
  }

  /**
   * Whether {@code error} is the schema registry being unavailable (after the client's retries)
   * rather than a record that cannot be read: such a record is read again later, never
   * dead-lettered, or a registry outage would send every record of it to the DLQ.
   */
  public static boolean registryUnavailable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SchemaRegistryException e && e.isUnavailable()) {
        return true;
      }
    }
    return false;
  }

  /** The dead letter of a record read from {@code where} (or {@code topic} when unknown). */
  public static DeadLetter of(
      String service,
      String topic,
      RecordMetadata where,
      String key,
      byte[] value,
      Throwable error) {
    return DeadLetter.newBuilder()
        .setSourceTopic(where == null ? topic : where.topic())
        .setPartition(where == null ? -1 : where.partition())
        .setOffset(where == null ? -1 : where.offset())
        .setService(service)
        .setFailedAt(Instant.now())
        .setErrorClass(error.getClass().getName())
        .setErrorMessage(String.valueOf(error.getMessage()))
        .setKey(key == null ? null : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .build();
  }

  /**
   * A Streams processor that decodes each value itself, so a record that cannot be read becomes a
   * dead letter (and {@code onFailure} runs, for a metric) instead of stopping the application. A
   * registry that does not answer fails the stream thread instead: Streams replaces it and the
   * records are read again from the last commit ({@link #registryUnavailable}).
   */
  public static <V> FixedKeyProcessorSupplier<String, byte[], Decoded<V>> decoding(
      String service, String topic, Deserializer<V> values, Runnable onFailure) {
    return () ->
        new FixedKeyProcessor<String, byte[], Decoded<V>>() {
          private FixedKeyProcessorContext<String, Decoded<V>> context;

          @Override
          public void init(FixedKeyProcessorContext<String, Decoded<V>> context) {
            this.context = context;
          }

          @Override
          public void process(FixedKeyRecord<String, byte[]> record) {
            try {
              if (record.value() == null) {
                throw new IllegalArgumentException(
                    "the record has no value (a tombstone): " + topic + " carries no deletions");
              }
              context.forward(
                  record.withValue(
                      new Decoded<>(
                          values.deserialize(topic, record.value()), record.value(), null)));
            } catch (RuntimeException e) {
              if (registryUnavailable(e)) {
                throw e;
              }
              onFailure.run();
              DeadLetter letter =
                  of(
                      service,
                      topic,
                      context.recordMetadata().orElse(null),
                      record.key(),
                      record.value(),
                      e);
              context.forward(record.withValue(new Decoded<>(null, record.value(), letter)));
            }
          }
        };
  }
}
