package io.iris.simulator;

import java.util.List;

/**
 * One statement of the sample application, as its developers wrote it. In {@code text}, {@code #n}
 * (an integer), {@code #f} (a decimal), {@code #s} (a string), {@code #d} (a DATE literal) and
 * {@code #in} (an IN-list of 1 to 20 integers) are literals that vary between executions, so one
 * shape shows up in AWR under many sql_ids; binds ({@code :1}, {@code :name}) do not.
 *
 * @param id stable identifier of the shape
 * @param module the application module (DBA_HIST_SQLSTAT.MODULE)
 * @param commandType Oracle command type (3 SELECT, 2 INSERT, 6 UPDATE, 7 DELETE, 189 MERGE, 47
 *     PL/SQL, 170 CALL, 9/11/85 DDL)
 * @param medianElapsedMs median elapsed time per execution, milliseconds
 * @param rowsPerExec rows returned or changed per execution
 * @param tables tables the statement touches (plan steps name them)
 * @param text the statement text with literal markers
 */
public record SqlShape(
    String id,
    String module,
    int commandType,
    double medianElapsedMs,
    int rowsPerExec,
    List<String> tables,
    String text) {

  /** Whether executions differ in their literals (and so in sql_id). */
  public boolean hasLiterals() {
    return text.contains("#");
  }

  /** Whether the statement has an execution plan (PL/SQL blocks and DDL do not). */
  public boolean hasPlan() {
    return commandType == 2
        || commandType == 3
        || commandType == 6
        || commandType == 7
        || commandType == 189;
  }
}
