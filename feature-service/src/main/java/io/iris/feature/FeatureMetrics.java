package io.iris.feature;

import io.iris.platform.Freshness;
import io.iris.schemas.avro.TemplateObservation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The feature service's meters: {@code iris_feature_snapshots_total}, {@code
 * iris_feature_vectors_total}, {@code iris_feature_snapshot_timeouts_total{context}}, {@code
 * iris_feature_dead_letters_total}, {@code iris_feature_late_observations_total}, {@code
 * iris_feature_freshness_seconds}, the sinks' {@code iris_feature_sink_rows_total{sink}}, {@code
 * iris_feature_sink_failures_total{sink}} and the online read API's {@code
 * iris_feature_online_read_seconds{kind}} (histogram) and {@code
 * iris_feature_online_reads_total{result}}.
 */
public final class FeatureMetrics {
  private final MeterRegistry registry;
  private final Counter snapshots;
  private final Counter vectors;
  private final Counter deadLetters;
  private final Counter lateObservations;
  private final Counter timeoutsWithContext;
  private final Counter timeoutsWithoutContext;
  private final Counter onlineHits;
  private final Counter onlineMisses;
  // Counters per sink, made once: the sinks count every batch.
  private final Map<String, Counter> sinkRows = new ConcurrentHashMap<>();
  private final Map<String, Counter> sinkFailures = new ConcurrentHashMap<>();
  private final Freshness freshness;

  public FeatureMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.snapshots =
        Counter.builder("iris.feature.snapshots")
            .description("Snapshots whose features were emitted")
            .register(registry);
    this.vectors =
        Counter.builder("iris.feature.vectors")
            .description("Feature vectors emitted to features")
            .register(registry);
    this.deadLetters =
        Counter.builder("iris.feature.dead.letters")
            .description("Input records sent to a dead-letter topic")
            .register(registry);
    this.lateObservations =
        Counter.builder("iris.feature.late.observations")
            .description(
                "Template activities that arrived after their template's row for the snapshot was"
                    + " emitted, and were not emitted twice")
            .register(registry);
    this.timeoutsWithContext = timeouts(registry, "present");
    this.timeoutsWithoutContext = timeouts(registry, "missing");
    this.onlineHits = onlineReads(registry, "hit");
    this.onlineMisses = onlineReads(registry, "miss");
    this.freshness =
        Freshness.register(
            registry,
            "iris.feature.freshness",
            "Seconds since the end of the newest snapshot whose features were emitted",
            Tags.empty());
  }

  private static Counter timeouts(MeterRegistry registry, String context) {
    return Counter.builder("iris.feature.snapshot.timeouts")
        .description("Snapshots emitted incomplete after the wait")
        .tag("context", context)
        .register(registry);
  }

  private static Counter onlineReads(MeterRegistry registry, String result) {
    return Counter.builder("iris.feature.online.reads")
        .description("Templates asked for through the read API, found or not")
        .tag("result", result)
        .register(registry);
  }

  void snapshotJoined(int vectorCount, TemplateObservation sample) {
    snapshots.increment();
    vectors.increment(vectorCount);
    if (sample != null) {
      freshness.handled(sample.getSnapshot().getEndIntervalTime());
    }
  }

  void timedOut(boolean hadContext) {
    (hadContext ? timeoutsWithContext : timeoutsWithoutContext).increment();
  }

  void lateObservation() {
    lateObservations.increment();
  }

  void deadLetter() {
    deadLetters.increment();
  }

  void sinkRows(String sink, int rows) {
    sinkCounter(sinkRows, "iris.feature.sink.rows", sink).increment(rows);
  }

  void sinkFailure(String sink) {
    sinkCounter(sinkFailures, "iris.feature.sink.failures", sink).increment();
  }

  private Counter sinkCounter(Map<String, Counter> counters, String name, String sink) {
    return counters.computeIfAbsent(
        sink, s -> Counter.builder(name).tag("sink", s).register(registry));
  }

  /** The timer of online reads of one kind (single, batch). */
  Timer onlineReads(String kind) {
    return Timer.builder("iris.feature.online.read")
        .description("Online read API latency")
        .tag("kind", kind)
        .publishPercentileHistogram()
        .register(registry);
  }

  /** Templates the read API found ({@code hit}) or not. */
  void onlineReads(int hits, int misses) {
    onlineHits.increment(hits);
    onlineMisses.increment(misses);
  }

  MeterRegistry registry() {
    return registry;
  }
}
