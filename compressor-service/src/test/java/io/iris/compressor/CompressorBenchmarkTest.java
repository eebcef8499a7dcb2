package io.iris.compressor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** ISUM at scale, one thread: 10,000 → 100 and 100,000 → 1,000. Run with {@code ./iris bench}. */
@Tag("benchmark")
class CompressorBenchmarkTest {

  /** A synthetic workload: 500 tables of 12 columns, 1–6 columns per template, log-normal costs. */
  static List<WorkloadTemplate> workload(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<WorkloadTemplate> w = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String table = "T" + (int) Math.floor(Math.pow(500, random.nextDouble()));
      Map<String, Double> columns = new HashMap<>();
      int f = 1 + random.nextInt(6);
      for (int c = 0; c < f; c++) {
        columns.put(table + ".C" + random.nextInt(12), 0.3 + 0.7 * random.nextDouble());
      }
      w.add(
          new WorkloadTemplate(
              String.format("%016x", random.nextLong()),
              "T",
              Set.of(table),
              columns,
              Math.exp(2 * random.nextGaussian()) * 1000,
              1 + random.nextInt(1000)));
    }
    return w;
  }

  @Test
  void isumAtScale() {
    Representatives.compress(new IsumCompressor(), workload(2_000, 1), 20, 0);
    List<WorkloadTemplate> tenThousand = workload(10_000, 2);
    long started = System.nanoTime();
    Compression small = Representatives.compress(new IsumCompressor(), tenThousand, 100, 0);
    double smallMs = (System.nanoTime() - started) / 1e6;
    List<WorkloadTemplate> hundredThousand = workload(100_000, 3);
    started = System.nanoTime();
    Compression large = Representatives.compress(new IsumCompressor(), hundredThousand, 1_000, 0);
    double largeMs = (System.nanoTime() - started) / 1e6;
    assertEquals(100, small.representatives().size());
    assertEquals(1_000, large.representatives().size());
    System.out.printf(
        "BENCH compressor: ISUM 10,000 templates -> 100 in %.0f ms (cost %.2f, columns %.2f, tables %.2f);"
            + " 100,000 -> 1,000 in %.0f ms (cost %.2f, columns %.2f, tables %.2f) (one thread)%n",
        smallMs,
        small.costCoverage(),
        small.columnCoverage(),
        small.tableCoverage(),
        largeMs,
        large.costCoverage(),
        large.columnCoverage(),
        large.tableCoverage());
  }
}
