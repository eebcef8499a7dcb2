package io.iris.compose;

import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.Representative;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code ./iris up} prints at its end: what the pipeline made of the AWR it read (snapshots
 * per source, templates, the latest compressed workload of each database, feature rows in Kafka,
 * Parquet and Redis) and where to look next (a {@code curl} of the online API, every service's
 * metrics and health). Filled from what the topics, the offline store and the API hold; the reading
 * is {@link PipelineTally}'s, the wording is here.
 */
final class PipelineSummary {
  /** How many of a workload's representatives are shown. */
  static final int HEAVIEST = 3;

  /** Template texts are cut to this many characters. */
  static final int TEXT = 72;

  /** A service's HTTP address, e.g. {@code http://127.0.0.1:8181}. */
  record Endpoint(String service, String url) {}

  /** The Parquet offline store: committed rows, its directory and files. */
  record Offline(long rows, String directory, int files) {}

  /** One database as collected from one source. */
  private static final class Database {
    final Set<Integer> instances = new TreeSet<>();
    long snapshots;
  }

  private final Map<String, Map<Long, Database>> sources = new TreeMap<>();
  private final Map<Long, String> names = new HashMap<>();
  private final Set<String> templates = new HashSet<>();
  private long observations;
  private final Map<String, CompressedWorkload> workloads = new TreeMap<>();
  private long featureRows;
  private Optional<Offline> offline = Optional.empty();
  private OptionalInt online = OptionalInt.empty();
  private Set<String> onlineTemplates = Set.of();
  private String redis = "";
  private Optional<String> featureApi = Optional.empty();
  private List<Endpoint> services = List.of();
  private final List<String> notes = new ArrayList<>();

  void snapshot(String source, long dbid, String dbName, int instance) {
    Database db =
        sources
            .computeIfAbsent(source, s -> new TreeMap<>())
            .computeIfAbsent(dbid, d -> new Database());
    db.instances.add(instance);
    db.snapshots++;
    if (dbName != null) {
      names.put(dbid, dbName);
    }
  }

  void observation(String templateId) {
    observations++;
    templates.add(templateId);
  }

  /** A compressed workload; a later one of the same workload replaces it (topic order). */
  void workload(CompressedWorkload workload) {
    workloads.put(workload.getWorkload(), workload);
  }

  void featureRow() {
    featureRows++;
  }

  void offline(Offline store) {
    offline = Optional.of(store);
  }

  /** Which of the templates the online API serves, from the Redis at {@code redisUrl}. */
  void online(Set<String> served, String redisUrl) {
    online = OptionalInt.of(served.size());
    onlineTemplates = Set.copyOf(served);
    redis = redisUrl;
  }

  /** The feature service's address, where the online API answers. */
  void featureApi(String url) {
    featureApi = Optional.of(url);
  }

  void services(List<Endpoint> endpoints) {
    services = List.copyOf(endpoints);
  }

  /** Something that could not be read completely, said at the end. */
  void note(String text) {
    notes.add(text);
  }

  /** Every template id seen in sql.templates. */
  Set<String> templates() {
    return Set.copyOf(templates);
  }

  /**
   * The template a sample {@code curl} asks for: the heaviest representative served online, else
   * any template served online.
   */
  Optional<String> sampleTemplate() {
    for (CompressedWorkload w : workloads.values()) {
      for (Representative r : w.getRepresentatives()) {
        if (onlineTemplates.contains(r.getTemplateId())) {
          return Optional.of(r.getTemplateId());
        }
      }
    }
    return onlineTemplates.stream().sorted().findFirst();
  }

