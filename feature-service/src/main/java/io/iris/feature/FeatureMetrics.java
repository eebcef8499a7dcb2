package io.iris.feature;

import io.iris.schemas.avro.TemplateObservation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The feature service's meters: {@code iris_feature_snapshots_total}, {@code
 * iris_feature_vectors_total}, {@code iris_feature_snapshot_timeouts_total{context}}, {@code
 * iris_feature_dead_letters_total}, {@code iris_feature_freshness_seconds}, the sinks' {@code
 * iris_feature_sink_rows_total{sink}}, {@code iris_feature_sink_failures_total{sink}} and the
 * online read API's {@code iris_feature_online_read_seconds{kind}} (histogram) and {@code
 * iris_feature_online_reads_total{result}}.
 */
public final class FeatureMetrics {
  private final MeterRegistry registry;
  private final Counter snapshots;
  private final Counter vectors;
  private final Counter deadLetters;
  private final AtomicReference<Instant> newest = new AtomicReference<>();

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
    Gauge.builder(
            "iris.feature.freshness",
            newest,
            n ->
                n.get() == null
                    ? Double.NaN
                    : Duration.between(n.get(), Instant.now()).toMillis() / 1000.0)
        .baseUnit("seconds")
        .description("Seconds since the end of the newest snapshot whose features were emitted")
        .register(registry);
  }

  void snapshotJoined(int vectorCount, TemplateObservation sample) {
    snapshots.increment();
    vectors.increment(vectorCount);
    if (sample != null) {
      Instant end = sample.getSnapshot().getEndIntervalTime();
      newest.accumulateAndGet(end, (a, b) -> a == null || b.isAfter(a) ? b : a);
    }
  }

  void timedOut(boolean hadContext) {
    Counter.builder("iris.feature.snapshot.timeouts")
        .description("Snapshots emitted incomplete after the wait")
        .tag("context", hadContext ? "present" : "missing")
        .register(registry)
        .increment();
  }

  void deadLetter() {
    deadLetters.increment();
  }

  void sinkRows(String sink, int rows) {
    Counter.builder("iris.feature.sink.rows").tag("sink", sink).register(registry).increment(rows);
  }

  void sinkFailure(String sink) {
    Counter.builder("iris.feature.sink.failures").tag("sink", sink).register(registry).increment();
  }

  /** The timer of online reads of one kind (single, batch). */
  Timer onlineReads(String kind) {
    return Timer.builder("iris.feature.online.read")
        .description("Online read API latency")
        .tag("kind", kind)
        .publishPercentileHistogram()
        .register(registry);
  }

  void onlineResult(String result, int count) {
    Counter.builder("iris.feature.online.reads")
        .tag("result", result)
        .register(registry)
        .increment(count);
  }

  MeterRegistry registry() {
    return registry;
  }
}
