package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.PostgresExtension;
import io.iris.infra.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Trigger-to-collection latency: from the commit of a snapshot's log row (PostgreSQL, captured by
 * Debezium) to the snapshot's publication with its checkpoint (real broker and registry), for
 * snapshots of 20 statements. Run with {@code ./iris bench}; prints p50, p95 and max, asserts
 * nothing about time.
 */
@Tag("benchmark")
@ExtendWith({LocalInfraExtension.class, PostgresExtension.class})
class CollectorTriggerBenchmarkTest {
  private static final int WARMUP = 3;
  private static final int MEASURED = 20;

  @Test
  void fromLogRowCommitToPublishedSnapshot(LocalInfra infra, PostgresServer postgres)
      throws Exception {
    List<Long> millis = new ArrayList<>();
    try (TriggeredCollector c = new TriggeredCollector(infra, postgres)) {
      c.awaitTriggerUp();
      c.startCollecting(TriggeredCollector.LONG_POLL);
      c.awaitCollected(c.awr.simulator.lastSnapId(), Duration.ofSeconds(60));
      for (int i = 0; i < WARMUP + MEASURED; i++) {
        long took = c.announceNewSnapshot().toMillis();
        if (i >= WARMUP) {
          millis.add(took);
        }
      }
      assertEquals(0, c.count("iris.collector.trigger.fallbacks"), "every one was announced");
    }
    List<Long> sorted = millis.stream().sorted().toList();
    System.out.printf(
        "BENCH trigger: %d snapshots, log row commit to published: p50 %d ms, p95 %d ms, max %d"
            + " ms (poll interval 10 min)%n",
        MEASURED,
        sorted.get(MEASURED / 2),
        sorted.get((int) Math.ceil(MEASURED * 0.95) - 1),
        sorted.get(MEASURED - 1));
  }
}
