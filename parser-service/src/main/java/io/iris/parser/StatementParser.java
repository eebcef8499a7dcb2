package io.iris.parser;

import io.iris.parser.Token.Kind;
import io.iris.schemas.avro.ParseMode;
import io.iris.schemas.avro.QueryShape;
import io.iris.schemas.avro.StatementType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
 * never the raw text, on worker threads with a large stack and a time budget: it overflows a
 * default stack on deep nesting and can run for seconds on nested parentheses, so big or deep
 * statements are not given to it at all.
 */
public final class StatementParser implements AutoCloseable {
  /** Templates longer than this are not parsed (JSqlParser's cost grows fast with size). */
  static final int MAX_PARSE_CHARS = 20_000;

  /** Statements nested deeper than this are not parsed. */
  static final int MAX_PARSE_DEPTH = 64;

  private static final long WORKER_STACK_BYTES = 64L * 1024 * 1024;

  private static final java.util.Set<StatementType> COMPLEX_PARSING =
      java.util.EnumSet.of(
          StatementType.SELECT,
          StatementType.INSERT,
          StatementType.UPDATE,
          StatementType.DELETE,
          StatementType.MERGE);

  private final Duration budget;
  private final ExecutorService workers;

  public StatementParser(Duration budget, int workerThreads) {
    this.budget = budget;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread thread =
              new Thread(null, r, "sql-parser-" + n.incrementAndGet(), WORKER_STACK_BYTES);
          thread.setDaemon(true);
          return thread;
        };
    this.workers = Executors.newFixedThreadPool(workerThreads, factory);
  }

  /** The shape of {@code template}; never fails. */
  public StatementShape shape(SqlTemplate template, int textLength) {
    StatementShape lexical = TokenShapeAnalyzer.analyze(template, textLength);
    if (!parseable(template) || anonymousBlock(template)) {
      return lexical;
    }
    // The parser is built here, not by CCJSqlParserUtil.parse, which starts a thread per call.
    AtomicReference<CCJSqlParser> running = new AtomicReference<>();
    boolean complexAllowed = COMPLEX_PARSING.contains(lexical.type());
    Future<Statement> parse = workers.submit(() -> parse(template.text(), complexAllowed, running));
    Statement statement;
    try {
      statement = parse.get(budget.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // JSqlParser ignores thread interrupts but checks this flag: the worker is freed.
      CCJSqlParser parser = running.get();
      if (parser != null) {
        parser.interrupted = true;
      }
      parse.cancel(true);
      return lexical;
    } catch (ExecutionException | RuntimeException | StackOverflowError e) {
      return lexical;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return lexical;
    }
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

  /**
   * Simple parsing first (fast); JSqlParser's complex parsing (several times slower) only for
   * queries and DML, where it can succeed.
   */
  private static Statement parse(
      String sql, boolean complexAllowed, AtomicReference<CCJSqlParser> running)
      throws ParseException {
    CCJSqlParser simple = CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(false);
    running.set(simple);
    try {
      return simple.Statement();
    } catch (ParseException | TokenMgrException e) {
      if (simple.interrupted || !complexAllowed) {
        throw e;
      }
      CCJSqlParser complex = CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(true);
      running.set(complex);
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

  private static boolean parseable(SqlTemplate template) {
    if (template.text().isEmpty() || template.text().length() > MAX_PARSE_CHARS) {
      return false;
    }
    int depth = 0;
    for (Token token : template.tokens()) {
      if (token.kind() == Kind.SYMBOL) {
        if (token.text().equals("(") && ++depth > MAX_PARSE_DEPTH) {
          return false;
        } else if (token.text().equals(")")) {
          depth--;
        }
      }
    }
    return true;
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
    workers.shutdownNow();
  }
}
