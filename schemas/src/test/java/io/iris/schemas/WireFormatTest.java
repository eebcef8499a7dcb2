package io.iris.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.schemas.serde.WireFormat;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

  @Test
  void readsTheBigEndianSchemaIdAfterTheMagicByte() {
    assertEquals(0x01020304, WireFormat.schemaId("t", new byte[] {0, 1, 2, 3, 4, 42}));
  }

  @Test
  void rejectsAWrongMagicByteSayingWhatItSaw() {
    SerializationException e =
        assertThrows(
            SerializationException.class,
            () ->
                WireFormat.schemaId(
                    "awr.snapshots",
                    "{\"json\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("0x7b"), e.getMessage());
    assertTrue(e.getMessage().contains("awr.snapshots"), e.getMessage());
  }

  @Test
  void rejectsRecordsTooShortForTheHeader() {
    SerializationException e =
        assertThrows(
            SerializationException.class, () -> WireFormat.schemaId("t", new byte[] {0, 1}));
    assertTrue(e.getMessage().contains("too short"), e.getMessage());
  }
}
