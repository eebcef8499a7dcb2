package io.iris.compressor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The workload's indexable columns as dense indices, and each template's as sparse vectors. */
final class FeatureSpace {
  final int size;
  final int[][] columns;
  final double[][] weights;

  FeatureSpace(List<WorkloadTemplate> workload) {
    Map<String, Integer> index = new HashMap<>();
    columns = new int[workload.size()][];
    weights = new double[workload.size()][];
    for (int q = 0; q < workload.size(); q++) {
      Map<String, Double> features = workload.get(q).columns();
      int[] cols = new int[features.size()];
      double[] ws = new double[features.size()];
      int i = 0;
      // Sorted, so that the same workload always gives the same indices.
      for (String column : features.keySet().stream().sorted().toList()) {
        cols[i] = index.computeIfAbsent(column, c -> index.size());
        ws[i] = features.get(column);
        i++;
      }
      columns[q] = cols;
      weights[q] = ws;
    }
    size = index.size();
  }

  /** Weighted Jaccard similarity of two templates' (original) features. */
  double similarity(int a, int b, double[] scratch) {
    for (int i = 0; i < columns[b].length; i++) {
      scratch[columns[b][i]] = weights[b][i];
    }
    double min = 0;
    double sumA = 0;
    for (int i = 0; i < columns[a].length; i++) {
      min += Math.min(weights[a][i], scratch[columns[a][i]]);
      sumA += weights[a][i];
    }
    double sumB = 0;
    for (int i = 0; i < columns[b].length; i++) {
      sumB += weights[b][i];
      scratch[columns[b][i]] = 0;
    }
    double max = sumA + sumB - min;
    return max > 0 ? min / max : 0;
  }
}
