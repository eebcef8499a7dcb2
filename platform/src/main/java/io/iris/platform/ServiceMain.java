package io.iris.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every service's main ends on misconfiguration: with one {@code configuration: ...} line that
 * names what to fix, and exit status 2, instead of a stack trace and status 1. Supervisors
 * (systemd, Kubernetes) and the tests tell a setting to fix from a crash by it.
 */
public final class ServiceMain {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceMain.class);

  /** Exit status of a service that stopped on a {@link ConfigurationException}. */
  public static final int CONFIGURATION_ERROR = 2;

  /** A service's main. */
  @FunctionalInterface
  public interface Body {
    void run() throws Exception;
  }

  private ServiceMain() {}

  /** Runs {@code main}; a {@link ConfigurationException} ends the JVM with status 2. */
  public static void run(Body main) throws Exception {
    try {
      main.run();
    } catch (ConfigurationException e) {
      LOG.error("configuration: {}", e.getMessage());
      System.exit(CONFIGURATION_ERROR);
    }
  }
}
