package io.iris.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iris.feature.FeatureClient;
import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.TopicContents;
import io.iris.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards as a user opens them: every dashboard parses and reads the provisioned
 * Prometheus datasource, and every panel's query, run by the real Prometheus against the real
 * pipeline (simulator, collector, parser, compressor, feature service, scraped every second with
 * the rules of prometheus/rules loaded), is valid PromQL and shows data.
 */
@ExtendWith(LocalInfraExtension.class)
class GrafanaDashboardsTest {
  private static final Path GRAFANA = Path.of("grafana");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Metrics that exist only after something unusual happened; a panel query reading them must be
   * valid but may show nothing on a healthy pipeline.
   */
  private static final Map<String, String> ONLY_AFTER_TROUBLE =
      Map.of(
          "ALERTS",
          "exists only while an alert fires (the pipeline here is healthy but for one source, and"
              + " IrisSourceDown waits 5 minutes)",
          "iris_collector_quality_violations_total",
          "created at a snapshot's first failed data-quality expectation",
          "iris_collector_gap_snapshots_total",
          "created when AWR snapshots were purged before the collector read them",
          "iris_feature_snapshot_timeouts_total",
          "created when a snapshot's inputs miss the join's wait",
          "iris_feature_sink_failures_total",
          "created at a sink's first failed write (Redis or the offline directory failing)");

  /** Grafana's built-in variables, as Grafana would fill them for a short time range. */
  private static final Map<String, String> GRAFANA_VARIABLES =
      Map.of("$__rate_interval", "1m", "$__range", "5m", "$__interval", "15s");

  @Test
  void everyDashboardParsesAndReadsTheProvisionedDatasource() throws Exception {
    String uid = datasourceUid();
    JsonNode provider =
        PrometheusRulesTest.YAML.readTree(
            GRAFANA.resolve("provisioning/dashboards/iris.yml").toFile());
    assertEquals("file", provider.path("providers").path(0).path("type").asText());

    Set<String> uids = new HashSet<>();
    Set<String> titles = new HashSet<>();
    List<Path> dashboards = dashboards();
    assertTrue(dashboards.size() >= 6, "overview, four services and the feature store");
    for (Path file : dashboards) {
      JsonNode dashboard = JSON.readTree(file.toFile());
      assertTrue(uids.add(dashboard.path("uid").asText()), file + ": uid not unique");
      assertTrue(titles.add(dashboard.path("title").asText()), file + ": title not unique");
      List<JsonNode> panels = panels(dashboard);
      assertFalse(panels.isEmpty(), file.toString());
      for (JsonNode panel : panels) {
        String where = file.getFileName() + " / " + panel.path("title").asText();
        assertEquals(uid, panel.path("datasource").path("uid").asText(), where);
        assertFalse(panel.path("targets").isEmpty(), where + " has no query");
        for (JsonNode target : panel.path("targets")) {
          assertEquals(uid, target.path("datasource").path("uid").asText(), where);
          assertFalse(target.path("expr").asText().isBlank(), where + " has an empty query");
        }
      }
    }
    Set<String> dashboardTitles = new HashSet<>(titles);
    for (String expected :
        List.of(
            "IRIS pipeline overview",
            "IRIS collector",
            "IRIS parser",
            "IRIS compressor",
            "IRIS feature service",
            "IRIS feature store")) {
      assertTrue(dashboardTitles.contains(expected), expected + " is missing");
    }
  }

