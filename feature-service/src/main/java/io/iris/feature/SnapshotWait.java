package io.iris.feature;

/**
 * What has arrived of one snapshot (store {@code snapshot-waits}): its observations so far, how
 * many there will be (-1 until the first arrives), whether its system metrics are in, and since
 * when it is waited for.
 */
public final class SnapshotWait {
  public int expected = -1;
  public int seen;
  public boolean context;
  public long firstSeenWallClock;

  boolean complete() {
    return context && expected >= 0 && seen >= expected;
  }
}
