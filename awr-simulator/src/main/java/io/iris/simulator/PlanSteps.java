package io.iris.simulator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a plausible execution plan for a statement into DBA_HIST_SQL_PLAN. */
final class PlanSteps {
  private PlanSteps() {}

  private record Step(
      int id,
      Integer parent,
      int depth,
      String operation,
      String options,
      String object,
      String type,
      long cost,
      long rows,
      String access,
      String filter) {}

  /**
   * The plan: the statement's root operation, a join when it reads several tables, and per table an
   * index access ({@code indexed}) or a full scan, the choice that flips when the optimizer picks a
   * new plan.
   */
  static void write(
      Connection db,
      String prefix,
      long dbid,
      String sqlId,
      long planHash,
      SqlShape shape,
      String text,
      boolean indexed)
      throws SQLException {
    List<Step> steps = new ArrayList<>();
    String root =
        switch (shape.commandType()) {
          case 2 -> "INSERT STATEMENT";
          case 6 -> "UPDATE STATEMENT";
          case 7 -> "DELETE STATEMENT";
          case 189 -> "MERGE STATEMENT";
          default -> "SELECT STATEMENT";
        };
    long rows = Math.max(1, shape.rowsPerExec());
    long cost = Math.max(2, Math.round(shape.medianElapsedMs() * 3));
    steps.add(new Step(0, null, 0, root, null, null, null, cost, rows, null, null));
    String upper = text.toUpperCase(Locale.ROOT);
    int parent = 0;
    int depth = 1;
    if (upper.contains("ORDER BY")) {
      steps.add(
          new Step(
              steps.size(), parent, depth, "SORT", "ORDER BY", null, null, cost, rows, null, null));
      parent = steps.size() - 1;
      depth++;
    } else if (upper.contains("GROUP BY")) {
      steps.add(
          new Step(
              steps.size(), parent, depth, "HASH", "GROUP BY", null, null, cost, rows, null, null));
      parent = steps.size() - 1;
      depth++;
    }
    if (shape.tables().size() > 1) {
      steps.add(
          new Step(
              steps.size(),
              parent,
              depth,
              indexed ? "NESTED LOOPS" : "HASH JOIN",
              null,
              null,
              null,
              cost,
              rows,
              null,
              null));
      parent = steps.size() - 1;
      depth++;
    }
    for (String table : shape.tables()) {
      String predicate = firstPredicate(text);
      if (indexed) {
        steps.add(
            new Step(
                steps.size(),
                parent,
                depth,
                "TABLE ACCESS",
                "BY INDEX ROWID",
                table,
                "TABLE",
                cost / 2,
                rows,
                null,
                null));
        int tableStep = steps.size() - 1;
        steps.add(
            new Step(
                steps.size(),
                tableStep,
                depth + 1,
                "INDEX",
                "RANGE SCAN",
                table + "_IX1",
                "INDEX",
                Math.max(1, cost / 4),
                rows,
                predicate,
                null));
      } else {
        steps.add(
            new Step(
                steps.size(),
                parent,
                depth,
                "TABLE ACCESS",
                "FULL",
                table,
                "TABLE",
                cost,
                rows * 20,
                null,
                predicate));
      }
    }
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO "
                + prefix
                + "SQL_PLAN (DBID, SQL_ID, PLAN_HASH_VALUE, ID, OPERATION, OPTIONS, OBJECT_OWNER, OBJECT_NAME, OBJECT_TYPE,"
                + " PARENT_ID, DEPTH, POSITION, COST, CARDINALITY, BYTES, CPU_COST, IO_COST, ACCESS_PREDICATES, FILTER_PREDICATES, \"TIMESTAMP\", CON_ID)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, 0)")) {
      for (Step step : steps) {
        int i = 1;
        insert.setLong(i++, dbid);
        insert.setString(i++, sqlId);
        insert.setLong(i++, planHash);
        insert.setInt(i++, step.id());
        insert.setString(i++, step.operation());
        insert.setString(i++, step.options());
        insert.setString(i++, step.object() == null ? null : "SHOP");
        insert.setString(i++, step.object());
        insert.setString(i++, step.type());
        insert.setObject(i++, step.parent());
        insert.setInt(i++, step.depth());
        insert.setInt(i++, 1);
        insert.setLong(i++, step.cost());
        insert.setLong(i++, step.rows());
        insert.setLong(i++, step.rows() * 60);
        insert.setLong(i++, step.cost() * 7_000);
        insert.setLong(i++, Math.max(1, step.cost() - 1));
        insert.setString(i++, step.access());
        insert.setString(i++, step.filter());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** The first comparison of the WHERE clause, raw with its literal, as Oracle shows it. */
  private static String firstPredicate(String text) {
    int where = text.toUpperCase(Locale.ROOT).indexOf(" WHERE ");
    if (where < 0) {
      return null;
    }
    String rest = text.substring(where + 7);
    int end = rest.toUpperCase(Locale.ROOT).indexOf(" AND ");
    String predicate = end > 0 ? rest.substring(0, end) : rest;
    return predicate.length() > 200 ? predicate.substring(0, 200) : predicate;
  }
}
