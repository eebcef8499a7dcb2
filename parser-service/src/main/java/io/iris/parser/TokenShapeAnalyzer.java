package io.iris.parser;

import io.iris.parser.Token.Kind;
import io.iris.schemas.avro.ColumnUsage;
import io.iris.schemas.avro.IndexableColumn;
import io.iris.schemas.avro.ParseMode;
import io.iris.schemas.avro.PredicateCounts;
import io.iris.schemas.avro.QueryShape;
import io.iris.schemas.avro.StatementType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The structure of a statement read from its normalized tokens: statement type, tables and their
 * aliases, joins, subqueries, predicates by kind, aggregates, windows, set operations, DISTINCT,
 * GROUP/ORDER BY, row limits, hints, the procedure a PL/SQL block calls, and the indexable columns
 * with their usage. It works on any text, complete or not; everything is literal-free because the
 * tokens are.
 */
public final class TokenShapeAnalyzer {
  private static final Set<String> AGGREGATES =
      Set.of(
          "COUNT",
          "SUM",
          "AVG",
          "MIN",
          "MAX",
          "STDDEV",
          "VARIANCE",
          "MEDIAN",
          "LISTAGG",
          "COLLECT",
          "APPROX_COUNT_DISTINCT");
  private static final Set<String> CLAUSE_ENDS =
      Set.of(
          "SELECT",
          "FROM",
          "WHERE",
          "GROUP",
          "ORDER",
          "HAVING",
          "UNION",
          "INTERSECT",
          "MINUS",
          "EXCEPT",
          "CONNECT",
          "START",
          "FETCH",
          "OFFSET",
          "FOR",
          "RETURNING",
          "INTO",
          "VALUES",
          "SET",
          "WHEN",
          "THEN",
          "ELSE",
          "END",
          "ON",
          "USING",
          "JOIN",
          "INNER",
          "LEFT",
          "RIGHT",
          "FULL",
          "CROSS",
          "NATURAL",
          "OUTER",
          "LIMIT",
          "MODEL",
          "PIVOT",
          "UNPIVOT",
          "WINDOW");
  private static final Set<String> COMPARISONS =
      Set.of("=", "<", ">", "<=", ">=", "<>", "!=", "^=");

  private final List<Token> tokens;
  private final Map<String, String> aliases = new HashMap<>();
  private final Set<String> tables = new TreeSet<>();
  private final Set<String> cteNames = new LinkedHashSet<>();
  private final Map<String, IndexableColumn> columns = new java.util.LinkedHashMap<>();

