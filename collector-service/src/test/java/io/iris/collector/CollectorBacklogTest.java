package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.collector.AwrRows.InstanceKey;
import io.iris.platform.IrisConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * {@code iris_collector_backlog_snapshots}: what the simulated AWR holds after the collector's
 * checkpoints, counting down as snapshots are published, and what a start position leaves out.
 */
class CollectorBacklogTest {

  private static SourceCollector collector(
      SimulatedAwr awr, String start, CollectorMetrics metrics, SnapshotSink sink) {
    IrisConfig config =
        new IrisConfig(
            Map.of(
                "IRIS_COLLECTOR_SOURCES",
                "shop",
                "IRIS_COLLECTOR_SOURCE_SHOP_URL",
                awr.url,
                "IRIS_COLLECTOR_SOURCE_SHOP_USER",
                "sa",
                "IRIS_COLLECTOR_START",
                start));
    return new SourceCollector(
        awr.source("shop"),
        CollectorSettings.from(config),
        CollectorState.empty(),
        sink,
        metrics,
        Clock.systemUTC());
  }

  private static double backlog(PrometheusMeterRegistry meters) {
    return meters.get("iris.collector.backlog").tag("source", "shop").gauge().value();
  }

  private static List<Double> countdown(long from) {
    return LongStream.iterate(from, n -> n >= 1, n -> n - 1).mapToObj(n -> (double) n).toList();
  }

  @Test
  void theBacklogIsWhatAwrHoldsAfterTheCheckpointAndCountsDownWithEverySnapshot() throws Exception {
    try (SimulatedAwr awr = new SimulatedAwr()) {
      awr.simulator.generate(4);
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      CollectorMetrics metrics = new CollectorMetrics(meters);
      metrics.register("shop");
      assertTrue(Double.isNaN(backlog(meters)), "unknown until the collector has looked");

      // What the gauge says while each snapshot is published: it still counts that one.
      List<Double> seen = new ArrayList<>();
      SourceCollector collector =
          collector(awr, "earliest", metrics, (collected, checkpoint) -> seen.add(backlog(meters)));
      assertEquals(12, collector.collectOnce());
      assertEquals(countdown(12), seen, "4 snapshots of 3 instances, one less after each");
      assertEquals(0, backlog(meters));
      assertTrue(
          meters.scrape().contains("\niris_collector_backlog_snapshots{source=\"shop\"} 0.0\n"),
          "the name Prometheus scrapes: " + meters.scrape());

      awr.simulator.generate(2);
      seen.clear();
      assertEquals(6, collector.collectOnce());
      assertEquals(countdown(6), seen, "only what came after the checkpoints");
      assertEquals(0, backlog(meters));
    }
  }

  @Test
  void aCollectorStartingAtTheLatestSnapshotHasOnlyThatToCollect() throws Exception {
    try (SimulatedAwr awr = new SimulatedAwr()) {
      awr.simulator.generate(5);
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      CollectorMetrics metrics = new CollectorMetrics(meters);
      metrics.register("shop");
      List<Double> seen = new ArrayList<>();
      SourceCollector collector =
          collector(awr, "latest", metrics, (collected, checkpoint) -> seen.add(backlog(meters)));
      assertEquals(3, collector.collectOnce());
      assertEquals(countdown(3), seen, "the newest snapshot of each of 3 instances");
    }
  }

  @Test
  void countAfterCountsAnInstancesSnapshotsAfterOne() throws Exception {
    try (SimulatedAwr awr = new SimulatedAwr()) {
      awr.simulator.generate(4);
      InstanceKey shop2 = new InstanceKey(SimulatedAwr.SHOP, 2);
      assertEquals(4, awr.reader().countAfter(shop2, 0));
      assertEquals(2, awr.reader().countAfter(shop2, 1002));
      assertEquals(0, awr.reader().countAfter(shop2, 1004));
    }
  }
}
