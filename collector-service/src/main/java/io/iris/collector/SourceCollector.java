package io.iris.collector;

import io.iris.collector.AwrRows.InstanceKey;
import io.iris.collector.AwrRows.Snapshot;
import io.iris.collector.CollectorSettings.StartPosition;
import io.iris.platform.BackfillProgress;
import io.iris.schemas.RecordKeys;
import io.iris.schemas.avro.CollectorCheckpoint;
import io.iris.schemas.avro.ExecutionPlan;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one database: every instance's new snapshots, in snap_id order, each published with its
 * checkpoint. Runs on its own thread, so a slow or unreachable database never holds up another;
 * connection loss is retried with exponential backoff and jitter.
 */
public final class SourceCollector implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(SourceCollector.class);
  private static final int BATCH = 50;

  /** How often a backfill's progress is logged. */
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

  private final Source source;
  private final CollectorSettings settings;
  private final CollectorState state;
  private final SnapshotSink sink;
  private final CollectorMetrics metrics;
  private final Clock clock;
  private final SnapshotInbox inbox;

  /** Announced snapshots not collected yet; only the collector's thread touches it. */
  private final List<SnapshotAnnouncement> announced = new ArrayList<>();

  /** Announced snapshots the current pass published. */
  private int settled;

  private volatile boolean stopped;
  private boolean accessChecked;

  /** The source's SQL texts read so far, kept across passes and reconnections. */
  private final SqlTexts texts = new SqlTexts();

  /** Why a pass over the database runs. */
  private enum Cause {
    START,
    POLL,
    ANNOUNCEMENT,
    RETRY
  }

  public SourceCollector(
      Source source,
      CollectorSettings settings,
      CollectorState state,
      SnapshotSink sink,
      CollectorMetrics metrics,
      Clock clock) {
    this(source, settings, state, sink, metrics, clock, new SnapshotInbox());
  }

  /** A collector that also collects as soon as {@code inbox} announces a new snapshot. */
  public SourceCollector(
      Source source,
      CollectorSettings settings,
      CollectorState state,
      SnapshotSink sink,
      CollectorMetrics metrics,
      Clock clock,
      SnapshotInbox inbox) {
    this.inbox = inbox;
    this.source = source;
    this.settings = settings;
    this.state = state;
    this.sink = sink;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void run() {
    Duration backoff = Duration.ofSeconds(1);
    Cause cause = Cause.START;
    while (!stopped) {
      Duration wait;
      boolean failed = true;
      try {
        settled = 0;
        int published = collectOnce();
        failed = false;
        backoff = Duration.ofSeconds(1);
        wait = settings.pollDue();
        LOG.debug("{}: {} snapshots published ({})", source.name(), published, cause);
        int unannounced = published - settled;
        if (cause == Cause.POLL
            && settings.trigger() != CollectorSettings.Trigger.POLL
            && unannounced > 0) {
          metrics.fallback(source.name(), unannounced);
          LOG.info(
              "{}: the safety-net poll found {} snapshots no change event announced",
              source.name(),
              unannounced);
        }
        // An announced snapshot this pass did not find is not in AWR's views (yet): the next poll
        // finds it, as any other.
        announced.clear();
      } catch (AwrAccessException e) {
        metrics.sourceUp(source.name(), false);
        metrics.error(source.name(), "access");
        LOG.error("{}", e.getMessage());
        wait = settings.maxBackoff();
      } catch (SQLException e) {
        metrics.sourceUp(source.name(), false);
        metrics.error(source.name(), "database");
        LOG.warn(
            "{}: {} (retrying in {} s)",
            source.name(),
            e.getMessage().strip(),
            backoff.toSeconds());
        wait = jitter(backoff);
        backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
      } catch (ProducerFencedException e) {
        metrics.error(source.name(), "fenced");
        LOG.error(
            "{}: another collector took over this source (producer fenced); this one stops collecting it",
            source.name());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        metrics.error(source.name(), "publish");
        LOG.warn(
            "{}: publishing failed: {} (retrying in {} s)",
            source.name(),
            e.toString(),
            backoff.toSeconds());
        wait = jitter(backoff);
        backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
      }
      cause = awaitNextPass(wait);
      if (failed && cause == Cause.POLL) {
        cause = Cause.RETRY;
      }
    }
  }

  /**
   * Waits {@code wait}, or less when a snapshot not collected yet is announced. An announcement of
   * a snapshot the checkpoints already cover does nothing: the wait goes on.
   */
  private Cause awaitNextPass(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!stopped) {
      List<SnapshotAnnouncement> arrived;
      try {
        arrived = inbox.awaitUntil(deadline);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
        break;
      }
      if (arrived.isEmpty()) {
        return Cause.POLL;
      }
      boolean news = false;
      for (SnapshotAnnouncement announcement : arrived) {
        if (isCollected(announcement)) {
          metrics.triggerEvent(source.name(), "already_collected");
          LOG.debug("{}: {} is collected already", source.name(), announcement);
        } else {
          metrics.triggerEvent(source.name(), "new");
          announced.add(announcement);
          news = true;
        }
      }
      if (news) {
        return Cause.ANNOUNCEMENT;
      }
    }
    return Cause.POLL;
  }

  private boolean isCollected(SnapshotAnnouncement announcement) {
    CollectorCheckpoint checkpoint =
        state
            .checkpoints()
            .get(
                RecordKeys.checkpoint(source.name(), announcement.dbid(), announcement.instance()));
    return checkpoint != null && checkpoint.getSnapId() >= announcement.snapId();
  }

  /** Announcements of {@code key} up to {@code snapId} are done: their latency ends now. */
  private void settle(InstanceKey key, long snapId) {
    announced.removeIf(
        a -> {
          boolean done =
              a.dbid() == key.dbid() && a.instance() == key.instance() && a.snapId() <= snapId;
          if (done) {
            settled++;
            metrics.triggerLatency(
                source.name(), Duration.ofNanos(System.nanoTime() - a.receivedNanos()));
          }
          return done;
        });
  }

  /** One pass over every instance of the database; returns the snapshots published. */
  public int collectOnce() throws Exception {
    try (Connection connection = connect()) {
      AwrReader reader = new AwrReader(connection, source, settings.queryTimeoutSeconds(), texts);
      if (!accessChecked) {
        reader.checkAccess();
        accessChecked = true;
      }
      SnapshotAssembler assembler = new SnapshotAssembler(reader, source);
      // Where each instance stands and how much is left, before collecting any of it.
      Map<InstanceKey, Long> after = new LinkedHashMap<>();
      long backlog = 0;
      for (InstanceKey key : reader.instances()) {
        CollectorCheckpoint checkpoint = state.checkpoints().get(checkpointKey(key));
        long from = checkpoint != null ? checkpoint.getSnapId() : startAfter(reader, key);
        after.put(key, from);
        backlog += reader.countAfter(key, from);
      }
      Pass pass = new Pass(backlog, after.size());
      metrics.sourceUp(source.name(), true);
      int published = 0;
      for (Map.Entry<InstanceKey, Long> instance : after.entrySet()) {
        published +=
            collectInstance(reader, assembler, instance.getKey(), instance.getValue(), pass);
      }
      pass.finished();
      return published;
    }
  }

  private String checkpointKey(InstanceKey key) {
    return RecordKeys.checkpoint(source.name(), key.dbid(), key.instance());
  }

  /** Collects an instance's snapshots after {@code after}, in snap_id order. */
  private int collectInstance(
      AwrReader reader, SnapshotAssembler assembler, InstanceKey key, long after, Pass pass)
      throws Exception {
    String checkpointKey = checkpointKey(key);
    CollectorCheckpoint checkpoint = state.checkpoints().get(checkpointKey);
    int published = 0;
    while (!stopped) {
      List<Snapshot> batch = reader.snapshotsAfter(key, after, BATCH);
      if (batch.isEmpty()) {
        return published;
      }
      for (Snapshot row : batch) {
        if (checkpoint != null && row.snapId() > after + 1) {
          long missing = row.snapId() - after - 1;
          metrics.gap(source.name(), missing);
          LOG.warn(
              "{} {}: snapshots {}..{} were purged from AWR before they were collected",
              source.name(),
              key,
              after + 1,
              row.snapId() - 1);
        }
        long started = System.nanoTime();
        Instant now = clock.instant();
        SnapshotAssembler.Collected collected =
            assembler.assemble(key, row, state.plansSent()::contains, now);
        CollectorCheckpoint next =
            CollectorCheckpoint.newBuilder()
                .setSource(source.name())
                .setDbid(key.dbid())
                .setInstanceNumber(key.instance())
                .setSnapId(row.snapId())
                .setEndIntervalTime(row.end())
                .setCommittedAt(now)
                .build();
        sink.publish(collected, next);
        state.checkpoints().put(checkpointKey, next);
        settle(key, row.snapId());
        for (ExecutionPlan plan : collected.newPlans()) {
          state
              .plansSent()
              .add(RecordKeys.plan(plan.getDbid(), plan.getSqlId(), plan.getPlanHashValue()));
        }
        collected
            .snapshot()
            .getQualityViolations()
            .forEach(rule -> metrics.violation(source.name(), rule));
        metrics.collected(
            source.name(),
            collected.snapshot().getSqlStats().size(),
            Duration.ofNanos(System.nanoTime() - started),
            row.end(),
            collected.newPlans().size());
        checkpoint = next;
        after = row.snapId();
        published++;
        pass.published();
      }
    }
    return published;
  }

  /**
   * One pass's progress: the backlog gauge counts down with every snapshot published, and a
   * backfill (more than one new snapshot per instance: more than following AWR) is logged with its
   * rate and ETA, for whoever runs the collector without {@code ./iris up} watching.
   */
  private final class Pass {
    private final long backlog;
    private final boolean backfill;
    private final BackfillProgress progress;
    private long done;
    private Instant logged;

    Pass(long backlog, int instances) {
      this.backlog = backlog;
      this.backfill = backlog > instances;
      this.logged = clock.instant();
      this.progress = new BackfillProgress(logged, 0);
      metrics.backlog(source.name(), backlog);
      if (backfill) {
        LOG.info(
            "{}: backfill of {} snapshots from {} instance(s)", source.name(), backlog, instances);
      }
    }

    void published() {
      done++;
      metrics.backlog(source.name(), backlog - done);
      Instant now = clock.instant();
      if (backfill && !now.isBefore(logged.plus(PROGRESS_EVERY))) {
        LOG.info("{}: backfill {}", source.name(), progress.line(done, backlog, now));
        logged = now;
      }
    }

    void finished() {
      if (backfill) {
        LOG.info("{}: backfill done, {}", source.name(), progress.finished(done, clock.instant()));
      }
    }
  }

  /** Where an instance never collected before starts (IRIS_COLLECTOR_START). */
  private long startAfter(AwrReader reader, InstanceKey key) throws SQLException {
    StartPosition start = settings.start();
    if (start instanceof StartPosition.Earliest) {
      return 0;
    } else if (start instanceof StartPosition.FromSnap from) {
      return from.snapId() - 1;
    } else if (start instanceof StartPosition.DaysBack back) {
      return reader.latestEnd(key).isPresent()
          ? reader.snapIdBefore(
              key, reader.latestEnd(key).get().minus(Duration.ofDays(back.days())))
          : 0;
    }
    return Math.max(0, reader.latestSnapId(key) - 1);
  }

  private Connection connect() throws SQLException, AwrAccessException {
    Properties properties = new Properties();
    source.user().ifPresent(u -> properties.setProperty("user", u));
    source.password().ifPresent(p -> properties.setProperty("password", p));
    if (source.jdbcUrl().startsWith("jdbc:oracle:")) {
      properties.setProperty("oracle.net.CONNECT_TIMEOUT", "10000");
      properties.setProperty(
          "oracle.jdbc.ReadTimeout", Long.toString((settings.queryTimeoutSeconds() + 30) * 1000L));
    }
    try {
      Connection connection = DriverManager.getConnection(source.jdbcUrl(), properties);
      connection.setReadOnly(true);
      return connection;
    } catch (SQLException e) {
      // ORA-01017 / SQLSTATE 28000: wrong user or password. Retrying does not fix it.
      if (e.getErrorCode() == 1017 || "28000".equals(e.getSQLState())) {
        throw new AwrAccessException(
            source.name()
                + ": the database refused the credentials of user '"
                + source.user().orElse("")
                + "': fix IRIS_COLLECTOR_SOURCE_"
                + source.name().toUpperCase(java.util.Locale.ROOT)
                + "_USER and _PASSWORD",
            e);
      }
      throw e;
    }
  }

  public void stop() {
    stopped = true;
    inbox.wake();
  }

  private static Duration jitter(Duration d) {
    long millis = d.toMillis();
    return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