  private TokenShapeAnalyzer(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** The shape of {@code template}, in LEXICAL mode. */
  public static StatementShape analyze(SqlTemplate template, int textLength) {
    return new TokenShapeAnalyzer(template.tokens()).run(textLength);
  }

  /** The statement type from the first meaningful word. */
  static StatementType statementType(List<Token> tokens) {
    for (Token t : tokens) {
      if (t.kind() == Kind.HINT || t.is("(")) {
        continue;
      }
      if (t.kind() != Kind.WORD) {
        return StatementType.OTHER;
      }
      return switch (t.text()) {
        case "SELECT", "WITH" -> StatementType.SELECT;
        case "INSERT" -> StatementType.INSERT;
        case "UPDATE" -> StatementType.UPDATE;
        case "DELETE" -> StatementType.DELETE;
        case "MERGE" -> StatementType.MERGE;
        case "BEGIN", "DECLARE", "CALL", "EXEC", "EXECUTE" -> StatementType.PLSQL;
        case "CREATE",
            "ALTER",
            "DROP",
            "TRUNCATE",
            "GRANT",
            "REVOKE",
            "RENAME",
            "COMMENT",
            "ANALYZE",
            "AUDIT",
            "NOAUDIT",
            "PURGE",
            "FLASHBACK" ->
            StatementType.DDL;
        default -> StatementType.OTHER;
      };
    }
    return StatementType.OTHER;
  }

  private StatementShape run(int textLength) {
    StatementType type = statementType(tokens);
    collectTables();
    int joins = 0;
    int subqueries = 0;
    int maxDepth = 0;
    int depth = 0;
    int aggregates = 0;
    int windows = 0;
    int setOps = 0;
    boolean distinct = false;
    boolean groupBy = false;
    boolean orderBy = false;
    boolean rowLimit = false;
    List<String> hints = new ArrayList<>();
    int[] predicates = new int[6];
    // Subquery nesting: the depth of '(' that open a SELECT.
    List<Boolean> parens = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
      if (t.kind() == Kind.HINT) {
        hints.addAll(hintNames(t.text()));
        continue;
      }
      if (t.is("(")) {
        boolean sub = next != null && (next.isWord("SELECT") || next.isWord("WITH"));
        parens.add(sub);
        if (sub) {
          subqueries++;
          depth++;
          maxDepth = Math.max(maxDepth, depth);
        }
        continue;
      }
      if (t.is(")")) {
        if (!parens.isEmpty() && parens.remove(parens.size() - 1)) {
          depth--;
        }
        continue;
      }
      if (t.kind() != Kind.WORD) {
        continue;
      }
      switch (t.text()) {
        case "JOIN" -> joins++;
        case "UNION", "INTERSECT", "MINUS", "EXCEPT" -> setOps++;
        case "DISTINCT", "UNIQUE" -> distinct |= previousIs(i, "SELECT") || previousIs(i, "(");
        case "GROUP" -> groupBy |= next != null && next.isWord("BY");
        case "ORDER" -> orderBy |= next != null && next.isWord("BY") && !insideOver(i);
        case "ROWNUM" -> rowLimit = true;
        case "FETCH" -> rowLimit |= next != null && (next.isWord("FIRST") || next.isWord("NEXT"));
        case "OVER" -> windows++;
        default -> {
          if (AGGREGATES.contains(t.text())
              && next != null
              && next.is("(")
              && !followedByOver(i + 1)) {
            aggregates++;
          }
        }
      }
    }
    joins += commaJoins();
    predicates(predicates);
    return new StatementShape(
        type,
        ParseMode.LEXICAL,
        QueryShape.newBuilder()
            .setTables(new ArrayList<>(tables))
            .setJoins(joins)
            .setSubqueries(subqueries)
            .setMaxSubqueryDepth(maxDepth)
            .setPredicates(
                PredicateCounts.newBuilder()
                    .setEquality(predicates[0])
                    .setRange(predicates[1])
                    .setInList(predicates[2])
                    .setLike(predicates[3])
                    .setIsNull(predicates[4])
                    .setOther(predicates[5])
                    .build())
            .setAggregates(aggregates)
            .setWindowFunctions(windows)
            .setSetOperations(setOps)
            .setDistinct(distinct)
            .setGroupBy(groupBy)
            .setOrderBy(orderBy)
            .setRowLimit(rowLimit)
            .setHints(hints)
            .setCalledProcedure(type == StatementType.PLSQL ? calledProcedure() : null)
            .setTextLength(textLength)
            .build(),
        new ArrayList<>(columns.values()));
  }

  private boolean previousIs(int i, String text) {
    return i > 0 && tokens.get(i - 1).is(text)
        || i > 1 && tokens.get(i - 1).kind() == Kind.HINT && tokens.get(i - 2).is(text);
  }

  /** Whether the ORDER at {@code i} is inside an OVER (...) window clause. */
  private boolean insideOver(int i) {
    int depth = 0;
    for (int j = i - 1; j >= 0; j--) {
      Token t = tokens.get(j);
      if (t.is(")")) {
        depth++;
      } else if (t.is("(")) {
        if (depth == 0) {
          return j > 0 && tokens.get(j - 1).isWord("OVER");
        }
        depth--;
      }
    }
    return false;
  }

  private boolean followedByOver(int open) {
    int close = SqlTemplater.matching(tokens, open);
    return close > 0 && close + 1 < tokens.size() && tokens.get(close + 1).isWord("OVER");
  }

