package io.iris.parser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.schemas.avro.AwrSnapshot;
import io.iris.simulator.SampleApplication;
import io.iris.simulator.SqlShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Templating throughput on one core: the lexer alone, the full path on cache misses, and AWR's
 * steady state (90% of statements seen before), plus the worst single inputs. Run with {@code
 * ./iris bench}; prints results, asserts nothing about time.
 */
@Tag("benchmark")
class ParserBenchmarkTest {
  private static final SplittableRandom RANDOM = new SplittableRandom(7);

  /**
   * ~250-character statements of the sample application with fresh literals: those with a WHERE
   * clause, given more predicates.
   */
  private static List<String> statements(int count) {
    return statements(count, 230);
  }

  /**
   * Statements of the sample application with fresh literals; with {@code minLength} > 0 only those
   * with a WHERE clause, padded to that length with more (valid) predicates.
   */
  private static List<String> statements(int count, int minLength) {
    List<String> out = new ArrayList<>(count);
    List<SqlShape> shapes =
        SampleApplication.SHAPES.stream()
            .filter(s -> minLength == 0 || s.text().contains(" WHERE "))
            .toList();
    for (int i = 0; i < count; i++) {
      String text =
          shapes
              .get(i % shapes.size())
              .text()
              .replace(
                  "#in",
                  RANDOM.nextInt(1000) + ", " + RANDOM.nextInt(1000) + ", " + RANDOM.nextInt(1000))
              .replace("#n", Integer.toString(RANDOM.nextInt(100_000)))
              .replace("#f", RANDOM.nextInt(100) + ".5")
              .replace("#s", "'v" + RANDOM.nextInt(100_000) + "'")
              .replace("#d", "DATE '2026-01-0" + (1 + RANDOM.nextInt(9)) + "'");
      StringBuilder predicates = new StringBuilder();
      while (text.length() + predicates.length() < minLength) {
        predicates.append(" c").append(RANDOM.nextInt(10)).append(" = ");
        predicates.append(RANDOM.nextInt(1000)).append(" AND");
      }
      int where = text.indexOf(" WHERE ") + " WHERE".length();
      out.add(
          minLength == 0 ? text : text.substring(0, where) + predicates + text.substring(where));
    }
    return out;
  }

  private static double perSecond(int operations, long nanos) {
    return operations / (nanos / 1e9);
  }

