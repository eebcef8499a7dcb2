package io.iris.compose;

import io.iris.feature.FeatureClient;
import io.iris.feature.OfflineStore;
import io.iris.infra.TopicContents;
import io.iris.schemas.Topic;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.FeatureVector;
import io.iris.schemas.avro.SnapshotRef;
import io.iris.schemas.avro.TemplateObservation;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/**
 * Everything the pipeline produced, read back the way its users read it (committed records of every
 * topic, the Parquet files, the online API), and the promises it keeps, checked against the AWR it
 * read: every snapshot and statement exactly once, a compressed result per workload, features
 * online and offline for every observation, and no literal after the parser.
 */
final class PipelineOutputs {
  /** An optimizer hint: its numbers (PARALLEL(4)) are the statement's, not data. */
  private static final Pattern HINT = Pattern.compile("/\\*\\+.*?\\*/");

  /** A number in a template text that is not part of a name: a literal the templater missed. */
  private static final Pattern NUMBER_LITERAL =
      Pattern.compile("(?<![A-Za-z0-9_$#\"])\\d+(\\.\\d+)?(?![A-Za-z0-9_$#\"])");

  private final List<AwrSnapshot> snapshots;
  private final List<TemplateObservation> observations;
  private final List<CompressedWorkload> compressed;
  private final List<FeatureVector> features;
  private final List<FeatureVector> parquet;
  private final Map<String, FeatureClient.OnlineFeatures> online;
  private final Map<String, Integer> deadLetters;

  private PipelineOutputs(
      List<AwrSnapshot> snapshots,
      List<TemplateObservation> observations,
      List<CompressedWorkload> compressed,
      List<FeatureVector> features,
      List<FeatureVector> parquet,
      Map<String, FeatureClient.OnlineFeatures> online,
      Map<String, Integer> deadLetters) {
    this.snapshots = snapshots;
    this.observations = observations;
    this.compressed = compressed;
    this.features = features;
    this.parquet = parquet;
    this.online = online;
    this.deadLetters = deadLetters;
  }

