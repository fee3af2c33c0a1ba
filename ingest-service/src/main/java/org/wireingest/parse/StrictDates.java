package org.wireingest.parse;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two date shapes most feed entries carry, read without Rome: exactly what Rome's {@code
 * DateParser.parseDate(raw, Locale.US)} gives for them, at a fraction of the cost (Rome builds a
 * {@code SimpleDateFormat} per mask per call and tries up to 21 masks; it was a fifth of the
 * parse-and-normalise time, see docs/benchmarks-history.md). Anything else, including every case
 * where Rome's lenient parsing could read the string differently, is left to Rome. Pure and
 * thread-safe.
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
 *
 * <p>Rome's rolled-over reading of an impossible date ({@code Tue, 31 Nov 2026 08:00:00 GMT} as 1
 * December, {@code 2026-13-01} as January 2027) is caught by {@link #fieldsInRange(String)}, which
 * checks the fields of any string Rome's masks read, in these shapes or not; its misreading of a
 * fraction of a second that is not three digits ({@code .123456} as 123456 ms) by {@link
 * #fractionReadAsWritten(String)}.
 */
final class StrictDates {

  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  /**
   * The date of Rome's W3C masks, at the start: {@code yyyy-MM-dd} or {@code yyyy-MM}, digits as
   * many as written.
   */
  private static final Pattern W3C_DATE = Pattern.compile("(\\d+)-(\\d+)(?:-(\\d+))?");

  /**
   * The date of Rome's RFC 822 masks, anywhere: {@code d MMM yy} (or {@code yyyy}), the month a
   * word. Its day starts a run of digits, and no part gives back what it took: tried from every
   * digit of a long run, each attempt read the rest of the run, and a date of 40,000 digits took 15
   * s to check.
   */
  private static final Pattern RFC_822_DATE =
      Pattern.compile("(?<!\\d)(\\d++)\\s++(\\p{Alpha}++)\\s++(\\d++)");

  /**
   * Only digits, other than the four of a year alone (W3C-DTF's {@code YYYY}), with white space at
   * the ends: Rome's {@code yyyy} mask reads all of them as the year ({@code 1762161300}, a Unix
   * time, as the year 1762161300).
   */
  private static final Pattern DIGITS = Pattern.compile("\\s*+(?!\\d{4}\\s*+$)\\d++\\s*+");

  /**
   * The time of either, its first occurrence after a space or {@code T}: {@code HH:mm} or {@code
   * HH:mm:ss}.
   */
  private static final Pattern TIME = Pattern.compile("[\\sTt](\\d+):(\\d+)(?::(\\d+))?");

  /**
   * A fraction of a second as Rome's W3C masks meet it: a dot or comma and digits right after the
   * seconds of the first {@code HH:mm:ss}.
   */
  private static final Pattern SECONDS_FRACTION =
      Pattern.compile("[\\sTt]\\d+:\\d+:\\d+([.,])(\\d*)");

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

  /**
   * Whether the date and time fields written in a string are within range, so that what Rome's
   * lenient {@code DateParser} reads from it is the date written and not a rolled-over one. Checks
   * the fields of Rome's two mask families wherever the string has them: a W3C date ({@code
   * yyyy-MM-dd}, {@code yyyy-MM}) at the start, else an RFC 822 date ({@code d MMM yy[yy]}, the
   * month an English name, full or abbreviated, in any case; another word is not checked), then the
   * first time ({@code HH:mm[:ss]}).
   *
   * <p>In range: month 1 to 12; day 1 to the month's length (29 February in leap years only; a
   * two-digit year is taken as 20yy, which Rome reads it as until 2046 and which has the same leap
   * years as 19yy but for 2000); hour 0 to 23; minute and second 0 to 59. A leap second ({@code
   * 23:59:60}, which RFC 3339 and RFC 5322 allow) is out of range here too: Rome reads it as second
   * 0 of the next minute, and {@link FeedDates} reads it as the second before it, where it is one
   * (after 23:59:59 UTC). Years and zones are not checked, nor are fractions of a second ({@link
   * #fractionReadAsWritten(String)} checks those).
   *
   * @param raw a date string Rome read; null gives true
   * @return false when a field is out of range (31 November, 30 February 2026, month 13, hour 24,
   *     minute or second 60), or the string is only digits but for a four-digit year ({@code
   *     1762161300}, read by Rome as that year): the date must not be taken from Rome
   */
  static boolean fieldsInRange(String raw) {
    if (raw == null) {
      return true;
    }
    if (DIGITS.matcher(raw).matches()) {
      return false;
    }
    Matcher w3c = W3C_DATE.matcher(raw);
    Matcher rfc = RFC_822_DATE.matcher(raw);
    if (w3c.lookingAt()) {
      if (!dateInRange(
          number(w3c.group(1)),
          number(w3c.group(2)),
          w3c.group(3) == null ? 1 : number(w3c.group(3)))) {
        return false;
      }
    } else if (rfc.find()) {
      int month = englishMonth(rfc.group(2));
      String year = rfc.group(3);
      if (month > 0
          && !dateInRange(
              year.length() == 2 ? 2000 + number(year) : number(year),
              month,
              number(rfc.group(1)))) {
        return false;
      }
    }
    Matcher time = TIME.matcher(raw);
    return !time.find()
        || (number(time.group(1)) <= 23
            && number(time.group(2)) <= 59
            && (time.group(3) == null || number(time.group(3)) <= 59));
  }

  /**
   * Whether Rome's {@code DateParser} reads the fraction of a second written in a string (if any)
   * as written. RFC 3339 ({@code time-secfrac = "." 1*DIGIT}) and W3C-DTF allow any number of
   * fraction digits, but Rome's W3C masks ({@code ss.SSS}) read the digits after the dot as a whole
   * number of milliseconds, and drop a fraction written after a comma (ISO 8601's other decimal
   * sign) when a zone follows:
   *
   * <ul>
   *   <li>{@code 2026-11-30T08:00:00.123456Z} is read as 123456 ms, 2 min 3.456 s late; nine digits
   *       ({@code .123456789}) are days late;
   *   <li>{@code .5} and {@code .50} are read as 5 and 50 ms, not 500 ms;
   *   <li>{@code ,5Z} is read as {@code :00}, half a second early.
   * </ul>
   *
   * <p>Only a dot and exactly three digits ({@code .123}, milliseconds) are read as written. Rome's
   * RFC 822 masks read no fraction at all, so a fraction there is never Rome's reading either. A
   * string with no seconds fraction is read as written, as far as the fraction goes.
   *
   * @param raw a date string; null gives true
   * @return false when the string has a seconds fraction other than a dot and three digits: Rome's
   *     reading of it must not be taken ({@link FeedDates} reads it exactly)
   */
  static boolean fractionReadAsWritten(String raw) {
    if (raw == null) {
      return true;
    }
    Matcher fraction = SECONDS_FRACTION.matcher(raw);
    return !fraction.find() || (fraction.group(1).equals(".") && fraction.group(2).length() == 3);
  }

  private static boolean dateInRange(int year, int month, int day) {
    return month >= 1
        && month <= 12
        && day >= 1
        && day <= Month.of(month).length(Year.isLeap(year));
  }

  /**
   * @return 1 to 12 for an English month name or its three-letter abbreviation in any case, else -1
   */
  private static int englishMonth(String word) {
    for (Month month : Month.values()) {
      if (month.name().equalsIgnoreCase(word)
          || month.name().substring(0, 3).equalsIgnoreCase(word)) {
        return month.getValue();
      }
    }
    return -1;
  }

  /**
   * @return the value of a run of ASCII digits, {@link Integer#MAX_VALUE} when it has more than
   *     nine
   */
  private static int number(String digits) {
    return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
  }

  /** {@code yyyy-MM-ddTHH:mm:ss} then {@code Z} or {@code ±HH:MM}; exactly 20 or 25 characters. */
  private static Instant rfc3339(String s) {
    if (!(s.length() == 20 || s.length() == 25)
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
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
        || s.charAt(i) != ' '
        || s.charAt(i + 4) != ' '
        || s.charAt(i + 9) != ' '
        || s.charAt(i + 12) != ':'
        || s.charAt(i + 15) != ':'
        || s.charAt(i + 18) != ' ') {
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
    return instant != null && actual.getDisplayName(TextStyle.SHORT, Locale.US).equals(weekday)
        ? instant
        : null;
  }

  private static Instant instant(
      int year, int month, int day, int hour, int minute, int second, int offsetSeconds) {
    if (year < 1900
        || year > 2999
        || hour > 23
        || minute > 59
        || second > 59
        || offsetSeconds == Integer.MIN_VALUE) {
      return null;
    }
    // LocalDateTime.of rejects month 13, day 0, 30 February and the like (DateTimeException)
    return LocalDateTime.of(year, month, day, hour, minute, second)
        .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
  }

  /**
   * @return the offset in seconds, or {@link Integer#MIN_VALUE} when it is not {@code ±HH MM}
   *     within range
   */
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

  /**
   * @return the decimal value of {@code count} ASCII digits at {@code from}, or -1 when one is not
   *     a digit
   */
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
