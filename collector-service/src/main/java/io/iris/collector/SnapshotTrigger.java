package io.iris.collector;

/**
 * What tells a source's collector that a new AWR snapshot exists before its next poll is due.
 * Polling alone needs nothing ({@link #polling()}); {@link DebeziumSnapshotTrigger} announces each
 * snapshot as the database's snapshot log table gets its row. Announcements only wake the
 * collector: what it publishes is decided by its checkpoints alone, so an announcement of a
 * snapshot already collected does nothing and a missed one is found by the next poll.
 */
public interface SnapshotTrigger extends AutoCloseable {

  /** Starts announcing new snapshots to {@code inbox}; returns at once. */
  void start(SnapshotInbox inbox);

  /** Stops announcing and releases every thread and connection the trigger holds. */
  @Override
  void close();

  /** No announcements: the collector finds new snapshots by polling alone. */
  static SnapshotTrigger polling() {
    return new SnapshotTrigger() {
      @Override
      public void start(SnapshotInbox inbox) {}

      @Override
      public void close() {}
    };
  }
}
