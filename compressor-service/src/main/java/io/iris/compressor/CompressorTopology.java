package io.iris.compressor;

import io.iris.platform.DeadLetters;
import io.iris.platform.JsonSerde;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.CompressionAlgorithm;
import io.iris.schemas.avro.Coverage;
import io.iris.schemas.avro.DeadLetter;
import io.iris.schemas.avro.Representative;
import io.iris.schemas.avro.TemplateObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * sql.templates → workload.compressed. Observations are re-keyed by workload (dbid), so one task
 * holds a workload's whole state: every template's window (changelogged store {@code
 * workload-templates}) and each open snapshot's progress ({@code snapshot-progress}). When a
 * snapshot's last observation arrives (or its time-out passes) the workload is compressed and one
 * result is emitted, keyed by dbid.
 */
public final class CompressorTopology {
  static final String TEMPLATES = "workload-templates";
  static final String PROGRESS = "snapshot-progress";

  private CompressorTopology() {}

  public static void build(
      StreamsBuilder builder,
      CompressorSettings settings,
      Serde<TemplateObservation> observations,
      Serde<CompressedWorkload> results,
      Serde<DeadLetter> deadLetters,
      Runnable onDeadLetter) {
    // Cached: a snapshot's observations update a template's window and the snapshot's progress
    // many times between two commits; only the last value of each goes to RocksDB and the
    // changelog, at the commit (in its transaction).
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TEMPLATES), Serdes.String(), new WindowSerde())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PROGRESS),
                Serdes.String(),
                JsonSerde.of(SnapshotProgress.class))
            .withCachingEnabled());
    // Values are decoded in a processor: a record that is not an observation becomes a dead
    // letter on sql.templates.dlq instead of stopping the application.
    Map<String, KStream<String, DeadLetters.Decoded<TemplateObservation>>> decoded =
        builder.stream(
                Topics.SQL_TEMPLATES.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
            .processValues(
                DeadLetters.decoding(
                    "compressor",
                    Topics.SQL_TEMPLATES.name(),
                    observations.deserializer(),
                    onDeadLetter))
            .split(Named.as("decoded-"))
            .branch((key, value) -> value.failed(), Branched.as("failed"))
            .defaultBranch(Branched.as("ok"));
    decoded
        .get("decoded-failed")
        .mapValues(DeadLetters.Decoded::deadLetter)
        .to(
            Topics.deadLetter(Topics.SQL_TEMPLATES).name(),
            Produced.with(Serdes.String(), deadLetters));
    decoded
        .get("decoded-ok")
        // One workload, one partition: its state lives in one task. The record goes on as it came
        // (already validated, Confluent wire format), not encoded again.
        .map(
            (templateId, d) ->
                KeyValue.pair(Long.toString(d.value().getSnapshot().getDbid()), d.bytes()))
        .repartition(
            Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("by-workload"))
        .mapValues(
            bytes -> observations.deserializer().deserialize(Topics.SQL_TEMPLATES.name(), bytes))
        .process(() -> new Compressing(settings), TEMPLATES, PROGRESS)
        .to(Topics.WORKLOAD_COMPRESSED.name(), Produced.with(Serdes.String(), results));
  }

  /** Keeps the windows, detects complete snapshots, compresses. */
  static final class Compressing
      implements Processor<String, TemplateObservation, String, CompressedWorkload> {
    private final CompressorSettings settings;
    private final WorkloadBuilder costs;
    private ProcessorContext<String, CompressedWorkload> context;
    private KeyValueStore<String, WorkloadWindow> templates;
    private KeyValueStore<String, SnapshotProgress> progress;

    Compressing(CompressorSettings settings) {
      this.settings = settings;
      this.costs = new WorkloadBuilder(settings.metric());
    }

    @Override
    public void init(ProcessorContext<String, CompressedWorkload> context) {
      this.context = context;
      this.templates = context.getStateStore(TEMPLATES);
      this.progress = context.getStateStore(PROGRESS);
      context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::timeOuts);
    }

    @Override
    public void process(Record<String, TemplateObservation> record) {
      TemplateObservation o = record.value();
      String workload = record.key();
      String templateKey = workload + "|" + o.getTemplateId();
      WorkloadWindow window = templates.get(templateKey);
      if (window == null) {
        window = new WorkloadWindow();
      }
      window.add(o, costs.cost(o.getStats()));
      templates.put(templateKey, window);

      var snapshot = o.getSnapshot();
      String snapshotKey =
          workload
              + "|"
              + snapshot.getSource()
              + "|"
              + snapshot.getInstanceNumber()
              + "|"
              + snapshot.getSnapId();
      SnapshotProgress p = progress.get(snapshotKey);
      if (p == null) {
        p = new SnapshotProgress();
        p.workload = workload;
        p.snapId = snapshot.getSnapId();
        p.expected = o.getStatementsInSnapshot();
        p.firstSeenWallClock = context.currentSystemTimeMs();
        p.snapshotEnd = snapshot.getEndIntervalTime().toEpochMilli();
      }
      p.seen++;
      if (p.seen >= p.expected) {
        progress.delete(snapshotKey);
        emit(workload, p.snapId, p.snapshotEnd);
      } else {
        progress.put(snapshotKey, p);
      }
    }

    /** Snapshots whose last observations did not come in time are compressed as they are. */
    private void timeOuts(long now) {
      List<KeyValue<String, SnapshotProgress>> due = new ArrayList<>();
      try (KeyValueIterator<String, SnapshotProgress> all = progress.all()) {
        all.forEachRemaining(
            kv -> {
              if (now - kv.value.firstSeenWallClock >= settings.snapshotTimeout().toMillis()) {
                due.add(kv);
              }
            });
      }
      for (KeyValue<String, SnapshotProgress> kv : due) {
        progress.delete(kv.key);
        emit(kv.value.workload, kv.value.snapId, kv.value.snapshotEnd);
      }
    }

    private void emit(String workload, long snapId, long snapshotEnd) {
      long newest = snapshotEnd;
      List<WorkloadWindow> windows = new ArrayList<>();
      try (KeyValueIterator<String, WorkloadWindow> range =
          templates.prefixScan(workload + "|", Serdes.String().serializer())) {
        range.forEachRemaining(kv -> windows.add(kv.value));
      }
      for (WorkloadWindow w : windows) {
        newest = Math.max(newest, w.lastSeen);
      }
      long since = newest - settings.horizon().toMillis();
      List<WorkloadTemplate> workloadTemplates = new ArrayList<>();
      long oldest = newest;
      for (WorkloadWindow w : windows) {
        String key = workload + "|" + w.templateId;
        int buckets = w.buckets();
        if (w.expire(since)) {
          templates.delete(key);
          continue;
        }
        if (w.buckets() < buckets) {
          // Stored trimmed: else a template's stored window grows by a bucket per snapshot for
          // good, and each of its observations reads and writes the whole of it.
          templates.put(key, w);
        }
        oldest = Math.min(oldest, w.oldestBucket());
        workloadTemplates.add(w.template());
      }
      Compression c =
          Representatives.compress(
              new IsumCompressor(), workloadTemplates, settings.k(), settings.targetCoverage());
      List<Representative> representatives = new ArrayList<>();
      for (Compression.Representative r : c.representatives()) {
        representatives.add(
            Representative.newBuilder()
                .setTemplateId(r.template().templateId())
                .setTemplateText(r.template().text())
                .setWeight(r.weight())
                .setCostShare(c.totalCost() > 0 ? r.weight() / c.totalCost() : 0)
                .setUtility(r.utility())
                .setRepresentedTemplates(r.representedTemplates())
                .build());
      }
      CompressedWorkload result =
          CompressedWorkload.newBuilder()
              .setWorkload(workload)
              .setWindowStart(Instant.ofEpochMilli(oldest))
              .setWindowEnd(Instant.ofEpochMilli(newest))
              .setComputedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
              .setTriggeringSnapId(snapId)
              .setAlgorithm(CompressionAlgorithm.ISUM)
              .setK(representatives.size())
              .setTargetCoverage(settings.targetCoverage() > 0 ? settings.targetCoverage() : null)
              .setCostMetric(settings.metric())
              .setTotalTemplates(c.totalTemplates())
              .setTotalExecutions(c.totalExecutions())
              .setTotalCost(c.totalCost())
              .setRepresentatives(representatives)
              .setCoverage(
                  Coverage.newBuilder()
                      .setCostCoverage(c.costCoverage())
                      .setColumnCoverage(c.columnCoverage())
                      .setTableCoverage(c.tableCoverage())
                      .build())
              .build();
      // Stamped with the snapshot's end, but never ahead of the clock: a broker refuses records
      // stamped more than log.message.timestamp.after.max.ms (1 h) ahead, and AWR times ahead of it
      // (a database clock or a source TIMEZONE that is wrong) would fail the task on every retry.
      long timestamp = Math.min(snapshotEnd, context.currentSystemTimeMs());
      context.forward(new Record<>(workload, result, timestamp));
    }

    @Override
    public void close() {}
  }
}
