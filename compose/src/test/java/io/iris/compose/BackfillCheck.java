package io.iris.compose;

import io.iris.feature.FeatureClient;
import io.iris.feature.OfflineStore;
import io.iris.infra.TopicContents;
import io.iris.schemas.Topic;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.FeatureVector;
import io.iris.schemas.avro.SnapshotRef;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.simulator.AwrSimulator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * The promises of a backfill of one database instance, checked on outputs too large to hold
 * (millions of observations): every snapshot and statement exactly once, a compressed workload up
 * to the last snapshot, one feature record and one Parquet row per template and snapshot, every
 * template online at its newest snapshot, no dead letter. Records are read as a stream; what is
 * kept of each is a key packed into a long.
 */
final class BackfillCheck {
  /** Bits of a packed key for the statement or template, below the snapshot's. */
  private static final int INDEX_BITS = 24;

  private final long dbid;
  private final int instance;
  private final long lastSnapId;
  private final Map<String, Integer> statements = new HashMap<>();
  private final Map<String, Integer> templates = new HashMap<>();
  private final KeyLedger expectedSnapshots = new KeyLedger();
  private final KeyLedger expectedStatements = new KeyLedger();

  private BackfillCheck(long dbid, int instance, long lastSnapId) {
    this.dbid = dbid;
    this.instance = instance;
    this.lastSnapId = lastSnapId;
  }

  /** What the collector must find in {@code source}, which holds one instance of one database. */
  static BackfillCheck expecting(AwrSource source) throws Exception {
    if (source.dbids().size() != 1) {
      throw new IllegalArgumentException("a backfill check is for one database");
    }
    BackfillCheck check =
        new BackfillCheck(source.dbids().iterator().next(), 1, source.lastSnapId());
    for (long snapId = AwrSimulator.FIRST_SNAP_ID; snapId <= source.lastSnapId(); snapId++) {
      check.expectedSnapshots.add(snapId);
    }
    source.forEachSqlStat(
        (dbid, instance, snapId, sqlId, planHash) -> {
          if (dbid != check.dbid || instance != check.instance) {
            throw new IllegalArgumentException("a backfill check is for one instance");
          }
          check.expectedStatements.add(check.statementKey(snapId, sqlId, planHash));
        });
    return check;
  }

  /** How many observations (statements of snapshots) the AWR holds. */
  long observations() {
    return expectedStatements.size();
  }

  long snapshots() {
    return expectedSnapshots.size();
  }

