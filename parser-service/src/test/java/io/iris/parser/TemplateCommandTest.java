package io.iris.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateCommandTest {

  @Test
  void splitsLikeSqlPlus() {
    assertEquals(
        List.of(
            "select 1 from dual",
            "insert into t values ('a;b')",
            "BEGIN x; y; END;",
            "select 2 from dual"),
        TemplateCommand.split(
            "select 1 from dual;\ninsert into t values ('a;b');\nBEGIN x; y; END;\n/\nselect 2 from dual -- c;\n"
                .replace(" -- c;", "")));
    assertEquals(
        List.of("select /* ; */ 1 from dual"),
        TemplateCommand.split("select /* ; */ 1 from dual;"));
  }

  @Test
  void printsOneJsonLinePerStatement(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("workload.sql");
    Files.writeString(file, "select * from t where a = 1;\nbegin pkg.p(1); end;\n/\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(
        0,
        TemplateCommand.run(
            new String[] {file.toString()},
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)));
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(2, lines.length);
    JsonNode first = new ObjectMapper().readTree(lines[0]);
    assertEquals("SELECT * FROM T WHERE A = ?", first.path("templateText").asText());
    assertEquals(
        SqlTemplate.idOf("SELECT * FROM T WHERE A = ?"), first.path("templateId").asText());
    assertEquals("FULL", first.path("parseMode").asText());
    assertEquals("T", first.path("shape").path("tables").get(0).asText());
    assertEquals("FILTER_EQ", first.path("indexableColumns").get(0).path("usage").asText());
    assertEquals(
        "PKG.P",
        new ObjectMapper().readTree(lines[1]).path("shape").path("calledProcedure").asText());
  }

  @Test
  void readsStandardInputAndReportsAMissingFile() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(
        0,
        TemplateCommand.run(
            new String[0],
            new ByteArrayInputStream("select 1 from dual".getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("SELECT ? FROM DUAL"));
    assertEquals(
        2,
        TemplateCommand.run(
            new String[] {"/nonexistent.sql"},
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot read /nonexistent.sql"));
  }
}
