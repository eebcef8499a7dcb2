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
   * @param groups its Kafka consumer groups: their lag is the work it has still to do
   */
  record Service(
      String name,
      String module,
      int port,
      boolean http,
      Map<String, String> env,
      List<String> groups) {
    /** The runnable jar {@code ./mvnw package} builds for it. */
    Path jar(Path repo) {
      return repo.resolve(module).resolve("target").resolve("iris-" + module + ".jar");
    }

    boolean isBuilt(Path repo) {
      return Files.isRegularFile(jar(repo));
    }

    String url() {
      return "http://127.0.0.1:" + port;
    }
  }

  static final int SIMULATOR_PORT = 9101;

  private static final String OFFLINE_DIR = "IRIS_FEATURE_OFFLINE_DIR";

  /** The demo's compressed workloads: fewer representatives than the sample has templates. */
  static final String DEMO_K = "10";

  /** The demo's Parquet files are closed this often, so that they exist soon after the backfill. */
  static final String DEMO_OFFLINE_FILE_SECONDS = "10";

  private ServiceCatalog() {}

  /** The processes for this configuration, in start order; {@code home} is IRIS_HOME. */
  static List<Service> all(IrisConfig config, Path home) {
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
              Map.of("IRIS_SIMULATOR_PORT", Integer.toString(SIMULATOR_PORT)),
              List.of()));
    }
    // The demo collects the whole simulated history and follows new snapshots closely.
    Map<String, String> collector = new LinkedHashMap<>();
    collector.put("IRIS_HTTP_PORT", "8181");
    putUnlessSet(config, collector, "IRIS_COLLECTOR_START", "earliest");
    putUnlessSet(config, collector, "IRIS_COLLECTOR_POLL_SECONDS", "10");
    services.add(
        new Service(
            "collector", "collector-service", 8181, true, Map.copyOf(collector), List.of()));
    services.add(
        new Service(
            "parser",
            "parser-service",
            8182,
            true,
            Map.of("IRIS_HTTP_PORT", "8182"),
            List.of("iris-parser")));
    // k below the sample's template count, so that the coverage figures say something.
    Map<String, String> compressor = new LinkedHashMap<>();
    compressor.put("IRIS_HTTP_PORT", "8183");
    if (config
        .optional(Setting.optional("IRIS_COMPRESSOR_TARGET_COVERAGE", "target coverage"))
        .isEmpty()) {
      putUnlessSet(config, compressor, "IRIS_COMPRESSOR_K", DEMO_K);
    }
    services.add(
        new Service(
            "compressor",
            "compressor-service",
            8183,
            true,
            Map.copyOf(compressor),
            List.of("iris-compressor")));
    // The offline store under IRIS_HOME, its files closed soon enough to see them.
    Map<String, String> feature = new LinkedHashMap<>();
    feature.put("IRIS_HTTP_PORT", "8184");
    feature.put(OFFLINE_DIR, offlineDir(config, home).toString());
    putUnlessSet(config, feature, "IRIS_FEATURE_OFFLINE_FILE_SECONDS", DEMO_OFFLINE_FILE_SECONDS);
    services.add(
        new Service(
            "feature",
            "feature-service",
            8184,
            true,
            Map.copyOf(feature),
            List.of("iris-feature", "iris-feature-online", PipelineTally.OFFLINE_SINK_GROUP)));
    return services;
  }

  /** Where the feature service keeps its Parquet files: IRIS_FEATURE_OFFLINE_DIR, else in home. */
  static Path offlineDir(IrisConfig config, Path home) {
    return config
        .optional(Setting.optional(OFFLINE_DIR, "the offline store"))
        .map(Path::of)
        .orElse(home.resolve("offline"));
  }

  private static void putUnlessSet(
      IrisConfig config, Map<String, String> env, String name, String value) {
    if (config.optional(Setting.optional(name, name)).isEmpty()) {
      env.put(name, value);
    }
  }
}
