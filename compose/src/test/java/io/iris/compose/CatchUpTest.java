package io.iris.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.compose.CatchUp.Backfill;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What {@code ./iris up} prints while it follows the pipeline, and when it stops following. */
class CatchUpTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Optional<Backfill> backfill(long collected, long backlog) {
    return Optional.of(new Backfill(collected, backlog, List.of(), List.of()));
  }

  private static Instant at(double seconds) {
    return T0.plusMillis(Math.round(seconds * 1000));
  }

  @Test
  void theBackfillIsShownWithRateAndEtaThenThePipelineUntilItIsIdle() {
    CatchUp catchUp = new CatchUp(T0, CatchUp.BOUND, true);
    assertEquals(
        List.of("backfill   waiting for the collector's first look at its sources"),
        catchUp.backfill(at(0), Optional.empty()));
    assertEquals(List.of(), catchUp.backfill(at(2), Optional.empty()), "said once");
    assertEquals(List.of("backfill   10/72 snapshots"), catchUp.backfill(at(4), backfill(10, 62)));
    assertEquals(List.of(), catchUp.backfill(at(6), backfill(13, 59)), "at most every 5 s");
    assertEquals(
        List.of("backfill   34/72 snapshots 1.5/s ETA 26 s"),
        catchUp.backfill(at(20), backfill(34, 38)));
    assertEquals(
        List.of("backfill   72/72 snapshots collected, 1.5/s, none left"),
        catchUp.backfill(at(45.3), backfill(72, 0)));
    assertFalse(catchUp.done());

    assertEquals(
        List.of("pipeline   waiting for every service to commit its first records"),
        catchUp.pipeline(at(46), OptionalLong.empty()));
    assertEquals(
        List.of("pipeline   1200 records still to process"),
        catchUp.pipeline(at(48), OptionalLong.of(1200)));
    assertEquals(List.of(), catchUp.pipeline(at(50), OptionalLong.of(300)));
    assertEquals(List.of(), catchUp.pipeline(at(52), OptionalLong.of(0)), "one look is no proof");
    assertEquals(
        List.of("pipeline   85 records still to process"),
        catchUp.pipeline(at(54), OptionalLong.of(85)));
    assertEquals(List.of(), catchUp.pipeline(at(56), OptionalLong.of(0)));
    assertFalse(catchUp.done(), "idle only after looks in a row");
    assertEquals(
        List.of("pipeline   idle: every record processed"),
        catchUp.pipeline(at(58), OptionalLong.of(0)));
    assertTrue(catchUp.done());
  }

  @Test
  void aBackfillDoneBeforeTheFirstLookHasNoRate() {
    CatchUp catchUp = new CatchUp(T0, CatchUp.BOUND, true);
    assertEquals(
        List.of("backfill   72/72 snapshots collected, none left"),
        catchUp.backfill(at(0), backfill(72, 0)));
  }

  @Test
  void aBackfillStillGoingAtTheBoundIsLeftToTheCollector() {
    CatchUp catchUp = new CatchUp(T0, Duration.ofSeconds(120), true);
    catchUp.backfill(at(0), backfill(0, 5000));
    List<String> lines = catchUp.backfill(at(120), backfill(240, 4760));
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(
        lines.get(0).startsWith("backfill   still going after 120 s (4760 snapshots left"),
        lines.get(0));
    assertTrue(lines.get(0).contains("the services go on"), lines.get(0));
    assertTrue(catchUp.done(), "up never hangs");
  }

  @Test
  void aPipelineStillBusyAtTheBoundIsSaidSo() {
    CatchUp catchUp = new CatchUp(T0, Duration.ofSeconds(120), false);
    catchUp.pipeline(at(0), OptionalLong.of(10));
    assertEquals(
        List.of(
            "pipeline   still busy after 121 s (7 records left to process); the services go on,"
                + " the summary shows what is there so far and ./iris status follows them"),
        catchUp.pipeline(at(121), OptionalLong.of(7)));
    assertTrue(catchUp.done());

    CatchUp starting = new CatchUp(T0, Duration.ofSeconds(120), false);
    assertTrue(
        starting
            .pipeline(at(130), OptionalLong.empty())
            .get(0)
            .contains("(not every consumer group has committed yet)"));
    assertTrue(starting.done());
  }

  @Test
  void aSourceThatDoesNotAnswerIsNamedAndNotWaitedFor() {
    CatchUp catchUp = new CatchUp(T0, CatchUp.BOUND, true);
    List<String> lines =
        catchUp.backfill(at(3), Optional.of(new Backfill(72, 0, List.of(), List.of("crm"))));
    assertEquals(
        List.of(
            "backfill   source crm does not answer; the collector retries it (see its log)",
            "backfill   72/72 snapshots collected, none left"),
        lines);
    assertEquals(List.of(), catchUp.pipeline(at(4), OptionalLong.of(0)), "now the pipeline");
  }

  @Test
  void withoutACollectorOnlyThePipelineIsFollowed() {
    CatchUp catchUp = new CatchUp(T0, CatchUp.BOUND, false);
    catchUp.pipeline(at(0), OptionalLong.of(0));
    assertEquals(
        List.of("pipeline   idle: every record processed"),
        catchUp.pipeline(at(2), OptionalLong.of(0)));
  }

  @Test
  void theCollectorsMetricsSayWhichSourcesAreMeasuredWaitingOrDown() {
    MetricsPage page =
        MetricsPage.parse(
            """
            iris_collector_source_up{service="collector",source="sim"} 1.0
            iris_collector_source_up{service="collector",source="crm"} 0.0
            iris_collector_source_up{service="collector",source="hr"} 0.0
            iris_collector_backlog_snapshots{service="collector",source="sim"} 38.0
            iris_collector_backlog_snapshots{service="collector",source="crm"} NaN
            iris_collector_backlog_snapshots{service="collector",source="hr"} NaN
            iris_collector_snapshots_total{service="collector",source="sim"} 34.0
            iris_collector_errors_total{kind="database",service="collector",source="crm"} 3.0
            """);
    assertEquals(
        Optional.of(new Backfill(34, 38, List.of("hr"), List.of("crm"))), Backfill.of(page));
    assertEquals(Optional.empty(), Backfill.of(MetricsPage.parse("jvm_threads_live_threads 30\n")));
  }
}
