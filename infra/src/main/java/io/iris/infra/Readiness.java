package io.iris.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Polls a component until it answers, failing early when its process dies. */
public final class Readiness {
  private static final Duration POLL = Duration.ofMillis(100);

  /** A check that throws while the component is not ready yet. */
  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  private Readiness() {}

  /**
   * Runs {@code check} until it passes or {@code timeout} runs out. Fails at once, with the tail of
   * its log, when {@code process} (if not null) exits first.
   */
  public static void await(String what, LocalProcess process, Duration timeout, Check check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new InfraException(
            what
                + " exited during start-up. Last lines of "
                + process.logFile()
                + ":\n"
                + process.logTail(30));
      }
      try {
        check.run();
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InfraException("interrupted while waiting for " + what, e);
      } catch (Exception e) {
        last = e;
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InfraException("interrupted while waiting for " + what, e);
      }
    }
    String tail =
        process == null ? "" : "\nLast lines of " + process.logFile() + ":\n" + process.logTail(30);
    throw new InfraException(
        what
            + " was not ready after "
            + timeout.toSeconds()
            + " s (last error: "
            + last
            + ")"
            + tail,
        last);
  }

  /** Whether something accepts TCP connections on {@code host:port}. */
  public static boolean isListening(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A port nobody listens on right now, chosen by the kernel. */
  public static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new InfraException("no free TCP port on this machine", e);
    }
  }
}
