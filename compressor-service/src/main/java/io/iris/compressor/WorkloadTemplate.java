package io.iris.compressor;

import java.util.Map;
import java.util.Set;

/**
 * One template of a workload as the compressor sees it.
 *
 * @param templateId the template id
 * @param text the literal-free template text
 * @param tables the tables it reads or writes
 * @param columns its indexable columns ({@code TABLE.COLUMN}) with their weight in [0, 1]
 * @param cost its cost in the window (unit of the chosen cost metric)
 * @param executions its executions in the window
 */
public record WorkloadTemplate(
    String templateId,
    String text,
    Set<String> tables,
    Map<String, Double> columns,
    double cost,
    long executions) {

  public WorkloadTemplate {
    tables = Set.copyOf(tables);
    columns = Map.copyOf(columns);
    if (cost < 0 || Double.isNaN(cost)) {
      throw new IllegalArgumentException(
          templateId + ": cost must be a non-negative number, got " + cost);
    }
  }
}
