package io.iris.schemas;

import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.serde.AvroSerde;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One Kafka topic of the IRIS contract: its name, key and value types, default partition count and
 * topic configs. Declared once, in {@link Topics}.
 *
 * @param name the topic name
 * @param valueType the generated Avro class of its values
 * @param defaultPartitions partitions when the topic is created
 * @param configs topic-level configs (cleanup policy, compression, size limits)
 * @param restricted whether it carries raw SQL text (literals, possibly personal data)
 * @param <V> the value type
 */
public record Topic<V extends SpecificRecord>(
    String name,
    Class<V> valueType,
    int defaultPartitions,
    Map<String, String> configs,
    boolean restricted) {

  public Topic {
    configs = Map.copyOf(configs);
  }

  /** Keys are plain strings on every IRIS topic. */
  public Serde<String> keySerde() {
    return Serdes.String();
  }

  /** The value serde, Confluent wire format through {@code registry}. */
  public Serde<V> valueSerde(SchemaRegistryClient registry, Map<String, ?> serdeConfigs) {
    return AvroSerde.forType(valueType, registry, serdeConfigs);
  }

  /** The value schema: the generated class's schema. */
  public Schema valueSchema() {
    return SpecificData.get().getSchema(valueType);
  }

  /** The registry subject of the values (TopicNameStrategy). */
  public String valueSubject() {
    return name + "-value";
  }

  /** Name of this topic's dead-letter topic. */
  public String deadLetterName() {
    return name + Topics.DEAD_LETTER_SUFFIX;
  }

  @Override
  public String toString() {
    return name;
  }
}
