package io.iris.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.platform.IrisConfig;
import io.iris.platform.KafkaSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain on a real broker, registry and Redis of the test's own: the simulated AWR (two
 * databases, one a two-instance RAC whose instance 2 restarts half-way) grows to 20 snapshots while
 * the four services run, and whatever happens to them meanwhile, once the stream has been worked
 * off every promise holds: each snapshot and statement exactly once, a compressed result per
 * workload, features online for every template and one Parquet row per observation, and no literal
 * of the input after the parser. Each fault test breaks something at several points of the stream
 * and expects the same outcome with no manual step.
 */
class EndToEndTest {
  private static final long SEED = 8;
  private static final int HISTORY = 4;
  private static final int SNAPSHOTS = 20;

  /** The pace at which the simulated databases take snapshots. */
  private static final Duration SNAPSHOT_EVERY = Duration.ofSeconds(1);

  private static final Duration COMPLETION = Duration.ofMinutes(4);

  /** What a test does to the running system before a given snapshot is taken. */
  @FunctionalInterface
  private interface Fault {
    void inject(RestartableInfra infra, LivePipeline pipeline) throws Exception;
  }

  /** A look at the finished run, with the pipeline still running. */
  @FunctionalInterface
  private interface Afterwards {
    void check(LivePipeline.Endpoints endpoints, LivePipeline pipeline, PipelineOutputs outputs)
        throws Exception;
  }

  /**
   * What {@code ./iris up} prints at its end, from the real services: the backfill done, the
   * pipeline idle, and a summary whose counts are those the promises were checked on.
   */
  private static void launcherSeesWhatHappened(
      LivePipeline.Endpoints endpoints, LivePipeline pipeline, PipelineOutputs outputs)
      throws Exception {
    KafkaSettings kafka =
        new KafkaSettings(
            new IrisConfig(
                Map.of(
                    "IRIS_KAFKA_BOOTSTRAP_SERVERS", endpoints.bootstrapServers(),
                    "IRIS_SCHEMA_REGISTRY_URL", endpoints.registryUrl())),
            "test");
    Set<String> groups = new HashSet<>();
    ServiceCatalog.all(new IrisConfig(Map.of()), Path.of(".iris"))
        .forEach(s -> groups.addAll(s.groups()));
    ByteArrayOutputStream followed = new ByteArrayOutputStream();
    CatchUp.run(
        new CatchUp(Instant.now(), Duration.ofSeconds(60), true),
        new PipelineProbe(
            Optional.of("http://127.0.0.1:" + pipeline.ports().get("collector")), groups, kafka),
        new PrintStream(followed, true, StandardCharsets.UTF_8));
    String lines = followed.toString(StandardCharsets.UTF_8);
    assertTrue(
        lines.startsWith("backfill   " + SNAPSHOTS * 3 + "/" + SNAPSHOTS * 3 + " snapshots"),
        lines);
    assertTrue(lines.endsWith("pipeline   idle: every record processed\n"), lines);

    String feature = "http://127.0.0.1:" + pipeline.ports().get("feature");
    String summary =
        PipelineTally.read(
                new PipelineTally.Outputs(
                    kafka,
                    Optional.of(feature),
                    pipeline.offlineDir(),
                    "offline",
                    endpoints.redisUrl(),
                    List.of(new PipelineSummary.Endpoint("feature", feature))),
                Duration.ofSeconds(60))
            .toString();
    int templates = outputs.templateCount();
    for (String expected :
        List.of(
            "snapshots  " + SNAPSHOTS * 3 + " collected from sim: ",
            String.format(Locale.ROOT, "templates  %,d distinct in sql.templates", templates),
            String.format(
                Locale.ROOT, "features   %,d rows in the features topic", outputs.featureCount()),
            String.format(
                Locale.ROOT, "%,d rows in the Parquet offline store, ", outputs.parquetCount()),
            templates + " of " + templates + " templates served online",
            "try        curl -s " + feature + "/features/")) {
      assertTrue(summary.contains(expected), () -> expected + " in\n" + summary);
    }
    assertFalse(summary.contains("note"), summary);
    assertFalse(summary.contains(" 0 files under"), summary);
  }

  /**
   * Each service is killed twice, at points of its own, so that every kill finds the others in the
   * middle of their work (one run, where a run per service would cost the suite minutes).
   */
  @Test
  void killedServicesRestartWhereTheyStopped(@TempDir Path dir) throws Exception {
    Map<Integer, Fault> kills = new HashMap<>();
    int snapshot = HISTORY + 2;
    for (int round = 0; round < 2; round++) {
      for (String service : LivePipeline.SERVICES) {
        kills.put(
            snapshot,
            (infra, pipeline) -> {
              // A service restarted after kill -9 has been seen to abort in RocksDB (pthread lock:
              // Invalid argument) while Streams wipes its corrupted EOS state; a supervisor starts
              // it again, as the compose file's restart policy does, and the promises must hold.
              pipeline.supervise();
              pipeline.kill(service);
              pipeline.restart(service);
            });
        snapshot += 2;
      }
    }
    run(dir, true, kills);
  }

