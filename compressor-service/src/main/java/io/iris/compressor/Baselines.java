package io.iris.compressor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/** What users would otherwise do: keep the costliest templates, or a random sample. */
public final class Baselines {
  private Baselines() {}

  /** The k costliest templates (ties on template id). */
  public static final WorkloadCompressor TOP_K_COST =
      new WorkloadCompressor() {
        @Override
        public String name() {
          return "TOP_K_COST";
        }

        @Override
        public List<Integer> pick(List<WorkloadTemplate> workload, int k, double target) {
          List<Integer> order =
              IntStream.range(0, workload.size())
                  .boxed()
                  .sorted(
                      Comparator.<Integer>comparingDouble(q -> -workload.get(q).cost())
                          .thenComparing(q -> workload.get(q).templateId()))
                  .toList();
          return prefix(workload, order, k, target);
        }
      };

  /** k templates drawn uniformly with a seeded generator. */
  public static WorkloadCompressor random(long seed) {
    return new WorkloadCompressor() {
      @Override
      public String name() {
        return "RANDOM";
      }

      @Override
      public List<Integer> pick(List<WorkloadTemplate> workload, int k, double target) {
        // Sorted by id first: the sample depends on the seed and the workload, not its order.
        List<Integer> order =
            new ArrayList<>(
                IntStream.range(0, workload.size())
                    .boxed()
                    .sorted(Comparator.comparing(q -> workload.get(q).templateId()))
                    .toList());
        Collections.shuffle(order, new Random(seed));
        return prefix(workload, order, k, target);
      }
    };
  }

  private static List<Integer> prefix(
      List<WorkloadTemplate> workload, List<Integer> order, int k, double target) {
    if (target <= 0) {
      return order.subList(0, Math.min(k, order.size()));
    }
    double total = workload.stream().mapToDouble(WorkloadTemplate::cost).sum();
    double picked = 0;
    List<Integer> picks = new ArrayList<>();
    for (int q : order) {
      picks.add(q);
      picked += workload.get(q).cost();
      if (picked >= target * total) {
        break;
      }
    }
    return picks;
  }
}
