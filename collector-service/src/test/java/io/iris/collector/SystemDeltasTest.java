package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.iris.collector.AwrRows.Counters;
import io.iris.collector.AwrRows.Snapshot;
import io.iris.schemas.avro.SystemMetrics;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SystemDeltasTest {
  private static final Instant STARTUP = Instant.parse("2026-11-20T00:00:00Z");
  private static final Snapshot PREVIOUS =
      new Snapshot(
          10,
          Instant.parse("2026-11-20T09:45:00Z"),
          Instant.parse("2026-11-20T10:00:00Z"),
          STARTUP);
  private static final Snapshot CURRENT =
      new Snapshot(
          11,
          Instant.parse("2026-11-20T10:00:00Z"),
          Instant.parse("2026-11-20T10:15:00Z"),
          STARTUP);

  private static Counters counters(double dbTime, double logicalReads, Map<String, Double> gauges) {
    return new Counters(
        Map.of(
            "DB time",
            dbTime,
            "DB CPU",
            dbTime / 2,
            "session logical reads",
            logicalReads,
            AwrReader.USER_IO,
            dbTime / 10,
            "BUSY_TIME",
            dbTime / 1e4,
            "IDLE_TIME",
            dbTime / 1e4),
        gauges);
  }

  @Test
  void deltasAreTheGrowthOfCumulativeCountersOverTheInterval() {
    SystemMetrics m =
        SystemDeltas.compute(
            CURRENT,
            counters(2_900e6, 5_000, Map.of(AwrReader.SESSIONS, 120.0)),
            Optional.of(PREVIOUS),
            Optional.of(counters(2_000e6, 1_000, Map.of())));
    assertEquals(900_000_000L, m.getDbTimeUs());
    assertEquals(450_000_000L, m.getDbCpuUs());
    assertEquals(4_000L, m.getLogicalReads());
    assertEquals(1.0, m.getAverageActiveSessions(), 1e-9, "900 s of DB time in a 900 s interval");
    assertEquals(120L, m.getSessionCount(), "a gauge is taken as it is");
    assertEquals(
        50.0, m.getHostCpuUtilizationPct(), 1e-9, "from OSSTAT busy/(busy+idle) without SYSMETRIC");
  }

  @Test
  void afterARestartThereAreNoDeltas() {
    Snapshot restarted = new Snapshot(11, CURRENT.begin(), CURRENT.end(), CURRENT.begin());
    SystemMetrics m =
        SystemDeltas.compute(
            restarted,
            counters(10e6, 10, Map.of(AwrReader.PGA, 7.0)),
            Optional.of(PREVIOUS),
            Optional.of(counters(2_000e6, 1_000, Map.of())));
    assertNull(m.getDbTimeUs());
    assertNull(m.getLogicalReads());
    assertNull(m.getAverageActiveSessions());
    assertEquals(7L, m.getPgaAllocatedBytes(), "gauges are still known");
  }

  @Test
  void whenThePreviousSnapshotIsNotTheOneRightBeforeThereAreNoDeltas() {
    Snapshot older =
        new Snapshot(
            8,
            Instant.parse("2026-11-20T09:15:00Z"),
            Instant.parse("2026-11-20T09:30:00Z"),
            STARTUP);
    SystemMetrics m =
        SystemDeltas.compute(
            CURRENT,
            counters(2_900e6, 5_000, Map.of()),
            Optional.of(older),
            Optional.of(counters(1e6, 1, Map.of())));
    assertNull(m.getDbTimeUs());
    assertNull(
        SystemDeltas.compute(CURRENT, counters(1, 1, Map.of()), Optional.empty(), Optional.empty())
            .getDbTimeUs());
  }

  @Test
  void aNegativeDeltaIsNeverEmitted() {
    SystemMetrics m =
        SystemDeltas.compute(
            CURRENT,
            counters(1_000e6, 10, Map.of()),
            Optional.of(PREVIOUS),
            Optional.of(counters(2_000e6, 5, Map.of())));
    assertNull(m.getDbTimeUs());
    assertEquals(5L, m.getLogicalReads());
  }
}
