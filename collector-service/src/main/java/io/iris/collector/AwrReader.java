package io.iris.collector;

import io.iris.collector.AwrRows.Counters;
import io.iris.collector.AwrRows.InstanceInfo;
import io.iris.collector.AwrRows.InstanceKey;
import io.iris.collector.AwrRows.Snapshot;
import io.iris.schemas.avro.PlanStep;
import io.iris.schemas.avro.SqlStat;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The collector's AWR queries. They run unchanged on Oracle and on H2 in Oracle mode, so they keep
 * to the SQL both accept: ANSI joins (no {@code (+)}), no CONNECT BY or DBMS_LOB, and the {@code
 * VALUE} and {@code TIMESTAMP} columns quoted. {@code %s} is the view prefix ({@code DBA_HIST_},
 * {@code CDB_HIST_} or {@code AWR_PDB_}).
 */
public final class AwrReader {
  /** The counters read per snapshot, by view. Time model and wait times are microseconds. */
  static final List<String> TIME_MODEL = List.of("DB time", "DB CPU");

  static final List<String> SYSSTAT =
      List.of(
          "session logical reads",
          "physical reads",
          "physical writes",
          "execute count",
          "user commits",
          "redo size");

  static final String SESSIONS = "logons current";
  static final String HOST_CPU_METRIC = "Host CPU Utilization (%)";
  static final String PGA = "total PGA allocated";
  static final String USER_IO = "User I/O wait";
  static final String SGA = "SGA";

  private final Connection db;
  private final Source source;
  private final int queryTimeoutSeconds;
  private final SqlTexts texts;

  public AwrReader(Connection db, Source source, int queryTimeoutSeconds) {
    this(db, source, queryTimeoutSeconds, new SqlTexts());
  }

  /** A reader that takes SQL texts read before from {@code texts}, and adds the new ones. */
  AwrReader(Connection db, Source source, int queryTimeoutSeconds, SqlTexts texts) {
    this.db = db;
    this.source = source;
    this.queryTimeoutSeconds = queryTimeoutSeconds;
    this.texts = texts;
  }

  private String sql(String text) {
    return text.replace("%s", source.viewPrefix());
  }

  private PreparedStatement prepare(String text, Object... params) throws SQLException {
    PreparedStatement statement = db.prepareStatement(sql(text));
    statement.setQueryTimeout(queryTimeoutSeconds);
    statement.setFetchSize(500);
    for (int i = 0; i < params.length; i++) {
      statement.setObject(i + 1, params[i]);
    }
    return statement;
  }

  /**
   * Checks that AWR may and can be read: the Diagnostics Pack is enabled and the views are granted.
   * Throws with the parameter or grant to fix.
   */
  public void checkAccess() throws AwrAccessException {
    try (PreparedStatement statement =
            prepare(
                "SELECT \"VALUE\" FROM V$PARAMETER WHERE NAME = 'control_management_pack_access'");
        ResultSet rs = statement.executeQuery()) {
      if (rs.next()
          && (rs.getString(1) == null
              || !rs.getString(1).toUpperCase(java.util.Locale.ROOT).contains("DIAGNOSTIC"))) {
        throw new AwrAccessException(
            source.name()
                + ": AWR is not licensed on this database: CONTROL_MANAGEMENT_PACK_ACCESS is '"
                + rs.getString(1)
                + "'. With a Diagnostics Pack license run"
                + " ALTER SYSTEM SET control_management_pack_access='DIAGNOSTIC+TUNING'.",
            null);
      }
    } catch (SQLException e) {
      throw new AwrAccessException(
          source.name()
              + ": cannot read V$PARAMETER ("
              + e.getMessage().strip()
              + "). Grant it: GRANT SELECT ON V_$PARAMETER TO "
              + source.user().orElse("<iris user>")
              + ", or GRANT SELECT_CATALOG_ROLE.",
          e);
    }
    try (PreparedStatement statement = prepare("SELECT COUNT(*) FROM %sSNAPSHOT WHERE 1 = 0");
        ResultSet rs = statement.executeQuery()) {
      rs.next();
    } catch (SQLException e) {
      throw new AwrAccessException(
          source.name()
              + ": cannot read "
              + source.viewPrefix()
              + "SNAPSHOT ("
              + e.getMessage().strip()
              + "). IRIS needs SELECT on the "
              + source.viewPrefix()
              + "* views: GRANT SELECT_CATALOG_ROLE TO "
              + source.user().orElse("<iris user>")
              + " (or SELECT ANY DICTIONARY).",
          e);
    }
  }

