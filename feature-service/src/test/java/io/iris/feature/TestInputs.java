package io.iris.feature;

import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.CompressionAlgorithm;
import io.iris.schemas.avro.CostMetric;
import io.iris.schemas.avro.Coverage;
import io.iris.schemas.avro.ExecutionPlan;
import io.iris.schemas.avro.PlanStep;
import io.iris.schemas.avro.Representative;
import io.iris.schemas.avro.SnapshotRef;
import io.iris.schemas.avro.StatementStats;
import io.iris.schemas.avro.SystemMetrics;
import io.iris.schemas.avro.TemplateObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The feature service's inputs, as the collector, parser and compressor write them. */
final class TestInputs {
  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private TestInputs() {}

  static Instant end(long snapId) {
    return T0.plus(Duration.ofMinutes(15 * snapId));
  }

  /** Statement {@code index} of {@code count} in snapshot {@code snapId} of {@code dbid}/1. */
  static TemplateObservation observation(
      long dbid, long snapId, int index, int count, String templateId, String sqlId, long elapsed) {
    TemplateObservation base = FeatureExtractorTest.observation(10L, elapsed);
    return TemplateObservation.newBuilder(base)
        .setTemplateId(templateId)
        .setSqlId(sqlId)
        .setSnapshot(
            SnapshotRef.newBuilder()
                .setSource("db" + dbid)
                .setDbid(dbid)
                .setInstanceNumber(1)
                .setSnapId(snapId)
                .setEndIntervalTime(end(snapId))
                .build())
        .setStatementIndex(index)
        .setStatementsInSnapshot(count)
        .setStats(StatementStats.newBuilder(base.getStats()).setElapsedTimeUs(elapsed).build())
        .build();
  }

  /** The snapshot's record on awr.snapshots, with system metrics (its statements do not matter). */
  static AwrSnapshot snapshot(long dbid, long snapId, double hostCpuPct) {
    return AwrSnapshot.newBuilder()
        .setSource("db" + dbid)
        .setDbid(dbid)
        .setInstanceNumber(1)
        .setSnapId(snapId)
        .setBeginIntervalTime(end(snapId - 1))
        .setEndIntervalTime(end(snapId))
        .setStartupTime(T0.minus(Duration.ofDays(3)))
        .setCollectedAt(end(snapId).plusSeconds(5))
        .setInstanceRestarted(false)
        .setSystem(
            SystemMetrics.newBuilder()
                .setHostCpuUtilizationPct(hostCpuPct)
                .setDbTimeUs(100_000_000L)
                .setSessionCount(80L)
                .build())
        .setSqlStats(List.of())
        .setQualityViolations(List.of())
        .build();
  }

  static ExecutionPlan plan(long dbid, String sqlId, long planHash) {
    return ExecutionPlan.newBuilder()
        .setDbid(dbid)
        .setSqlId(sqlId)
        .setPlanHashValue(planHash)
        .setFirstSeenSnapId(1)
        .setCapturedAt(T0)
        .setSteps(
            List.of(
                PlanStep.newBuilder()
                    .setId(0)
                    .setDepth(0)
                    .setOperation("SELECT STATEMENT")
                    .setCost(42L)
                    .setCardinality(7L)
                    .build(),
                PlanStep.newBuilder()
                    .setId(1)
                    .setParentId(0)
                    .setDepth(1)
                    .setOperation("TABLE ACCESS")
                    .setOptions("FULL")
                    .setCost(42L)
                    .build()))
        .build();
  }

  /** A compressed workload of {@code dbid} whose only representative is {@code templateId}. */
  static CompressedWorkload workload(long dbid, String templateId, double weight) {
    return CompressedWorkload.newBuilder()
        .setWorkload(Long.toString(dbid))
        .setWindowStart(T0)
        .setWindowEnd(T0)
        .setComputedAt(T0)
        .setTriggeringSnapId(1L)
        .setAlgorithm(CompressionAlgorithm.ISUM)
        .setK(1)
        .setCostMetric(CostMetric.ELAPSED)
        .setTotalTemplates(2)
        .setTotalExecutions(20)
        .setTotalCost(100)
        .setRepresentatives(
            List.of(
                Representative.newBuilder()
                    .setTemplateId(templateId)
                    .setTemplateText("SELECT ?")
                    .setWeight(weight)
                    .setCostShare(1.0)
                    .setUtility(1.0)
                    .setRepresentedTemplates(2)
                    .build()))
        .setCoverage(
            Coverage.newBuilder()
                .setCostCoverage(1.0)
                .setColumnCoverage(1.0)
                .setTableCoverage(1.0)
                .build())
        .build();
  }
}
