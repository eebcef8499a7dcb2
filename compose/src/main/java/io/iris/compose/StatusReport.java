package io.iris.compose;

import io.iris.infra.KafkaBroker;
import io.iris.infra.LocalProcess;
import io.iris.infra.Readiness;
import io.iris.infra.RedisServer;
import io.iris.infra.SchemaRegistryServer;
import io.iris.platform.KafkaSettings;
import io.iris.schemas.Topics;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * What {@code ./iris status} prints: each component's process and health, the topics with their
 * partition counts, and every consumer group's lag per partition.
 */
final class StatusReport {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final LocalRuntime runtime;
  private final KafkaSettings kafka;
  private final PrintStream out;

  StatusReport(LocalRuntime runtime, KafkaSettings kafka, PrintStream out) {
    this.runtime = runtime;
    this.kafka = kafka;
    this.out = out;
  }

  /** Prints the report; false when something IRIS needs is not healthy. */
  boolean print() {
    LocalEndpoints endpoints = runtime.endpoints();
    out.println("COMPONENT   PROCESS          ADDRESS                                   HEALTH");
    boolean healthy = true;
    Optional<LocalProcess> kafkaProcess =
        KafkaBroker.running(runtime.home().resolve("kafka"), runtime.logs());
    String kafkaHealth = brokerHealth();
    healthy &= kafkaHealth.startsWith("ready");
    row(
        "kafka",
        kafkaProcess,
        endpoints.localKafkaPort().isPresent(),
        endpoints.bootstrapServers(),
        kafkaHealth);
    String registryHealth = httpHealth(endpoints.registryUrl() + "/subjects");
    healthy &= registryHealth.startsWith("ready");
    row(
        "registry",
        SchemaRegistryServer.running(runtime.home().resolve("registry"), runtime.logs()),
        endpoints.localRegistryPort().isPresent(),
        endpoints.registryUrl(),
        registryHealth);
    String problem = RedisServer.ping(endpoints.redisUrl());
    healthy &= problem == null;
    row(
        "redis",
        RedisServer.running(runtime.home().resolve("redis"), runtime.logs()),
        false,
        endpoints.redisUrl().toString(),
        problem == null ? "ready (PONG)" : problem);
    for (ServiceCatalog.Service service : runtime.services()) {
      Optional<LocalProcess> process = runtime.runningService(service);
      String health = "-";
      if (process.isPresent()) {
        health =
            service.http()
                ? httpHealth("http://127.0.0.1:" + service.port() + "/health/ready")
                : Readiness.isListening("127.0.0.1", service.port()) ? "ready" : "not listening";
      }
      healthy &= process.isEmpty() || health.startsWith("ready");
      row(service.name(), process, true, LocalRuntime.address(service), health);
    }
    if (kafkaHealth.startsWith("ready")) {
      topicsAndLag();
    }
    return healthy;
  }

  private void row(
      String name, Optional<LocalProcess> process, boolean local, String address, String health) {
    String state =
        process.map(p -> "running " + p.pid()).orElse(local ? "not running" : "external");
    out.printf("%-11s %-16s %-41s %s%n", name, state, address, health);
  }

  private Map<String, Object> adminConfig() {
    Map<String, Object> config = kafka.admin();
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    return config;
  }

  private String brokerHealth() {
    try (Admin admin = Admin.create(adminConfig())) {
      int brokers = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
      return "ready (" + brokers + " broker" + (brokers == 1 ? "" : "s") + ")";
    } catch (Exception e) {
      return "unreachable";
    }
  }

  private static String httpHealth(String url) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? "ready"
          : "not ready (HTTP " + response.statusCode() + ": " + response.body() + ")";
    } catch (Exception e) {
      return "unreachable";
    }
  }

  private void topicsAndLag() {
    try (Admin admin = Admin.create(adminConfig())) {
      out.println();
      out.println("TOPIC                          PARTITIONS  NOTE");
      Collection<String> names = admin.listTopics().names().get(5, TimeUnit.SECONDS);
      Map<String, TopicDescription> topics =
          new TreeMap<>(admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS));
      topics.forEach(
          (name, description) ->
              out.printf(
                  "%-30s %10d  %s%n",
                  name,
                  description.partitions().size(),
                  Topics.byName(name)
                      .map(t -> t.restricted() ? "restricted: raw SQL text" : "")
                      .orElse("not an IRIS topic")));
      out.println();
      ConsumerLag.print(
          ConsumerLag.of(
              adminConfig(), kafka.consumer("iris-status"), Optional.empty(), Instant.now()),
          out);
    } catch (Exception e) {
      out.println("topics and lag unavailable: " + e.getMessage());
    }
  }

  private static int compare(TopicPartition a, TopicPartition b) {
    int byTopic = a.topic().compareTo(b.topic());
    return byTopic != 0 ? byTopic : Integer.compare(a.partition(), b.partition());
  }
}
