package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.PostgresExtension;
import io.iris.infra.PostgresServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The collector with the Debezium trigger (IRIS_COLLECTOR_TRIGGER=debezium): a row in the snapshot
 * log makes it collect that snapshot long before its poll is due; a row for a snapshot already
 * collected does nothing; a snapshot whose row never comes is collected by the safety-net poll.
 */
@ExtendWith({LocalInfraExtension.class, PostgresExtension.class})
class CollectorTriggerTest {

  @Test
  void anAnnouncedSnapshotIsCollectedAtOnceAndAMissedOneByTheSafetyNet(
      LocalInfra infra, PostgresServer postgres) throws Exception {
    try (TriggeredCollector c = new TriggeredCollector(infra, postgres)) {
      c.awaitTriggerUp();
      long first = c.awr.simulator.lastSnapId();
      c.startCollecting(TriggeredCollector.LONG_POLL);
      c.awaitCollected(first, Duration.ofSeconds(60));

      // A new snapshot and its log row: collected now, not in 10 minutes.
      Duration took = c.announceNewSnapshot();
      System.out.printf(
          "TRIGGER snapshot collected %d ms after its log row committed%n", took.toMillis());
      assertEquals(1, c.count("iris.collector.trigger.events", "outcome", "new"));
      // The latency is recorded just after the checkpoint moves.
      Await.until(
          "the trigger's latency is recorded",
          Duration.ofSeconds(60),
          () -> c.meters.get("iris.collector.trigger.latency").timer().count() >= 1);
      assertEquals(1, c.meters.get("iris.collector.trigger.latency").timer().count());

      // A row for a snapshot already collected: counted, and nothing collected again.
      c.log.log(TriggeredCollector.DBID, 1, first);
      Await.until(
          "the row for a collected snapshot is handled",
          Duration.ofSeconds(60),
          () -> c.count("iris.collector.trigger.events", "outcome", "already_collected") == 1);
      assertEquals(2, c.count("iris.collector.snapshots"));
      c.stopCollecting();

      // A snapshot whose event is missed: the safety-net poll collects it.
      c.startCollecting(Duration.ofSeconds(1));
      c.awaitIdle();
      long missed = c.awr.simulator.takeSnapshot();
      c.awaitCollected(missed, Duration.ofSeconds(60));
      // The pass counts its fallbacks when it ends, just after the checkpoint moved.
      Await.until(
          "the safety-net poll's find is counted as a fallback",
          Duration.ofSeconds(60),
          () -> c.count("iris.collector.trigger.fallbacks") >= 1);
      assertEquals(1, c.count("iris.collector.trigger.fallbacks"));
      assertEquals(1, c.count("iris.collector.trigger.events", "outcome", "new"));
      c.stopCollecting();

      CollectorKafkaTest.assertExactlyOnceInOrder(CollectorKafkaTest.snapshots(infra, c.name), 3);
    }
  }
}
