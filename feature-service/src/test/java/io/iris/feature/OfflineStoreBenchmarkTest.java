package io.iris.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iris.schemas.avro.FeatureVector;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline store's write path as the Kafka sink drives it: batches of 5,000 rows, one thread.
 * Run with {@code -Dgroups=benchmark -Dbench.excluded=none -Djacoco.skip=true}.
 */
@Tag("benchmark")
class OfflineStoreBenchmarkTest {
  private static final int BATCH = 5_000;
  private static final int ROWS = 500_000;
  private static final long[] DBIDS = {1_623_445_901L, 2_904_117_352L, 3_377_020_684L};
  private static final int TEMPLATES_PER_DB = 1_500;
  private static final String[] TYPES = {
    "SELECT", "SELECT", "SELECT", "SELECT", "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "PLSQL"
  };

  /**
   * Rows as the features topic carries them: every hour a snapshot of three databases, each with
   * about 70% of its 1,500 templates active. A template's shape and plan stay the same; its runtime
   * figures vary; the system figures are those of its snapshot.
   */
  static final class Workload {
    private final SplittableRandom random;
    private final List<FeatureVector> templates = new ArrayList<>();
    private final List<FeatureVector> pending = new ArrayList<>();
    private Instant snapshot = Instant.parse("2026-11-20T00:00:00Z");
    private long snapId = 51_000;

    Workload(long seed) {
      random = new SplittableRandom(seed);
      for (long dbid : DBIDS) {
        for (int i = 0; i < TEMPLATES_PER_DB; i++) {
          templates.add(template(dbid));
        }
      }
    }

    private FeatureVector template(long dbid) {
      int tables = 1 + random.nextInt(8);
      boolean plan = random.nextInt(100) < 85;
      FeatureVector.Builder v =
          FeatureVector.newBuilder()
              .setTemplateId(String.format("%016x", random.nextLong()))
              .setEventTime(snapshot)
              .setDbid(dbid)
              .setInstanceNumber(1 + random.nextInt(2))
              .setSnapId(0)
              .setStatementType(TYPES[random.nextInt(TYPES.length)])
              .setTableCount(tables)
              .setJoinCount(tables - 1)
              .setSubqueryCount(random.nextInt(4))
              .setMaxSubqueryDepth(random.nextInt(3))
              .setEqualityPredicates(random.nextInt(8))
              .setRangePredicates(random.nextInt(4))
              .setInPredicates(random.nextInt(3))
              .setLikePredicates(random.nextInt(2))
              .setNullPredicates(random.nextInt(2))
              .setAggregateCount(random.nextInt(4))
              .setWindowFunctionCount(random.nextInt(100) < 10 ? 1 : 0)
              .setSetOperationCount(random.nextInt(100) < 5 ? 1 : 0)
              .setHasDistinct(random.nextInt(100) < 15)
              .setHasGroupBy(random.nextInt(100) < 30)
              .setHasOrderBy(random.nextInt(100) < 40)
              .setHasRowLimit(random.nextInt(100) < 20)
              .setHintCount(random.nextInt(100) < 10 ? 1 + random.nextInt(3) : 0)
              .setTextLength(60 + random.nextInt(4_000))
              .setIndexableColumnCount(random.nextInt(12));
      if (plan) {
        v.setPlanFullScans(random.nextInt(3))
            .setPlanIndexRangeScans(random.nextInt(5))
            .setPlanIndexUniqueScans(random.nextInt(3))
            .setPlanHashJoins(random.nextInt(tables))
            .setPlanNestedLoops(random.nextInt(tables))
            .setPlanMergeJoins(random.nextInt(100) < 5 ? 1 : 0)
            .setPlanSorts(random.nextInt(3))
            .setPlanTotalCost((long) Math.exp(3 + 8 * random.nextDouble()))
            .setPlanCardinality((long) Math.exp(10 * random.nextDouble()))
            .setPlanDepth(2 + random.nextInt(14));
      }
      return v.build();
    }

    /** The next {@code n} rows, in snapshot order. */
    List<FeatureVector> next(int n) {
      while (pending.size() < n) {
        snapshot();
      }
      List<FeatureVector> batch = new ArrayList<>(pending.subList(0, n));
      pending.subList(0, n).clear();
      return batch;
    }

