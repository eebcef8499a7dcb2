package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped Oracle scripts (docs/oracle/) and the code agree: the table has the name and the key
 * columns the trigger reads, the PostgreSQL stand-in of the tests has the same columns, and the
 * uninstall script removes everything the install script makes.
 */
class SnapshotLogScriptsTest {
  private static final Path DIR = Path.of("..", "docs", "oracle");

  @Test
  void theInstalledTableIsTheOneTheTriggerReadsAndTheTestsStandInFor() throws Exception {
    String install = Files.readString(DIR.resolve("iris-awr-snapshot-log.sql"));
    Matcher table =
        Pattern.compile("CREATE TABLE (\\w+) \\((.*?)\\n\\s*\\)\\]", Pattern.DOTALL)
            .matcher(install);
    assertTrue(table.find(), "no CREATE TABLE in the install script");
    assertEquals(OracleLogCapture.TABLE, table.group(1).toUpperCase(Locale.ROOT));
    Set<String> columns = columns(table.group(2));
    assertEquals(
        Set.of("DBID", "INSTANCE_NUMBER", "SNAP_ID", "END_INTERVAL_TIME", "LOGGED_AT"), columns);
    assertTrue(
        install.contains("ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS"),
        "LogMiner needs the table's supplemental logging");
    // The stand-in table has the columns the job fills.
    String standIn =
        Files.readString(Path.of("src/test/java/io/iris/collector/PostgresSnapshotLog.java"));
    for (String column : Set.of("dbid", "instance_number", "snap_id", "end_interval_time")) {
      assertTrue(standIn.contains(column + " "), column + " missing from the PostgreSQL stand-in");
    }
  }

  @Test
  void uninstallRemovesWhatInstallMakesAndBothRunAgainSafely() throws Exception {
    String install = Files.readString(DIR.resolve("iris-awr-snapshot-log.sql"));
    String uninstall = Files.readString(DIR.resolve("iris-awr-snapshot-log-uninstall.sql"));
    assertTrue(install.contains("CREATE OR REPLACE PROCEDURE iris_log_awr_snapshots"));
    assertTrue(install.contains("job_name        => 'IRIS_AWR_SNAPSHOT_LOG_JOB'"));
    assertTrue(uninstall.contains("DROP_JOB(job_name => 'IRIS_AWR_SNAPSHOT_LOG_JOB'"));
    assertTrue(uninstall.contains("DROP PROCEDURE iris_log_awr_snapshots"));
    assertTrue(uninstall.contains("DROP TABLE iris_awr_snapshot_log PURGE"));
    // Each object that may or may not exist is handled by its Oracle error: -955 (name in use),
    // -32588 (supplemental logging exists), -27475 (no such job), -4043, -942 (no such object).
    for (String code : new String[] {"-955", "-32588", "-27475"}) {
      assertTrue(install.contains("EXCEPTION_INIT(") && install.contains(code + ")"), code);
    }
    for (String code : new String[] {"-27475", "-4043", "-942"}) {
      assertTrue(uninstall.contains(code + ")"), code);
    }
  }

  private static Set<String> columns(String body) {
    Set<String> columns = new LinkedHashSet<>();
    for (String line : body.split("\n")) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("CONSTRAINT")) {
        columns.add(trimmed.split("\\s+")[0].toUpperCase(Locale.ROOT));
      }
    }
    return columns;
  }
}