  private static List<String> hintNames(String hint) {
    List<String> names = new ArrayList<>();
    String body = hint.substring(3, hint.length() - 2).trim();
    int depth = 0;
    StringBuilder word = new StringBuilder();
    for (char c : body.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (depth == 0 && (Character.isLetterOrDigit(c) || c == '_')) {
        word.append(c);
      } else {
        if (word.length() > 0 && !Character.isDigit(word.charAt(0))) {
          names.add(word.toString());
        }
        word.setLength(0);
      }
    }
    if (word.length() > 0 && !Character.isDigit(word.charAt(0))) {
      names.add(word.toString());
    }
    return names;
  }

  /**
   * Tables after FROM, JOIN, INTO, UPDATE, USING, TABLE; with their aliases; CTE names excluded.
   */
  private void collectTables() {
    for (int i = 0; i + 2 < tokens.size(); i++) {
      // WITH name AS ( ... ): a CTE, not a table.
      if ((tokens.get(i).isWord("WITH") || tokens.get(i).is(","))
          && tokens.get(i + 1).kind() == Kind.WORD
          && tokens.get(i + 2).isWord("AS")
          && i + 3 < tokens.size()
          && tokens.get(i + 3).is("(")) {
        cteNames.add(tokens.get(i + 1).text());
      }
    }
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() != Kind.WORD) {
        continue;
      }
      String w = t.text();
      boolean tableFollows =
          w.equals("JOIN")
              || w.equals("INTO")
              || w.equals("USING")
              || (w.equals("UPDATE") && (i == 0 || !tokens.get(i - 1).isWord("FOR")))
              || (w.equals("TABLE")
                  && i > 0
                  && (tokens.get(i - 1).isWord("TRUNCATE") || tokens.get(i - 1).isWord("ANALYZE")));
      if (w.equals("FROM")) {
        int j = i + 1;
        while (j < tokens.size()) {
          int after = tableAt(j);
          if (after < 0) {
            break;
          }
          j = skipToComma(after);
          if (j < 0 || j >= tokens.size() || !tokens.get(j).is(",")) {
            break;
          }
          j++;
        }
      } else if (tableFollows && i + 1 < tokens.size()) {
        tableAt(i + 1);
      }
    }
  }

  /**
   * Reads a table reference at {@code i}: name, optional alias. Returns the index after it, or -1.
   */
  private int tableAt(int i) {
    if (i >= tokens.size()
        || (tokens.get(i).kind() != Kind.WORD && tokens.get(i).kind() != Kind.QUOTED)) {
      return -1;
    }
    if (tokens.get(i).kind() == Kind.WORD
        && (Keywords.RESERVED.contains(tokens.get(i).text()) || tokens.get(i).isWord("LATERAL"))) {
      return -1;
    }
    StringBuilder name = new StringBuilder(tokens.get(i).text());
    int j = i + 1;
    while (j + 1 < tokens.size()
        && tokens.get(j).is(".")
        && tokens.get(j + 1).kind() != Kind.SYMBOL) {
      name.append('.').append(tokens.get(j + 1).text());
      j += 2;
    }
    if (j < tokens.size() && tokens.get(j).is("@")) {
      j += 2; // a database link belongs to the name's location, not to the table
    }
    if (j < tokens.size() && tokens.get(j).is("(")) {
      return -1; // a function call (TABLE(...), a procedure), not a table
    }
    String table = name.toString();
    if (cteNames.contains(table) || table.equals("DUAL")) {
      aliasIfAny(j, table);
      return j + (hasAlias(j) ? 1 : 0);
    }
    tables.add(table);
    aliases.put(table, table);
    int lastDot = table.lastIndexOf('.');
    if (lastDot > 0) {
      aliases.put(table.substring(lastDot + 1), table);
    }
    aliasIfAny(j, table);
    return j + (hasAlias(j) ? 1 : 0);
  }

  private boolean hasAlias(int j) {
    if (j < tokens.size() && tokens.get(j).isWord("AS")) {
      return false;
    }
    return j < tokens.size()
        && tokens.get(j).kind() == Kind.WORD
        && !CLAUSE_ENDS.contains(tokens.get(j).text())
        && !Keywords.RESERVED.contains(tokens.get(j).text());
  }

  private void aliasIfAny(int j, String table) {
    int at = j < tokens.size() && tokens.get(j).isWord("AS") ? j + 1 : j;
    if (at < tokens.size()
        && tokens.get(at).kind() == Kind.WORD
        && !CLAUSE_ENDS.contains(tokens.get(at).text())
        && !Keywords.RESERVED.contains(tokens.get(at).text())) {
      aliases.put(tokens.get(at).text(), table);
    }
  }

  private int skipToComma(int from) {
    int depth = 0;
    for (int j = from; j < tokens.size(); j++) {
      Token t = tokens.get(j);
      if (t.is("(")) {
        depth++;
      } else if (t.is(")")) {
        if (--depth < 0) {
          return -1;
        }
      } else if (depth == 0) {
        if (t.is(",")) {
          return j;
        }
        if (t.kind() == Kind.WORD && CLAUSE_ENDS.contains(t.text())) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** Tables listed after FROM with commas are joined too. */
  private int commaJoins() {
    int joins = 0;
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).isWord("FROM")) {
        int j = i + 1;
        while (true) {
          int after = tableAt(j);
          if (after < 0) {
            break;
          }
          int comma = skipToComma(after);
          if (comma < 0) {
            break;
          }
          joins++;
          j = comma + 1;
        }
      }
    }
    return joins;
  }

  /** Predicates by kind, and the indexable columns they, GROUP BY and ORDER BY use. */
  private void predicates(int[] counts) {
    String clause = "";
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() == Kind.WORD
          && (t.text().equals("WHERE")
              || t.text().equals("ON")
              || t.text().equals("HAVING")
              || t.text().equals("AND")
              || t.text().equals("OR")
              || t.text().equals("NOT")
              || t.text().equals("WHEN"))) {
        if (!t.text().equals("AND") && !t.text().equals("OR") && !t.text().equals("NOT")) {
          clause = t.text();
        }
        continue;
      }
      if (t.isWord("BY")
          && i > 0
          && (tokens.get(i - 1).isWord("GROUP") || tokens.get(i - 1).isWord("ORDER"))
          && !insideOver(i - 1)) {
        ColumnUsage usage =
            tokens.get(i - 1).isWord("GROUP") ? ColumnUsage.GROUP_BY : ColumnUsage.ORDER_BY;
        listColumns(i + 1, usage);
        continue;
      }
      if (clause.isEmpty()) {
        continue;
      }
      int after = columnAt(i);
      if (after < 0) {
        continue;
      }
      String column = column(i, after);
      Token op = after < tokens.size() ? tokens.get(after) : null;
      if (op == null) {
        continue;
      }
      if (op.kind() == Kind.SYMBOL && COMPARISONS.contains(op.text())) {
        int rhs = after + 1;
        int rhsEnd = columnAt(rhs);
        if (rhsEnd > 0 && !(rhs < tokens.size() && tokens.get(rhs).kind() == Kind.PLACEHOLDER)) {
          counts[0] += op.is("=") ? 1 : 0;
          counts[1] += op.is("=") ? 0 : 1;
          String other = column(rhs, rhsEnd);
          if (op.is("=") && !tableOf(column).equals(tableOf(other))) {
            use(column, ColumnUsage.JOIN);
            use(other, ColumnUsage.JOIN);
          }
          i = rhsEnd - 1;
        } else if (op.is("=")) {
          counts[0]++;
          use(column, ColumnUsage.FILTER_EQ);
        } else {
          counts[1]++;
          use(column, ColumnUsage.FILTER_RANGE);
        }
      } else if (op.isWord("BETWEEN")) {
        counts[1]++;
        use(column, ColumnUsage.FILTER_RANGE);
      } else if (op.isWord("IN")
          || (op.isWord("NOT")
              && after + 1 < tokens.size()
              && tokens.get(after + 1).isWord("IN"))) {
        counts[2]++;
        use(column, ColumnUsage.FILTER_IN);
      } else if (op.isWord("LIKE")
          || (op.isWord("NOT")
              && after + 1 < tokens.size()
              && tokens.get(after + 1).isWord("LIKE"))) {
        counts[3]++;
        use(column, ColumnUsage.FILTER_LIKE);
      } else if (op.isWord("IS")) {
        counts[4]++;
        use(column, ColumnUsage.FILTER_NULL);
      }
    }
  }

  /** Columns of a GROUP BY / ORDER BY list starting at {@code from}. */
  private void listColumns(int from, ColumnUsage usage) {
    int i = from;
    while (i < tokens.size()) {
      int after = columnAt(i);
      if (after > 0
          && (after >= tokens.size()
              || tokens.get(after).is(",")
              || tokens.get(after).isWord("ASC")
              || tokens.get(after).isWord("DESC")
              || tokens.get(after).isWord("NULLS")
              || tokens.get(after).is(")")
              || (tokens.get(after).kind() == Kind.WORD
                  && CLAUSE_ENDS.contains(tokens.get(after).text())))) {
        use(column(i, after), usage);
      }
      int comma = skipToComma(i);
      if (comma < 0) {
        return;
      }
      i = comma + 1;
    }
  }

  /**
   * A column reference at {@code i} ({@code C}, {@code A.C}, {@code S.T.C}), not a function call or
   * keyword; returns the index after it, or -1.
   */
  private int columnAt(int i) {
    if (i >= tokens.size()) {
      return -1;
    }
    Token t = tokens.get(i);
    if (!(t.kind() == Kind.QUOTED
        || (t.kind() == Kind.WORD
            && !Keywords.RESERVED.contains(t.text())
            && !CLAUSE_ENDS.contains(t.text())))) {
      return -1;
    }
    if (i > 0 && (tokens.get(i - 1).is(".") || tokens.get(i - 1).is(":"))) {
      return -1;
    }
    int j = i + 1;
    while (j + 1 < tokens.size()
        && tokens.get(j).is(".")
        && (tokens.get(j + 1).kind() == Kind.WORD || tokens.get(j + 1).kind() == Kind.QUOTED)) {
      j += 2;
    }
    if (j < tokens.size() && tokens.get(j).is("(")) {
      return -1;
    }
    return j;
  }

  private String column(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int k = from; k < to; k++) {
      sb.append(tokens.get(k).text());
    }
    return sb.toString();
  }

  private String tableOf(String column) {
    int dot = column.lastIndexOf('.');
    if (dot < 0) {
      return tables.size() == 1 ? tables.iterator().next() : "";
    }
    String qualifier = column.substring(0, dot);
    return aliases.getOrDefault(qualifier, qualifier);
  }

  private void use(String column, ColumnUsage usage) {
    String table = tableOf(column);
    if (table.isEmpty() || !tables.contains(table)) {
      return; // unqualified in a multi-table statement, or not a table of this statement
    }
    String name = column.substring(column.lastIndexOf('.') + 1);
    if (name.equals("ROWNUM") || name.equals("LEVEL") || name.equals("SYSDATE")) {
      return;
    }
    columns.putIfAbsent(
        table + "." + name + ":" + usage,
        IndexableColumn.newBuilder().setTable(table).setColumn(name).setUsage(usage).build());
  }

  /** For a PL/SQL block or CALL: the first procedure called, e.g. PKG.PROC. */
  private String calledProcedure() {
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() != Kind.WORD
          || Set.of("BEGIN", "DECLARE", "CALL", "EXEC", "EXECUTE", "END").contains(t.text())) {
        continue;
      }
      int j = i + 1;
      StringBuilder name = new StringBuilder(t.text());
      while (j + 1 < tokens.size()
          && tokens.get(j).is(".")
          && tokens.get(j + 1).kind() == Kind.WORD) {
        name.append('.').append(tokens.get(j + 1).text());
        j += 2;
      }
      if (j >= tokens.size() || tokens.get(j).is("(") || tokens.get(j).is(";")) {
        return name.toString();
      }
      return null;
    }
    return null;
  }
}
