package org.wireingest.config;

/**
 * Invalid configuration: the message is one line that names the file, the item and the field, fit
 * to be printed as is. Commands exit with status 2 on it.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message one line naming the file, the source and the field at fault
   */
  public ConfigException(String message) {
    super(message);
  }
}
