package io.iris.parser;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import org.junit.jupiter.api.Test;

class ParseWatchdogTest {
  @Test
  void stopsAParsePastItsDeadlineAndLeavesFinishedOnesAlone() throws Exception {
    String sql = "SELECT a FROM t WHERE b = ? AND c IN (SELECT c FROM u WHERE d = ?)";
    try (ParseWatchdog watchdog = new ParseWatchdog(Duration.ofMillis(25))) {
      long past = System.nanoTime() - 1;
      CCJSqlParser finished = CCJSqlParserUtil.newParser(sql);
      watchdog.watch(finished, past).close();
      CCJSqlParser overdue = CCJSqlParserUtil.newParser(sql);
      try (ParseWatchdog.Watch watch = watchdog.watch(overdue, past)) {
        while (!overdue.interrupted) {
          Thread.sleep(5);
        }
      }
      // The watchdog looked after the first watch had ended.
      assertFalse(finished.interrupted);
      // JSqlParser gives up on a flagged parse.
      assertThrows(ParseException.class, overdue::Statement);
      assertTrue(finished.Statement() != null);
    }
  }
}
