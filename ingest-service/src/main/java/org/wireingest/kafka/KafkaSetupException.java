package org.wireingest.kafka;

/**
 * Kafka could not be started, reached or prepared: the embedded broker's data dir is in use or not
 * writable, the broker did not become ready in time, a topic could not be created. Broken
 * infrastructure, not an expected outcome: the message is written for the person running
 * wire-ingest (it names the directory, address or topic and what to do), so a command prints it as
 * it is and stops.
 */
public final class KafkaSetupException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, for a person; never null
   */
  public KafkaSetupException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong, for a person; never null
   * @param cause the underlying failure; may be null
   */
  public KafkaSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
