package org.wireingest.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's lenient parser for the date strings feeds carry, used when Rome's own date parsing
 * gives up. Pure, thread-safe, never throws for any input.
 *
 * <p>Accepted shapes:
 *
 * <ul>
 *   <li>RFC 822 / RFC 1123 ({@code Sat, 07 Sep 2002 00:00:01 GMT}) and the variants feeds actually
 *       send: no weekday, single-digit day, month before day with a 12-hour clock ({@code Sat, Dec 16
 *       2023 02:02:33 PM}), no seconds, two-digit year (RFC 822 section 5; years
 *       below 50 are 20xx), full month names, named zones {@code GMT UT UTC Z EST EDT CST CDT MST
 *       MDT PST PDT CET CEST}, numeric offsets with or without a colon, no zone at all (read as
 *       UTC);
 *   <li>RFC 3339 / ISO-8601 ({@code 2002-09-07T00:00:01Z}) with fractional seconds, offsets with
 *       or without a colon, a space instead of {@code T}, no seconds, no zone (read as UTC), or a
 *       date alone (midnight UTC).
 * </ul>
 *
 * Weekday names are ignored, not checked against the date.
 */
public final class FeedDates {

  private static final Map<String, String> NAMED_ZONES =
      Map.ofEntries(
          Map.entry("GMT", "+0000"),
          Map.entry("UT", "+0000"),
          Map.entry("UTC", "+0000"),
          Map.entry("Z", "+0000"),
          Map.entry("EST", "-0500"),
          Map.entry("EDT", "-0400"),
          Map.entry("CST", "-0600"),
          Map.entry("CDT", "-0500"),
          Map.entry("MST", "-0700"),
          Map.entry("MDT", "-0600"),
          Map.entry("PST", "-0800"),
          Map.entry("PDT", "-0700"),
          Map.entry("CET", "+0100"),
          Map.entry("CEST", "+0200"));

  /** {@code [weekday[,]] day month year time [zone]} after whitespace was collapsed. */
  private static final Pattern RFC_822 =
      Pattern.compile(
          "(?:[A-Za-z]{2,9},?\\s*)?(\\d{1,2})[\\s-]([A-Za-z]{3,9})\\.?[\\s-](\\d{2}|\\d{4})\\s+"
              + "(\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?)\\s*([A-Za-z]{1,4}|[+-]\\d{1,2}:?\\d{2})?");

  /** {@code [weekday,] month day[,] year h:mm[:ss] [AM|PM] [zone]}: the US order some CMSs write. */
  private static final Pattern MONTH_FIRST =
      Pattern.compile(
          "(?:[A-Za-z]{2,9},?\\s*)?([A-Za-z]{3,9})\\.?\\s(\\d{1,2}),?\\s(\\d{4})\\s+"
              + "(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*([AaPp][Mm])?\\s*([A-Za-z]{1,4}|[+-]\\d{1,2}:?\\d{2})?");

  /** Date, optional time, optional zone: the ISO-8601 profiles seen in feeds. */
  private static final Pattern ISO_8601 =
      Pattern.compile(
          "(\\d{4}-\\d{2}-\\d{2})(?:[Tt ](\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?))?\\s*"
              + "([Zz]|[+-]\\d{2}(?::?\\d{2})?)?");

  private static final DateTimeFormatter RFC_822_NORMALISED =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("d MMM uuuu H:mm")
          .optionalStart()
          .appendPattern(":ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .optionalEnd()
          .appendLiteral(' ')
          .appendOffset("+HHMM", "+0000")
          .toFormatter(Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT);

  private static final DateTimeFormatter ISO_NORMALISED =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral('T')
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .appendOffset("+HH:MM", "Z")
          .toFormatter(Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT);

  private FeedDates() {}

  /**
   * Parses a feed date string.
   *
   * @param raw the date as written in the feed; may be null
   * @return the instant (UTC), or empty when {@code raw} is null, blank or in no accepted shape
   *     (also when it names an impossible date such as 31 February)
   */
  public static Optional<Instant> parse(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String text = raw.strip().replaceAll("\\s+", " ");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      Matcher iso = ISO_8601.matcher(text);
      if (iso.matches()) {
        return Optional.of(parseIso(iso));
      }
      Matcher rfc = RFC_822.matcher(text);
      if (rfc.matches()) {
        return rfc822(rfc.group(1), rfc.group(2), rfc.group(3), rfc.group(4), rfc.group(5));
      }
      Matcher us = MONTH_FIRST.matcher(text);
      if (us.matches()) {
        return rfc822(us.group(2), us.group(1), us.group(3), twentyFourHour(us), us.group(8));
      }
    } catch (DateTimeException e) {
      // an impossible field value (day 32, hour 25, month "Foo"): not a date
    }
    return Optional.empty();
  }

  private static Instant parseIso(Matcher m) {
    String time = m.group(2) == null ? "00:00" : m.group(2).replace(',', '.');
    String zone = m.group(3);
    if (zone == null) {
      return LocalDateTime.parse(m.group(1) + "T" + time).toInstant(ZoneOffset.UTC);
    }
    String offset = zone.equalsIgnoreCase("Z") ? "Z" : colonOffset(zone);
    return OffsetDateTime.parse(m.group(1) + "T" + time + offset, ISO_NORMALISED).toInstant();
  }

  /** {@code h:mm[:ss]} of a {@link #MONTH_FIRST} match on the 24-hour clock. */
  private static String twentyFourHour(Matcher m) {
    int hour = Integer.parseInt(m.group(4));
    String meridiem = m.group(7);
    if (meridiem != null) {
      if (hour < 1 || hour > 12) {
        throw new DateTimeException("hour " + hour + " with " + meridiem);
      }
      hour = hour % 12 + (meridiem.equalsIgnoreCase("PM") ? 12 : 0);
    }
    return hour + ":" + m.group(5) + (m.group(6) == null ? "" : ":" + m.group(6));
  }

  private static Optional<Instant> rfc822(String day, String monthName, String yearDigits, String time, String zoneText) {
    String zone = zoneText == null ? "+0000" : rfc822Offset(zoneText);
    if (zone == null) {
      return Optional.empty();
    }
    String month = monthName.length() > 3 ? monthName.substring(0, 3) : monthName;
    String year = yearDigits;
    if (year.length() == 2) {
      int yy = Integer.parseInt(year);
      year = Integer.toString(yy < 50 ? 2000 + yy : 1900 + yy);
    }
    String normalised = day + " " + month + " " + year + " " + time + " " + zone;
    try {
      TemporalAccessor parsed = RFC_822_NORMALISED.parse(normalised);
      return Optional.of(OffsetDateTime.from(parsed).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** A named zone or numeric offset as {@code +HHMM}; null for an unknown zone name. */
  private static String rfc822Offset(String zone) {
    char first = zone.charAt(0);
    if (first == '+' || first == '-') {
      String digits = zone.substring(1).replace(":", "");
      return first + (digits.length() == 3 ? "0" + digits : digits);
    }
    return NAMED_ZONES.get(zone.toUpperCase(Locale.ROOT));
  }

  /** {@code +05}, {@code +0530} or {@code +05:30} as {@code +05:30}. */
  private static String colonOffset(String zone) {
    String digits = zone.substring(1).replace(":", "");
    String minutes = digits.length() > 2 ? digits.substring(2) : "00";
    return zone.charAt(0) + digits.substring(0, 2) + ":" + minutes;
  }
}
