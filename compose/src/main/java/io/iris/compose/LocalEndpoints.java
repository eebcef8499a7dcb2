package io.iris.compose;

import io.iris.infra.RedisUrl;
import io.iris.infra.SchemaRegistryServer;
import io.iris.platform.ConfigurationException;
import io.iris.platform.IrisConfig;
import io.iris.platform.Settings;
import java.net.URI;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Where the runtime's components are, and which of them {@code ./iris up} must start: a component
 * configured on a loopback address is started locally on that port; one configured elsewhere is
 * used as it is.
 */
record LocalEndpoints(
    String bootstrapServers,
    OptionalInt localKafkaPort,
    int controllerPort,
    String registryUrl,
    OptionalInt localRegistryPort,
    RedisUrl redisUrl) {

  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost");

  static LocalEndpoints from(IrisConfig config) {
    String bootstrap = config.get(Settings.KAFKA_BOOTSTRAP_SERVERS);
    String registry = config.get(Settings.SCHEMA_REGISTRY_URL).replaceAll("/+$", "");
    RedisUrl redis;
    try {
      redis = RedisUrl.parse(config.get(Settings.REDIS_URL));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("IRIS_REDIS_URL: " + e.getMessage());
    }
    return new LocalEndpoints(
        bootstrap,
        localKafkaPort(bootstrap),
        config.port(LauncherSettings.CONTROLLER_PORT),
        registry,
        localRegistryPort(registry),
        redis);
  }

  static boolean isLoopback(String host) {
    return LOOPBACK.contains(host);
  }

  private static OptionalInt localKafkaPort(String bootstrap) {
    if (bootstrap.contains(",")) {
      return OptionalInt.empty();
    }
    int colon = bootstrap.lastIndexOf(':');
    if (colon < 0 || !LOOPBACK.contains(bootstrap.substring(0, colon))) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(bootstrap.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new ConfigurationException(
          "IRIS_KAFKA_BOOTSTRAP_SERVERS=" + bootstrap + ": the port is not a number");
    }
  }

  private static OptionalInt localRegistryPort(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("IRIS_SCHEMA_REGISTRY_URL=" + url + " is not a URL");
    }
    if (uri.getHost() == null || !LOOPBACK.contains(uri.getHost())) {
      return OptionalInt.empty();
    }
    if (!SchemaRegistryServer.CCOMPAT_PATH.equals(uri.getPath())) {
      throw new ConfigurationException(
          "IRIS_SCHEMA_REGISTRY_URL="
              + url
              + ": the local registry (Apicurio) serves the Confluent API under "
              + SchemaRegistryServer.CCOMPAT_PATH
              + ", e.g. http://127.0.0.1:8081"
              + SchemaRegistryServer.CCOMPAT_PATH);
    }
    return OptionalInt.of(uri.getPort() == -1 ? 80 : uri.getPort());
  }
}
