package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.PostgresExtension;
import io.iris.infra.PostgresServer;
import io.iris.infra.TopicContents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The trigger for real: Debezium's PostgreSQL connector on the snapshot log table of a private
 * PostgreSQL, through the same engine API the Oracle connector runs in, offsets on a real broker.
 */
@ExtendWith({LocalInfraExtension.class, PostgresExtension.class})
class DebeziumSnapshotTriggerTest {

  @Test
  void eachInsertIsAnnouncedAndARowLoggedWhileStoppedComesAfterARestartThatLeavesNoThread(
      LocalInfra infra, PostgresServer postgres) throws Exception {
    PostgresSnapshotLog log = new PostgresSnapshotLog(postgres);
    String source = "t" + UUID.randomUUID().toString().substring(0, 8);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CollectorMetrics metrics = new CollectorMetrics(meters);

    SnapshotInbox inbox = new SnapshotInbox();
    try (DebeziumSnapshotTrigger trigger = start(log, infra, source, metrics, inbox)) {
      Await.until("the trigger streams", Duration.ofSeconds(90), () -> isUp(meters));
      log.log(7, 1, 101);
      // Neither an update nor the log's purge announces anything.
      log.execute("UPDATE LOG_TABLE SET end_interval_time = now()");
      log.execute("DELETE FROM LOG_TABLE WHERE snap_id = 101");
      log.log(7, 2, 102);
      List<SnapshotAnnouncement> announced = receive(inbox, 2);
      assertEquals(List.of(101L, 102L), announced.stream().map(a -> a.snapId()).toList());
      assertEquals(List.of(1, 2), announced.stream().map(a -> a.instance()).toList());
      assertTrue(announced.stream().allMatch(a -> a.dbid() == 7));
    }
    assertFalse(isUp(meters), "a closed trigger is down");

    // Its position is in Kafka: the row logged while it was stopped is the first one it announces.
    log.log(7, 1, 103);
    // Counted from here, after libraries have started their once-per-JVM threads.
    NewThreads threads = new NewThreads();
    SnapshotInbox after = new SnapshotInbox();
    try (DebeziumSnapshotTrigger trigger = start(log, infra, source, metrics, after)) {
      assertEquals(103, receive(after, 1).getFirst().snapId());
    }
    threads.awaitNoneLeft(Duration.ofSeconds(30));
    assertTrue(
        TopicContents.read(
                infra.bootstrapServers(),
                DebeziumSnapshotTrigger.OFFSETS_TOPIC,
                new StringDeserializer(),
                true,
                v -> true)
            .stream()
            .anyMatch(r -> r.key().contains("iris-collector-trigger-" + source)),
        "the engine's offsets are on " + DebeziumSnapshotTrigger.OFFSETS_TOPIC);
  }

  private static DebeziumSnapshotTrigger start(
      PostgresSnapshotLog log,
      LocalInfra infra,
      String source,
      CollectorMetrics metrics,
      SnapshotInbox inbox) {
    DebeziumSnapshotTrigger trigger =
        new DebeziumSnapshotTrigger(
            source, log.trigger(infra, source), metrics, Duration.ofSeconds(2));
    trigger.start(inbox);
    return trigger;
  }

  static boolean isUp(SimpleMeterRegistry meters) {
    return meters.get("iris.collector.trigger.up").gauge().value() == 1;
  }

  /** The first {@code count} announcements, in order. */
  private static List<SnapshotAnnouncement> receive(SnapshotInbox inbox, int count)
      throws InterruptedException {
    List<SnapshotAnnouncement> received = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (received.size() < count && System.nanoTime() < deadline) {
      received.addAll(inbox.awaitUntil(deadline));
    }
    assertTrue(received.size() >= count, "announced: " + received);
    return received.subList(0, count);
  }
}
