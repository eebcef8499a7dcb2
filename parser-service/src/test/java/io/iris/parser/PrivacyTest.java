package io.iris.parser;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.iris.schemas.avro.TemplateObservation;
import io.iris.simulator.SampleApplication;
import io.iris.simulator.SqlShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever literal values a statement carries, none of them appears in any output record.
 * Random values are injected into every statement of the sample application, many times.
 */
class PrivacyTest {
  private static final int ROUNDS = 40;

  @Test
  void noInjectedLiteralAppearsInAnyObservation() {
    SplittableRandom random = new SplittableRandom(20261126);
    try (StatementParser parser = new StatementParser(Duration.ofSeconds(2), 2)) {
      SnapshotTemplater templater = new SnapshotTemplater(parser, 10_000);
      int checked = 0;
      for (int round = 0; round < ROUNDS; round++) {
        List<String> texts = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        for (SqlShape shape : SampleApplication.SHAPES) {
          texts.add(inject(shape.text(), random, secrets));
        }
        for (TemplateObservation o :
            templater.observations(Snapshots.snapshot("db", round, texts))) {
          String record = o.toString();
          for (String secret : secrets) {
            assertFalse(
                record.contains(secret), () -> "literal " + secret + " leaked into " + record);
            checked++;
          }
        }
      }
      org.junit.jupiter.api.Assertions.assertTrue(
          checked > 100_000, "literals checked: " + checked);
    }
  }

  /** Replaces the shape's literal markers with random values, remembering each. */
  private static String inject(String text, SplittableRandom random, List<String> secrets) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      if (text.startsWith("#in", i)) {
        int n = 1 + random.nextInt(5);
        for (int k = 0; k < n; k++) {
          out.append(k > 0 ? ", " : "").append(number(random, secrets));
        }
        i += 2;
      } else if (text.startsWith("#n", i) || text.startsWith("#f", i)) {
        out.append(
            text.startsWith("#f", i) ? number(random, secrets) + ".75" : number(random, secrets));
        i += 1;
      } else if (text.startsWith("#s", i)) {
        String secret = "Zq" + Long.toString(random.nextLong(1L << 40, 1L << 50), 36) + "x";
        secrets.add(secret);
        String[] quoting = {
          "'" + secret + "'", "q'[" + secret + "]'", "N'" + secret + "'", "'o''" + secret + "'"
        };
        out.append(quoting[random.nextInt(quoting.length)]);
        i += 1;
      } else if (text.startsWith("#d", i)) {
        String day = "2026-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10);
        secrets.add(day);
        out.append("DATE '").append(day).append('\'');
        i += 1;
      } else {
        out.append(text.charAt(i));
      }
    }
    return out.toString();
  }

  private static String number(SplittableRandom random, List<String> secrets) {
    String value = Long.toString(random.nextLong(10_000_000L, 999_999_999L));
    secrets.add(value);
    return value;
  }
}
