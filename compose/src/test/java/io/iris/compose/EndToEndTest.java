package io.iris.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  @Test
  void everySnapshotReachesEveryStoreExactlyOnce(@TempDir Path dir) throws Exception {
    run(dir, true, Map.of());
  }

  @ParameterizedTest(name = "kill -9 of the {0}")
  @ValueSource(strings = {"collector", "parser", "compressor", "feature"})
  void aKilledServiceRestartsWhereItStopped(String service, @TempDir Path dir) throws Exception {
    Fault kill =
        (infra, pipeline) -> {
          pipeline.kill(service);
          pipeline.restart(service);
        };
    run(dir, true, Map.of(7, kill, 12, kill, 17, kill));
  }

  @Test
  void aBrokerRestartLosesAndRepeatsNothing(@TempDir Path dir) throws Exception {
    Fault restart =
        (infra, pipeline) -> {
          infra.stopKafka();
          infra.startKafka();
        };
    run(dir, true, Map.of(8, restart, 15, restart));
  }

  @Test
  void aRedisRestartLosesNothingOnline(@TempDir Path dir) throws Exception {
    Fault restart =
        (infra, pipeline) -> {
          infra.stopRedis();
          // Down long enough for the feature sink to fail, back off and retry.
          Thread.sleep(3_000);
          infra.startRedis();
        };
    run(dir, true, Map.of(8, restart, 15, restart));
  }

  @Test
  void servicesStartedBeforeTheRegistryWaitForIt(@TempDir Path dir) throws Exception {
    Fault registryComesUp =
        (infra, pipeline) -> {
          assertTrue(
              pipeline.dead().isEmpty(), () -> "died without a registry: " + pipeline.dead());
          infra.startRegistry();
          LivePipeline.setUp(infra.endpoints());
        };
    run(dir, false, Map.of(HISTORY + 2, registryComesUp));
  }

  /**
   * Streams snapshots {@code HISTORY + 1} to {@code SNAPSHOTS} into the running pipeline, injecting
   * {@code faults} before the snapshots they are keyed by, and checks every promise once the
   * pipeline has worked everything off.
   */
  private static void run(Path dir, boolean registryFirst, Map<Integer, Fault> faults)
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
      }
    }
  }

  /**
   * Waits until every output is complete and no consumer group has anything left to read, then
   * reads the outputs once more: what arrives late (a duplicate) is in that read.
   */
  private static PipelineOutputs awaitComplete(
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
    throw new AssertionError(
        "the pipeline did not complete in " + COMPLETION + ":\n" + String.join("\n", missing));
  }
}
