package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotLogEventTest {

  @Test
  void anOracleInsertWithNumbersAsStringsAnnouncesItsSnapshot() {
    String event =
        "{\"before\":null,\"after\":{\"DBID\":\"1384119271\",\"INSTANCE_NUMBER\":\"2\","
            + "\"SNAP_ID\":\"1012\",\"END_INTERVAL_TIME\":1767225600000},"
            + "\"source\":{\"connector\":\"oracle\",\"table\":\"IRIS_AWR_SNAPSHOT_LOG\"},"
            + "\"op\":\"c\",\"ts_ms\":1767225601000}";
    assertEquals(
        Optional.of(new SnapshotAnnouncement(1_384_119_271L, 2, 1012, 77)),
        SnapshotLogEvent.parse(event, 77));
  }

  @Test
  void aPostgresInsertInItsSchemaEnvelopeAnnouncesItsSnapshot() {
    String event =
        "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"before\":null,"
            + "\"after\":{\"dbid\":2917331044,\"instance_number\":1,\"snap_id\":5,"
            + "\"end_interval_time\":1767225600000},\"op\":\"c\"}}";
    assertEquals(
        Optional.of(new SnapshotAnnouncement(2_917_331_044L, 1, 5, 0)),
        SnapshotLogEvent.parse(event, 0));
  }

  @Test
  void updatesDeletesTombstonesAndSchemaChangesAnnounceNothing() {
    String row = "{\"DBID\":1,\"INSTANCE_NUMBER\":1,\"SNAP_ID\":3}";
    assertTrue(
        SnapshotLogEvent.parse("{\"before\":" + row + ",\"after\":null,\"op\":\"d\"}", 0)
            .isEmpty());
    assertTrue(
        SnapshotLogEvent.parse("{\"before\":" + row + ",\"after\":" + row + ",\"op\":\"u\"}", 0)
            .isEmpty());
    assertTrue(SnapshotLogEvent.parse(null, 0).isEmpty());
    assertTrue(
        SnapshotLogEvent.parse("{\"ddl\":\"CREATE TABLE x (a NUMBER)\",\"tableChanges\":[]}", 0)
            .isEmpty());
  }

  @Test
  void aRowWithoutTheKeyColumnsIsRefusedWithTheColumnNamed() {
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SnapshotLogEvent.parse(
                    "{\"after\":{\"DBID\":1,\"INSTANCE_NUMBER\":1},\"op\":\"c\"}", 0));
    assertTrue(missing.getMessage().contains("SNAP_ID"), missing.getMessage());
    IllegalArgumentException fraction =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SnapshotLogEvent.parse(
                    "{\"after\":{\"DBID\":1,\"INSTANCE_NUMBER\":1,\"SNAP_ID\":\"1.5\"},"
                        + "\"op\":\"c\"}",
                    0));
    assertTrue(fraction.getMessage().contains("SNAP_ID"), fraction.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SnapshotLogEvent.parse("not json", 0));
  }
}
