package io.iris.compressor;

/** How many of a snapshot's observations have arrived, and since when it is waited for. */
public final class SnapshotProgress {
  public String workload;
  public long snapId;
  public int expected;
  public int seen;
  public long firstSeenWallClock;
  public long snapshotEnd;
}
