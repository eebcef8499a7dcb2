package io.iris.platform;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code IRIS_*} environment of a service, read through declared {@link Setting}s. Values are
 * validated when read, and errors name the variable and what it should hold.
 */
public final class IrisConfig {
  /** Variables with this prefix are Kafka client properties (see {@link #kafkaProperties()}). */
  public static final String KAFKA_PREFIX = "IRIS_KAFKA_";

  private final Map<String, String> env;

  public IrisConfig(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static IrisConfig fromEnvironment() {
    return new IrisConfig(System.getenv());
  }

  /** A copy with {@code name} set to {@code value}, e.g. a service's default HTTP port. */
  public IrisConfig with(String name, String value) {
    Map<String, String> copy = new TreeMap<>(env);
    copy.put(name, value);
    return new IrisConfig(copy);
  }

  /** The value, or the setting's default, or empty. Blank counts as unset. */
  public Optional<String> optional(Setting setting) {
    String value = env.get(setting.name());
    if (value != null && !value.isBlank()) {
      return Optional.of(value.trim());
    }
    return setting.defaultValue();
  }

  /** The value or default; fails when neither exists. */
  public String get(Setting setting) {
    return optional(setting)
        .orElseThrow(
            () ->
                new ConfigurationException(
                    setting.name() + " is not set: " + setting.description()));
  }

  /** An integer in {@code [min, max]}. */
  public int integer(Setting setting, int min, int max) {
    String value = get(setting);
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ConfigurationException(
          setting.name() + "=" + shown(setting, value) + " is not a whole number");
    }
    if (parsed < min || parsed > max) {
      throw new ConfigurationException(
          setting.name() + "=" + parsed + " is out of range: use " + min + " to " + max);
    }
    return parsed;
  }

  /** A TCP port. */
  public int port(Setting setting) {
    return integer(setting, 1, 65_535);
  }

  /**
   * Kafka client properties from {@code IRIS_KAFKA_<NAME>} variables: {@code
   * IRIS_KAFKA_SASL_JAAS_CONFIG} becomes {@code sasl.jaas.config}. This is how security settings
   * (SASL, TLS) reach every client without IRIS knowing each one.
   */
  public Map<String, String> kafkaProperties() {
    Map<String, String> props = new TreeMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith(KAFKA_PREFIX) && !value.isBlank()) {
            String key =
                name.substring(KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            props.put(key, value.trim());
          }
        });
    props.putIfAbsent("bootstrap.servers", get(Settings.KAFKA_BOOTSTRAP_SERVERS));
    return props;
  }

  /**
   * The variable that sets Kafka client property {@code property}: {@code sasl.jaas.config} is set
   * by {@code IRIS_KAFKA_SASL_JAAS_CONFIG}. The inverse of {@link #kafkaProperties()}.
   */
  public static String kafkaVariable(String property) {
    return KAFKA_PREFIX + property.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** Whether a setting or Kafka property name holds a secret that must never be shown. */
  public static boolean isSecretName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.contains("password")
        || lower.contains("jaas")
        || lower.contains("secret")
        || lower.contains("user.info")
        || lower.contains("user_info")
        || lower.contains("token")
        || lower.contains("credentials");
  }

  private static String shown(Setting setting, String value) {
    return setting.secret() ? mask(value) : value;
  }

  /** A URL keeps all but its credentials; any other secret is hidden whole. */
  static String mask(String value) {
    return value.matches("^[a-z]+://.*") ? value.replaceFirst("//[^@/]*@", "//***@") : "***";
  }

  /** The effective values of {@code settings}, secrets masked: safe to log. */
  public Map<String, String> describe(Iterable<Setting> settings) {
    Map<String, String> shown = new TreeMap<>();
    for (Setting setting : settings) {
      optional(setting).ifPresent(v -> shown.put(setting.name(), shown(setting, v)));
    }
    kafkaProperties()
        .forEach(
            (k, v) -> {
              if (!k.equals("bootstrap.servers")) {
                shown.put("kafka " + k, isSecretName(k) ? "***" : v);
              }
            });
    return shown;
  }
}
