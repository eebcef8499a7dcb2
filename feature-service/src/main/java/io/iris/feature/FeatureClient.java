package io.iris.feature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A small Java client of the online read API ({@code GET /features/{id}}, {@code POST
 * /features/batch}). Thread-safe; keeps connections alive.
 */
public final class FeatureClient {
  /**
   * A template's online features: values typed as the schema says (Long, Double, Boolean, String).
   */
  public record OnlineFeatures(
      String templateId, String featureSet, Instant eventTime, Map<String, Object> features) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI base;
  private final Duration timeout;

  /** A client of the feature service at {@code baseUrl}, e.g. {@code http://127.0.0.1:8184}. */
  public FeatureClient(String baseUrl, Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.timeout = timeout;
  }

  /** The features of one template, or empty when it has none. */
  public Optional<OnlineFeatures> get(String templateId) throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(base.resolve("features/" + templateId))
                .timeout(timeout)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    // Only the API's own 404 means "no features"; any other (a proxy, a wrong URL) is an error.
    if (response.statusCode() == 404 && error(response.body()).startsWith(OnlineApi.UNKNOWN)) {
      return Optional.empty();
    }
    return Optional.of(features(check(response)));
  }

  /** The features of those templates that have some, by template id. */
  public Map<String, OnlineFeatures> get(Collection<String> templateIds)
      throws IOException, InterruptedException {
    byte[] request = JSON.writeValueAsBytes(Map.of("templateIds", templateIds));
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(base.resolve("features/batch"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    Map<String, OnlineFeatures> found = new LinkedHashMap<>();
    check(response)
        .get("found")
        .properties()
        .forEach(e -> found.put(e.getKey(), features(e.getValue())));
    return found;
  }

  private static JsonNode check(HttpResponse<byte[]> response) throws IOException {
    if (response.statusCode() != 200) {
      throw new IOException(
          "feature service answered " + response.statusCode() + ": " + error(response.body()));
    }
    return JSON.readTree(response.body());
  }

  /** The error a response body states: the API's JSON, or the start of whatever else came. */
  private static String error(byte[] body) {
    try {
      JsonNode json = JSON.readTree(body);
      if (json != null && json.has("error")) {
        return json.get("error").asText();
      }
    } catch (IOException e) {
      // Not JSON: a proxy's or a starting server's page.
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.isEmpty() ? "(no body)" : text.substring(0, Math.min(200, text.length()));
  }

  private static OnlineFeatures features(JsonNode v) {
    Map<String, Object> features = new LinkedHashMap<>();
    v.get("features")
        .properties()
        .forEach(
            e -> {
              JsonNode value = e.getValue();
              features.put(
                  e.getKey(),
                  value.isIntegralNumber()
                      ? (Object) value.asLong()
                      : value.isNumber()
                          ? (Object) value.asDouble()
                          : value.isBoolean() ? (Object) value.asBoolean() : value.asText());
            });
    return new OnlineFeatures(
        v.get("templateId").asText(),
        v.get("featureSet").asText(),
        v.has("eventTime") ? Instant.parse(v.get("eventTime").asText()) : null,
        features);
  }
}
