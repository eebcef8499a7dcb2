package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.SqlStat;
import io.iris.schemas.avro.SystemMetrics;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectationsTest {
  private static SqlStat stat(String sqlId, long elapsed, long cpu, Integer commandType) {
    return SqlStat.newBuilder()
        .setSqlId(sqlId)
        .setPlanHashValue(1)
        .setElapsedTimeUs(elapsed)
        .setCpuTimeUs(cpu)
        .setExecutions(1L)
        .setCommandType(commandType)
        .setSqlText("SELECT 1 FROM dual")
        .build();
  }

  private static AwrSnapshot snapshot(
      Instant begin, Instant end, SystemMetrics system, List<SqlStat> stats) {
    return AwrSnapshot.newBuilder()
        .setSource("s")
        .setDbid(1)
        .setInstanceNumber(1)
        .setSnapId(1)
        .setBeginIntervalTime(begin)
        .setEndIntervalTime(end)
        .setStartupTime(begin)
        .setCollectedAt(end)
        .setInstanceRestarted(false)
        .setSystem(system)
        .setSqlStats(stats)
        .build();
  }

  @Test
  void aGoodSnapshotPassesEveryExpectation() {
    AwrSnapshot good =
        snapshot(
            Instant.EPOCH,
            Instant.EPOCH.plusSeconds(900),
            SystemMetrics.newBuilder()
                .setHostCpuUtilizationPct(40.0)
                .setDbTimeUs(100L)
                .setDbCpuUs(80L)
                .build(),
            List.of(stat("0123456789abc", 1_000_000, 900_000, 3)));
    assertEquals(List.of(), Expectations.violations(good));
  }

  @Test
  void eachBrokenExpectationIsNamed() {
    AwrSnapshot bad =
        snapshot(
            Instant.EPOCH.plusSeconds(900),
            Instant.EPOCH,
            SystemMetrics.newBuilder()
                .setHostCpuUtilizationPct(130.0)
                .setDbTimeUs(100L)
                .setDbCpuUs(500L)
                .setLogicalReads(-1L)
                .build(),
            List.of(stat("NOT-AN-ID", 1_000_000, 3_000_000, 999)));
    assertEquals(
        List.of(
            "interval_begins_before_it_ends",
            "instance_started_before_interval_end",
            "system_deltas_not_negative",
            "cpu_not_above_elapsed",
            "sql_id_format",
            "known_command_type",
            "host_cpu_within_0_100",
            "db_cpu_not_above_db_time"),
        Expectations.violations(bad));
  }
}
