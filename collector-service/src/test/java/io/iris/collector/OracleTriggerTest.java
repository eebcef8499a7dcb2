package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.infra.LocalInfra;
import io.iris.infra.LocalInfraExtension;
import io.iris.infra.Readiness;
import io.iris.platform.IrisConfig;
import io.iris.platform.KafkaSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Oracle connector as the collector configures it, against a port nobody listens on: the
 * configuration passes Debezium's validation, the engine stops on the connection error and says so,
 * and closing the trigger leaves no thread behind.
 */
@ExtendWith(LocalInfraExtension.class)
class OracleTriggerTest {

  @Test
  void againstAClosedPortTheEngineFailsCleanlyAndLeavesNoThreads(LocalInfra infra)
      throws Exception {
    int port = Readiness.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("IRIS_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers());
    env.put("IRIS_COLLECTOR_SOURCES", "ora");
    env.put("IRIS_COLLECTOR_SOURCE_ORA_URL", "jdbc:oracle:thin:@//127.0.0.1:" + port + "/FREEPDB1");
    env.put("IRIS_COLLECTOR_SOURCE_ORA_USER", "iris");
    env.put("IRIS_COLLECTOR_SOURCE_ORA_PASSWORD", "not-logged");
    env.put("IRIS_COLLECTOR_TRIGGER", "debezium");
    env.put("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_USER", "c##dbzuser");
    env.put("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_PASSWORD", "dbz");
    env.put("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_DBNAME", "FREE");
    env.put("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_PDB", "FREEPDB1");
    IrisConfig config = new IrisConfig(env);
    CollectorSettings settings = CollectorSettings.from(config);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    // The Oracle driver starts its timer threads once per JVM, on first use: before counting.
    assertThrows(
        SQLException.class,
        () -> DriverManager.getConnection(settings.sources().getFirst().jdbcUrl(), "iris", "x"));
    NewThreads threads = new NewThreads();

    // Debezium's own validation of the settings finds nothing wrong but the connection.
    Map<String, List<String>> errors =
        validate(settings.captures().get("ora").connectorProperties("ora"));
    assertEquals(Set.of("database.hostname"), errors.keySet(), errors.toString());
    assertTrue(
        errors.get("database.hostname").getFirst().startsWith("Unable to connect"),
        errors.toString());

    DebeziumSnapshotTrigger trigger =
        DebeziumSnapshotTrigger.forOracle(
            "ora",
            settings.captures().get("ora"),
            new KafkaSettings(config, "collector").common(),
            new CollectorMetrics(meters),
            Duration.ofSeconds(60));
    try {
      trigger.start(new SnapshotInbox());
      Await.until(
          "the engine says why it stopped",
          Duration.ofSeconds(120),
          () -> trigger.lastFailure().isPresent());
      String failure = trigger.lastFailure().orElseThrow();
      System.out.println("Oracle trigger against a closed port: " + failure);
      assertTrue(failure.contains("Unable to connect"), failure);
      assertFalse(failure.contains("not-logged"), failure);
      assertEquals(0, meters.get("iris.collector.trigger.up").gauge().value());
    } finally {
      trigger.close();
    }
    threads.awaitNoneLeft(Duration.ofSeconds(30));
  }

  /** The error messages of each setting the connector finds wrong. */
  private static Map<String, List<String>> validate(Properties props) throws Exception {
    Connector connector =
        (Connector)
            Class.forName(props.getProperty("connector.class")).getConstructor().newInstance();
    Map<String, String> config = new HashMap<>();
    props.stringPropertyNames().forEach(k -> config.put(k, props.getProperty(k)));
    Map<String, List<String>> errors = new TreeMap<>();
    for (ConfigValue value : connector.validate(config).configValues()) {
      if (!value.errorMessages().isEmpty()) {
        errors.put(value.name(), value.errorMessages());
      }
    }
    return errors;
  }
}
