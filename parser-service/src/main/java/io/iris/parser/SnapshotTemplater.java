package io.iris.parser;

import io.iris.schemas.avro.AwrSnapshot;
import io.iris.schemas.avro.ParseMode;
import io.iris.schemas.avro.PredicateCounts;
import io.iris.schemas.avro.QueryShape;
import io.iris.schemas.avro.SnapshotRef;
import io.iris.schemas.avro.SqlStat;
import io.iris.schemas.avro.StatementStats;
import io.iris.schemas.avro.StatementType;
import io.iris.schemas.avro.TemplateObservation;
import java.util.ArrayList;
import java.util.List;

/**
 * One snapshot's statements as template observations: one per {@code SqlStat}, in order, each
 * knowing its index and the snapshot's size. Results are cached by sql_id (the text's hash in
 * Oracle) and shapes by template, so a statement AWR reports again costs a map lookup.
 */
public final class SnapshotTemplater {
  /** A statement's template and shape. */
  public record Templated(SqlTemplate template, StatementShape shape) {}

  private final StatementParser parser;
  private final TemplateCache<String, Templated> byStatement;
  private final TemplateCache<String, StatementShape> byTemplate;

  public SnapshotTemplater(StatementParser parser, int cacheSize) {
    this.parser = parser;
    this.byStatement = new TemplateCache<>(cacheSize);
    this.byTemplate = new TemplateCache<>(cacheSize);
  }

  public TemplateCache<String, Templated> statementCache() {
    return byStatement;
  }

  /** The template and shape of one text (the CLI's entry point). */
  public Templated templated(String sql) {
    SqlTemplate template = SqlTemplater.template(sql);
    int length = template.text().length();
    return new Templated(
        template, byTemplate.get(template.id(), id -> parser.shape(template, length)));
  }

  /** Every statement of {@code snapshot} as an observation. */
  public List<TemplateObservation> observations(AwrSnapshot snapshot) {
    SnapshotRef ref =
        SnapshotRef.newBuilder()
            .setSource(snapshot.getSource())
            .setDbid(snapshot.getDbid())
            .setInstanceNumber(snapshot.getInstanceNumber())
            .setSnapId(snapshot.getSnapId())
            .setEndIntervalTime(snapshot.getEndIntervalTime())
            .build();
    List<SqlStat> stats = snapshot.getSqlStats();
    List<TemplateObservation> observations = new ArrayList<>(stats.size());
    for (int i = 0; i < stats.size(); i++) {
      SqlStat stat = stats.get(i);
      Templated t =
          stat.getSqlText() == null
              ? purged(stat)
              : byStatement.get(
                  stat.getSqlId() + ":" + stat.getSqlText().length(),
                  k -> templated(stat.getSqlText()));
      observations.add(
          TemplateObservation.newBuilder()
              .setTemplateId(t.template().id())
              .setTemplateVersion(SqlTemplate.VERSION)
              .setTemplateText(t.template().text())
              .setStatementType(t.shape().type())
              .setParseMode(t.shape().mode())
              .setSnapshot(ref)
              .setStatementIndex(i)
              .setStatementsInSnapshot(stats.size())
              .setSqlId(stat.getSqlId())
              .setPlanHashValue(stat.getPlanHashValue())
              .setForceMatchingSignature(stat.getForceMatchingSignature())
              .setStats(stats(stat))
              .setShape(t.shape().shape())
              .setIndexableColumns(t.shape().indexableColumns())
              .build());
    }
    return observations;
  }

  /**
   * AWR purged the text: the statement cannot be templated, but it is not dropped. Its template is
   * a marker per sql_id, its type from Oracle's command type.
   */
  private static Templated purged(SqlStat stat) {
    String text = "/* SQL text purged from AWR: sql_id " + stat.getSqlId() + " */";
    SqlTemplate template = new SqlTemplate(SqlTemplate.idOf(text), text, List.of());
    QueryShape shape =
        QueryShape.newBuilder()
            .setTables(List.of())
            .setJoins(0)
            .setSubqueries(0)
            .setMaxSubqueryDepth(0)
            .setPredicates(PredicateCounts.newBuilder().build())
            .setAggregates(0)
            .setWindowFunctions(0)
            .setSetOperations(0)
            .setDistinct(false)
            .setGroupBy(false)
            .setOrderBy(false)
            .setRowLimit(false)
            .setHints(List.of())
            .setTextLength(0)
            .build();
    return new Templated(
        template,
        new StatementShape(typeOf(stat.getCommandType()), ParseMode.LEXICAL, shape, List.of()));
  }

  /** Oracle command type codes (V$SQLCOMMAND) to statement types. */
  static StatementType typeOf(Integer commandType) {
    if (commandType == null) {
      return StatementType.OTHER;
    }
    return switch (commandType) {
      case 3 -> StatementType.SELECT;
      case 2 -> StatementType.INSERT;
      case 6 -> StatementType.UPDATE;
      case 7 -> StatementType.DELETE;
      case 189 -> StatementType.MERGE;
      case 47, 170 -> StatementType.PLSQL;
      case 1, 9, 10, 11, 12, 15, 26, 42, 44, 45, 85 -> StatementType.DDL;
      default -> StatementType.OTHER;
    };
  }

  private static StatementStats stats(SqlStat s) {
    return StatementStats.newBuilder()
        .setExecutions(s.getExecutions())
        .setElapsedTimeUs(s.getElapsedTimeUs())
        .setCpuTimeUs(s.getCpuTimeUs())
        .setBufferGets(s.getBufferGets())
        .setDiskReads(s.getDiskReads())
        .setRowsProcessed(s.getRowsProcessed())
        .setIoWaitUs(s.getIoWaitUs())
        .setParseCalls(s.getParseCalls())
        .setFetches(s.getFetches())
        .setSorts(s.getSorts())
        .build();
  }
}
