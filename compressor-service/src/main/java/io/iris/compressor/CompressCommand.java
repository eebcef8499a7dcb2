package io.iris.compressor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iris.schemas.avro.ColumnUsage;
import io.iris.schemas.avro.CostMetric;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./iris compress --input FILE (--k N | --coverage F) [--algorithm isum|top-k|random]
 * [--cost elapsed|cpu|buffer-gets] [--seed N]}: compresses a workload given as JSON lines (what
 * {@code ./iris template} prints, or {@code sql.templates} records dumped as JSON) and prints the
 * representatives, their weights and the coverage. A line without stats counts as one unit of cost
 * per occurrence.
 */
public final class CompressCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CompressCommand() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        err.println(usage());
        return 2;
      }
      options.put(args[i].substring(2), args[++i]);
    }
    if (!options.containsKey("input")
        || (options.containsKey("k") == options.containsKey("coverage"))) {
      err.println(usage());
      return 2;
    }
    int k;
    double coverage;
    CostMetric metric;
    WorkloadCompressor compressor;
    try {
      k = Integer.parseInt(options.getOrDefault("k", "0"));
      coverage = Double.parseDouble(options.getOrDefault("coverage", "0"));
      metric =
          CostMetric.valueOf(
              options.getOrDefault("cost", "elapsed").toUpperCase(Locale.ROOT).replace('-', '_'));
      compressor =
          switch (options.getOrDefault("algorithm", "isum")) {
            case "isum" -> new IsumCompressor();
            case "top-k" -> Baselines.TOP_K_COST;
            case "random" -> Baselines.random(Long.parseLong(options.getOrDefault("seed", "42")));
            default ->
                throw new IllegalArgumentException("algorithm must be isum, top-k or random");
          };
      if (k < 0 || coverage < 0 || coverage > 1) {
        throw new IllegalArgumentException("--k must be positive and --coverage within 0..1");
      }
    } catch (IllegalArgumentException e) {
      err.println("compress: " + e.getMessage() + "\n" + usage());
      return 2;
    }
    List<WorkloadTemplate> workload;
    try {
      workload = read(Path.of(options.get("input")), metric);
    } catch (IOException | RuntimeException e) {
      err.println("compress: cannot read " + options.get("input") + ": " + e.getMessage());
      return 1;
    }
    Compression c = Representatives.compress(compressor, workload, k, coverage);
    out.printf(
        "%s: %d templates -> %d representatives; coverage: cost %.3f, columns %.3f, tables %.3f%n",
        c.algorithm(),
        c.totalTemplates(),
        c.representatives().size(),
        c.costCoverage(),
        c.columnCoverage(),
        c.tableCoverage());
    out.println("WEIGHT SHARE  TEMPLATES  TEMPLATE ID       TEXT");
    for (Compression.Representative r : c.representatives()) {
      String text = r.template().text();
      out.printf(
          "%12.3f %9d  %s  %s%n",
          c.totalCost() > 0 ? r.weight() / c.totalCost() : 0,
          r.representedTemplates(),
          r.template().templateId(),
          text.length() > 100 ? text.substring(0, 97) + "..." : text);
    }
    out.flush();
    return 0;
  }

  /** The workload in a JSON lines file. */
  static List<WorkloadTemplate> read(Path file, CostMetric metric) throws IOException {
    Map<String, WorkloadTemplate> templates = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = JSON.readTree(line);
      String id = node.path("templateId").asText(null);
      if (id == null) {
        throw new IllegalArgumentException(
            "a line has no templateId: "
                + (line.length() > 80 ? line.substring(0, 80) + "..." : line));
      }
      Set<String> tables = new HashSet<>();
      node.path("shape").path("tables").forEach(t -> tables.add(t.asText()));
      Map<String, Double> columns = new HashMap<>();
      node.path("indexableColumns")
          .forEach(
              c ->
                  columns.merge(
                      c.path("table").asText() + "." + c.path("column").asText(),
                      ColumnWeights.of(ColumnUsage.valueOf(c.path("usage").asText())),
                      Math::max));
      JsonNode stats = node.path("stats");
      String field =
          switch (metric) {
            case ELAPSED -> "elapsedTimeUs";
            case CPU -> "cpuTimeUs";
            case BUFFER_GETS -> "bufferGets";
          };
      double cost = stats.isMissingNode() ? 1 : stats.path(field).asDouble(0);
      long executions = stats.isMissingNode() ? 1 : stats.path("executions").asLong(0);
      WorkloadTemplate before = templates.get(id);
      templates.put(
          id,
          new WorkloadTemplate(
              id,
              node.path("templateText").asText(""),
              tables,
              columns,
              cost + (before == null ? 0 : before.cost()),
              executions + (before == null ? 0 : before.executions())));
    }
    return List.copyOf(templates.values());
  }

  private static String usage() {
    return "usage: compress --input FILE (--k N | --coverage F) [--algorithm isum|top-k|random] [--cost elapsed|cpu|buffer-gets] [--seed N]";
  }
}
