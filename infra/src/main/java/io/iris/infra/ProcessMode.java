package io.iris.infra;

/** How a started process relates to the JVM that starts it. */
public enum ProcessMode {
  /**
   * Outlives the starter, in its own session (so closing the terminal does not stop it); found
   * again through its pid file. What {@code ./iris up} uses.
   */
  DAEMON,
  /**
   * Dies with the starter, even when the starter is killed with SIGKILL: {@link OrphanGuard}
   * watches the parent from inside the child. What the test fixture uses.
   */
  CHILD
}
