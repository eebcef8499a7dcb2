package io.iris.feature;

import io.iris.platform.DeadLetters;
import io.iris.platform.JsonSerde;
import io.iris.schemas.Topic;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.DeadLetter;
import io.iris.schemas.avro.ExecutionPlan;
import io.iris.schemas.avro.FeatureVector;
import io.iris.schemas.avro.TemplateObservation;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * awr.snapshots + sql.templates + awr.plans + workload.compressed → features. All four inputs are
 * re-keyed by database (dbid) into repartition topics with the same partition count, so one task
 * holds everything one database needs: its snapshots' system metrics, its plans, its latest
 * compressed workload and the observations of its open snapshots ({@link FeatureJoiner}). A
 * snapshot's features are emitted once all its observations and its system metrics are there, or
 * when the wait runs out; a record that cannot be read goes to its topic's dead-letter topic.
 */
public final class FeatureTopology {
  static final String CONTEXTS = "snapshot-contexts";
  static final String PENDING = "pending-observations";
  static final String PROGRESS = "snapshot-waits";
  static final String PLANS = "plans";
  static final String WORKLOADS = "workloads";

  /**
   * The serdes the topology reads and writes with (registry-backed Avro for the contract types).
   */
  public record FeatureSerdes(
      Serde<AwrSnapshot> snapshots,
      Serde<TemplateObservation> observations,
      Serde<ExecutionPlan> plans,
      Serde<CompressedWorkload> workloads,
      Serde<FeatureVector> features,
      Serde<DeadLetter> deadLetters) {}

  private FeatureTopology() {}

  public static void build(
      StreamsBuilder builder,
      FeatureSettings settings,
      FeatureSerdes serdes,
      FeatureMetrics metrics) {
    // Cached: a snapshot's wait record is updated by each of its observations, and pending
    // observations are mostly deleted again before the next commit; only what is left at the
    // commit goes to RocksDB and the changelog (in the commit's transaction).
    store(builder, CONTEXTS, serdes.snapshots());
    // Pending observations are kept as they arrived (Confluent wire format), never encoded again.
    store(builder, PENDING, Serdes.ByteArray());
    store(builder, PROGRESS, JsonSerde.of(SnapshotWait.class));
    store(builder, PLANS, serdes.plans());
    store(builder, WORKLOADS, serdes.workloads());

    // Only a snapshot's header and system metrics travel on: its statements are the parser's.
    KStream<String, Input> contexts =
        byDatabase(
            builder,
            Topics.AWR_SNAPSHOTS,
            serdes.snapshots(),
            serdes,
            settings,
            metrics,
            s -> AwrSnapshot.newBuilder(s).setSqlStats(List.of()).build(),
            s -> Long.toString(s.getDbid()));
    KStream<String, Input> observations =
        byDatabase(
            builder,
            Topics.SQL_TEMPLATES,
            serdes.observations(),
            serdes,
            settings,
            metrics,
            null,
            o -> Long.toString(o.getSnapshot().getDbid()));
    KStream<String, Input> plans =
        byDatabase(
            builder,
            Topics.AWR_PLANS,
            serdes.plans(),
            serdes,
            settings,
            metrics,
            null,
            p -> Long.toString(p.getDbid()));
    KStream<String, Input> workloads =
        byDatabase(
            builder,
            Topics.WORKLOAD_COMPRESSED,
            serdes.workloads(),
            serdes,
            settings,
            metrics,
            null,
            CompressedWorkload::getWorkload);
    contexts
        .merge(observations)
        .merge(plans)
        .merge(workloads)
        .process(
            () ->
                new FeatureJoiner(
                    settings.contextWait(),
                    metrics,
                    serdes.observations().deserializer(),
                    FeatureJoiner.MAX_HELD),
            CONTEXTS,
            PENDING,
            PROGRESS,
            PLANS,
            WORKLOADS)
        .to(Topics.FEATURES.name(), Produced.with(Serdes.String(), serdes.features()));
  }

  private static <V> void store(StreamsBuilder builder, String name, Serde<V> values) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
            .withCachingEnabled());
  }

  /** A record of one of the four inputs, decoded, with the bytes it came in (wire format). */
  record Input(SpecificRecord value, byte[] bytes) {}

  /**
   * {@code topic} decoded (dead letters to its .dlq), keyed by dbid and repartitioned to the
   * service's partition count, so all four inputs of a database meet in one task. A record goes on
   * as it came, or {@code trim}med and encoded again when {@code trim} is given.
   */
  private static <V extends SpecificRecord> KStream<String, Input> byDatabase(
      StreamsBuilder builder,
      Topic<V> topic,
      Serde<V> serde,
      FeatureSerdes serdes,
      FeatureSettings settings,
      FeatureMetrics metrics,
      UnaryOperator<V> trim,
      Function<V, String> database) {
    Map<String, KStream<String, DeadLetters.Decoded<V>>> decoded =
        builder.stream(topic.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
            .processValues(
                DeadLetters.decoding(
                    "feature", topic.name(), serde.deserializer(), metrics::deadLetter),
                Named.as(topic.name() + "-decode"))
            .split(Named.as(topic.name() + "-"))
            .branch((key, value) -> value.failed(), Branched.as("failed"))
            .defaultBranch(Branched.as("ok"));
    decoded
        .get(topic.name() + "-failed")
        .mapValues(DeadLetters.Decoded::deadLetter)
        .to(Topics.deadLetter(topic).name(), Produced.with(Serdes.String(), serdes.deadLetters()));
    return decoded
        .get(topic.name() + "-ok")
        .map(
            (key, d) ->
                KeyValue.pair(
                    database.apply(d.value()),
                    trim == null
                        ? d.bytes()
                        : serde.serializer().serialize(topic.name(), trim.apply(d.value()))))
        .repartition(
            Repartitioned.with(Serdes.String(), Serdes.ByteArray())
                .withName(topic.name().replace('.', '-') + "-by-db")
                .withNumberOfPartitions(settings.partitions()))
        .mapValues(
            bytes -> new Input(serde.deserializer().deserialize(topic.name(), bytes), bytes));
  }
}
