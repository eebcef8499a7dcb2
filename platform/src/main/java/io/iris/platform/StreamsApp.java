package io.iris.platform;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/** Runs a service's Kafka Streams topology the way every IRIS Streams service does. */
public final class StreamsApp {
  private StreamsApp() {}

  /**
   * Starts {@code topology}: a failure inside a stream thread replaces the thread (it never stops
   * the service), its metrics are published, readiness follows its state, and shutdown closes it
   * leaving the group at once.
   */
  public static KafkaStreams start(ServiceRuntime runtime, Topology topology, Properties props) {
    KafkaStreams streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(
        e -> StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD);
    runtime.metrics().bindStreams(streams);
    runtime.health().addCheck("streams", Health.streamsRunning(streams));
    runtime.closeOnShutdown("streams", Shutdown.leavingGroup(streams, Duration.ofSeconds(30)));
    streams.start();
    return streams;
  }
}
