package io.iris.collector;

import io.iris.collector.AwrRows.Counters;
import io.iris.collector.AwrRows.InstanceInfo;
import io.iris.collector.AwrRows.InstanceKey;
import io.iris.collector.AwrRows.Snapshot;
import io.iris.schemas.RecordKeys;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.ExecutionPlan;
import io.iris.schemas.avro.PlanStep;
import io.iris.schemas.avro.SqlStat;
import io.iris.schemas.avro.SystemMetrics;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** Reads one AWR snapshot and turns it into the records the collector publishes. */
public final class SnapshotAssembler {
  private final AwrReader reader;
  private final Source source;

  public SnapshotAssembler(AwrReader reader, Source source) {
    this.reader = reader;
    this.source = source;
  }

  /** A snapshot ready to publish, and the plans it uses that were not published before. */
  public record Collected(AwrSnapshot snapshot, List<ExecutionPlan> newPlans) {
    public String key() {
      return RecordKeys.snapshot(snapshot.getDbid(), snapshot.getInstanceNumber());
    }
  }

  /**
   * Assembles snapshot {@code row} of {@code key}; {@code planSent} says whether a plan key was
   * published before.
   */
  public Collected assemble(InstanceKey key, Snapshot row, Predicate<String> planSent, Instant now)
      throws SQLException {
    Optional<Snapshot> previous = reader.previous(key, row.snapId());
    Counters counters = reader.counters(key, row.snapId());
    boolean continuous = SystemDeltas.continuous(row, previous);
    Optional<Counters> before =
        continuous ? Optional.of(reader.counters(key, previous.get().snapId())) : Optional.empty();
    SystemMetrics system = SystemDeltas.compute(row, counters, previous, before);
    // The first snapshot after a startup: the previous one (if AWR still has it) is of another
    // startup, or the interval begins at the startup.
    boolean restarted =
        previous.map(p -> !p.startup().equals(row.startup())).orElse(false)
            || !row.begin().isAfter(row.startup());
    List<SqlStat> stats = reader.sqlStats(key, row.snapId());
    InstanceInfo info = reader.instanceInfo(key, row.startup());
    AwrSnapshot snapshot =
        AwrSnapshot.newBuilder()
            .setSource(source.name())
            .setDbid(key.dbid())
            .setInstanceNumber(key.instance())
            .setSnapId(row.snapId())
            .setDbName(info.dbName().orElse(null))
            .setHostName(info.hostName().orElse(null))
            .setDbVersion(info.version().orElse(null))
            .setBeginIntervalTime(row.begin())
            .setEndIntervalTime(row.end())
            .setStartupTime(row.startup())
            .setCollectedAt(now)
            .setInstanceRestarted(restarted)
            .setSystem(system)
            .setSqlStats(stats)
            .setQualityViolations(List.of())
            .build();
    snapshot.setQualityViolations(Expectations.violations(snapshot));
    return new Collected(snapshot, newPlans(key.dbid(), row.snapId(), stats, planSent));
  }

  private List<ExecutionPlan> newPlans(
      long dbid, long snapId, List<SqlStat> stats, Predicate<String> planSent) throws SQLException {
    Set<String> seen = new LinkedHashSet<>();
    List<ExecutionPlan> plans = new ArrayList<>();
    for (SqlStat stat : stats) {
      String planKey = RecordKeys.plan(dbid, stat.getSqlId(), stat.getPlanHashValue());
      if (stat.getPlanHashValue() == 0 || planSent.test(planKey) || !seen.add(planKey)) {
        continue;
      }
      List<PlanStep> steps = reader.plan(dbid, stat.getSqlId(), stat.getPlanHashValue());
      if (steps.isEmpty()) {
        continue; // AWR has no plan rows (yet) for it: a later snapshot sends it.
      }
      plans.add(
          ExecutionPlan.newBuilder()
              .setDbid(dbid)
              .setSqlId(stat.getSqlId())
              .setPlanHashValue(stat.getPlanHashValue())
              .setFirstSeenSnapId(snapId)
              .setCapturedAt(
                  reader
                      .planCapturedAt(dbid, stat.getSqlId(), stat.getPlanHashValue())
                      .orElse(Instant.EPOCH))
              .setSteps(steps)
              .build());
    }
    return plans;
  }
}
