package io.iris.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.schemas.registry.RegistryConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
  private final KafkaSettings kafka =
      new KafkaSettings(
          new IrisConfig(
              Map.of(
                  "IRIS_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                  "IRIS_SCHEMA_REGISTRY_USER_INFO", "u:p",
                  "IRIS_STATE_DIR", "/var/lib/iris")),
          "parser");

  @Test
  void producersAreIdempotentAndWaitForAllReplicas() {
    Map<String, Object> producer = kafka.producer("collector-db1");
    assertEquals("all", producer.get("acks"));
    assertEquals(true, producer.get("enable.idempotence"));
    assertEquals("collector-db1", producer.get("transactional.id"));
    assertEquals("SASL_PLAINTEXT", producer.get("security.protocol"));
    assertTrue(!kafka.producer(null).containsKey("transactional.id"));
  }

  @Test
  void consumersReadCommittedAndCommitThemselves() {
    Map<String, Object> consumer = kafka.consumer("iris-parser");
    assertEquals("iris-parser", consumer.get("group.id"));
    assertEquals("read_committed", consumer.get("isolation.level"));
    assertEquals(false, consumer.get("enable.auto.commit"));
    assertEquals("127.0.0.1:9092", consumer.get("bootstrap.servers"));
  }

  @Test
  void streamsAreExactlyOnceWithStateUnderTheStateDir() {
    Properties streams = kafka.streams("iris-compressor");
    assertEquals("exactly_once_v2", streams.get("processing.guarantee"));
    assertEquals("iris-compressor", streams.get("application.id"));
    assertEquals(Path.of("/var/lib/iris/parser").toString(), streams.get("state.dir"));
    assertEquals("SASL_PLAINTEXT", streams.get("security.protocol"));
  }

  @Test
  void serdeSettingsCarryTheRegistryAndItsCredentials() {
    Map<String, Object> serde = kafka.serde();
    assertEquals("http://127.0.0.1:8081/apis/ccompat/v7", serde.get(RegistryConfig.URL));
    assertEquals("u:p", serde.get(RegistryConfig.BASIC_AUTH_USER_INFO));
    assertEquals("USER_INFO", serde.get(RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE));
  }
}
