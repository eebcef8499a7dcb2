package io.iris.parser;

import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.SqlStat;
import io.iris.schemas.avro.SystemMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Snapshots as the collector publishes them, built for tests. */
final class Snapshots {
  private Snapshots() {}

  static SqlStat stat(String sqlId, String text) {
    return SqlStat.newBuilder()
        .setSqlId(sqlId)
        .setPlanHashValue(1234)
        .setForceMatchingSignature("18446744073709551615")
        .setSqlText(text)
        .setSqlTextPurged(text == null)
        .setCommandType(text == null ? 3 : null)
        .setExecutions(10L)
        .setElapsedTimeUs(5_000L)
        .setCpuTimeUs(4_000L)
        .setBufferGets(100L)
        .build();
  }

  static AwrSnapshot snapshot(String source, long snapId, List<String> texts) {
    List<SqlStat> stats = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      stats.add(stat(String.format("%013d", i).replace('0', 'a'), texts.get(i)));
    }
    Instant end = Instant.parse("2026-11-26T10:00:00Z").plusSeconds(900 * snapId);
    return AwrSnapshot.newBuilder()
        .setSource(source)
        .setDbid(42)
        .setInstanceNumber(1)
        .setSnapId(snapId)
        .setBeginIntervalTime(end.minusSeconds(900))
        .setEndIntervalTime(end)
        .setStartupTime(end.minusSeconds(86_400))
        .setCollectedAt(end)
        .setInstanceRestarted(false)
        .setSystem(SystemMetrics.newBuilder().build())
        .setSqlStats(stats)
        .build();
  }
}
