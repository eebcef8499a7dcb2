package io.iris.collector;

import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.SqlStat;
import io.iris.schemas.avro.SystemMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The data-quality expectations every snapshot is checked against before it is published. A failed
 * expectation never drops data: the snapshot carries its name in {@code qualityViolations} and a
 * metric counts it.
 */
public final class Expectations {
  private static final Pattern SQL_ID = Pattern.compile("[0-9a-z]{13}");

  /** Oracle command types a collector expects in AWR (DML, queries, PL/SQL, calls, common DDL). */
  static final Set<Integer> KNOWN_COMMAND_TYPES =
      Set.of(1, 2, 3, 6, 7, 9, 10, 11, 12, 15, 26, 42, 44, 45, 47, 85, 170, 189);

  /** CPU may exceed elapsed a little: the two are sampled separately by Oracle. */
  static final double CPU_OVER_ELAPSED_TOLERANCE = 1.05;

  /** One named expectation. */
  public record Expectation(String name, Predicate<AwrSnapshot> holds) {}

  public static final List<Expectation> ALL =
      List.of(
          new Expectation(
              "interval_begins_before_it_ends",
              s -> s.getBeginIntervalTime().isBefore(s.getEndIntervalTime())),
          new Expectation(
              "instance_started_before_interval_end",
              s -> !s.getStartupTime().isAfter(s.getEndIntervalTime())),
          new Expectation(
              "sql_deltas_not_negative",
              s -> s.getSqlStats().stream().allMatch(Expectations::deltasNotNegative)),
          new Expectation("system_deltas_not_negative", s -> systemNotNegative(s.getSystem())),
          new Expectation(
              "cpu_not_above_elapsed",
              s -> s.getSqlStats().stream().allMatch(Expectations::cpuWithinElapsed)),
          new Expectation(
              "sql_id_format",
              s -> s.getSqlStats().stream().allMatch(q -> SQL_ID.matcher(q.getSqlId()).matches())),
          new Expectation(
              "known_command_type",
              s ->
                  s.getSqlStats().stream()
                      .allMatch(
                          q ->
                              q.getCommandType() == null
                                  || KNOWN_COMMAND_TYPES.contains(q.getCommandType()))),
          new Expectation(
              "host_cpu_within_0_100",
              s -> within(s.getSystem().getHostCpuUtilizationPct(), 0, 100)),
          new Expectation(
              "db_cpu_not_above_db_time",
              s ->
                  s.getSystem().getDbCpuUs() == null
                      || s.getSystem().getDbTimeUs() == null
                      || s.getSystem().getDbCpuUs()
                          <= s.getSystem().getDbTimeUs() * CPU_OVER_ELAPSED_TOLERANCE),
          new Expectation("statements_present", s -> !s.getSqlStats().isEmpty()));

  private Expectations() {}

  /** Names of the expectations {@code snapshot} fails, in declaration order. */
  public static List<String> violations(AwrSnapshot snapshot) {
    List<String> failed = new ArrayList<>();
    for (Expectation expectation : ALL) {
      if (!expectation.holds().test(snapshot)) {
        failed.add(expectation.name());
      }
    }
    return failed;
  }

  private static boolean deltasNotNegative(SqlStat s) {
    for (Long value :
        new Long[] {
          s.getExecutions(),
          s.getElapsedTimeUs(),
          s.getCpuTimeUs(),
          s.getBufferGets(),
          s.getDiskReads(),
          s.getRowsProcessed(),
          s.getIoWaitUs(),
          s.getParseCalls(),
          s.getFetches(),
          s.getSorts()
        }) {
      if (value != null && value < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean cpuWithinElapsed(SqlStat s) {
    return s.getCpuTimeUs() == null
        || s.getElapsedTimeUs() == null
        // Tiny values are dominated by measurement granularity.
        || s.getCpuTimeUs()
            <= Math.max(
                s.getElapsedTimeUs() * CPU_OVER_ELAPSED_TOLERANCE, s.getElapsedTimeUs() + 10_000);
  }

  private static boolean systemNotNegative(SystemMetrics m) {
    for (Long value :
        new Long[] {
          m.getDbTimeUs(),
          m.getDbCpuUs(),
          m.getUserIoWaitUs(),
          m.getLogicalReads(),
          m.getPhysicalReads(),
          m.getPhysicalWrites(),
          m.getExecuteCount(),
          m.getUserCommits(),
          m.getRedoBytes(),
          m.getSessionCount(),
          m.getPgaAllocatedBytes(),
          m.getSgaBytes()
        }) {
      if (value != null && value < 0) {
        return false;
      }
    }
    return within(m.getAverageActiveSessions(), 0, Double.MAX_VALUE);
  }

  private static boolean within(Double value, double min, double max) {
    return value == null || (value >= min && value <= max);
  }
}
