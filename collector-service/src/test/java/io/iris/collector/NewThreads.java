package io.iris.collector;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The threads started since a moment, for tests that check a component leaves none behind. */
final class NewThreads {
  private final Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());

  /** Waits until every thread started since this object was made has ended. */
  void awaitNoneLeft(Duration timeout) throws InterruptedException {
    Await.until("threads left running: " + running(), timeout, () -> running().isEmpty());
  }

  private List<String> running() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive())
        // The JDK's shared pool outlives its users by design.
        .filter(t -> !t.getName().startsWith("ForkJoinPool.commonPool"))
        .map(Thread::getName)
        .toList();
  }
}
