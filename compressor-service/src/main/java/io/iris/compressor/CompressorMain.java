package io.iris.compressor;

import io.iris.platform.IrisConfig;
import io.iris.platform.ServiceMain;
import io.iris.platform.ServiceRuntime;
import io.iris.platform.StreamsApp;
import io.iris.schemas.Topics;
import io.iris.schemas.registry.RegistryConfig;
import io.iris.schemas.registry.SchemaRegistryClient;
import io.micrometer.core.instrument.Counter;
import java.util.Arrays;
import org.apache.kafka.streams.StreamsBuilder;

/**
 * The compressor service: sql.templates → workload.compressed on Kafka Streams, exactly once. With
 * {@code compress ...} it runs the batch compressor on a file instead.
 */
public final class CompressorMain {
  private static final int HTTP_PORT = 8183;

  private CompressorMain() {}

  public static void main(String[] args) throws Exception {
    ServiceMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("compress")) {
      System.exit(
          CompressCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    IrisConfig config = IrisConfig.fromEnvironment();
    CompressorSettings settings = CompressorSettings.from(config);
    try (ServiceRuntime runtime = ServiceRuntime.start("compressor", HTTP_PORT, config)) {
      SchemaRegistryClient registry =
          new SchemaRegistryClient(RegistryConfig.from(runtime.kafka().serde()));
      StreamsBuilder builder = new StreamsBuilder();
      CompressorTopology.build(
          builder,
          settings,
          Topics.SQL_TEMPLATES.valueSerde(registry, runtime.kafka().serde()),
          Topics.WORKLOAD_COMPRESSED.valueSerde(registry, runtime.kafka().serde()),
          Topics.deadLetter(Topics.SQL_TEMPLATES).valueSerde(registry, runtime.kafka().serde()),
          Counter.builder("iris.compressor.dead.letters")
                  .description("Records sent to sql.templates.dlq")
                  .register(runtime.metrics().registry())
              ::increment);
      StreamsApp.start(runtime, builder.build(), runtime.kafka().streams("iris-compressor"));
      runtime.awaitShutdown();
    }
  }
}
