package io.iris.collector;

/**
 * A database cannot be read as IRIS needs: missing grants, no Diagnostics Pack, wrong credentials.
 * The message says what to fix; retrying does not help until it is fixed.
 */
public final class AwrAccessException extends Exception {
  private static final long serialVersionUID = 1L;

  public AwrAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
