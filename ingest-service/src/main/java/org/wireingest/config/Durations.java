package org.wireingest.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as people write them on the command line and in YAML: the short form ({@code
 * 500ms}, {@code 20s}, {@code 5m}, {@code 2h}, {@code 30d}) and ISO-8601 ({@code PT20S}, {@code
 * P30D}, {@code PT1H30M}). One parser for the whole project.
 */
public final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @param text a duration, e.g. {@code 20s} or {@code PT20S}; surrounding blanks ignored
   * @return the duration (may be zero, never negative)
   * @throws IllegalArgumentException when {@code text} is null, blank, negative or not a duration;
   *     the message quotes the input and shows the accepted forms
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration (use e.g. 20s, 5m, 2h, 30d or ISO-8601 PT20S)");
    }
    String t = text.trim();
    Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        default:
          return Duration.ofDays(n);
      }
    }
    try {
      Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative duration '" + text + "'");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (use e.g. 20s, 5m, 2h, 30d or ISO-8601 PT20S, P30D)");
    }
  }
}
