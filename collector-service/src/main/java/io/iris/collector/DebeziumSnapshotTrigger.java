package io.iris.collector;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces each row inserted into a source's snapshot log table, as Debezium's embedded engine
 * captures it. Only Debezium's engine API is used: which connector reads the table (Oracle's in
 * production, PostgreSQL's in tests) is a matter of the properties given.
 *
 * <p>The engine runs on a thread of its own. When it stops on an error (the database unreachable,
 * LogMiner not set up), it is started again after a backoff of up to {@code maxBackoff}; the
 * collector's safety-net poll keeps collecting meanwhile, so a trigger that is down costs latency,
 * never data. Its offsets, and the Oracle connector's schema history, are kept in Kafka (see {@link
 * #engineProperties}). Closing the trigger ends every thread its engines started ({@link
 * TriggerOffsetStore}).
 */
public final class DebeziumSnapshotTrigger implements SnapshotTrigger {
  private static final Logger LOG = LoggerFactory.getLogger(DebeziumSnapshotTrigger.class);

  /** Every source's engine offsets, keyed by engine name (Kafka Connect's offset topic format). */
  public static final String OFFSETS_TOPIC = "iris.collector.trigger.offsets";

  private final String source;
  private final Properties properties;
  private final CollectorMetrics metrics;
  private final Duration maxBackoff;
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile DebeziumEngine<ChangeEvent<String, String>> engine;
  private volatile Optional<String> lastFailure = Optional.empty();

  /** Whether the engine streamed since it was last started: its next failure backs off anew. */
  private volatile boolean streamed;

  private Thread thread;

  /**
   * @param source the collector source whose snapshot log is read
   * @param properties the engine's and connector's settings ({@link #engineProperties} and the
   *     connector's own)
   * @param metrics where events and the engine's state are counted
   * @param maxBackoff longest wait before a failed engine is started again
   */
  public DebeziumSnapshotTrigger(
      String source, Properties properties, CollectorMetrics metrics, Duration maxBackoff) {
    this.source = source;
    this.properties = properties;
    this.metrics = metrics;
    this.maxBackoff = maxBackoff;
  }

  /**
   * The trigger of an Oracle source: the Oracle connector on its snapshot log, state in the Kafka
   * cluster {@code kafka} configures.
   */
  public static DebeziumSnapshotTrigger forOracle(
      String source,
      OracleLogCapture capture,
      Map<String, Object> kafka,
      CollectorMetrics metrics,
      Duration maxBackoff) {
    Properties properties = engineProperties(source, kafka);
    properties.putAll(capture.connectorProperties(source));
    return new DebeziumSnapshotTrigger(source, properties, metrics, maxBackoff);
  }

  /**
   * The engine's settings whatever the connector: events as JSON, handed over within 100 ms, and
   * state kept in Kafka: offsets in {@link #OFFSETS_TOPIC}, the schema history (which the Oracle
   * connector needs) in a topic per source; both topics are created when missing. {@code kafka} is
   * the collector's Kafka client configuration (bootstrap servers and {@code IRIS_KAFKA_*} security
   * settings), which every client of the engine gets.
   */
  public static Properties engineProperties(String source, Map<String, Object> kafka) {
    Properties props = new Properties();
    // Kafka Connect's offset store builds its clients from the engine's top-level settings.
    kafka.forEach((key, value) -> props.setProperty(key, String.valueOf(value)));
    props.setProperty("name", "iris-collector-trigger-" + source);
    props.setProperty("offset.storage", TriggerOffsetStore.class.getName());
    props.setProperty("offset.storage.topic", OFFSETS_TOPIC);
    props.setProperty("offset.storage.partitions", "1");
    // -1: the broker's default.replication.factor.
    props.setProperty("offset.storage.replication.factor", "-1");
    props.setProperty("offset.flush.interval.ms", "5000");
    props.setProperty(
        "schema.history.internal", "io.debezium.storage.kafka.history.KafkaSchemaHistory");
    props.setProperty(
        "schema.history.internal.kafka.topic", "iris.collector.trigger." + source + ".history");
    kafka.forEach(
        (key, value) -> {
          String v = String.valueOf(value);
          if (key.equals("bootstrap.servers")) {
            props.setProperty("schema.history.internal.kafka.bootstrap.servers", v);
          } else {
            props.setProperty("schema.history.internal.producer." + key, v);
            props.setProperty("schema.history.internal.consumer." + key, v);
          }
        });
    // Events as plain JSON rows; the schema is not needed to read three numbers.
    props.setProperty("converter.schemas.enable", "false");
    // A batch of events is handed over after at most this long (Debezium's default: 500 ms). The
    // log gets a row per instance per snapshot, so waking more often costs next to nothing.
    props.setProperty("poll.interval.ms", "100");
    // Retriable errors are retried a few times by the engine, then by this class with backoff.
    props.setProperty("errors.max.retries", "3");
    return props;
  }

