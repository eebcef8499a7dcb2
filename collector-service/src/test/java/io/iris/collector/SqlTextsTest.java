package io.iris.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SqlTextsTest {

  @Test
  void keepsTextsPerDatabaseUpToItsCharactersLeastRecentlyUsedOutFirst() {
    SqlTexts texts = new SqlTexts(10);
    texts.put(1, "a", "SELECT");
    texts.put(2, "a", "DUAL");
    assertEquals("SELECT", texts.get(1, "a"));
    assertEquals("DUAL", texts.get(2, "a"), "a sql_id is per database");
    texts.get(1, "a");
    texts.put(1, "b", "FROM");
    assertNull(texts.get(2, "a"), "the least recently used went to make room");
    assertEquals("SELECT", texts.get(1, "a"));
    assertEquals("FROM", texts.get(1, "b"));
    texts.put(1, "c", "SELECT * FROM T");
    assertNull(texts.get(1, "c"), "a text larger than the whole budget is not kept");
    assertEquals(2, texts.size());
  }
}
