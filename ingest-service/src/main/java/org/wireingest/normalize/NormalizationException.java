package org.wireingest.normalize;

/**
 * A raw item that cannot become an article at all (no text to make a headline of, no identity).
 * Unchecked: the caller dead-letters the raw item with this message. Bad single fields never raise
 * it: they fall back and add a warning instead.
 */
public final class NormalizationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what is missing, naming the raw item (source id and item key)
   */
  public NormalizationException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong, naming the raw item
   * @param cause the underlying error
   */
  public NormalizationException(String message, Throwable cause) {
    super(message, cause);
  }
}