  /** The broker and Redis each restart twice, at different points of the stream. */
  @Test
  void brokerAndRedisRestartsLoseAndRepeatNothing(@TempDir Path dir) throws Exception {
    Fault broker =
        (infra, pipeline) -> {
          infra.stopKafka();
          infra.startKafka();
        };
    Fault redis =
        (infra, pipeline) -> {
          infra.stopRedis();
          // Down long enough for the feature sink to fail, back off and retry.
          Thread.sleep(3_000);
          infra.startRedis();
        };
    run(dir, true, Map.of(7, redis, 10, broker, 14, redis, 17, broker));
  }

  /**
   * No fault but a registry that comes up after the services (so no separate clean run, which would
   * cost the suite minutes): every snapshot reaches every store exactly once, and {@code ./iris
   * up}'s end sees what happened.
   */
  @Test
  void servicesStartedBeforeTheRegistryWaitForIt(@TempDir Path dir) throws Exception {
    Fault registryComesUp =
        (infra, pipeline) -> {
          assertTrue(
              pipeline.dead().isEmpty(), () -> "died without a registry: " + pipeline.dead());
          infra.startRegistry();
          LivePipeline.setUp(infra.endpoints());
        };
    run(dir, false, Map.of(HISTORY + 2, registryComesUp), EndToEndTest::launcherSeesWhatHappened);
  }

  /**
   * Streams snapshots {@code HISTORY + 1} to {@code SNAPSHOTS} into the running pipeline, injecting
   * {@code faults} before the snapshots they are keyed by, and checks every promise once the
   * pipeline has worked everything off.
   */
  private static void run(Path dir, boolean registryFirst, Map<Integer, Fault> faults)
      throws Exception {
    run(dir, registryFirst, faults, (endpoints, pipeline, outputs) -> {});
  }

  private static void run(
      Path dir, boolean registryFirst, Map<Integer, Fault> faults, Afterwards afterwards)
      throws Exception {
    try (RestartableInfra infra = new RestartableInfra(dir.resolve("infra")).start(registryFirst);
        AwrSource source = AwrSource.start(SEED)) {
      LivePipeline.Endpoints endpoints = infra.endpoints();
      if (registryFirst) {
        LivePipeline.setUp(endpoints);
      }
      source.takeSnapshots(HISTORY);
      try (LivePipeline pipeline =
          LivePipeline.startServices(endpoints, Map.of("sim", source.url()), dir.resolve("run"))) {
        if (registryFirst) {
          pipeline.awaitLive(LivePipeline.SERVICES);
        }
        for (int snapshot = HISTORY + 1; snapshot <= SNAPSHOTS; snapshot++) {
          Fault fault = faults.get(snapshot);
          if (fault != null) {
            fault.inject(infra, pipeline);
          }
          source.takeSnapshots(1);
          Thread.sleep(SNAPSHOT_EVERY);
        }
        assertEquals(SNAPSHOTS * 3, source.snapshots().size(), "20 snapshots of 3 instances");
        PipelineOutputs outputs = awaitComplete(endpoints, pipeline, source);
        List<String> broken = outputs.brokenPromises(source);
        assertTrue(broken.isEmpty(), () -> outputs.summary() + "\n" + String.join("\n", broken));
        afterwards.check(endpoints, pipeline, outputs);
        pipeline.crashes().forEach(crash -> System.out.println("supervisor restarted " + crash));
      }
    }
  }

  /**
   * Waits until every output is complete and no consumer group has anything left to read, then
   * reads the outputs once more: what arrives late (a duplicate) is in that read.
   */
  static PipelineOutputs awaitComplete(
      LivePipeline.Endpoints endpoints, LivePipeline pipeline, AwrSource source) throws Exception {
    Instant deadline = Instant.now().plus(COMPLETION);
    List<String> missing = List.of("nothing read yet");
    while (Instant.now().isBefore(deadline)) {
      for (String service : LivePipeline.SERVICES) {
        pipeline.check(service, deadline);
      }
      try {
        PipelineOutputs outputs =
            PipelineOutputs.read(endpoints, pipeline.offlineDir(), pipeline.ports().get("feature"));
        missing = outputs.missing(source);
        if (missing.isEmpty() && LivePipeline.idle(endpoints)) {
          return PipelineOutputs.read(
              endpoints, pipeline.offlineDir(), pipeline.ports().get("feature"));
        }
      } catch (IOException e) {
        // The feature service's API is not up yet after a restart.
        missing = List.of("the online API does not answer: " + e.getMessage());
      }
      Thread.sleep(2_000);
    }
    String diagnosis = pipeline.diagnosis(endpoints);
    // Printed as well: a CI summary may show only the message's first lines.
    System.out.println(diagnosis);
    throw new AssertionError(
        "the pipeline did not complete in "
            + COMPLETION
            + ":\n"
            + String.join("\n", missing)
            + "\n"
            + diagnosis);
  }
}
