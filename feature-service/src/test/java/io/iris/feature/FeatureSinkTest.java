package io.iris.feature;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.ProcessMode;
import io.iris.infra.Readiness;
import io.iris.infra.RedisServer;
import io.iris.infra.TopicContents;
import io.iris.schemas.TopicSetup;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.DeadLetter;
import io.iris.schemas.avro.FeatureVector;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/** The features topic into Redis on the real broker, through a Redis outage. */
@ExtendWith(LocalInfraExtension.class)
class FeatureSinkTest {
  private static FeatureVector vector(String templateId, long snapId) {
    return FeatureExtractor.extract(
        TestInputs.observation(42, snapId, 0, 1, templateId, "sqlA", 600),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Whether the group has committed everything up to the end of the features topic. */
  private static boolean caughtUp(Admin admin, String group) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      int partitions =
          admin
              .describeTopics(List.of(Topics.FEATURES.name()))
              .allTopicNames()
              .get()
              .get(Topics.FEATURES.name())
              .partitions()
              .size();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(Topics.FEATURES.name(), p), OffsetSpec.latest());
      }
      for (var e : admin.listOffsets(latest).all().get().entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        if (e.getValue().offset() > (c == null ? 0 : c.offset())) {
          return false;
        }
      }
      return true;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void redisDownStopsCommitsAndTheSinkCatchesUpWhenItReturns(LocalInfra infra, @TempDir Path dir)
      throws Exception {
    Map<String, Object> serde = Map.of(RegistryConfig.URL, infra.schemaRegistryUrl());
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serde));
    Serde<FeatureVector> vectors = Topics.FEATURES.valueSerde(registry, serde);
    Serde<DeadLetter> letters = Topics.deadLetter(Topics.FEATURES).valueSerde(registry, serde);
    String group = "sink-test-" + UUID.randomUUID();
    String prefix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    int port = Readiness.freePort();
    RedisServer redis = RedisServer.start(dir.resolve("redis"), dir, port, ProcessMode.CHILD);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Map<String, Object> kafka = Map.of("bootstrap.servers", infra.bootstrapServers());
    try (Admin admin = Admin.create(kafka);
        OnlineStore store = new OnlineStore(redis.url().toUriWithCredentials(), Duration.ZERO);
        KafkaProducer<String, FeatureVector> producer =
            new KafkaProducer<>(kafka, new StringSerializer(), vectors.serializer());
        KafkaProducer<String, byte[]> garbage =
            new KafkaProducer<>(kafka, new StringSerializer(), new ByteArraySerializer());
        KafkaProducer<String, DeadLetter> deadLetters =
            new KafkaProducer<>(kafka, new StringSerializer(), letters.serializer())) {
      TopicSetup.ensure(admin);
      FeatureSink sink =
          redisSink(kafka, group, store, vectors.deserializer(), deadLetters, meters);
      Thread thread = Thread.ofPlatform().start(sink);
      try {
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          String id = prefix + "b" + i;
          before.add(id);
          producer.send(new ProducerRecord<>(Topics.FEATURES.name(), id, vector(id, 1)));
        }
        // Garbage on the topic: a dead letter, and the sink goes on.
        garbage.send(
            new ProducerRecord<>(Topics.FEATURES.name(), prefix + "bad", new byte[] {1, 2}));
        producer.flush();
        garbage.flush();
        await("the first vectors are online", () -> store.read(before).size() == before.size());
        await("the sink committed them", () -> caughtUp(admin, group));
        assertNull(sink.problem());

        redis.stop();
        List<String> during = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          String id = prefix + "d" + i;
          during.add(id);
          producer.send(new ProducerRecord<>(Topics.FEATURES.name(), id, vector(id, 2)));
        }
        producer.flush();
        await("readiness reports the outage", () -> sink.problem() != null);
        assertTrue(sink.problem().startsWith("redis unavailable"), sink.problem());
        Thread.sleep(500);
        assertTrue(!caughtUp(admin, group), "nothing is committed while Redis is down");

        redis = RedisServer.start(dir.resolve("redis"), dir, port, ProcessMode.CHILD);
        RedisServer restarted = redis;
        // Read with a plain client: the restarted Redis knows none of the store's scripts.
        try (JedisPooled plain = new JedisPooled(restarted.url().toUriWithCredentials())) {
          await(
              "what came during the outage is online",
              () -> during.stream().allMatch(id -> plain.exists(OnlineStore.key(id))));
        }
        await("the sink committed everything", () -> caughtUp(admin, group));
        await("readiness is green again", () -> sink.problem() == null);
        assertTrue(meters.counter("iris.feature.sink.failures", "sink", "redis").count() >= 1);
      } finally {
        sink.close();
        thread.join();
        redis.stop();
      }
      List<DeadLetter> dead = deadLetters(infra, letters, key -> key.equals(prefix + "bad"));
      assertEquals(1, dead.size(), "one dead letter for the garbage record");
      assertNotNull(dead.get(0).getErrorMessage());
    }
  }

  @Test
  void aRegistryThatDoesNotAnswerIsWaitedForAndNoRecordIsDeadLettered(LocalInfra infra)
      throws Exception {
    Map<String, Object> serde = Map.of(RegistryConfig.URL, infra.schemaRegistryUrl());
    Serde<FeatureVector> vectors =
        Topics.FEATURES.valueSerde(new SchemaRegistryClient(RegistryConfig.from(serde)), serde);
    // The sink reads schemas through a port where nothing answers until the test opens it.
    int port = Readiness.freePort();
    URI real = URI.create(infra.schemaRegistryUrl());
    URI throughPort = URI.create("http://127.0.0.1:" + port + real.getPath());
    Map<String, Object> late =
        Map.of(RegistryConfig.URL, throughPort.toString(), RegistryConfig.MAX_RETRIES, "0");
    Serde<DeadLetter> letters =
        Topics.deadLetter(Topics.FEATURES).valueSerde(registry(serde), serde);
    String group = "sink-test-" + UUID.randomUUID();
    String prefix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    Map<String, Object> kafka = Map.of("bootstrap.servers", infra.bootstrapServers());
    try (Admin admin = Admin.create(kafka);
        OnlineStore store =
            new OnlineStore(infra.redisUrl().toUriWithCredentials(), Duration.ofHours(1));
        KafkaProducer<String, FeatureVector> producer =
            new KafkaProducer<>(kafka, new StringSerializer(), vectors.serializer());
        KafkaProducer<String, DeadLetter> deadLetters =
            new KafkaProducer<>(kafka, new StringSerializer(), letters.serializer())) {
      TopicSetup.ensure(admin);
      FeatureSink sink =
          redisSink(
              kafka,
              group,
              store,
              Topics.FEATURES.valueSerde(registry(late), late).deserializer(),
              deadLetters,
              new SimpleMeterRegistry());
      Thread thread = Thread.ofPlatform().start(sink);
      List<String> ids = new ArrayList<>();
      try {
        for (int i = 0; i < 20; i++) {
          String id = prefix + i;
          ids.add(id);
          producer.send(new ProducerRecord<>(Topics.FEATURES.name(), id, vector(id, 1)));
        }
        producer.flush();
        await(
            "readiness says the sink waits for the registry",
            () -> sink.problem() != null && sink.problem().contains("schema registry"));
        assertTrue(store.read(ids).isEmpty(), "nothing is written without its schema");
        assertTrue(!caughtUp(admin, group), "nothing is committed past what waits");

        try (TcpForward registry = TcpForward.open(port, real)) {
          await("every vector is online", () -> store.read(ids).size() == ids.size());
          await("the sink committed them", () -> caughtUp(admin, group));
        }
      } finally {
        sink.close();
        thread.join();
      }
      List<DeadLetter> dead = deadLetters(infra, letters, key -> key.startsWith(prefix));
      assertEquals(List.of(), dead, "no record is blamed for the registry");
    }
  }

  /** A Redis sink of the features topic into {@code store}, in consumer group {@code group}. */
  private static FeatureSink redisSink(
      Map<String, Object> kafka,
      String group,
      OnlineStore store,
      Deserializer<FeatureVector> vectors,
      KafkaProducer<String, DeadLetter> deadLetters,
      SimpleMeterRegistry meters) {
    Map<String, Object> consumerConfig = new java.util.HashMap<>(kafka);
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new FeatureSink(
        "redis",
        (partition, first, last, batch) -> store.write(batch),
        new FeatureSink.Batching(500, Duration.ofMillis(50)),
        true,
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer()),
        vectors,
        deadLetters,
        new FeatureMetrics(meters));
  }

  /** The dead letters on features.dlq whose key {@code matches}. */
  private static List<DeadLetter> deadLetters(
      LocalInfra infra, Serde<DeadLetter> letters, Predicate<String> matches) {
    return TopicContents.read(
            infra.bootstrapServers(),
            Topics.deadLetter(Topics.FEATURES).name(),
            letters.deserializer(),
            true,
            d -> d.getKey() != null && matches.test(new String(d.getKey().array(), UTF_8)))
        .stream()
        .map(r -> r.value())
        .toList();
  }

  private static SchemaRegistryClient registry(Map<String, Object> serde) {
    return new SchemaRegistryClient(RegistryConfig.from(serde));
  }
}
