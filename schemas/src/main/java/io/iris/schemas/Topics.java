package io.iris.schemas;

import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.CollectorCheckpoint;
import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.DeadLetter;
import io.iris.schemas.avro.ExecutionPlan;
import io.iris.schemas.avro.FeatureVector;
import io.iris.schemas.avro.TemplateObservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every topic of the IRIS contract, declared once. Services name topics only through these
 * constants; the launcher creates exactly these topics and registers exactly these schemas.
 */
public final class Topics {
  /** Suffix of a topic's dead-letter topic. */
  public static final String DEAD_LETTER_SUFFIX = ".dlq";

  /**
   * Largest record a topic accepts: a snapshot of 1,000 statements with texts of up to 100 KB (and
   * one of 1 MB) is about 50 MB before compression. Producers of such records set {@code
   * max.request.size} to the same value.
   */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private static final Map<String, String> ZSTD = Map.of("compression.type", "zstd");

  /** AWR snapshots with per-SQL deltas and raw SQL text; key {@code "{dbid}:{instance}"}. */
  public static final Topic<AwrSnapshot> AWR_SNAPSHOTS =
      new Topic<>(
          "awr.snapshots",
          AwrSnapshot.class,
          6,
          Map.of(
              "compression.type", "zstd", "max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES)),
          true);

  /** Execution plans, sent once each; key {@code "{dbid}:{sqlId}:{planHash}"}; compacted. */
  public static final Topic<ExecutionPlan> AWR_PLANS =
      new Topic<>(
          "awr.plans",
          ExecutionPlan.class,
          6,
          Map.of(
              "cleanup.policy", "compact",
              "compression.type", "zstd",
              "max.message.bytes", Integer.toString(8 * 1024 * 1024)),
          true);

  /** Literal-free template observations; key template id. */
  public static final Topic<TemplateObservation> SQL_TEMPLATES =
      new Topic<>("sql.templates", TemplateObservation.class, 6, ZSTD, false);

  /** Compressed workloads; key {@code "{dbid}"}. */
  public static final Topic<CompressedWorkload> WORKLOAD_COMPRESSED =
      new Topic<>("workload.compressed", CompressedWorkload.class, 3, ZSTD, false);

  /**
   * Feature vectors, latest per template kept by compaction; key template id. Compaction waits a
   * week, so the offline sink, which keeps every vector, can be down that long and lose nothing.
   */
  public static final Topic<FeatureVector> FEATURES =
      new Topic<>(
          "features",
          FeatureVector.class,
          6,
          Map.of(
              "cleanup.policy", "compact",
              "compression.type", "zstd",
              "min.compaction.lag.ms", Long.toString(7L * 24 * 3600 * 1000)),
          false);

  /**
   * The collector's checkpoints (internal): the last snapshot published per database instance,
   * written in the same transaction as the snapshot; compacted, so the latest per key stays.
   */
  public static final Topic<CollectorCheckpoint> COLLECTOR_CHECKPOINTS =
      new Topic<>(
          "iris.collector.checkpoints",
          CollectorCheckpoint.class,
          1,
          Map.of("cleanup.policy", "compact", "compression.type", "zstd"),
          false);

  private static final List<Topic<?>> MAIN =
      List.of(AWR_SNAPSHOTS, AWR_PLANS, SQL_TEMPLATES, WORKLOAD_COMPRESSED, FEATURES);

  private Topics() {}

  /** The topics that carry the pipeline's data, in pipeline order. */
  public static List<Topic<?>> main() {
    return MAIN;
  }

  /**
   * The dead-letter topic of {@code topic}: same key, {@link DeadLetter} values, the original bytes
   * kept as received (so it inherits the original's size limit and restriction).
   */
  public static Topic<DeadLetter> deadLetter(Topic<?> topic) {
    Map<String, String> configs =
        Map.of(
            "compression.type", "zstd",
            "retention.ms", Long.toString(30L * 24 * 3600 * 1000),
            "max.message.bytes",
                topic.configs().getOrDefault("max.message.bytes", Integer.toString(1024 * 1024)));
    return new Topic<>(topic.deadLetterName(), DeadLetter.class, 1, configs, topic.restricted());
  }

  /** Every topic IRIS creates: the main topics, their dead-letter topics, internal topics. */
  public static List<Topic<?>> all() {
    List<Topic<?>> all = new ArrayList<>(MAIN);
    MAIN.forEach(t -> all.add(deadLetter(t)));
    all.add(COLLECTOR_CHECKPOINTS);
    return List.copyOf(all);
  }

  /** The topic named {@code name}, if IRIS declares one. */
  public static java.util.Optional<Topic<?>> byName(String name) {
    return all().stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
