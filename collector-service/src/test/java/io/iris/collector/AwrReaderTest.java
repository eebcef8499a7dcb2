package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.collector.AwrRows.InstanceKey;
import io.iris.schemas.avro.PlanStep;
import io.iris.schemas.avro.SqlStat;
import io.iris.simulator.SimulatorConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class AwrReaderTest {

  @Test
  void readsInstancesSnapshotsStatementsCountersAndPlans() throws Exception {
    try (SimulatedAwr awr = new SimulatedAwr()) {
      awr.simulator.generate(3);
      AwrReader reader = awr.reader();
      reader.checkAccess();
      assertEquals(
          List.of(
              new InstanceKey(SimulatedAwr.SHOP, 1),
              new InstanceKey(SimulatedAwr.SHOP, 2),
              new InstanceKey(SimulatedAwr.CRM, 1)),
          reader.instances());
      InstanceKey shop1 = new InstanceKey(SimulatedAwr.SHOP, 1);
      assertEquals(
          List.of(1002L, 1003L),
          reader.snapshotsAfter(shop1, 1001, 10).stream().map(AwrRows.Snapshot::snapId).toList());
      assertEquals(1003, reader.latestSnapId(shop1));
      assertEquals(1002, reader.previous(shop1, 1003).orElseThrow().snapId());

      List<SqlStat> stats = reader.sqlStats(shop1, 1003);
      assertTrue(stats.size() >= 50, "statements: " + stats.size());
      SqlStat top = stats.get(0);
      assertTrue(top.getElapsedTimeUs() >= stats.get(1).getElapsedTimeUs(), "heaviest first");
      assertTrue(top.getSqlText() != null && !top.getSqlText().isBlank());
      assertFalse(top.getSqlTextPurged());
      assertTrue(
          stats.stream()
              .allMatch(
                  s ->
                      s.getForceMatchingSignature() == null
                          || s.getForceMatchingSignature().matches("\\d+")));

      AwrRows.Counters counters = reader.counters(shop1, 1003);
      assertTrue(counters.cumulative("DB time").orElseThrow() > 0);
      assertTrue(counters.cumulative(AwrReader.USER_IO).orElseThrow() > 0);
      assertTrue(counters.gauge(AwrReader.SGA).orElseThrow() > 1e9);
      assertTrue(counters.gauge(AwrReader.HOST_CPU_METRIC).isPresent());

      SqlStat planned =
          stats.stream().filter(s -> s.getPlanHashValue() != 0).findFirst().orElseThrow();
      List<PlanStep> plan =
          reader.plan(SimulatedAwr.SHOP, planned.getSqlId(), planned.getPlanHashValue());
      assertEquals(0, plan.get(0).getId());
      assertNull(plan.get(0).getParentId());
      assertTrue(plan.get(0).getOperation().endsWith("STATEMENT"));
    }
  }

  @Test
  void aPurgedTextIsKeptAsNullWithAFlag() throws Exception {
    try (SimulatedAwr awr = new SimulatedAwr()) {
      awr.simulator.generate(1);
      InstanceKey shop1 = new InstanceKey(SimulatedAwr.SHOP, 1);
      String sqlId = awr.reader().sqlStats(shop1, 1001).get(0).getSqlId();
      awr.simulator.purgeSqlText(SimulatedAwr.SHOP, sqlId);
      SqlStat purged =
          awr.reader().sqlStats(shop1, 1001).stream()
              .filter(s -> s.getSqlId().equals(sqlId))
              .findFirst()
              .orElseThrow();
      assertNull(purged.getSqlText());
      assertTrue(purged.getSqlTextPurged());
      assertTrue(purged.getExecutions() > 0, "the statistics are kept");
    }
  }

  @Test
  void withoutTheDiagnosticsPackTheMessageNamesTheParameter() throws Exception {
    try (SimulatedAwr awr = new SimulatedAwr()) {
      awr.execute(
          "UPDATE V$PARAMETER SET \"VALUE\" = 'NONE' WHERE NAME = 'control_management_pack_access'");
      AwrAccessException e =
          assertThrows(AwrAccessException.class, () -> awr.reader().checkAccess());
      assertTrue(
          e.getMessage().contains("control_management_pack_access='DIAGNOSTIC+TUNING'"),
          e.getMessage());
    }
  }

  @Test
  void withoutTheViewsTheMessageNamesTheGrant() throws Exception {
    try (SimulatedAwr awr = new SimulatedAwr()) {
      awr.execute("DROP TABLE DBA_HIST_SNAPSHOT");
      AwrAccessException e =
          assertThrows(AwrAccessException.class, () -> awr.reader().checkAccess());
      assertTrue(e.getMessage().contains("GRANT SELECT_CATALOG_ROLE TO sa"), e.getMessage());
    }
  }

  @Test
  void aTextReadOnceIsNotReadAgainButAPurgeStillShows() throws Exception {
    try (SimulatedAwr awr =
        new SimulatedAwr(SimulatorConfig.standard(42).withStatementsPerSnapshot(1_200))) {
      awr.simulator.generate(2);
      InstanceKey shop1 = new InstanceKey(SimulatedAwr.SHOP, 1);
      SqlTexts texts = new SqlTexts();
      AwrReader reader = new AwrReader(awr.connection, awr.source("sim"), 30, texts);
      List<SqlStat> first = reader.sqlStats(shop1, 1001);
      // More new texts than one IN list takes (500): read in several queries, none missed.
      assertTrue(first.size() > 1_000, "statements: " + first.size());
      assertTrue(first.stream().noneMatch(SqlStat::getSqlTextPurged));
      assertTrue(first.stream().allMatch(s -> s.getSqlText() != null));
      assertEquals(first.stream().map(SqlStat::getSqlId).distinct().count(), texts.size());

      String changed = first.get(0).getSqlId();
      String purged = first.get(1).getSqlId();
      awr.execute(
          "UPDATE DBA_HIST_SQLTEXT SET SQL_TEXT = 'SELECT 1 FROM DUAL' WHERE SQL_ID = '"
              + changed
              + "'");
      awr.simulator.purgeSqlText(SimulatedAwr.SHOP, purged);
      List<SqlStat> again = reader.sqlStats(shop1, 1001);
      assertEquals(first.get(0).getSqlText(), text(again, changed), "from the texts read before");
      assertNull(text(again, purged), "AWR no longer has it: null, flagged");
      assertTrue(
          again.stream()
              .filter(s -> s.getSqlId().equals(purged))
              .allMatch(SqlStat::getSqlTextPurged));
      assertEquals("SELECT 1 FROM DUAL", text(awr.reader().sqlStats(shop1, 1001), changed));
    }
  }

  private static String text(List<SqlStat> stats, String sqlId) {
    return stats.stream()
        .filter(s -> s.getSqlId().equals(sqlId))
        .findFirst()
        .orElseThrow()
        .getSqlText();
  }
}
