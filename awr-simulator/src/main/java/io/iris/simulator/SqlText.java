package io.iris.simulator;

import java.time.LocalDate;
import java.util.SplittableRandom;

/** Turns a shape into the text one of its literal variants has. */
final class SqlText {
  private static final String[] WORDS = {
    "NEW", "PAID", "SHIPPED", "gold", "DE", "FR", "web", "o'brien", "ACME", "%phone%"
  };

  private SqlText() {}

  /** The text, and the length of its IN-list (0 without one). */
  record Rendered(String text, int inListLength) {}

  /**
   * Variant {@code variant} of {@code shape}: the same variant always has the same literals. With
   * {@code longTextBytes > 0}, every seventh variant of a shape with an IN-list has a list
   * thousands of literals long, up to that size, and variant 1 of the first such shape ten times
   * that.
   */
  static Rendered render(SqlShape shape, int variant, long seed, int longTextBytes) {
    if (!shape.hasLiterals()) {
      return new Rendered(shape.text(), 0);
    }
    SplittableRandom random = new SplittableRandom(seed ^ shape.id().hashCode() * 31L ^ variant);
    int inLength = 1 + random.nextInt(20);
    int target = 0;
    if (longTextBytes > 0 && shape.text().contains("#in")) {
      if (shape.id().equals("products-in") && variant == 1) {
        target = longTextBytes * 10;
      } else if (variant % 7 == 0) {
        target = 1000 + random.nextInt(longTextBytes);
      }
    }
    String template = shape.text();
    StringBuilder out = new StringBuilder(Math.max(template.length() * 2, target + 64));
    int inListLength = 0;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c != '#') {
        out.append(c);
        continue;
      }
      if (template.startsWith("#in", i)) {
        int count = target > 0 ? Integer.MAX_VALUE : inLength;
        int start = out.length();
        for (int k = 0; k < count; k++) {
          if (k > 0) {
            out.append(", ");
          }
          out.append(100 + random.nextInt(900_000));
          if (target > 0 && out.length() - start >= target) {
            count = k + 1;
          }
        }
        inListLength = count;
        i += 2;
      } else if (template.startsWith("#n", i)) {
        out.append(1 + random.nextInt(99_999));
        i += 1;
      } else if (template.startsWith("#f", i)) {
        out.append(random.nextInt(1000))
            .append('.')
            .append(random.nextInt(10))
            .append(random.nextInt(10));
        i += 1;
      } else if (template.startsWith("#s", i)) {
        String word =
            WORDS[random.nextInt(WORDS.length)] + (random.nextBoolean() ? random.nextInt(100) : "");
        out.append('\'').append(word.replace("'", "''")).append('\'');
        i += 1;
      } else if (template.startsWith("#d", i)) {
        out.append("DATE '")
            .append(LocalDate.of(2026, 1, 1).plusDays(random.nextInt(330)))
            .append('\'');
        i += 1;
      } else {
        out.append(c);
      }
    }
    return new Rendered(out.toString(), inListLength);
  }
}
