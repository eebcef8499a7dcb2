package io.iris.compose;

import io.iris.simulator.AwrSimulator;
import io.iris.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.tools.Server;

/**
 * A simulated AWR (by default the standard one: two databases, one a two-instance RAC whose
 * instance 2 restarts before its 10th snapshot), served over H2's TCP protocol from this JVM so
 * that a test decides when each snapshot is taken; and what the collector must find in it, read
 * back with plain SQL.
 */
final class AwrSource implements AutoCloseable {
  /** A SQL string literal, quotes doubled inside. */
  private static final Pattern STRING_LITERAL = Pattern.compile("'((?:[^']|'')*)'");

  /** An unquoted SQL name. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$#]*");

  private final Server server;
  private final Connection db;
  private final AwrSimulator simulator;
  private final String url;

  private AwrSource(Server server, Connection db, AwrSimulator simulator, String url) {
    this.server = server;
    this.db = db;
    this.simulator = simulator;
    this.url = url;
  }

  /** The standard simulated AWR, in memory. */
  static AwrSource start(long seed) throws SQLException {
    return start(
        SimulatorConfig.standard(seed), "mem:awr" + UUID.randomUUID().toString().replace("-", ""));
  }

  /**
   * An AWR of {@code config} in an H2 file under {@code dir}: for histories too large for the heap
   * (a month of 500-statement snapshots is over a million DBA_HIST_SQLSTAT rows).
   */
  static AwrSource onDisk(SimulatorConfig config, Path dir) throws SQLException {
    return start(config, dir.toAbsolutePath().resolve("awr").toString());
  }

  private static AwrSource start(SimulatorConfig config, String database) throws SQLException {
    Connection db =
        DriverManager.getConnection(
            "jdbc:h2:" + database + ";MODE=Oracle;DB_CLOSE_DELAY=-1", "sa", "");
    Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
    AwrSimulator simulator = new AwrSimulator(db, config);
    return new AwrSource(
        server,
        db,
        simulator,
        "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/" + database + ";MODE=Oracle");
  }

  /** The JDBC URL the collector reads, user {@code sa} without a password. */
  String url() {
    return url;
  }

  /** Takes {@code count} more snapshots of every instance. */
  void takeSnapshots(int count) throws SQLException {
    simulator.generate(count);
  }

  /** Every snapshot of every instance: {@code dbid:instance:snapId}. */
  Set<String> snapshots() throws SQLException {
    return keys(
        "SELECT CAST(DBID AS BIGINT) || ':' || CAST(INSTANCE_NUMBER AS INT) || ':'"
            + " || CAST(SNAP_ID AS BIGINT) FROM DBA_HIST_SNAPSHOT");
  }

  /** Every statement of every snapshot: {@code dbid:instance:snapId:sqlId:planHash}. */
  Set<String> sqlStats() throws SQLException {
    Set<String> keys = new HashSet<>();
    forEachSqlStat(
        (dbid, instance, snapId, sqlId, planHash) ->
            keys.add(dbid + ":" + instance + ":" + snapId + ":" + sqlId + ":" + planHash));
    return keys;
  }

  /** A statement of a snapshot, by its key in DBA_HIST_SQLSTAT. */
  @FunctionalInterface
  interface SqlStatKey {
    void accept(long dbid, int instance, long snapId, String sqlId, long planHash);
  }

  /** Hands the key of every statement of every snapshot to {@code each}, holding none of them. */
  void forEachSqlStat(SqlStatKey each) throws SQLException {
    try (Statement statement = db.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT DBID, INSTANCE_NUMBER, SNAP_ID, SQL_ID, PLAN_HASH_VALUE"
                    + " FROM DBA_HIST_SQLSTAT")) {
      while (rows.next()) {
        each.accept(
            rows.getLong(1), rows.getInt(2), rows.getLong(3), rows.getString(4), rows.getLong(5));
      }
    }
  }

  /** The database ids. */
  Set<Long> dbids() {
    Set<Long> dbids = new HashSet<>();
    simulator.config().databases().forEach(d -> dbids.add(d.dbid()));
    return dbids;
  }

  /** The last snapshot id taken (every instance has it). */
  long lastSnapId() {
    return simulator.lastSnapId();
  }

  /**
   * The string literals of every SQL text that could only come from a literal: at least four
   * characters long, and not also a name in the texts (as 'SHOP' is a value and a schema).
   */
  Set<String> stringLiterals() throws SQLException {
    Set<String> literals = new HashSet<>();
    Set<String> names = new HashSet<>();
    try (Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery("SELECT SQL_TEXT FROM DBA_HIST_SQLTEXT")) {
      while (rows.next()) {
        String text = rows.getString(1);
        Matcher literal = STRING_LITERAL.matcher(text);
        while (literal.find()) {
          String value = literal.group(1).replace("''", "'");
          if (value.length() >= 4) {
            literals.add(value);
          }
        }
        Matcher name = NAME.matcher(STRING_LITERAL.matcher(text).replaceAll(" "));
        while (name.find()) {
          names.add(name.group().toUpperCase(Locale.ROOT));
        }
      }
    }
    literals.removeIf(value -> names.contains(value.toUpperCase(Locale.ROOT)));
    return literals;
  }

  private Set<String> keys(String query) throws SQLException {
    Set<String> keys = new HashSet<>();
    try (Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      while (rows.next()) {
        keys.add(rows.getString(1));
      }
    }
    return keys;
  }

  @Override
  public void close() throws SQLException {
    server.stop();
    db.close();
  }
}
