package io.iris.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iris.infra.TopicContents;
import io.iris.platform.KafkaSettings;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.CompressedWorkload;
import io.iris.schemas.avro.TemplateObservation;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads what the pipeline produced into a {@link PipelineSummary}: the committed records of its
 * topics, the offline store's files, and the online API. Every part that cannot be read becomes a
 * note, so that the summary never fails {@code ./iris up}; the topics are read within a time
 * budget.
 */
final class PipelineTally {
  /** The feature service's Parquet sink: the rows below its committed offsets are in Parquet. */
  static final String OFFLINE_SINK_GROUP = "iris-feature-offline";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH = 1_000;

  /**
   * Where the pipeline's outputs are.
   *
   * @param kafka the cluster and registry
   * @param featureApi the feature service's address, when it runs
   * @param offlineDir the root of the Parquet offline store
   * @param offlineShown how to show that directory
   * @param redis the online store's URL as shown (its password masked)
   * @param services the HTTP services that run
   */
  record Outputs(
      KafkaSettings kafka,
      Optional<String> featureApi,
      Path offlineDir,
      String offlineShown,
      String redis,
      List<PipelineSummary.Endpoint> services) {}

  private PipelineTally() {}

  /** Reads everything, the topics for at most {@code budget}. */
  static PipelineSummary read(Outputs outputs, Duration budget) {
    PipelineSummary summary = new PipelineSummary();
    Instant deadline = Instant.now().plus(budget);
    Map<String, Object> serde = outputs.kafka().serde();
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serde));
    Map<String, Object> consumer = outputs.kafka().consumer("iris-summary");
    scan(
        summary,
        consumer,
        Topics.AWR_SNAPSHOTS.name(),
        Topics.AWR_SNAPSHOTS.valueSerde(registry, serde).deserializer(),
        deadline,
        (AwrSnapshot s) ->
            summary.snapshot(s.getSource(), s.getDbid(), s.getDbName(), s.getInstanceNumber()));
    scan(
        summary,
        consumer,
        Topics.SQL_TEMPLATES.name(),
        Topics.SQL_TEMPLATES.valueSerde(registry, serde).deserializer(),
        deadline,
        (TemplateObservation o) -> summary.observation(o.getTemplateId()));
    scan(
        summary,
        consumer,
        Topics.WORKLOAD_COMPRESSED.name(),
        Topics.WORKLOAD_COMPRESSED.valueSerde(registry, serde).deserializer(),
        deadline,
        (CompressedWorkload w) -> summary.workload(w));
    features(summary, outputs, consumer, deadline);
    outputs.featureApi().ifPresent(api -> online(summary, api, outputs.redis()));
    outputs.featureApi().ifPresent(summary::featureApi);
    summary.services(outputs.services());
    return summary;
  }

  @FunctionalInterface
  private interface Each<V> {
    void accept(V value);
  }

  private static <V> void scan(
      PipelineSummary summary,
      Map<String, Object> consumer,
      String topic,
      Deserializer<V> values,
      Instant deadline,
      Each<V> each) {
    try {
      boolean complete =
          TopicContents.forEach(
              consumer,
              topic,
              values,
              deadline,
              r -> {
                if (r.value() != null) {
                  each.accept(r.value());
                }
              });
      if (!complete) {
        summary.note(topic + " was not read to its end in the time given: its counts are partial");
      }
    } catch (RuntimeException e) {
      summary.note("cannot read " + topic + ": " + e.getMessage());
    }
  }

  /**
   * Rows on the features topic, and of those the ones below the Parquet sink's committed offsets:
   * the sink commits only what its files hold (the topic keeps every row for a week before
   * compaction may remove any).
   */
  private static void features(
      PipelineSummary summary, Outputs outputs, Map<String, Object> consumer, Instant deadline) {
    Map<TopicPartition, OffsetAndMetadata> committed;
    try (Admin admin = Admin.create(outputs.kafka().admin())) {
      committed =
          admin
              .listConsumerGroupOffsets(OFFLINE_SINK_GROUP)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      summary.note("cannot read the offsets of " + OFFLINE_SINK_GROUP + ": " + e.getMessage());
      return;
    }
    long[] parquetRows = {0};
    try {
      boolean complete =
          TopicContents.forEach(
              consumer,
              Topics.FEATURES.name(),
              new ByteArrayDeserializer(),
              deadline,
              (ConsumerRecord<String, byte[]> r) -> {
                if (r.value() == null) {
                  return;
                }
                summary.featureRow();
                OffsetAndMetadata sunk =
                    committed.get(new TopicPartition(r.topic(), r.partition()));
                if (sunk != null && r.offset() < sunk.offset()) {
                  parquetRows[0]++;
                }
              });
      if (!complete) {
        summary.note("features was not read to its end in the time given: its counts are partial");
      }
    } catch (RuntimeException e) {
      summary.note("cannot read features: " + e.getMessage());
      return;
    }
    summary.offline(
        new PipelineSummary.Offline(
            parquetRows[0], outputs.offlineShown(), parquetFiles(outputs.offlineDir())));
  }

  /** The offline store's finished files (a file being written is hidden and named .tmp). */
  static int parquetFiles(Path root) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(root)) {
      return (int)
          files
              .filter(Files::isRegularFile)
              .map(p -> p.getFileName().toString())
              .filter(name -> name.endsWith(".parquet") && !name.startsWith("."))
              .count();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Asks the online API for every template, as a client would. */
  private static void online(PipelineSummary summary, String api, String redis) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    List<String> ids = new ArrayList<>(summary.templates());
    ids.sort(null);
    Set<String> served = new HashSet<>();
    try {
      for (int from = 0; from < ids.size(); from += BATCH) {
        String body =
            JSON.writeValueAsString(
                Map.of("templateIds", ids.subList(from, Math.min(ids.size(), from + BATCH))));
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(api + "/features/batch"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          summary.note(
              "the online API answered HTTP " + response.statusCode() + ": " + response.body());
          return;
        }
        JsonNode found = JSON.readTree(response.body()).path("found");
        found.fieldNames().forEachRemaining(served::add);
      }
      summary.online(served, redis);
    } catch (IOException e) {
      summary.note("the online API at " + api + " does not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
