package io.iris.parser;

import java.util.HashSet;
import java.util.Set;

/** Word lists the normalization rules depend on; part of template version t1. */
final class Keywords {
  private Keywords() {}

  /**
   * Oracle's SQL reserved words (Oracle Database SQL Language Reference, "Oracle SQL Reserved
   * Words"). A reserved word keeps a space before '(' ({@code IN (?)}); any other word is a name
   * and does not ({@code COUNT(*)}).
   */
  static final Set<String> RESERVED =
      Set.of(
          "ACCESS",
          "ADD",
          "ALL",
          "ALTER",
          "AND",
          "ANY",
          "AS",
          "ASC",
          "AUDIT",
          "BETWEEN",
          "BY",
          "CHAR",
          "CHECK",
          "CLUSTER",
          "COLUMN",
          "COMMENT",
          "COMPRESS",
          "CONNECT",
          "CREATE",
          "CURRENT",
          "DATE",
          "DECIMAL",
          "DEFAULT",
          "DELETE",
          "DESC",
          "DISTINCT",
          "DROP",
          "ELSE",
          "EXCLUSIVE",
          "EXISTS",
          "FILE",
          "FLOAT",
          "FOR",
          "FROM",
          "GRANT",
          "GROUP",
          "HAVING",
          "IDENTIFIED",
          "IMMEDIATE",
          "IN",
          "INCREMENT",
          "INDEX",
          "INITIAL",
          "INSERT",
          "INTEGER",
          "INTERSECT",
          "INTO",
          "IS",
          "LEVEL",
          "LIKE",
          "LOCK",
          "LONG",
          "MAXEXTENTS",
          "MINUS",
          "MLSLABEL",
          "MODE",
          "MODIFY",
          "NOAUDIT",
          "NOCOMPRESS",
          "NOT",
          "NOWAIT",
          "NULL",
          "NUMBER",
          "OF",
          "OFFLINE",
          "ON",
          "ONLINE",
          "OPTION",
          "OR",
          "ORDER",
          "PCTFREE",
          "PRIOR",
          "PUBLIC",
          "RAW",
          "RENAME",
          "RESOURCE",
          "REVOKE",
          "ROW",
          "ROWID",
          "ROWNUM",
          "ROWS",
          "SELECT",
          "SESSION",
          "SET",
          "SHARE",
          "SIZE",
          "SMALLINT",
          "START",
          "SUCCESSFUL",
          "SYNONYM",
          "SYSDATE",
          "TABLE",
          "THEN",
          "TO",
          "TRIGGER",
          "UID",
          "UNION",
          "UNIQUE",
          "UPDATE",
          "USER",
          "VALIDATE",
          "VALUES",
          "VARCHAR",
          "VARCHAR2",
          "VIEW",
          "WHENEVER",
          "WHERE",
          "WITH");

  /** Reserved words that are values, after which '-' subtracts. */
  private static final Set<String> OPERANDS =
      Set.of("ROWNUM", "SYSDATE", "ROWID", "LEVEL", "USER", "UID", "NULL");

  private static final Set<String> SIGN_AFTER = new HashSet<>();

  static {
    SIGN_AFTER.addAll(RESERVED);
    SIGN_AFTER.removeAll(OPERANDS);
    SIGN_AFTER.addAll(
        Set.of(
            "WHEN", "CASE", "RETURN", "BEGIN", "FETCH", "FIRST", "NEXT", "OFFSET", "LIMIT", "USING",
            "ELSIF", "EXECUTE"));
  }

  /** Whether a '-' right after {@code word} is a sign rather than a subtraction. */
  static boolean isSignPosition(String word) {
    return SIGN_AFTER.contains(word);
  }
}
