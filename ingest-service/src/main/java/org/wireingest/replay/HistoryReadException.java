package org.wireingest.replay;

/** Reading or writing history failed (Kafka unreachable, no progress, a write not acknowledged). */
public final class HistoryReadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message one line naming the topic and what failed
   * @param cause the client's error; may be null
   */
  public HistoryReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
