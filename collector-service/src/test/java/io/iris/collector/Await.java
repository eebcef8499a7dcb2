package io.iris.collector;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling it, for tests; fails with what was awaited. */
final class Await {
  private Await() {}

  static void until(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
      }
      Thread.sleep(20);
    }
  }
}
