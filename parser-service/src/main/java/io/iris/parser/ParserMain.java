package io.iris.parser;

import io.iris.platform.IrisConfig;
import io.iris.platform.ServiceMain;
import io.iris.platform.ServiceRuntime;
import io.iris.platform.StreamsApp;
import io.iris.schemas.Topics;
import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.iris.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The parser service: awr.snapshots → sql.templates on Kafka Streams, exactly once. With {@code
 * template [FILE]} it templates SQL from a file or standard input instead.
 */
public final class ParserMain {
  private static final int HTTP_PORT = 8182;
  private static final int CACHE_ENTRIES = 100_000;

  private ParserMain() {}

  public static void main(String[] args) throws Exception {
    ServiceMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("template")) {
      System.exit(
          TemplateCommand.run(
              Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err));
    }
    IrisConfig config = IrisConfig.fromEnvironment();
    try (ServiceRuntime runtime = ServiceRuntime.start("parser", HTTP_PORT, config)) {
      StatementParser parser =
          runtime.closeOnShutdown("sql parser", new StatementParser(Duration.ofMillis(500), 2));
      SnapshotTemplater templater = new SnapshotTemplater(parser, CACHE_ENTRIES);
      ParserMetrics metrics =
          new ParserMetrics(runtime.metrics().registry(), templater.statementCache());
      SchemaRegistryClient registry =
          new SchemaRegistryClient(RegistryConfig.from(runtime.kafka().serde()));

      StreamsBuilder builder = new StreamsBuilder();
      ParserTopology.build(
          builder,
          templater,
          new AvroDeserializer<>(registry, AwrSnapshot.class),
          Topics.SQL_TEMPLATES.valueSerde(registry, runtime.kafka().serde()),
          Topics.deadLetter(Topics.AWR_SNAPSHOTS).valueSerde(registry, runtime.kafka().serde()),
          metrics);
      Properties props = runtime.kafka().streams("iris-parser");
      // A dead letter carries a whole snapshot, which can be tens of MB.
      props.put(
          StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
          Topics.MAX_MESSAGE_BYTES);
      StreamsApp.start(runtime, builder.build(), props);
      runtime.awaitShutdown();
    }
  }
}
