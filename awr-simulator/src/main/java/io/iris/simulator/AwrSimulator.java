package io.iris.simulator;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes AWR history for the {@link SampleApplication} into the {@code DBA_HIST_*} tables: one
 * snapshot per interval for every instance of every database, with Zipf-like statement frequencies,
 * a daily load cycle, heavy-tailed (log-normal) elapsed times, literal variants that make many
 * sql_ids per statement, new plans now and then, cumulative system counters that restart with the
 * instance, and AWR's top-N cut. The same seed gives the same rows.
 */
public final class AwrSimulator {
  /** The first snap id of a simulation unless told otherwise. */
  public static final long FIRST_SNAP_ID = 1001;

  private static final int VARIANTS_PER_SHAPE = 40;
  private static final int HOST_CPUS = 16;

  private final Connection db;
  private final SimulatorConfig config;
  private final String p;
  private final Map<String, InstanceState> instances = new LinkedHashMap<>();
  private final Map<Long, Map<String, Integer>> planVersions = new HashMap<>();
  private final Set<String> textsWritten = new HashSet<>();
  private final Set<String> plansWritten = new HashSet<>();
  private final long firstSnapId;
  private int snapshotsTaken;

  /** Cumulative state of one instance since its startup. */
  private static final class InstanceState {
    Instant startup;
    final Map<String, Double> counters = new HashMap<>();
    final Map<String, long[]> sqlTotals = new HashMap<>();
  }

  /** One statement's activity in one snapshot, before AWR's top-N cut. */
  private record Activity(
      SqlShape shape,
      String text,
      String sqlId,
      long planHash,
      BigDecimal signature,
      long executions,
      long elapsedUs,
      long cpuUs,
      long ioWaitUs,
      long bufferGets,
      long diskReads,
      long rows,
      long parseCalls,
      long fetches,
      long sorts) {}

  public AwrSimulator(Connection db, SimulatorConfig config) throws SQLException {
    this(db, config, FIRST_SNAP_ID);
  }

  /**
   * A simulation whose first snapshot has id {@code firstSnapId}: the demo derives it from the
   * clock, so a restarted simulator continues the numbering a collector has checkpointed.
   */
  public AwrSimulator(Connection db, SimulatorConfig config, long firstSnapId) throws SQLException {
    this.firstSnapId = firstSnapId;
    this.db = db;
    this.config = config;
    this.p = config.prefix();
    AwrSchema.create(db, p);
  }

  public SimulatorConfig config() {
    return config;
  }

  /** Snap id of the most recent snapshot taken (0 before the first). */
  public long lastSnapId() {
    return snapshotsTaken == 0 ? 0 : firstSnapId + snapshotsTaken - 1L;
  }

  /** Takes {@code count} more snapshots of every instance. */
  public void generate(int count) throws SQLException {
    for (int i = 0; i < count; i++) {
      takeSnapshot();
    }
  }

  /** Takes one more snapshot of every instance of every database; returns its snap id. */
  public long takeSnapshot() throws SQLException {
    int index = snapshotsTaken;
    long snapId = firstSnapId + index;
    Instant end = config.firstSnapshotEnd().plus(config.interval().multipliedBy(index));
    boolean autoCommit = db.getAutoCommit();
    db.setAutoCommit(false);
    try {
      for (SimulatorConfig.Database database : config.databases()) {
        for (int instance = 1; instance <= database.instances(); instance++) {
          snapshot(database, instance, index, snapId, end);
        }
      }
      db.commit();
    } catch (SQLException | RuntimeException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(autoCommit);
    }
    snapshotsTaken++;
    return snapId;
  }

  /** Removes a statement's text, as AWR does when it purges DBA_HIST_SQLTEXT. */
  public void purgeSqlText(long dbid, String sqlId) throws SQLException {
    try (PreparedStatement delete =
        db.prepareStatement("DELETE FROM " + p + "SQLTEXT WHERE DBID = ? AND SQL_ID = ?")) {
      delete.setLong(1, dbid);
      delete.setString(2, sqlId);
      delete.executeUpdate();
    }
  }

