package io.iris.compressor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a compressor and completes its picks the same way for every algorithm: each other template
 * is assigned to its most similar pick (weighted Jaccard over columns, then shared tables, then
 * pick order), a pick's weight is the cost it stands for, and the coverage figures say how much of
 * the workload the picks represent.
 */
public final class Representatives {
  private Representatives() {}

  /** Compresses {@code workload} to {@code k} representatives, or to a target cost coverage. */
  public static Compression compress(
      WorkloadCompressor compressor,
      List<WorkloadTemplate> workload,
      int k,
      double targetCostCoverage) {
    if (workload.isEmpty()) {
      return new Compression(compressor.name(), List.of(), 0, 0, 0, 0, 0, 0);
    }
    List<Integer> picks = compressor.pick(workload, k, targetCostCoverage);
    FeatureSpace space = new FeatureSpace(workload);
    int n = workload.size();
    // Inverted indexes: which picks use a column, which a table.
    Map<Integer, List<Integer>> picksByColumn = new HashMap<>();
    Map<String, List<Integer>> picksByTable = new HashMap<>();
    for (int p = 0; p < picks.size(); p++) {
      int q = picks.get(p);
      for (int c : space.columns[q]) {
        picksByColumn.computeIfAbsent(c, x -> new ArrayList<>()).add(p);
      }
      for (String t : workload.get(q).tables()) {
        picksByTable.computeIfAbsent(t, x -> new ArrayList<>()).add(p);
      }
    }
    double[] weight = new double[picks.size()];
    int[] represented = new int[picks.size()];
    boolean[] isPick = new boolean[n];
    for (int p = 0; p < picks.size(); p++) {
      isPick[picks.get(p)] = true;
      weight[p] = workload.get(picks.get(p)).cost();
      represented[p] = 1;
    }
    double[] scratch = new double[space.size];
    for (int q = 0; q < n; q++) {
      if (isPick[q]) {
        continue;
      }
      int to = assign(q, picks, space, picksByColumn, picksByTable, workload, scratch);
      weight[to] += workload.get(q).cost();
      represented[to]++;
    }
    List<Compression.Representative> representatives = new ArrayList<>();
    for (int p = 0; p < picks.size(); p++) {
      int q = picks.get(p);
      double utility = workload.get(q).cost() * IsumCompressor.reducibleFraction(space.weights[q]);
      representatives.add(
          new Compression.Representative(workload.get(q), weight[p], utility, represented[p]));
    }
    return new Compression(
        compressor.name(),
        representatives,
        n,
        workload.stream().mapToDouble(WorkloadTemplate::cost).sum(),
        workload.stream().mapToLong(WorkloadTemplate::executions).sum(),
        costCoverage(workload, picks),
        columnCoverage(workload, picks, space),
        tableCoverage(workload, picks));
  }

  private static int assign(
      int q,
      List<Integer> picks,
      FeatureSpace space,
      Map<Integer, List<Integer>> picksByColumn,
      Map<String, List<Integer>> picksByTable,
      List<WorkloadTemplate> workload,
      double[] scratch) {
    int best = -1;
    double bestSimilarity = 0;
    Set<Integer> candidates = new HashSet<>();
    for (int c : space.columns[q]) {
      candidates.addAll(picksByColumn.getOrDefault(c, List.of()));
    }
    for (int p : candidates.stream().sorted().toList()) {
      double s = space.similarity(q, picks.get(p), scratch);
      if (s > bestSimilarity) {
        best = p;
        bestSimilarity = s;
      }
    }
    if (best >= 0) {
      return best;
    }
    Map<Integer, Integer> shared = new HashMap<>();
    for (String t : workload.get(q).tables()) {
      for (int p : picksByTable.getOrDefault(t, List.of())) {
        shared.merge(p, 1, Integer::sum);
      }
    }
    int most = 0;
    for (var e : shared.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      if (e.getValue() > most) {
        best = e.getKey();
        most = e.getValue();
      }
    }
    // Nothing in common with any pick: it goes to the first pick, the one of highest benefit.
    return best >= 0 ? best : 0;
  }

  static double costCoverage(List<WorkloadTemplate> workload, List<Integer> picks) {
    double total = workload.stream().mapToDouble(WorkloadTemplate::cost).sum();
    double picked = picks.stream().mapToDouble(q -> workload.get(q).cost()).sum();
    return total > 0 ? picked / total : 0;
  }

  /**
   * Share of Σ cost·weight over all (template, column) pairs that falls on columns some pick uses.
   */
  static double columnCoverage(
      List<WorkloadTemplate> workload, List<Integer> picks, FeatureSpace space) {
    boolean[] covered = new boolean[space.size];
    for (int q : picks) {
      for (int c : space.columns[q]) {
        covered[c] = true;
      }
    }
    double all = 0;
    double hit = 0;
    for (int q = 0; q < workload.size(); q++) {
      for (int i = 0; i < space.columns[q].length; i++) {
        double w = workload.get(q).cost() * space.weights[q][i];
        all += w;
        if (covered[space.columns[q][i]]) {
          hit += w;
        }
      }
    }
    return all > 0 ? hit / all : 0;
  }

  /**
   * Share of templates all of whose tables appear in some pick (a template without tables counts).
   */
  static double tableCoverage(List<WorkloadTemplate> workload, List<Integer> picks) {
    Set<String> tables = new HashSet<>();
    picks.forEach(q -> tables.addAll(workload.get(q).tables()));
    long covered = workload.stream().filter(t -> tables.containsAll(t.tables())).count();
    return (double) covered / workload.size();
  }
}
