package io.iris.parser;

import io.iris.platform.DeadLetters;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.DeadLetter;
import io.iris.schemas.avro.ParseMode;
import io.iris.schemas.avro.TemplateObservation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * awr.snapshots → sql.templates, one observation per statement. Under exactly_once_v2 each
 * snapshot's observations and the consumed offset commit together. A record that cannot be read or
 * templated goes to awr.snapshots.dlq with the reason, and the stream goes on.
 */
public final class ParserTopology {
  private ParserTopology() {}

  /** A snapshot's result: its observations, or the dead letter saying why there are none. */
  record Outcome(List<TemplateObservation> observations, DeadLetter deadLetter) {}

  public static void build(
      StreamsBuilder builder,
      SnapshotTemplater templater,
      Deserializer<AwrSnapshot> snapshots,
      Serde<TemplateObservation> observations,
      Serde<DeadLetter> deadLetters,
      ParserMetrics metrics) {
    // Values are read as bytes and decoded in the processor: a record that is not a snapshot
    // must become a dead letter with its offset, not stop the application.
    KStream<String, Outcome> outcomes =
        builder.stream(
                Topics.AWR_SNAPSHOTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
            .processValues(
                () -> new Templating(templater, snapshots, metrics), Named.as("template"));
    Map<String, KStream<String, Outcome>> branches =
        outcomes
            .split(Named.as("outcome-"))
            .branch((key, outcome) -> outcome.deadLetter() != null, Branched.as("failed"))
            .defaultBranch(Branched.as("templated"));
    branches
        .get("outcome-failed")
        .mapValues(Outcome::deadLetter)
        .to(
            Topics.deadLetter(Topics.AWR_SNAPSHOTS).name(),
            Produced.with(Serdes.String(), deadLetters));
    // Re-keyed by template id: observations of one template land in one partition downstream.
    branches
        .get("outcome-templated")
        .flatMap(
            (key, outcome) ->
                outcome.observations().stream()
                    .map(o -> KeyValue.pair(o.getTemplateId(), o))
                    .toList())
        .to(Topics.SQL_TEMPLATES.name(), Produced.with(Serdes.String(), observations));
  }

  /** Decodes and templates one snapshot record. */
  static final class Templating implements FixedKeyProcessor<String, byte[], Outcome> {
    private final SnapshotTemplater templater;
    private final Deserializer<AwrSnapshot> snapshots;
    private final ParserMetrics metrics;
    private FixedKeyProcessorContext<String, Outcome> context;

    Templating(
        SnapshotTemplater templater, Deserializer<AwrSnapshot> snapshots, ParserMetrics metrics) {
      this.templater = templater;
      this.snapshots = snapshots;
      this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Outcome> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
      long started = System.nanoTime();
      try {
        if (record.value() == null) {
          throw new IllegalArgumentException(
              "the record has no value (a tombstone): awr.snapshots carries snapshots only");
        }
        AwrSnapshot snapshot = snapshots.deserialize(Topics.AWR_SNAPSHOTS.name(), record.value());
        List<TemplateObservation> observations = templater.observations(snapshot);
        int full =
            (int) observations.stream().filter(o -> o.getParseMode() == ParseMode.FULL).count();
        metrics.templated(
            snapshot.getEndIntervalTime(),
            full,
            observations.size() - full,
            Duration.ofNanos(System.nanoTime() - started));
        context.forward(record.withValue(new Outcome(observations, null)));
      } catch (RuntimeException e) {
        if (DeadLetters.registryUnavailable(e)) {
          // Not the record's fault: the thread fails, Streams replaces it, the record is read
          // again.
          throw e;
        }
        metrics.deadLetter();
        context.forward(record.withValue(new Outcome(List.of(), deadLetter(record, e))));
      }
    }

    private DeadLetter deadLetter(FixedKeyRecord<String, byte[]> record, RuntimeException error) {
      return DeadLetters.of(
          "parser",
          Topics.AWR_SNAPSHOTS.name(),
          context.recordMetadata().orElse(null),
          record.key(),
          record.value(),
          error);
    }
  }
}
