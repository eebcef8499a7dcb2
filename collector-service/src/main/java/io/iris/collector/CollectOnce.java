package io.iris.collector;

import io.iris.platform.ConfigurationException;
import io.iris.platform.IrisConfig;
import io.iris.schemas.avro.CollectorCheckpoint;
import io.iris.schemas.avro.ExecutionPlan;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./iris collect --once [--source NAME] [--from-snap ID]}: reads what the collector would
 * publish and prints it as JSON lines (one per snapshot, one per new plan), without Kafka. For
 * checking a database by hand; quality violations are in each snapshot's {@code qualityViolations}.
 */
public final class CollectOnce {
  private CollectOnce() {}

  public static int run(String[] args, IrisConfig config, PrintStream out, PrintStream err) {
    Optional<String> only = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--once" -> {}
        case "--source" -> only = Optional.of(value(args, ++i));
        case "--from-snap" ->
            config = config.with(CollectorSettings.START.name(), "snap:" + value(args, ++i));
        default -> {
          err.println("usage: collect --once [--source NAME] [--from-snap ID]");
          return 2;
        }
      }
    }
    CollectorSettings settings;
    try {
      settings = CollectorSettings.from(config);
    } catch (ConfigurationException e) {
      err.println("collect: " + e.getMessage());
      return 2;
    }
    List<Source> sources = new ArrayList<>();
    for (Source source : settings.sources()) {
      if (only.isEmpty() || only.get().equals(source.name())) {
        sources.add(source);
      }
    }
    if (sources.isEmpty()) {
      err.println("collect: no source named " + only.orElse("") + " in IRIS_COLLECTOR_SOURCES");
      return 2;
    }
    int failures = 0;
    for (Source source : sources) {
      SnapshotSink printer =
          new SnapshotSink() {
            @Override
            public void publish(
                SnapshotAssembler.Collected collected, CollectorCheckpoint checkpoint) {
              out.println(collected.snapshot());
              for (ExecutionPlan plan : collected.newPlans()) {
                out.println(plan);
              }
              if (!collected.snapshot().getQualityViolations().isEmpty()) {
                err.printf(
                    "%s snapshot %d: failed %s%n",
                    source.name(),
                    collected.snapshot().getSnapId(),
                    collected.snapshot().getQualityViolations());
              }
            }
          };
      SourceCollector collector =
          new SourceCollector(
              source,
              settings,
              CollectorState.empty(),
              printer,
              new CollectorMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
              Clock.systemUTC());
      try {
        int n = collector.collectOnce();
        err.printf("%s: %d snapshots%n", source.name(), n);
      } catch (Exception e) {
        err.println(
            "collect: "
                + (e instanceof AwrAccessException ? e.getMessage() : source.name() + ": " + e));
        failures++;
      }
    }
    return failures == 0 ? 0 : 1;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new ConfigurationException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
