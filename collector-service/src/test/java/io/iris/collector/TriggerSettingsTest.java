package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.collector.CollectorSettings.Trigger;
import io.iris.platform.ConfigurationException;
import io.iris.platform.IrisConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IRIS_COLLECTOR_TRIGGER and the per-source Debezium settings: defaults and fail-fast. */
class TriggerSettingsTest {

  private static Map<String, String> oracle() {
    Map<String, String> env = new HashMap<>();
    env.put("IRIS_COLLECTOR_SOURCES", "ora");
    env.put("IRIS_COLLECTOR_SOURCE_ORA_URL", "jdbc:oracle:thin:@//db1:1521/ORCLPDB1");
    env.put("IRIS_COLLECTOR_SOURCE_ORA_USER", "iris");
    env.put("IRIS_COLLECTOR_SOURCE_ORA_PASSWORD", "secret");
    env.put("IRIS_COLLECTOR_TRIGGER", "debezium");
    env.put("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_DBNAME", "ORCLCDB");
    return env;
  }

  private static ConfigurationException refused(Map<String, String> env) {
    return assertThrows(
        ConfigurationException.class, () -> CollectorSettings.from(new IrisConfig(env)));
  }

  @Test
  void pollingIsTheDefaultAndNeedsNoDebeziumSettings() {
    CollectorSettings settings = CollectorSettings.from(new IrisConfig(Map.of()));
    assertEquals(Trigger.POLL, settings.trigger());
    assertEquals(Duration.ofSeconds(60), settings.pollDue());
    assertTrue(settings.captures().isEmpty());
  }

  @Test
  void debeziumReadsTheSourcesOwnDatabaseAndAccountAndPollsAsASafetyNet() {
    CollectorSettings settings = CollectorSettings.from(new IrisConfig(oracle()));
    assertEquals(Trigger.DEBEZIUM, settings.trigger());
    assertEquals(Duration.ofSeconds(900), settings.pollDue());
    OracleLogCapture capture = settings.captures().get("ora");
    assertEquals("jdbc:oracle:thin:@//db1:1521/ORCLPDB1", capture.url());
    assertEquals("iris", capture.user());
    assertEquals(Optional.of("secret"), capture.password());
    assertEquals("IRIS.IRIS_AWR_SNAPSHOT_LOG", capture.table());
    Properties props = capture.connectorProperties("ora");
    assertEquals("io.debezium.connector.oracle.OracleConnector", props.get("connector.class"));
    assertEquals("ORCLCDB", props.get("database.dbname"));
    assertEquals("IRIS.IRIS_AWR_SNAPSHOT_LOG", props.get("table.include.list"));
    assertEquals("no_data", props.get("snapshot.mode"));
    assertFalse(props.containsKey("database.pdb.name"));
  }

  @Test
  void aLogMinerAccountOfItsOwnAndFurtherConnectorSettingsComeFromTheirVariables(@TempDir Path dir)
      throws Exception {
    Path password = Files.writeString(dir.resolve("dbz-password"), "dbz-secret\n");
    Path extra =
        Files.writeString(
            dir.resolve("debezium.properties"),
            "log.mining.strategy=hybrid\nsnapshot.mode=no_data\n");
    Map<String, String> env = oracle();
    env.put("IRIS_COLLECTOR_SAFETY_POLL_SECONDS", "300");
    env.put("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_USER", "c##dbzuser");
    env.put("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_PASSWORD_FILE", password.toString());
    env.put("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_PDB", "ORCLPDB1");
    env.put("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_PROPERTIES_FILE", extra.toString());
    CollectorSettings settings = CollectorSettings.from(new IrisConfig(env));
    assertEquals(Duration.ofSeconds(300), settings.pollDue());
    OracleLogCapture capture = settings.captures().get("ora");
    assertEquals("c##dbzuser", capture.user());
    assertEquals(Optional.of("dbz-secret"), capture.password());
    // The table stays in the schema of the account that installed it: the source's.
    assertEquals("IRIS.IRIS_AWR_SNAPSHOT_LOG", capture.table());
    Properties props = capture.connectorProperties("ora");
    assertEquals("ORCLPDB1", props.get("database.pdb.name"));
    assertEquals("hybrid", props.get("log.mining.strategy"));
  }

  @Test
  void eachMistakeNamesTheVariableToFix(@TempDir Path dir) {
    Map<String, String> env = oracle();
    env.put("IRIS_COLLECTOR_TRIGGER", "cdc");
    assertTrue(refused(env).getMessage().startsWith("IRIS_COLLECTOR_TRIGGER=cdc"));

    env = oracle();
    env.remove("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_DBNAME");
    assertTrue(
        refused(env)
            .getMessage()
            .startsWith("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_DBNAME is not set"));

    env = oracle();
    env.put("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_TABLE", "IRIS_AWR_SNAPSHOT_LOG");
    assertTrue(refused(env).getMessage().startsWith("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_TABLE="));

    env = oracle();
    env.put("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_PROPERTIES_FILE", dir.resolve("none").toString());
    assertTrue(
        refused(env)
            .getMessage()
            .startsWith("IRIS_COLLECTOR_SOURCE_ORA_DEBEZIUM_PROPERTIES_FILE="));

    env = oracle();
    env.put("IRIS_COLLECTOR_SAFETY_POLL_SECONDS", "0");
    assertTrue(refused(env).getMessage().startsWith("IRIS_COLLECTOR_SAFETY_POLL_SECONDS=0"));

    // The simulator is H2: there is no redo log to capture.
    ConfigurationException h2 =
        refused(Map.of("IRIS_COLLECTOR_SOURCES", "sim", "IRIS_COLLECTOR_TRIGGER", "debezium"));
    assertTrue(h2.getMessage().contains("IRIS_COLLECTOR_TRIGGER"), h2.getMessage());
    assertTrue(h2.getMessage().contains("IRIS_COLLECTOR_SOURCE_SIM_URL"), h2.getMessage());
    assertFalse(h2.getMessage().contains("secret"));
  }
}
