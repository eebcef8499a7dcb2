package io.iris.feature;

import static io.iris.feature.OfflineRows.full;
import static io.iris.feature.OfflineRows.row;
import static io.iris.feature.OfflineRows.sparse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iris.platform.IrisConfig;
import io.iris.schemas.avro.FeatureVector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesCommandTest {
  private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;

  /** What a run printed, and its exit code. */
  private record Run(int code, String out, String err) {
    List<JsonNode> lines() throws Exception {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : out.lines().toList()) {
        lines.add(JSON.readTree(line));
      }
      return lines;
    }
  }

  private static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        FeaturesCommand.run(
            args,
            new IrisConfig(env),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Run run(String... args) {
    return run(Map.of(), args);
  }

  @Test
  void exportPrintsEachTemplatesVectorAsOfTheTimeAsOneJsonLine() throws Exception {
    OfflineStore store = new OfflineStore(root);
    FeatureVector b = full("bbbb", 42, T);
    store.write(
        0,
        0,
        3,
        List.of(
            row("cccc", 42, T.minusSeconds(900), 1),
            row("cccc", 42, T.plusSeconds(1), 2),
            b,
            sparse("aaaa", 7, T)));

    Run run = run("export", "--as-of", "2026-11-26T10:00:00Z", "--dir", root.toString());

    assertEquals(0, run.code(), run.err());
    List<JsonNode> lines = run.lines();
    assertEquals(
        List.of("aaaa", "bbbb", "cccc"),
        lines.stream().map(n -> n.get("templateId").asText()).toList(),
        "one line per template, in template id order");
    JsonNode bLine = lines.get(1);
    for (Schema.Field field : FeatureVector.getClassSchema().getFields()) {
      assertTrue(lines.get(0).has(field.name()), "every field, known or not: " + field.name());
      Object value = b.get(field.pos());
      assertEquals(
          value instanceof Instant t ? t.toString() : value.toString(),
          bLine.get(field.name()).asText(),
          field.name());
    }
    assertEquals("2026-11-26T10:00:00Z", lines.get(0).get("eventTime").asText());
    assertTrue(lines.get(0).get("executions").isNull(), "an unknown feature is null");
    assertTrue(lines.get(0).get("hostCpuUtilizationPct").isNull());
    assertEquals(7, lines.get(0).get("dbid").asLong());
    assertEquals(1, lines.get(2).get("executions").asLong(), "not the later row");
    assertTrue(bLine.get("cpuPerExecUs").isDouble());
    assertTrue(bLine.get("hasDistinct").isBoolean());

    Run onlyDbid42 =
        run("export", "--dir", root.toString(), "--dbid", "42", "--as-of", "2026-11-26T10:00:00Z");
    assertEquals(
        List.of("bbbb", "cccc"),
        onlyDbid42.lines().stream().map(n -> n.get("templateId").asText()).toList());

    Run fromEnvironment =
        run(
            Map.of("IRIS_FEATURE_OFFLINE_DIR", root.toString()),
            "export",
            "--as-of",
            "2026-11-26T09:00:00Z");
    assertEquals(0, fromEnvironment.code(), fromEnvironment.err());
    assertEquals("", fromEnvironment.out(), "nothing is known that early");
  }

  @Test
  void badArgumentsSayWhatToFixAndExitWith2() {
    String dir = root.toString();
    assertBad(run(), "no subcommand");
    assertBad(run("import", "--as-of", "2026-11-26T10:00:00Z"), "unknown subcommand import");
    assertBad(run("export", "--dir", dir), "--as-of is required");
    assertBad(run("export", "--as-of"), "--as-of needs a value");
    assertBad(
        run("export", "--as-of", "2026-11-26 10:00", "--dir", dir),
        "write it like 2026-11-26T10:00:00Z");
    assertBad(
        run("export", "--as-of", "2026-11-26T10:00:00Z", "--dbid", "prod", "--dir", dir),
        "--dbid prod is not a whole number");
    assertBad(run("export", "--as-of", "2026-11-26T10:00:00Z", "--limit", "3"), "--limit");
  }

  private static void assertBad(Run run, String message) {
    assertEquals(2, run.code(), run.err());
    assertTrue(run.err().contains(message), run.err());
    assertTrue(run.err().contains("usage: features export --as-of"), run.err());
    assertEquals("", run.out());
  }

  @Test
  void aMissingStoreIsReportedWithExit1() {
    Path missing = root.resolve("nowhere");
    Run run = run("export", "--as-of", "2026-11-26T10:00:00Z", "--dir", missing.toString());
    assertEquals(1, run.code());
    assertTrue(
        run.err().contains("no offline store at " + missing.resolve("features/v1")), run.err());
    assertTrue(run.err().contains("IRIS_FEATURE_OFFLINE_DIR"), run.err());
    assertEquals("", run.out());
  }
}
