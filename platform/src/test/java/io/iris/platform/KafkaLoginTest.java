package io.iris.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.BrokerCertificate;
import io.iris.infra.KafkaBroker;
import io.iris.infra.KafkaSecurity;
import io.iris.infra.ProcessMode;
import io.iris.infra.Readiness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The login check at a service's start, against a broker with SASL/PLAIN over TLS. */
class KafkaLoginTest {
  private static final String USER = "iris";
  private static final String PASSWORD = "kafka-pw-51c0de";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir static Path home;
  private static KafkaSecurity security;
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    BrokerCertificate certificate = BrokerCertificate.create(home.resolve("tls"));
    security = KafkaSecurity.saslPlain(Map.of(USER, PASSWORD)).overTls(certificate);
    int port = Readiness.freePort();
    broker =
        KafkaBroker.start(
            home.resolve("kafka"),
            home.resolve("logs"),
            port,
            Readiness.freePort(),
            ProcessMode.CHILD,
            Optional.of(security));
  }

  @AfterAll
  static void stopBroker() {
    Optional.ofNullable(broker).ifPresent(KafkaBroker::stop);
  }

  /** A service's environment that logs in with {@code client}'s settings. */
  private static IrisConfig environment(Map<String, Object> client) {
    Map<String, String> env = new HashMap<>();
    env.put("IRIS_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("IRIS_HTTP_PORT", Integer.toString(Readiness.freePort()));
    client.forEach(
        (property, value) -> env.put(IrisConfig.kafkaVariable(property), value.toString()));
    return new IrisConfig(env);
  }

  private static Map<String, Object> admin(Map<String, Object> client) {
    return new KafkaSettings(environment(client), "test").admin();
  }

  private static String refusal(Map<String, Object> client) {
    return assertThrows(
            ConfigurationException.class, () -> KafkaLogin.check(admin(client), TIMEOUT))
        .getMessage();
  }

  @Test
  void theRightLoginPasses() {
    KafkaLogin.check(admin(security.client(USER)), TIMEOUT);
  }

  @Test
  void aServiceWithAWrongPasswordDoesNotStartAndSaysWhichVariableToFix() {
    String wrong = "not-" + PASSWORD;
    IrisConfig config = environment(security.client(USER, wrong));
    String message =
        assertThrows(
                ConfigurationException.class, () -> ServiceRuntime.start("parser", 8182, config))
            .getMessage();
    assertTrue(message.contains("IRIS_KAFKA_SASL_JAAS_CONFIG"), message);
    assertTrue(message.contains("refused the login"), message);
    for (String secret : List.of(wrong, PASSWORD, security.tls().orElseThrow().password())) {
      assertFalse(message.contains(secret), message);
    }
  }

  @Test
  void anUnknownCertificateNamesTheTrustStoreSettings() {
    Map<String, Object> untrusting = new HashMap<>(security.client(USER));
    untrusting.remove("ssl.truststore.location");
    untrusting.remove("ssl.truststore.password");
    untrusting.remove("ssl.truststore.type");
    String message = refusal(untrusting);
    assertTrue(message.contains("IRIS_KAFKA_SSL_TRUSTSTORE_LOCATION"), message);
    assertFalse(message.contains(PASSWORD), message);
  }

  @Test
  void aTrustStoreThatCannotBeOpenedNamesTheSettingsWithoutThePassword() {
    Map<String, Object> wrongStorePassword = new HashMap<>(security.client(USER));
    wrongStorePassword.put("ssl.truststore.password", "not-the-store-password");
    String message = refusal(wrongStorePassword);
    assertTrue(message.contains("IRIS_KAFKA_SSL_*"), message);
    assertFalse(message.contains("not-the-store-password"), message);
    assertFalse(message.contains(PASSWORD), message);
  }

  @Test
  void aBrokerThatDoesNotAnswerIsOnlyAWarning() {
    Map<String, Object> nobody = admin(security.client(USER));
    nobody.put("bootstrap.servers", "127.0.0.1:" + Readiness.freePort());
    KafkaLogin.check(nobody, Duration.ofSeconds(2));
  }

  @Test
  void secretsAreMaskedInMessages() {
    Map<String, Object> client = security.client(USER);
    String masked =
        KafkaLogin.masked("login " + PASSWORD + " with " + client.get("sasl.jaas.config"), client);
    assertFalse(masked.contains(PASSWORD), masked);
    assertTrue(masked.startsWith("login *** with"), masked);
  }
}
