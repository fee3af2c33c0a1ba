package org.wireingest.parse;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * The two date shapes most feed entries carry, read without Rome: exactly what Rome's {@code
 * DateParser.parseDate(raw, Locale.US)} gives for them, at a fraction of the cost (Rome builds a
 * {@code SimpleDateFormat} per mask per call and tries up to 21 masks; it was a fifth of the
 * parse-and-normalise time, see docs/benchmarks-history.md). Anything else, including every case where
 * Rome's lenient parsing could read the string differently, is left to Rome. Pure and thread-safe.
 *
 * <ul>
 *   <li>RFC 1123: {@code Sat, 07 Sep 2002 00:00:01 GMT} or with a {@code +HHMM}/{@code -HHMM}
 *       offset; English weekday and month abbreviations as written there, a one- or two-digit day,
 *       four-digit year, seconds required; the weekday must be the date's.
 *   <li>RFC 3339 without fractional seconds: {@code 2002-09-07T00:00:01Z} or with a {@code
 *       +HH:MM}/{@code -HH:MM} offset.
 * </ul>
 *
 * <p>Only years 1900 to 2999 and valid field values are read (Rome's lenient parser rolls over out
 * of range fields, and its calendar is Julian before 1582): everything else gives null, meaning
 * "ask Rome".
 */
final class StrictDates {

  private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

  private StrictDates() {}

  /**
   * @param raw a date string, already trimmed; null gives null
   * @return the instant Rome would read, or null when {@code raw} is not one of the shapes above
   */
  static Instant parse(String raw) {
    if (raw == null || raw.length() < 20) {
      return null;
    }
    try {
      return Character.isDigit(raw.charAt(0)) ? rfc3339(raw) : rfc1123(raw);
    } catch (DateTimeException outOfRange) {
      return null;
    }
  }

  /** {@code yyyy-MM-ddTHH:mm:ss} then {@code Z} or {@code ±HH:MM}; exactly 20 or 25 characters. */
  private static Instant rfc3339(String s) {
    if (!(s.length() == 20 || s.length() == 25)
        || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    int offsetSeconds;
    if (s.length() == 20) {
      if (s.charAt(19) != 'Z') {
        return null;
      }
      offsetSeconds = 0;
    } else {
      if (s.charAt(22) != ':') {
        return null;
      }
      offsetSeconds = offset(s.charAt(19), digits(s, 20, 2), digits(s, 23, 2));
    }
    return instant(year, month, day, hour, minute, second, offsetSeconds);
  }

  /** {@code EEE, d MMM yyyy HH:mm:ss} then {@code GMT} or {@code ±HHMM}. */
  private static Instant rfc1123(String s) {
    if (s.charAt(3) != ',' || s.charAt(4) != ' ') {
      return null;
    }
    String weekday = s.substring(0, 3);
    int i = 5;
    int dayDigits = s.charAt(i + 1) == ' ' ? 1 : 2;
    int day = digits(s, i, dayDigits);
    i += dayDigits;
    // " MMM yyyy HH:mm:ss " is 19 characters, then the zone (3 or 5)
    int rest = s.length() - i;
    if (!(rest == 22 || rest == 24)
        || s.charAt(i) != ' ' || s.charAt(i + 4) != ' ' || s.charAt(i + 9) != ' ' || s.charAt(i + 12) != ':'
        || s.charAt(i + 15) != ':' || s.charAt(i + 18) != ' ') {
      return null;
    }
    int month = month(s.substring(i + 1, i + 4));
    int year = digits(s, i + 5, 4);
    int hour = digits(s, i + 10, 2);
    int minute = digits(s, i + 13, 2);
    int second = digits(s, i + 16, 2);
    String zone = s.substring(i + 19);
    int offsetSeconds;
    if (zone.equals("GMT")) {
      offsetSeconds = 0;
    } else if (zone.length() == 5) {
      offsetSeconds = offset(zone.charAt(0), digits(zone, 1, 2), digits(zone, 3, 2));
    } else {
      return null;
    }
    if (month < 1 || day < 1) {
      return null;
    }
    Instant instant = instant(year, month, day, hour, minute, second, offsetSeconds);
    DayOfWeek actual = LocalDate.of(year, month, day).getDayOfWeek();
    return instant != null && actual.getDisplayName(TextStyle.SHORT, Locale.US).equals(weekday) ? instant : null;
  }

  private static Instant instant(int year, int month, int day, int hour, int minute, int second, int offsetSeconds) {
    if (year < 1900 || year > 2999 || hour > 23 || minute > 59 || second > 59 || offsetSeconds == Integer.MIN_VALUE) {
      return null;
    }
    // LocalDateTime.of rejects month 13, day 0, 30 February and the like (DateTimeException)
    return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
  }

  /** @return the offset in seconds, or {@link Integer#MIN_VALUE} when it is not {@code ±HH MM} within range */
  private static int offset(char sign, int hours, int minutes) {
    if ((sign != '+' && sign != '-') || hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
      return Integer.MIN_VALUE;
    }
    int seconds = hours * 3600 + minutes * 60;
    return sign == '-' ? -seconds : seconds;
  }

  private static int month(String abbreviation) {
    for (int m = 0; m < MONTHS.length; m++) {
      if (MONTHS[m].equals(abbreviation)) {
        return m + 1;
      }
    }
    return -1;
  }

  /** @return the decimal value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit */
  private static int digits(String s, int from, int count) {
    if (from + count > s.length()) {
      return -1;
    }
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
