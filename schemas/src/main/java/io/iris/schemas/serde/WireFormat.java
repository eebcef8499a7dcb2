package io.iris.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian integer, then the
 * Avro binary encoding of the value. Confluent's KafkaAvroDeserializer reads exactly this.
 */
public final class WireFormat {
  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** The schema id in the header of {@code data}, checking magic byte and length. */
  public static int schemaId(String topic, byte[] data) {
    if (data.length < HEADER_SIZE) {
      throw new SerializationException(
          "record on topic '"
              + topic
              + "' has "
              + data.length
              + " bytes: too short for the Confluent wire format (magic byte + 4-byte schema id)");
    }
    if (data[0] != MAGIC_BYTE) {
      throw new SerializationException(
          String.format(
              "record on topic '%s' starts with byte 0x%02x, not the Confluent magic byte 0x00:"
                  + " it was not written by an Avro serializer with a schema registry",
              topic, data[0]));
    }
    return ByteBuffer.wrap(data, 1, 4).getInt();
  }
}
