package io.iris.infra;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where this build keeps what the local runtime starts: the Kafka broker's classpath (the {@code
 * kafka_2.13} dependency tree from Maven Central) and the unpacked Apicurio Registry distribution.
 * Both are written at build time by this module's pom.
 */
public final class Distributions {
  private static final String BASE = "/io/iris/infra/";

  private Distributions() {}

  /** The classpath of the Kafka broker JVM. */
  public static String kafkaBrokerClasspath() {
    return resource("kafka-broker.classpath").trim();
  }

  /** The Apicurio Registry {@code quarkus-run.jar}. */
  public static Path apicurioRunner() {
    Path jar = Path.of(properties().getProperty("apicurio.home"), "quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new InfraException(
          "Apicurio Registry is not unpacked at "
              + jar.getParent()
              + ": build it with ./mvnw -pl infra package (./iris does this by itself)");
    }
    return jar;
  }

  public static String kafkaVersion() {
    return properties().getProperty("kafka.version");
  }

  public static String apicurioVersion() {
    return properties().getProperty("apicurio.version");
  }

  private static Properties properties() {
    Properties props = new Properties();
    try (InputStream in = open("infra.properties")) {
      props.load(in);
    } catch (IOException e) {
      throw new InfraException("cannot read infra.properties", e);
    }
    return props;
  }

  private static String resource(String name) {
    try (InputStream in = open(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InfraException("cannot read " + name, e);
    }
  }

  private static InputStream open(String name) throws IOException {
    InputStream in = Distributions.class.getResourceAsStream(BASE + name);
    if (in == null) {
      throw new InfraException(
          BASE + name + " is missing: the iris-infra module was not built (run ./mvnw package)");
    }
    return in;
  }
}
