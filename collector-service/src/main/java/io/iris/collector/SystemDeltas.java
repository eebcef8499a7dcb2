package io.iris.collector;

import io.iris.collector.AwrRows.Counters;
import io.iris.collector.AwrRows.Snapshot;
import io.iris.schemas.avro.SystemMetrics;
import java.time.Duration;
import java.util.Optional;

/**
 * Instance-wide metrics for one snapshot interval. AWR's system views hold counters that grow from
 * the instance's startup; the interval's value is the difference to the previous snapshot of the
 * same startup. Across a restart, or when the previous snapshot is not the one right before
 * (purged), the difference means nothing, so deltas are null. A negative difference is never
 * emitted: it is null too.
 */
public final class SystemDeltas {
  private SystemDeltas() {}

  /**
   * Whether {@code previous} is the snapshot right before {@code current} in the same startup (AWR
   * begins an interval where the previous one ended).
   */
  public static boolean continuous(Snapshot current, Optional<Snapshot> previous) {
    return previous.isPresent()
        && previous.get().startup().equals(current.startup())
        && Math.abs(Duration.between(previous.get().end(), current.begin()).toSeconds()) <= 60;
  }

  /** The metrics of {@code current}; deltas only when {@code previous} is continuous with it. */
  public static SystemMetrics compute(
      Snapshot current,
      Counters now,
      Optional<Snapshot> previousSnapshot,
      Optional<Counters> before) {
    boolean deltas = continuous(current, previousSnapshot) && before.isPresent();
    double seconds =
        Math.max(1, Duration.between(current.begin(), current.end()).toMillis() / 1000.0);
    Long dbTime = deltas ? delta(now, before.get(), "DB time") : null;
    Double hostCpu =
        now.gauge(AwrReader.HOST_CPU_METRIC)
            .orElseGet(() -> deltas ? osCpuPct(now, before.get()) : null);
    return SystemMetrics.newBuilder()
        .setHostCpuUtilizationPct(hostCpu)
        .setDbTimeUs(dbTime)
        .setDbCpuUs(deltas ? delta(now, before.get(), "DB CPU") : null)
        .setUserIoWaitUs(deltas ? delta(now, before.get(), AwrReader.USER_IO) : null)
        .setAverageActiveSessions(dbTime == null ? null : dbTime / 1e6 / seconds)
        .setSessionCount(now.gauge(AwrReader.SESSIONS).map(Math::round).orElse(null))
        .setPgaAllocatedBytes(now.gauge(AwrReader.PGA).map(Math::round).orElse(null))
        .setSgaBytes(now.gauge(AwrReader.SGA).map(Math::round).orElse(null))
        .setLogicalReads(deltas ? delta(now, before.get(), "session logical reads") : null)
        .setPhysicalReads(deltas ? delta(now, before.get(), "physical reads") : null)
        .setPhysicalWrites(deltas ? delta(now, before.get(), "physical writes") : null)
        .setExecuteCount(deltas ? delta(now, before.get(), "execute count") : null)
        .setUserCommits(deltas ? delta(now, before.get(), "user commits") : null)
        .setRedoBytes(deltas ? delta(now, before.get(), "redo size") : null)
        .build();
  }

  /** A cumulative counter's growth, or null when unknown or negative. */
  static Long delta(Counters now, Counters before, String name) {
    Optional<Double> a = now.cumulative(name);
    Optional<Double> b = before.cumulative(name);
    if (a.isEmpty() || b.isEmpty()) {
      return null;
    }
    long delta = Math.round(a.get() - b.get());
    return delta < 0 ? null : delta;
  }

  /** Host CPU from DBA_HIST_OSSTAT: busy / (busy + idle) over the interval, percent. */
  private static Double osCpuPct(Counters now, Counters before) {
    Long busy = delta(now, before, "BUSY_TIME");
    Long idle = delta(now, before, "IDLE_TIME");
    if (busy == null || idle == null || busy + idle == 0) {
      return null;
    }
    return 100.0 * busy / (busy + idle);
  }
}
