package io.iris.compose;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.schemas.Topic;
import io.iris.schemas.Topics;
import io.iris.simulator.SimulatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's load test: a month of one database's AWR (2,880 snapshots of 15 minutes, 500 statements
 * each: about 1.4 million observations), already in the source when the services start with {@code
 * IRIS_COLLECTOR_START=earliest}, pushed through the whole pipeline (four service JVMs, a broker, a
 * registry and Redis of the test's own) until the last Parquet row. Prints, as {@code BENCH} lines:
 * the end-to-end time and rate, each stage's throughput read off its output topic, the CPU each
 * process spent per 1,000 observations and the busiest threads, and as the ceiling the rate one
 * plain producer with the services' settings reaches on the same broker with records copied from
 * the pipeline's topics. Asserts only that every observation arrived exactly once everywhere.
 *
 * <p>Run with {@code ./iris bench}; a smaller history with {@code -Dbackfill.snapshots=N
 * -Dbackfill.statements=M}, a longer or shorter limit with {@code -Dbackfill.timeoutMinutes=T},
 * service settings to try with {@code -Dbackfill.settings=IRIS_KAFKA_COMMIT_INTERVAL_MS=1000,...}.
 */
@Tag("benchmark")
class BackfillBenchmarkTest {
  private static final int SNAPSHOTS = Integer.getInteger("backfill.snapshots", 30 * 96);
  private static final int STATEMENTS = Integer.getInteger("backfill.statements", 500);
  private static final Duration TIMEOUT =
      Duration.ofMinutes(Long.getLong("backfill.timeoutMinutes", 30));

  /** Settings for the services on top of the test's, {@code NAME=value,...}, to try tunings. */
  private static final String SETTINGS = System.getProperty("backfill.settings", "");

  private static final Duration INTERVAL = Duration.ofMinutes(15);

  /** Issue 8's target for the whole chain on 2 cores. */
  private static final double TARGET = 20_000;

  private static final long SEED = 30;
  private static final long DBID = 3_070_000_001L;

  /** How long features must stay unchanged, with no group lagging, to call the run complete. */
  private static final Duration QUIET = Duration.ofSeconds(8);

  /** This JVM: the source database (H2's TCP server) and the benchmark's own readers. */
  private static final String SOURCE_AND_HARNESS = "test JVM (H2 source, topic readers)";

  /** The JVM's own threads (JIT compilers, GC), which run beside the work, not in its path. */
  private static final Pattern JVM_OWN = Pattern.compile("C1 |C2 |GC |G1 ");

  /** A stage of the pipeline, measured on the topic it writes. */
  private record Stage(String service, Topic<?> topic) {}

  private static final List<Stage> STAGES =
      List.of(
          new Stage("collector", Topics.AWR_SNAPSHOTS),
          new Stage("parser", Topics.SQL_TEMPLATES),
          new Stage("compressor", Topics.WORKLOAD_COMPRESSED),
          new Stage("feature", Topics.FEATURES));

  /** CPU used so far by each process (and its children), and by the machine, at a time. */
  private record CpuSample(
      long nanos, Map<String, Duration> processes, Optional<Duration> machine) {
    static CpuSample take(Map<String, Long> pids) {
      Map<String, Duration> processes = new LinkedHashMap<>();
      pids.forEach((name, pid) -> processes.put(name, ProcessCpu.ofTree(pid)));
      processes.put(SOURCE_AND_HARNESS, ProcessCpu.ofThisJvm());
      return new CpuSample(System.nanoTime(), processes, ProcessCpu.machineBusy());
    }

    Duration minus(CpuSample before, String process) {
      return processes.get(process).minus(before.processes.getOrDefault(process, Duration.ZERO));
    }
  }

  @Test
  void aMonthOfOneDatabase(@TempDir Path dir) throws Exception {
    // The history ends now, as a backfill's does: the compressor stamps its results with the
    // snapshot's end, and the broker refuses records stamped more than an hour ahead of its clock.
    Instant lastEnd = Instant.now().truncatedTo(ChronoUnit.HOURS);
    SimulatorConfig config =
        SimulatorConfig.standard(SEED)
            .withDatabases(List.of(new SimulatorConfig.Database("BACKFILL", DBID, 1)))
            .withRestart(Optional.empty())
            .withStatementsPerSnapshot(STATEMENTS)
            .withTiming(lastEnd.minus(INTERVAL.multipliedBy(SNAPSHOTS - 1L)), INTERVAL);
    try (RestartableInfra infra = new RestartableInfra(dir.resolve("infra")).start(true);
        AwrSource source = AwrSource.onDisk(config, dir.resolve("awr"))) {
      long generating = System.nanoTime();
      source.takeSnapshots(SNAPSHOTS);
      double generated = seconds(System.nanoTime() - generating);
      BackfillCheck check = BackfillCheck.expecting(source);
      long observations = check.observations();
      bench(
          "backfill source: %d snapshots of one instance, %d observations (%.1f statements a"
              + " snapshot), generated into H2 on disk in %.0f s before the clock starts",
          check.snapshots(), observations, (double) observations / check.snapshots(), generated);

      LivePipeline.Endpoints endpoints = withSettings(infra.endpoints(), SETTINGS);
      LivePipeline.setUp(endpoints);
      Map<Stage, TopicArrivals> arrivals = new LinkedHashMap<>();
      for (Stage stage : STAGES) {
        arrivals.put(
            stage, TopicArrivals.watch(endpoints.bootstrapServers(), stage.topic().name()));
      }
      Map<String, Map<String, Duration>> threadsBefore = new LinkedHashMap<>();
      infra.pids().forEach((name, pid) -> threadsBefore.put(name, ProcessCpu.threads(pid)));
      CpuSample before = CpuSample.take(infra.pids());
      long start = System.nanoTime();
      Instant startedAt = Instant.now();
      boolean complete;
      try (LivePipeline pipeline =
          LivePipeline.startServices(
              endpoints, Map.of("backfill", source.url()), dir.resolve("run"))) {
        Map<String, Long> pids = new LinkedHashMap<>(pipeline.pids());
        pids.putAll(infra.pids());
        List<CpuSample> samples = new ArrayList<>();
        complete = awaitComplete(endpoints, pipeline, pids, arrivals, observations, start, samples);
        for (TopicArrivals a : arrivals.values()) {
          a.close();
        }
        long processed = observations;
        long end = samples.getLast().nanos();
        if (complete) {
          long lastFeature = arrivals.get(STAGES.getLast()).last().orElse(start);
          long lastRow = start + Duration.between(startedAt, newestParquet(pipeline)).toNanos();
          end = Math.max(lastFeature, lastRow);
          long firstSnapshot = arrivals.get(STAGES.getFirst()).first().orElse(start);
          bench(
              "backfill end-to-end: %d observations from the services' start to the last feature"
                  + " record and Parquet row (at %.1f s) in %.1f s: %.0f observations/s (target"
                  + " %.0f on 2 cores); without the %.1f s before the first snapshot was"
                  + " published (JVMs and Streams starting): %.0f observations/s",
              observations,
              seconds(lastRow - start),
              seconds(end - start),
              observations / seconds(end - start),
              TARGET,
              seconds(firstSnapshot - start),
              observations / seconds(end - firstSnapshot));
        } else {
          processed = arrivals.get(STAGES.get(1)).count();
          bench(
              "backfill INCOMPLETE: stopped after %.0f s (-Dbackfill.timeoutMinutes=%d) with %d of"
                  + " %d observations in sql.templates; the figures below are up to then, per"
                  + " observation templated",
              seconds(end - start), TIMEOUT.toMinutes(), processed, observations);
        }
        long last = end;
        CpuSample during =
            samples.stream().filter(s -> s.nanos() >= last).findFirst().orElse(samples.getLast());
        double perSnapshot = (double) observations / check.snapshots();
        for (Map.Entry<Stage, TopicArrivals> stage : arrivals.entrySet()) {
          long records = stage.getValue().count();
          double observationsPerRecord =
              switch (stage.getKey().service()) {
                case "collector" -> perSnapshot;
                case "parser" -> 1;
                default -> complete && records > 0 ? (double) observations / records : Double.NaN;
              };
          stageReport(stage.getKey(), stage.getValue(), start, observationsPerRecord);
        }
        cpuReport(start, processed, before, during);
        bench(
            "backfill cpu of which the topic readers: %.1f s",
            seconds(
                arrivals.values().stream()
                    .map(TopicArrivals::cpu)
                    .reduce(Duration.ZERO, Duration::plus)));
        busiestThreads(pids, threadsBefore, processed);

        if (complete) {
          List<String> broken =
              check.brokenPromises(
                  endpoints, pipeline.offlineDir(), pipeline.ports().get("feature"));
          bench(
              "backfill outputs: %d observations of %d templates, every snapshot, statement,"
                  + " feature record and Parquet row exactly once: %s",
              observations, check.templates(), broken.isEmpty() ? "yes" : "NO");
          assertTrue(broken.isEmpty(), () -> String.join("\n", broken));
        }
      }

      ceiling(endpoints, Topics.SQL_TEMPLATES, 20_000, observations, Map.of(), infra, 1);
      ceiling(
          endpoints,
          Topics.AWR_SNAPSHOTS,
          50,
          check.snapshots(),
          Map.of(
              ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
              Topics.MAX_MESSAGE_BYTES,
              ProducerConfig.BUFFER_MEMORY_CONFIG,
              2L * Topics.MAX_MESSAGE_BYTES),
          infra,
          (double) observations / check.snapshots());
      assertTrue(complete, () -> "the backfill did not complete in " + TIMEOUT);
    }
  }

  /**
   * {@code endpoints} with {@code settings} ({@code NAME=value,...}) added to their environment.
   */
  private static LivePipeline.Endpoints withSettings(
      LivePipeline.Endpoints endpoints, String settings) {
    Map<String, String> env = new LinkedHashMap<>(endpoints.env());
    for (String setting : settings.split(",")) {
      if (!setting.isBlank()) {
        String[] nameValue = setting.split("=", 2);
        env.put(nameValue[0].strip(), nameValue.length > 1 ? nameValue[1].strip() : "");
      }
    }
    if (!settings.isBlank()) {
      bench("backfill settings added to the services': %s", settings);
    }
    return new LivePipeline.Endpoints(
        endpoints.bootstrapServers(), endpoints.registryUrl(), endpoints.redisUrl(), env);
  }

  /**
   * Waits until every observation is in sql.templates, no consumer group lags and the features
   * topic has stayed unchanged for {@link #QUIET}, or the time limit passes (false); adds a sample
   * of every process's CPU to {@code samples} once a second meanwhile.
   */
  private static boolean awaitComplete(
      LivePipeline.Endpoints endpoints,
      LivePipeline pipeline,
      Map<String, Long> pids,
      Map<Stage, TopicArrivals> arrivals,
      long observations,
      long start,
      List<CpuSample> samples)
      throws Exception {
    TopicArrivals templates = arrivals.get(STAGES.get(1));
    TopicArrivals features = arrivals.get(STAGES.getLast());
    Instant never = Instant.now().plus(Duration.ofDays(1));
    long lastProgress = start;
    long featuresCount = -1;
    long featuresSince = start;
    while (true) {
      Thread.sleep(1_000);
      samples.add(CpuSample.take(pids));
      long now = System.nanoTime();
      for (String service : LivePipeline.SERVICES) {
        pipeline.check(service, never);
      }
      if (features.count() != featuresCount) {
        featuresCount = features.count();
        featuresSince = now;
      }
      if (templates.count() >= observations
          && now - featuresSince >= QUIET.toNanos()
          && LivePipeline.idle(endpoints)) {
        return true;
      }
      if (now - start > TIMEOUT.toNanos()) {
        return false;
      }
      if (now - lastProgress >= Duration.ofSeconds(30).toNanos()) {
        lastProgress = now;
        System.out.printf(
            Locale.ROOT, "backfill after %.0f s: %s%n", seconds(now - start), counts(arrivals));
      }
    }
  }

  /**
   * Per JVM, the threads that used the most CPU during the run; and the busiest thread of all, the
   * rate it allows if it were the only limit.
   */
  private static void busiestThreads(
      Map<String, Long> pids, Map<String, Map<String, Duration>> before, long observations) {
    ProcessCpu.ThreadCpu busiest = new ProcessCpu.ThreadCpu("none", Duration.ZERO);
    String busiestIn = "";
    for (Map.Entry<String, Long> process : pids.entrySet()) {
      if (process.getKey().equals("redis")) {
        continue;
      }
      List<ProcessCpu.ThreadCpu> threads =
          ProcessCpu.busiest(
              before.getOrDefault(process.getKey(), Map.of()),
              ProcessCpu.threads(process.getValue()),
              6);
      bench(
          "backfill threads %s: %s",
          process.getKey(),
          threads.isEmpty()
              ? "(jcmd could not tell)"
              : String.join(
                  ", ",
                  threads.stream()
                      .map(t -> String.format(Locale.ROOT, "%s %.1f s", t.name(), seconds(t.cpu())))
                      .toList()));
      for (ProcessCpu.ThreadCpu thread : threads) {
        if (!JVM_OWN.matcher(thread.name()).lookingAt()
            && thread.cpu().compareTo(busiest.cpu()) > 0) {
          busiest = thread;
          busiestIn = process.getKey();
        }
      }
    }
    double perObservation = seconds(busiest.cpu()) / observations;
    bench(
        "backfill busiest thread (JIT and GC aside): %s of the %s, %.1f ms per 1k observations:"
            + " on its own it allows at most %.0f observations/s",
        busiest.name(), busiestIn, perObservation * 1e6, 1 / perObservation);
  }

  private static String counts(Map<Stage, TopicArrivals> arrivals) {
    StringBuilder counts = new StringBuilder();
    arrivals.forEach(
        (stage, a) ->
            counts.append(stage.topic().name()).append(' ').append(a.count()).append(' '));
    return counts.toString().trim();
  }

  /** CPU per process over the run, per 1,000 {@code observations}, and of the machine. */
  private static void cpuReport(long start, long observations, CpuSample before, CpuSample during) {
    double window = seconds(during.nanos() - start);
    Duration pipeline = Duration.ZERO;
    Duration all = Duration.ZERO;
    for (String process : during.processes().keySet()) {
      Duration cpu = during.minus(before, process);
      all = all.plus(cpu);
      if (!process.equals(SOURCE_AND_HARNESS)) {
        pipeline = pipeline.plus(cpu);
      }
      bench(
          "backfill cpu %s: %.1f s, %.2f cores over the run, %.1f ms per 1k observations",
          process, seconds(cpu), seconds(cpu) / window, seconds(cpu) * 1e6 / observations);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    double perObservation = seconds(pipeline) / observations;
    bench(
        "backfill cpu the pipeline (services, broker, registry, Redis): %.1f s, %.1f ms per 1k"
            + " observations: %d cores allow at most %.0f observations/s if CPU were the only"
            + " limit",
        seconds(pipeline), perObservation * 1e6, cores, cores / perObservation);
    if (during.machine().isPresent() && before.machine().isPresent()) {
      double busy = seconds(during.machine().get().minus(before.machine().get()));
      bench(
          "backfill machine: %d cores busy %.0f%% of the %.1f s (this run's processes with the"
              + " source %.0f%%, everything else %.0f%%)",
          cores,
          100 * busy / (cores * window),
          window,
          100 * seconds(all) / (cores * window),
          100 * Math.max(0, busy - seconds(all)) / (cores * window));
    }
  }

  /**
   * A stage's output: when its first and last records arrived, and its rate while it moved from 10%
   * to 90% of its records (start-up and tail left out), also in observations per second when {@code
   * observationsPerRecord} is known.
   */
  private static void stageReport(
      Stage stage, TopicArrivals a, long start, double observationsPerRecord) {
    long records = a.count();
    OptionalLong first = a.first();
    OptionalLong last = a.last();
    OptionalLong p10 = a.reached(Math.max(1, records / 10));
    OptionalLong p90 = a.reached(Math.max(1, records * 9 / 10));
    if (first.isEmpty() || last.isEmpty() || p10.isEmpty() || p90.isEmpty()) {
      bench("backfill stage %s (%s): nothing arrived", stage.topic().name(), stage.service());
      return;
    }
    double span = seconds(p90.getAsLong() - p10.getAsLong());
    double rate = 0.8 * records / span;
    bench(
        "backfill stage %s (%s): %d records of %.0f bytes on average, first at %.1f s, last at"
            + " %.1f s; from 10%% to 90%% of them %s",
        stage.topic().name(),
        stage.service(),
        records,
        (double) a.bytes() / records,
        seconds(first.getAsLong() - start),
        seconds(last.getAsLong() - start),
        span <= 0
            ? "(too few to tell)"
            : Double.isNaN(observationsPerRecord)
                ? String.format(Locale.ROOT, "%.1f records/s", rate)
                : String.format(
                    Locale.ROOT,
                    "%.1f records/s, %.0f observations/s",
                    rate,
                    rate * observationsPerRecord));
  }

  /** When the newest Parquet file of the offline store was written. */
  private static Instant newestParquet(LivePipeline pipeline) throws IOException {
    try (Stream<Path> files = Files.walk(pipeline.offlineDir())) {
      FileTime newest = FileTime.fromMillis(0);
      for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        FileTime modified = Files.getLastModifiedTime(file);
        if (modified.compareTo(newest) > 0) {
          newest = modified;
        }
      }
      return newest.toInstant();
    }
  }

  /**
   * The raw producer rate on the same broker: {@code records} copies of {@code topic}'s first
   * {@code sample} records; {@code observationsPerRecord} converts it to observations.
   */
  private static void ceiling(
      LivePipeline.Endpoints endpoints,
      Topic<?> topic,
      int sample,
      long records,
      Map<String, Object> producerConfig,
      RestartableInfra infra,
      double observationsPerRecord)
      throws Exception {
    Optional<ProducerCeiling.Result> measured =
        ProducerCeiling.measure(
            endpoints.bootstrapServers(),
            topic,
            sample,
            records,
            producerConfig,
            infra.pids().get("broker"));
    if (measured.isEmpty()) {
      bench("backfill ceiling: %s is empty, nothing to copy", topic.name());
      return;
    }
    ProducerCeiling.Result ceiling = measured.get();
    bench(
        "backfill ceiling: one producer (idempotent, acks=all, zstd, linger 20 ms) sending %d"
            + " copies of %s records (%.0f bytes on average) to the same broker: %.0f records/s"
            + " (%.0f observations/s), %.1f MB/s uncompressed; broker CPU %.1f s, producer JVM"
            + " %.1f s, in %.1f s",
        ceiling.records(),
        topic.name(),
        (double) ceiling.bytes() / ceiling.records(),
        ceiling.recordsPerSecond(),
        ceiling.recordsPerSecond() * observationsPerRecord,
        ceiling.megabytesPerSecond(),
        seconds(ceiling.brokerCpu()),
        seconds(ceiling.producerJvmCpu()),
        seconds(ceiling.took()));
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  private static void bench(String format, Object... args) {
    System.out.println("BENCH " + String.format(Locale.ROOT, format, args));
  }
}
