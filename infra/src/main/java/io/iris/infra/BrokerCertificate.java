package io.iris.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed TLS certificate for a broker on 127.0.0.1, made with the JDK's {@code keytool}: a
 * PKCS12 keystore with the broker's key and certificate, and a PKCS12 truststore with only the
 * certificate, for clients. Both share one random password, which {@link #toString()} never shows.
 */
public final class BrokerCertificate {
  /** The store type of both files, as Kafka's {@code ssl.*.type} settings name it. */
  public static final String STORE_TYPE = "PKCS12";

  private static final String ALIAS = "iris-broker";

  /** How keytool gets the password: from its environment, so it never shows in {@code ps}. */
  private static final String PASSWORD_VARIABLE = "IRIS_KEYTOOL_STORE_PASSWORD";

  private final Path keystore;
  private final Path truststore;
  private final String password;

  private BrokerCertificate(Path keystore, Path truststore, String password) {
    this.keystore = keystore;
    this.truststore = truststore;
    this.password = password;
  }

  /**
   * Makes a key pair and a certificate for {@code 127.0.0.1} and {@code localhost} valid for 30
   * days, in {@code dir/broker.keystore.p12} and {@code dir/broker.truststore.p12} (mode 0600).
   */
  public static BrokerCertificate create(Path dir) throws IOException {
    Files.createDirectories(dir);
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String password = "ks-" + HexFormat.of().formatHex(random);
    Path keystore = dir.resolve("broker.keystore.p12");
    Path truststore = dir.resolve("broker.truststore.p12");
    Path certificate = dir.resolve("broker.crt");
    for (Path file : List.of(keystore, truststore, certificate)) {
      Files.deleteIfExists(file);
    }
    Path log = dir.resolve("keytool.log");
    keytool(
        password,
        log,
        "-genkeypair",
        "-alias",
        ALIAS,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "30",
        "-storetype",
        STORE_TYPE,
        "-keystore",
        keystore.toString());
    keytool(
        password,
        log,
        "-exportcert",
        "-alias",
        ALIAS,
        "-rfc",
        "-keystore",
        keystore.toString(),
        "-file",
        certificate.toString());
    keytool(
        password,
        log,
        "-importcert",
        "-noprompt",
        "-alias",
        ALIAS,
        "-file",
        certificate.toString(),
        "-storetype",
        STORE_TYPE,
        "-keystore",
        truststore.toString());
    for (Path store : List.of(keystore, truststore)) {
      PrivateFiles.restrict(store);
    }
    return new BrokerCertificate(keystore, truststore, password);
  }

  /** Runs keytool with the store password from its environment, output appended to {@code log}. */
  private static void keytool(String password, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(keytoolBinary().toString());
    command.addAll(List.of(args));
    command.add("-storepass:env");
    command.add(PASSWORD_VARIABLE);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put(PASSWORD_VARIABLE, password);
    Process process = builder.start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new InfraException("keytool " + args[0] + " did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new InfraException("interrupted while running keytool", e);
    }
    if (process.exitValue() != 0) {
      throw new InfraException(
          "keytool "
              + args[0]
              + " failed; the last lines of "
              + log
              + ":\n"
              + LocalProcess.tail(log, 10));
    }
  }

  /** The keytool of the running JDK, next to its java. */
  private static Path keytoolBinary() {
    Path keytool = Executables.currentJava().resolveSibling("keytool");
    if (!Files.isExecutable(keytool)) {
      throw new InfraException(
          "no keytool next to " + Executables.currentJava() + ": run IRIS on a full JDK");
    }
    return keytool;
  }

  /** The broker's key and certificate. */
  public Path keystore() {
    return keystore;
  }

  /** The certificate alone: what a client trusts. */
  public Path truststore() {
    return truststore;
  }

  /** The password of both stores and of the key; never log it. */
  public String password() {
    return password;
  }

  @Override
  public String toString() {
    return "BrokerCertificate[keystore=" + keystore + ", truststore=" + truststore + "]";
  }
}
