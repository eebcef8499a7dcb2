package io.iris.feature;

import static io.iris.feature.OnlineStore.EVENT_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.RedisUrl;
import io.iris.schemas.avro.FeatureVector;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Online store write throughput against {@code redis-benchmark} doing a plain HSET of the same 30
 * field/value pairs on the same Redis, and read latency. Run with {@code ./iris bench}; prints one
 * {@code BENCH feature-online:} line, asserts nothing about time.
 */
@Tag("benchmark")
@ExtendWith(LocalInfraExtension.class)
class OnlineStoreBenchmarkTest {
  /** Templates written over and over, as a sink does with every new snapshot. */
  private static final int TEMPLATES = 10_000;

  private static final int BATCH = 1_000;
  private static final int WARMUP_PASSES = 5;
  private static final int MEASURED_PASSES = 10;
  private static final int BENCHMARK_REQUESTS = 300_000;
  private static final int SINGLE_READS = 20_000;
  private static final int BATCH_READS = 2_000;

  private static final SplittableRandom RANDOM = new SplittableRandom(11);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** A vector with 29 non-null fields: with {@code _eventTime} its hash has 30. */
  static FeatureVector vector(String templateId, Instant eventTime) {
    long executions = 1 + RANDOM.nextInt(100_000);
    return FeatureVector.newBuilder()
        .setTemplateId(templateId)
        .setEventTime(eventTime)
        .setDbid(1_234_567_890L)
        .setInstanceNumber(1)
        .setSnapId(40_000 + RANDOM.nextInt(1_000))
        .setStatementType("SELECT")
        .setTableCount(1 + RANDOM.nextInt(5))
        .setJoinCount(RANDOM.nextInt(4))
        .setSubqueryCount(RANDOM.nextInt(3))
        .setMaxSubqueryDepth(RANDOM.nextInt(2))
        .setEqualityPredicates(RANDOM.nextInt(6))
        .setRangePredicates(RANDOM.nextInt(3))
        .setInPredicates(RANDOM.nextInt(2))
        .setLikePredicates(0)
        .setNullPredicates(0)
        .setAggregateCount(RANDOM.nextInt(3))
        .setWindowFunctionCount(0)
        .setSetOperationCount(0)
        .setHasDistinct(RANDOM.nextBoolean())
        .setHasGroupBy(RANDOM.nextBoolean())
        .setHasOrderBy(RANDOM.nextBoolean())
        .setHasRowLimit(false)
        .setHintCount(0)
        .setTextLength(80 + RANDOM.nextInt(400))
        .setIndexableColumnCount(RANDOM.nextInt(8))
        .setExecutions(executions)
        .setElapsedPerExecUs(RANDOM.nextDouble() * 100_000)
        .setCpuPerExecUs(RANDOM.nextDouble() * 50_000)
        .build();
  }

