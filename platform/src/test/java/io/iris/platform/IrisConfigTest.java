package io.iris.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IrisConfigTest {

  @Test
  void defaultsWorkAgainstTheLocalRuntime() {
    IrisConfig config = new IrisConfig(Map.of());
    assertEquals("127.0.0.1:9092", config.get(Settings.KAFKA_BOOTSTRAP_SERVERS));
    assertEquals("http://127.0.0.1:8081/apis/ccompat/v7", config.get(Settings.SCHEMA_REGISTRY_URL));
    assertEquals(10, config.integer(Settings.METRICS_REFRESH_SECONDS, 1, 60));
    assertTrue(config.optional(Settings.SCHEMA_REGISTRY_USER_INFO).isEmpty());
  }

  @Test
  void blankCountsAsUnset() {
    IrisConfig config = new IrisConfig(Map.of("IRIS_LOG_FORMAT", "  "));
    assertEquals("json", config.get(Settings.LOG_FORMAT));
  }

  @Test
  void badNumbersNameTheVariableAndTheRange() {
    ConfigurationException notANumber =
        assertThrows(
            ConfigurationException.class,
            () -> new IrisConfig(Map.of("IRIS_HTTP_PORT", "eighty")).port(Settings.HTTP_PORT));
    assertEquals("IRIS_HTTP_PORT=eighty is not a whole number", notANumber.getMessage());
    ConfigurationException outOfRange =
        assertThrows(
            ConfigurationException.class,
            () -> new IrisConfig(Map.of("IRIS_HTTP_PORT", "70000")).port(Settings.HTTP_PORT));
    assertTrue(outOfRange.getMessage().contains("1 to 65535"), outOfRange.getMessage());
  }

  @Test
  void aMissingRequiredSettingSaysWhatItIsFor() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class, () -> new IrisConfig(Map.of()).get(Settings.HTTP_PORT));
    assertTrue(e.getMessage().startsWith("IRIS_HTTP_PORT is not set: Port of"), e.getMessage());
  }

  @Test
  void kafkaVariablesPassThroughAsClientProperties() {
    IrisConfig config =
        new IrisConfig(
            Map.of(
                "IRIS_KAFKA_BOOTSTRAP_SERVERS", "k1:9093,k2:9093",
                "IRIS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "IRIS_KAFKA_SASL_MECHANISM", "PLAIN",
                "IRIS_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/trust.jks",
                "IRIS_HTTP_PORT", "8181"));
    assertEquals(
        Map.of(
            "bootstrap.servers", "k1:9093,k2:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "PLAIN",
            "ssl.truststore.location", "/etc/kafka/trust.jks"),
        config.kafkaProperties());
    config
        .kafkaProperties()
        .forEach(
            (property, value) ->
                assertEquals(
                    value,
                    new IrisConfig(Map.of(IrisConfig.kafkaVariable(property), value))
                        .kafkaProperties()
                        .get(property),
                    property));
  }

  @Test
  void describeNeverShowsSecrets() {
    IrisConfig config =
        new IrisConfig(
            Map.of(
                "IRIS_KAFKA_SASL_JAAS_CONFIG",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"u\" password=\"hunter2\";",
                "IRIS_KAFKA_SSL_KEY_PASSWORD", "hunter3",
                "IRIS_SCHEMA_REGISTRY_USER_INFO", "reg:hunter4",
                "IRIS_REDIS_URL", "redis://:hunter5@cache:6380/1"));
    String shown = config.describe(Settings.all()).toString();
    for (String secret : new String[] {"hunter2", "hunter3", "hunter4", "hunter5"}) {
      assertFalse(shown.contains(secret), shown);
    }
    assertTrue(shown.contains("redis://***@cache:6380/1"), shown);
    assertTrue(shown.contains("kafka sasl.jaas.config=***"), shown);
  }

  @Test
  void settingsAreIrisVariables() {
    assertThrows(IllegalArgumentException.class, () -> Setting.of("HTTP_PORT", "1", "x"));
    Settings.all().forEach(s -> assertFalse(s.description().isBlank(), s.name()));
  }
}
