package io.iris.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.schemas.avro.ColumnUsage;
import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.CompressionAlgorithm;
import io.iris.schemas.avro.CostMetric;
import io.iris.schemas.avro.Coverage;
import io.iris.schemas.avro.ExecutionPlan;
import io.iris.schemas.avro.FeatureVector;
import io.iris.schemas.avro.IndexableColumn;
import io.iris.schemas.avro.ParseMode;
import io.iris.schemas.avro.PlanStep;
import io.iris.schemas.avro.PredicateCounts;
import io.iris.schemas.avro.QueryShape;
import io.iris.schemas.avro.Representative;
import io.iris.schemas.avro.SnapshotRef;
import io.iris.schemas.avro.StatementStats;
import io.iris.schemas.avro.StatementType;
import io.iris.schemas.avro.SystemMetrics;
import io.iris.schemas.avro.TemplateObservation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FeatureExtractorTest {
  private static final Instant END = Instant.parse("2026-11-26T10:15:00Z");

  static TemplateObservation observation(Long executions, Long elapsed) {
    return TemplateObservation.newBuilder()
        .setTemplateId("00112233aabbccdd")
        .setTemplateText(
            "SELECT * FROM ORDERS O JOIN ITEMS I ON I.O = O.ID WHERE O.STATUS = ? ORDER BY O.ID")
        .setStatementType(StatementType.SELECT)
        .setParseMode(ParseMode.FULL)
        .setSnapshot(
            SnapshotRef.newBuilder()
                .setSource("db")
                .setDbid(42)
                .setInstanceNumber(2)
                .setSnapId(1001)
                .setEndIntervalTime(END)
                .build())
        .setStatementIndex(0)
        .setStatementsInSnapshot(1)
        .setSqlId("abcdefghijklm")
        .setPlanHashValue(7)
        .setStats(
            StatementStats.newBuilder()
                .setExecutions(executions)
                .setElapsedTimeUs(elapsed)
                .setCpuTimeUs(elapsed == null ? null : elapsed / 2)
                .setBufferGets(1_000L)
                .setIoWaitUs(elapsed == null ? null : elapsed / 4)
                .build())
        .setShape(
            QueryShape.newBuilder()
                .setTables(List.of("ITEMS", "ORDERS"))
                .setJoins(1)
                .setSubqueries(0)
                .setMaxSubqueryDepth(0)
                .setPredicates(PredicateCounts.newBuilder().setEquality(2).build())
                .setAggregates(0)
                .setWindowFunctions(0)
                .setSetOperations(0)
                .setDistinct(false)
                .setGroupBy(false)
                .setOrderBy(true)
                .setRowLimit(false)
                .setHints(List.of("INDEX"))
                .setTextLength(80)
                .build())
        .setIndexableColumns(
            List.of(
                IndexableColumn.newBuilder()
                    .setTable("ORDERS")
                    .setColumn("STATUS")
                    .setUsage(ColumnUsage.FILTER_EQ)
                    .build()))
        .build();
  }

  private static PlanStep step(
      int id, Integer parent, int depth, String operation, String options, Long cost) {
    return PlanStep.newBuilder()
        .setId(id)
        .setParentId(parent)
        .setDepth(depth)
        .setOperation(operation)
        .setOptions(options)
        .setCost(cost)
        .setCardinality(id == 0 ? 25L : null)
        .build();
  }

  @Test
  void everyInputGivesItsFeatures() {
    ExecutionPlan plan =
        ExecutionPlan.newBuilder()
            .setDbid(42)
            .setSqlId("abcdefghijklm")
            .setPlanHashValue(7)
            .setFirstSeenSnapId(1001)
            .setCapturedAt(END)
            .setSteps(
                List.of(
                    step(0, null, 0, "SELECT STATEMENT", null, 40L),
                    step(1, 0, 1, "SORT", "ORDER BY", 40L),
                    step(2, 1, 2, "HASH JOIN", null, 30L),
                    step(3, 2, 3, "TABLE ACCESS", "FULL", 20L),
                    step(4, 2, 3, "TABLE ACCESS", "BY INDEX ROWID", 5L),
                    step(5, 4, 4, "INDEX", "RANGE SCAN", 2L)))
            .build();
    SystemMetrics system =
        SystemMetrics.newBuilder()
            .setDbTimeUs(8_000_000L)
            .setHostCpuUtilizationPct(35.5)
            .setSessionCount(120L)
            .build();
    CompressedWorkload compressed =
        CompressedWorkload.newBuilder()
            .setWorkload("42")
            .setWindowStart(END)
            .setWindowEnd(END)
            .setComputedAt(END)
            .setAlgorithm(CompressionAlgorithm.ISUM)
            .setK(1)
            .setCostMetric(CostMetric.ELAPSED)
            .setTotalTemplates(3)
            .setTotalExecutions(10)
            .setTotalCost(100)
            .setRepresentatives(
                List.of(
                    Representative.newBuilder()
                        .setTemplateId("00112233aabbccdd")
                        .setTemplateText("T")
                        .setWeight(70)
                        .setCostShare(0.7)
                        .setUtility(30)
                        .setRepresentedTemplates(2)
                        .build()))
            .setCoverage(
                Coverage.newBuilder()
                    .setCostCoverage(0.5)
                    .setColumnCoverage(0.5)
                    .setTableCoverage(0.5)
                    .build())
            .build();

    FeatureVector v =
        FeatureExtractor.extract(
            observation(10L, 2_000_000L),
            Optional.of(system),
            Optional.of(plan),
            Optional.of(compressed));
    assertEquals("v1", v.getFeatureSetVersion());
    assertEquals(END, v.getEventTime());
    assertEquals(2, v.getTableCount());
    assertEquals(2, v.getEqualityPredicates());
    assertTrue(v.getHasOrderBy());
    assertEquals(1, v.getHintCount());
    assertEquals(200_000.0, v.getElapsedPerExecUs());
    assertEquals(0.5, v.getCpuElapsedRatio());
    assertEquals(0.25, v.getIoWaitShare());
    assertEquals(0.25, v.getDbTimeShare());
    assertEquals(35.5, v.getHostCpuUtilizationPct());
    assertEquals(1, v.getPlanFullScans());
    assertEquals(1, v.getPlanIndexRangeScans());
    assertEquals(1, v.getPlanHashJoins());
    assertEquals(1, v.getPlanSorts());
    assertEquals(40L, v.getPlanTotalCost());
    assertEquals(25L, v.getPlanCardinality());
    assertEquals(5, v.getPlanDepth());
    assertTrue(v.getIsRepresentative());
    assertEquals(70.0, v.getRepresentativeWeight());
  }

  @Test
  void missingInputsGiveNullsNotZeros() {
    FeatureVector v =
        FeatureExtractor.extract(
            observation(0L, null), Optional.empty(), Optional.empty(), Optional.empty());
    assertNull(v.getElapsedPerExecUs(), "nothing executed: no per-execution value");
    assertNull(v.getCpuElapsedRatio());
    assertNull(v.getDbTimeShare());
    assertNull(v.getHostCpuUtilizationPct());
    assertNull(v.getPlanFullScans());
    assertNull(v.getPlanTotalCost());
    assertNull(v.getIsRepresentative());
    assertNull(v.getRepresentativeWeight());
    assertEquals(0L, v.getExecutions());
  }

  @Test
  void aTemplateThatIsNotARepresentativeSaysSo() {
    CompressedWorkload other =
        CompressedWorkload.newBuilder()
            .setWorkload("42")
            .setWindowStart(END)
            .setWindowEnd(END)
            .setComputedAt(END)
            .setAlgorithm(CompressionAlgorithm.ISUM)
            .setK(0)
            .setCostMetric(CostMetric.ELAPSED)
            .setTotalTemplates(0)
            .setTotalExecutions(0)
            .setTotalCost(0)
            .setRepresentatives(List.of())
            .setCoverage(
                Coverage.newBuilder()
                    .setCostCoverage(0)
                    .setColumnCoverage(0)
                    .setTableCoverage(0)
                    .build())
            .build();
    FeatureVector v =
        FeatureExtractor.extract(
            observation(1L, 5L), Optional.empty(), Optional.empty(), Optional.of(other));
    assertFalse(v.getIsRepresentative());
    assertNull(v.getRepresentativeWeight());
  }
}
