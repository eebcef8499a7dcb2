package io.iris.compose;

import io.iris.platform.BackfillProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The step of {@code ./iris up} after the services have started: it follows the sample through the
 * pipeline, first the collector's backfill ({@code backfill 34/72 snapshots 1.5/s ETA 26 s}), then
 * the records the other services have still to process, until the pipeline is idle. It is bounded:
 * when the bound passes it says so and {@code up} goes on, the services with it.
 *
 * <p>The decisions are here, the looking is a {@link Probe}'s.
 */
final class CatchUp {
  /** How long {@code ./iris up} follows the pipeline at most. */
  static final Duration BOUND = Duration.ofSeconds(120);

  /** How often it looks. */
  static final Duration POLL = Duration.ofSeconds(2);

  /** How often a line of progress is printed while nothing else happens. */
  static final Duration PRINT_EVERY = Duration.ofSeconds(5);

  /** Idle means no record waiting at this many looks in a row: one look may fall in a gap. */
  static final int IDLE_LOOKS = 2;

  /** What {@code ./iris up} looks at. */
  interface Probe {
    /** What the collector's metrics say; empty while they cannot be read. */
    Optional<Backfill> backfill();

    /**
     * Records the services' consumer groups have yet to read; empty until every one of those groups
     * has committed (a service still starting) or while the lag cannot be read.
     */
    OptionalLong toProcess();
  }

  /**
   * The collector's sources: snapshots collected since it started and snapshots left, summed over
   * the sources it has measured; sources not measured yet, and sources that do not answer.
   */
  record Backfill(long collected, long backlog, List<String> waiting, List<String> down) {
    boolean finished() {
      return waiting.isEmpty() && backlog == 0;
    }

    /**
     * Reads {@code iris_collector_source_up}, {@code _backlog_snapshots}, {@code _snapshots_total}
     * and {@code _errors_total} per source; empty when the page has no source yet.
     */
    static Optional<Backfill> of(MetricsPage page) {
      Map<String, Double> up = page.byLabel("iris_collector_source_up", "source");
      if (up.isEmpty()) {
        return Optional.empty();
      }
      Map<String, Double> backlog = page.byLabel("iris_collector_backlog_snapshots", "source");
      Map<String, Double> collected = page.byLabel("iris_collector_snapshots_total", "source");
      Map<String, Double> errors = page.byLabel("iris_collector_errors_total", "source");
      long collectedSum = 0;
      long backlogSum = 0;
      List<String> waiting = new ArrayList<>();
      List<String> down = new ArrayList<>();
      for (Map.Entry<String, Double> source : up.entrySet()) {
        String name = source.getKey();
        collectedSum += Math.round(collected.getOrDefault(name, 0.0));
        double left = backlog.getOrDefault(name, Double.NaN);
        if (source.getValue() >= 1 && !Double.isNaN(left)) {
          backlogSum += Math.round(left);
        } else if (errors.getOrDefault(name, 0.0) > 0) {
          // Up stays 0 from the start until a first look succeeds: only errors say it is down.
          down.add(name);
        } else {
          waiting.add(name);
        }
      }
      return Optional.of(new Backfill(collectedSum, backlogSum, waiting, down));
    }
  }

  private static final String GO_ON =
      "; the services go on, the summary shows what is there so far and ./iris status follows them";

  private enum Phase {
    BACKFILL,
    PIPELINE,
    DONE
  }

  private final Instant started;
  private final Instant deadline;
  private Phase phase;
  private BackfillProgress progress;
  private Instant printed;
  private String said = "";
  private List<String> down = List.of();
  private int idleLooks;

  /** Begins at {@code started}; without a collector there is no backfill to follow. */
  CatchUp(Instant started, Duration bound, boolean collectorRuns) {
    this.started = started;
    this.deadline = started.plus(bound);
    this.phase = collectorRuns ? Phase.BACKFILL : Phase.PIPELINE;
  }

  boolean done() {
    return phase == Phase.DONE;
  }

