package io.iris.collector;

import io.iris.platform.IrisConfig;
import io.iris.platform.ServiceMain;
import io.iris.platform.ServiceRuntime;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import java.time.Clock;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector service: AWR of every configured database into {@code awr.snapshots} and {@code
 * awr.plans}, exactly once. With {@code --once} it prints instead what it would publish.
 */
public final class CollectorMain {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorMain.class);
  private static final int HTTP_PORT = 8181;

  private CollectorMain() {}

  public static void main(String[] args) throws Exception {
    ServiceMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    IrisConfig config = IrisConfig.fromEnvironment();
    if (Arrays.asList(args).contains("--once")) {
      System.exit(CollectOnce.run(args, config, System.out, System.err));
    }
    CollectorSettings settings = CollectorSettings.from(config);
    try (ServiceRuntime runtime = ServiceRuntime.start("collector", HTTP_PORT, config)) {
      // Where every instance stands: the checkpoints committed with the snapshots.
      SchemaRegistryClient registry =
          new SchemaRegistryClient(RegistryConfig.from(runtime.kafka().serde()));
      CollectorState state =
          CollectorState.load(runtime.kafka().consumer("iris-collector-state"), registry);
      CollectorMetrics metrics = new CollectorMetrics(runtime.metrics().registry());
      // One thread and one transactional producer per database: a slow or unreachable one never
      // holds up the others, and a second collector for the same database fences the first.
      for (Source source : settings.sources()) {
        KafkaSnapshotSink sink =
            new KafkaSnapshotSink(
                runtime.kafka().producer("iris-collector-" + source.name()),
                registry,
                runtime.kafka().serde());
        runtime.metrics().bindProducer(sink.producer());
        metrics.register(source.name());
        SnapshotInbox inbox = new SnapshotInbox();
        SourceCollector collector =
            new SourceCollector(source, settings, state, sink, metrics, Clock.systemUTC(), inbox);
        Thread thread = Thread.ofPlatform().name("collector-" + source.name()).start(collector);
        runtime.closeOnShutdown("sink " + source.name(), sink);
        runtime.closeOnShutdown(
            "collector " + source.name(),
            () -> {
              collector.stop();
              thread.join();
            });
        // Closed before the collector: no announcement arrives for a collector that has stopped.
        runtime
            .closeOnShutdown(
                "trigger " + source.name(), trigger(source, settings, runtime, metrics))
            .start(inbox);
        LOG.info(
            "collecting {} every {} s{}",
            source,
            settings.pollDue().toSeconds(),
            settings.trigger() == CollectorSettings.Trigger.POLL
                ? ""
                : " and on each snapshot Debezium announces");
      }
      runtime.awaitShutdown();
    }
  }

  private static SnapshotTrigger trigger(
      Source source, CollectorSettings settings, ServiceRuntime runtime, CollectorMetrics metrics) {
    if (settings.trigger() == CollectorSettings.Trigger.POLL) {
      return SnapshotTrigger.polling();
    }
    return DebeziumSnapshotTrigger.forOracle(
        source.name(),
        settings.captures().get(source.name()),
        runtime.kafka().common(),
        metrics,
        settings.maxBackoff());
  }
}
