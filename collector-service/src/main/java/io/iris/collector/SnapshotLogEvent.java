package io.iris.collector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Debezium change event (JSON, with or without its schema envelope) of the snapshot log
 * table: an insert, or a row of an initial snapshot, names the (DBID, INSTANCE_NUMBER, SNAP_ID) of
 * a new AWR snapshot. Updates, deletes (the log's purge), tombstones and schema changes name none.
 * Column names match in any case (Oracle folds them to upper case, PostgreSQL to lower), and
 * numbers may come as JSON numbers or as strings (Oracle NUMBER with {@code
 * decimal.handling.mode=string}).
 */
final class SnapshotLogEvent {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SnapshotLogEvent() {}

  /** The snapshot an event announces, if it announces one. */
  static Optional<SnapshotAnnouncement> parse(String value, long receivedNanos) {
    if (value == null) {
      return Optional.empty();
    }
    JsonNode event;
    try {
      event = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON change event: " + e.getOriginalMessage(), e);
    }
    if (event.has("schema") && event.has("payload")) {
      event = event.get("payload");
    }
    String op = event.path("op").asText("");
    if (!op.equals("c") && !op.equals("r")) {
      return Optional.empty();
    }
    JsonNode row = event.path("after");
    if (!row.isObject()) {
      throw new IllegalArgumentException("insert event without a row ('after')");
    }
    return Optional.of(
        new SnapshotAnnouncement(
            number(row, "dbid"),
            Math.toIntExact(number(row, "instance_number")),
            number(row, "snap_id"),
            receivedNanos));
  }

  private static long number(JsonNode row, String column) {
    for (Iterator<Map.Entry<String, JsonNode>> it = row.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().toLowerCase(Locale.ROOT).equals(column)) {
        JsonNode value = field.getValue();
        if (value.isIntegralNumber()) {
          return value.asLong();
        }
        if (value.isTextual()) {
          try {
            return new BigDecimal(value.asText()).longValueExact();
          } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(
                "column " + field.getKey() + " is not a whole number: " + value.asText(), e);
          }
        }
        throw new IllegalArgumentException(
            "column " + field.getKey() + " is not a whole number: " + value);
      }
    }
    throw new IllegalArgumentException(
        "the row has no column " + column.toUpperCase(Locale.ROOT) + ": " + row);
  }
}
