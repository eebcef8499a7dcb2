package io.iris.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the simulator produces.
 *
 * @param seed everything is deterministic from it
 * @param databases the simulated databases (one with two instances is a RAC)
 * @param firstSnapshotEnd end of the first snapshot interval
 * @param interval time between snapshots (AWR's default is 60 minutes; 15 is common)
 * @param statementsPerSnapshot how many statements AWR keeps per snapshot (its top SQL)
 * @param restart an instance restart to simulate, if any
 * @param newPlanEvery every this many snapshots one statement gets a new execution plan
 * @param longTextBytes when above 0, some statements get texts up to this long (and one 10 times as
 *     long), as generated SQL and IN-lists of thousands of literals make them
 * @param prefix the view prefix the tables are created with
 */
public record SimulatorConfig(
    long seed,
    List<Database> databases,
    Instant firstSnapshotEnd,
    Duration interval,
    int statementsPerSnapshot,
    Optional<Restart> restart,
    int newPlanEvery,
    int longTextBytes,
    String prefix) {

  /** A simulated database. */
  public record Database(String name, long dbid, int instances) {}

  /**
   * Instance {@code instance} of {@code dbid} restarts before its snapshot number {@code
   * atSnapshot}.
   */
  public record Restart(long dbid, int instance, int atSnapshot) {}

  /**
   * The default: two databases, one a two-instance RAC, 15-minute snapshots, 150 statements per
   * snapshot, one restart of RAC instance 2 at its 10th snapshot.
   */
  public static SimulatorConfig standard(long seed) {
    return new SimulatorConfig(
        seed,
        List.of(new Database("SHOP", 1_384_119_271L, 2), new Database("CRM", 2_917_331_044L, 1)),
        Instant.parse("2026-11-20T00:15:00Z"),
        Duration.ofMinutes(15),
        150,
        Optional.of(new Restart(1_384_119_271L, 2, 10)),
        6,
        0,
        "DBA_HIST_");
  }

  /** The same workload on another clock: first snapshot end and interval. */
  public SimulatorConfig withTiming(Instant firstSnapshotEnd, Duration interval) {
    return new SimulatorConfig(
        seed,
        databases,
        firstSnapshotEnd,
        interval,
        statementsPerSnapshot,
        restart,
        newPlanEvery,
        longTextBytes,
        prefix);
  }

  public SimulatorConfig withDatabases(List<Database> databases) {
    return new SimulatorConfig(
        seed,
        databases,
        firstSnapshotEnd,
        interval,
        statementsPerSnapshot,
        restart,
        newPlanEvery,
        longTextBytes,
        prefix);
  }

  public SimulatorConfig withStatementsPerSnapshot(int statements) {
    return new SimulatorConfig(
        seed,
        databases,
        firstSnapshotEnd,
        interval,
        statements,
        restart,
        newPlanEvery,
        longTextBytes,
        prefix);
  }

  public SimulatorConfig withRestart(Optional<Restart> restart) {
    return new SimulatorConfig(
        seed,
        databases,
        firstSnapshotEnd,
        interval,
        statementsPerSnapshot,
        restart,
        newPlanEvery,
        longTextBytes,
        prefix);
  }

  public SimulatorConfig withLongTexts(int bytes) {
    return new SimulatorConfig(
        seed,
        databases,
        firstSnapshotEnd,
        interval,
        statementsPerSnapshot,
        restart,
        newPlanEvery,
        bytes,
        prefix);
  }
}