  @Test
  void writeThroughputAgainstRedisBenchmarkAndReadLatency(LocalInfra infra) throws Exception {
    assumeTrue(redisBenchmark().isPresent(), "redis-benchmark is not on the PATH");
    String runId = HexFormat.of().toHexDigits(RANDOM.nextInt());
    Instant t0 = Instant.parse("2026-11-26T00:00:00Z");
    List<String> ids = new ArrayList<>(TEMPLATES);
    List<FeatureVector> vectors = new ArrayList<>(TEMPLATES);
    for (int i = 0; i < TEMPLATES; i++) {
      ids.add(runId + HexFormat.of().toHexDigits(i));
      vectors.add(vector(ids.get(i), t0));
    }
    String uri = infra.redisUrl().toUriWithCredentials();
    try (OnlineStore store = new OnlineStore(uri, Duration.ofHours(1));
        JedisPooled redis = new JedisPooled(uri)) {
      try {
        // (a) The same hash as a plain HSET, by Redis's own client.
        store.write(List.of(vectors.get(0)));
        Map<String, String> hash = store.read(ids.get(0)).orElseThrow();
        assertEquals(30, hash.size(), "29 features and the event time");
        double serverSeconds = serverCpuSeconds(redis);
        double hsetPerSecond = redisBenchmark(infra.redisUrl(), "iris:bench:" + runId + ":", hash);
        double serverMicrosPerHset =
            (serverCpuSeconds(redis) - serverSeconds) * 1e6 / BENCHMARK_REQUESTS;

        // (b) Newer snapshots of every template, in sink-sized batches, after warm-up.
        long writeNanos = 0;
        long clientNanos = 0;
        double serverMicros = 0;
        int written = 0;
        for (int pass = 1; pass <= WARMUP_PASSES + MEASURED_PASSES; pass++) {
          Instant eventTime = t0.plus(Duration.ofMinutes(15L * pass));
          vectors.forEach(v -> v.setEventTime(eventTime));
          serverSeconds = serverCpuSeconds(redis);
          long clientStarted = THREADS.getCurrentThreadCpuTime();
          long started = System.nanoTime();
          int passWritten = 0;
          for (int from = 0; from < TEMPLATES; from += BATCH) {
            passWritten += store.write(vectors.subList(from, Math.min(TEMPLATES, from + BATCH)));
          }
          if (pass > WARMUP_PASSES) {
            writeNanos += System.nanoTime() - started;
            clientNanos += THREADS.getCurrentThreadCpuTime() - clientStarted;
            serverMicros += (serverCpuSeconds(redis) - serverSeconds) * 1e6;
            written += passWritten;
          }
        }
        assertEquals(MEASURED_PASSES * TEMPLATES, written, "every newer vector is written");
        double vectorsPerSecond = written / (writeNanos / 1e9);

        // (c) Reads of what is stored, one template and a page of 100.
        long[] single = new long[SINGLE_READS];
        for (int i = -SINGLE_READS; i < SINGLE_READS; i++) {
          long started = System.nanoTime();
          boolean found = store.read(ids.get(RANDOM.nextInt(TEMPLATES))).isPresent();
          if (i >= 0) {
            single[i] = System.nanoTime() - started;
          }
          assertTrue(found);
        }
        long[] pages = new long[BATCH_READS];
        for (int i = -BATCH_READS; i < BATCH_READS; i++) {
          int from = RANDOM.nextInt(TEMPLATES - 100);
          long started = System.nanoTime();
          int found = store.read(ids.subList(from, from + 100)).size();
          if (i >= 0) {
            pages[i] = System.nanoTime() - started;
          }
          assertEquals(100, found);
        }
        System.out.printf(
            "BENCH feature-online: writes of 30-field vectors: redis-benchmark HSET (-P 100, -c 50)"
                + " %,.0f/s (Redis CPU %.1f µs each), OnlineStore.write (batches of %,d, one thread)"
                + " %,.0f vectors/s (Redis CPU %.1f µs, client thread CPU %.1f µs each) = %.0f%% of"
                + " it; read(id) p50 %.0f µs, p99 %.0f µs; read(100 ids) p50 %.2f ms, p99 %.2f ms%n",
            hsetPerSecond,
            serverMicrosPerHset,
            BATCH,
            vectorsPerSecond,
            serverMicros / written,
            clientNanos / 1e3 / written,
            100 * vectorsPerSecond / hsetPerSecond,
            percentile(single, 0.50) / 1e3,
            percentile(single, 0.99) / 1e3,
            percentile(pages, 0.50) / 1e6,
            percentile(pages, 0.99) / 1e6);
      } finally {
        ids.forEach(id -> redis.unlink(OnlineStore.key(id)));
        deleteMatching(redis, "iris:bench:" + runId + ":*");
      }
    }
  }

  /**
   * Requests per second of {@code redis-benchmark} pipelining an HSET of {@code hash} on random
   * keys under {@code prefix}, as many keys as there are templates.
   */
  private static double redisBenchmark(RedisUrl redis, String prefix, Map<String, String> hash)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                redisBenchmark().orElseThrow().toString(),
                "-h",
                redis.host(),
                "-p",
                Integer.toString(redis.port()),
                "--dbnum",
                Integer.toString(redis.database()),
                "-P",
                "100",
                "-n",
                Integer.toString(BENCHMARK_REQUESTS),
                "-r",
                Integer.toString(TEMPLATES),
                "--csv"));
    redis.password().ifPresent(p -> command.addAll(List.of("-a", p)));
    redis.user().ifPresent(u -> command.addAll(List.of("--user", u)));
    // The fields and values the store writes, in its order.
    command.addAll(List.of("HSET", prefix + "__rand_int__", EVENT_TIME, hash.get(EVENT_TIME)));
    for (Schema.Field field : FeatureVector.getClassSchema().getFields()) {
      if (hash.containsKey(field.name())) {
        command.addAll(List.of(field.name(), hash.get(field.name())));
      }
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), "redis-benchmark failed: " + err);
    // --csv: a header, then "test","rps",... for the one command.
    String[] lines = out.strip().split("\n");
    String[] columns = lines[lines.length - 1].split("\",\"");
    double rps = Double.parseDouble(columns[1].replace("\"", ""));
    assertTrue(rps > 0, out);
    return rps;
  }

  /** CPU time the Redis server has used, user and system, from INFO. */
  private static double serverCpuSeconds(JedisPooled redis) {
    double seconds = 0;
    for (String line : redis.info("cpu").split("\r\n")) {
      if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
        seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1));
      }
    }
    return seconds;
  }

  private static Optional<Path> redisBenchmark() {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .map(dir -> Path.of(dir, "redis-benchmark"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static void deleteMatching(JedisPooled redis, String pattern) {
    ScanParams params = new ScanParams().match(pattern).count(1_000);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = redis.scan(cursor, params);
      if (!page.getResult().isEmpty()) {
        redis.unlink(page.getResult().toArray(String[]::new));
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
  }

  private static double percentile(long[] nanos, double p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.ceil(p * sorted.length) - 1];
  }
}