  @Override
  public synchronized void start(SnapshotInbox inbox) {
    if (thread != null) {
      throw new IllegalStateException("trigger of " + source + " already started");
    }
    metrics.registerTrigger(source);
    thread = Thread.ofPlatform().name("trigger-" + source).start(() -> runEngines(inbox));
  }

  /** Runs the engine until {@link #close()}, starting it again after each failure. */
  private void runEngines(SnapshotInbox inbox) {
    Duration backoff = Duration.ofSeconds(1);
    while (closing.getCount() > 0) {
      DebeziumEngine<ChangeEvent<String, String>> current = null;
      try {
        current = build(inbox);
        engine = current;
        if (closing.getCount() > 0) {
          current.run();
        }
      } catch (RuntimeException e) {
        lastFailure = Optional.of(rootMessage(e));
      } finally {
        // The engine is done; closing it again releases whatever a failed start left running.
        if (current != null) {
          closeQuietly(current);
        }
      }
      metrics.triggerUp(source, false);
      if (streamed) {
        streamed = false;
        backoff = Duration.ofSeconds(1);
      }
      if (closing.getCount() == 0) {
        return;
      }
      LOG.warn(
          "{}: the Debezium engine stopped ({}); starting it again in {} s, polling goes on",
          source,
          lastFailure.orElse("no reason given"),
          backoff.toSeconds());
      try {
        if (closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoff =
          backoff.multipliedBy(2).compareTo(maxBackoff) < 0 ? backoff.multipliedBy(2) : maxBackoff;
    }
  }

  private DebeziumEngine<ChangeEvent<String, String>> build(SnapshotInbox inbox) {
    return DebeziumEngine.create(Json.class)
        .using(properties)
        .using(
            new DebeziumEngine.ConnectorCallback() {
              @Override
              public void pollingStarted() {
                lastFailure = Optional.empty();
                streamed = true;
                metrics.triggerUp(source, true);
                LOG.info("{}: Debezium is capturing the snapshot log", source);
              }
            })
        .using(
            (success, message, error) -> {
              if (!success) {
                lastFailure =
                    Optional.of(
                        (message == null ? "" : message)
                            + (error == null ? "" : ": " + rootMessage(error)));
              }
            })
        .notifying(event -> handle(event, inbox))
        .build();
  }

  private void handle(ChangeEvent<String, String> event, SnapshotInbox inbox) {
    try {
      SnapshotLogEvent.parse(event.value(), System.nanoTime()).ifPresent(inbox::announce);
    } catch (IllegalArgumentException e) {
      // Not one of ours to fail on: the safety-net poll finds the snapshot all the same.
      metrics.error(source, "trigger_event");
      LOG.warn(
          "{}: a change event of the snapshot log was not understood: {}", source, e.getMessage());
    }
  }

  /** Why the engine last stopped on an error, while it has not streamed since. */
  public Optional<String> lastFailure() {
    return lastFailure;
  }

  @Override
  public void close() {
    closing.countDown();
    DebeziumEngine<ChangeEvent<String, String>> current = engine;
    if (current != null) {
      closeQuietly(current);
    }
    Thread started;
    synchronized (this) {
      started = thread;
    }
    if (started != null) {
      try {
        started.join(Duration.ofSeconds(60));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    metrics.triggerUp(source, false);
  }

  private void closeQuietly(DebeziumEngine<?> current) {
    try {
      current.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("{}: closing the Debezium engine: {}", source, e.toString());
    }
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == error ? error.toString() : error.getMessage() + " (" + root + ")";
  }
}
