package io.iris.collector;

import io.iris.infra.LocalInfra;
import io.iris.infra.PostgresServer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * The snapshot log table as docs/oracle/ creates it in Oracle, in a schema of its own of the test
 * JVM's PostgreSQL, with the settings Debezium's PostgreSQL connector reads it with: the stand-in
 * for Oracle that tests the trigger through the same engine API.
 */
final class PostgresSnapshotLog {
  final PostgresServer postgres;
  final String schema = "log_" + UUID.randomUUID().toString().substring(0, 8);

  PostgresSnapshotLog(PostgresServer postgres) throws IOException {
    this.postgres = postgres;
    postgres.sql(
        "CREATE SCHEMA "
            + schema
            + "; CREATE TABLE "
            + schema
            + ".iris_awr_snapshot_log (dbid bigint NOT NULL, instance_number integer NOT NULL,"
            + " snap_id bigint NOT NULL, end_interval_time timestamp(3) NOT NULL,"
            + " PRIMARY KEY (dbid, instance_number, snap_id))");
  }

  /** The engine's settings: offsets on the test broker, the connector on this table. */
  Properties trigger(LocalInfra infra, String source) {
    Properties props =
        DebeziumSnapshotTrigger.engineProperties(
            source, Map.of("bootstrap.servers", infra.bootstrapServers()));
    props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    props.setProperty("database.hostname", "127.0.0.1");
    props.setProperty("database.port", Integer.toString(postgres.port()));
    props.setProperty("database.user", postgres.user());
    props.setProperty("database.dbname", "postgres");
    props.setProperty("topic.prefix", "iris_" + source);
    props.setProperty("plugin.name", "pgoutput");
    props.setProperty("slot.name", schema);
    props.setProperty("publication.name", schema);
    props.setProperty("publication.autocreate.mode", "filtered");
    props.setProperty("table.include.list", schema + ".iris_awr_snapshot_log");
    props.setProperty("snapshot.mode", "no_data");
    return props;
  }

  /**
   * What the Oracle scheduler job does for each new snapshot: one row, committed when this returns.
   */
  void log(long dbid, int instance, long snapId) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO " + schema + ".iris_awr_snapshot_log VALUES (?, ?, ?, now())")) {
      insert.setLong(1, dbid);
      insert.setInt(2, instance);
      insert.setLong(3, snapId);
      insert.executeUpdate();
    }
  }

  void execute(String sql) throws IOException {
    postgres.sql(sql.replace("LOG_TABLE", schema + ".iris_awr_snapshot_log"));
  }
}