  /** Reads every output now and returns the promises it breaks; empty when it keeps them all. */
  List<String> brokenPromises(LivePipeline.Endpoints endpoints, Path offlineDir, int featurePort)
      throws Exception {
    List<String> broken = new ArrayList<>();
    Map<String, Object> serde = Map.of(RegistryConfig.URL, endpoints.registryUrl());
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serde));
    Reader reader = new Reader(endpoints, registry, serde);

    KeyLedger snapshots = new KeyLedger();
    long[] statementsInSnapshots = {0};
    reader.each(
        Topics.AWR_SNAPSHOTS,
        s -> {
          if (reader.ours(s.getDbid(), s.getInstanceNumber())) {
            snapshots.add(s.getSnapId());
            statementsInSnapshots[0] += s.getSqlStats().size();
          }
        });
    snapshots
        .differenceFrom(expectedSnapshots, "snapshots in awr.snapshots")
        .ifPresent(broken::add);
    if (statementsInSnapshots[0] != observations()) {
      broken.add(
          "awr.snapshots holds "
              + statementsInSnapshots[0]
              + " statements, the AWR "
              + observations());
    }

    KeyLedger observed = new KeyLedger();
    KeyLedger activities = new KeyLedger();
    Set<Long> activitySeen = new HashSet<>();
    Map<String, Instant> newest = new HashMap<>();
    reader.each(
        Topics.SQL_TEMPLATES,
        o -> {
          SnapshotRef s = o.getSnapshot();
          if (reader.ours(s.getDbid(), s.getInstanceNumber())) {
            observed.add(statementKey(s.getSnapId(), o.getSqlId(), o.getPlanHashValue()));
            long activity = activityKey(s.getSnapId(), o.getTemplateId());
            if (activitySeen.add(activity)) {
              activities.add(activity);
            }
            newest.merge(o.getTemplateId(), s.getEndIntervalTime(), (a, b) -> a.isAfter(b) ? a : b);
          }
        });
    observed
        .differenceFrom(expectedStatements, "statements in sql.templates")
        .ifPresent(broken::add);

    long[] latest = {-1};
    reader.each(
        Topics.WORKLOAD_COMPRESSED,
        c -> {
          if (c.getWorkload().equals(Long.toString(dbid)) && c.getTriggeringSnapId() != null) {
            latest[0] = Math.max(latest[0], c.getTriggeringSnapId());
          }
        });
    if (latest[0] != lastSnapId) {
      broken.add("workload compressed up to snapshot " + latest[0] + " of " + lastSnapId);
    }

    KeyLedger features = new KeyLedger();
    reader.each(
        Topics.FEATURES,
        f -> {
          if (reader.ours(f.getDbid(), f.getInstanceNumber())) {
            features.add(activityKey(f.getSnapId(), f.getTemplateId()));
          }
        });
    features.differenceFrom(activities, "template activities in features").ifPresent(broken::add);

    KeyLedger rows = new KeyLedger();
    for (FeatureVector f : new OfflineStore(offlineDir).rows(OptionalLong.of(dbid))) {
      rows.add(activityKey(f.getSnapId(), f.getTemplateId()));
    }
    rows.differenceFrom(activities, "template activities in Parquet").ifPresent(broken::add);

    Map<String, FeatureClient.OnlineFeatures> online =
        PipelineOutputs.online(featurePort, newest.keySet());
    long stale =
        newest.entrySet().stream()
            .filter(
                t ->
                    online.get(t.getKey()) == null
                        || !online.get(t.getKey()).eventTime().equals(t.getValue()))
            .count();
    if (stale > 0) {
      broken.add(stale + " of " + newest.size() + " templates not online at their newest event");
    }

    if (reader.foreign > 0) {
      broken.add(reader.foreign + " records of another database or instance than the source's");
    }
    Map<String, Integer> deadLetters = PipelineOutputs.deadLetters(endpoints);
    if (!deadLetters.isEmpty()) {
      broken.add("dead letters: " + deadLetters);
    }
    return broken;
  }

  /** The templates the observations fell into, once {@link #brokenPromises} has read them. */
  int templates() {
    return templates.size();
  }

  /** A statement of a snapshot: the snapshot above, the statement's number below. */
  private long statementKey(long snapId, String sqlId, long planHash) {
    return pack(snapId, statements, sqlId + ":" + planHash);
  }

  /** A template's activity in a snapshot (one feature record, one Parquet row). */
  private long activityKey(long snapId, String templateId) {
    return pack(snapId, templates, templateId);
  }

  private static long pack(long snapId, Map<String, Integer> numbers, String name) {
    int number = numbers.computeIfAbsent(name, k -> numbers.size());
    if (number >= 1 << INDEX_BITS) {
      throw new IllegalStateException("more than 2^24 distinct names");
    }
    return (snapId << INDEX_BITS) | number;
  }

  /** Reads topics as a stream, counting the records of other instances. */
  private final class Reader {
    private final LivePipeline.Endpoints endpoints;
    private final SchemaRegistryClient registry;
    private final Map<String, Object> serde;
    long foreign;

    Reader(
        LivePipeline.Endpoints endpoints,
        SchemaRegistryClient registry,
        Map<String, Object> serde) {
      this.endpoints = endpoints;
      this.registry = registry;
      this.serde = serde;
    }

    <V extends SpecificRecord> void each(Topic<V> topic, Consumer<V> each) {
      Map<String, Object> config = new HashMap<>(endpoints.kafkaClient());
      config.put("isolation.level", "read_committed");
      TopicContents.forEach(
          config,
          topic.name(),
          topic.valueSerde(registry, serde).deserializer(),
          Instant.MAX,
          r -> each.accept(r.value()));
    }

    boolean ours(long recordDbid, int recordInstance) {
      if (recordDbid == dbid && recordInstance == instance) {
        return true;
      }
      foreign++;
      return false;
    }
  }
}