  /** Removes snapshots {@code from..to} of {@code dbid}, as AWR retention does. */
  public void purgeSnapshots(long dbid, long from, long to) throws SQLException {
    for (String table :
        List.of(
            "SNAPSHOT",
            "SQLSTAT",
            "SYS_TIME_MODEL",
            "SYSSTAT",
            "SYSTEM_EVENT",
            "OSSTAT",
            "SYSMETRIC_SUMMARY",
            "PGASTAT",
            "SGA")) {
      try (PreparedStatement delete =
          db.prepareStatement(
              "DELETE FROM " + p + table + " WHERE DBID = ? AND SNAP_ID BETWEEN ? AND ?")) {
        delete.setLong(1, dbid);
        delete.setLong(2, from);
        delete.setLong(3, to);
        delete.executeUpdate();
      }
    }
  }

  private void snapshot(
      SimulatorConfig.Database database, int instance, int index, long snapId, Instant end)
      throws SQLException {
    InstanceState state =
        instances.computeIfAbsent(database.dbid() + ":" + instance, k -> new InstanceState());
    Instant begin = end.minus(config.interval());
    boolean restart =
        config
            .restart()
            .map(
                r ->
                    r.dbid() == database.dbid()
                        && r.instance() == instance
                        && r.atSnapshot() == index)
            .orElse(false);
    if (state.startup == null || restart) {
      // After a startup the first snapshot's interval begins at the startup time.
      state.startup = index == 0 ? begin.minus(Duration.ofDays(3)) : begin;
      state.counters.clear();
      state.sqlTotals.clear();
      insertInstance(database, instance, state.startup);
    }
    SplittableRandom random =
        new SplittableRandom(
            config.seed()
                ^ (database.dbid() * 0x9E3779B97F4A7C15L)
                ^ ((long) instance << 40)
                ^ index);
    maybeNewPlan(database.dbid(), index, instance, random);

    insert(
        "SNAPSHOT (SNAP_ID, DBID, INSTANCE_NUMBER, STARTUP_TIME, BEGIN_INTERVAL_TIME, END_INTERVAL_TIME, SNAP_LEVEL, ERROR_COUNT, SNAP_FLAG, CON_ID)",
        snapId,
        database.dbid(),
        instance,
        ts(state.startup),
        ts(begin),
        ts(end),
        1,
        0,
        0,
        0);

    double load = load(end);
    List<Activity> activities = activities(database, load, random);
    activities.sort(
        Comparator.comparingLong(Activity::elapsedUs).reversed().thenComparing(Activity::sqlId));
    List<Activity> kept =
        activities.subList(0, Math.min(config.statementsPerSnapshot(), activities.size()));
    writeStatements(database.dbid(), instance, snapId, state, kept);
    writeSystem(database.dbid(), instance, snapId, begin, end, state, activities, load, random);
  }

  private void maybeNewPlan(long dbid, int index, int instance, SplittableRandom random) {
    Map<String, Integer> versions = planVersions.computeIfAbsent(dbid, k -> new HashMap<>());
    if (instance == 1
        && index > 0
        && config.newPlanEvery() > 0
        && index % config.newPlanEvery() == 0) {
      List<SqlShape> planned = SampleApplication.SHAPES.stream().filter(SqlShape::hasPlan).toList();
      SqlShape shape = planned.get(random.nextInt(planned.size()));
      versions.merge(shape.id(), 1, Integer::sum);
    }
  }

  /** Daily cycle: quiet at night, peak mid-afternoon (UTC). */
  private static double load(Instant at) {
    double hour =
        at.atZone(ZoneOffset.UTC).getHour() + at.atZone(ZoneOffset.UTC).getMinute() / 60.0;
    return 0.55 + 0.45 * Math.sin(2 * Math.PI * (hour - 9) / 24);
  }

