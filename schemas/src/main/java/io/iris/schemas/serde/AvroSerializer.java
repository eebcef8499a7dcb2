package io.iris.schemas.serde;

import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated or generic) in the Confluent wire format, registering or looking
 * up their schema under the TopicNameStrategy subject {@code <topic>-value} (or {@code -key}).
 * Configured with Confluent's keys: {@code schema.registry.url}, {@code auto.register.schemas}
 * (default true), {@code use.latest.version}, basic auth.
 *
 * @param <T> the record type
 */
public final class AvroSerializer<T extends GenericContainer> implements Serializer<T> {
  private SchemaRegistryClient registry;
  private boolean isKey;
  private boolean autoRegister = true;
  private boolean useLatestVersion;

  /** For Kafka's reflective instantiation; call {@link #configure} before use. */
  public AvroSerializer() {}

  /** A serializer sharing {@code registry} (and its caches) with others. */
  public AvroSerializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
    this.registry = registry;
    applySettings(configs, isKey);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (registry == null) {
      registry = new SchemaRegistryClient(RegistryConfig.from(configs));
    }
    applySettings(configs, isKey);
  }

  private void applySettings(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    this.autoRegister =
        RegistryConfig.booleanValue(configs, RegistryConfig.AUTO_REGISTER_SCHEMAS, true);
    this.useLatestVersion =
        RegistryConfig.booleanValue(configs, RegistryConfig.USE_LATEST_VERSION, false);
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroSerializer used before configure()");
    }
    String subject = topic + (isKey ? "-key" : "-value");
    Schema schema = data.getSchema();
    try {
      int id;
      Object value = data;
      if (useLatestVersion) {
        SchemaRegistryClient.RegisteredSchema latest = registry.latest(subject);
        id = latest.id();
        if (!latest.schema().equals(schema)) {
          // Write what the latest registered schema says: resolve the record into it.
          value = resolve(data, schema, latest.schema());
          schema = latest.schema();
        }
      } else {
        id = autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
      }
      return encode(id, schema, value);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "cannot serialize a "
              + schema.getFullName()
              + " for topic '"
              + topic
              + "': "
              + e.getMessage(),
          e);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot serialize a " + schema.getFullName() + " for topic '" + topic + "': " + e, e);
    }
  }

  private static byte[] encode(int id, Schema schema, Object value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(WireFormat.MAGIC_BYTE);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    writer(schema, value).write(value, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @SuppressWarnings("unchecked")
  private static DatumWriter<Object> writer(Schema schema, Object value) {
    return value instanceof SpecificRecord
        ? new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema))
        : new GenericDatumWriter<>(schema, GenericData.get());
  }

  private static Object resolve(Object value, Schema from, Schema to) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    writer(from, value).write(value, encoder);
    encoder.flush();
    return new GenericDatumReader<>(from, to)
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }
}
