package io.iris.feature;

import io.iris.platform.IrisConfig;
import io.iris.platform.ServiceMain;
import io.iris.platform.ServiceRuntime;
import io.iris.platform.Settings;
import io.iris.platform.StreamsApp;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.DeadLetter;
import io.iris.schemas.avro.FeatureVector;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feature service: joins observations with their snapshot's system metrics, plan and compressed
 * workload into {@code features} (Kafka Streams, exactly once), copies {@code features} into Redis
 * (online) and Parquet (offline), and serves the online features over HTTP.
 */
public final class FeatureMain {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureMain.class);
  private static final int HTTP_PORT = 8184;

  /** Redis writes are small and frequent: the online store is fresh within a poll. */
  private static final FeatureSink.Batching ONLINE_BATCHING =
      new FeatureSink.Batching(2_000, Duration.ofMillis(50));

  private FeatureMain() {}

  public static void main(String[] args) throws Exception {
    ServiceMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("features")) {
      System.exit(
          FeaturesCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    IrisConfig config = IrisConfig.fromEnvironment();
    FeatureSettings settings = FeatureSettings.from(config);
    try (ServiceRuntime runtime = ServiceRuntime.start("feature", HTTP_PORT, config)) {
      FeatureMetrics metrics = new FeatureMetrics(runtime.metrics().registry());
      Map<String, Object> serde = runtime.kafka().serde();
      SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.from(serde));
      OnlineStore online =
          runtime.closeOnShutdown(
              "online store",
              new OnlineStore(config.get(Settings.REDIS_URL), settings.onlineTtl()));
      online.checkLogin();
      OfflineStore offline = new OfflineStore(settings.offlineDir());
      // The online read API, on the service's HTTP port: first, so that a client of a restarting
      // service never meets the port without it.
      new OnlineApi(online, metrics).register(runtime.http());

      // The join: four topics in, features out.
      StreamsBuilder builder = new StreamsBuilder();
      FeatureTopology.build(
          builder,
          settings,
          new FeatureTopology.FeatureSerdes(
              Topics.AWR_SNAPSHOTS.valueSerde(registry, serde),
              Topics.SQL_TEMPLATES.valueSerde(registry, serde),
              Topics.AWR_PLANS.valueSerde(registry, serde),
              Topics.WORKLOAD_COMPRESSED.valueSerde(registry, serde),
              Topics.FEATURES.valueSerde(registry, serde),
              Topics.deadLetter(Topics.AWR_SNAPSHOTS).valueSerde(registry, serde)),
          metrics);
      StreamsApp.start(runtime, builder.build(), runtime.kafka().streams("iris-feature"));

      // The sinks: features into Redis (retrying while it is down) and Parquet.
      Producer<String, DeadLetter> deadLetters =
          runtime.closeOnShutdown(
              "dead-letter producer",
              new KafkaProducer<>(
                  runtime.kafka().producer(null),
                  new StringSerializer(),
                  Topics.deadLetter(Topics.FEATURES).valueSerde(registry, serde).serializer()));
      Deserializer<FeatureVector> vectors =
          Topics.FEATURES.valueSerde(registry, serde).deserializer();
      startSink(
          runtime,
          new FeatureSink(
              "redis",
              (partition, first, last, batch) -> online.write(batch),
              ONLINE_BATCHING,
              true,
              consumer(runtime, "iris-feature-online"),
              vectors,
              deadLetters,
              metrics));
      startSink(
          runtime,
          new FeatureSink(
              "parquet",
              offlineSinkStore(offline),
              new FeatureSink.Batching(settings.offlineFileRows(), settings.offlineFileAge()),
              false,
              consumer(runtime, "iris-feature-offline"),
              vectors,
              deadLetters,
              metrics));

      runtime.awaitShutdown();
    }
  }

  /** The Parquet store as the sink uses it: uncommitted files go when a partition is assigned. */
  private static FeatureSink.Store offlineSinkStore(OfflineStore offline) {
    return new FeatureSink.Store() {
      @Override
      public void assigned(int partition, long position) throws Exception {
        List<Path> discarded = offline.discardUncommitted(partition, position);
        if (!discarded.isEmpty()) {
          LOG.info(
              "partition {}: discarded {} file(s) written but never committed: {}",
              partition,
              discarded.size(),
              discarded);
        }
      }

      @Override
      public void write(int partition, long first, long last, List<FeatureVector> batch)
          throws Exception {
        offline.write(partition, first, last, batch);
      }
    };
  }

  private static KafkaConsumer<String, byte[]> consumer(ServiceRuntime runtime, String group) {
    Map<String, Object> config = runtime.kafka().consumer(group);
    // Two consumers in one process: their client ids (and metric names) must differ.
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, group);
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    runtime.metrics().bindConsumer(consumer);
    return consumer;
  }

  private static void startSink(ServiceRuntime runtime, FeatureSink sink) {
    String name = sink.name();
    runtime.health().addCheck(name + " sink", sink::problem);
    runtime.closeOnShutdown(name + " sink", sink);
    Thread.ofPlatform().name("feature-sink-" + name).start(sink);
  }
}
