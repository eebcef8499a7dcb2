package io.iris.collector;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Rows read from AWR, before they become records. */
public final class AwrRows {
  private AwrRows() {}

  /** One database instance's snapshot stream. */
  public record InstanceKey(long dbid, int instance) {
    @Override
    public String toString() {
      return dbid + ":" + instance;
    }
  }

  /** A row of DBA_HIST_SNAPSHOT. */
  public record Snapshot(long snapId, Instant begin, Instant end, Instant startup) {}

  /** A row of DBA_HIST_DATABASE_INSTANCE. */
  public record InstanceInfo(
      Optional<String> dbName, Optional<String> hostName, Optional<String> version) {}

  /**
   * Instance-wide counters at one snapshot: cumulative since startup (time model, sysstat, wait
   * events, OS stats) and gauges (sessions, PGA, SGA, host CPU average).
   */
  public record Counters(Map<String, Double> cumulative, Map<String, Double> gauges) {
    Optional<Double> cumulative(String name) {
      return Optional.ofNullable(cumulative.get(name));
    }

    Optional<Double> gauge(String name) {
      return Optional.ofNullable(gauges.get(name));
    }
  }
}
