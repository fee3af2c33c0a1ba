package org.wireingest.logging;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.List;
import java.util.Locale;

/**
 * The level of wire-ingest's own lines for {@code logback.xml}: the environment variable {@value
 * #VARIABLE} (or a Logback property or system property of that name) when it names a level, else
 * {@code INFO}. Logback itself takes a name that is no level ({@code WARNING}, {@code VERBOSE}, a
 * typo) for {@code DEBUG}, without a word: an operator asking for fewer lines got many more. Such a
 * value is reported as a Logback warning, printed at start-up.
 */
public final class OwnLogLevel extends PropertyDefinerBase {

  /** The variable that sets the level. */
  public static final String VARIABLE = "WIRE_INGEST_LOG_LEVEL";

  static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  private static final String DEFAULT = "INFO";

  @Override
  public String getPropertyValue() {
    String given = getContext() == null ? null : getContext().getProperty(VARIABLE);
    if (given == null) {
      given = System.getProperty(VARIABLE);
    }
    if (given == null) {
      given = System.getenv(VARIABLE);
    }
    if (given == null || given.isBlank()) {
      return DEFAULT;
    }
    String level = given.strip().toUpperCase(Locale.ROOT);
    if (LEVELS.contains(level)) {
      return level;
    }
    addWarn(
        VARIABLE
            + "="
            + given
            + " is no log level (one of "
            + String.join(", ", LEVELS)
            + "): wire-ingest's lines are logged at "
            + DEFAULT);
    return DEFAULT;
  }
}
