package io.iris.infra;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A test JVM killed with SIGKILL leaves no broker, registry or Redis behind. */
class OrphanGuardTest {

  /** Stands for a test JVM: starts a guarded child and waits to be killed. */
  public static final class Parent {
    public static void main(String[] args) throws Exception {
      new ProcessBuilder(JavaCommand.guarded(List.of("sleep", "300"))).inheritIO().start();
      Thread.sleep(Duration.ofMinutes(5));
    }
  }

  @Test
  void aGuardedChildDiesWithItsKilledParent() throws Exception {
    Process parent =
        new ProcessBuilder(
                Executables.currentJava().toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Parent.class.getName())
            .inheritIO()
            .start();
    try {
      ProcessHandle sleeper = awaitDescendant(parent.toHandle(), "sleep");
      parent.destroyForcibly().waitFor();
      sleeper.onExit().get(60, TimeUnit.SECONDS);
      assertFalse(sleeper.isAlive());
    } finally {
      parent.destroyForcibly();
    }
  }

  private static ProcessHandle awaitDescendant(ProcessHandle parent, String command)
      throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      Optional<ProcessHandle> found =
          parent
              .descendants()
              .filter(h -> h.info().command().map(c -> c.endsWith("/" + command)).orElse(false))
              .findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + command + "' process was started under " + parent.pid());
  }
}
