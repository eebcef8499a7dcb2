package io.iris.feature;

import io.iris.schemas.avro.StatementStats;
import io.iris.schemas.avro.TemplateObservation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A template's activity in one snapshot. AWR reports each sql_id on its own, and literal variants
 * of one statement are different sql_ids of the same template, so a snapshot can hold several
 * observations of one template. Features describe the template, so they are merged: runtime deltas
 * are summed, and the shape, plan and sql_id are those of the variant that took the most time (its
 * plan is the one that matters).
 */
public final class TemplateActivity {
  private TemplateActivity() {}

  /** One observation per template, in order of first appearance. */
  public static List<TemplateObservation> perTemplate(List<TemplateObservation> snapshot) {
    Map<String, List<TemplateObservation>> byTemplate = new LinkedHashMap<>();
    for (TemplateObservation o : snapshot) {
      byTemplate.computeIfAbsent(o.getTemplateId(), id -> new ArrayList<>()).add(o);
    }
    List<TemplateObservation> merged = new ArrayList<>(byTemplate.size());
    for (List<TemplateObservation> variants : byTemplate.values()) {
      merged.add(variants.size() == 1 ? variants.get(0) : merge(variants));
    }
    return merged;
  }

  private static TemplateObservation merge(List<TemplateObservation> variants) {
    TemplateObservation dominant = variants.get(0);
    for (TemplateObservation o : variants) {
      if (elapsed(o) > elapsed(dominant)) {
        dominant = o;
      }
    }
    List<StatementStats> stats = variants.stream().map(TemplateObservation::getStats).toList();
    StatementStats summed =
        StatementStats.newBuilder()
            .setExecutions(sum(stats, StatementStats::getExecutions))
            .setElapsedTimeUs(sum(stats, StatementStats::getElapsedTimeUs))
            .setCpuTimeUs(sum(stats, StatementStats::getCpuTimeUs))
            .setBufferGets(sum(stats, StatementStats::getBufferGets))
            .setDiskReads(sum(stats, StatementStats::getDiskReads))
            .setRowsProcessed(sum(stats, StatementStats::getRowsProcessed))
            .setIoWaitUs(sum(stats, StatementStats::getIoWaitUs))
            .setParseCalls(sum(stats, StatementStats::getParseCalls))
            .setFetches(sum(stats, StatementStats::getFetches))
            .setSorts(sum(stats, StatementStats::getSorts))
            .build();
    return TemplateObservation.newBuilder(dominant).setStats(summed).build();
  }

  private static long elapsed(TemplateObservation o) {
    Long elapsed = o.getStats().getElapsedTimeUs();
    return elapsed == null ? -1 : elapsed;
  }

  /** The sum of the known values; null when none is known. */
  private static Long sum(List<StatementStats> stats, Function<StatementStats, Long> value) {
    Long total = null;
    for (StatementStats s : stats) {
      Long v = value.apply(s);
      if (v != null) {
        total = total == null ? v : total + v;
      }
    }
    return total;
  }
}