    private void snapshot() {
      snapshot = snapshot.plus(Duration.ofHours(1));
      snapId++;
      for (long dbid : DBIDS) {
        double hostCpu = 20 + 60 * random.nextDouble();
        double aas = 1 + 30 * random.nextDouble();
        long sessions = 100 + random.nextInt(900);
        long userIo = (long) (1e9 * random.nextDouble());
        long pga = 2_000_000_000L + random.nextInt(1_000_000_000);
        for (FeatureVector t : templates) {
          if (t.getDbid() != dbid || random.nextInt(100) >= 70) {
            continue;
          }
          long executions = 1 + (long) Math.exp(6 * random.nextDouble());
          double elapsed = Math.exp(4 + 6 * random.nextDouble());
          double cpu = elapsed * random.nextDouble();
          boolean representative = random.nextInt(100) < 5;
          pending.add(
              FeatureVector.newBuilder(t)
                  .setEventTime(snapshot)
                  .setSnapId(snapId)
                  .setExecutions(executions)
                  .setElapsedPerExecUs(elapsed)
                  .setCpuPerExecUs(cpu)
                  .setBufferGetsPerExec(Math.exp(2 + 8 * random.nextDouble()))
                  .setDiskReadsPerExec(random.nextInt(100) < 60 ? 0.0 : 100 * random.nextDouble())
                  .setRowsPerExec(Math.exp(5 * random.nextDouble()))
                  .setCpuElapsedRatio(cpu / elapsed)
                  .setIoWaitShare(random.nextDouble() * (1 - cpu / elapsed))
                  .setDbTimeShare(random.nextDouble() / 100)
                  .setHostCpuUtilizationPct(hostCpu)
                  .setAverageActiveSessions(aas)
                  .setSessionCount(sessions)
                  .setUserIoWaitUs(userIo)
                  .setPgaAllocatedBytes(pga)
                  .setSgaBytes(16L << 30)
                  .setIsRepresentative(representative)
                  .setRepresentativeWeight(representative ? 1e6 * random.nextDouble() : null)
                  .build());
        }
      }
    }
  }

  /** Time spent in {@link OfflineStore#write}: wall clock and this thread's CPU, nanoseconds. */
  private record Spent(long wall, long cpu) {}

  /** Writes {@code rows} in batches like the sink, generating each batch outside the timing. */
  private static Spent write(OfflineStore store, Workload workload, int rows) throws IOException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long wall = 0;
    long cpu = 0;
    for (long offset = 0; offset < rows; offset += BATCH) {
      List<FeatureVector> batch = workload.next(BATCH);
      long started = System.nanoTime();
      long startedCpu = threads.getCurrentThreadCpuTime();
      store.write(0, offset, offset + BATCH - 1, batch);
      cpu += threads.getCurrentThreadCpuTime() - startedCpu;
      wall += System.nanoTime() - started;
    }
    return new Spent(wall, cpu);
  }

  @Test
  void writeRate(@TempDir Path root) throws IOException {
    write(new OfflineStore(root.resolve("warm-up")), new Workload(1), 100_000);

    OfflineStore store = new OfflineStore(root.resolve("measured"));
    Spent spent = write(store, new Workload(2), ROWS);

    long bytes = 0;
    int files = 0;
    Set<String> partitions = new HashSet<>();
    try (Stream<Path> walk = Files.walk(store.directory())) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        bytes += Files.size(file);
        files++;
        partitions.add(store.directory().relativize(file.getParent()).toString());
      }
    }
    long started = System.nanoTime();
    int templates = store.asOf(Instant.parse("2030-01-01T00:00:00Z")).size();
    double readSeconds = (System.nanoTime() - started) / 1e9;
    assertEquals(DBIDS.length * TEMPLATES_PER_DB, templates, "every template has a latest row");

    System.out.printf(
        "BENCH feature-offline: %,d rows in batches of %,d -> %d files in %d dbid/date"
            + " partitions: %,.0f rows/s written (Parquet ZSTD, fsync, atomic rename;"
            + " %,.0f rows per CPU-second), %.1f bytes/row; as-of read of all of it %.1f s"
            + " (one thread)%n",
        ROWS,
        BATCH,
        files,
        partitions.size(),
        ROWS / (spent.wall() / 1e9),
        ROWS / (spent.cpu() / 1e9),
        (double) bytes / ROWS,
        readSeconds);
  }
}
