package io.iris.collector;

import io.iris.schemas.avro.CollectorCheckpoint;

/** Where collected snapshots go: Kafka, exactly once; or standard output for a look by hand. */
public interface SnapshotSink extends AutoCloseable {
  /** Publishes a snapshot, its new plans and the checkpoint that records it, all or nothing. */
  void publish(SnapshotAssembler.Collected collected, CollectorCheckpoint checkpoint)
      throws Exception;

  @Override
  default void close() {}
}
