package io.iris.compressor;

import java.util.List;

/**
 * A workload compressed to representatives.
 *
 * @param algorithm which compressor chose them
 * @param representatives the picks, in pick order
 * @param totalTemplates templates in the workload
 * @param totalCost the workload's cost
 * @param totalExecutions the workload's executions
 * @param costCoverage share of the cost the picks themselves carry
 * @param columnCoverage share of the workload's (cost-weighted) indexable-column weight on columns
 *     some pick uses
 * @param tableCoverage share of templates all of whose tables some pick uses
 */
public record Compression(
    String algorithm,
    List<Representative> representatives,
    int totalTemplates,
    double totalCost,
    long totalExecutions,
    double costCoverage,
    double columnCoverage,
    double tableCoverage) {

  /**
   * A pick.
   *
   * @param template the template
   * @param weight the cost it stands for: its own and its assigned templates'
   * @param utility its utility when it was picked
   * @param representedTemplates templates assigned to it, itself included
   */
  public record Representative(
      WorkloadTemplate template, double weight, double utility, int representedTemplates) {}
}
