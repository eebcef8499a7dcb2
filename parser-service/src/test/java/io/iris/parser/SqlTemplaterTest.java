package io.iris.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The normalization contract (TEMPLATING.md); each example there is a golden test here. */
class SqlTemplaterTest {

  private static String t(String sql) {
    return SqlTemplater.template(sql).text();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      select  * from Orders o where o.id = 42 and o.status='NEW' | SELECT * FROM ORDERS O WHERE O.ID = ? AND O.STATUS = ?
      SELECT id FROM items WHERE id IN (1, 2, 3) | SELECT ID FROM ITEMS WHERE ID IN (?)
      SELECT id FROM items WHERE id IN (:1) | SELECT ID FROM ITEMS WHERE ID IN (?)
      insert into t (a, b) values (1, 'x'), (2, 'y') | INSERT INTO T(A, B) VALUES (?, ?)
      SELECT /*+  index(o ord_ix)  parallel(4) */ o.id FROM orders o | SELECT /*+ INDEX(O ORD_IX) PARALLEL(4) */ O.ID FROM ORDERS O
      SELECT * FROM t WHERE d > DATE '2024-01-01' AND n = N'x' AND q = q'[it's]' | SELECT * FROM T WHERE D > ? AND N = ? AND Q = ?
      UPDATE acct SET bal = bal - 5 WHERE id = -7 | UPDATE ACCT SET BAL = BAL - ? WHERE ID = ?
      begin pkg.proc(:1, 'x', 42); end; | BEGIN PKG.PROC(?, ?, ?); END
      SELECT "MixedCase".x FROM "MixedCase" -- note | SELECT "MixedCase".X FROM "MixedCase"
      SELECT * FROM t1 JOIN t2 ON t1.k = t2.k WHERE ROWNUM <= 10 | SELECT * FROM T1 JOIN T2 ON T1.K = T2.K WHERE ROWNUM <= ?
      SELECT * FROM v WHERE s = 'unterminated | SELECT * FROM V WHERE S = ?
      """)
  void theTemplatingContractExamples(String sql, String template) {
    assertEquals(template, t(sql));
  }

  /**
   * Golden ids, computed outside Java ({@code python3 -c "import hashlib;
   * print(hashlib.sha256(b'...').hexdigest()[:16])"}): a consumer in any language gets the same id.
   * A change here is a rule change and needs template version t2.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      select id from items where id in (1,2) | 934df0d28c24255a
      begin pkg.proc(:1, 'x', 42); end; | 9de2895442e3e41c
      select  * from Orders o where o.id = 42 and o.status='NEW' | 958d4ba16f3cffea
      """)
  void idsArePinned(String sql, String id) {
    assertEquals(id, SqlTemplater.template(sql).id());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      SELECT * FROM t WHERE a = :B1 AND b = :name AND c = :"SYS_B_0" AND d = ? | SELECT * FROM T WHERE A = ? AND B = ? AND C = ? AND D = ?
      SELECT x FROM t WHERE x IN ((1, 2), (3, 4)) | SELECT X FROM T WHERE X IN ((?, ?))
      SELECT x FROM t WHERE x IN (1, y, 3) | SELECT X FROM T WHERE X IN (?, Y, ?)
      SELECT x FROM t WHERE x NOT IN ('a', 'b') | SELECT X FROM T WHERE X NOT IN (?)
      SELECT 1.5e-3, .5, 2., 7f FROM dual | SELECT ?, ?, ?, ? FROM DUAL
      SELECT * FROM t WHERE ts > TIMESTAMP '2024-01-01 00:00:00' | SELECT * FROM T WHERE TS > ?
      SELECT SYSDATE - INTERVAL '1-2' YEAR TO MONTH FROM dual | SELECT SYSDATE - ? FROM DUAL
      SELECT * FROM t WHERE d > SYSDATE - INTERVAL '30' MINUTE AND x = 1 | SELECT * FROM T WHERE D > SYSDATE - ? AND X = ?
      SELECT * FROM t WHERE d > SYSTIMESTAMP - INTERVAL '2 03:04:05.6' DAY(2) TO SECOND(1) | SELECT * FROM T WHERE D > SYSTIMESTAMP - ?
      SELECT q'{a'b}', Nq'<x>', 'it''s' FROM dual | SELECT ?, ?, ? FROM DUAL
      SELECT COUNT(*), t1.c FROM t1 | SELECT COUNT(*), T1.C FROM T1
      SELECT a FROM t WHERE b = - 5 | SELECT A FROM T WHERE B = - ?
      SELECT a - 1, (2) - 3 FROM t | SELECT A - ?, (?) - ? FROM T
      SELECT /* plain comment */ a FROM t --+ first_rows | SELECT A FROM T /*+ FIRST_ROWS */
      SELECT a FROM t@remote_link WHERE x = 1 / | SELECT A FROM T@REMOTE_LINK WHERE X = ?
      SELECT a FROM t /* cut off | SELECT A FROM T
      v := 5; | V := ?
      """)
  void moreRules(String sql, String template) {
    assertEquals(template, t(sql));
  }

  @Test
  void aLiteralAndABindGiveOneTemplate() {
    assertEquals(t("SELECT * FROM t WHERE id = 42"), t("select * from T where ID = :id"));
    assertEquals(
        t("SELECT * FROM t WHERE id IN (1)"), t("SELECT * FROM t WHERE id IN (1, 2, 3, 4, 5, 6)"));
  }

  @Test
  void numbersInsideIdentifiersAreNotLiterals() {
    assertEquals("SELECT T1.C2 FROM T1", t("select t1.c2 from t1"));
  }

  @Test
  void badInputAlwaysGivesATemplate() {
    assertEquals("", t(""));
    assertEquals("", t("   \n\t  "));
    assertEquals(t("SELECT a FROM t"), t("SELECT\0a FROM\0t"));
    String surrogate = "SELECT '\uD800' || x \uDC00 FROM t";
    SqlTemplate weird = SqlTemplater.template(surrogate);
    assertEquals(16, weird.id().length());
    assertFalse(weird.text().contains("\uD800"));
    StringBuilder deep = new StringBuilder();
    deep.append("SELECT ")
        .append("(".repeat(10_000))
        .append("1")
        .append(")".repeat(10_000))
        .append(" FROM dual");
    assertTrue(t(deep.toString()).startsWith("SELECT ((((("));
    StringBuilder chain = new StringBuilder("SELECT * FROM t WHERE a = 1");
    for (int i = 0; i < 10_000; i++) {
      chain.append(" AND a").append(i).append(" = ").append(i);
    }
    assertTrue(t(chain.toString()).endsWith("AND A9999 = ?"));
    assertEquals("SELECT * FROM T WHERE S = ?", t("SELECT * FROM t WHERE s = q'[never closed"));
    assertEquals("SELECT \"UNCLOSED", t("select \"UNCLOSED"));
  }

  @Test
  void aMegabyteStatementIsTemplated() {
    StringBuilder big = new StringBuilder("SELECT * FROM t WHERE id IN (");
    while (big.length() < 1_000_000) {
      big.append(big.length()).append(", ");
    }
    big.append("1)");
    assertEquals("SELECT * FROM T WHERE ID IN (?)", t(big.toString()));
    assertNotEquals(t("SELECT a FROM t"), t("SELECT b FROM t"));
  }
}
