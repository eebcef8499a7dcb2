package io.iris.infra;

/** A component could not be started or reached; the message says what to do about it. */
public final class InfraException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InfraException(String message) {
    super(message);
  }

  public InfraException(String message, Throwable cause) {
    super(message, cause);
  }
}
