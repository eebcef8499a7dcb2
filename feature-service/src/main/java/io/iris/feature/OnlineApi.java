package io.iris.feature;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.iris.platform.HttpEndpoint;
import io.iris.schemas.avro.FeatureVector;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The online read API on the service's HTTP port: {@code GET /features/{templateId}} and {@code
 * POST /features/batch} with {@code {"templateIds": [...]}}. Answers carry the features with their
 * schema types (numbers, booleans, strings) and the event time; an unknown template is a 404 with a
 * body saying so, a malformed request a 400, Redis unreachable a 503.
 */
final class OnlineApi {
  /** At most this many templates per batch request. */
  static final int MAX_BATCH = 1_000;

  /** How the 404 of a template without features begins; the client tells it from other 404s. */
  static final String UNKNOWN = "no features for template";

  private static final Pattern TEMPLATE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();
  private static final String JSON_TYPE = "application/json";

  /** How each feature's stored string is written: by the type the schema gives it. */
  private enum Kind {
    NUMBER,
    BOOLEAN,
    TEXT
  }

  private static final Map<String, Kind> KINDS = kinds();

  private final OnlineStore store;
  private final FeatureMetrics metrics;
  private final Timer single;
  private final Timer batch;

  OnlineApi(OnlineStore store, FeatureMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
    this.single = metrics.onlineReads("single");
    this.batch = metrics.onlineReads("batch");
  }

  /** Adds the routes to {@code http}. */
  void register(HttpEndpoint http) {
    http.route("/features/", this::handle);
  }

  private void handle(HttpExchange exchange) throws IOException {
    long started = System.nanoTime();
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (path.equals("/features/batch")) {
      if (!method.equals("POST")) {
        error(exchange, 405, "use POST for /features/batch");
        return;
      }
      batch(exchange);
      batch.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    } else {
      if (!method.equals("GET")) {
        error(exchange, 405, "use GET for /features/{templateId}");
        return;
      }
      single(exchange, path.substring("/features/".length()));
      single.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
  }

  private void single(HttpExchange exchange, String templateId) throws IOException {
    if (!TEMPLATE_ID.matcher(templateId).matches()) {
      error(exchange, 400, "not a template id: '" + templateId + "'");
      return;
    }
    Map<String, String> fields;
    try {
      fields = store.read(templateId).orElse(null);
    } catch (JedisException e) {
      error(exchange, 503, "the online store is unreachable: " + e.getMessage());
      return;
    }
    if (fields == null) {
      metrics.onlineReads(0, 1);
      error(
          exchange,
          404,
          UNKNOWN + " '" + templateId + "' (feature set " + FeatureExtractor.FEATURE_SET + ")");
      return;
    }
    metrics.onlineReads(1, 0);
    ByteArrayOutputStream body = new ByteArrayOutputStream(2048);
    try (JsonGenerator json = FACTORY.createGenerator(body)) {
      vector(json, templateId, fields);
    }
    send(exchange, 200, body.toByteArray());
  }

  private void batch(HttpExchange exchange) throws IOException {
    List<String> ids = new ArrayList<>();
    try (InputStream in = exchange.getRequestBody()) {
      JsonNode request = JSON.readTree(in);
      JsonNode list = request == null ? null : request.get("templateIds");
      if (list == null || !list.isArray()) {
        error(exchange, 400, "expected {\"templateIds\": [\"<id>\", ...]}");
        return;
      }
      for (JsonNode id : list) {
        if (!id.isTextual() || !TEMPLATE_ID.matcher(id.asText()).matches()) {
          error(exchange, 400, "not a template id: " + id);
          return;
        }
        ids.add(id.asText());
      }
    } catch (JsonProcessingException e) {
      error(exchange, 400, "malformed JSON: " + e.getOriginalMessage());
      return;
    }
    if (ids.size() > MAX_BATCH) {
      error(exchange, 400, "at most " + MAX_BATCH + " templateIds per request, got " + ids.size());
      return;
    }
    Map<String, Map<String, String>> found;
    try {
      found = store.read(ids);
    } catch (JedisException e) {
      error(exchange, 503, "the online store is unreachable: " + e.getMessage());
      return;
    }
    metrics.onlineReads(found.size(), ids.size() - found.size());
    ByteArrayOutputStream body = new ByteArrayOutputStream(1024 + 2048 * found.size());
    try (JsonGenerator json = FACTORY.createGenerator(body)) {
      json.writeStartObject();
      json.writeStringField("featureSet", FeatureExtractor.FEATURE_SET);
      json.writeObjectFieldStart("found");
      for (var e : found.entrySet()) {
        json.writeFieldName(e.getKey());
        vector(json, e.getKey(), e.getValue());
      }
      json.writeEndObject();
      json.writeArrayFieldStart("missing");
      for (String id : ids) {
        if (!found.containsKey(id)) {
          json.writeString(id);
        }
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    send(exchange, 200, body.toByteArray());
  }

  /** {"templateId", "featureSet", "eventTime", "features": {name: typed value}}. */
  private static void vector(JsonGenerator json, String templateId, Map<String, String> fields)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("templateId", templateId);
    json.writeStringField("featureSet", FeatureExtractor.FEATURE_SET);
    String eventTime = fields.get(OnlineStore.EVENT_TIME);
    if (eventTime != null) {
      json.writeStringField(
          "eventTime", Instant.ofEpochMilli(Long.parseLong(eventTime)).toString());
    }
    json.writeObjectFieldStart("features");
    for (var f : fields.entrySet()) {
      String name = f.getKey();
      if (name.equals(OnlineStore.EVENT_TIME)
          || name.equals("templateId")
          || name.equals("featureSetVersion")
          || name.equals("eventTime")) {
        continue;
      }
      json.writeFieldName(name);
      String value = f.getValue();
      // Numbers and booleans are stored as their JSON text already: written as they are.
      switch (KINDS.getOrDefault(name, Kind.TEXT)) {
        case NUMBER -> {
          // NaN and Infinity (Java's text for them ends in a letter) are not JSON numbers.
          if (Character.isLetter(value.charAt(value.length() - 1))) {
            json.writeNull();
          } else {
            json.writeNumber(value);
          }
        }
        case BOOLEAN -> json.writeBoolean(value.equals("true"));
        case TEXT -> json.writeString(value);
      }
    }
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(256);
    try (JsonGenerator json = FACTORY.createGenerator(body)) {
      json.writeStartObject();
      json.writeNumberField("status", status);
      json.writeStringField("error", message);
      json.writeEndObject();
    }
    send(exchange, status, body.toByteArray());
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, Kind> kinds() {
    Map<String, Kind> kinds = new HashMap<>();
    for (Schema.Field field : FeatureVector.getClassSchema().getFields()) {
      Schema schema = field.schema();
      if (schema.getType() == Schema.Type.UNION) {
        schema =
            schema.getTypes().stream()
                .filter(t -> t.getType() != Schema.Type.NULL)
                .findFirst()
                .orElseThrow();
      }
      kinds.put(
          field.name(),
          switch (schema.getType()) {
            case INT, LONG -> schema.getLogicalType() == null ? Kind.NUMBER : Kind.TEXT;
            case FLOAT, DOUBLE -> Kind.NUMBER;
            case BOOLEAN -> Kind.BOOLEAN;
            default -> Kind.TEXT;
          });
    }
    return kinds;
  }
}
