package io.iris.compressor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The state-store format of a {@link WorkloadWindow}: a format byte (1), then text, tables,
 * columns, first and last seen, and the buckets as (end, cost, executions). Binary because a window
 * is read and written for every observation: as JSON that was half of the compressor's CPU. Windows
 * stored as JSON by earlier versions (a leading '{') are still read, so a store restored from its
 * changelog after an upgrade keeps its history.
 */
final class WindowSerde implements Serde<WorkloadWindow> {
  private static final byte FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Serializer<WorkloadWindow> serializer() {
    return (topic, window) -> window == null ? null : write(window);
  }

  @Override
  public Deserializer<WorkloadWindow> deserializer() {
    return (topic, bytes) -> bytes == null ? null : read(bytes);
  }

  static byte[] write(WorkloadWindow w) {
    byte[] id = utf8(w.templateId);
    byte[] text = utf8(w.text);
    List<byte[]> tables = new ArrayList<>(w.tables.size());
    int size = 1 + 4 + id.length + 4 + text.length + 4 + 4 + 16 + 4 + 24 * w.buckets();
    for (String t : w.tables) {
      byte[] b = utf8(t);
      tables.add(b);
      size += 4 + b.length;
    }
    List<Map.Entry<byte[], Double>> columns = new ArrayList<>(w.columns.size());
    for (Map.Entry<String, Double> c : w.columns.entrySet()) {
      byte[] b = utf8(c.getKey());
      columns.add(Map.entry(b, c.getValue()));
      size += 4 + b.length + 8;
    }
    ByteBuffer out = ByteBuffer.allocate(size).put(FORMAT);
    putBytes(out, id);
    putBytes(out, text);
    out.putInt(tables.size());
    tables.forEach(b -> putBytes(out, b));
    out.putInt(columns.size());
    columns.forEach(c -> putBytes(out, c.getKey()).putDouble(c.getValue()));
    out.putLong(w.firstSeen).putLong(w.lastSeen).putInt(w.buckets());
    for (int b = 0; b < w.buckets(); b++) {
      out.putLong(w.bucketEnd(b)).putDouble(w.bucketCost(b)).putDouble(w.bucketExecutions(b));
    }
    return out.array();
  }

  static WorkloadWindow read(byte[] bytes) {
    if (bytes.length > 0 && bytes[0] == '{') {
      return readJson(bytes);
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte format = in.get();
      if (format != FORMAT) {
        throw new SerializationException(
            "workload window in format " + format + ", this version reads " + FORMAT);
      }
      WorkloadWindow w = new WorkloadWindow();
      w.templateId = string(in);
      w.text = string(in);
      int tables = in.getInt();
      for (int i = 0; i < tables; i++) {
        w.tables.add(string(in));
      }
      int columns = in.getInt();
      for (int i = 0; i < columns; i++) {
        w.columns.put(string(in), in.getDouble());
      }
      w.firstSeen = in.getLong();
      w.lastSeen = in.getLong();
      int buckets = in.getInt();
      if (buckets < 0 || buckets > in.remaining() / 24) {
        throw new BufferUnderflowException();
      }
      for (int i = 0; i < buckets; i++) {
        w.addToBucket(in.getLong(), in.getDouble(), in.getDouble());
      }
      return w;
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new SerializationException("workload window of " + bytes.length + " bytes is cut", e);
    }
  }

  /** A window as versions before the binary format stored it. */
  private static WorkloadWindow readJson(byte[] bytes) {
    try {
      JsonNode json = JSON.readTree(bytes);
      WorkloadWindow w = new WorkloadWindow();
      w.templateId = json.path("templateId").asText(null);
      w.text = json.path("text").asText(null);
      json.path("tables").forEach(t -> w.tables.add(t.asText()));
      for (Map.Entry<String, JsonNode> c : json.path("columns").properties()) {
        w.columns.put(c.getKey(), c.getValue().asDouble());
      }
      w.firstSeen = json.path("firstSeen").asLong();
      w.lastSeen = json.path("lastSeen").asLong();
      for (Map.Entry<String, JsonNode> b : json.path("buckets").properties()) {
        JsonNode bucket = b.getValue();
        w.addToBucket(
            Long.parseLong(b.getKey()), bucket.get(0).asDouble(), bucket.get(1).asDouble());
      }
      return w;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot read a JSON workload window", e);
    }
  }

  private static byte[] utf8(String s) {
    return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
  }

  private static ByteBuffer putBytes(ByteBuffer out, byte[] b) {
    return out.putInt(b.length).put(b);
  }

  private static String string(ByteBuffer in) {
    int length = in.getInt();
    String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return s;
  }
}