  /** The collector as seen at {@code now}; returns the lines to print. */
  List<String> backfill(Instant now, Optional<Backfill> seen) {
    List<String> lines = new ArrayList<>();
    if (seen.isPresent() && !seen.get().down().equals(down)) {
      down = seen.get().down();
      down.forEach(
          source ->
              lines.add(
                  PipelineSummary.line(
                      "backfill",
                      "source "
                          + source
                          + " does not answer; the collector retries it (see its log)")));
    }
    if (seen.isPresent() && seen.get().finished()) {
      Backfill b = seen.get();
      String rate =
          progress == null
              ? ""
              : progress.rate(b.collected(), now).stream()
                  .mapToObj(r -> ", " + BackfillProgress.perSecond(r))
                  .findFirst()
                  .orElse("");
      lines.add(
          PipelineSummary.line(
              "backfill",
              b.collected() + "/" + b.collected() + " snapshots collected" + rate + ", none left"));
      phase = Phase.PIPELINE;
      printed = null;
      return lines;
    }
    if (timedOut(now)) {
      String left =
          seen.map(b -> b.backlog() + " snapshots left to collect")
              .orElse("the collector's metrics unreadable");
      lines.add(
          PipelineSummary.line(
              "backfill", "still going after " + seconds(now) + " (" + left + ")" + GO_ON));
      phase = Phase.DONE;
      return lines;
    }
    if (seen.isEmpty() || seen.get().backlog() == 0) {
      sayOnce(lines, "backfill", "waiting for the collector's first look at its sources");
      return lines;
    }
    Backfill b = seen.get();
    if (progress == null) {
      progress = new BackfillProgress(now, b.collected());
    }
    if (due(now)) {
      lines.add(
          PipelineSummary.line(
              "backfill", progress.line(b.collected(), b.collected() + b.backlog(), now)));
      printed = now;
    }
    return lines;
  }

  /** The services' lag as seen at {@code now}; returns the lines to print. */
  List<String> pipeline(Instant now, OptionalLong toProcess) {
    List<String> lines = new ArrayList<>();
    if (toProcess.isPresent() && toProcess.getAsLong() == 0) {
      if (++idleLooks >= IDLE_LOOKS) {
        lines.add(PipelineSummary.line("pipeline", "idle: every record processed"));
        phase = Phase.DONE;
      }
      return lines;
    }
    idleLooks = 0;
    if (timedOut(now)) {
      String left =
          toProcess.isPresent()
              ? toProcess.getAsLong() + " records left to process"
              : "not every consumer group has committed yet";
      lines.add(
          PipelineSummary.line(
              "pipeline", "still busy after " + seconds(now) + " (" + left + ")" + GO_ON));
      phase = Phase.DONE;
      return lines;
    }
    if (toProcess.isEmpty()) {
      sayOnce(lines, "pipeline", "waiting for every service to commit its first records");
    } else if (due(now)) {
      lines.add(
          PipelineSummary.line("pipeline", toProcess.getAsLong() + " records still to process"));
      printed = now;
    }
    return lines;
  }

  /** Follows the pipeline through {@code probe} until it is idle or the bound has passed. */
  static void run(CatchUp catchUp, Probe probe, PrintStream out) throws InterruptedException {
    while (!catchUp.done()) {
      Phase looked = catchUp.phase;
      List<String> lines =
          looked == Phase.BACKFILL
              ? catchUp.backfill(Instant.now(), probe.backfill())
              : catchUp.pipeline(Instant.now(), probe.toProcess());
      lines.forEach(out::println);
      if (catchUp.phase == looked) {
        Thread.sleep(POLL.toMillis());
      }
    }
  }

  private boolean timedOut(Instant now) {
    return !now.isBefore(deadline);
  }

  private boolean due(Instant now) {
    return printed == null || !now.isBefore(printed.plus(PRINT_EVERY));
  }

  private void sayOnce(List<String> lines, String step, String text) {
    if (!said.equals(step + text)) {
      lines.add(PipelineSummary.line(step, text));
      said = step + text;
    }
  }

  private String seconds(Instant now) {
    return Duration.between(started, now).toSeconds() + " s";
  }
}
