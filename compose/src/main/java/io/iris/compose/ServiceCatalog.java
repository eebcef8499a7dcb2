package io.iris.compose;

import io.iris.platform.IrisConfig;
import io.iris.platform.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./iris up} runs besides the infrastructure, in start order: the AWR simulator (the
 * demo's "Oracle", when the collector reads the source {@code sim}) and the four services, each
 * from its runnable jar, each on its own port.
 */
final class ServiceCatalog {
  /**
   * One process.
   *
   * @param name its name in status and logs
   * @param module the Maven module that builds its jar
   * @param port where it answers: HTTP with /health/ready, or plain TCP
   * @param http whether {@code port} serves /health/ready (else: ready when it listens)
   * @param env variables it gets on top of the user's environment
   */
  record Service(String name, String module, int port, boolean http, Map<String, String> env) {
    /** The runnable jar {@code ./mvnw package} builds for it. */
    Path jar(Path repo) {
      return repo.resolve(module).resolve("target").resolve("iris-" + module + ".jar");
    }

    boolean isBuilt(Path repo) {
      return Files.isRegularFile(jar(repo));
    }
  }

  static final int SIMULATOR_PORT = 9101;

  private ServiceCatalog() {}

  /** The processes for this configuration, in start order. */
  static List<Service> all(IrisConfig config) {
    List<Service> services = new ArrayList<>();
    String sources =
        config
            .optional(Setting.optional("IRIS_COLLECTOR_SOURCES", "collector sources"))
            .orElse("sim");
    if (List.of(sources.split("\\s*,\\s*")).contains("sim")) {
      services.add(
          new Service(
              "simulator",
              "awr-simulator",
              SIMULATOR_PORT,
              false,
              Map.of("IRIS_SIMULATOR_PORT", Integer.toString(SIMULATOR_PORT))));
    }
    // The demo collects the whole simulated history and follows new snapshots closely.
    Map<String, String> collector = new LinkedHashMap<>();
    collector.put("IRIS_HTTP_PORT", "8181");
    putUnlessSet(config, collector, "IRIS_COLLECTOR_START", "earliest");
    putUnlessSet(config, collector, "IRIS_COLLECTOR_POLL_SECONDS", "10");
    services.add(new Service("collector", "collector-service", 8181, true, Map.copyOf(collector)));
    services.add(
        new Service("parser", "parser-service", 8182, true, Map.of("IRIS_HTTP_PORT", "8182")));
    services.add(
        new Service(
            "compressor", "compressor-service", 8183, true, Map.of("IRIS_HTTP_PORT", "8183")));
    services.add(
        new Service("feature", "feature-service", 8184, true, Map.of("IRIS_HTTP_PORT", "8184")));
    return services;
  }

  private static void putUnlessSet(
      IrisConfig config, Map<String, String> env, String name, String value) {
    if (config.optional(Setting.optional(name, name)).isEmpty()) {
      env.put(name, value);
    }
  }
}