  /** The summary, line by line. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("What the pipeline made of it");
    snapshotLines(lines);
    lines.add(
        line(
            "templates",
            count(templates.size())
                + " distinct in sql.templates, from "
                + count(observations)
                + " statements observed"));
    workloadLines(lines);
    featureLines(lines);
    tryLines(lines);
    serviceLines(lines);
    notes.forEach(n -> lines.add(line("note", n)));
    return lines;
  }

  private void snapshotLines(List<String> lines) {
    if (sources.isEmpty()) {
      lines.add(line("snapshots", "none collected yet"));
    }
    sources.forEach(
        (source, databases) -> {
          long total = databases.values().stream().mapToLong(d -> d.snapshots).sum();
          List<String> parts = new ArrayList<>();
          databases.forEach(
              (dbid, db) ->
                  parts.add(
                      database(dbid)
                          + " "
                          + count(db.snapshots)
                          + " from "
                          + db.instances.size()
                          + (db.instances.size() == 1 ? " instance" : " instances")));
          lines.add(
              line(
                  "snapshots",
                  count(total) + " collected from " + source + ": " + String.join(", ", parts)));
        });
  }

  private void workloadLines(List<String> lines) {
    if (workloads.isEmpty()) {
      lines.add(line("compressed", "no compressed workload yet"));
    }
    for (CompressedWorkload w : workloads.values()) {
      String dbid = w.getWorkload();
      String name = dbid.matches("-?\\d+") ? database(Long.parseLong(dbid)) : dbid;
      String settings =
          w.getAlgorithm()
              + ", "
              + (w.getTargetCoverage() != null
                  ? "coverage target " + percent(w.getTargetCoverage())
                  : "k=" + w.getK())
              + ", cost "
              + w.getCostMetric();
      lines.add(
          line(
              "compressed",
              name
                  + ": "
                  + w.getRepresentatives().size()
                  + " representatives of "
                  + w.getTotalTemplates()
                  + " templates"
                  + (w.getTriggeringSnapId() == null
                      ? ""
                      : ", up to snapshot " + w.getTriggeringSnapId())
                  + " ("
                  + settings
                  + ")"));
      lines.add(
          more(
              "  coverage: cost "
                  + percent(w.getCoverage().getCostCoverage())
                  + ", indexable columns "
                  + percent(w.getCoverage().getColumnCoverage())
                  + ", tables "
                  + percent(w.getCoverage().getTableCoverage())));
      List<Representative> heaviest =
          w.getRepresentatives().stream()
              .sorted((a, b) -> Double.compare(b.getCostShare(), a.getCostShare()))
              .limit(HEAVIEST)
              .toList();
      for (int i = 0; i < heaviest.size(); i++) {
        Representative r = heaviest.get(i);
        lines.add(
            more(
                (i == 0 ? "  heaviest: " : "            ")
                    + String.format(Locale.ROOT, "%5.1f%%  ", r.getCostShare() * 100)
                    + shortText(r.getTemplateText())));
      }
    }
  }

  private void featureLines(List<String> lines) {
    lines.add(line("features", count(featureRows) + " rows in the features topic"));
    offline.ifPresent(
        o ->
            lines.add(
                more(
                    count(o.rows())
                        + " rows in the Parquet offline store, "
                        + o.files()
                        + (o.files() == 1 ? " file" : " files")
                        + " under "
                        + o.directory())));
    online.ifPresent(
        n ->
            lines.add(
                more(
                    n
                        + " of "
                        + templates.size()
                        + " templates served online (Redis at "
                        + redis
                        + ")")));
  }

  private void tryLines(List<String> lines) {
    if (featureApi.isEmpty()) {
      return;
    }
    Optional<String> sample = sampleTemplate();
    if (sample.isEmpty()) {
      lines.add(line("try", "no template is online yet: see " + featureApi.get() + "/features/"));
      return;
    }
    lines.add(line("try", "curl -s " + featureApi.get() + "/features/" + sample.get()));
    lines.add(
        more(
            "curl -s -X POST "
                + featureApi.get()
                + "/features/batch -H 'Content-Type: application/json' -d '{\"templateIds\": [\""
                + sample.get()
                + "\"]}'"));
  }

  private void serviceLines(List<String> lines) {
    for (int i = 0; i < services.size(); i++) {
      Endpoint e = services.get(i);
      String text =
          String.format("%-11s %s/metrics   %s/health/ready", e.service(), e.url(), e.url());
      lines.add(i == 0 ? line("metrics", text) : more(text));
    }
    if (!services.isEmpty()) {
      lines.add(
          line(
              "prometheus",
              "scrape "
                  + String.join(
                      ", ", services.stream().map(e -> e.url().replace("http://", "")).toList())
                  + " at /metrics (jobs, rules and alerts: compose/prometheus/)"));
    }
  }

  private String database(long dbid) {
    String name = names.get(dbid);
    return name == null ? Long.toString(dbid) : name + " (" + dbid + ")";
  }

  private static String shortText(String text) {
    String flat = text.strip().replaceAll("\\s+", " ");
    return flat.length() <= TEXT ? flat : flat.substring(0, TEXT - 3) + "...";
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A line of {@code ./iris up}'s output: the step, then what it says. */
  static String line(String step, String text) {
    return String.format("%-10s %s", step, text);
  }

  /** A line continuing the one above. */
  private static String more(String text) {
    return " ".repeat(11) + text;
  }

  /** The summary as text, for tests and messages. */
  @Override
  public String toString() {
    return String.join("\n", lines());
  }
}
