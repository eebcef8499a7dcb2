package io.iris.compressor;

import java.util.List;

/** Chooses representatives of a workload: ISUM, or a baseline to compare it with. */
public interface WorkloadCompressor {
  /** The algorithm's name as {@code CompressedWorkload.algorithm} carries it. */
  String name();

  /**
   * The templates to keep, in pick order: {@code k} of them, or (with {@code targetCostCoverage}
   * above 0) the fewest whose own cost reaches that share of the total.
   */
  List<Integer> pick(List<WorkloadTemplate> workload, int k, double targetCostCoverage);
}
