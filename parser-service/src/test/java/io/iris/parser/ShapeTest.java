package io.iris.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iris.schemas.avro.ColumnUsage;
import io.iris.schemas.avro.IndexableColumn;
import io.iris.schemas.avro.ParseMode;
import io.iris.schemas.avro.StatementType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ShapeTest {
  private static final StatementParser PARSER = new StatementParser(Duration.ofSeconds(2), 2);

  @AfterAll
  static void close() {
    PARSER.close();
  }

  private static StatementShape shape(String sql) {
    SqlTemplate template = SqlTemplater.template(sql);
    return PARSER.shape(template, template.text().length());
  }

  private static IndexableColumn col(String table, String column, ColumnUsage usage) {
    return IndexableColumn.newBuilder().setTable(table).setColumn(column).setUsage(usage).build();
  }

  @Test
  void aJoinWithFiltersGroupingAndOrdering() {
    StatementShape s =
        shape(
            "SELECT c.country, COUNT(*), SUM(o.total) FROM shop.orders o JOIN customers c ON c.customer_id = o.customer_id"
                + " WHERE o.created_at >= DATE '2026-01-01' AND o.status IN ('NEW', 'PAID') AND c.email LIKE '%x%' AND o.note IS NULL"
                + " GROUP BY c.country ORDER BY c.country");
    assertEquals(StatementType.SELECT, s.type());
    assertEquals(ParseMode.FULL, s.mode());
    assertEquals(List.of("CUSTOMERS", "SHOP.ORDERS"), s.shape().getTables());
    assertEquals(1, s.shape().getJoins());
    assertEquals(2, s.shape().getAggregates());
    assertTrue(s.shape().getGroupBy());
    assertTrue(s.shape().getOrderBy());
    assertEquals(1, s.shape().getPredicates().getEquality());
    assertEquals(1, s.shape().getPredicates().getRange());
    assertEquals(1, s.shape().getPredicates().getInList());
    assertEquals(1, s.shape().getPredicates().getLike());
    assertEquals(1, s.shape().getPredicates().getIsNull());
    assertTrue(
        s.indexableColumns()
            .containsAll(
                List.of(
                    col("CUSTOMERS", "CUSTOMER_ID", ColumnUsage.JOIN),
                        col("SHOP.ORDERS", "CUSTOMER_ID", ColumnUsage.JOIN),
                    col("SHOP.ORDERS", "CREATED_AT", ColumnUsage.FILTER_RANGE),
                        col("SHOP.ORDERS", "STATUS", ColumnUsage.FILTER_IN),
                    col("CUSTOMERS", "EMAIL", ColumnUsage.FILTER_LIKE),
                        col("SHOP.ORDERS", "NOTE", ColumnUsage.FILTER_NULL),
                    col("CUSTOMERS", "COUNTRY", ColumnUsage.GROUP_BY),
                        col("CUSTOMERS", "COUNTRY", ColumnUsage.ORDER_BY))),
        s.indexableColumns().toString());
  }

  @Test
  void subqueriesWindowsSetOperationsHintsAndRowLimits() {
    StatementShape s =
        shape(
            "SELECT /*+ INDEX(p prod_ix) */ * FROM (SELECT p.product_id, RANK() OVER (ORDER BY p.price DESC) r FROM products p"
                + " WHERE p.category_id = :1) WHERE ROWNUM <= 10 UNION SELECT product_id, 0 FROM archive WHERE product_id IN (SELECT id FROM x)");
    assertEquals(2, s.shape().getSubqueries());
    assertEquals(1, s.shape().getMaxSubqueryDepth());
    assertEquals(1, s.shape().getWindowFunctions());
    assertEquals(0, s.shape().getAggregates(), "RANK() OVER is a window, not an aggregate");
    assertEquals(1, s.shape().getSetOperations());
    assertTrue(s.shape().getRowLimit());
    assertEquals(List.of("INDEX"), s.shape().getHints());
    assertTrue(
        s.indexableColumns().contains(col("PRODUCTS", "CATEGORY_ID", ColumnUsage.FILTER_EQ)));
    assertTrue(shape("SELECT a FROM t ORDER BY a FETCH FIRST 5 ROWS ONLY").shape().getRowLimit());
  }

  @Test
  void cteNamesAreNotTables() {
    StatementShape s =
        shape(
            "WITH recent AS (SELECT customer_id, MAX(created_at) last_order FROM orders GROUP BY customer_id)"
                + " SELECT c.name FROM customers c JOIN recent r ON r.customer_id = c.customer_id");
    assertEquals(List.of("CUSTOMERS", "ORDERS"), s.shape().getTables());
  }

  @Test
  void plsqlCallsAreLexicalWithTheirProcedure() {
    StatementShape s = shape("BEGIN order_pkg.place_order(:1, :2, :3); END;");
    assertEquals(StatementType.PLSQL, s.type());
    assertEquals("ORDER_PKG.PLACE_ORDER", s.shape().getCalledProcedure());
    assertEquals(
        "INVENTORY_PKG.REBALANCE",
        shape("CALL inventory_pkg.rebalance(:1, :2)").shape().getCalledProcedure());
    assertNull(shape("SELECT 1 FROM dual").shape().getCalledProcedure());
  }

  @Test
  void dmlAndDdl() {
    assertEquals(
        List.of("ORDERS"),
        shape("UPDATE orders SET status = 'X' WHERE order_id = 5").shape().getTables());
    assertEquals(
        StatementType.MERGE,
        shape(
                "MERGE INTO inventory t USING (SELECT :1 a FROM dual) s ON (t.a = s.a) WHEN MATCHED THEN UPDATE SET t.b = 1")
            .type());
    assertEquals(StatementType.DDL, shape("TRUNCATE TABLE stage_orders").type());
    assertEquals(List.of("STAGE_ORDERS"), shape("TRUNCATE TABLE stage_orders").shape().getTables());
    assertEquals(
        StatementType.DDL, shape("ALTER INDEX shop.orders_status_ix REBUILD ONLINE").type());
    assertEquals(StatementType.INSERT, shape("INSERT INTO t (a) VALUES (1)").type());
    assertEquals(List.of("T"), shape("DELETE FROM t WHERE a = 1").shape().getTables());
  }

  @Test
  void whatDoesNotParseIsStillShapedLexically() {
    StatementShape truncated =
        shape("SELECT o.id FROM orders o WHERE o.status = 'NEW' AND o.customer_id = ");
    assertEquals(ParseMode.LEXICAL, truncated.mode());
    assertEquals(List.of("ORDERS"), truncated.shape().getTables());
    assertTrue(
        truncated.indexableColumns().contains(col("ORDERS", "STATUS", ColumnUsage.FILTER_EQ)));
    StringBuilder deep = new StringBuilder("SELECT ");
    deep.append("(".repeat(10_000)).append("1").append(")".repeat(10_000)).append(" FROM dual");
    assertEquals(ParseMode.LEXICAL, shape(deep.toString()).mode());
    assertEquals(StatementType.OTHER, shape("").type());
  }

  @Test
  void deepStatementsAreParsedOnABigStackAndTooDeepOnesNotAtAll() {
    StringBuilder nested = new StringBuilder("SELECT * FROM t0 WHERE a IN ");
    for (int i = 1; i <= 40; i++) {
      nested.append("(SELECT a FROM t").append(i).append(" WHERE a IN ");
    }
    nested.append("(1)").append(")".repeat(40));
    StatementShape deep = shape(nested.toString());
    assertEquals(ParseMode.FULL, deep.mode());
    assertEquals(41, deep.shape().getTables().size());

    StringBuilder tooDeep = new StringBuilder("SELECT * FROM t WHERE a IN ");
    tooDeep.append("(SELECT a FROM t WHERE a IN ".repeat(StatementParser.MAX_PARSE_DEPTH));
    tooDeep.append("(1)").append(")".repeat(StatementParser.MAX_PARSE_DEPTH));
    assertEquals(ParseMode.LEXICAL, shape(tooDeep.toString()).mode());
  }
}
