package io.iris.compressor;

import io.iris.schemas.avro.TemplateObservation;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the compressor keeps of one template of one workload: text, tables, columns, when it was
 * seen, and its cost and executions per snapshot (a bucket per snapshot end, epoch ms, in ascending
 * order), so buckets older than the horizon can expire. It is read and written for every
 * observation, so the buckets are plain arrays ({@link WindowSerde} stores them as they are).
 */
public final class WorkloadWindow {
  String templateId;
  String text;
  final Set<String> tables = new HashSet<>();
  final Map<String, Double> columns = new HashMap<>();
  long firstSeen;
  long lastSeen;
  private long[] ends = new long[8];
  private double[] costs = new double[8];
  private double[] executions = new double[8];
  private int size;

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
    Long executed = o.getStats().getExecutions();
    addToBucket(end, cost, executed == null ? 0 : executed);
  }

  /** Adds to the bucket of snapshot end {@code end}, creating it in order if it is new. */
  void addToBucket(long end, double cost, double executed) {
    // Observations come in snapshot order, so the bucket is nearly always the last one.
    int at = size > 0 && ends[size - 1] == end ? size - 1 : Arrays.binarySearch(ends, 0, size, end);
    if (at < 0) {
      at = -at - 1;
      if (size == ends.length) {
        int capacity = size * 2;
        ends = Arrays.copyOf(ends, capacity);
        costs = Arrays.copyOf(costs, capacity);
        executions = Arrays.copyOf(executions, capacity);
      }
      System.arraycopy(ends, at, ends, at + 1, size - at);
      System.arraycopy(costs, at, costs, at + 1, size - at);
      System.arraycopy(executions, at, executions, at + 1, size - at);
      ends[at] = end;
      costs[at] = 0;
      executions[at] = 0;
      size++;
    }
    costs[at] += cost;
    executions[at] += executed;
  }

  /** Drops buckets of snapshots that ended before {@code since}; true when none is left. */
  boolean expire(long since) {
    int keep = Arrays.binarySearch(ends, 0, size, since);
    int from = keep < 0 ? -keep - 1 : keep;
    if (from > 0) {
      System.arraycopy(ends, from, ends, 0, size - from);
      System.arraycopy(costs, from, costs, 0, size - from);
      System.arraycopy(executions, from, executions, 0, size - from);
      size -= from;
    }
    return size == 0;
  }

  int buckets() {
    return size;
  }

  /** The end of the oldest snapshot in the window; only when it has a bucket. */
  long oldestBucket() {
    return ends[0];
  }

  long bucketEnd(int i) {
    return ends[i];
  }

  double bucketCost(int i) {
    return costs[i];
  }

  double bucketExecutions(int i) {
    return executions[i];
  }

  /** This template as the compressor sees it, over the buckets in the window. */
  WorkloadTemplate template() {
    double cost = 0;
    long executed = 0;
    for (int i = 0; i < size; i++) {
      cost += costs[i];
      executed += (long) executions[i];
    }
    return new WorkloadTemplate(templateId, text, tables, columns, cost, executed);
  }
}
