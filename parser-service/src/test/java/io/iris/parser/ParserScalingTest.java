package io.iris.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.Readiness;
import io.iris.infra.TopicContents;
import io.iris.schemas.TopicSetup;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.TemplateObservation;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.serde.AvroDeserializer;
import io.iris.schemas.serde.AvroSerializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parser scales by running more instances: two processes share awr.snapshots' partitions (one
 * Kafka Streams group), both get work, and every statement is written exactly once.
 */
@ExtendWith(LocalInfraExtension.class)
class ParserScalingTest {
  private static final int INSTANCES = 12;
  private static final int SNAPSHOTS = 4;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern ASSIGNED =
      Pattern.compile("(?m)^kafka_consumer_coordinator_assigned_partitions\\{[^}]*} ([0-9.E]+)$");
  private static final Pattern SNAPSHOTS_TOTAL =
      Pattern.compile("(?m)^iris_parser_snapshots_total\\{[^}]*} ([0-9.E]+)$");

  @Test
  void twoInstancesShareTheWorkAndNothingIsProcessedTwice(LocalInfra infra, @TempDir Path dir)
      throws Exception {
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", infra.bootstrapServers()))) {
      TopicSetup.ensure(admin);
    }
    String source = "s" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> serde = Map.of(RegistryConfig.URL, infra.schemaRegistryUrl());
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serde));
    int[] ports = {Readiness.freePort(), Readiness.freePort()};
    Process[] parsers = new Process[2];
    try {
      for (int i = 0; i < 2; i++) {
        Map<String, String> env = new HashMap<>();
        env.put("IRIS_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
        env.put("IRIS_SCHEMA_REGISTRY_URL", infra.schemaRegistryUrl());
        env.put("IRIS_STATE_DIR", dir.resolve("state-" + i).toString());
        env.put("IRIS_HTTP_PORT", Integer.toString(ports[i]));
        env.put("IRIS_LOG_FORMAT", "text");
        env.put("IRIS_METRICS_REFRESH_SECONDS", "1");
        parsers[i] =
            TopicContents.startJvm(ParserMain.class, env, dir.resolve("parser-" + i + ".log"));
      }
      // Work arrives once both instances own partitions: 12 database instances spread over them.
      for (int port : ports) {
        awaitAssignedPartitions(port);
      }
      List<String> texts = List.of("SELECT * FROM t WHERE a = 1", "UPDATE t SET b = 2 WHERE a = 3");
      try (KafkaProducer<String, AwrSnapshot> producer =
          new KafkaProducer<>(
              Map.<String, Object>of("bootstrap.servers", infra.bootstrapServers()),
              new StringSerializer(),
              new AvroSerializer<>(registry, serde, false))) {
        for (int instance = 1; instance <= INSTANCES; instance++) {
          for (int snap = 1; snap <= SNAPSHOTS; snap++) {
            AwrSnapshot s =
                AwrSnapshot.newBuilder(Snapshots.snapshot(source, snap, texts))
                    .setInstanceNumber(instance)
                    .build();
            producer.send(new ProducerRecord<>(Topics.AWR_SNAPSHOTS.name(), "42:" + instance, s));
          }
        }
      }
      int expected = INSTANCES * SNAPSHOTS * texts.size();
      Instant deadline = Instant.now().plusSeconds(120);
      List<ConsumerRecord<String, TemplateObservation>> out = List.of();
      while (Instant.now().isBefore(deadline)) {
        out =
            TopicContents.read(
                infra.bootstrapServers(),
                Topics.SQL_TEMPLATES.name(),
                new AvroDeserializer<>(registry, TemplateObservation.class),
                true,
                o -> o.getSnapshot().getSource().equals(source));
        if (out.size() >= expected) {
          break;
        }
        Thread.sleep(500);
      }
      assertEquals(expected, out.size(), "every statement written");
      Set<String> unique = new HashSet<>();
      for (ConsumerRecord<String, TemplateObservation> r : out) {
        var ref = r.value().getSnapshot();
        assertTrue(
            unique.add(
                ref.getInstanceNumber()
                    + "/"
                    + ref.getSnapId()
                    + "/"
                    + r.value().getStatementIndex()),
            "processed twice: " + r.value());
      }
      for (int port : ports) {
        assertTrue(snapshotsTemplated(port) > 0, "the instance on port " + port + " got no work");
      }
    } finally {
      for (Process parser : parsers) {
        if (parser != null) {
          parser.destroy();
          parser.waitFor();
        }
      }
    }
  }

  /** Waits until the instance's consumer owns partitions: the group has rebalanced. */
  private static void awaitAssignedPartitions(int port) throws Exception {
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      try {
        Matcher m = ASSIGNED.matcher(get(port, "/metrics").body());
        while (m.find()) {
          if (Double.parseDouble(m.group(1)) > 0) {
            return;
          }
        }
      } catch (java.io.IOException e) {
        // Not listening yet.
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the parser on port " + port + " never got partitions");
  }

  private static double snapshotsTemplated(int port) throws Exception {
    Matcher m = SNAPSHOTS_TOTAL.matcher(get(port, "/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
