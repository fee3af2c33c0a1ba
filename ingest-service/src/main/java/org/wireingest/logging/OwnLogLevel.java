package org.wireingest.logging;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The level of wire-ingest's own lines for {@code logback.xml}: the environment variable {@value
 * #VARIABLE} (or a Logback or system property of that name) when it names a level, case and blanks
 * aside, else {@code INFO}. Logback itself takes a name that is no level ({@code WARNING}, {@code
 * VERBOSE}, a typo) for {@code DEBUG}, without a word: an operator asking for fewer lines got many
 * more. Such a value is told by {@link #problem}, which the command line logs as a WARN line; not
 * as a Logback status warning, which would make Logback print its whole configuration status on
 * standard output, where {@code check-feed} and {@code tail} write their JSON.
 */
public final class OwnLogLevel extends PropertyDefinerBase {

  /** The variable that sets the level. */
  public static final String VARIABLE = "WIRE_INGEST_LOG_LEVEL";

  /** The levels {@value #VARIABLE} takes, in any case: TRACE, DEBUG, INFO, WARN, ERROR, OFF. */
  public static final List<String> LEVELS =
      List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  private static final String DEFAULT = "INFO";

  @Override
  public String getPropertyValue() {
    String given = getContext() == null ? null : getContext().getProperty(VARIABLE);
    return level(given == null ? given() : given).orElse(DEFAULT);
  }

  /**
   * @return the value given: the system property {@value #VARIABLE}, else the environment variable;
   *     null when neither is set
   */
  public static String given() {
    String given = System.getProperty(VARIABLE);
    return given != null ? given : System.getenv(VARIABLE);
  }

  /**
   * @param given a value of {@value #VARIABLE}; null when not set
   * @return a warning when {@code given} is set and names no level, e.g. {@code
   *     WIRE_INGEST_LOG_LEVEL=WARNING is no log level (one of TRACE, ...): wire-ingest's lines are
   *     logged at INFO}; empty otherwise
   */
  public static Optional<String> problem(String given) {
    if (given == null || given.isBlank() || level(given).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        VARIABLE
            + "="
            + given
            + " is no log level (one of "
            + String.join(", ", LEVELS)
            + "): wire-ingest's lines are logged at "
            + DEFAULT);
  }

  /**
   * The level {@code given} names, as {@value #VARIABLE} takes it: one of {@link #LEVELS}, case and
   * blanks aside.
   *
   * @param given a level's name as typed, e.g. {@code warn}; may be null
   * @return the level in upper case, e.g. {@code WARN}; empty for null, blank or no level
   */
  public static Optional<String> level(String given) {
    if (given == null || given.isBlank()) {
      return Optional.empty();
    }
    String level = given.strip().toUpperCase(Locale.ROOT);
    return LEVELS.contains(level) ? Optional.of(level) : Optional.empty();
  }
}
