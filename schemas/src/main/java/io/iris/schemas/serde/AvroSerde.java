package io.iris.schemas.serde;

import io.iris.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serde for one generated Avro type, for producers, consumers and Kafka Streams. */
public final class AvroSerde {
  private AvroSerde() {}

  /**
   * A value serde for {@code type}. {@code configs} holds the Confluent serializer keys ({@code
   * auto.register.schemas}, {@code use.latest.version}); the registry client is shared.
   */
  public static <T extends SpecificRecord> Serde<T> forType(
      Class<T> type, SchemaRegistryClient registry, Map<String, ?> configs) {
    return Serdes.serdeFrom(
        new AvroSerializer<>(registry, configs, false), new AvroDeserializer<>(registry, type));
  }
}
