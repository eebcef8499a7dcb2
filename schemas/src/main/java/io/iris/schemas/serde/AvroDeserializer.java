package io.iris.schemas.serde;

import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format. The writer's schema comes from the registry by the id in the
 * record; with {@code specific.avro.reader=true} (or a target class) records are read into the
 * generated class, resolving from whatever compatible version the writer used.
 *
 * @param <T> the record type
 */
public final class AvroDeserializer<T> implements Deserializer<T> {
  private SchemaRegistryClient registry;
  private Schema readerSchema;
  private boolean specific;
  private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

  /** For Kafka's reflective instantiation; call {@link #configure} before use. */
  public AvroDeserializer() {}

  /** Reads into {@code type}, a generated Avro class, sharing {@code registry}. */
  public AvroDeserializer(SchemaRegistryClient registry, Class<T> type) {
    this.registry = registry;
    this.readerSchema = SpecificData.get().getSchema(type);
    this.specific = true;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (registry == null) {
      registry = new SchemaRegistryClient(RegistryConfig.from(configs));
    }
    if (readerSchema == null) {
      specific = RegistryConfig.booleanValue(configs, RegistryConfig.SPECIFIC_AVRO_READER, false);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroDeserializer used before configure()");
    }
    int id = WireFormat.schemaId(topic, data);
    try {
      DatumReader<Object> reader = readers.computeIfAbsent(id, this::readerFor);
      return (T)
          reader.read(
              null,
              DecoderFactory.get()
                  .binaryDecoder(
                      data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null));
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "cannot read a record of topic '"
              + topic
              + "' written with schema id "
              + id
              + ": "
              + e.getMessage(),
          e);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot decode a record of topic '" + topic + "' with schema id " + id + ": " + e, e);
    }
  }

  private DatumReader<Object> readerFor(int id) {
    Schema writer = registry.schemaById(id);
    if (!specific) {
      return new GenericDatumReader<>(writer, writer, GenericData.get());
    }
    Schema reader = readerSchema != null ? readerSchema : specificSchemaFor(writer);
    return new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
  }

  private static Schema specificSchemaFor(Schema writer) {
    Class<?> type = SpecificData.get().getClass(writer);
    if (type == null) {
      throw new SerializationException(
          "specific.avro.reader is true but no generated class "
              + writer.getFullName()
              + " is on the classpath");
    }
    return SpecificData.get().getSchema(type);
  }
}
