package io.iris.collector;

import io.iris.collector.CollectorSettings.StartPosition;
import io.iris.collector.CollectorSettings.Trigger;
import io.iris.infra.LocalInfra;
import io.iris.infra.PostgresServer;
import io.iris.platform.KafkaSettings;
import io.iris.schemas.RecordKeys;
import io.iris.schemas.avro.CollectorCheckpoint;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.simulator.SimulatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A collector of one simulated single-instance database whose snapshot log lives in PostgreSQL and
 * is captured by the Debezium trigger: what runs in production with Oracle, each part real. The
 * regular poll is 10 minutes away, so whatever is collected sooner was announced.
 */
final class TriggeredCollector implements AutoCloseable {
  static final long DBID = 77;
  static final Duration LONG_POLL = Duration.ofMinutes(10);

  final String name = "d" + UUID.randomUUID().toString().substring(0, 8);
  final SimulatedAwr awr;
  final PostgresSnapshotLog log;
  final CollectorState state;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final CollectorMetrics metrics = new CollectorMetrics(meters);
  private final LocalInfra infra;
  private final DebeziumSnapshotTrigger trigger;
  private final SnapshotInbox inbox = new SnapshotInbox();
  private SourceCollector collector;
  private KafkaSnapshotSink sink;
  private Thread thread;

  TriggeredCollector(LocalInfra infra, PostgresServer postgres) throws Exception {
    this.infra = infra;
    CollectorKafkaTest.topics(infra);
    awr =
        new SimulatedAwr(
            SimulatorConfig.standard(5)
                .withDatabases(List.of(new SimulatorConfig.Database("TRIG", DBID, 1)))
                .withRestart(Optional.empty())
                .withStatementsPerSnapshot(20));
    awr.simulator.generate(2);
    log = new PostgresSnapshotLog(postgres);
    state = CollectorState.load(kafka().consumer("unused"), registry());
    metrics.register(name);
    trigger = new DebeziumSnapshotTrigger(name, log.trigger(infra, name), metrics, LONG_POLL);
    trigger.start(inbox);
  }

  /** Starts collecting with {@code safetyPoll} as the poll, and from the newest snapshot. */
  void startCollecting(Duration safetyPoll) {
    CollectorSettings settings =
        new CollectorSettings(
            List.of(awr.source(name)),
            LONG_POLL,
            new StartPosition.Latest(),
            30,
            Duration.ofSeconds(2),
            Trigger.DEBEZIUM,
            safetyPoll,
            Map.of());
    KafkaSettings kafka = kafka();
    sink =
        new KafkaSnapshotSink(
            kafka.producer("test-collector-" + name + "-" + UUID.randomUUID()),
            registry(),
            kafka.serde());
    collector =
        new SourceCollector(
            awr.source(name), settings, state, sink, metrics, Clock.systemUTC(), inbox);
    thread = Thread.ofPlatform().name("collector-" + name).start(collector);
  }

  /**
   * Waits until the collector has finished its pass and waits for the next: a snapshot taken during
   * a pass could be collected by that pass, before its announcement or the next poll.
   */
  void awaitIdle() throws InterruptedException {
    Await.until(
        "the collector waits for its next pass",
        Duration.ofSeconds(60),
        () ->
            Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getMethodName().equals("awaitNextPass")));
  }

  void stopCollecting() throws InterruptedException {
    collector.stop();
    thread.join();
    sink.close();
  }

  /** The snap id up to which this database is collected, 0 before the first. */
  long collectedUpTo() {
    CollectorCheckpoint checkpoint = state.checkpoints().get(RecordKeys.checkpoint(name, DBID, 1));
    return checkpoint == null ? 0 : checkpoint.getSnapId();
  }

  void awaitCollected(long snapId, Duration timeout) throws InterruptedException {
    Await.until("snapshot " + snapId + " collected", timeout, () -> collectedUpTo() >= snapId);
  }

  /**
   * Takes a snapshot, logs it as the scheduler job would, and waits until it is collected; returns
   * the time from the log row's commit to the snapshot's publication (its checkpoint committed).
   */
  Duration announceNewSnapshot() throws Exception {
    awaitIdle();
    long snapId = awr.simulator.takeSnapshot();
    log.log(DBID, 1, snapId);
    long committed = System.nanoTime();
    long deadline = committed + Duration.ofSeconds(60).toNanos();
    while (collectedUpTo() < snapId) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("announced snapshot " + snapId + " not collected in 60 s");
      }
      Thread.sleep(1);
    }
    return Duration.ofNanos(System.nanoTime() - committed);
  }

  void awaitTriggerUp() throws InterruptedException {
    Await.until(
        "the trigger streams the snapshot log",
        Duration.ofSeconds(90),
        () -> DebeziumSnapshotTriggerTest.isUp(meters));
  }

  double count(String meter, String... tags) {
    var search = meters.find(meter).tags(tags);
    return search.counter() == null ? 0 : search.counter().count();
  }

  private KafkaSettings kafka() {
    return new KafkaSettings(CollectorKafkaTest.config(infra, "latest"), "collector-test");
  }

  private SchemaRegistryClient registry() {
    return CollectorKafkaTest.registry(infra);
  }

  @Override
  public void close() throws Exception {
    trigger.close();
    if (thread != null && thread.isAlive()) {
      stopCollecting();
    }
    awr.close();
  }
}
