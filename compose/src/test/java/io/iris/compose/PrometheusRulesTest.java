package io.iris.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.iris.infra.DebianTools;
import io.iris.platform.IrisConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus configuration as Prometheus's own promtool (2.42, Debian's) reads it: the config
 * and every rule file are valid, every unit test in {@code prometheus/tests/} passes, and every
 * alert is tested both firing and not firing.
 */
class PrometheusRulesTest {
  static final Path PROMETHEUS = Path.of("prometheus");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void promtoolAcceptsTheConfigAndItsRuleFiles() throws Exception {
    DebianTools.ProcessResult result =
        DebianTools.promtool().run(PROMETHEUS, "check", "config", "prometheus.yml");
    assertEquals(0, result.exitCode(), result.output());
    // The config loads the rules: a rule file it does not find would be silently skipped.
    for (Path rules : files("rules")) {
      assertTrue(
          result.output().contains("Checking " + PROMETHEUS.relativize(rules)),
          "prometheus.yml does not load " + rules + ":\n" + result.output());
    }
  }

  @Test
  void promtoolAcceptsEveryRuleFile() throws Exception {
    List<Path> rules = files("rules");
    assertFalse(rules.isEmpty());
    for (Path file : rules) {
      DebianTools.ProcessResult result =
          DebianTools.promtool()
              .run(PROMETHEUS, "check", "rules", PROMETHEUS.relativize(file).toString());
      assertEquals(0, result.exitCode(), file + ":\n" + result.output());
    }
  }

  @Test
  void everyRuleUnitTestPasses() throws Exception {
    List<Path> tests = files("tests");
    assertFalse(tests.isEmpty());
    for (Path file : tests) {
      DebianTools.ProcessResult result =
          DebianTools.promtool()
              .run(PROMETHEUS, "test", "rules", PROMETHEUS.relativize(file).toString());
      assertEquals(0, result.exitCode(), file + ":\n" + result.output());
      assertTrue(result.output().contains("SUCCESS"), result.output());
    }
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiring() throws Exception {
    Set<String> alerts = new TreeSet<>(alerts().keySet());
    assertFalse(alerts.isEmpty());
    Map<String, Integer> firing = new HashMap<>();
    Map<String, Integer> quiet = new HashMap<>();
    for (Path file : files("tests")) {
      for (JsonNode test : YAML.readTree(file.toFile()).path("tests")) {
        for (JsonNode alertTest : test.path("alert_rule_test")) {
          String name = alertTest.path("alertname").asText();
          assertTrue(alerts.contains(name), file + " tests an alert that does not exist: " + name);
          (alertTest.path("exp_alerts").isEmpty() ? quiet : firing).merge(name, 1, Integer::sum);
        }
      }
    }
    for (String alert : alerts) {
      assertTrue(firing.containsKey(alert), alert + " has no test case where it fires");
      assertTrue(quiet.containsKey(alert), alert + " has no test case where it does not fire");
    }
  }

  @Test
  void everyAlertWaitsHasASeverityAndSaysWhatToDo() throws Exception {
    for (Map.Entry<String, JsonNode> alert : alerts().entrySet()) {
      JsonNode rule = alert.getValue();
      String name = alert.getKey();
      assertTrue(rule.path("for").asText().matches("[0-9]+[smh]"), name + " has no for:");
      assertTrue(
          Set.of("critical", "warning").contains(rule.path("labels").path("severity").asText()),
          name + ": severity must be critical or warning");
      assertFalse(rule.path("annotations").path("summary").asText().isBlank(), name);
      assertTrue(
          rule.path("annotations").path("description").asText().length() > 100,
          name + " needs a description that says what to do");
      assertTrue(
          Files.readString(PROMETHEUS.resolve("README.md")).contains("### " + name),
          name + " is not explained in prometheus/README.md");
    }
  }

  @Test
  void prometheusScrapesEveryServiceWhereComposeRunsIt() throws Exception {
    JsonNode config = YAML.readTree(PROMETHEUS.resolve("prometheus.yml").toFile());
    Map<String, String> targets = new TreeMap<>();
    for (JsonNode job : config.path("scrape_configs")) {
      List<String> jobTargets = new ArrayList<>();
      job.path("static_configs")
          .forEach(c -> c.path("targets").forEach(t -> jobTargets.add(t.asText())));
      assertEquals(1, jobTargets.size(), job.toString());
      targets.put(job.path("job_name").asText(), jobTargets.getFirst());
    }
    Map<String, String> expected = new TreeMap<>();
    for (ServiceCatalog.Service service :
        ServiceCatalog.all(new IrisConfig(Map.of()), Path.of(".iris"))) {
      if (service.http()) {
        expected.put(service.name(), service.name() + ":" + service.port());
      }
    }
    assertEquals(expected, targets);
    assertEquals("15s", config.path("global").path("scrape_interval").asText());
  }

  /** Every alerting rule of alerts.yml, by name. */
  static Map<String, JsonNode> alerts() throws IOException {
    Map<String, JsonNode> alerts = new TreeMap<>();
    for (JsonNode group :
        YAML.readTree(PROMETHEUS.resolve("rules/alerts.yml").toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          assertTrue(alerts.put(rule.path("alert").asText(), rule) == null, rule.toString());
        }
      }
    }
    return alerts;
  }

  /** The .yml files of {@code dir} under prometheus/, sorted. */
  static List<Path> files(String dir) throws IOException {
    try (Stream<Path> files = Files.list(PROMETHEUS.resolve(dir))) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
  }
}