  private List<Activity> activities(
      SimulatorConfig.Database database, double load, SplittableRandom random) {
    List<Activity> result = new ArrayList<>();
    double minutes = config.interval().toSeconds() / 60.0;
    Map<String, Integer> versions = planVersions.getOrDefault(database.dbid(), Map.of());
    List<SqlShape> shapes = SampleApplication.SHAPES;
    for (int rank = 0; rank < shapes.size(); rank++) {
      SqlShape shape = shapes.get(rank);
      if (!runsNow(shape, random)) {
        continue;
      }
      double weight = 1.0 / Math.pow(rank + 1, 1.1);
      long executions =
          Math.round(
              weight
                  * 600
                  * minutes
                  * load
                  * Math.exp(0.3 * random.nextGaussian())
                  / Math.max(1, shape.medianElapsedMs() / 50));
      if (executions <= 0) {
        executions = 1;
      }
      // A larger top-N needs more literal variants in play to fill it.
      int pool = Math.max(VARIANTS_PER_SHAPE, config.statementsPerSnapshot() / 8);
      int variants =
          shape.hasLiterals()
              ? (int) Math.min(pool, 1 + executions / 20 + config.statementsPerSnapshot() / 10)
              : 1;
      for (int v = 0; v < variants; v++) {
        int variant = shape.hasLiterals() ? zipfVariant(random, pool) : 0;
        long execs = Math.max(1, executions / variants);
        result.add(activity(shape, variant, execs, versions.getOrDefault(shape.id(), 0), random));
      }
    }
    // The same variant can be drawn twice: AWR has one row per sql_id and plan.
    Map<String, Activity> unique = new LinkedHashMap<>();
    result.forEach(a -> unique.merge(a.sqlId() + ":" + a.planHash(), a, AwrSimulator::combine));
    return new ArrayList<>(unique.values());
  }

  private static boolean runsNow(SqlShape shape, SplittableRandom random) {
    String module = shape.module();
    if (module.startsWith("BATCH")) {
      return random.nextDouble() < 0.12;
    }
    if (module.startsWith("RPT.daily") || module.startsWith("RPT.monthly")) {
      return random.nextDouble() < 0.35;
    }
    return true;
  }

  private static int zipfVariant(SplittableRandom random, int pool) {
    // Inverse-CDF of a power law over the variant pool: a few literal values dominate.
    double u = random.nextDouble();
    return (int) Math.min(pool - 1, Math.floor(Math.pow(pool, u) - 1));
  }

  private static Activity combine(Activity a, Activity b) {
    return new Activity(
        a.shape(),
        a.text(),
        a.sqlId(),
        a.planHash(),
        a.signature(),
        a.executions() + b.executions(),
        a.elapsedUs() + b.elapsedUs(),
        a.cpuUs() + b.cpuUs(),
        a.ioWaitUs() + b.ioWaitUs(),
        a.bufferGets() + b.bufferGets(),
        a.diskReads() + b.diskReads(),
        a.rows() + b.rows(),
        a.parseCalls() + b.parseCalls(),
        a.fetches() + b.fetches(),
        a.sorts() + b.sorts());
  }

  private Activity activity(
      SqlShape shape, int variant, long executions, int planVersion, SplittableRandom random) {
    SqlText.Rendered rendered =
        SqlText.render(shape, variant, config.seed(), config.longTextBytes());
    String sqlId = OracleIds.sqlId(rendered.text());
    long planHash = shape.hasPlan() ? OracleIds.planHash(shape.id() + "#" + planVersion) : 0;
    BigDecimal signature =
        shape.hasLiterals()
            ? new BigDecimal(OracleIds.signature(shape.id() + "|" + rendered.inListLength()))
            : BigDecimal.ZERO;
    // Per-execution elapsed time: log-normal around the shape's median; a new plan of a
    // query is slower or faster.
    double perExecMs =
        shape.medianElapsedMs()
            * Math.exp(0.6 * random.nextGaussian())
            * (planVersion % 2 == 1 ? 1.8 : 1.0);
    long elapsed = Math.max(1, Math.round(executions * perExecMs * 1000));
    boolean reporting = shape.module().startsWith("RPT") || shape.module().startsWith("BATCH");
    double ioShare =
        reporting ? 0.25 + 0.3 * random.nextDouble() : 0.02 + 0.15 * random.nextDouble();
    double cpuShare = Math.min(0.97 - ioShare, 0.45 + 0.5 * random.nextDouble());
    long cpu = Math.round(elapsed * cpuShare);
    long io = Math.round(elapsed * ioShare);
    long rows = executions * shape.rowsPerExec();
    long gets =
        Math.round(
            executions * (3 + shape.rowsPerExec() * 4) * (1 + random.nextDouble())
                + elapsed / 200.0);
    long reads = Math.round(gets * ioShare * 0.05);
    boolean query = shape.commandType() == 3;
    String upper = shape.text().toUpperCase(java.util.Locale.ROOT);
    long sorts = upper.contains("ORDER BY") || upper.contains("GROUP BY") ? executions : 0;
    return new Activity(
        shape,
        rendered.text(),
        sqlId,
        planHash,
        signature,
        executions,
        elapsed,
        cpu,
        io,
        gets,
        reads,
        rows,
        Math.max(1, executions / 10),
        query ? executions * Math.max(1, shape.rowsPerExec() / 100) : 0,
        sorts);
  }