  /** Reads every output now. */
  static PipelineOutputs read(LivePipeline.Endpoints endpoints, Path offlineDir, int featurePort)
      throws Exception {
    Map<String, Object> serde = Map.of(RegistryConfig.URL, endpoints.registryUrl());
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serde));
    List<TemplateObservation> observations = read(endpoints, Topics.SQL_TEMPLATES, registry, serde);
    Set<String> templateIds =
        observations.stream().map(TemplateObservation::getTemplateId).collect(Collectors.toSet());
    Map<String, FeatureClient.OnlineFeatures> online = online(featurePort, templateIds);
    return new PipelineOutputs(
        read(endpoints, Topics.AWR_SNAPSHOTS, registry, serde),
        observations,
        read(endpoints, Topics.WORKLOAD_COMPRESSED, registry, serde),
        read(endpoints, Topics.FEATURES, registry, serde),
        new OfflineStore(offlineDir).rows(OptionalLong.empty()),
        online,
        deadLetters(endpoints));
  }

  /** The online features of those of {@code templateIds} that have some, by template id. */
  static Map<String, FeatureClient.OnlineFeatures> online(
      int featurePort, Collection<String> templateIds) throws Exception {
    FeatureClient client =
        new FeatureClient("http://127.0.0.1:" + featurePort, Duration.ofSeconds(10));
    Map<String, FeatureClient.OnlineFeatures> online = new HashMap<>();
    List<String> ids = new ArrayList<>(templateIds);
    for (int from = 0; from < ids.size(); from += 500) {
      online.putAll(client.get(ids.subList(from, Math.min(ids.size(), from + 500))));
    }
    return online;
  }

  /** How many records each dead-letter topic holds, those that hold any. */
  static Map<String, Integer> deadLetters(LivePipeline.Endpoints endpoints) {
    Map<String, Integer> deadLetters = new TreeMap<>();
    for (Topic<?> topic : Topics.main()) {
      Topic<?> dlq = Topics.deadLetter(topic);
      int count =
          TopicContents.read(
                  endpoints.kafkaClient(),
                  dlq.name(),
                  new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                  true,
                  v -> true)
              .size();
      if (count > 0) {
        deadLetters.put(dlq.name(), count);
      }
    }
    return deadLetters;
  }

  private static <V extends SpecificRecord> List<V> read(
      LivePipeline.Endpoints endpoints,
      Topic<V> topic,
      SchemaRegistryClient registry,
      Map<String, Object> serde) {
    return TopicContents.read(
            endpoints.kafkaClient(),
            topic.name(),
            topic.valueSerde(registry, serde).deserializer(),
            true,
            v -> true)
        .stream()
        .map(r -> r.value())
        .toList();
  }

  /**
   * What is still missing for the outputs to be complete for {@code source}, one line per gap;
   * empty when everything has arrived (duplicates are not looked at here).
   */
  List<String> missing(AwrSource source) throws Exception {
    List<String> gaps = new ArrayList<>();
    gap(gaps, "snapshots in awr.snapshots", source.snapshots(), keys(snapshots, this::snapshotKey));
    gap(
        gaps,
        "statements in sql.templates",
        source.sqlStats(),
        keys(observations, this::statementKey));
    for (long dbid : source.dbids()) {
      long latest =
          compressed.stream()
              .filter(c -> c.getWorkload().equals(Long.toString(dbid)))
              .filter(c -> c.getTriggeringSnapId() != null)
              .mapToLong(CompressedWorkload::getTriggeringSnapId)
              .max()
              .orElse(-1);
      if (latest != source.lastSnapId()) {
        gaps.add(
            "workload "
                + dbid
                + " compressed up to snapshot "
                + latest
                + " of "
                + source.lastSnapId());
      }
    }
    gap(gaps, "rows in Parquet", activities(), keys(parquet, PipelineOutputs::rowKey));
    Map<String, Instant> newest = newestEventTimes();
    int stale = 0;
    for (Map.Entry<String, Instant> template : newest.entrySet()) {
      FeatureClient.OnlineFeatures served = online.get(template.getKey());
      if (served == null || !served.eventTime().equals(template.getValue())) {
        stale++;
      }
    }
    if (stale > 0) {
      gaps.add(
          stale + " of " + newest.size() + " templates not (yet) online at their newest event");
    }
    return gaps;
  }

  /**
   * The promises, once {@link #missing} is empty and the pipeline is idle: every record exactly
   * once, and nothing from the input's literals after the parser.
   */
  List<String> brokenPromises(AwrSource source) throws Exception {
    List<String> broken = new ArrayList<>(missing(source));
    duplicates(broken, "awr.snapshots", snapshots, this::snapshotKey);
    duplicates(broken, "sql.templates", observations, this::statementKey);
    duplicates(broken, "features", features, PipelineOutputs::rowKey);
    duplicates(broken, "the Parquet store", parquet, PipelineOutputs::rowKey);
    Set<String> extra = new HashSet<>(keys(parquet, PipelineOutputs::rowKey));
    extra.removeAll(activities());
    if (!extra.isEmpty()) {
      broken.add(
          extra.size() + " Parquet rows for no observation, e.g. " + extra.iterator().next());
    }
    if (!deadLetters.isEmpty()) {
      broken.add("dead letters: " + deadLetters);
    }
    Set<String> literals = source.stringLiterals();
    if (literals.size() < 10) {
      broken.add(
          "the source's texts have only " + literals.size() + " string literals to look for");
    }
    leaks(broken, literals, "sql.templates", observations);
    leaks(broken, literals, "workload.compressed", compressed);
    leaks(broken, literals, "features", features);
    leaks(broken, literals, "the Parquet store", parquet);
    leaks(broken, literals, "the online API", online.values());
    for (TemplateObservation o : observations) {
      String text = HINT.matcher(o.getTemplateText()).replaceAll("");
      if (text.contains("'") || NUMBER_LITERAL.matcher(text).find()) {
        broken.add("template " + o.getTemplateId() + " holds a literal: " + o.getTemplateText());
        break;
      }
    }
    return broken;
  }

  /** Distinct templates observed. */
  int templateCount() {
    return newestEventTimes().size();
  }

  /** Records on the features topic. */
  int featureCount() {
    return features.size();
  }

  /** Rows in the Parquet offline store. */
  int parquetCount() {
    return parquet.size();
  }

  /** Counts to report. */
  String summary() {
    return String.format(
        "%d snapshots, %d observations, %d templates, %d compressed results, %d feature records,"
            + " %d Parquet rows, %d templates online",
        snapshots.size(),
        observations.size(),
        newestEventTimes().size(),
        compressed.size(),
        features.size(),
        parquet.size(),
        online.size());
  }

  private String snapshotKey(AwrSnapshot s) {
    return s.getDbid() + ":" + s.getInstanceNumber() + ":" + s.getSnapId();
  }

  private String statementKey(TemplateObservation o) {
    SnapshotRef s = o.getSnapshot();
    return s.getDbid()
        + ":"
        + s.getInstanceNumber()
        + ":"
        + s.getSnapId()
        + ":"
        + o.getSqlId()
        + ":"
        + o.getPlanHashValue();
  }

  /** A template's activity in one snapshot of one instance: one feature row. */
  private static String rowKey(FeatureVector f) {
    return f.getTemplateId()
        + ":"
        + f.getDbid()
        + ":"
        + f.getInstanceNumber()
        + ":"
        + f.getSnapId();
  }

  /** The feature rows the observations call for (literal variants of a template merge). */
  private Set<String> activities() {
    return keys(
        observations,
        o ->
            o.getTemplateId()
                + ":"
                + o.getSnapshot().getDbid()
                + ":"
                + o.getSnapshot().getInstanceNumber()
                + ":"
                + o.getSnapshot().getSnapId());
  }

  /** Per template, the end of the newest snapshot it was observed in. */
  private Map<String, Instant> newestEventTimes() {
    Map<String, Instant> newest = new HashMap<>();
    for (TemplateObservation o : observations) {
      newest.merge(
          o.getTemplateId(), o.getSnapshot().getEndIntervalTime(), (a, b) -> a.isAfter(b) ? a : b);
    }
    return newest;
  }

  private static <T> Set<String> keys(Collection<T> records, Function<T, String> key) {
    return records.stream().map(key).collect(Collectors.toSet());
  }

  private static void gap(List<String> gaps, String what, Set<String> expected, Set<String> found) {
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(found);
    if (!missing.isEmpty()) {
      gaps.add(
          missing.size()
              + " of "
              + expected.size()
              + " "
              + what
              + " missing, e.g. "
              + missing.iterator().next());
    }
  }

  private static <T> void duplicates(
      List<String> broken, String where, List<T> records, Function<T, String> key) {
    Map<String, Long> counts =
        records.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    List<String> twice =
        counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    if (!twice.isEmpty()) {
      broken.add(
          twice.size() + " records more than once in " + where + ", e.g. " + twice.getFirst());
    }
  }

  private static void leaks(
      List<String> broken, Set<String> literals, String where, Collection<?> records) {
    // A literal as a whole word: 'SHIPPED' may be a value, SHIPPED_AT stays a column name.
    Pattern any =
        Pattern.compile(
            "(?<![A-Za-z0-9_$#])("
                + literals.stream().map(Pattern::quote).collect(Collectors.joining("|"))
                + ")(?![A-Za-z0-9_$#])");
    for (Object record : records) {
      String text = record.toString();
      Matcher leaked = any.matcher(text);
      if (leaked.find()) {
        broken.add(
            "literal '" + leaked.group(1) + "' of the input appears in " + where + ": " + text);
        return;
      }
    }
  }
}