  @Test
  void templatingThroughput() {
    List<String> texts = statements(20_000);
    double chars = texts.stream().mapToInt(String::length).average().orElse(0);
    // Lexer normalization (templates and ids).
    for (int i = 0; i < 3; i++) {
      texts.forEach(SqlTemplater::template);
    }
    long started = System.nanoTime();
    int rounds = 10;
    for (int i = 0; i < rounds; i++) {
      for (String text : texts) {
        SqlTemplater.template(text);
      }
    }
    double lexer = perSecond(rounds * texts.size(), System.nanoTime() - started);

    try (StatementParser parser = new StatementParser(Duration.ofMillis(500), 1)) {
      // Full path for a new template: template, id, token shape and JSqlParser. JSqlParser's
      // huge generated methods take some 10,000 parses to be compiled: warm up first.
      List<String> fresh = statements(5_000);
      List<String> natural = statements(5_000, 0);
      double naturalChars = natural.stream().mapToInt(String::length).average().orElse(0);
      for (int i = 0; i < 3; i++) {
        newTemplatesPerSecond(parser, fresh);
        newTemplatesPerSecond(parser, natural);
      }
      double newTemplates = newTemplatesPerSecond(parser, fresh);
      // The same with the sample application's statements as written (no padding).
      double newNaturalTemplates = newTemplatesPerSecond(parser, natural);

      // A new statement of a known template (other literal values): the template's shape is cached.
      SnapshotTemplater shared = new SnapshotTemplater(parser, 100_000);
      List<String> variants = new ArrayList<>();
      for (String text : fresh.subList(0, 500)) {
        shared.templated(text);
        for (int v = 0; v < 20; v++) {
          variants.add(
              text.replaceAll(
                  "(?<![A-Za-z_0-9])\\d+", Integer.toString(RANDOM.nextInt(1_000_000))));
        }
      }
      started = System.nanoTime();
      for (String text : variants) {
        shared.templated(text);
      }
      double newLiterals = perSecond(variants.size(), System.nanoTime() - started);

      // AWR's steady state: snapshots of 200 statements, 90% of them (by sql_id) seen before;
      // the rest new literal variants of known statements, or (second run) new statements.
      double steady = steadyState(parser, fresh.subList(0, 500), true);
      double steadyNewTemplates = steadyState(parser, fresh.subList(0, 500), false);

      // The worst single inputs.
      StringBuilder big = new StringBuilder("SELECT * FROM t WHERE id IN (");
      while (big.length() < 100_000) {
        big.append(RANDOM.nextInt(1_000_000)).append(", ");
      }
      big.append("1) AND b = 'x'");
      long bigNanos = timeOf(() -> new SnapshotTemplater(parser, 1).templated(big.toString()));
      String deep = "SELECT " + "(".repeat(10_000) + "1" + ")".repeat(10_000) + " FROM dual";
      long deepNanos = timeOf(() -> new SnapshotTemplater(parser, 1).templated(deep));
      StringBuilder nested = new StringBuilder("SELECT * FROM t WHERE a IN ");
      for (int i = 0; i < 60; i++) {
        nested.append("(SELECT a FROM t WHERE a IN ");
      }
      nested.append("(1)").append(")".repeat(60));
      long nestedNanos =
          timeOf(() -> new SnapshotTemplater(parser, 1).templated(nested.toString()));
      StringBuilder megabyte = new StringBuilder("SELECT * FROM t WHERE x IN (");
      while (megabyte.length() < 1_000_000) {
        megabyte.append(RANDOM.nextInt(1_000_000)).append(',');
      }
      megabyte.append("1)");
      long megabyteNanos =
          timeOf(() -> new SnapshotTemplater(parser, 1).templated(megabyte.toString()));

      System.out.printf(
          "BENCH parser: lexer %.0f statements/s (avg %.0f chars); new template (full path incl. JSqlParser) %.0f statements/s;"
              + " new template, unpadded sample statements (avg %.0f chars) %.0f statements/s;"
              + " new statement of a known template %.0f statements/s; steady state (90%% sql_id hits, 10%% new literals)"
              + " %.0f observations/s; steady state (90%% hits, 10%% new templates) %.0f observations/s; 100 KB statement %.1f ms;"
              + " 10,000-deep parentheses %.1f ms; 60 nested subqueries %.1f ms; 1 MB statement %.1f ms (one thread)%n",
          lexer,
          chars,
          newTemplates,
          naturalChars,
          newNaturalTemplates,
          newLiterals,
          steady,
          steadyNewTemplates,
          bigNanos / 1e6,
          deepNanos / 1e6,
          nestedNanos / 1e6,
          megabyteNanos / 1e6);
      assertTrue(lexer > 0 && newTemplates > 0 && steady > 0);
    }
  }

  /** Every text as a new template: no cache helps. */
  private static double newTemplatesPerSecond(StatementParser parser, List<String> texts) {
    long started = System.nanoTime();
    for (String text : texts) {
      new SnapshotTemplater(parser, 1).templated(text);
    }
    return perSecond(texts.size(), System.nanoTime() - started);
  }

  private static double steadyState(
      StatementParser parser, List<String> known, boolean knownTemplates) {
    SnapshotTemplater warm = new SnapshotTemplater(parser, 100_000);
    List<AwrSnapshot> snapshots = new ArrayList<>();
    for (int s = 0; s < 300; s++) {
      List<String> batch = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String text = known.get(RANDOM.nextInt(known.size()));
        if (i >= 180) {
          text =
              knownTemplates
                  ? text.replaceAll(
                      "(?<![A-Za-z_0-9])\\d+", Integer.toString(RANDOM.nextInt(1_000_000)))
                  : statements(1).get(0);
        }
        batch.add(text);
      }
      snapshots.add(withTextIds(Snapshots.snapshot("bench", s, batch)));
    }
    snapshots.subList(0, 50).forEach(warm::observations);
    long started = System.nanoTime();
    int observations = 0;
    for (AwrSnapshot snapshot : snapshots.subList(50, snapshots.size())) {
      observations += warm.observations(snapshot).size();
    }
    return perSecond(observations, System.nanoTime() - started);
  }

  private static AwrSnapshot withTextIds(AwrSnapshot snapshot) {
    snapshot
        .getSqlStats()
        .forEach(
            s ->
                s.setSqlId(
                    Integer.toHexString(s.getSqlText().hashCode())
                        + "abcdefgh"
                            .substring(
                                0, 13 - Integer.toHexString(s.getSqlText().hashCode()).length())));
    return snapshot;
  }

  private static long timeOf(Runnable work) {
    long started = System.nanoTime();
    work.run();
    return System.nanoTime() - started;
  }
}