  private void writeStatements(
      long dbid, int instance, long snapId, InstanceState state, List<Activity> kept)
      throws SQLException {
    try (PreparedStatement stat =
            db.prepareStatement(
                "INSERT INTO "
                    + p
                    + "SQLSTAT (SNAP_ID, DBID, INSTANCE_NUMBER, SQL_ID, PLAN_HASH_VALUE, OPTIMIZER_COST, MODULE, ACTION,"
                    + " FORCE_MATCHING_SIGNATURE, PARSING_SCHEMA_NAME, FETCHES_TOTAL, FETCHES_DELTA, SORTS_TOTAL, SORTS_DELTA,"
                    + " EXECUTIONS_TOTAL, EXECUTIONS_DELTA, PARSE_CALLS_TOTAL, PARSE_CALLS_DELTA, DISK_READS_TOTAL, DISK_READS_DELTA,"
                    + " BUFFER_GETS_TOTAL, BUFFER_GETS_DELTA, ROWS_PROCESSED_TOTAL, ROWS_PROCESSED_DELTA, CPU_TIME_TOTAL, CPU_TIME_DELTA,"
                    + " ELAPSED_TIME_TOTAL, ELAPSED_TIME_DELTA, IOWAIT_TOTAL, IOWAIT_DELTA, CON_ID)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)");
        PreparedStatement text =
            db.prepareStatement(
                "INSERT INTO "
                    + p
                    + "SQLTEXT (DBID, SQL_ID, SQL_TEXT, COMMAND_TYPE, CON_ID) VALUES (?, ?, ?, ?, 0)")) {
      for (Activity a : kept) {
        long[] deltas = {
          a.fetches(),
          a.sorts(),
          a.executions(),
          a.parseCalls(),
          a.diskReads(),
          a.bufferGets(),
          a.rows(),
          a.cpuUs(),
          a.elapsedUs(),
          a.ioWaitUs()
        };
        long[] totals =
            state.sqlTotals.computeIfAbsent(
                a.sqlId() + ":" + a.planHash(), k -> new long[deltas.length]);
        int i = 1;
        stat.setLong(i++, snapId);
        stat.setLong(i++, dbid);
        stat.setInt(i++, instance);
        stat.setString(i++, a.sqlId());
        stat.setLong(i++, a.planHash());
        stat.setLong(i++, a.shape().hasPlan() ? 10 + a.shape().rowsPerExec() : 0);
        stat.setString(i++, a.shape().module());
        stat.setString(i++, a.shape().id());
        stat.setBigDecimal(i++, a.signature());
        stat.setString(i++, "SHOP");
        for (int d = 0; d < deltas.length; d++) {
          totals[d] += deltas[d];
          stat.setLong(i++, totals[d]);
          stat.setLong(i++, deltas[d]);
        }
        stat.addBatch();
        if (textsWritten.add(dbid + ":" + a.sqlId())) {
          text.setLong(1, dbid);
          text.setString(2, a.sqlId());
          text.setString(3, a.text());
          text.setInt(4, a.shape().commandType());
          text.addBatch();
        }
        if (a.planHash() != 0 && plansWritten.add(dbid + ":" + a.sqlId() + ":" + a.planHash())) {
          PlanSteps.write(
              db, p, dbid, a.sqlId(), a.planHash(), a.shape(), a.text(), a.planHash() % 2 == 0);
        }
      }
      stat.executeBatch();
      text.executeBatch();
    }
  }

