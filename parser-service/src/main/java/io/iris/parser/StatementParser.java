package io.iris.parser;

import io.iris.parser.Token.Kind;
import io.iris.schemas.avro.ParseMode;
import io.iris.schemas.avro.QueryShape;
import io.iris.schemas.avro.StatementType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.TokenMgrException;
import net.sf.jsqlparser.statement.Block;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.execute.Execute;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * The structure of a statement: the token analysis, confirmed and completed by JSqlParser where it
 * parses (FULL), else as the tokens give it (LEXICAL). JSqlParser reads the literal-free template,
 * never the raw text, under a time budget: it ignores thread interrupts and can run long on odd
 * input, so a watchdog raises its {@code interrupted} flag. It also recurses deeply (32 nested
 * subqueries need ~256 KB of stack), so shallow statements, nearly all of them, are parsed on the
 * caller's thread (a hand-off to another thread costs about as much as the parse itself), deeper
 * ones on workers with a 64 MB stack, and big or very deep ones not at all.
 */
public final class StatementParser implements AutoCloseable {
  /** Templates longer than this are not parsed (JSqlParser's cost grows fast with size). */
  static final int MAX_PARSE_CHARS = 20_000;

  /** Statements nested deeper than this are not parsed. */
  static final int MAX_PARSE_DEPTH = 64;

  /** Statements nested up to this deep are parsed on the caller's (default 1 MB) stack. */
  static final int CALLER_STACK_DEPTH = 16;

  private static final long WORKER_STACK_BYTES = 64L * 1024 * 1024;

  private static final Set<StatementType> COMPLEX_PARSING =
      EnumSet.of(
          StatementType.SELECT,
          StatementType.INSERT,
          StatementType.UPDATE,
          StatementType.DELETE,
          StatementType.MERGE);

  private final Duration budget;
  private final ParseWatchdog watchdog;
  private final ExecutorService deepWorkers;

  public StatementParser(Duration budget, int deepWorkerThreads) {
    this.budget = budget;
    this.watchdog = new ParseWatchdog(budget);
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread thread =
              new Thread(null, r, "sql-parser-" + n.incrementAndGet(), WORKER_STACK_BYTES);
          thread.setDaemon(true);
          return thread;
        };
    this.deepWorkers = Executors.newFixedThreadPool(deepWorkerThreads, factory);
  }

  /** The shape of {@code template}; never fails. */
  public StatementShape shape(SqlTemplate template, int textLength) {
    StatementShape lexical = TokenShapeAnalyzer.analyze(template, textLength);
    int depth = depth(template);
    if (template.text().isEmpty()
        || template.text().length() > MAX_PARSE_CHARS
        || depth > MAX_PARSE_DEPTH
        || anonymousBlock(template)) {
      return lexical;
    }
    boolean complexAllowed = COMPLEX_PARSING.contains(lexical.type());
    Statement statement =
        depth <= CALLER_STACK_DEPTH
            ? parseHere(template.text(), complexAllowed)
            : parseOnWorker(template.text(), complexAllowed);
    if (statement == null) {
      return lexical;
    }
    QueryShape shape = lexical.shape();
    try {
      ArrayList<String> tables = new ArrayList<>();
      for (String table : new TablesNamesFinder<Void>().getTables(statement)) {
        tables.add(table.toUpperCase(Locale.ROOT));
      }
      tables.sort(null);
      if (!tables.isEmpty() || lexical.shape().getTables().isEmpty()) {
        shape = QueryShape.newBuilder(shape).setTables(tables.stream().distinct().toList()).build();
      }
    } catch (RuntimeException e) {
      // Table extraction is best effort on exotic statements; the token tables stand.
    }
    return new StatementShape(
        typeOf(statement, lexical.type()), ParseMode.FULL, shape, lexical.indexableColumns());
  }

  /** The parsed statement, or null when it does not parse within the budget. */
  private Statement parseHere(String sql, boolean complexAllowed) {
    try {
      return parse(sql, complexAllowed);
    } catch (ParseException | RuntimeException | StackOverflowError e) {
      return null;
    }
  }

  private Statement parseOnWorker(String sql, boolean complexAllowed) {
    Future<Statement> parse = deepWorkers.submit(() -> parse(sql, complexAllowed));
    try {
      // The watchdog ends the parse at its budget; this wait is only a backstop.
      return parse.get(2 * budget.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Simple parsing first (fast); JSqlParser's complex parsing (several times slower) only for
   * queries and DML, where it can succeed. One budget covers both attempts.
   */
  private Statement parse(String sql, boolean complexAllowed) throws ParseException {
    long deadline = System.nanoTime() + budget.toNanos();
    // The parser is built here, not by CCJSqlParserUtil.parse, which starts a thread per call.
    CCJSqlParser simple = CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(false);
    try (ParseWatchdog.Watch watch = watchdog.watch(simple, deadline)) {
      return simple.Statement();
    } catch (ParseException | TokenMgrException e) {
      if (simple.interrupted || !complexAllowed) {
        throw e;
      }
    }
    CCJSqlParser complex = CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(true);
    try (ParseWatchdog.Watch watch = watchdog.watch(complex, deadline)) {
      return complex.Statement();
    }
  }

  /**
   * An anonymous PL/SQL block (BEGIN or DECLARE): JSqlParser parses only about 6% of them, so the
   * tokens (which name the procedure called) are all there is to get.
   */
  private static boolean anonymousBlock(SqlTemplate template) {
    for (Token token : template.tokens()) {
      if (token.kind() == Kind.HINT || token.is("(")) {
        continue;
      }
      return token.isWord("BEGIN") || token.isWord("DECLARE");
    }
    return false;
  }

  /** The deepest parenthesis nesting of the template. */
  private static int depth(SqlTemplate template) {
    int depth = 0;
    int deepest = 0;
    for (Token token : template.tokens()) {
      if (token.kind() == Kind.SYMBOL) {
        if (token.text().equals("(")) {
          deepest = Math.max(deepest, ++depth);
        } else if (token.text().equals(")")) {
          depth--;
        }
      }
    }
    return deepest;
  }

  private static StatementType typeOf(Statement statement, StatementType fallback) {
    if (statement instanceof Select) {
      return StatementType.SELECT;
    } else if (statement instanceof Insert) {
      return StatementType.INSERT;
    } else if (statement instanceof Update) {
      return StatementType.UPDATE;
    } else if (statement instanceof Delete) {
      return StatementType.DELETE;
    } else if (statement instanceof Merge) {
      return StatementType.MERGE;
    } else if (statement instanceof Block || statement instanceof Execute) {
      return StatementType.PLSQL;
    } else if (statement instanceof CreateTable
        || statement instanceof CreateIndex
        || statement instanceof CreateView
        || statement instanceof Alter
        || statement instanceof Drop
        || statement instanceof Truncate) {
      return StatementType.DDL;
    }
    return fallback;
  }

  @Override
  public void close() {
    deepWorkers.shutdownNow();
    watchdog.close();
  }
}
