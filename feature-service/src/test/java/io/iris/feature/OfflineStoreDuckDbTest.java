package io.iris.feature;

import static io.iris.feature.OfflineRows.row;
import static io.iris.feature.OfflineRows.sparse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB reads the offline store as written, with dbid and date from the directory names. */
class OfflineStoreDuckDbTest {
  private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void duckDbReadsTheStoreWithHivePartitionsAndIgnoresTemporaryFiles(@TempDir Path root)
      throws Exception {
    OfflineStore store = new OfflineStore(root);
    store.write(
        0,
        0,
        2,
        List.of(row("a", 42, T, 100), row("b", 42, T.plusSeconds(86_400), 200), sparse("c", 7, T)));
    store.write(1, 0, 0, List.of(row("a", 7, T, 300)));
    // What a crash mid-write leaves: a complete Parquet file under its temporary name.
    Path dir = store.directory().resolve("dbid=42/date=2026-11-26");
    Files.copy(
        dir.resolve(OfflineStore.fileName(0, 0, 2)),
        dir.resolve("." + OfflineStore.fileName(0, 3, 5) + ".tmp"));

    String files = store.directory() + "/**/*.parquet";
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement()) {
      try (ResultSet r =
          sql.executeQuery(
              "SELECT count(*), count(DISTINCT templateId), sum(executions), min(date), max(date)"
                  + " FROM read_parquet('"
                  + files
                  + "', hive_partitioning = true)")) {
        assertTrue(r.next());
        assertEquals(4, r.getLong(1), "the temporary file's rows are not counted");
        assertEquals(3, r.getLong(2));
        assertEquals(600, r.getLong(3), "c's executions are null, not 0");
        assertEquals(LocalDate.parse("2026-11-26"), r.getObject(4, LocalDate.class));
        assertEquals(LocalDate.parse("2026-11-27"), r.getObject(5, LocalDate.class));
      }
      try (ResultSet r =
          sql.executeQuery(
              "SELECT dbid, date, executions, elapsedPerExecUs, eventTime, statementType,"
                  + " filename FROM read_parquet('"
                  + files
                  + "', hive_partitioning = true, filename = true)"
                  + " WHERE templateId = 'c'")) {
        assertTrue(r.next());
        assertEquals(7, r.getLong("dbid"));
        assertEquals(LocalDate.parse("2026-11-26"), r.getObject("date", LocalDate.class));
        assertNull(r.getObject("executions"));
        assertNull(r.getObject("elapsedPerExecUs"));
        assertEquals(
            T.toEpochMilli(), r.getTimestamp("eventTime").getTime(), "eventTime is a timestamp");
        assertNull(r.getString("statementType"));
        assertTrue(
            r.getString("filename")
                .endsWith(
                    "dbid=7/date=2026-11-26/features-0-"
                        + "00000000000000000000-00000000000000000002.parquet"),
            r.getString("filename"));
        assertFalse(r.next());
      }
      try (ResultSet r =
          sql.executeQuery(
              "SELECT templateId, executions FROM read_parquet('"
                  + files
                  + "', hive_partitioning = true) WHERE dbid = 42 AND date = DATE '2026-11-26'")) {
        assertTrue(r.next());
        assertEquals("a", r.getString(1));
        assertEquals(100, r.getLong(2));
        assertFalse(r.next(), "partition filters on the directory columns");
      }
    }
  }

  @Test
  void thePointInTimeQueryOfTheDocsAgreesWithAsOfAndFiltersSkipDirectories(@TempDir Path root)
      throws Exception {
    OfflineStore store = new OfflineStore(root);
    Instant asOf = Instant.parse("2026-11-26T10:00:00Z");
    store.write(
        0,
        0,
        5,
        List.of(
            row("a", 42, asOf.minusSeconds(3_600), 11),
            row("a", 42, asOf, 12),
            row("a", 42, asOf.plusSeconds(1), 13),
            row("b", 7, asOf, 22), // the same time as the next, a lower dbid
            row("b", 42, asOf, 21),
            row("c", 7, asOf.plusSeconds(86_400), 31)));
    // A damaged file in a directory that asOf and the filters below rule out.
    Path elsewhere = store.directory().resolve("dbid=99/date=2026-11-27");
    Files.createDirectories(elsewhere);
    Files.writeString(elsewhere.resolve(OfflineStore.fileName(0, 6, 6)), "not parquet");

    String doc = Files.readString(Path.of("..", "docs", "FEATURES.md"));
    int start = doc.indexOf("-- The same point-in-time rows");
    String query =
        doc.substring(doc.indexOf('\n', start) + 1, doc.indexOf(';', start))
            .replace(".iris/offline/", root + "/")
            // The rows' eventTime filter alone would open the damaged file.
            .replace("WHERE ", "WHERE dbid <> 99 AND ");
    Map<String, Long> fromDuckDb = new TreeMap<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement()) {
      try (ResultSet r = sql.executeQuery(query)) {
        while (r.next()) {
          fromDuckDb.put(r.getString("templateId"), r.getLong("executions"));
        }
      }
      try (ResultSet r =
          sql.executeQuery(
              "SELECT count(*) FROM read_parquet('"
                  + store.directory()
                  + "/**/*.parquet', hive_partitioning = true) WHERE date <= DATE '2026-11-26'")) {
        assertTrue(r.next());
        assertEquals(5, r.getLong(1), "the damaged file's directory is not opened");
      }
    }
    Map<String, Long> fromStore = new TreeMap<>();
    store.asOf(asOf).forEach((id, v) -> fromStore.put(id, v.getExecutions()));
    assertEquals(Map.of("a", 12L, "b", 21L), fromStore);
    assertEquals(fromStore, fromDuckDb);
  }
}
