package io.iris.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@code <name>_seconds} gauge of how stale a service's output is: seconds since the end of the
 * newest AWR snapshot it has handled (NaN until the first). The newest only moves forward, so a
 * late or replayed snapshot does not make the service look behind.
 */
public final class Freshness {
  private final AtomicReference<Instant> newest = new AtomicReference<>();

  private Freshness() {}

  /** Registers the gauge {@code name} with {@code tags} on {@code registry}. */
  public static Freshness register(
      MeterRegistry registry, String name, String description, Tags tags) {
    Freshness freshness = new Freshness();
    Gauge.builder(name, freshness, Freshness::seconds)
        .tags(tags)
        .baseUnit("seconds")
        .description(description)
        .register(registry);
    return freshness;
  }

  /** A snapshot ending at {@code snapshotEnd} was handled. */
  public void handled(Instant snapshotEnd) {
    newest.accumulateAndGet(snapshotEnd, (a, b) -> a == null || b.isAfter(a) ? b : a);
  }

  private double seconds() {
    Instant end = newest.get();
    return end == null ? Double.NaN : Duration.between(end, Instant.now()).toMillis() / 1000.0;
  }
}
