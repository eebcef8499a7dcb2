package io.iris.feature;

import io.iris.schemas.avro.FeatureVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/** Feature vectors for the offline store's tests, and what the store holds. */
final class OfflineRows {
  private OfflineRows() {}

  /**
   * A vector with every field set, each optional feature to a value of its own (derived from its
   * position, so a column mix-up shows).
   */
  static FeatureVector full(String templateId, long dbid, Instant eventTime) {
    FeatureVector v = sparse(templateId, dbid, eventTime);
    for (Schema.Field field : v.getSchema().getFields()) {
      if (v.get(field.pos()) != null) {
        continue;
      }
      int pos = field.pos();
      Schema.Type type = field.schema().getTypes().get(1).getType();
      v.put(
          pos,
          switch (type) {
            case INT -> pos;
            case LONG -> 1_000_000_000_000L + pos;
            case DOUBLE -> pos + 0.25;
            case BOOLEAN -> pos % 2 == 0;
            case STRING -> "SELECT";
            default -> throw new IllegalStateException(field + " has an unexpected type");
          });
    }
    return v;
  }

  /** A vector with only the required fields: every feature unknown (null). */
  static FeatureVector sparse(String templateId, long dbid, Instant eventTime) {
    return FeatureVector.newBuilder()
        .setTemplateId(templateId)
        .setEventTime(eventTime)
        .setDbid(dbid)
        .setInstanceNumber(1)
        .setSnapId(eventTime.getEpochSecond() / 900)
        .build();
  }

  /** A vector with {@code executions} set, to tell rows apart. */
  static FeatureVector row(String templateId, long dbid, Instant eventTime, long executions) {
    FeatureVector v = full(templateId, dbid, eventTime);
    v.setExecutions(executions);
    return v;
  }

  /** Every regular file under {@code dir}, relative to it, sorted. */
  static List<String> files(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .toList();
    }
  }
}
