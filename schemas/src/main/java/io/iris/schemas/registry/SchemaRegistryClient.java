package io.iris.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.Schema;

/**
 * A client for the Confluent Schema Registry REST API (v7), which Confluent Schema Registry,
 * Apicurio ({@code /apis/ccompat/v7}), Karapace and Redpanda all serve. Ids and schemas are cached:
 * after the first call per schema, serializing a record makes no HTTP request.
 */
public final class SchemaRegistryClient {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryConfig config;
  private final HttpClient http;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

  private record SubjectSchema(String subject, Schema schema) {}

  /** A schema version as registered under a subject. */
  public record RegisteredSchema(String subject, int version, int id, Schema schema) {}

  /** The answer to a compatibility check; {@code messages} says why when it is incompatible. */
  public record Compatibility(boolean compatible, List<String> messages) {}

  public SchemaRegistryClient(RegistryConfig config) {
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
  }

  /** Registers {@code schema} under {@code subject} (or finds it there) and returns its id. */
  public int register(String subject, Schema schema) {
    return idsBySubjectSchema.computeIfAbsent(
        new SubjectSchema(subject, schema),
        key -> {
          JsonNode body =
              call(
                  "POST",
                  "/subjects/" + encode(subject) + "/versions",
                  schemaBody(schema),
                  "registering a schema under subject '" + subject + "'");
          int id = body.path("id").asInt();
          schemasById.putIfAbsent(id, schema);
          return id;
        });
  }

  /** The id of {@code schema} under {@code subject}, without registering it. */
  public int lookup(String subject, Schema schema) {
    return idsBySubjectSchema.computeIfAbsent(
        new SubjectSchema(subject, schema),
        key -> {
          JsonNode body =
              call(
                  "POST",
                  "/subjects/" + encode(subject),
                  schemaBody(schema),
                  "looking up a schema under subject '"
                      + subject
                      + "' (auto.register.schemas"
                      + " is false, so it must be registered already)");
          int id = body.path("id").asInt();
          schemasById.putIfAbsent(id, schema);
          return id;
        });
  }

  /** The schema with global id {@code id}. */
  public Schema schemaById(int id) {
    return schemasById.computeIfAbsent(
        id,
        key -> {
          JsonNode body = call("GET", "/schemas/ids/" + id, null, "fetching schema id " + id);
          return parse(body.path("schema").asText(), "schema id " + id);
        });
  }

  /** The newest version registered under {@code subject}. */
  public RegisteredSchema latest(String subject) {
    JsonNode body =
        call(
            "GET",
            "/subjects/" + encode(subject) + "/versions/latest",
            null,
            "fetching the latest version of subject '" + subject + "'");
    Schema schema = parse(body.path("schema").asText(), "subject '" + subject + "'");
    int id = body.path("id").asInt();
    schemasById.putIfAbsent(id, schema);
    return new RegisteredSchema(subject, body.path("version").asInt(), id, schema);
  }

  /**
   * Whether {@code schema} may be registered under {@code subject} according to the subject's
   * compatibility level. A subject that does not exist yet accepts any schema.
   */
  public Compatibility testCompatibility(String subject, Schema schema) {
    JsonNode body;
    try {
      body =
          call(
              "POST",
              "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
              schemaBody(schema),
              "checking compatibility with subject '" + subject + "'");
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        return new Compatibility(true, List.of());
      }
      throw e;
    }
    List<String> messages = new ArrayList<>();
    body.path("messages").forEach(m -> messages.add(m.asText()));
    return new Compatibility(body.path("is_compatible").asBoolean(false), List.copyOf(messages));
  }

  /** Every subject the registry holds. */
  public List<String> subjects() {
    JsonNode body = call("GET", "/subjects", null, "listing subjects");
    List<String> subjects = new ArrayList<>();
    body.forEach(s -> subjects.add(s.asText()));
    return List.copyOf(subjects);
  }

  private static String schemaBody(Schema schema) {
    ObjectNode node = JSON.createObjectNode();
    node.put("schemaType", "AVRO");
    node.put("schema", schema.toString());
    return node.toString();
  }

  private static Schema parse(String text, String what) {
    try {
      return new Schema.Parser().parse(text);
    } catch (RuntimeException e) {
      throw new SchemaRegistryException(
          "the registry returned an unparsable Avro schema for " + what + ": " + e.getMessage(),
          0,
          0,
          e);
    }
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * One request, retried with exponential backoff and jitter on I/O errors and on 408, 429 and 5xx
   * answers, trying each configured URL in turn.
   */
  private JsonNode call(String method, String path, String body, String what) {
    SchemaRegistryException last = null;
    long backoff = config.initialBackoff().toMillis();
    for (int attempt = 0; attempt <= config.maxRetries(); attempt++) {
      URI base = config.urls().get(attempt % config.urls().size());
      try {
        HttpResponse<String> response = http.send(request(base, method, path, body), ofString());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return JSON.readTree(response.body());
        }
        last = failure(base, what, status, response.body());
        if (!last.isUnavailable()) {
          throw last;
        }
      } catch (IOException e) {
        last =
            new SchemaRegistryException(
                "schema registry " + base + ": " + what + " failed: " + e, 0, 0, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(
            "schema registry " + base + ": " + what + " was interrupted", 0, 0, e);
      }
      if (attempt < config.maxRetries()) {
        sleep(backoff + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
        backoff = Math.min(backoff * 2, config.maxBackoff().toMillis());
      }
    }
    throw last;
  }

  private HttpRequest request(URI base, String method, String path, String body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(config.requestTimeout())
            .header("Accept", CONTENT_TYPE + ", application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      builder.header("Content-Type", CONTENT_TYPE);
    }
    config
        .basicAuthUserInfo()
        .ifPresent(
            info ->
                builder.header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(info.getBytes(StandardCharsets.UTF_8))));
    return builder.build();
  }

  private static SchemaRegistryException failure(
      URI base, String what, int status, String responseBody) {
    int code = 0;
    String message = responseBody;
    try {
      JsonNode error = JSON.readTree(responseBody);
      code = error.path("error_code").asInt(0);
      message = error.path("message").asText(responseBody);
    } catch (IOException | RuntimeException e) {
      // Not JSON: keep the raw body as the message.
    }
    String hint =
        status == 401 || status == 403
            ? " (check basic.auth.user.info / IRIS_SCHEMA_REGISTRY_USER_INFO)"
            : "";
    return new SchemaRegistryException(
        "schema registry "
            + base
            + ": "
            + what
            + " failed: HTTP "
            + status
            + (code != 0 ? " error " + code : "")
            + ": "
            + message
            + hint,
        status,
        code,
        null);
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(Duration.ofMillis(millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
