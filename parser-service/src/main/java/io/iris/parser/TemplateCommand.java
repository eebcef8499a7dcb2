package io.iris.parser;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code ./iris template [FILE]}: templates SQL read from a file or standard input and prints one
 * JSON line per statement (template id, text, type, parse mode, shape, indexable columns).
 * Statements end with {@code ;} or, as in SQL*Plus, with a line holding only {@code /} (PL/SQL
 * blocks end only there).
 */
public final class TemplateCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLSQL_START =
      Pattern.compile(
          "(?is)^\\s*(BEGIN|DECLARE|CREATE\\s+(OR\\s+REPLACE\\s+)?(PROCEDURE|FUNCTION|PACKAGE|TRIGGER|TYPE)).*");

  private TemplateCommand() {}

  public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    String sql;
    try {
      sql =
          args.length == 0 || args[0].equals("-")
              ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
              : Files.readString(Path.of(args[0]));
    } catch (IOException e) {
      err.println(
          "template: cannot read "
              + (args.length == 0 ? "standard input" : args[0])
              + ": "
              + e.getMessage());
      return 2;
    }
    try (StatementParser parser = new StatementParser(Duration.ofSeconds(2), 1)) {
      SnapshotTemplater templater = new SnapshotTemplater(parser, 1_000);
      for (String statement : split(sql)) {
        SnapshotTemplater.Templated t = templater.templated(statement);
        ObjectNode line = JSON.createObjectNode();
        line.put("templateId", t.template().id());
        line.put("templateVersion", SqlTemplate.VERSION);
        line.put("templateText", t.template().text());
        line.put("statementType", t.shape().type().name());
        line.put("parseMode", t.shape().mode().name());
        line.set("shape", JSON.readTree(t.shape().shape().toString()));
        ArrayNode columns = line.putArray("indexableColumns");
        for (var column : t.shape().indexableColumns()) {
          columns.add(JSON.readTree(column.toString()));
        }
        out.println(line);
      }
    } catch (IOException e) {
      err.println("template: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  /** Statements of a script: split at ';' outside literals and comments, or at '/' lines. */
  static List<String> split(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int n = script.length();
    int i = 0;
    while (i < n) {
      char c = script.charAt(i);
      boolean lineStart = i == 0 || script.charAt(i - 1) == '\n';
      if (lineStart) {
        int end = script.indexOf('\n', i);
        String line = script.substring(i, end < 0 ? n : end).trim();
        if (line.equals("/")) {
          add(statements, current);
          i = end < 0 ? n : end + 1;
          continue;
        }
      }
      if (c == '\'') {
        int close = i + 1;
        while (close < n
            && !(script.charAt(close) == '\''
                && (close + 1 >= n || script.charAt(close + 1) != '\''))) {
          close += script.charAt(close) == '\'' ? 2 : 1;
        }
        current.append(script, i, Math.min(n, close + 1));
        i = close + 1;
      } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        current.append(script, i, end < 0 ? n : end);
        i = end < 0 ? n : end;
      } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int end = script.indexOf("*/", i + 2);
        current.append(script, i, end < 0 ? n : end + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == ';' && !PLSQL_START.matcher(current).matches()) {
        add(statements, current);
        i++;
      } else {
        current.append(c);
        i++;
      }
    }
    add(statements, current);
    return statements;
  }

  private static void add(List<String> statements, StringBuilder current) {
    String statement = current.toString().strip();
    if (!statement.isEmpty() && !statement.toUpperCase(Locale.ROOT).equals("/")) {
      statements.add(statement);
    }
    current.setLength(0);
  }
}
