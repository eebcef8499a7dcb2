package io.iris.compressor;

import io.iris.schemas.avro.TemplateObservation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the compressor keeps of one template of one workload: text, tables, columns, when it was
 * seen, and its cost and executions per snapshot (keyed by snapshot end, epoch ms), so buckets
 * older than the horizon can expire. Stored as JSON in a changelogged state store.
 */
public final class WorkloadWindow {
  public String templateId;
  public String text;
  public Set<String> tables = new HashSet<>();
  public Map<String, Double> columns = new HashMap<>();
  public long firstSeen;
  public long lastSeen;
  public TreeMap<Long, double[]> buckets = new TreeMap<>();

  /** Adds an observation's cost and executions to its snapshot's bucket. */
  void add(TemplateObservation o, double cost) {
    templateId = o.getTemplateId();
    text = o.getTemplateText();
    tables.addAll(o.getShape().getTables());
    o.getIndexableColumns()
        .forEach(
            c ->
                columns.merge(
                    c.getTable() + "." + c.getColumn(), ColumnWeights.of(c.getUsage()), Math::max));
    long end = o.getSnapshot().getEndIntervalTime().toEpochMilli();
    firstSeen = firstSeen == 0 ? end : Math.min(firstSeen, end);
    lastSeen = Math.max(lastSeen, end);
    long executions = o.getStats().getExecutions() == null ? 0 : o.getStats().getExecutions();
    buckets.merge(
        end, new double[] {cost, executions}, (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
  }

  /** Drops buckets of snapshots that ended before {@code since}; true when none is left. */
  boolean expire(long since) {
    buckets.headMap(since).clear();
    return buckets.isEmpty();
  }

  /** This template as the compressor sees it, over the buckets in the window. */
  WorkloadTemplate template() {
    double cost = 0;
    long executions = 0;
    for (double[] bucket : buckets.values()) {
      cost += bucket[0];
      executions += (long) bucket[1];
    }
    return new WorkloadTemplate(templateId, text, tables, columns, cost, executions);
  }
}
