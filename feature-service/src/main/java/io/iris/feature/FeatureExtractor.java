package io.iris.feature;

import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.ExecutionPlan;
import io.iris.schemas.avro.FeatureVector;
import io.iris.schemas.avro.PlanStep;
import io.iris.schemas.avro.PredicateCounts;
import io.iris.schemas.avro.QueryShape;
import io.iris.schemas.avro.Representative;
import io.iris.schemas.avro.StatementStats;
import io.iris.schemas.avro.SystemMetrics;
import io.iris.schemas.avro.TemplateObservation;
import java.util.Optional;

/**
 * Feature set v1 (docs/FEATURES.md): one template observation, with the system context of its
 * snapshot, its execution plan and its workload's latest compressed result where known, as one flat
 * {@link FeatureVector}. A missing input gives null features, never zeros.
 */
public final class FeatureExtractor {
  public static final String FEATURE_SET = "v1";

  private FeatureExtractor() {}

  public static FeatureVector extract(
      TemplateObservation o,
      Optional<SystemMetrics> system,
      Optional<ExecutionPlan> plan,
      Optional<CompressedWorkload> compressed) {
    QueryShape shape = o.getShape();
    PredicateCounts predicates = shape.getPredicates();
    StatementStats stats = o.getStats();
    FeatureVector.Builder v =
        FeatureVector.newBuilder()
            .setTemplateId(o.getTemplateId())
            .setFeatureSetVersion(FEATURE_SET)
            .setEventTime(o.getSnapshot().getEndIntervalTime())
            .setDbid(o.getSnapshot().getDbid())
            .setInstanceNumber(o.getSnapshot().getInstanceNumber())
            .setSnapId(o.getSnapshot().getSnapId())
            .setStatementType(o.getStatementType().name())
            .setTableCount(shape.getTables().size())
            .setJoinCount(shape.getJoins())
            .setSubqueryCount(shape.getSubqueries())
            .setMaxSubqueryDepth(shape.getMaxSubqueryDepth())
            .setEqualityPredicates(predicates.getEquality())
            .setRangePredicates(predicates.getRange())
            .setInPredicates(predicates.getInList())
            .setLikePredicates(predicates.getLike())
            .setNullPredicates(predicates.getIsNull())
            .setAggregateCount(shape.getAggregates())
            .setWindowFunctionCount(shape.getWindowFunctions())
            .setSetOperationCount(shape.getSetOperations())
            .setHasDistinct(shape.getDistinct())
            .setHasGroupBy(shape.getGroupBy())
            .setHasOrderBy(shape.getOrderBy())
            .setHasRowLimit(shape.getRowLimit())
            .setHintCount(shape.getHints().size())
            .setTextLength(shape.getTextLength())
            .setIndexableColumnCount(o.getIndexableColumns().size())
            .setExecutions(stats.getExecutions())
            .setElapsedPerExecUs(perExecution(stats.getElapsedTimeUs(), stats.getExecutions()))
            .setCpuPerExecUs(perExecution(stats.getCpuTimeUs(), stats.getExecutions()))
            .setBufferGetsPerExec(perExecution(stats.getBufferGets(), stats.getExecutions()))
            .setDiskReadsPerExec(perExecution(stats.getDiskReads(), stats.getExecutions()))
            .setRowsPerExec(perExecution(stats.getRowsProcessed(), stats.getExecutions()))
            .setCpuElapsedRatio(ratio(stats.getCpuTimeUs(), stats.getElapsedTimeUs()))
            .setIoWaitShare(ratio(stats.getIoWaitUs(), stats.getElapsedTimeUs()));
    system.ifPresent(
        s ->
            v.setDbTimeShare(ratio(stats.getElapsedTimeUs(), s.getDbTimeUs()))
                .setHostCpuUtilizationPct(s.getHostCpuUtilizationPct())
                .setAverageActiveSessions(s.getAverageActiveSessions())
                .setSessionCount(s.getSessionCount())
                .setUserIoWaitUs(s.getUserIoWaitUs())
                .setPgaAllocatedBytes(s.getPgaAllocatedBytes())
                .setSgaBytes(s.getSgaBytes()));
    plan.ifPresent(p -> planFeatures(p, v));
    compressed.ifPresent(
        c -> {
          Optional<Representative> me =
              c.getRepresentatives().stream()
                  .filter(r -> r.getTemplateId().equals(o.getTemplateId()))
                  .findFirst();
          v.setIsRepresentative(me.isPresent())
              .setRepresentativeWeight(me.map(Representative::getWeight).orElse(null));
        });
    return v.build();
  }

  private static void planFeatures(ExecutionPlan plan, FeatureVector.Builder v) {
    int full = 0;
    int range = 0;
    int unique = 0;
    int hash = 0;
    int loops = 0;
    int merge = 0;
    int sorts = 0;
    int depth = 0;
    PlanStep root = null;
    for (PlanStep step : plan.getSteps()) {
      String operation = step.getOperation();
      String options = step.getOptions() == null ? "" : step.getOptions();
      if (operation.equals("TABLE ACCESS") && options.startsWith("FULL")) {
        full++;
      } else if (operation.equals("INDEX") && options.startsWith("RANGE SCAN")) {
        range++;
      } else if (operation.equals("INDEX") && options.startsWith("UNIQUE SCAN")) {
        unique++;
      } else if (operation.equals("HASH JOIN")) {
        hash++;
      } else if (operation.equals("NESTED LOOPS")) {
        loops++;
      } else if (operation.equals("MERGE JOIN")) {
        merge++;
      } else if (operation.equals("SORT")) {
        sorts++;
      }
      depth = Math.max(depth, step.getDepth() + 1);
      if (step.getId() == 0) {
        root = step;
      }
    }
    v.setPlanFullScans(full)
        .setPlanIndexRangeScans(range)
        .setPlanIndexUniqueScans(unique)
        .setPlanHashJoins(hash)
        .setPlanNestedLoops(loops)
        .setPlanMergeJoins(merge)
        .setPlanSorts(sorts)
        .setPlanDepth(depth)
        .setPlanTotalCost(root == null ? null : root.getCost())
        .setPlanCardinality(root == null ? null : root.getCardinality());
  }

  /** A per-execution value; unknown when either input is unknown or nothing executed. */
  static Double perExecution(Long total, Long executions) {
    return total == null || executions == null || executions == 0
        ? null
        : (double) total / executions;
  }

  /** A ratio; unknown when either input is unknown or the denominator is zero. */
  static Double ratio(Long part, Long whole) {
    return part == null || whole == null || whole == 0 ? null : (double) part / whole;
  }
}
