package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iris.platform.ConfigurationException;
import io.iris.platform.IrisConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@code ./iris collect --once}: what the collector would publish, as JSON lines. */
class CollectOnceTest {
  private record Run(int code, List<JsonNode> lines, String err) {}

  private static Run run(IrisConfig config, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        CollectOnce.run(
            args,
            config,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(new ObjectMapper().readTree(line));
      }
    }
    return new Run(code, lines, err.toString(StandardCharsets.UTF_8));
  }

  private static IrisConfig config(SimulatedAwr awr) {
    return new IrisConfig(
        Map.of(
            "IRIS_COLLECTOR_SOURCES",
            "shop",
            "IRIS_COLLECTOR_SOURCE_SHOP_URL",
            awr.url,
            "IRIS_COLLECTOR_SOURCE_SHOP_USER",
            "sa"));
  }

  @Test
  void printsEachSnapshotAndNewPlanAsAJsonLine() throws Exception {
    try (SimulatedAwr awr = new SimulatedAwr()) {
      awr.simulator.generate(5);
      Run run = run(config(awr), "--once", "--source", "shop", "--from-snap", "1004");
      assertEquals(0, run.code(), run.err());
      List<JsonNode> snapshots = run.lines().stream().filter(l -> l.has("sqlStats")).toList();
      assertEquals(6, snapshots.size(), "snapshots 1004 and 1005 of three instances");
      assertTrue(snapshots.stream().allMatch(s -> s.path("snapId").asLong() >= 1004));
      assertTrue(snapshots.get(0).path("qualityViolations").isArray());
      assertTrue(run.lines().stream().anyMatch(l -> l.has("steps")), "plans are printed too");
      assertTrue(run.err().contains("shop: 6 snapshots"), run.err());
    }
  }

  @Test
  void violationsAreReportedAndBadArgumentsRefused() throws Exception {
    try (SimulatedAwr awr = new SimulatedAwr()) {
      awr.simulator.generate(2);
      awr.execute("UPDATE DBA_HIST_SYSMETRIC_SUMMARY SET AVERAGE = 140");
      Run run = run(config(awr), "--once", "--from-snap", "1002");
      assertEquals(0, run.code());
      assertTrue(run.err().contains("failed [host_cpu_within_0_100]"), run.err());
      assertEquals(
          "host_cpu_within_0_100", run.lines().get(0).path("qualityViolations").get(0).asText());

      assertEquals(2, run(config(awr), "--once", "--nope").code());
      assertEquals(2, run(config(awr), "--once", "--source", "other").code());
      assertEquals(2, run(config(awr).with("IRIS_COLLECTOR_START", "sometime"), "--once").code());
    }
  }

  @Test
  void anUnreachableDatabaseFailsTheRun() throws Exception {
    IrisConfig config =
        new IrisConfig(
            Map.of(
                "IRIS_COLLECTOR_SOURCES",
                "gone",
                "IRIS_COLLECTOR_SOURCE_GONE_URL",
                "jdbc:h2:tcp://127.0.0.1:" + io.iris.infra.Readiness.freePort() + "/mem:x"));
    Run run = run(config, "--once");
    assertEquals(1, run.code());
    assertTrue(run.err().contains("gone"), run.err());
  }

  @Test
  void settingsErrorsNameWhatToSet() {
    assertMessage(
        () -> CollectorSettings.from(new IrisConfig(Map.of("IRIS_COLLECTOR_SOURCES", "db1"))),
        "IRIS_COLLECTOR_SOURCE_DB1_URL is not set");
    assertMessage(
        () -> CollectorSettings.from(new IrisConfig(Map.of("IRIS_COLLECTOR_SOURCES", "1x"))),
        "is not a source name");
    assertMessage(
        () ->
            CollectorSettings.from(
                new IrisConfig(
                    Map.of(
                        "IRIS_COLLECTOR_SOURCES",
                        "db1",
                        "IRIS_COLLECTOR_SOURCE_DB1_URL",
                        "jdbc:h2:mem:x",
                        "IRIS_COLLECTOR_SOURCE_DB1_VIEW_PREFIX",
                        "V$"))),
        "use DBA_HIST_, CDB_HIST_ (CDB root) or AWR_PDB_");
    assertMessage(
        () ->
            CollectorSettings.from(
                new IrisConfig(
                    Map.of(
                        "IRIS_COLLECTOR_SOURCES",
                        "db1",
                        "IRIS_COLLECTOR_SOURCE_DB1_URL",
                        "jdbc:postgresql://x/y"))),
        "must be an Oracle");
    assertMessage(
        () ->
            CollectorSettings.from(
                new IrisConfig(
                    Map.of(
                        "IRIS_COLLECTOR_SOURCES",
                        "db1",
                        "IRIS_COLLECTOR_SOURCE_DB1_URL",
                        "jdbc:oracle:thin:@//x:1521/y",
                        "IRIS_COLLECTOR_SOURCE_DB1_PASSWORD_FILE",
                        "/nonexistent/pw"))),
        "cannot be read");
    CollectorSettings ok =
        CollectorSettings.from(
            new IrisConfig(
                Map.of(
                    "IRIS_COLLECTOR_SOURCES",
                    "db1, sim",
                    "IRIS_COLLECTOR_SOURCE_DB1_URL",
                    "jdbc:oracle:thin:@//x:1521/y",
                    "IRIS_COLLECTOR_SOURCE_DB1_PASSWORD",
                    "hunter2",
                    "IRIS_COLLECTOR_START",
                    "days:7")));
    assertEquals(2, ok.sources().size());
    assertTrue(!ok.sources().get(0).toString().contains("hunter2"));
    assertEquals(new CollectorSettings.StartPosition.DaysBack(7), ok.start());
    assertEquals(CollectorSettings.SIMULATOR_URL, ok.sources().get(1).jdbcUrl());
  }

  private static void assertMessage(Executable executable, String part) {
    ConfigurationException e =
        org.junit.jupiter.api.Assertions.assertThrows(ConfigurationException.class, executable);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
