package io.iris.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.platform.IrisConfig;
import io.iris.schemas.Topic;
import io.iris.schemas.Topics;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iris setup}, what the compose file's one-shot {@code setup} container runs: topics and
 * schemas on a broker and registry someone else runs, nothing started, and safe to run again.
 */
@ExtendWith(LocalInfraExtension.class)
class SetupTest {
  @TempDir Path repo;

  private String run(IrisConfig config) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Launcher.run(
            new String[] {"setup"},
            repo,
            config,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, printed);
    return printed;
  }

  @Test
  void setupCreatesEveryTopicAndSchemaStartsNothingAndCanRunAgain(LocalInfra infra)
      throws Exception {
    IrisConfig config =
        new IrisConfig(
            Map.of(
                "IRIS_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers(),
                "IRIS_SCHEMA_REGISTRY_URL", infra.schemaRegistryUrl()));

    String first = run(config);
    assertTrue(first.contains("kafka      " + infra.bootstrapServers()), first);
    assertTrue(first.contains("subjects registered"), first);

    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", infra.bootstrapServers()))) {
      Map<String, TopicDescription> topics =
          admin
              .describeTopics(Topics.all().stream().map(Topic::name).toList())
              .allTopicNames()
              .get();
      for (Topic<?> topic : Topics.all()) {
        assertEquals(
            topic.defaultPartitions(), topics.get(topic.name()).partitions().size(), topic.name());
      }
      ConfigResource plans = new ConfigResource(ConfigResource.Type.TOPIC, "awr.plans");
      assertEquals(
          "compact",
          admin
              .describeConfigs(List.of(plans))
              .all()
              .get()
              .get(plans)
              .get("cleanup.policy")
              .value());
    }
    SchemaRegistryClient registry =
        new SchemaRegistryClient(
            RegistryConfig.from(Map.of(RegistryConfig.URL, infra.schemaRegistryUrl())));
    for (Topic<?> topic : Topics.all()) {
      assertEquals(topic.valueSchema(), registry.latest(topic.valueSubject()).schema());
    }
    // Nothing was started, so nothing was written under IRIS_HOME.
    assertFalse(Files.exists(repo.resolve(".iris")));

    String again = run(config);
    assertTrue(again.contains("topics     0 created, " + Topics.all().size()), again);
  }
}
