package io.iris.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalInfraExtension.class)
class ShutdownTest {

  @Test
  void closesResourcesInReverseOrderOnceEvenWhenOneFails() throws Exception {
    List<String> closed = new ArrayList<>();
    Shutdown shutdown = new Shutdown();
    shutdown.register("consumer", () -> closed.add("consumer"));
    shutdown.register(
        "broken",
        () -> {
          closed.add("broken");
          throw new IllegalStateException("boom");
        });
    shutdown.register("http", () -> closed.add("http"));
    shutdown.close();
    shutdown.close();
    shutdown.await();
    assertEquals(List.of("http", "broken", "consumer"), closed);
  }

  @Test
  void aStreamsAppLeavesItsGroupAtOnceOnClose(LocalInfra infra, @TempDir java.nio.file.Path state)
      throws Exception {
    String in = "in-" + UUID.randomUUID();
    String app = "leave-test-" + UUID.randomUUID();
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", infra.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(new NewTopic(in, 1, (short) 1), new NewTopic(in + "-out", 1, (short) 1)))
          .all()
          .get();
      KafkaStreams streams = startCopyApp(infra, app, in, state);
      assertEquals(1, members(admin, app), "the running app is a member of its group");

      Shutdown.leavingGroup(streams, Duration.ofSeconds(30)).close();

      // Without LEAVE_GROUP the member would stay until session.timeout.ms (45 s) runs out.
      assertEquals(0, members(admin, app), "the closed app left its group");
    }
  }

  private static KafkaStreams startCopyApp(
      LocalInfra infra, String app, String in, java.nio.file.Path state) throws Exception {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(in, Consumed.with(Serdes.String(), Serdes.String()))
        .to(in + "-out", Produced.with(Serdes.String(), Serdes.String()));
    Properties props =
        new KafkaSettings(
                new IrisConfig(
                    Map.of(
                        "IRIS_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers(),
                        "IRIS_STATE_DIR", state.toString())),
                "test")
            .streams(app);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    streams.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(Health.streamsRunning(streams).get() == null, "streams did not reach RUNNING");
    return streams;
  }

  private static int members(Admin admin, String group) throws Exception {
    ConsumerGroupDescription description =
        admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    return description.members().size();
  }
}
