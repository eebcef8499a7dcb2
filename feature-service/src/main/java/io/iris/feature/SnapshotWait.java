package io.iris.feature;

import java.util.HashSet;
import java.util.Set;

/**
 * What has arrived of one snapshot (store {@code snapshot-waits}): how many observations so far and
 * how many there will be (-1 until the first arrives), how many of them still wait to be emitted,
 * whether its system metrics are in, and when it last made progress. After the wait ran out it also
 * holds the templates already emitted, so that a straggler never emits a second row for one.
 */
public final class SnapshotWait {
  public int expected = -1;
  public int seen;
  public int pending;
  public boolean context;
  public long lastProgressWallClock;
  public boolean timedOut;
  public Set<String> emitted = new HashSet<>();

  boolean complete() {
    return context && allStatementsSeen();
  }

  boolean allStatementsSeen() {
    return expected >= 0 && seen >= expected;
  }
}
