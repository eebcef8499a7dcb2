package io.iris.collector;

import io.iris.platform.ConfigurationException;
import io.iris.platform.IrisConfig;
import io.iris.platform.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The collector's settings: which databases, how often, from where to start.
 *
 * @param sources the databases to read
 * @param pollInterval how often each database is asked for new snapshots
 * @param start where to begin for an instance without a checkpoint
 * @param queryTimeoutSeconds limit of one AWR query
 * @param maxBackoff longest wait between retries of an unreachable database
 * @param trigger what makes the collector look for new snapshots besides polling
 * @param safetyPollInterval how often each database is polled while a trigger announces snapshots
 * @param captures per source name, how Debezium reads its snapshot log ({@link Trigger#DEBEZIUM})
 */
public record CollectorSettings(
    List<Source> sources,
    Duration pollInterval,
    StartPosition start,
    int queryTimeoutSeconds,
    Duration maxBackoff,
    Trigger trigger,
    Duration safetyPollInterval,
    Map<String, OracleLogCapture> captures) {

  public static final Setting SOURCES =
      Setting.of(
          "IRIS_COLLECTOR_SOURCES",
          "sim",
          "Comma-separated names of the Oracle databases to collect from; each is configured by"
              + " IRIS_COLLECTOR_SOURCE_<NAME>_URL, _USER, _PASSWORD or _PASSWORD_FILE, _VIEW_PREFIX,"
              + " _TIMEZONE. The source named sim defaults to the AWR simulator of ./iris up.");
  public static final Setting POLL_SECONDS =
      Setting.of(
          "IRIS_COLLECTOR_POLL_SECONDS",
          "60",
          "How often each database is asked for new AWR snapshots, seconds.");
  public static final Setting START =
      Setting.of(
          "IRIS_COLLECTOR_START",
          "latest",
          "Where an instance without a checkpoint starts: latest (the newest snapshot only),"
              + " earliest (all AWR holds), days:N (N days before the newest snapshot), snap:ID.");
  public static final Setting QUERY_TIMEOUT_SECONDS =
      Setting.of("IRIS_COLLECTOR_QUERY_TIMEOUT_SECONDS", "120", "Limit of one AWR query, seconds.");
  public static final Setting MAX_BACKOFF_SECONDS =
      Setting.of(
          "IRIS_COLLECTOR_MAX_BACKOFF_SECONDS",
          "300",
          "Longest wait between retries of a database that cannot be reached (exponential backoff"
              + " with jitter from 1 s), seconds.");

  public static final Setting TRIGGER =
      Setting.of(
          "IRIS_COLLECTOR_TRIGGER",
          "poll",
          "How the collector learns of a new AWR snapshot: poll (it asks every"
              + " IRIS_COLLECTOR_POLL_SECONDS) or debezium (Debezium's Oracle connector captures the"
              + " row a scheduler job inserts into IRIS_AWR_SNAPSHOT_LOG for each new snapshot, see"
              + " docs/oracle/; polling goes on every IRIS_COLLECTOR_SAFETY_POLL_SECONDS). debezium"
              + " reads IRIS_COLLECTOR_SOURCE_<NAME>_DEBEZIUM_DBNAME (required), _DEBEZIUM_PDB,"
              + " _DEBEZIUM_URL, _DEBEZIUM_USER, _DEBEZIUM_PASSWORD or _DEBEZIUM_PASSWORD_FILE,"
              + " _DEBEZIUM_TABLE and _DEBEZIUM_PROPERTIES_FILE.");
  public static final Setting SAFETY_POLL_SECONDS =
      Setting.of(
          "IRIS_COLLECTOR_SAFETY_POLL_SECONDS",
          "900",
          "With IRIS_COLLECTOR_TRIGGER=debezium: how often each database is still polled, so that"
              + " a missed change event delays a snapshot, never loses it, seconds.");

  /** The simulator's address when {@code ./iris up} runs it. */
  public static final String SIMULATOR_URL = "jdbc:h2:tcp://127.0.0.1:9101/mem:awr;MODE=Oracle";

  private static final Set<String> PREFIXES = Set.of("DBA_HIST_", "CDB_HIST_", "AWR_PDB_");

  public static List<Setting> all() {
    return List.of(
        SOURCES,
        POLL_SECONDS,
        START,
        QUERY_TIMEOUT_SECONDS,
        MAX_BACKOFF_SECONDS,
        TRIGGER,
        SAFETY_POLL_SECONDS);
  }

  /** How often each database is polled: less often when a trigger announces new snapshots. */
  public Duration pollDue() {
    return trigger == Trigger.POLL ? pollInterval : safetyPollInterval;
  }

  /** How the collector learns of new snapshots besides its poll (IRIS_COLLECTOR_TRIGGER). */
  public enum Trigger {
    /** Polling alone. */
    POLL,
    /** Debezium captures the snapshot log; polling becomes the safety net. */
    DEBEZIUM;

    static Trigger parse(String value) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "poll" -> POLL;
        case "debezium" -> DEBEZIUM;
        default ->
            throw new ConfigurationException(
                TRIGGER.name() + "=" + value + ": use poll or debezium");
      };
    }
  }

  /** Reads and checks the settings; a wrong one fails with what to set. */
  public static CollectorSettings from(IrisConfig config) {
    List<Source> sources = new ArrayList<>();
    for (String raw : config.get(SOURCES).split(",", -1)) {
      String name = raw.trim();
      if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
        throw new ConfigurationException(
            "IRIS_COLLECTOR_SOURCES: '"
                + name
                + "' is not a source name (letters, digits, _; starting with a letter)");
      }
      sources.add(source(config, name));
    }
    Trigger trigger = Trigger.parse(config.get(TRIGGER));
    Map<String, OracleLogCapture> captures = new LinkedHashMap<>();
    if (trigger == Trigger.DEBEZIUM) {
      for (Source source : sources) {
        captures.put(source.name(), capture(config, source));
      }
    }
    return new CollectorSettings(
        List.copyOf(sources),
        Duration.ofSeconds(config.integer(POLL_SECONDS, 1, 86_400)),
        StartPosition.parse(config.get(START)),
        config.integer(QUERY_TIMEOUT_SECONDS, 1, 3_600),
        Duration.ofSeconds(config.integer(MAX_BACKOFF_SECONDS, 1, 86_400)),
        trigger,
        Duration.ofSeconds(config.integer(SAFETY_POLL_SECONDS, 1, 86_400)),
        Map.copyOf(captures));
  }

  private static String prefix(String name) {
    return "IRIS_COLLECTOR_SOURCE_" + name.toUpperCase(Locale.ROOT) + "_";
  }

  /** IRIS_COLLECTOR_SOURCE_<NAME>_DEBEZIUM_*: by default the source's own URL and account. */
  private static OracleLogCapture capture(IrisConfig config, Source source) {
    String prefix = prefix(source.name()) + "DEBEZIUM_";
    if (!source.jdbcUrl().startsWith("jdbc:oracle:")) {
      throw new ConfigurationException(
          TRIGGER.name()
              + "=debezium captures Oracle's redo log, and source "
              + source.name()
              + " is not Oracle ("
              + prefix(source.name())
              + "URL): use IRIS_COLLECTOR_TRIGGER=poll");
    }
    String url =
        config.get(
            Setting.of(
                prefix + "URL",
                source.jdbcUrl(),
                "JDBC URL Debezium reads source " + source.name() + " with"));
    Optional<String> debeziumUser =
        config.optional(
            Setting.optional(prefix + "USER", "LogMiner account of source " + source.name()));
    Optional<String> password = password(config, prefix, source.name());
    if (debeziumUser.isEmpty()) {
      password = password.or(source::password);
    }
    String user =
        debeziumUser
            .or(source::user)
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        prefix
                            + "USER is not set, nor is "
                            + prefix(source.name())
                            + "USER: the account Debezium connects as"));
    String dbname =
        config
            .optional(
                Setting.optional(
                    prefix + "DBNAME", "database (CDB) name of source " + source.name()))
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        prefix
                            + "DBNAME is not set: the name of the database (the CDB's, e.g."
                            + " ORCLCDB, in a multitenant database) whose redo log Debezium reads"
                            + " for source "
                            + source.name()));
    Optional<String> pdb =
        config.optional(
            Setting.optional(prefix + "PDB", "pluggable database of source " + source.name()));
    // The table is in the schema of the account that ran the install script: the source's.
    String table =
        config
            .optional(
                Setting.optional(prefix + "TABLE", "snapshot log table of source " + source.name()))
            .orElse(
                source.user().orElse(user).toUpperCase(Locale.ROOT) + "." + OracleLogCapture.TABLE);
    if (!table.matches("[A-Za-z][A-Za-z0-9_#]*\\.[A-Za-z][A-Za-z0-9_#]*")) {
      throw new ConfigurationException(
          prefix + "TABLE=" + table + ": use SCHEMA.TABLE, e.g. IRIS." + OracleLogCapture.TABLE);
    }
    Map<String, String> extra = new TreeMap<>();
    Optional<String> file =
        config.optional(
            Setting.optional(
                prefix + "PROPERTIES_FILE",
                "further Debezium connector settings of source " + source.name()));
    if (file.isPresent()) {
      Properties loaded = new Properties();
      try (var in = Files.newBufferedReader(Path.of(file.get()))) {
        loaded.load(in);
      } catch (IOException e) {
        throw new ConfigurationException(
            prefix + "PROPERTIES_FILE=" + file.get() + " cannot be read: " + e.getMessage());
      }
      loaded.stringPropertyNames().forEach(k -> extra.put(k, loaded.getProperty(k)));
    }
    return new OracleLogCapture(url, user, password, dbname, pdb, table, Map.copyOf(extra));
  }

  /** _PASSWORD, else the contents of _PASSWORD_FILE, of a settings prefix. */
  private static Optional<String> password(IrisConfig config, String prefix, String name) {
    Optional<String> password =
        config.optional(Setting.secret(prefix + "PASSWORD", "password of source " + name));
    Optional<String> passwordFile =
        config.optional(
            Setting.optional(
                prefix + "PASSWORD_FILE", "file holding the password of source " + name));
    if (password.isEmpty() && passwordFile.isPresent()) {
      try {
        password = Optional.of(Files.readString(Path.of(passwordFile.get())).strip());
      } catch (IOException e) {
        throw new ConfigurationException(
            prefix + "PASSWORD_FILE=" + passwordFile.get() + " cannot be read: " + e.getMessage());
      }
    }
    return password;
  }

  private static Source source(IrisConfig config, String name) {
    String prefix = prefix(name);
    Setting url =
        name.equals("sim")
            ? Setting.of(prefix + "URL", SIMULATOR_URL, "JDBC URL of source " + name)
            : Setting.optional(
                prefix + "URL",
                "JDBC URL of source " + name + ", e.g. jdbc:oracle:thin:@//db1:1521/ORCLPDB1");
    Optional<String> user =
        config.optional(
            name.equals("sim")
                ? Setting.of(prefix + "USER", "sa", "user of the simulator")
                : Setting.optional(prefix + "USER", "user of source " + name));
    Optional<String> password = password(config, prefix, name);
    String viewPrefix =
        config
            .get(Setting.of(prefix + "VIEW_PREFIX", "DBA_HIST_", "view prefix of source " + name))
            .toUpperCase(Locale.ROOT);
    if (!PREFIXES.contains(viewPrefix)) {
      throw new ConfigurationException(
          prefix
              + "VIEW_PREFIX="
              + viewPrefix
              + ": use DBA_HIST_, CDB_HIST_ (CDB root) or AWR_PDB_ (a PDB)");
    }
    String zone = config.get(Setting.of(prefix + "TIMEZONE", "UTC", "time zone of source " + name));
    ZoneId zoneId;
    try {
      zoneId = ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new ConfigurationException(
          prefix + "TIMEZONE=" + zone + " is not a time zone (e.g. UTC, Europe/Berlin)");
    }
    String jdbcUrl = config.get(url);
    if (!jdbcUrl.startsWith("jdbc:oracle:") && !jdbcUrl.startsWith("jdbc:h2:")) {
      throw new ConfigurationException(
          prefix + "URL must be an Oracle (jdbc:oracle:thin:@...) or H2 JDBC URL");
    }
    return new Source(name, jdbcUrl, user, password, viewPrefix, zoneId);
  }

  /** Where collection starts for an instance the collector has never collected from. */
  public sealed interface StartPosition {
    /** Only the newest snapshot. */
    record Latest() implements StartPosition {}

    /** Everything AWR still holds. */
    record Earliest() implements StartPosition {}

    /** Snapshots ending in the last {@code days} days before the newest one. */
    record DaysBack(int days) implements StartPosition {}

    /** From snapshot {@code snapId} on. */
    record FromSnap(long snapId) implements StartPosition {}

    static StartPosition parse(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.equals("latest")) {
          return new Latest();
        } else if (v.equals("earliest")) {
          return new Earliest();
        } else if (v.startsWith("days:")) {
          return new DaysBack(Integer.parseInt(v.substring(5)));
        } else if (v.startsWith("snap:")) {
          return new FromSnap(Long.parseLong(v.substring(5)));
        }
      } catch (NumberFormatException e) {
        // Falls through to the message below.
      }
      throw new ConfigurationException(
          "IRIS_COLLECTOR_START=" + value + ": use latest, earliest, days:N or snap:ID");
    }
  }
}
