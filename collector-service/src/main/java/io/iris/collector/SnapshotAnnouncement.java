package io.iris.collector;

/**
 * A change event's news that AWR holds a new snapshot: one row of the snapshot log table.
 *
 * @param dbid the database's DBID
 * @param instance the instance number
 * @param snapId the snapshot's id
 * @param receivedNanos when the event reached the collector ({@link System#nanoTime()}): where the
 *     trigger-to-collection latency starts
 */
public record SnapshotAnnouncement(long dbid, int instance, long snapId, long receivedNanos) {}
