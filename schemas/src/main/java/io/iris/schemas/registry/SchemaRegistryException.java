package io.iris.schemas.registry;

import java.util.OptionalInt;

/**
 * A schema registry call failed. The message names the registry, the subject or id, and the
 * registry's own error code and text, so the reader knows what to fix.
 */
public final class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Confluent error code: subject not found. */
  public static final int SUBJECT_NOT_FOUND = 40401;

  /** Confluent error code: schema not found. */
  public static final int SCHEMA_NOT_FOUND = 40403;

  private final int httpStatus;
  private final int errorCode;

  SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The HTTP status, or empty when the registry was not reached. */
  public OptionalInt httpStatus() {
    return httpStatus > 0 ? OptionalInt.of(httpStatus) : OptionalInt.empty();
  }

  /** The Confluent error code from the response body (e.g. 40401), or 0. */
  public int errorCode() {
    return errorCode;
  }

  /**
   * Whether the registry could not be reached or failed itself (a 5xx, 408 or 429 answer): asked
   * again later, it may answer. Records waiting on it are fine and must not be dead-lettered.
   */
  public boolean isUnavailable() {
    return httpStatus == 0 || httpStatus == 408 || httpStatus == 429 || httpStatus >= 500;
  }

  /** Whether the subject or schema asked for does not exist. */
  public boolean isNotFound() {
    return errorCode == SUBJECT_NOT_FOUND || errorCode == SCHEMA_NOT_FOUND || httpStatus == 404;
  }
}