  /** Every (dbid, instance) with snapshots. */
  public List<InstanceKey> instances() throws SQLException {
    List<InstanceKey> keys = new ArrayList<>();
    try (PreparedStatement statement =
            prepare(
                "SELECT DISTINCT DBID, INSTANCE_NUMBER FROM %sSNAPSHOT ORDER BY DBID, INSTANCE_NUMBER");
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        keys.add(new InstanceKey(rs.getLong(1), rs.getInt(2)));
      }
    }
    return keys;
  }

  /** Snapshots after {@code afterSnapId}, in snap_id order, at most {@code limit}. */
  public List<Snapshot> snapshotsAfter(InstanceKey key, long afterSnapId, int limit)
      throws SQLException {
    List<Snapshot> snapshots = new ArrayList<>();
    try (PreparedStatement statement =
        prepare(
            "SELECT SNAP_ID, BEGIN_INTERVAL_TIME, END_INTERVAL_TIME, STARTUP_TIME FROM %sSNAPSHOT"
                + " WHERE DBID = ? AND INSTANCE_NUMBER = ? AND SNAP_ID > ? ORDER BY SNAP_ID",
            key.dbid(), key.instance(), afterSnapId)) {
      statement.setMaxRows(limit);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          snapshots.add(snapshot(rs));
        }
      }
    }
    return snapshots;
  }

  /** How many snapshots of an instance come after {@code afterSnapId}: what is left to collect. */
  public long countAfter(InstanceKey key, long afterSnapId) throws SQLException {
    try (PreparedStatement statement =
            prepare(
                "SELECT COUNT(*) FROM %sSNAPSHOT WHERE DBID = ? AND INSTANCE_NUMBER = ? AND SNAP_ID > ?",
                key.dbid(), key.instance(), afterSnapId);
        ResultSet rs = statement.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** The snapshot just before {@code snapId} of the same instance, if AWR still has one. */
  public Optional<Snapshot> previous(InstanceKey key, long snapId) throws SQLException {
    try (PreparedStatement statement =
            prepare(
                "SELECT SNAP_ID, BEGIN_INTERVAL_TIME, END_INTERVAL_TIME, STARTUP_TIME FROM %sSNAPSHOT"
                    + " WHERE DBID = ? AND INSTANCE_NUMBER = ? AND SNAP_ID = (SELECT MAX(SNAP_ID) FROM %sSNAPSHOT"
                    + " WHERE DBID = ? AND INSTANCE_NUMBER = ? AND SNAP_ID < ?)",
                key.dbid(), key.instance(), key.dbid(), key.instance(), snapId);
        ResultSet rs = statement.executeQuery()) {
      return rs.next() ? Optional.of(snapshot(rs)) : Optional.empty();
    }
  }

  /** The newest snap_id of an instance, or 0. */
  public long latestSnapId(InstanceKey key) throws SQLException {
    try (PreparedStatement statement =
            prepare(
                "SELECT MAX(SNAP_ID) FROM %sSNAPSHOT WHERE DBID = ? AND INSTANCE_NUMBER = ?",
                key.dbid(), key.instance());
        ResultSet rs = statement.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** The snap_id just before the first snapshot that ends at or after {@code time}, or 0. */
  public long snapIdBefore(InstanceKey key, Instant time) throws SQLException {
    try (PreparedStatement statement =
            prepare(
                "SELECT MIN(SNAP_ID) FROM %sSNAPSHOT WHERE DBID = ? AND INSTANCE_NUMBER = ? AND END_INTERVAL_TIME >= ?",
                key.dbid(), key.instance(), LocalDateTime.ofInstant(time, source.zone()));
        ResultSet rs = statement.executeQuery()) {
      return rs.next() && rs.getLong(1) > 0 ? rs.getLong(1) - 1 : 0;
    }
  }

  /** The newest snapshot's end time of an instance. */
  public Optional<Instant> latestEnd(InstanceKey key) throws SQLException {
    try (PreparedStatement statement =
            prepare(
                "SELECT MAX(END_INTERVAL_TIME) FROM %sSNAPSHOT WHERE DBID = ? AND INSTANCE_NUMBER = ?",
                key.dbid(), key.instance());
        ResultSet rs = statement.executeQuery()) {
      return rs.next() && rs.getObject(1) != null ? Optional.of(instant(rs, 1)) : Optional.empty();
    }
  }

  /** Name, host and version of the instance as it was started at {@code startup}. */
  public InstanceInfo instanceInfo(InstanceKey key, Instant startup) throws SQLException {
    try (PreparedStatement statement =
            prepare(
                "SELECT DB_NAME, HOST_NAME, VERSION FROM %sDATABASE_INSTANCE WHERE DBID = ? AND INSTANCE_NUMBER = ?"
                    + " AND STARTUP_TIME <= ? ORDER BY STARTUP_TIME DESC",
                key.dbid(), key.instance(), LocalDateTime.ofInstant(startup, source.zone()));
        ResultSet rs = statement.executeQuery()) {
      if (!rs.next()) {
        return new InstanceInfo(Optional.empty(), Optional.empty(), Optional.empty());
      }
      return new InstanceInfo(
          Optional.ofNullable(rs.getString(1)),
          Optional.ofNullable(rs.getString(2)),
          Optional.ofNullable(rs.getString(3)));
    }
  }

  /**
   * The statements AWR kept for a snapshot, with their text (null when purged), heaviest first.
   * Texts come from {@link SqlTexts} when read before; the rest in one query per 500 sql_ids.
   */
  public List<SqlStat> sqlStats(InstanceKey key, long snapId) throws SQLException {
    List<SqlStat.Builder> stats = new ArrayList<>();
    Set<String> unread = new LinkedHashSet<>();
    try (PreparedStatement statement =
            prepare(
                "SELECT s.SQL_ID, s.PLAN_HASH_VALUE, s.FORCE_MATCHING_SIGNATURE, s.PARSING_SCHEMA_NAME, s.MODULE, s.ACTION,"
                    + " s.EXECUTIONS_DELTA, s.ELAPSED_TIME_DELTA, s.CPU_TIME_DELTA, s.BUFFER_GETS_DELTA, s.DISK_READS_DELTA,"
                    + " s.ROWS_PROCESSED_DELTA, s.IOWAIT_DELTA, s.PARSE_CALLS_DELTA, s.FETCHES_DELTA, s.SORTS_DELTA,"
                    + " t.COMMAND_TYPE, t.SQL_ID"
                    + " FROM %sSQLSTAT s LEFT OUTER JOIN %sSQLTEXT t ON t.DBID = s.DBID AND t.SQL_ID = s.SQL_ID"
                    + " WHERE s.DBID = ? AND s.INSTANCE_NUMBER = ? AND s.SNAP_ID = ?"
                    + " ORDER BY s.ELAPSED_TIME_DELTA DESC, s.SQL_ID, s.PLAN_HASH_VALUE",
                key.dbid(), key.instance(), snapId);
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        BigDecimal signature = rs.getBigDecimal(3);
        String sqlId = rs.getString(1);
        boolean purged = rs.getString(18) == null;
        String text = purged ? null : texts.get(key.dbid(), sqlId);
        if (!purged && text == null) {
          unread.add(sqlId);
        }
        stats.add(
            SqlStat.newBuilder()
                .setSqlId(sqlId)
                .setPlanHashValue(rs.getLong(2))
                .setForceMatchingSignature(
                    signature == null ? null : signature.toBigInteger().toString())
                .setParsingSchemaName(rs.getString(4))
                .setModule(rs.getString(5))
                .setAction(rs.getString(6))
                .setExecutions(nullableLong(rs, 7))
                .setElapsedTimeUs(nullableLong(rs, 8))
                .setCpuTimeUs(nullableLong(rs, 9))
                .setBufferGets(nullableLong(rs, 10))
                .setDiskReads(nullableLong(rs, 11))
                .setRowsProcessed(nullableLong(rs, 12))
                .setIoWaitUs(nullableLong(rs, 13))
                .setParseCalls(nullableLong(rs, 14))
                .setFetches(nullableLong(rs, 15))
                .setSorts(nullableLong(rs, 16))
                .setCommandType(purged ? null : nullableInt(rs, 17))
                .setSqlText(text)
                .setSqlTextPurged(purged));
      }
    }
    Map<String, String> read = readTexts(key.dbid(), unread);
    List<SqlStat> result = new ArrayList<>(stats.size());
    for (SqlStat.Builder stat : stats) {
      if (!stat.getSqlTextPurged() && stat.getSqlText() == null) {
        String text = read.get(stat.getSqlId());
        if (text == null) {
          // Purged between the two queries.
          stat.setSqlTextPurged(true).setCommandType(null);
        } else {
          stat.setSqlText(text);
        }
      }
      result.add(stat.build());
    }
    return result;
  }

  /**
   * The texts of {@code sqlIds} by sql_id (those AWR still has), also kept in {@link #texts}; 500
   * at a time (Oracle allows 1,000 in a list).
   */
  private Map<String, String> readTexts(long dbid, Set<String> sqlIds) throws SQLException {
    Map<String, String> read = new HashMap<>();
    List<String> ids = new ArrayList<>(sqlIds);
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      Object[] params = new Object[chunk.size() + 1];
      params[0] = dbid;
      for (int i = 0; i < chunk.size(); i++) {
        params[i + 1] = chunk.get(i);
      }
      try (PreparedStatement statement =
              prepare(
                  "SELECT SQL_ID, SQL_TEXT FROM %sSQLTEXT WHERE DBID = ? AND SQL_ID IN ("
                      + String.join(", ", Collections.nCopies(chunk.size(), "?"))
                      + ")",
                  params);
          ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          String text = clob(rs, 2);
          if (text != null) {
            read.put(rs.getString(1), text);
            texts.put(dbid, rs.getString(1), text);
          }
        }
      }
    }
    return read;
  }

  /** Cumulative counters and gauges of an instance at a snapshot. */
  public Counters counters(InstanceKey key, long snapId) throws SQLException {
    Map<String, Double> cumulative = new HashMap<>();
    Map<String, Double> gauges = new HashMap<>();
    Object[] at = {key.dbid(), key.instance(), snapId};
    read(
        "SELECT STAT_NAME, \"VALUE\" FROM %sSYS_TIME_MODEL WHERE DBID = ? AND INSTANCE_NUMBER = ? AND SNAP_ID = ?"
            + " AND STAT_NAME IN ('DB time', 'DB CPU')",
        at, cumulative);
    Map<String, Double> sysstat = new HashMap<>();
    read(
        "SELECT STAT_NAME, \"VALUE\" FROM %sSYSSTAT WHERE DBID = ? AND INSTANCE_NUMBER = ? AND SNAP_ID = ?"
            + " AND STAT_NAME IN ('session logical reads', 'physical reads', 'physical writes', 'execute count',"
            + " 'user commits', 'redo size', 'logons current')",
        at, sysstat);
    Double sessions = sysstat.remove(SESSIONS);
    if (sessions != null) {
      gauges.put(SESSIONS, sessions);
    }
    cumulative.putAll(sysstat);
    read(
        "SELECT 'User I/O wait', SUM(TIME_WAITED_MICRO) FROM %sSYSTEM_EVENT WHERE DBID = ? AND INSTANCE_NUMBER = ?"
            + " AND SNAP_ID = ? AND WAIT_CLASS = 'User I/O' HAVING COUNT(*) > 0",
        at, cumulative);
    read(
        "SELECT STAT_NAME, \"VALUE\" FROM %sOSSTAT WHERE DBID = ? AND INSTANCE_NUMBER = ? AND SNAP_ID = ?"
            + " AND STAT_NAME IN ('BUSY_TIME', 'IDLE_TIME')",
        at, cumulative);
    read(
        "SELECT METRIC_NAME, AVERAGE FROM %sSYSMETRIC_SUMMARY WHERE DBID = ? AND INSTANCE_NUMBER = ? AND SNAP_ID = ?"
            + " AND METRIC_NAME = 'Host CPU Utilization (%)'",
        at, gauges);
    read(
        "SELECT NAME, \"VALUE\" FROM %sPGASTAT WHERE DBID = ? AND INSTANCE_NUMBER = ? AND SNAP_ID = ?"
            + " AND NAME = 'total PGA allocated'",
        at, gauges);
    read(
        "SELECT 'SGA', SUM(\"VALUE\") FROM %sSGA WHERE DBID = ? AND INSTANCE_NUMBER = ? AND SNAP_ID = ?"
            + " HAVING COUNT(*) > 0",
        at, gauges);
    return new Counters(cumulative, gauges);
  }

  private void read(String text, Object[] params, Map<String, Double> into) throws SQLException {
    try (PreparedStatement statement = prepare(text, params);
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        BigDecimal value = rs.getBigDecimal(2);
        if (value != null) {
          into.put(rs.getString(1), value.doubleValue());
        }
      }
    }
  }

  /** The steps of a plan, by id; empty when AWR has none. */
  public List<PlanStep> plan(long dbid, String sqlId, long planHash) throws SQLException {
    List<PlanStep> steps = new ArrayList<>();
    try (PreparedStatement statement =
            prepare(
                "SELECT ID, PARENT_ID, DEPTH, POSITION, OPERATION, OPTIONS, OBJECT_OWNER, OBJECT_NAME, OBJECT_TYPE,"
                    + " COST, CARDINALITY, BYTES, CPU_COST, IO_COST, ACCESS_PREDICATES, FILTER_PREDICATES"
                    + " FROM %sSQL_PLAN WHERE DBID = ? AND SQL_ID = ? AND PLAN_HASH_VALUE = ? ORDER BY ID",
                dbid, sqlId, planHash);
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        steps.add(
            PlanStep.newBuilder()
                .setId(rs.getInt(1))
                .setParentId(nullableInt(rs, 2))
                .setDepth(rs.getInt(3))
                .setPosition(nullableInt(rs, 4))
                .setOperation(rs.getString(5))
                .setOptions(rs.getString(6))
                .setObjectOwner(rs.getString(7))
                .setObjectName(rs.getString(8))
                .setObjectType(rs.getString(9))
                .setCost(nullableLong(rs, 10))
                .setCardinality(nullableLong(rs, 11))
                .setBytes(nullableLong(rs, 12))
                .setCpuCost(nullableLong(rs, 13))
                .setIoCost(nullableLong(rs, 14))
                .setAccessPredicates(rs.getString(15))
                .setFilterPredicates(rs.getString(16))
                .build());
      }
    }
    return steps;
  }

  /** When the plan was captured (DBA_HIST_SQL_PLAN.TIMESTAMP), if known. */
  public Optional<Instant> planCapturedAt(long dbid, String sqlId, long planHash)
      throws SQLException {
    try (PreparedStatement statement =
            prepare(
                "SELECT MIN(\"TIMESTAMP\") FROM %sSQL_PLAN WHERE DBID = ? AND SQL_ID = ? AND PLAN_HASH_VALUE = ?",
                dbid, sqlId, planHash);
        ResultSet rs = statement.executeQuery()) {
      return rs.next() && rs.getObject(1) != null ? Optional.of(instant(rs, 1)) : Optional.empty();
    }
  }

  /** A DBA_HIST_SNAPSHOT row selected as SNAP_ID, BEGIN_, END_INTERVAL_TIME, STARTUP_TIME. */
  private Snapshot snapshot(ResultSet rs) throws SQLException {
    return new Snapshot(rs.getLong(1), instant(rs, 2), instant(rs, 3), instant(rs, 4));
  }

  private Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp timestamp = rs.getTimestamp(column);
    // AWR times are the server's local times without a zone: read them as such.
    return timestamp.toLocalDateTime().atZone(source.zone()).toInstant();
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  private static String clob(ResultSet rs, int column) throws SQLException {
    Clob clob = rs.getClob(column);
    if (clob == null) {
      return null;
    }
    try (Reader reader = clob.getCharacterStream()) {
      StringBuilder text = new StringBuilder((int) Math.min(clob.length(), Integer.MAX_VALUE));
      char[] buffer = new char[16 * 1024];
      int n;
      while ((n = reader.read(buffer)) > 0) {
        text.append(buffer, 0, n);
      }
      return text.toString();
    } catch (IOException e) {
      throw new SQLException("reading SQL_TEXT failed: " + e.getMessage(), e);
    } finally {
      clob.free();
    }
  }
}
