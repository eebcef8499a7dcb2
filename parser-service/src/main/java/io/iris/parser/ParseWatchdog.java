package io.iris.parser;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.sf.jsqlparser.parser.CCJSqlParser;

/**
 * Stops JSqlParser parses that run past their deadline. JSqlParser ignores thread interrupts but
 * checks its {@code interrupted} flag as it goes, so one timer thread that looks over the running
 * parses a few times per budget is enough, and a parse costs the caller two map operations rather
 * than a scheduled task each.
 */
final class ParseWatchdog implements AutoCloseable {
  /** A parse being watched; closing it ends the watch. */
  interface Watch extends AutoCloseable {
    @Override
    void close();
  }

  private final ConcurrentHashMap<CCJSqlParser, Long> deadlines = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  ParseWatchdog(Duration budget) {
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "sql-parse-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    long tickMillis = Math.max(5, budget.toMillis() / 5);
    timer.scheduleWithFixedDelay(this::stopOverdue, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
  }

  /** Watches {@code parser} until the returned watch is closed. */
  Watch watch(CCJSqlParser parser, long deadlineNanos) {
    deadlines.put(parser, deadlineNanos);
    return () -> deadlines.remove(parser);
  }

  private void stopOverdue() {
    long now = System.nanoTime();
    deadlines.forEach(
        (parser, deadline) -> {
          if (now - deadline > 0) {
            parser.interrupted = true;
          }
        });
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
