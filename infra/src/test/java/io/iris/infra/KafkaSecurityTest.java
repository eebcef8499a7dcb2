package io.iris.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker with SASL/PLAIN over TLS: who may log in, and what it writes down. */
class KafkaSecurityTest {
  private static final String USER = "alice";
  private static final String PASSWORD = "alice-pw-4f1c9a";

  @TempDir static Path home;
  private static KafkaSecurity security;
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    security =
        KafkaSecurity.saslPlain(Map.of(USER, PASSWORD))
            .overTls(BrokerCertificate.create(home.resolve("tls")));
    broker =
        KafkaBroker.start(
            home.resolve("kafka"),
            home.resolve("logs"),
            Readiness.freePort(),
            Readiness.freePort(),
            ProcessMode.CHILD,
            Optional.of(security));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.stop();
    }
  }

  private static Map<String, Object> client(Map<String, Object> security) {
    Map<String, Object> config = new HashMap<>(security);
    config.put("bootstrap.servers", broker.bootstrapServers());
    config.put("request.timeout.ms", 5_000);
    config.put("default.api.timeout.ms", 10_000);
    return config;
  }

  private static Throwable describeClusterFails(Map<String, Object> config) {
    try (Admin admin = Admin.create(client(config))) {
      return assertThrows(
              ExecutionException.class,
              () -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
          .getCause();
    }
  }

  @Test
  void theRightUserWritesTransactionallyAndReadsBack() throws Exception {
    String topic = "secured";
    try (Admin admin = Admin.create(client(security.client(USER)))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    Map<String, Object> producerConfig = client(security.client(USER));
    producerConfig.put("transactional.id", "secured-writer");
    // Committing sends transaction markers: the broker must log in to itself for that.
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "v"));
      producer.commitTransaction();
    }
    List<String> values =
        TopicContents.read(
                client(security.client(USER)), topic, new StringDeserializer(), true, v -> true)
            .stream()
            .map(r -> r.value())
            .toList();
    assertEquals(List.of("v"), values);
  }

  @Test
  void aWrongPasswordIsRefused() {
    assertInstanceOf(
        SaslAuthenticationException.class,
        describeClusterFails(security.client(USER, "not-" + PASSWORD)));
    assertInstanceOf(
        SaslAuthenticationException.class,
        describeClusterFails(security.client("mallory", PASSWORD)));
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateFailsTheHandshake() {
    Map<String, Object> untrusting = new HashMap<>(security.client(USER));
    untrusting.remove("ssl.truststore.location");
    untrusting.remove("ssl.truststore.password");
    untrusting.remove("ssl.truststore.type");
    assertInstanceOf(SslAuthenticationException.class, describeClusterFails(untrusting));
  }

  @Test
  void passwordsStayInOwnerOnlyFilesAndOutOfTheLog() throws Exception {
    Path config = home.resolve("kafka").resolve("server.properties");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(security.tls().orElseThrow().keystore())));
    String log = Files.readString(home.resolve("logs").resolve("kafka.log"));
    for (String secret : security.users().values()) {
      assertFalse(log.contains(secret), "the broker log shows a password");
    }
    assertFalse(log.contains(security.tls().orElseThrow().password()), "the log shows the key's");
    assertFalse(security.toString().contains(PASSWORD), security.toString());
  }
}
