package io.iris.feature;

import io.iris.schemas.Topics;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.ExecutionPlan;
import io.iris.schemas.avro.FeatureVector;
import io.iris.schemas.avro.SnapshotRef;
import io.iris.schemas.avro.SystemMetrics;
import io.iris.schemas.avro.TemplateObservation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins one database's inputs (all keyed by dbid, in one task). Plans and the latest compressed
 * workload are kept as they come; a snapshot's observations wait, with its system metrics, until
 * both are complete (the parser sends every statement of a snapshot, and says how many), then each
 * template of the snapshot becomes one {@link FeatureVector}. Kafka gives no order between the
 * topics, so either may come first; a snapshot whose parts stop arriving for the wait is emitted
 * with what is there, missing inputs as null features. Its stragglers are emitted later as rows of
 * their own, unless their template already has its row for the snapshot: one row per template and
 * snapshot is the promise, so such a straggler is counted and logged instead.
 */
final class FeatureJoiner
    implements Processor<String, FeatureTopology.Input, String, FeatureVector> {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureJoiner.class);

  /**
   * How long a snapshot emitted after the wait is remembered for its stragglers: long enough for
   * any upstream outage the services recover from on their own.
   */
  static final Duration STRAGGLER_MEMORY = Duration.ofHours(24);

  /**
   * How many observations {@link #arrived} holds at most by default (tens of MB): beyond it, new
   * snapshots are read back from the store, as when snapshots pile up waiting for their system
   * metrics.
   */
  static final int MAX_HELD = 20_000;

  private final Duration wait;
  private final FeatureMetrics metrics;
  private final Deserializer<TemplateObservation> observationReader;
  private ProcessorContext<String, FeatureVector> context;
  private KeyValueStore<String, AwrSnapshot> contexts;
  private KeyValueStore<String, byte[]> pending;
  private KeyValueStore<String, SnapshotWait> waits;
  private KeyValueStore<String, ExecutionPlan> plans;
  private KeyValueStore<String, CompressedWorkload> workloads;

  /**
   * The pending observations of the snapshots whose first observation this processor saw, as
   * decoded on arrival, so a snapshot is emitted without reading its observations back from the
   * store. The store stays the record: a snapshot begun before a restart, or a straggler after its
   * wait ran out, is read from it. Emptied at every init, since Streams then re-processes what the
   * last commit did not cover. At most {@code maxHeld} observations, {@code held} now.
   */
  private final Map<String, List<TemplateObservation>> arrived = new HashMap<>();

  private final int maxHeld;
  private int held;

  /**
   * When this task started: the waits count from here at the earliest, so that a restart after
   * downtime does not time out every snapshot in flight before its rest has been read again.
   */
  private long startedWallClock;

  FeatureJoiner(
      Duration wait,
      FeatureMetrics metrics,
      Deserializer<TemplateObservation> observationReader,
      int maxHeld) {
    this.wait = wait;
    this.metrics = metrics;
    this.observationReader = observationReader;
    this.maxHeld = maxHeld;
  }

  @Override
  public void init(ProcessorContext<String, FeatureVector> context) {
    this.context = context;
    this.arrived.clear();
    this.held = 0;
    this.contexts = context.getStateStore(FeatureTopology.CONTEXTS);
    this.pending = context.getStateStore(FeatureTopology.PENDING);
    this.waits = context.getStateStore(FeatureTopology.PROGRESS);
    this.plans = context.getStateStore(FeatureTopology.PLANS);
    this.workloads = context.getStateStore(FeatureTopology.WORKLOADS);
    this.startedWallClock = context.currentSystemTimeMs();
    long tick = Math.max(100, Math.min(1_000, wait.toMillis() / 4));
    context.schedule(Duration.ofMillis(tick), PunctuationType.WALL_CLOCK_TIME, this::timeOuts);
  }

  @Override
  public void process(Record<String, FeatureTopology.Input> record) {
    switch (record.value().value()) {
      case AwrSnapshot s -> {
        String snapshot = snapshotKey(s.getDbid(), s.getInstanceNumber(), s.getSnapId());
        contexts.put(snapshot, s);
        SnapshotWait w = waitFor(snapshot);
        w.context = true;
        progress(snapshot, w, record.timestamp());
      }
      case TemplateObservation o -> {
        SnapshotRef ref = o.getSnapshot();
        String snapshot = snapshotKey(ref.getDbid(), ref.getInstanceNumber(), ref.getSnapId());
        SnapshotWait w = waitFor(snapshot);
        pending.put(pendingKey(snapshot, o.getStatementIndex()), record.value().bytes());
        if (w.seen == 0 && held < maxHeld) {
          arrived.put(snapshot, new ArrayList<>());
        }
        List<TemplateObservation> decoded = arrived.get(snapshot);
        if (decoded != null) {
          decoded.add(o);
          held++;
        }
        w.expected = o.getStatementsInSnapshot();
        w.seen++;
        w.pending++;
        progress(snapshot, w, record.timestamp());
      }
      case ExecutionPlan p ->
          plans.put(planKey(p.getDbid(), p.getSqlId(), p.getPlanHashValue()), p);
      case CompressedWorkload c -> workloads.put(c.getWorkload(), c);
      default ->
          throw new IllegalArgumentException(
              "unexpected input " + record.value().value().getClass().getName());
    }
  }

  private SnapshotWait waitFor(String snapshot) {
    SnapshotWait w = waits.get(snapshot);
    if (w == null) {
      w = new SnapshotWait();
    }
    w.lastProgressWallClock = context.currentSystemTimeMs();
    return w;
  }

  private void progress(String snapshot, SnapshotWait w, long timestamp) {
    if (w.complete()) {
      emit(snapshot, w, timestamp);
    } else {
      waits.put(snapshot, w);
    }
  }

  /**
   * Snapshots that made no progress for the wait: emitted with what arrived (stragglers later), or
   * forgotten when nothing is left to emit.
   */
  private void timeOuts(long now) {
    List<String> due = new ArrayList<>();
    try (KeyValueIterator<String, SnapshotWait> all = waits.all()) {
      all.forEachRemaining(
          kv -> {
            if (idle(kv.value, now) >= wait.toMillis()) {
              due.add(kv.key);
            }
          });
    }
    for (String snapshot : due) {
      SnapshotWait w = waits.get(snapshot);
      if (w.seen == 0 || (w.timedOut && w.pending == 0)) {
        // System metrics of a snapshot without statements, or an old one's memory of its rows.
        if (w.seen == 0 || idle(w, now) >= STRAGGLER_MEMORY.toMillis()) {
          waits.delete(snapshot);
          contexts.delete(snapshot);
        }
      } else {
        // Statements wait (a wait stored before `pending` was counted has them too).
        if (!w.timedOut) {
          metrics.timedOut(w.context);
        }
        w.timedOut = true;
        emit(snapshot, w, now);
      }
    }
  }

  private long idle(SnapshotWait w, long now) {
    return now - Math.max(w.lastProgressWallClock, startedWallClock);
  }

  /**
   * Emits a row per template of the snapshot's pending observations, except for templates that
   * already have theirs; forgets the snapshot when it is complete, else remembers what it emitted.
   */
  private void emit(String snapshot, SnapshotWait w, long timestamp) {
    List<TemplateObservation> observations = arrived.remove(snapshot);
    if (observations != null) {
      held -= observations.size();
      // In statement order, as read from the store: the dominant variant of a template is then
      // the same either way.
      observations.sort(Comparator.comparingInt(TemplateObservation::getStatementIndex));
      observations.forEach(o -> pending.delete(pendingKey(snapshot, o.getStatementIndex())));
    } else {
      observations = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      try (KeyValueIterator<String, byte[]> range =
          pending.prefixScan(snapshot + ":", Serdes.String().serializer())) {
        while (range.hasNext()) {
          KeyValue<String, byte[]> kv = range.next();
          keys.add(kv.key);
          observations.add(observationReader.deserialize(Topics.SQL_TEMPLATES.name(), kv.value));
        }
      }
      keys.forEach(pending::delete);
    }
    w.pending = 0;
    Optional<SystemMetrics> system =
        Optional.ofNullable(contexts.get(snapshot)).map(AwrSnapshot::getSystem);
    int vectors = 0;
    for (TemplateObservation o : TemplateActivity.perTemplate(observations)) {
      if (!w.emitted.add(o.getTemplateId())) {
        metrics.lateObservation();
        LOG.warn(
            "snapshot {}: statements of template {} arrived after its features were emitted"
                + " (IRIS_FEATURE_CONTEXT_WAIT_SECONDS passed without progress); not emitted twice",
            snapshot,
            o.getTemplateId());
        continue;
      }
      long dbid = o.getSnapshot().getDbid();
      Optional<ExecutionPlan> plan =
          Optional.ofNullable(plans.get(planKey(dbid, o.getSqlId(), o.getPlanHashValue())));
      Optional<CompressedWorkload> workload =
          Optional.ofNullable(workloads.get(Long.toString(dbid)));
      FeatureVector v = FeatureExtractor.extract(o, system, plan, workload);
      context.forward(new Record<>(v.getTemplateId(), v, timestamp));
      vectors++;
    }
    if (vectors > 0) {
      metrics.snapshotJoined(vectors, observations.get(0));
    }
    if (w.complete() || (w.timedOut && w.allStatementsSeen())) {
      waits.delete(snapshot);
      contexts.delete(snapshot);
    } else {
      waits.put(snapshot, w);
    }
  }

  /**
   * A pending observation's key: its snapshot's, then its index zero-padded, so a scan is in order.
   */
  private static String pendingKey(String snapshot, int statementIndex) {
    String index = Integer.toString(statementIndex);
    return snapshot + ":" + "000000".substring(Math.min(6, index.length())) + index;
  }

  /** How many observations are held decoded, waiting for their snapshot's emission. */
  int held() {
    return held;
  }

  static String snapshotKey(long dbid, int instance, long snapId) {
    return dbid + ":" + instance + ":" + snapId;
  }

  /** The key of awr.plans: {@code "{dbid}:{sqlId}:{planHash}"}. */
  static String planKey(long dbid, String sqlId, long planHash) {
    return dbid + ":" + sqlId + ":" + planHash;
  }

  @Override
  public void close() {}
}