  @Test
  void everyPanelQueryIsValidAndShowsDataFromTheRunningPipeline(LocalInfra infra, @TempDir Path dir)
      throws Exception {
    Map<String, String> queries = queries();
    for (String metric : ONLY_AFTER_TROUBLE.keySet()) {
      assertTrue(
          queries.values().stream().anyMatch(q -> q.contains(metric)),
          "no panel reads " + metric + ": drop it from ONLY_AFTER_TROUBLE");
    }

    try (LivePipeline pipeline = LivePipeline.start(infra, dir.resolve("pipeline"));
        PrometheusServer prometheus =
            PrometheusServer.start(dir.resolve("prometheus"), scrapeConfig(pipeline.ports()))) {
      FeatureClient features =
          new FeatureClient(
              "http://127.0.0.1:" + pipeline.ports().get("feature"), Duration.ofSeconds(5));
      // Features in the online store, seen through Prometheus: scraping works end to end.
      await(
          pipeline,
          prometheus,
          "features written to the online store",
          "iris_feature_sink_rows_total{sink=\"redis\"} > 0");
      List<String> templateIds = templateIds(infra);
      assertFalse(templateIds.isEmpty());

      Map<String, String> waiting = new LinkedHashMap<>(queries);
      Instant deadline = Instant.now().plusSeconds(90);
      while (!waiting.isEmpty()) {
        // Users read features while the dashboards are open: hits, misses and a batch.
        for (String id : templateIds) {
          assertTrue(features.get(id).isPresent(), id + " is not in the online store");
        }
        assertTrue(features.get("no-such-template").isEmpty());
        assertFalse(features.get(templateIds).isEmpty());

        for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
          Map.Entry<String, String> query = it.next();
          PrometheusServer.Answer answer = prometheus.query(query.getValue());
          if (!answer.ok()) {
            fail(
                query.getKey()
                    + ": Prometheus rejects "
                    + query.getValue()
                    + ": "
                    + answer.error());
          }
          if (answer.hasData() || onlyAfterTrouble(query.getValue())) {
            it.remove();
          }
        }
        if (!pipeline.dead().isEmpty()) {
          fail("died: " + pipeline.dead());
        }
        if (Instant.now().isAfter(deadline)) {
          fail("no data after 90 s for:\n" + String.join("\n", waiting.keySet()));
        }
        if (!waiting.isEmpty()) {
          Thread.sleep(1_000);
        }
      }

      // Every recording and alerting rule evaluates without error against the real series.
      PrometheusServer.Answer rules = prometheus.get("/api/v1/rules");
      assertTrue(rules.ok(), rules.error());
      int count = 0;
      for (JsonNode group : rules.body().path("data").path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          assertEquals(
              "ok",
              rule.path("health").asText(),
              rule.path("name") + ": " + rule.path("lastError"));
          count++;
        }
      }
      assertTrue(count >= 10, "the rules of prometheus/rules are loaded: " + rules.body());
    }
  }

  private static boolean onlyAfterTrouble(String query) {
    return ONLY_AFTER_TROUBLE.keySet().stream().anyMatch(query::contains);
  }

  /** Waits until {@code expr} has a result in Prometheus. */
  private static void await(
      LivePipeline pipeline, PrometheusServer prometheus, String what, String expr)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(90);
    while (true) {
      PrometheusServer.Answer answer = prometheus.query(expr);
      assertTrue(answer.ok(), answer.error());
      if (answer.hasData()) {
        return;
      }
      if (!pipeline.dead().isEmpty()) {
        fail("died waiting for " + what + ": " + pipeline.dead());
      }
      if (Instant.now().isAfter(deadline)) {
        fail("no " + what + " after 90 s; Prometheus log:\n" + prometheus.log());
      }
      Thread.sleep(500);
    }
  }

  /** Up to 20 template ids that have features (the keys of the features topic). */
  private static List<String> templateIds(LocalInfra infra) {
    Set<String> ids = new LinkedHashSet<>();
    for (var record :
        TopicContents.read(
            infra.bootstrapServers(),
            Topics.FEATURES.name(),
            new ByteArrayDeserializer(),
            true,
            v -> v != null)) {
      if (ids.size() < 20) {
        ids.add(record.key());
      }
    }
    return new ArrayList<>(ids);
  }

  /**
   * prometheus/prometheus.yml as the tests run it: every job scrapes the service's free port on
   * 127.0.0.1 every second, and rules are evaluated every second from the real rule files.
   */
  private static String scrapeConfig(Map<String, Integer> ports) throws IOException {
    ObjectNode config =
        (ObjectNode)
            PrometheusRulesTest.YAML.readTree(
                PrometheusRulesTest.PROMETHEUS.resolve("prometheus.yml").toFile());
    ObjectNode global = (ObjectNode) config.path("global");
    global.put("scrape_interval", "1s");
    global.put("scrape_timeout", "1s");
    global.put("evaluation_interval", "1s");
    ArrayNode ruleFiles = config.putArray("rule_files");
    ruleFiles.add(PrometheusRulesTest.PROMETHEUS.resolve("rules").toAbsolutePath() + "/*.yml");
    for (JsonNode job : config.path("scrape_configs")) {
      String name = job.path("job_name").asText();
      Integer port = ports.get(name);
      assertNotNull(port, "prometheus.yml scrapes " + name + ", which the pipeline does not run");
      ArrayNode targets = ((ObjectNode) job.path("static_configs").path(0)).putArray("targets");
      targets.add("127.0.0.1:" + port);
    }
    return PrometheusRulesTest.YAML.writeValueAsString(config);
  }

  /** Every panel query of every dashboard, Grafana's variables filled in, by where it is. */
  private static Map<String, String> queries() throws IOException {
    Map<String, String> queries = new LinkedHashMap<>();
    for (Path file : dashboards()) {
      JsonNode dashboard = JSON.readTree(file.toFile());
      for (JsonNode panel : panels(dashboard)) {
        for (JsonNode target : panel.path("targets")) {
          String expr = target.path("expr").asText();
          for (Map.Entry<String, String> variable : GRAFANA_VARIABLES.entrySet()) {
            expr = expr.replace(variable.getKey(), variable.getValue());
          }
          String where =
              dashboard.path("title").asText()
                  + " / "
                  + panel.path("title").asText()
                  + " / "
                  + target.path("refId").asText();
          assertFalse(expr.contains("$"), where + " uses a variable the test does not know");
          queries.put(where, expr);
        }
      }
    }
    return queries;
  }

  /** The panels of a dashboard, rows' nested panels included, rows themselves not. */
  private static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        panel.path("panels").forEach(panels::add);
      } else {
        panels.add(panel);
      }
    }
    return panels;
  }

  private static String datasourceUid() throws IOException {
    JsonNode datasources =
        PrometheusRulesTest.YAML
            .readTree(GRAFANA.resolve("provisioning/datasources/prometheus.yml").toFile())
            .path("datasources");
    assertEquals(1, datasources.size());
    assertEquals("prometheus", datasources.path(0).path("type").asText());
    String uid = datasources.path(0).path("uid").asText();
    assertFalse(uid.isBlank());
    return uid;
  }

  private static List<Path> dashboards() throws IOException {
    try (Stream<Path> files = Files.list(GRAFANA.resolve("dashboards"))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }
}
