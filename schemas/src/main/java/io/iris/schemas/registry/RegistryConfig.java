package io.iris.schemas.registry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Schema registry client settings, read from the same keys Confluent's serializers use, so a Kafka
 * client config written for Confluent works unchanged.
 *
 * @param urls registry base URLs, tried in order ({@code schema.registry.url}, comma-separated)
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, if any
 * @param requestTimeout time allowed for one HTTP request
 * @param maxRetries retries of a request that failed on I/O or a 5xx/408/429 answer
 * @param initialBackoff first retry delay; doubles up to {@code maxBackoff}, with jitter
 * @param maxBackoff longest retry delay
 */
public record RegistryConfig(
    List<URI> urls,
    Optional<String> basicAuthUserInfo,
    Duration requestTimeout,
    int maxRetries,
    Duration initialBackoff,
    Duration maxBackoff) {

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String REGISTRY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

  /** IRIS extension: retries of a failed registry request (default 5). */
  public static final String MAX_RETRIES = "schema.registry.max.retries";

  /** IRIS extension: request timeout in milliseconds (default 10000). */
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

  /** Reads the registry settings from a Kafka client config map. */
  public static RegistryConfig from(Map<String, ?> configs) {
    Object url = configs.get(URL);
    if (url == null || url.toString().isBlank()) {
      throw new ConfigException(
          URL
              + " is not set: give the Confluent-compatible registry's URL, e.g."
              + " http://127.0.0.1:8081/apis/ccompat/v7 (IRIS_SCHEMA_REGISTRY_URL)");
    }
    List<URI> urls = new ArrayList<>();
    for (String part : url.toString().split(",")) {
      String trimmed = part.trim().replaceAll("/+$", "");
      URI uri;
      try {
        uri = URI.create(trimmed);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(URL, trimmed, "not a URL: " + e.getMessage());
      }
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new ConfigException(URL, trimmed, "must be an http:// or https:// URL");
      }
      urls.add(withoutUserInfo(uri));
    }
    return new RegistryConfig(
        List.copyOf(urls),
        userInfo(configs),
        Duration.ofMillis(intValue(configs, REQUEST_TIMEOUT_MS, 10_000)),
        intValue(configs, MAX_RETRIES, 5),
        Duration.ofMillis(100),
        Duration.ofSeconds(5));
  }

  private static URI withoutUserInfo(URI uri) {
    if (uri.getUserInfo() == null) {
      return uri;
    }
    return URI.create(uri.toString().replaceFirst("//[^@/]*@", "//"));
  }

  private static Optional<String> userInfo(Map<String, ?> configs) {
    Object source = configs.get(BASIC_AUTH_CREDENTIALS_SOURCE);
    if (source != null && source.toString().equals("URL")) {
      Object url = configs.get(URL);
      String info = URI.create(url.toString().split(",")[0].trim()).getUserInfo();
      return Optional.ofNullable(info);
    }
    Object info = configs.get(REGISTRY_BASIC_AUTH_USER_INFO);
    if (info == null) {
      info = configs.get(BASIC_AUTH_USER_INFO);
    }
    return Optional.ofNullable(info).map(Object::toString).filter(s -> !s.isBlank());
  }

  static int intValue(Map<String, ?> configs, String key, int defaultValue) {
    Object value = configs.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "must be a whole number");
    }
  }

  /** Reads a boolean setting that may be given as a Boolean or a String. */
  public static boolean booleanValue(Map<String, ?> configs, String key, boolean defaultValue) {
    Object value = configs.get(key);
    return value == null ? defaultValue : Boolean.parseBoolean(value.toString().trim());
  }

  @Override
  public String toString() {
    // Never show the credentials.
    return "RegistryConfig[urls="
        + urls
        + ", basicAuth="
        + (basicAuthUserInfo.isPresent() ? "***" : "none")
        + ", requestTimeout="
        + requestTimeout
        + ", maxRetries="
        + maxRetries
        + "]";
  }
}
