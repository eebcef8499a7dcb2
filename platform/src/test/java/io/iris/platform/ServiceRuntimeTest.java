package io.iris.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.Readiness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP endpoint, metrics and health of a service, with real Kafka clients. */
@ExtendWith(LocalInfraExtension.class)
class ServiceRuntimeTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static IrisConfig config(LocalInfra infra) {
    return new IrisConfig(
        Map.of(
            "IRIS_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers(),
            "IRIS_SCHEMA_REGISTRY_URL", infra.schemaRegistryUrl(),
            "IRIS_HTTP_PORT", Integer.toString(Readiness.freePort()),
            "IRIS_METRICS_REFRESH_SECONDS", "1"));
  }

  /** The service's consumer settings, reading one record per poll. */
  private static Map<String, Object> consumerConfig(ServiceRuntime runtime, String group) {
    Map<String, Object> config = runtime.kafka().consumer(group);
    config.put("max.poll.records", 1);
    return config;
  }

  private static HttpResponse<String> get(ServiceRuntime runtime, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.http().port() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsShowPerPartitionConsumerLagWithinTheRefreshInterval(LocalInfra infra)
      throws Exception {
    String topic = "lag-" + UUID.randomUUID();
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", infra.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
    try (ServiceRuntime runtime = ServiceRuntime.start("parser", 8182, config(infra));
        KafkaProducer<String, String> producer =
            new KafkaProducer<>(
                runtime.kafka().producer(null), new StringSerializer(), new StringSerializer());
        KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(
                consumerConfig(runtime, "lag-test-" + topic),
                new StringDeserializer(),
                new StringDeserializer())) {
      for (int i = 0; i < 20; i++) {
        producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i)).get();
      }
      runtime.metrics().bindConsumer(consumer);
      consumer.subscribe(List.of(topic));
      // One record read, then no more polls: the consumer is left behind with lag on partition 0.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (consumer.poll(Duration.ofMillis(100)).isEmpty() && System.nanoTime() < deadline) {
        // The group forms and the first fetch comes back.
      }
      Pattern lag =
          Pattern.compile(
              "kafka_consumer_fetch_manager_records_lag\\{[^}]*partition=\"0\"[^}]*topic=\""
                  + Pattern.quote(topic)
                  + "\"[^}]*} ([0-9.E]+)");
      Matcher matcher = null;
      while (System.nanoTime() < deadline) {
        Thread.sleep(100);
        matcher = lag.matcher(get(runtime, "/metrics").body());
        if (matcher.find() && Double.parseDouble(matcher.group(1)) > 0) {
          break;
        }
        matcher = null;
      }
      assertTrue(matcher != null, "no per-partition records_lag for " + topic + " in /metrics");
      // Lag in time: the age of the newest record read, and how long ago it was read.
      Pattern age =
          Pattern.compile(
              "iris_consumer_record_age_seconds\\{[^}]*group=\"lag-test-"
                  + Pattern.quote(topic)
                  + "\"[^}]*partition=\"0\"[^}]*} ([0-9.E]+)");
      Matcher ageMatcher = age.matcher("");
      while (System.nanoTime() < deadline && !ageMatcher.find()) {
        Thread.sleep(100);
        ageMatcher = age.matcher(get(runtime, "/metrics").body());
      }
      assertTrue(ageMatcher.find(0), "no iris_consumer_record_age_seconds for the group");
      assertTrue(Double.parseDouble(ageMatcher.group(1)) >= 0);
      assertTrue(
          get(runtime, "/metrics").body().contains("iris_consumer_idle_seconds{group=\"lag-test-"),
          "no iris_consumer_idle_seconds for the group");
      String metrics = get(runtime, "/metrics").body();
      assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics missing");
      assertTrue(metrics.contains("service=\"parser\""), "service tag missing");
    }
  }

  @Test
  void readinessReportsEachFailingCheck(LocalInfra infra) throws Exception {
    try (ServiceRuntime runtime = ServiceRuntime.start("feature", 8184, config(infra))) {
      assertEquals(200, get(runtime, "/health/live").statusCode());
      assertEquals(200, get(runtime, "/health/ready").statusCode());
      runtime.health().addCheck("redis", () -> "Redis at redis://127.0.0.1:1/0 does not answer");
      runtime.health().addCheck("streams", () -> null);
      HttpResponse<String> ready = get(runtime, "/health/ready");
      assertEquals(503, ready.statusCode());
      JsonNode body = new ObjectMapper().readTree(ready.body());
      assertEquals("DOWN", body.path("status").asText());
      assertEquals(
          "Redis at redis://127.0.0.1:1/0 does not answer",
          body.path("checks").path("redis").asText());
      assertFalse(body.path("checks").has("streams"), "a passing check is not listed");
    }
  }

  @Test
  void aPortInUseFailsFastNamingTheSetting(LocalInfra infra) {
    try (ServiceRuntime first = ServiceRuntime.start("collector", 8181, config(infra))) {
      IrisConfig same = config(infra).with("IRIS_HTTP_PORT", Integer.toString(first.http().port()));
      ConfigurationException e =
          assertThrows(
              ConfigurationException.class, () -> ServiceRuntime.start("collector", 8181, same));
      assertTrue(e.getMessage().contains("IRIS_HTTP_PORT"), e.getMessage());
    }
  }

  @Test
  void theDefaultPortIsUsedWhenNoneIsConfigured(LocalInfra infra) {
    int port = Readiness.freePort();
    IrisConfig noPort =
        new IrisConfig(Map.of("IRIS_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers()));
    try (ServiceRuntime runtime = ServiceRuntime.start("compressor", port, noPort)) {
      assertEquals(port, runtime.http().port());
      assertEquals("compressor", runtime.service());
    }
  }
}
