package io.iris.compressor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.parser.SnapshotTemplater;
import io.iris.parser.StatementParser;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.CostMetric;
import io.iris.schemas.avro.SqlStat;
import io.iris.schemas.avro.SystemMetrics;
import io.iris.schemas.avro.TemplateObservation;
import io.iris.simulator.AwrSimulator;
import io.iris.simulator.SimulatorConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ISUM on the simulator's workload, templated by the parser's own code. */
class SampleWorkloadTest {
  private static List<TemplateObservation> observations;

  @BeforeAll
  static void workload() throws Exception {
    observations = new ArrayList<>();
    try (Connection db =
            DriverManager.getConnection(
                "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=Oracle;DB_CLOSE_DELAY=-1", "sa", "");
        StatementParser parser = new StatementParser(Duration.ofSeconds(2), 2)) {
      new AwrSimulator(db, SimulatorConfig.standard(5)).generate(8);
      SnapshotTemplater templater = new SnapshotTemplater(parser, 10_000);
      List<SqlStat> stats = new ArrayList<>();
      try (Statement s = db.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT st.SQL_ID, t.SQL_TEXT, st.ELAPSED_TIME_DELTA, st.CPU_TIME_DELTA, st.BUFFER_GETS_DELTA, st.EXECUTIONS_DELTA"
                      + " FROM DBA_HIST_SQLSTAT st JOIN DBA_HIST_SQLTEXT t ON t.DBID = st.DBID AND t.SQL_ID = st.SQL_ID WHERE st.DBID = 1384119271")) {
        while (rs.next()) {
          stats.add(
              SqlStat.newBuilder()
                  .setSqlId(rs.getString(1))
                  .setPlanHashValue(0)
                  .setSqlText(rs.getString(2))
                  .setSqlTextPurged(false)
                  .setElapsedTimeUs(rs.getLong(3))
                  .setCpuTimeUs(rs.getLong(4))
                  .setBufferGets(rs.getLong(5))
                  .setExecutions(rs.getLong(6))
                  .build());
        }
      }
      Instant end = Instant.parse("2026-11-20T02:00:00Z");
      AwrSnapshot all =
          AwrSnapshot.newBuilder()
              .setSource("sim")
              .setDbid(1384119271)
              .setInstanceNumber(1)
              .setSnapId(1)
              .setBeginIntervalTime(end.minusSeconds(900))
              .setEndIntervalTime(end)
              .setStartupTime(end.minusSeconds(90_000))
              .setCollectedAt(end)
              .setInstanceRestarted(false)
              .setSystem(SystemMetrics.newBuilder().build())
              .setSqlStats(stats)
              .build();
      observations.addAll(templater.observations(all));
    }
  }

  @Test
  void theSeedsCheckAThousandObservationsToAtMostAHundredCoveringNinetyFivePercentOfCost() {
    List<WorkloadTemplate> templates =
        build(observations.subList(0, Math.min(1_000, observations.size())));
    assertTrue(observations.size() >= 1_000, "observations: " + observations.size());
    Compression c = Representatives.compress(new IsumCompressor(), templates, 0, 0.95);
    assertTrue(c.representatives().size() <= 100, "picks: " + c.representatives().size());
    assertTrue(c.costCoverage() >= 0.95, "cost coverage " + c.costCoverage());
    System.out.printf(
        "QUALITY seed check: %d observations, %d templates -> %d representatives, cost coverage %.3f%n",
        1_000, templates.size(), c.representatives().size(), c.costCoverage());
  }

  @Test
  void isumCoversAtLeastAsMuchColumnWeightAsTheBaselines() {
    List<WorkloadTemplate> templates = build(observations);
    for (double share : new double[] {0.01, 0.02, 0.05}) {
      int k = Math.max(1, (int) Math.round(share * templates.size()));
      Compression isum = Representatives.compress(new IsumCompressor(), templates, k, 0);
      Compression top = Representatives.compress(Baselines.TOP_K_COST, templates, k, 0);
      Compression random = Representatives.compress(Baselines.random(42), templates, k, 0);
      System.out.printf(
          "QUALITY k=%d (%.0f%% of %d templates): column coverage ISUM %.3f, top-k %.3f, random %.3f;"
              + " cost coverage ISUM %.3f, top-k %.3f, random %.3f%n",
          k,
          share * 100,
          templates.size(),
          isum.columnCoverage(),
          top.columnCoverage(),
          random.columnCoverage(),
          isum.costCoverage(),
          top.costCoverage(),
          random.costCoverage());
      assertTrue(isum.columnCoverage() >= top.columnCoverage() - 1e-9, "ISUM vs top-k at k=" + k);
      assertTrue(
          isum.columnCoverage() >= random.columnCoverage() - 1e-9, "ISUM vs random at k=" + k);
    }
  }

  private static List<WorkloadTemplate> build(List<TemplateObservation> observations) {
    WorkloadBuilder builder = new WorkloadBuilder(CostMetric.ELAPSED);
    observations.forEach(builder::add);
    return builder.templates();
  }
}
