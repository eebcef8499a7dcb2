package io.iris.compressor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * ISUM (Siddiqui et al., SIGMOD 2022): greedy selection by benefit = utility + similarity to the
 * rest of the workload, the similarity taken against one utility-weighted workload summary vector
 * instead of pairwise, so each step is O(n·f) and the run O(k·n·f). After each pick the remaining
 * templates' utilities shrink by their similarity to it and their features by what it covers, so
 * the next pick covers something else.
 */
public final class IsumCompressor implements WorkloadCompressor {
  /** How much of a column's weight an index on it is assumed to remove from a template's cost. */
  static final double INDEX_EFFECT = 0.5;

  @Override
  public String name() {
    return "ISUM";
  }

  /**
   * The share of a template's cost indexes could remove: 1 − Π(1 − 0.5·w) over its columns. More
   * and better indexable predicates give more; a template without any gives none.
   */
  static double reducibleFraction(double[] weights) {
    double remaining = 1;
    for (double w : weights) {
      remaining *= 1 - INDEX_EFFECT * w;
    }
    return 1 - remaining;
  }

  @Override
  public List<Integer> pick(List<WorkloadTemplate> workload, int k, double targetCostCoverage) {
    int n = workload.size();
    FeatureSpace space = new FeatureSpace(workload);
    // Current (shrinking) features and utilities; the originals stay in space.
    double[][] features = new double[n][];
    double[] utility = new double[n];
    double totalCost = 0;
    for (int q = 0; q < n; q++) {
      features[q] = space.weights[q].clone();
      utility[q] = workload.get(q).cost() * reducibleFraction(space.weights[q]);
      totalCost += workload.get(q).cost();
    }
    // Ties break on cost, then template id: the same input always gives the same picks.
    int[] rank = new int[n];
    List<Integer> byTieOrder =
        IntStream.range(0, n)
            .boxed()
            .sorted(
                Comparator.<Integer>comparingDouble(q -> -workload.get(q).cost())
                    .thenComparing(q -> workload.get(q).templateId()))
            .toList();
    for (int r = 0; r < n; r++) {
      rank[byTieOrder.get(r)] = r;
    }
    // The summary: S = Σ U·F (dense), T = Σ U. The summary vector is S / T.
    double[] summary = new double[space.size];
    double[] total = {0, 0}; // {T, ΣS}
    for (int q = 0; q < n; q++) {
      add(summary, total, space.columns[q], features[q], utility[q], 1);
    }
    boolean[] picked = new boolean[n];
    double[] pickedWeights = new double[space.size];
    double[] scratch = new double[space.size];
    int limit = targetCostCoverage > 0 ? n : Math.min(k, n);
    List<Integer> picks = new ArrayList<>();
    double pickedCost = 0;
    while (picks.size() < limit) {
      int best = -1;
      double bestBenefit = -1;
      for (int q = 0; q < n; q++) {
        if (picked[q]) {
          continue;
        }
        double benefit =
            utility[q]
                + (total[0] - utility[q])
                    * similarityToRest(
                        q, space.columns[q], features[q], utility[q], summary, total);
        if (best < 0 || benefit > bestBenefit || (benefit == bestBenefit && rank[q] < rank[best])) {
          best = q;
          bestBenefit = benefit;
        }
      }
      picks.add(best);
      picked[best] = true;
      pickedCost += workload.get(best).cost();
      if (targetCostCoverage > 0 && totalCost > 0 && pickedCost >= targetCostCoverage * totalCost) {
        break;
      }
      add(summary, total, space.columns[best], features[best], utility[best], -1);
      for (int i = 0; i < space.columns[best].length; i++) {
        pickedWeights[space.columns[best][i]] = space.weights[best][i];
      }
      for (int q = 0; q < n; q++) {
        if (picked[q] || !overlaps(space.columns[q], pickedWeights)) {
          continue;
        }
        double similarity = space.similarity(q, best, scratch);
        add(summary, total, space.columns[q], features[q], utility[q], -1);
        utility[q] *= 1 - similarity;
        for (int i = 0; i < features[q].length; i++) {
          features[q][i] *= 1 - pickedWeights[space.columns[q][i]];
        }
        add(summary, total, space.columns[q], features[q], utility[q], 1);
      }
      for (int c : space.columns[best]) {
        pickedWeights[c] = 0;
      }
    }
    return picks;
  }

  private static boolean overlaps(int[] columns, double[] pickedWeights) {
    for (int c : columns) {
      if (pickedWeights[c] > 0) {
        return true;
      }
    }
    return false;
  }

  /** Adds (sign +1) or removes (−1) a template's utility-weighted features to the summary. */
  private static void add(
      double[] summary,
      double[] total,
      int[] columns,
      double[] features,
      double utility,
      int sign) {
    total[0] += sign * utility;
    for (int i = 0; i < columns.length; i++) {
      double v = sign * utility * features[i];
      summary[columns[i]] += v;
      total[1] += v;
    }
  }

  /**
   * Weighted Jaccard similarity between template q's features and the summary vector of the rest of
   * the workload (q's own contribution taken out), in O(f).
   */
  private static double similarityToRest(
      int q, int[] columns, double[] features, double utility, double[] summary, double[] total) {
    double rest = total[0] - utility;
    if (rest <= 0 || columns.length == 0) {
      return 0;
    }
    double own = 0;
    for (double f : features) {
      own += f;
    }
    double min = 0;
    double max = (total[1] - utility * own) / rest; // Σ of the rest's vector
    for (int i = 0; i < columns.length; i++) {
      double v = (summary[columns[i]] - utility * features[i]) / rest;
      min += Math.min(features[i], v);
      max += Math.max(features[i], v) - v;
    }
    return max > 0 ? min / max : 0;
  }
}
