package io.iris.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AwrSimulatorTest {
  private static final long SHOP = 1_384_119_271L;

  static Connection newDatabase() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=Oracle;DB_CLOSE_DELAY=-1", "sa", "");
  }

  private static long count(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> column(Connection db, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  @Test
  void theSampleApplicationHasMoreThanSixtyDistinctShapes() {
    assertTrue(SampleApplication.SHAPES.size() >= 60);
    assertEquals(
        SampleApplication.SHAPES.size(),
        SampleApplication.SHAPES.stream().map(SqlShape::id).distinct().count());
    assertTrue(SampleApplication.SHAPES.stream().anyMatch(s -> s.text().contains("CONNECT BY")));
    assertTrue(SampleApplication.SHAPES.stream().anyMatch(s -> s.text().startsWith("MERGE")));
    assertTrue(
        SampleApplication.SHAPES.stream().anyMatch(s -> s.text().startsWith("BEGIN order_pkg")));
    assertTrue(SampleApplication.SHAPES.stream().anyMatch(s -> s.text().contains("FETCH FIRST")));
    assertTrue(SampleApplication.SHAPES.stream().anyMatch(s -> s.text().contains("ROWNUM")));
    assertTrue(SampleApplication.SHAPES.stream().anyMatch(s -> s.text().contains("/*+")));
  }

  @Test
  void snapshotsOfEveryInstanceWithRealisticContent() throws Exception {
    try (Connection db = newDatabase()) {
      AwrSimulator simulator = new AwrSimulator(db, SimulatorConfig.standard(7));
      simulator.generate(20);
      // Two databases, one a two-instance RAC: three snapshot streams of 20.
      assertEquals(60, count(db, "SELECT COUNT(*) FROM DBA_HIST_SNAPSHOT"));
      assertEquals(
          2,
          count(
              db,
              "SELECT COUNT(DISTINCT INSTANCE_NUMBER) FROM DBA_HIST_SNAPSHOT WHERE DBID = "
                  + SHOP));
      long perSnapshot =
          count(
              db,
              "SELECT COUNT(*) FROM DBA_HIST_SQLSTAT WHERE DBID = "
                  + SHOP
                  + " AND INSTANCE_NUMBER = 1 AND SNAP_ID = 1005");
      assertTrue(
          perSnapshot >= 50 && perSnapshot <= 300, "statements per snapshot: " + perSnapshot);
      // The same sql_id recurs across snapshots, and many sql_ids share one statement.
      assertTrue(
          count(
                  db,
                  "SELECT MAX(C) FROM (SELECT COUNT(DISTINCT SNAP_ID) C FROM DBA_HIST_SQLSTAT GROUP BY SQL_ID)")
              >= 20);
      assertTrue(
          count(
                  db,
                  "SELECT MAX(C) FROM (SELECT COUNT(DISTINCT SQL_ID) C FROM DBA_HIST_SQLSTAT GROUP BY ACTION)")
              > 10);
      // Every statement has its text, every plan hash its plan.
      assertEquals(
          0,
          count(
              db,
              "SELECT COUNT(*) FROM DBA_HIST_SQLSTAT s WHERE NOT EXISTS (SELECT 1 FROM DBA_HIST_SQLTEXT t WHERE t.DBID = s.DBID AND t.SQL_ID = s.SQL_ID)"));
      assertEquals(
          0,
          count(
              db,
              "SELECT COUNT(*) FROM DBA_HIST_SQLSTAT s WHERE s.PLAN_HASH_VALUE <> 0 AND NOT EXISTS (SELECT 1 FROM DBA_HIST_SQL_PLAN p WHERE p.DBID = s.DBID AND p.SQL_ID = s.SQL_ID AND p.PLAN_HASH_VALUE = s.PLAN_HASH_VALUE)"));
      // New plans appear: some statement runs with two plans.
      assertTrue(
          count(
                  db,
                  "SELECT MAX(C) FROM (SELECT COUNT(DISTINCT PLAN_HASH_VALUE) C FROM DBA_HIST_SQLSTAT WHERE PLAN_HASH_VALUE <> 0 GROUP BY DBID, ACTION)")
              >= 2);
      // A handful of statements dominate DB time.
      double top5 =
          count(
              db,
              "SELECT SUM(E) FROM (SELECT SUM(ELAPSED_TIME_DELTA) E FROM DBA_HIST_SQLSTAT GROUP BY ACTION ORDER BY 1 DESC FETCH FIRST 5 ROWS ONLY)");
      double all = count(db, "SELECT SUM(ELAPSED_TIME_DELTA) FROM DBA_HIST_SQLSTAT");
      assertTrue(top5 / all > 0.5, "top five shapes' share of elapsed time: " + top5 / all);
    }
  }

  @Test
  void anInstanceRestartStartsItsCountersAgain() throws Exception {
    try (Connection db = newDatabase()) {
      new AwrSimulator(db, SimulatorConfig.standard(7)).generate(12);
      List<String> startups =
          column(
              db,
              "SELECT DISTINCT STARTUP_TIME FROM DBA_HIST_SNAPSHOT WHERE DBID = "
                  + SHOP
                  + " AND INSTANCE_NUMBER = 2 ORDER BY 1");
      assertEquals(2, startups.size());
      String restart =
          "SELECT \"VALUE\" FROM DBA_HIST_SYS_TIME_MODEL WHERE DBID = "
              + SHOP
              + " AND INSTANCE_NUMBER = 2 AND STAT_NAME = 'DB time' AND SNAP_ID = ";
      // The restart is before the 11th snapshot (snap id 1011).
      assertTrue(
          count(db, restart + 1011) < count(db, restart + 1010), "DB time restarts from zero");
      assertEquals(
          1,
          count(
              db,
              "SELECT COUNT(*) FROM DBA_HIST_SNAPSHOT WHERE DBID = "
                  + SHOP
                  + " AND INSTANCE_NUMBER = 2 AND SNAP_ID = 1011 AND BEGIN_INTERVAL_TIME = STARTUP_TIME"));
      assertEquals(
          2,
          count(
              db,
              "SELECT COUNT(*) FROM DBA_HIST_DATABASE_INSTANCE WHERE DBID = "
                  + SHOP
                  + " AND INSTANCE_NUMBER = 2"));
    }
  }

  @Test
  void theSameSeedGivesTheSameHistory() throws Exception {
    String digest =
        "SELECT SUM(ELAPSED_TIME_DELTA), COUNT(DISTINCT SQL_ID), SUM(BUFFER_GETS_DELTA) FROM DBA_HIST_SQLSTAT";
    List<String> first;
    List<String> again;
    List<String> other;
    try (Connection a = newDatabase();
        Connection b = newDatabase();
        Connection c = newDatabase()) {
      new AwrSimulator(a, SimulatorConfig.standard(11)).generate(5);
      new AwrSimulator(b, SimulatorConfig.standard(11)).generate(5);
      new AwrSimulator(c, SimulatorConfig.standard(12)).generate(5);
      first =
          column(a, "SELECT SQL_ID || ':' || ELAPSED_TIME_DELTA FROM DBA_HIST_SQLSTAT ORDER BY 1");
      again =
          column(b, "SELECT SQL_ID || ':' || ELAPSED_TIME_DELTA FROM DBA_HIST_SQLSTAT ORDER BY 1");
      other = column(c, digest);
      assertNotEquals(column(a, digest), other);
    }
    assertEquals(first, again);
  }

  @Test
  void longTextsReachTheConfiguredSize() throws Exception {
    try (Connection db = newDatabase()) {
      new AwrSimulator(
              db,
              SimulatorConfig.standard(3).withLongTexts(100_000).withStatementsPerSnapshot(1000))
          .generate(1);
      long longest = count(db, "SELECT MAX(LENGTH(SQL_TEXT)) FROM DBA_HIST_SQLTEXT");
      assertTrue(longest >= 1_000_000, "longest text: " + longest);
    }
  }

  @Test
  void purgingRemovesTextsAndSnapshots() throws Exception {
    try (Connection db = newDatabase()) {
      AwrSimulator simulator = new AwrSimulator(db, SimulatorConfig.standard(5));
      simulator.generate(6);
      String sqlId =
          column(
                  db,
                  "SELECT SQL_ID FROM DBA_HIST_SQLSTAT WHERE DBID = "
                      + SHOP
                      + " AND SNAP_ID = 1006")
              .get(0);
      simulator.purgeSqlText(SHOP, sqlId);
      simulator.purgeSnapshots(SHOP, 1002, 1003);
      assertEquals(
          0,
          count(
              db,
              "SELECT COUNT(*) FROM DBA_HIST_SQLTEXT WHERE SQL_ID = '"
                  + sqlId
                  + "' AND DBID = "
                  + SHOP));
      assertEquals(4 * 2, count(db, "SELECT COUNT(*) FROM DBA_HIST_SNAPSHOT WHERE DBID = " + SHOP));
      assertEquals(1006, simulator.lastSnapId());
    }
  }

  @Test
  void sqlIdsLookLikeOraclesAndDifferByText() {
    String id = OracleIds.sqlId("SELECT 1 FROM dual");
    assertTrue(id.matches("[0-9a-z]{13}"), id);
    assertNotEquals(id, OracleIds.sqlId("SELECT 2 FROM dual"));
    assertTrue(OracleIds.signature("x").signum() >= 0);
  }
}
