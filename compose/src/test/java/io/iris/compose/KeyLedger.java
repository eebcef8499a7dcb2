package io.iris.compose;

import java.util.Arrays;
import java.util.Optional;

/**
 * Record keys packed into longs, as many as a month of AWR makes (millions), in a few bytes each:
 * compared with the keys expected, it tells what is missing, what came twice and what came from
 * nowhere.
 */
final class KeyLedger {
  private long[] keys = new long[1024];
  private int size;

  void add(long key) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, keys.length * 2);
    }
    keys[size++] = key;
  }

  int size() {
    return size;
  }

  /**
   * How these keys differ from {@code expected}, each of which should be here exactly once; empty
   * when they do not.
   */
  Optional<String> differenceFrom(KeyLedger expected, String what) {
    long[] found = Arrays.copyOf(keys, size);
    long[] wanted = Arrays.copyOf(expected.keys, expected.size);
    Arrays.sort(found);
    Arrays.sort(wanted);
    long missing = 0;
    long twice = 0;
    long unknown = 0;
    int f = 0;
    int w = 0;
    while (f < found.length || w < wanted.length) {
      if (f > 0 && f < found.length && found[f] == found[f - 1]) {
        twice++;
        f++;
      } else if (w < wanted.length && (f == found.length || wanted[w] < found[f])) {
        missing++;
        w++;
      } else if (w == wanted.length || found[f] < wanted[w]) {
        unknown++;
        f++;
      } else {
        f++;
        w++;
      }
    }
    if (missing + twice + unknown == 0) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            "%s: %d of %d missing, %d more than once, %d not expected (%d found)",
            what, missing, wanted.length, twice, unknown, found.length));
  }
}
