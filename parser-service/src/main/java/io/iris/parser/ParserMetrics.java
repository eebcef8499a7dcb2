package io.iris.parser;

import io.iris.platform.Freshness;
import io.iris.schemas.avro.ParseMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/**
 * The parser's meters: {@code iris_parser_snapshots_total}, {@code
 * iris_parser_statements_total{mode}}, {@code iris_parser_dead_letters_total}, {@code
 * iris_parser_snapshot_seconds} (templating time per snapshot, histogram), {@code
 * iris_parser_cache_hits_total} / {@code _misses_total}, {@code iris_parser_freshness_seconds}.
 */
public final class ParserMetrics {
  private final MeterRegistry registry;
  private final Counter snapshots;
  private final Counter full;
  private final Counter lexical;
  private final Counter deadLetters;
  private final Timer perSnapshot;
  private final Freshness freshness;

  public ParserMetrics(MeterRegistry registry, TemplateCache<?, ?> cache) {
    this.registry = registry;
    this.snapshots =
        Counter.builder("iris.parser.snapshots")
            .description("Snapshots templated")
            .register(registry);
    this.full =
        Counter.builder("iris.parser.statements")
            .tag("mode", ParseMode.FULL.name())
            .register(registry);
    this.lexical =
        Counter.builder("iris.parser.statements")
            .tag("mode", ParseMode.LEXICAL.name())
            .register(registry);
    this.deadLetters =
        Counter.builder("iris.parser.dead.letters")
            .description("Records sent to awr.snapshots.dlq")
            .register(registry);
    this.perSnapshot =
        Timer.builder("iris.parser.snapshot")
            .description("Templating time per snapshot")
            .publishPercentileHistogram()
            .register(registry);
    FunctionCounter.builder("iris.parser.cache.hits", cache, TemplateCache::hits)
        .register(registry);
    FunctionCounter.builder("iris.parser.cache.misses", cache, TemplateCache::misses)
        .register(registry);
    this.freshness =
        Freshness.register(
            registry,
            "iris.parser.freshness",
            "Seconds since the end of the newest snapshot templated",
            Tags.empty());
  }

  void templated(Instant snapshotEnd, int fullStatements, int lexicalStatements, Duration took) {
    snapshots.increment();
    full.increment(fullStatements);
    lexical.increment(lexicalStatements);
    perSnapshot.record(took);
    freshness.handled(snapshotEnd);
  }

  void deadLetter() {
    deadLetters.increment();
  }

  MeterRegistry registry() {
    return registry;
  }
}