  private void writeSystem(
      long dbid,
      int instance,
      long snapId,
      Instant begin,
      Instant end,
      InstanceState state,
      List<Activity> all,
      double load,
      SplittableRandom random)
      throws SQLException {
    double seconds = Duration.between(begin, end).toSeconds();
    long elapsed = all.stream().mapToLong(Activity::elapsedUs).sum();
    long cpu = all.stream().mapToLong(Activity::cpuUs).sum();
    long io = all.stream().mapToLong(Activity::ioWaitUs).sum();
    long gets = all.stream().mapToLong(Activity::bufferGets).sum();
    long reads = all.stream().mapToLong(Activity::diskReads).sum();
    long execs = all.stream().mapToLong(Activity::executions).sum();
    long changes =
        all.stream()
            .filter(a -> a.shape().commandType() != 3)
            .mapToLong(Activity::executions)
            .sum();
    Map<String, Double> c = state.counters;
    double dbTime = elapsed * 1.3 + 4e6 * seconds / 60;
    double dbCpu = cpu * 1.1;
    c.merge("DB time", dbTime, Double::sum);
    c.merge("DB CPU", dbCpu, Double::sum);
    c.merge("db file sequential read", io * 0.7, Double::sum);
    c.merge("db file scattered read", io * 0.3, Double::sum);
    c.merge("log file sync", changes * 800.0, Double::sum);
    c.merge("session logical reads", gets * 1.2, Double::sum);
    c.merge("physical reads", reads * 1.1, Double::sum);
    c.merge("physical writes", changes * 0.4 + reads * 0.05, Double::sum);
    c.merge("execute count", execs * 1.3, Double::sum);
    c.merge("user commits", (double) changes, Double::sum);
    c.merge("redo size", changes * 900.0, Double::sum);
    double cpuPct = Math.min(97, 6 + 100 * dbCpu * 1.15 / (seconds * 1e6 * HOST_CPUS));
    double busy = cpuPct / 100 * seconds * HOST_CPUS * 100;
    c.merge("BUSY_TIME", busy, Double::sum);
    c.merge("IDLE_TIME", seconds * HOST_CPUS * 100 - busy, Double::sum);

    try (PreparedStatement time =
        prepared(
            "SYS_TIME_MODEL (SNAP_ID, DBID, INSTANCE_NUMBER, STAT_ID, STAT_NAME, \"VALUE\", CON_ID)",
            7)) {
      for (String name : List.of("DB time", "DB CPU")) {
        add(
            time,
            snapId,
            dbid,
            instance,
            name.hashCode() & 0xffff,
            name,
            Math.round(c.get(name)),
            0);
      }
      add(
          time,
          snapId,
          dbid,
          instance,
          99,
          "background elapsed time",
          Math.round(seconds * 2e6),
          0);
      time.executeBatch();
    }
    try (PreparedStatement stat =
        prepared(
            "SYSSTAT (SNAP_ID, DBID, INSTANCE_NUMBER, STAT_ID, STAT_NAME, \"VALUE\", CON_ID)", 7)) {
      for (String name :
          List.of(
              "session logical reads",
              "physical reads",
              "physical writes",
              "execute count",
              "user commits",
              "redo size")) {
        add(
            stat,
            snapId,
            dbid,
            instance,
            name.hashCode() & 0xffff,
            name,
            Math.round(c.get(name)),
            0);
      }
      add(
          stat,
          snapId,
          dbid,
          instance,
          3,
          "logons current",
          Math.round(40 + 160 * load + random.nextInt(10)),
          0);
      stat.executeBatch();
    }
    try (PreparedStatement event =
        prepared(
            "SYSTEM_EVENT (SNAP_ID, DBID, INSTANCE_NUMBER, EVENT_ID, EVENT_NAME, WAIT_CLASS_ID, WAIT_CLASS, TOTAL_WAITS, TOTAL_TIMEOUTS, TIME_WAITED_MICRO, CON_ID)",
            11)) {
      // Event, wait class id, wait class, average wait (µs) of the events the simulator models.
      Object[][] events = {
        {"db file sequential read", 1740759767L, "User I/O", 900},
        {"db file scattered read", 1740759767L, "User I/O", 4000},
        {"log file sync", 3386400367L, "Commit", 800}
      };
      for (int e = 0; e < events.length; e++) {
        double waited = c.get((String) events[e][0]);
        add(
            event,
            snapId,
            dbid,
            instance,
            e + 1,
            events[e][0],
            events[e][1],
            events[e][2],
            Math.round(waited / (Integer) events[e][3]),
            0,
            Math.round(waited),
            0);
      }
      event.executeBatch();
    }
    try (PreparedStatement os =
        prepared(
            "OSSTAT (SNAP_ID, DBID, INSTANCE_NUMBER, STAT_ID, STAT_NAME, \"VALUE\", CON_ID)", 7)) {
      add(os, snapId, dbid, instance, 0, "NUM_CPUS", HOST_CPUS, 0);
      add(os, snapId, dbid, instance, 1, "IDLE_TIME", Math.round(c.get("IDLE_TIME")), 0);
      add(os, snapId, dbid, instance, 2, "BUSY_TIME", Math.round(c.get("BUSY_TIME")), 0);
      os.executeBatch();
    }
    try (PreparedStatement metric =
        prepared(
            "SYSMETRIC_SUMMARY (SNAP_ID, DBID, INSTANCE_NUMBER, BEGIN_TIME, END_TIME, INTSIZE, GROUP_ID, METRIC_ID, METRIC_NAME, METRIC_UNIT, NUM_INTERVAL, MINVAL, MAXVAL, AVERAGE, STANDARD_DEVIATION, CON_ID)",
            16)) {
      add(
          metric,
          snapId,
          dbid,
          instance,
          ts(begin),
          ts(end),
          Math.round(seconds * 100),
          2,
          2057,
          "Host CPU Utilization (%)",
          "% Busy/(Idle+Busy)",
          Math.round(seconds / 60),
          Math.max(0, cpuPct - 10),
          Math.min(100, cpuPct + 10),
          cpuPct,
          4.2,
          0);
      metric.executeBatch();
    }
    try (PreparedStatement pga =
        prepared("PGASTAT (SNAP_ID, DBID, INSTANCE_NUMBER, NAME, \"VALUE\", CON_ID)", 6)) {
      add(pga, snapId, dbid, instance, "total PGA allocated", Math.round(1.2e9 + 8e8 * load), 0);
      add(pga, snapId, dbid, instance, "aggregate PGA target parameter", 4_294_967_296L, 0);
      pga.executeBatch();
    }
    try (PreparedStatement sga =
        prepared("SGA (SNAP_ID, DBID, INSTANCE_NUMBER, NAME, \"VALUE\", CON_ID)", 6)) {
      add(sga, snapId, dbid, instance, "Fixed Size", 8_904_704L, 0);
      add(sga, snapId, dbid, instance, "Variable Size", 1_610_612_736L, 0);
      add(sga, snapId, dbid, instance, "Database Buffers", 6_442_450_944L, 0);
      add(sga, snapId, dbid, instance, "Redo Buffers", 7_634_944L, 0);
      sga.executeBatch();
    }
  }

