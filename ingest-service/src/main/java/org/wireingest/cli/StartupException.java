package org.wireingest.cli;

/**
 * The service could not start (broker unreachable, data dir in use): printed as one line, exit 1.
 */
final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
