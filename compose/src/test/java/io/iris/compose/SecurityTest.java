package io.iris.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.BrokerCertificate;
import io.iris.infra.KafkaSecurity;
import io.iris.infra.RedisUrl;
import io.iris.platform.IrisConfig;
import io.iris.platform.ServiceMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system on a broker that wants SASL/PLAIN over TLS and a Redis that wants a password:
 * the four services log in with credentials from their environment and the data flows through; a
 * service given a wrong password stops at once with status 2 and names the variable to fix; and no
 * password appears in any log or output of the run.
 */
class SecurityTest {
  private static final long SEED = 11;
  private static final int SNAPSHOTS = 3;
  private static final String USER = "iris";

  @Test
  void servicesLogInWithCredentialsFromTheEnvironmentAndNeverShowThem(@TempDir Path dir)
      throws Exception {
    String kafkaPassword = secret("kafka");
    String redisPassword = secret("redis");
    String wrongPassword = secret("wrong");
    BrokerCertificate certificate = BrokerCertificate.create(dir.resolve("tls"));
    KafkaSecurity security =
        KafkaSecurity.saslPlain(Map.of(USER, kafkaPassword)).overTls(certificate);
    Map<String, String> secrets = new LinkedHashMap<>();
    security
        .users()
        .forEach((user, password) -> secrets.put("Kafka password of " + user, password));
    secrets.put("key store password", certificate.password());
    secrets.put("Redis password", redisPassword);
    secrets.put("wrong password", wrongPassword);

    String ownOutput;
    try (OwnOutput output = new OwnOutput()) {
      run(dir, security, redisPassword, wrongPassword);
      ownOutput = output.text();
    }

    List<Path> logs;
    try (Stream<Path> files = Files.walk(dir)) {
      logs = files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
    }
    for (String log :
        List.of(
            "kafka",
            "redis",
            "registry",
            "collector",
            "parser",
            "compressor",
            "feature",
            "parser-wrong-kafka-password",
            "feature-wrong-redis-password")) {
      assertTrue(
          logs.stream().anyMatch(f -> f.getFileName().toString().equals(log + ".log")),
          () -> "no " + log + ".log among " + logs);
    }
    for (Path log : logs) {
      String text = Files.readString(log, StandardCharsets.ISO_8859_1);
      secrets.forEach(
          (what, secret) -> assertFalse(text.contains(secret), () -> log + " shows the " + what));
    }
    secrets.forEach(
        (what, secret) ->
            assertFalse(ownOutput.contains(secret), () -> "the test's output shows the " + what));
    // Where the passwords are written down, only their owner may read them.
    for (Path file :
        List.of(
            dir.resolve("infra/kafka/server.properties"),
            dir.resolve("infra/redis/redis.conf"),
            certificate.keystore(),
            certificate.truststore())) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
          file::toString);
    }
  }

  /**
   * Runs the pipeline on the secured infrastructure until its outputs are complete, then starts a
   * parser with a wrong Kafka password and a feature service with a wrong Redis password.
   */
  private static void run(
      Path dir, KafkaSecurity security, String redisPassword, String wrongPassword)
      throws Exception {
    try (RestartableInfra infra =
            new RestartableInfra(dir.resolve("infra"), security, USER, redisPassword).start(true);
        AwrSource source = AwrSource.start(SEED)) {
      LivePipeline.Endpoints endpoints = infra.endpoints();
      LivePipeline.setUp(endpoints);
      source.takeSnapshots(SNAPSHOTS);
      assertFalse(source.sqlStats().isEmpty(), "the simulated AWR has statements");
      try (LivePipeline pipeline =
          LivePipeline.startServices(endpoints, Map.of("sim", source.url()), dir.resolve("run"))) {
        pipeline.awaitLive(LivePipeline.SERVICES);
        // Every statement in sql.templates, every template's features in the online store.
        EndToEndTest.awaitComplete(endpoints, pipeline, source);

        Process parser =
            pipeline.startAnother(
                "parser",
                "parser-wrong-kafka-password",
                Map.of(
                    IrisConfig.kafkaVariable("sasl.jaas.config"),
                    KafkaSecurity.login(USER, wrongPassword)));
        Process feature =
            pipeline.startAnother(
                "feature",
                "feature-wrong-redis-password",
                Map.of(
                    "IRIS_REDIS_URL",
                    RedisUrl.parse(endpoints.redisUrl())
                        .withPassword(wrongPassword)
                        .toUriWithCredentials()));
        assertStopsToBeConfigured(
            pipeline, parser, "parser-wrong-kafka-password", "IRIS_KAFKA_SASL_JAAS_CONFIG");
        assertStopsToBeConfigured(
            pipeline, feature, "feature-wrong-redis-password", "IRIS_REDIS_URL");
      }
    }
  }

  private static void assertStopsToBeConfigured(
      LivePipeline pipeline, Process process, String name, String variable)
      throws IOException, InterruptedException {
    assertTrue(process.waitFor(90, TimeUnit.SECONDS), () -> name + " still runs");
    String log = Files.readString(pipeline.log(name));
    assertEquals(ServiceMain.CONFIGURATION_ERROR, process.exitValue(), log);
    assertTrue(
        log.lines().anyMatch(l -> l.contains("configuration: ") && l.contains(variable)),
        () -> name + " does not say to fix " + variable + ": " + log);
  }

  /** A password nobody could mistake for anything else in a log. */
  private static String secret(String what) {
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    return what + "-" + HexFormat.of().formatHex(random);
  }

  /** What this JVM prints (its own Kafka clients' logs, for one), copied while still printed. */
  private static final class OwnOutput implements AutoCloseable {
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    OwnOutput() {
      System.setOut(tee(out));
      System.setErr(tee(err));
    }

    private PrintStream tee(PrintStream original) {
      return new PrintStream(
          new OutputStream() {
            @Override
            public void write(int b) {
              original.write(b);
              synchronized (copy) {
                copy.write(b);
              }
            }

            @Override
            public void write(byte[] b, int off, int len) {
              original.write(b, off, len);
              synchronized (copy) {
                copy.write(b, off, len);
              }
            }
          },
          true,
          StandardCharsets.UTF_8);
    }

    String text() {
      synchronized (copy) {
        return copy.toString(StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
