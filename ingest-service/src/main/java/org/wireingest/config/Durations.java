package org.wireingest.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as people write them on the command line and in YAML: the short form ({@code
 * 500ms}, {@code 20s}, {@code 5m}, {@code 2h}, {@code 30d}, and their sums with the units in
 * descending order, {@code 1h30m}) and ISO-8601 ({@code PT20S}, {@code P30D}, {@code PT1H30M}). One
 * parser for the whole project.
 */
public final class Durations {

  /**
   * The short form: one or more parts, a number and its unit, the units in descending order and
   * each at most once ({@code 1h30m}, {@code 1d 12h}, {@code 2m30s}), as Go and Kubernetes write
   * them. The blanks after a unit belong to its part, so that a run of blanks is matched one way
   * only: free-standing {@code \s*} between the optional parts let the matcher try every way to
   * split it among them, and "1d", 160 blanks and "x" took a second, 320 blanks 12 s.
   */
  private static final Pattern SHORT =
      Pattern.compile(
          "(?:(\\d+)\\s*d\\s*)?(?:(\\d+)\\s*h\\s*)?(?:(\\d+)\\s*m(?!s)\\s*)?(?:(\\d+)\\s*s\\s*)?(?:(\\d+)\\s*ms)?");

  private Durations() {}

  /**
   * @param text a duration, e.g. {@code 20s} or {@code PT20S}; surrounding blanks ignored
   * @return the duration (may be zero, never negative), at most {@link Long#MAX_VALUE} ms (about
   *     292 million years), so {@link Duration#toMillis()} and adding it to an {@link
   *     java.time.Instant} of this era never overflow
   * @throws IllegalArgumentException when {@code text} is null, blank, negative, longer than that
   *     or not a duration; the message quotes the input and shows the accepted forms
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "empty duration (use e.g. 20s, 5m, 2h, 30d or ISO-8601 PT20S)");
    }
    String t = text.trim();
    if (t.startsWith("-") && isDuration(t.substring(1).trim())) {
      // neither form reads "-5s", and "-PT5S" parses: both are negative, not "not a duration";
      // "-" or "-abc" is not a duration
      throw new IllegalArgumentException("negative duration '" + text + "'");
    }
    Duration d;
    try {
      d = parseUnbounded(t);
      d.toMillis(); // throws when it does not fit
    } catch (NumberFormatException | ArithmeticException tooLong) {
      throw new IllegalArgumentException(
          "'" + text + "' is too long a duration (at most " + Long.MAX_VALUE + "ms)");
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a duration (use e.g. 20s, 5m, 1h30m, 30d or ISO-8601 PT20S, P30D)");
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration '" + text + "'");
    }
    return d;
  }

  /**
   * Whether a text is written as a duration, in either form and with either sign, however long:
   * {@link #parse} refuses such a text only for its sign or its size, and its message says which.
   * Lets a caller that also reads other kinds of values (instants, dates) pass that message on
   * rather than say the text is none of them.
   *
   * @param text any text; null gives false
   * @return true for e.g. {@code 30d}, {@code -5m}, {@code 99999999999999999999s}, {@code P30D}
   */
  public static boolean isDurationForm(String text) {
    if (text == null) {
      return false;
    }
    String t = text.trim();
    if (t.startsWith("-")) {
      t = t.substring(1).trim();
    }
    return !t.isEmpty() && SHORT.matcher(t.toLowerCase(Locale.ROOT)).matches() || isDuration(t);
  }

  private static boolean isDuration(String t) {
    try {
      parseUnbounded(t);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Duration parseUnbounded(String t) {
    Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
    if (!m.matches() || t.isEmpty()) {
      return Duration.parse(t.toUpperCase(Locale.ROOT));
    }
    Duration d = Duration.ZERO;
    d = d.plusDays(part(m, 1));
    d = d.plusHours(part(m, 2));
    d = d.plusMinutes(part(m, 3));
    d = d.plusSeconds(part(m, 4));
    return d.plusMillis(part(m, 5));
  }

  /** The number of one part of the short form; 0 when it is not written. */
  private static long part(Matcher m, int group) {
    return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
  }

  /**
   * Writes a duration in the short form {@link #parse} reads and the help texts use, for messages
   * that quote a value back to the user: the number of the largest unit ({@code d}, {@code h},
   * {@code m}, {@code s}, {@code ms}) that holds it exactly, so {@code 30s}, {@code 90s}, {@code
   * 3d}, {@code 36h}, {@code 500ms}, {@code 0s}. Both {@code 30s} and {@code PT30S} come back as
   * {@code 30s}.
   *
   * @param d a duration; not null
   * @return its short form, or its ISO-8601 form ({@link Duration#toString()}) when it is negative
   *     or not a whole number of milliseconds, which the short form cannot write
   */
  public static String format(Duration d) {
    if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
      return d.toString();
    }
    long seconds = d.getSeconds();
    if (d.getNano() != 0) {
      try {
        return Math.addExact(Math.multiplyExact(seconds, 1000L), d.getNano() / 1_000_000) + "ms";
      } catch (ArithmeticException tooLong) {
        return d.toString();
      }
    }
    if (seconds == 0) {
      return "0s";
    }
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
