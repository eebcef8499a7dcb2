package io.iris.collector;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SQL texts a source's collector has read, least recently used first out. A sql_id is a hash of
 * its text, so a text once read never changes, and AWR reports the same sql_ids snapshot after
 * snapshot: a snapshot's CLOBs (on Oracle a LOB round trip each) are then read only for the sql_ids
 * that are new. Bounded by characters, since a text can be megabytes.
 */
final class SqlTexts {
  /** About 64 MB of heap at most (two bytes a char in the worst case). */
  static final long DEFAULT_MAX_CHARS = 32L * 1024 * 1024;

  private final long maxChars;
  private long chars;
  private final LinkedHashMap<String, String> texts = new LinkedHashMap<>(1024, 0.75f, true);

  SqlTexts() {
    this(DEFAULT_MAX_CHARS);
  }

  SqlTexts(long maxChars) {
    this.maxChars = maxChars;
  }

  /** The text of {@code sqlId} in database {@code dbid}, or null when not read before. */
  synchronized String get(long dbid, String sqlId) {
    return texts.get(key(dbid, sqlId));
  }

  synchronized void put(long dbid, String sqlId, String text) {
    if (text.length() > maxChars) {
      return;
    }
    String previous = texts.put(key(dbid, sqlId), text);
    chars += text.length() - (previous == null ? 0 : previous.length());
    var eldest = texts.entrySet().iterator();
    while (chars > maxChars && eldest.hasNext()) {
      Map.Entry<String, String> e = eldest.next();
      chars -= e.getValue().length();
      eldest.remove();
    }
  }

  synchronized int size() {
    return texts.size();
  }

  private static String key(long dbid, String sqlId) {
    return dbid + ":" + sqlId;
  }
}
