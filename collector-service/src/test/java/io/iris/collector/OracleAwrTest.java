package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.collector.AwrRows.InstanceKey;
import io.iris.collector.AwrRows.Snapshot;
import io.iris.schemas.avro.SqlStat;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The collector's queries against a real Oracle database, when one is configured:
 * IRIS_ORACLE_TEST_URL (e.g. {@code jdbc:oracle:thin:@//127.0.0.1:1521/FREEPDB1}),
 * IRIS_ORACLE_TEST_USER, IRIS_ORACLE_TEST_PASSWORD, and optionally IRIS_ORACLE_TEST_VIEW_PREFIX.
 * Without them the tests are reported as skipped.
 */
@EnabledIfEnvironmentVariable(
    named = "IRIS_ORACLE_TEST_URL",
    matches = ".+",
    disabledReason = "no Oracle: set IRIS_ORACLE_TEST_URL to run the AWR queries against one")
class OracleAwrTest {

  private static Source source() {
    return new Source(
        "oracle-test",
        System.getenv("IRIS_ORACLE_TEST_URL"),
        Optional.ofNullable(System.getenv("IRIS_ORACLE_TEST_USER")),
        Optional.ofNullable(System.getenv("IRIS_ORACLE_TEST_PASSWORD")),
        Optional.ofNullable(System.getenv("IRIS_ORACLE_TEST_VIEW_PREFIX")).orElse("DBA_HIST_"),
        ZoneId.systemDefault());
  }

  @Test
  void theCollectorsQueriesRunOnOracleAndGiveWhatTheSimulatorGives() throws Exception {
    Source source = source();
    try (Connection connection =
        DriverManager.getConnection(
            source.jdbcUrl(), source.user().orElse(null), source.password().orElse(null))) {
      AwrReader reader = new AwrReader(connection, source, 120);
      reader.checkAccess();
      List<InstanceKey> instances = reader.instances();
      assertFalse(instances.isEmpty(), "AWR holds snapshots");
      InstanceKey key = instances.get(0);
      long latest = reader.latestSnapId(key);
      List<Snapshot> rows = reader.snapshotsAfter(key, latest - 2, 10);
      assertFalse(rows.isEmpty());
      Snapshot row = rows.get(rows.size() - 1);
      assertTrue(row.begin().isBefore(row.end()));
      assertTrue(reader.counters(key, row.snapId()).cumulative("DB time").isPresent());
      for (SqlStat stat : reader.sqlStats(key, row.snapId())) {
        assertTrue(stat.getSqlId().matches("[0-9a-z]{13}"), stat.getSqlId());
        if (stat.getPlanHashValue() != 0) {
          reader.plan(key.dbid(), stat.getSqlId(), stat.getPlanHashValue());
        }
      }
      SnapshotAssembler.Collected collected =
          new SnapshotAssembler(reader, source).assemble(key, row, k -> false, Instant.now());
      assertTrue(
          collected.snapshot().getSystem().getDbTimeUs() == null
              || collected.snapshot().getSystem().getDbTimeUs() >= 0);
    }
  }
}
