package io.iris.platform;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Readiness of a service: a set of named checks, each answering null when fine or what is wrong.
 * Liveness is the HTTP endpoint answering at all.
 */
public final class Health {
  private final Map<String, Supplier<String>> checks = new ConcurrentHashMap<>();

  /** Adds a readiness check; {@code problem} returns null when ready, else the reason. */
  public void addCheck(String name, Supplier<String> problem) {
    checks.put(name, problem);
  }

  /** A Streams application is ready while it is RUNNING or REBALANCING. */
  public static Supplier<String> streamsRunning(KafkaStreams streams) {
    return () -> {
      KafkaStreams.State state = streams.state();
      return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
          ? null
          : "Kafka Streams is " + state;
    };
  }

  /** Each failing check with its reason; empty when ready. */
  public Map<String, String> problems() {
    Map<String, String> problems = new LinkedHashMap<>();
    checks.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              String problem;
              try {
                problem = e.getValue().get();
              } catch (RuntimeException ex) {
                problem = "check failed: " + ex;
              }
              if (problem != null) {
                problems.put(e.getKey(), problem);
              }
            });
    return problems;
  }
}
