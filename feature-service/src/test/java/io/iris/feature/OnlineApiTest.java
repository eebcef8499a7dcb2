package io.iris.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.platform.Health;
import io.iris.platform.HttpEndpoint;
import io.iris.platform.ServiceMetrics;
import io.iris.schemas.avro.FeatureVector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The online read API over HTTP, on the real Redis. */
@ExtendWith(LocalInfraExtension.class)
class OnlineApiTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private ServiceMetrics metrics;
  private HttpEndpoint endpoint;
  private OnlineStore store;
  private FeatureClient client;
  private String base;

  @BeforeEach
  void start(LocalInfra infra) {
    metrics = new ServiceMetrics("feature-test", Duration.ofSeconds(60));
    endpoint = HttpEndpoint.start("127.0.0.1", 0, metrics, new Health());
    store = new OnlineStore(infra.redisUrl().toUriWithCredentials(), Duration.ofMinutes(5));
    new OnlineApi(store, new FeatureMetrics(metrics.registry())).register(endpoint);
    base = "http://127.0.0.1:" + endpoint.port();
    client = new FeatureClient(base, Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    endpoint.close();
    store.close();
    metrics.close();
  }

  private static FeatureVector vector(String templateId) {
    FeatureVector v =
        FeatureExtractor.extract(
            TestInputs.observation(42, 5, 0, 1, templateId, "sqlA", 600),
            Optional.of(TestInputs.snapshot(42, 5, 35.5).getSystem()),
            Optional.empty(),
            Optional.empty());
    return v;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aTemplatesFeaturesAreReadWithTheirTypes() throws Exception {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    store.write(List.of(vector(id)));

    FeatureClient.OnlineFeatures f = client.get(id).orElseThrow();
    assertEquals(id, f.templateId());
    assertEquals("v1", f.featureSet());
    assertEquals(TestInputs.end(5), f.eventTime());
    assertEquals(10L, f.features().get("executions"));
    assertEquals(60.0, f.features().get("elapsedPerExecUs"));
    assertEquals(35.5, f.features().get("hostCpuUtilizationPct"));
    assertEquals(Boolean.TRUE, f.features().get("hasOrderBy"));
    assertEquals("SELECT", f.features().get("statementType"));
    assertTrue(!f.features().containsKey("planTotalCost"), "a null feature is absent");

    HttpResponse<String> raw = send(HttpRequest.newBuilder(URI.create(base + "/features/" + id)));
    assertEquals(200, raw.statusCode());
    assertEquals("application/json", raw.headers().firstValue("Content-Type").orElseThrow());
    assertTrue(raw.body().contains("\"executions\":10"), raw.body());
  }

  @Test
  void aBatchSaysWhatWasFoundAndWhatIsMissing() throws Exception {
    String a = "a" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    String b = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    store.write(List.of(vector(a)));
    Map<String, FeatureClient.OnlineFeatures> found = client.get(List.of(a, b));
    assertEquals(List.of(a), List.copyOf(found.keySet()));

    HttpResponse<String> raw =
        send(
            HttpRequest.newBuilder(URI.create(base + "/features/batch"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"templateIds\":[\"" + a + "\",\"" + b + "\"]}")));
    assertEquals(200, raw.statusCode());
    assertTrue(raw.body().contains("\"missing\":[\"" + b + "\"]"), raw.body());
  }

  @Test
  void anUnknownTemplateIsA404WithABodySayingSo() throws Exception {
    assertTrue(client.get("ffffffffffffffff").isEmpty());
    HttpResponse<String> raw =
        send(HttpRequest.newBuilder(URI.create(base + "/features/ffffffffffffffff")));
    assertEquals(404, raw.statusCode());
    assertTrue(raw.body().contains("no features for template 'ffffffffffffffff'"), raw.body());
  }

  @Test
  void aClientPointedElsewhereFailsInsteadOfFindingNothing() throws Exception {
    // A base URL with a wrong path: the server's own 404, which is not "no features".
    FeatureClient lost = new FeatureClient(base + "/api/v9", Duration.ofSeconds(5));
    IOException single = assertThrows(IOException.class, () -> lost.get("ffffffffffffffff"));
    assertTrue(
        single.getMessage().contains("404: nothing is served at /api/v9/features/"),
        single.getMessage());
    IOException batch =
        assertThrows(IOException.class, () -> lost.get(List.of("ffffffffffffffff")));
    assertTrue(batch.getMessage().contains("404"), batch.getMessage());
  }

  @Test
  void malformedRequestsAreA400AndWrongMethodsA405() throws Exception {
    HttpResponse<String> notJson =
        send(
            HttpRequest.newBuilder(URI.create(base + "/features/batch"))
                .POST(HttpRequest.BodyPublishers.ofString("{templateIds: [")));
    assertEquals(400, notJson.statusCode());
    assertTrue(notJson.body().contains("malformed JSON"), notJson.body());
    HttpResponse<String> noList =
        send(
            HttpRequest.newBuilder(URI.create(base + "/features/batch"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"ids\": []}")));
    assertEquals(400, noList.statusCode());
    assertTrue(noList.body().contains("templateIds"), noList.body());
    HttpResponse<String> badId =
        send(HttpRequest.newBuilder(URI.create(base + "/features/a%20b%2F..")));
    assertEquals(400, badId.statusCode());
    HttpResponse<String> tooMany =
        send(
            HttpRequest.newBuilder(URI.create(base + "/features/batch"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"templateIds\":["
                            + String.join(
                                ",",
                                java.util.Collections.nCopies(OnlineApi.MAX_BATCH + 1, "\"x\""))
                            + "]}")));
    assertEquals(400, tooMany.statusCode());
    HttpResponse<String> delete =
        send(HttpRequest.newBuilder(URI.create(base + "/features/abc")).DELETE());
    assertEquals(405, delete.statusCode());
  }
}
