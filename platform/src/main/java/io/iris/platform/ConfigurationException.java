package io.iris.platform;

/**
 * A setting is missing or wrong. The message names the variable and says what to set: a service
 * that gets one stops at start-up instead of running half-configured.
 */
public final class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }
}
