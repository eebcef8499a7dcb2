package io.iris.collector;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How Debezium's Oracle connector (LogMiner) reads one source's snapshot log table, from {@code
 * IRIS_COLLECTOR_SOURCE_<NAME>_DEBEZIUM_*}. Debezium never captures SYS or SYSTEM, so the AWR
 * tables themselves cannot be captured: a scheduler job copies each new snapshot's key into a table
 * of the IRIS user (docs/oracle/iris-awr-snapshot-log.sql), and that table is what is captured.
 *
 * @param url JDBC URL the connector connects with ({@code database.url})
 * @param user the account with LogMiner privileges (a common user {@code C##...} in a CDB)
 * @param password its password (never logged)
 * @param dbname the database name, the CDB's in a multitenant database ({@code database.dbname})
 * @param pdb the pluggable database holding the table, in a multitenant database
 * @param table the captured table, {@code SCHEMA.TABLE}
 * @param extra further connector settings from a properties file; they win over the above
 */
public record OracleLogCapture(
    String url,
    String user,
    Optional<String> password,
    String dbname,
    Optional<String> pdb,
    String table,
    Map<String, String> extra) {

  /** The snapshot log table the SQL script creates, in the schema of the IRIS user. */
  public static final String TABLE = "IRIS_AWR_SNAPSHOT_LOG";

  /** The connector's settings; the engine's own come from {@link DebeziumSnapshotTrigger}. */
  public Properties connectorProperties(String source) {
    Properties props = new Properties();
    props.setProperty("connector.class", "io.debezium.connector.oracle.OracleConnector");
    props.setProperty("database.url", url);
    props.setProperty("database.user", user);
    password.ifPresent(p -> props.setProperty("database.password", p));
    props.setProperty("database.dbname", dbname);
    pdb.ifPresent(p -> props.setProperty("database.pdb.name", p));
    props.setProperty("topic.prefix", "iris_" + source);
    props.setProperty("table.include.list", table);
    // Only rows inserted from now on: what AWR held before, the first poll collects.
    props.setProperty("snapshot.mode", "no_data");
    props.setProperty("include.schema.changes", "false");
    props.setProperty("schema.history.internal.store.only.captured.tables.ddl", "true");
    // The log gets a row per snapshot, hours apart at most: heartbeats move the connector's
    // position (SCN) on meanwhile, so a restart does not need redo that has long been archived.
    props.setProperty("heartbeat.interval.ms", "60000");
    // NUMBER columns as strings: the three keys are read as whole numbers whatever their scale.
    props.setProperty("decimal.handling.mode", "string");
    extra.forEach(props::setProperty);
    return props;
  }
}
