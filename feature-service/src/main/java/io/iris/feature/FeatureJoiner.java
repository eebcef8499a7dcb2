package io.iris.feature;

import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.ExecutionPlan;
import io.iris.schemas.avro.FeatureVector;
import io.iris.schemas.avro.SnapshotRef;
import io.iris.schemas.avro.SystemMetrics;
import io.iris.schemas.avro.TemplateObservation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Joins one database's inputs (all keyed by dbid, in one task). Plans and the latest compressed
 * workload are kept as they come; a snapshot's observations wait, with its system metrics, until
 * both are complete (the parser sends every statement of a snapshot, and says how many), then each
 * template of the snapshot becomes one {@link FeatureVector}. Kafka gives no order between the
 * topics, so either may come first; a snapshot whose parts do not all arrive within the wait is
 * emitted with what is there, missing inputs as null features.
 */
final class FeatureJoiner implements Processor<String, SpecificRecord, String, FeatureVector> {
  private final Duration wait;
  private final FeatureMetrics metrics;
  private ProcessorContext<String, FeatureVector> context;
  private KeyValueStore<String, AwrSnapshot> contexts;
  private KeyValueStore<String, TemplateObservation> pending;
  private KeyValueStore<String, SnapshotWait> waits;
  private KeyValueStore<String, ExecutionPlan> plans;
  private KeyValueStore<String, CompressedWorkload> workloads;

  FeatureJoiner(Duration wait, FeatureMetrics metrics) {
    this.wait = wait;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, FeatureVector> context) {
    this.context = context;
    this.contexts = context.getStateStore(FeatureTopology.CONTEXTS);
    this.pending = context.getStateStore(FeatureTopology.PENDING);
    this.waits = context.getStateStore(FeatureTopology.PROGRESS);
    this.plans = context.getStateStore(FeatureTopology.PLANS);
    this.workloads = context.getStateStore(FeatureTopology.WORKLOADS);
    long tick = Math.max(100, Math.min(1_000, wait.toMillis() / 4));
    context.schedule(Duration.ofMillis(tick), PunctuationType.WALL_CLOCK_TIME, this::timeOuts);
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    switch (record.value()) {
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
        pending.put(snapshot + ":" + String.format("%06d", o.getStatementIndex()), o);
        SnapshotWait w = waitFor(snapshot);
        w.expected = o.getStatementsInSnapshot();
        w.seen++;
        progress(snapshot, w, record.timestamp());
      }
      case ExecutionPlan p ->
          plans.put(planKey(p.getDbid(), p.getSqlId(), p.getPlanHashValue()), p);
      case CompressedWorkload c -> workloads.put(c.getWorkload(), c);
      default ->
          throw new IllegalArgumentException(
              "unexpected input " + record.value().getClass().getName());
    }
  }

  private SnapshotWait waitFor(String snapshot) {
    SnapshotWait w = waits.get(snapshot);
    if (w == null) {
      w = new SnapshotWait();
      w.firstSeenWallClock = context.currentSystemTimeMs();
    }
    return w;
  }

  private void progress(String snapshot, SnapshotWait w, long timestamp) {
    if (w.complete()) {
      emit(snapshot, timestamp);
    } else {
      waits.put(snapshot, w);
    }
  }

  /** Snapshots that did not complete in time: emitted with what arrived, or just forgotten. */
  private void timeOuts(long now) {
    List<String> due = new ArrayList<>();
    try (KeyValueIterator<String, SnapshotWait> all = waits.all()) {
      all.forEachRemaining(
          kv -> {
            if (now - kv.value.firstSeenWallClock >= wait.toMillis()) {
              due.add(kv.key);
            }
          });
    }
    for (String snapshot : due) {
      SnapshotWait w = waits.get(snapshot);
      if (w.seen == 0) {
        // System metrics of a snapshot without statements (or arriving after its features).
        waits.delete(snapshot);
        contexts.delete(snapshot);
      } else {
        metrics.timedOut(w.context);
        emit(snapshot, now);
      }
    }
  }

  private void emit(String snapshot, long timestamp) {
    List<TemplateObservation> observations = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, TemplateObservation> range =
        pending.prefixScan(snapshot + ":", Serdes.String().serializer())) {
      range.forEachRemaining(
          kv -> {
            keys.add(kv.key);
            observations.add(kv.value);
          });
    }
    keys.forEach(pending::delete);
    waits.delete(snapshot);
    Optional<SystemMetrics> system =
        Optional.ofNullable(contexts.delete(snapshot)).map(AwrSnapshot::getSystem);
    int vectors = 0;
    for (TemplateObservation o : TemplateActivity.perTemplate(observations)) {
      long dbid = o.getSnapshot().getDbid();
      Optional<ExecutionPlan> plan =
          Optional.ofNullable(plans.get(planKey(dbid, o.getSqlId(), o.getPlanHashValue())));
      Optional<CompressedWorkload> workload =
          Optional.ofNullable(workloads.get(Long.toString(dbid)));
      FeatureVector v = FeatureExtractor.extract(o, system, plan, workload);
      context.forward(new Record<>(v.getTemplateId(), v, timestamp));
      vectors++;
    }
    metrics.snapshotJoined(vectors, observations.isEmpty() ? null : observations.get(0));
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
