package io.iris.collector;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.Readiness;
import io.iris.infra.TopicContents;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector process killed with SIGKILL at several points of a backfill (between snapshots and
 * inside transactions) and restarted: in the end every snapshot is on the topic exactly once, in
 * order.
 */
@ExtendWith(LocalInfraExtension.class)
class CollectorRestartTest {

  @Test
  void killedAndRestartedTheCollectorPublishesEverySnapshotExactlyOnce(
      LocalInfra infra, @TempDir Path dir) throws Exception {
    CollectorKafkaTest.topics(infra);
    String name = "k" + UUID.randomUUID().toString().substring(0, 8);
    int port = Readiness.freePort();
    Server h2 = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
    try (SimulatedAwr awr = new SimulatedAwr(SimulatorConfig.standard(9))) {
      awr.simulator.generate(30);
      String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/" + awr.url.substring("jdbc:h2:".length());
      Map<String, String> env = new HashMap<>();
      env.put("IRIS_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
      env.put("IRIS_SCHEMA_REGISTRY_URL", infra.schemaRegistryUrl());
      env.put("IRIS_COLLECTOR_SOURCES", name);
      env.put("IRIS_COLLECTOR_SOURCE_" + name.toUpperCase() + "_URL", url);
      env.put("IRIS_COLLECTOR_SOURCE_" + name.toUpperCase() + "_USER", "sa");
      env.put("IRIS_COLLECTOR_START", "earliest");
      env.put("IRIS_COLLECTOR_POLL_SECONDS", "1");
      env.put("IRIS_STATE_DIR", dir.resolve("state").toString());
      env.put("IRIS_LOG_FORMAT", "text");

      // Kill it after 10, after 35 and after 60 records sent (committed or not), then let it
      // finish.
      for (int killAfter : new int[] {10, 35, 60}) {
        Process collector = start(env, dir.resolve("collector-" + killAfter + ".log"));
        try {
          awaitSent(infra, name, killAfter, collector);
        } finally {
          collector.destroyForcibly().waitFor();
        }
      }
      Process last = start(env, dir.resolve("collector-last.log"));
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline
            && CollectorKafkaTest.snapshots(infra, name).size() < 90
            && last.isAlive()) {
          Thread.sleep(500);
        }
        CollectorKafkaTest.assertExactlyOnceInOrder(CollectorKafkaTest.snapshots(infra, name), 90);
      } finally {
        last.destroy();
        last.waitFor();
      }
    } finally {
      h2.stop();
    }
  }

  private static Process start(Map<String, String> env, Path log) throws Exception {
    return TopicContents.startJvm(CollectorMain.class, env, log);
  }

  /** Waits until {@code count} snapshots of {@code source} were sent, committed or not. */
  private static void awaitSent(LocalInfra infra, String source, int count, Process collector)
      throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", infra.bootstrapServers());
    config.put("group.id", "sent-" + UUID.randomUUID());
    config.put("auto.offset.reset", "earliest");
    config.put("isolation.level", "read_uncommitted");
    config.put("max.partition.fetch.bytes", 64 * 1024 * 1024);
    var values =
        new io.iris.schemas.serde.AvroDeserializer<AwrSnapshot>(
            new io.iris.schemas.registry.SchemaRegistryClient(
                io.iris.schemas.registry.RegistryConfig.from(
                    Map.of(
                        io.iris.schemas.registry.RegistryConfig.URL, infra.schemaRegistryUrl()))),
            AwrSnapshot.class);
    int seen = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(java.util.List.of(Topics.AWR_SNAPSHOTS.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (seen < count && System.nanoTime() < deadline && collector.isAlive()) {
        for (var record : consumer.poll(Duration.ofMillis(50))) {
          if (values.deserialize(record.topic(), record.value()).getSource().equals(source)) {
            seen++;
          }
        }
      }
    }
    if (seen < count) {
      throw new AssertionError(
          "the collector sent only "
              + seen
              + " of "
              + count
              + " snapshots (alive: "
              + collector.isAlive()
              + ")");
    }
  }
}
