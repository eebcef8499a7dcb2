package io.iris.compressor;

import io.iris.schemas.avro.CostMetric;
import io.iris.schemas.avro.IndexableColumn;
import io.iris.schemas.avro.StatementStats;
import io.iris.schemas.avro.TemplateObservation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aggregates observations into the workload's templates: cost and executions summed over the
 * window, tables and indexable columns (a column's weight is that of its most useful usage).
 */
public final class WorkloadBuilder {
  private final CostMetric metric;
  private final Map<String, Entry> templates = new LinkedHashMap<>();

  private static final class Entry {
    String text;
    final Set<String> tables = new HashSet<>();
    final Map<String, Double> columns = new HashMap<>();
    double cost;
    long executions;
  }

  public WorkloadBuilder(CostMetric metric) {
    this.metric = metric;
  }

  /** Adds one observation. */
  public WorkloadBuilder add(TemplateObservation observation) {
    Entry entry = templates.computeIfAbsent(observation.getTemplateId(), id -> new Entry());
    entry.text = observation.getTemplateText();
    entry.tables.addAll(observation.getShape().getTables());
    for (IndexableColumn column : observation.getIndexableColumns()) {
      entry.columns.merge(
          column.getTable() + "." + column.getColumn(),
          ColumnWeights.of(column.getUsage()),
          Math::max);
    }
    entry.cost += cost(observation.getStats());
    Long executions = observation.getStats().getExecutions();
    entry.executions += executions == null ? 0 : executions;
    return this;
  }

  /** The cost of one observation in the chosen metric; unknown counts as none. */
  double cost(StatementStats stats) {
    Long value =
        switch (metric) {
          case ELAPSED -> stats.getElapsedTimeUs();
          case CPU -> stats.getCpuTimeUs();
          case BUFFER_GETS -> stats.getBufferGets();
        };
    return value == null ? 0 : Math.max(0, value);
  }

  public List<WorkloadTemplate> templates() {
    List<WorkloadTemplate> out = new ArrayList<>(templates.size());
    templates.forEach(
        (id, e) ->
            out.add(new WorkloadTemplate(id, e.text, e.tables, e.columns, e.cost, e.executions)));
    return out;
  }
}
