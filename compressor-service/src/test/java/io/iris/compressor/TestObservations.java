package io.iris.compressor;

import io.iris.schemas.avro.ColumnUsage;
import io.iris.schemas.avro.IndexableColumn;
import io.iris.schemas.avro.ParseMode;
import io.iris.schemas.avro.PredicateCounts;
import io.iris.schemas.avro.QueryShape;
import io.iris.schemas.avro.SnapshotRef;
import io.iris.schemas.avro.StatementStats;
import io.iris.schemas.avro.StatementType;
import io.iris.schemas.avro.TemplateObservation;
import java.time.Instant;
import java.util.List;

/** Observations as the parser publishes them, built for compressor tests. */
final class TestObservations {
  private TestObservations() {}

  static TemplateObservation of(
      long dbid,
      long snapId,
      Instant end,
      int index,
      int count,
      String id,
      String table,
      long elapsed) {
    return TemplateObservation.newBuilder()
        .setTemplateId(id)
        .setTemplateText("SELECT * FROM " + table + " WHERE C = ?")
        .setStatementType(StatementType.SELECT)
        .setParseMode(ParseMode.FULL)
        .setSnapshot(
            SnapshotRef.newBuilder()
                .setSource("db")
                .setDbid(dbid)
                .setInstanceNumber(1)
                .setSnapId(snapId)
                .setEndIntervalTime(end)
                .build())
        .setStatementIndex(index)
        .setStatementsInSnapshot(count)
        .setSqlId("abcdefghijklm")
        .setPlanHashValue(1)
        .setStats(StatementStats.newBuilder().setElapsedTimeUs(elapsed).setExecutions(1L).build())
        .setShape(
            QueryShape.newBuilder()
                .setTables(List.of(table))
                .setJoins(0)
                .setSubqueries(0)
                .setMaxSubqueryDepth(0)
                .setPredicates(PredicateCounts.newBuilder().setEquality(1).build())
                .setAggregates(0)
                .setWindowFunctions(0)
                .setSetOperations(0)
                .setDistinct(false)
                .setGroupBy(false)
                .setOrderBy(false)
                .setRowLimit(false)
                .setHints(List.of())
                .setTextLength(30)
                .build())
        .setIndexableColumns(
            List.of(
                IndexableColumn.newBuilder()
                    .setTable(table)
                    .setColumn("C")
                    .setUsage(ColumnUsage.FILTER_EQ)
                    .build()))
        .build();
  }
}
