package io.iris.platform;

import java.util.List;

/** The settings every IRIS service shares. */
public final class Settings {
  public static final Setting KAFKA_BOOTSTRAP_SERVERS =
      Setting.of(
          "IRIS_KAFKA_BOOTSTRAP_SERVERS",
          "127.0.0.1:9092",
          "Kafka bootstrap servers. Every other IRIS_KAFKA_<NAME> variable is passed to the Kafka"
              + " clients as <name> (lower case, _ as .), e.g. IRIS_KAFKA_SECURITY_PROTOCOL,"
              + " IRIS_KAFKA_SASL_MECHANISM, IRIS_KAFKA_SASL_JAAS_CONFIG,"
              + " IRIS_KAFKA_SSL_TRUSTSTORE_LOCATION.");
  public static final Setting SCHEMA_REGISTRY_URL =
      Setting.of(
          "IRIS_SCHEMA_REGISTRY_URL",
          "http://127.0.0.1:8081/apis/ccompat/v7",
          "Confluent-compatible schema registry URL(s), comma-separated.");
  public static final Setting SCHEMA_REGISTRY_USER_INFO =
      Setting.secret(
          "IRIS_SCHEMA_REGISTRY_USER_INFO", "user:password for the registry's HTTP basic auth.");
  public static final Setting REDIS_URL =
      new Setting(
          "IRIS_REDIS_URL",
          java.util.Optional.of("redis://127.0.0.1:6379"),
          "Redis for the online feature store, redis://[user:password@]host:port[/db]. When no"
              + " Redis answers at a loopback address, ./iris up starts one there.",
          true);
  public static final Setting HTTP_HOST =
      Setting.of(
          "IRIS_HTTP_HOST",
          "127.0.0.1",
          "Address a service's HTTP endpoint (/metrics, /health/*) binds to; 0.0.0.0 in"
              + " containers.");
  public static final Setting HTTP_PORT =
      Setting.optional(
          "IRIS_HTTP_PORT",
          "Port of a service's HTTP endpoint. Defaults: collector 8181, parser 8182, compressor"
              + " 8183, feature 8184.");
  public static final Setting STATE_DIR =
      Setting.of(
          "IRIS_STATE_DIR",
          ".iris/state",
          "Directory for Kafka Streams state stores (per service, per application id).");
  public static final Setting METRICS_REFRESH_SECONDS =
      Setting.of(
          "IRIS_METRICS_REFRESH_SECONDS",
          "10",
          "How often the Kafka client metrics (incl. per-partition lag) are re-read into"
              + " /metrics, seconds.");
  public static final Setting LOG_FORMAT =
      Setting.of("IRIS_LOG_FORMAT", "json", "Log format: json (one object per line) or text.");
  public static final Setting LOG_LEVEL =
      Setting.of("IRIS_LOG_LEVEL", "INFO", "Log level of IRIS's own loggers.");

  private Settings() {}

  /** Every shared setting, in README order. */
  public static List<Setting> all() {
    return List.of(
        KAFKA_BOOTSTRAP_SERVERS,
        SCHEMA_REGISTRY_URL,
        SCHEMA_REGISTRY_USER_INFO,
        REDIS_URL,
        HTTP_HOST,
        HTTP_PORT,
        STATE_DIR,
        METRICS_REFRESH_SECONDS,
        LOG_FORMAT,
        LOG_LEVEL);
  }
}