  private void insertInstance(SimulatorConfig.Database database, int instance, Instant startup)
      throws SQLException {
    insert(
        "DATABASE_INSTANCE (DBID, INSTANCE_NUMBER, STARTUP_TIME, PARALLEL, VERSION, DB_NAME, INSTANCE_NAME, HOST_NAME, PLATFORM_NAME, CON_ID)",
        database.dbid(),
        instance,
        ts(startup),
        database.instances() > 1 ? "YES" : "NO",
        "19.0.0.0.0",
        database.name(),
        database.name().toLowerCase(java.util.Locale.ROOT) + instance,
        "db" + instance + "." + database.name().toLowerCase(java.util.Locale.ROOT) + ".example",
        "Linux x86 64-bit",
        0);
  }

  private PreparedStatement prepared(String tableAndColumns, int columns) throws SQLException {
    return db.prepareStatement(
        "INSERT INTO " + p + tableAndColumns + " VALUES (" + "?, ".repeat(columns - 1) + "?)");
  }

  private void insert(String tableAndColumns, Object... values) throws SQLException {
    try (PreparedStatement statement = prepared(tableAndColumns, values.length)) {
      add(statement, values);
      statement.executeBatch();
    }
  }

  private static void add(PreparedStatement statement, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      statement.setObject(i + 1, values[i]);
    }
    statement.addBatch();
  }

  /** AWR times are the database server's local time; the simulated servers run on UTC. */
  private static LocalDateTime ts(Instant instant) {
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /** Drops every table, for a fresh start of the same deterministic history. */
  public static void dropAll(Connection db) throws SQLException {
    try (Statement statement = db.createStatement()) {
      statement.execute("DROP ALL OBJECTS");
    }
  }
}
