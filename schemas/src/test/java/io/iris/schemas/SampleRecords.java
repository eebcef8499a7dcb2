package io.iris.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Builds a record of any generated type with every field set (the non-null branch of every union,
 * two elements in every array), so a round trip exercises the whole schema.
 */
final class SampleRecords {
  private static final Instant TIME = Instant.parse("2026-11-26T10:15:00.123Z");

  private SampleRecords() {}

  static <T extends SpecificRecord> T of(Class<T> type) {
    return type.cast(value(SpecificData.get().getSchema(type), "x"));
  }

  private static Object value(Schema schema, String name) {
    return switch (schema.getType()) {
      case RECORD -> {
        SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
          record.put(field.pos(), value(field.schema(), field.name()));
        }
        yield record;
      }
      case UNION ->
          value(
              schema.getTypes().stream()
                  .filter(s -> s.getType() != Schema.Type.NULL)
                  .findFirst()
                  .orElseThrow(),
              name);
      case ARRAY ->
          List.of(value(schema.getElementType(), name), value(schema.getElementType(), name));
      case ENUM ->
          SpecificData.get()
              .createEnum(schema.getEnumSymbols().get(1 % schema.getEnumSymbols().size()), schema);
      case STRING -> name + "-\u00e9\u4e2d";
      case LONG ->
          schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
              ? TIME
              : (long) name.length() * 1_000_000_007L;
      case INT -> name.length() * 3;
      case DOUBLE -> name.length() + 0.25;
      case BOOLEAN -> true;
      case BYTES -> ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xff});
      default -> throw new IllegalArgumentException("no sample for " + schema);
    };
  }
}
