package io.iris.compressor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WindowSerdeTest {

  private static WorkloadWindow window() {
    WorkloadWindow w = new WorkloadWindow();
    w.templateId = "5f1c";
    w.text = "SELECT * FROM ORDERS WHERE ID = :1 AND NOTE = 'é'";
    w.tables.addAll(Set.of("ORDERS", "CUSTOMERS"));
    w.columns.putAll(Map.of("ORDERS.ID", 1.0, "ORDERS.STATUS", 0.5));
    w.firstSeen = 1_000;
    w.lastSeen = 3_000;
    // Out of order on purpose: the buckets are kept by snapshot end.
    w.addToBucket(3_000, 2.5, 7);
    w.addToBucket(1_000, 1.0, 2);
    w.addToBucket(2_000, 0.25, 1);
    w.addToBucket(3_000, 0.5, 1);
    return w;
  }

  private static void assertSame(WorkloadWindow expected, WorkloadWindow actual) {
    assertEquals(expected.templateId, actual.templateId);
    assertEquals(expected.text, actual.text);
    assertEquals(expected.tables, actual.tables);
    assertEquals(expected.columns, actual.columns);
    assertEquals(expected.firstSeen, actual.firstSeen);
    assertEquals(expected.lastSeen, actual.lastSeen);
    assertEquals(expected.buckets(), actual.buckets());
    for (int i = 0; i < expected.buckets(); i++) {
      assertEquals(expected.bucketEnd(i), actual.bucketEnd(i));
      assertEquals(expected.bucketCost(i), actual.bucketCost(i));
      assertEquals(expected.bucketExecutions(i), actual.bucketExecutions(i));
    }
  }

  @Test
  void aWindowReadsBackAsItWasWritten() {
    WorkloadWindow w = window();
    assertEquals(3, w.buckets());
    assertEquals(1_000, w.oldestBucket());
    assertEquals(3.0, w.bucketCost(2));
    assertEquals(8.0, w.bucketExecutions(2));
    assertSame(w, WindowSerde.read(WindowSerde.write(w)));
  }

  @Test
  void expiredBucketsAreGoneAfterARoundTrip() {
    WorkloadWindow w = window();
    assertEquals(false, w.expire(2_000));
    WorkloadWindow read = WindowSerde.read(WindowSerde.write(w));
    assertEquals(2, read.buckets());
    assertEquals(2_000, read.oldestBucket());
    assertEquals(3.25, read.template().cost());
    assertEquals(9, read.template().executions());
    assertEquals(true, read.expire(3_001));
  }

  @Test
  void aWindowStoredAsJsonByAnEarlierVersionIsStillRead() {
    String json =
        "{\"templateId\":\"5f1c\",\"text\":\"SELECT * FROM ORDERS WHERE ID = :1 AND NOTE = 'é'\","
            + "\"tables\":[\"ORDERS\",\"CUSTOMERS\"],"
            + "\"columns\":{\"ORDERS.ID\":1.0,\"ORDERS.STATUS\":0.5},"
            + "\"firstSeen\":1000,\"lastSeen\":3000,"
            + "\"buckets\":{\"1000\":[1.0,2.0],\"2000\":[0.25,1.0],\"3000\":[3.0,8.0]}}";
    assertSame(window(), WindowSerde.read(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aCutOrUnknownWindowIsASerializationError() {
    byte[] bytes = WindowSerde.write(window());
    var cut =
        assertThrows(
            SerializationException.class,
            () -> WindowSerde.read(Arrays.copyOf(bytes, bytes.length - 5)));
    assertEquals(true, cut.getMessage().contains("cut"), cut.getMessage());
    bytes[0] = 9;
    var unknown = assertThrows(SerializationException.class, () -> WindowSerde.read(bytes));
    assertEquals(true, unknown.getMessage().contains("format 9"), unknown.getMessage());
  }
}
