package io.iris.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How far a backfill has come: snapshots done of a total, the rate since it was first watched and
 * the time left at that rate. The collector logs it while it works off a backlog; {@code ./iris up}
 * prints it from the collector's metrics. Whoever starts watching late counts from what was done by
 * then, so the rate is never inflated by work done before.
 */
public final class BackfillProgress {
  private final Instant started;
  private final long doneAtStart;

  /** Watching begins at {@code started}, when {@code doneAtStart} snapshots were already done. */
  public BackfillProgress(Instant started, long doneAtStart) {
    this.started = started;
    this.doneAtStart = doneAtStart;
  }

  /** Snapshots per second since watching began; empty before any time passed or work was done. */
  public OptionalDouble rate(long done, Instant now) {
    double seconds = Duration.between(started, now).toMillis() / 1000.0;
    long progress = done - doneAtStart;
    return seconds <= 0 || progress <= 0
        ? OptionalDouble.empty()
        : OptionalDouble.of(progress / seconds);
  }

  /** Time left at the rate so far; empty while there is no rate yet. */
  public Optional<Duration> eta(long done, long total, Instant now) {
    OptionalDouble rate = rate(done, now);
    if (rate.isEmpty()) {
      return Optional.empty();
    }
    long left = Math.max(0, total - done);
    return Optional.of(Duration.ofMillis(Math.round(left / rate.getAsDouble() * 1000)));
  }

  /** {@code 34/72 snapshots 1.5/s ETA 26 s}; without rate and ETA while there is no rate yet. */
  public String line(long done, long total, Instant now) {
    StringBuilder line = new StringBuilder();
    line.append(done).append('/').append(Math.max(done, total)).append(" snapshots");
    OptionalDouble rate = rate(done, now);
    if (rate.isPresent()) {
      line.append(' ').append(perSecond(rate.getAsDouble()));
      // Rounded up: 0.4 s left is not "0 s".
      long left = eta(done, total, now).orElseThrow().toMillis();
      line.append(" ETA ").append((left + 999) / 1000).append(" s");
    }
    return line.toString();
  }

  /** {@code 72 snapshots in 48 s, 1.5/s}: a finished backfill. */
  public String finished(long done, Instant now) {
    long count = done - doneAtStart;
    StringBuilder line =
        new StringBuilder()
            .append(count)
            .append(count == 1 ? " snapshot in " : " snapshots in ")
            .append(Math.round(Duration.between(started, now).toMillis() / 1000.0))
            .append(" s");
    rate(done, now).ifPresent(r -> line.append(", ").append(perSecond(r)));
    return line.toString();
  }

  /** {@code 1.5/s}, {@code 25/s}: a rate as the lines above show it. */
  public static String perSecond(double rate) {
    return String.format(Locale.ROOT, rate >= 10 ? "%.0f/s" : "%.1f/s", rate);
  }
}
