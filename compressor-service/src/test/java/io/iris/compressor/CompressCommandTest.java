package io.iris.compressor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.parser.TemplateCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./iris template} output piped into {@code ./iris compress}: no Kafka needed. */
class CompressCommandTest {
  private static String run(int expected, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        CompressCommand.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(expected, code, err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void compressesWhatTheTemplateCommandPrints(@TempDir Path dir) throws Exception {
    String sql =
        "select * from orders where status = 'A';\nselect * from orders where status = 'B';\n"
            + "select * from items where product_id = 1;\nselect * from payments where order_id = 2;\n";
    ByteArrayOutputStream templates = new ByteArrayOutputStream();
    TemplateCommand.run(
        new String[0],
        new ByteArrayInputStream(sql.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(templates, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    Path input = dir.resolve("templates.jsonl");
    Files.write(input, templates.toByteArray());

    String isum = run(0, "--input", input.toString(), "--k", "2");
    assertTrue(isum.startsWith("ISUM: 3 templates -> 2 representatives"), isum);
    assertTrue(isum.contains("SELECT * FROM ORDERS WHERE STATUS = ?"), isum);
    // Two orders statements, and the unpicked template (nothing in common) goes to the first pick.
    assertTrue(isum.contains("       0.750         2  "), isum);
    assertTrue(isum.contains("       0.250         1  "), isum);
    String covered =
        run(0, "--input", input.toString(), "--coverage", "1.0", "--algorithm", "top-k");
    assertTrue(
        covered.startsWith("TOP_K_COST: 3 templates -> 3 representatives; coverage: cost 1.000"),
        covered);
  }

  @Test
  void badArgumentsAndInputAreRefusedWithAMessage(@TempDir Path dir) throws Exception {
    assertTrue(run(2, "--input", "x").contains("usage"));
    assertTrue(run(2, "--input", "x", "--k", "2", "--coverage", "0.5").contains("usage"));
    assertTrue(
        run(2, "--input", "x", "--k", "2", "--algorithm", "magic")
            .contains("isum, top-k or random"));
    assertTrue(
        run(1, "--input", dir.resolve("missing.jsonl").toString(), "--k", "2")
            .contains("cannot read"));
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"nothing\": 1}\n");
    assertTrue(run(1, "--input", bad.toString(), "--k", "2").contains("no templateId"));
  }
}
