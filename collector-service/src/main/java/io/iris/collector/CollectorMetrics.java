package io.iris.collector;

import io.iris.platform.Freshness;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collector's meters, per source: {@code iris_collector_snapshots_total}, {@code
 * iris_collector_statements} (per snapshot), {@code iris_collector_collection_seconds} (histogram),
 * {@code iris_collector_freshness_seconds} (since the newest collected snapshot ended), {@code
 * iris_collector_source_up}, {@code iris_collector_errors_total{kind}}, {@code
 * iris_collector_quality_violations_total{rule}}, {@code iris_collector_gap_snapshots_total},
 * {@code iris_collector_plans_total}, {@code iris_collector_backlog_snapshots} (snapshots in the
 * source's AWR after the collector's checkpoints: what is left to collect; NaN until the first
 * look); with a snapshot trigger also {@code iris_collector_trigger_events_total{outcome}}
 * (announcements handled: {@code new} or {@code already_collected}), {@code
 * iris_collector_trigger_latency_seconds} (from an announcement's arrival to its snapshot's
 * publication), {@code iris_collector_trigger_fallbacks_total} (snapshots the safety-net poll found
 * that no announcement had announced) and {@code iris_collector_trigger_up} (1 while Debezium
 * streams the snapshot log).
 */
public final class CollectorMetrics {
  private final MeterRegistry registry;
  private final Map<String, Freshness> freshness = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> up = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> backlog = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> triggerUp = new ConcurrentHashMap<>();

  public CollectorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers a source's gauges. */
  public void register(String source) {
    freshness(source);
    Gauge.builder(
            "iris.collector.source.up",
            up.computeIfAbsent(source, s -> new AtomicInteger()),
            AtomicInteger::get)
        .tag("source", source)
        .description("1 while the source answers, 0 while it does not")
        .register(registry);
    Gauge.builder(
            "iris.collector.backlog", backlog(source), n -> n.get() < 0 ? Double.NaN : n.get())
        .tag("source", source)
        .baseUnit("snapshots")
        .description("Snapshots in the source's AWR after the collector's checkpoints, to collect")
        .register(registry);
  }

  private AtomicLong backlog(String source) {
    return backlog.computeIfAbsent(source, s -> new AtomicLong(-1));
  }

  /** {@code snapshots} are left to collect from {@code source}. */
  void backlog(String source, long snapshots) {
    backlog(source).set(Math.max(0, snapshots));
  }

  void collected(String source, int statements, Duration took, Instant snapshotEnd, int plans) {
    Counter.builder("iris.collector.snapshots")
        .tag("source", source)
        .register(registry)
        .increment();
    DistributionSummary.builder("iris.collector.statements")
        .tag("source", source)
        .baseUnit("statements")
        .register(registry)
        .record(statements);
    Timer.builder("iris.collector.collection")
        .tag("source", source)
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
    Counter.builder("iris.collector.plans")
        .tag("source", source)
        .register(registry)
        .increment(plans);
    freshness(source).handled(snapshotEnd);
  }

  private Freshness freshness(String source) {
    return freshness.computeIfAbsent(
        source,
        s ->
            Freshness.register(
                registry,
                "iris.collector.freshness",
                "Seconds since the end of the newest snapshot collected from the source",
                Tags.of("source", s)));
  }

  void sourceUp(String source, boolean isUp) {
    up.computeIfAbsent(source, s -> new AtomicInteger()).set(isUp ? 1 : 0);
  }

  void error(String source, String kind) {
    Counter.builder("iris.collector.errors")
        .tag("source", source)
        .tag("kind", kind)
        .register(registry)
        .increment();
  }

  void violation(String source, String rule) {
    Counter.builder("iris.collector.quality.violations")
        .tag("source", source)
        .tag("rule", rule)
        .register(registry)
        .increment();
  }

  /** Registers the gauge of a source's trigger, once however often its trigger starts. */
  void registerTrigger(String source) {
    triggerUp.computeIfAbsent(
        source,
        s -> {
          AtomicInteger value = new AtomicInteger();
          Gauge.builder("iris.collector.trigger.up", value, AtomicInteger::get)
              .tag("source", s)
              .description(
                  "1 while the trigger streams the snapshot log, 0 while only polling works")
              .register(registry);
          return value;
        });
  }

  void triggerUp(String source, boolean isUp) {
    triggerUp.computeIfAbsent(source, s -> new AtomicInteger()).set(isUp ? 1 : 0);
  }

  void triggerEvent(String source, String outcome) {
    Counter.builder("iris.collector.trigger.events")
        .tag("source", source)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  void triggerLatency(String source, Duration fromAnnouncement) {
    Timer.builder("iris.collector.trigger.latency")
        .tag("source", source)
        .description("From a snapshot's announcement to its publication")
        .publishPercentileHistogram()
        .register(registry)
        .record(fromAnnouncement);
  }

  void fallback(String source, int snapshots) {
    Counter.builder("iris.collector.trigger.fallbacks")
        .tag("source", source)
        .description("Snapshots the safety-net poll collected before any announcement")
        .register(registry)
        .increment(snapshots);
  }

  void gap(String source, long missing) {
    Counter.builder("iris.collector.gap.snapshots")
        .tag("source", source)
        .register(registry)
        .increment(missing);
  }
}
