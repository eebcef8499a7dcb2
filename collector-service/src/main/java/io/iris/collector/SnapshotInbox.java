package io.iris.collector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where a trigger leaves announced snapshots for one source's collector, and where that collector
 * waits for them or for its next poll, whichever comes first.
 */
public final class SnapshotInbox {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<SnapshotAnnouncement> waiting = new ArrayList<>();
  private boolean woken;

  /** Hands an announcement to the collector; called from the trigger's threads. */
  public void announce(SnapshotAnnouncement announcement) {
    lock.lock();
    try {
      waiting.add(announcement);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until announcements are there (and returns them all), or until {@code deadlineNanos}
   * ({@link System#nanoTime()}) or a {@link #wake()} (and returns none).
   */
  List<SnapshotAnnouncement> awaitUntil(long deadlineNanos) throws InterruptedException {
    lock.lock();
    try {
      while (waiting.isEmpty() && !woken) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return List.of();
        }
        changed.await(left, TimeUnit.NANOSECONDS);
      }
      woken = false;
      List<SnapshotAnnouncement> arrived = List.copyOf(waiting);
      waiting.clear();
      return arrived;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the current wait, or the next one if none is under way: the collector is stopping. */
  void wake() {
    lock.lock();
    try {
      woken = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
