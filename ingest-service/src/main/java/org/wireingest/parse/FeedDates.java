package org.wireingest.parse;

import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 *       send: no weekday, single-digit day, month before day with a 12-hour clock ({@code Sat, Dec
 *       16 2023 02:02:33 PM}), no seconds, no time at all (midnight), two-digit year (RFC 822
 *       section 5 allows it; read as RFC 5322 section 4.3 says: 00-49 are 20xx, 50-99 19xx), a
 *       weekday after the year ({@code 30 Kasım 2026 Pazartesi 08:00}), numeric offsets with or
 *       without a colon or minutes, {@code GMT+3} / {@code UTC+03:00}, the named zones of {@link
 *       #NAMED_ZONES}, no zone at all (read as UTC here; the feed mapper then reads it in the
 *       offset of the document's own dates, {@link #statesNoZone}); after the zone, an RFC 5322
 *       comment ({@code +0300 (TRT)}, section 3.2.2; ignored, one, not nested), and nothing else;
 *   <li>month names in English, German, French, Spanish, Italian, Portuguese and Turkish, full or
 *       abbreviated (any prefix of at least three letters that names one month only: {@code Sept},
 *       {@code Okt}, {@code févr.}, {@code Kas}, {@code Kasım}), accents optional; weekday names in
 *       any language are skipped, not checked against the date;
 *   <li>RFC 3339 / ISO-8601 ({@code 2002-09-07T00:00:01Z}) with fractional seconds, offsets with or
 *       without a colon, a named zone of {@link #NAMED_ZONES} instead of an offset, a space instead
 *       of {@code T}, no seconds, no zone (read as UTC), or a date alone (midnight UTC);
 *   <li>a Unix time, which no feed format allows but some publishers write ({@code
 *       <pubDate>1762161300</pubDate>}): 9 or 10 digits are seconds since 1970-01-01T00:00Z
 *       (1973-03-03 to 2286-11-20), 13 digits milliseconds (2001-09-09 to 2286-11-20), as PHP's
 *       {@code time()} and JavaScript's {@code Date.now()} give them; other runs of digits ({@code
 *       20251103}, ISO 8601's basic form) are not read.
 * </ul>
 *
 * <p>A fraction of a second ({@code time-secfrac = "." 1*DIGIT} in RFC 3339, a comma too in the
 * ISO-8601 shape, a dot after the seconds in the RFC 822 shape) may have any number of digits and
 * is read as a decimal fraction: {@code .5} is 500 ms, {@code .123456} is 123.456 ms. The instant
 * keeps nanoseconds; digits past the ninth are dropped (truncated, never rounded up into the next
 * second).
 *
 * <p>A leap second, second 60 (RFC 3339 §5.6 and §5.7, RFC 5322 §3.3), is read as the second before
 * it, as {@link Instant#parse} does ({@code java.time} has no second 60): {@code
 * 2016-12-31T23:59:60Z} is {@code 2016-12-31T23:59:59Z}, with its fraction kept. A leap second is
 * only ever inserted after 23:59:59 UTC, so second 60 at any other time of the UTC day ({@code
 * 12:34:60Z}, {@code 23:59:60+03:00}) is not read, as another out-of-range field is not.
 */
public final class FeedDates {

  /**
   * Zone abbreviations read as fixed offsets: the RFC 822 set, Central and Eastern European ones
   * (with the German {@code MEZ}/{@code MESZ}), Türkiye ({@code TRT}) and Moscow, British Summer
   * Time and a few Asian and Australian ones. Ambiguous abbreviations ({@code IST}, {@code AST})
   * are left out: a date naming one is not read.
   */
  private static final Map<String, String> NAMED_ZONES =
      Map.ofEntries(
          Map.entry("GMT", "+0000"),
          Map.entry("UT", "+0000"),
          Map.entry("UTC", "+0000"),
          Map.entry("Z", "+0000"),
          Map.entry("WET", "+0000"),
          Map.entry("WEST", "+0100"),
          Map.entry("BST", "+0100"),
          Map.entry("EST", "-0500"),
          Map.entry("EDT", "-0400"),
          Map.entry("CST", "-0600"),
          Map.entry("CDT", "-0500"),
          Map.entry("MST", "-0700"),
          Map.entry("MDT", "-0600"),
          Map.entry("PST", "-0800"),
          Map.entry("PDT", "-0700"),
          Map.entry("CET", "+0100"),
          Map.entry("CEST", "+0200"),
          Map.entry("MEZ", "+0100"),
          Map.entry("MESZ", "+0200"),
          Map.entry("EET", "+0200"),
          Map.entry("EEST", "+0300"),
          Map.entry("TRT", "+0300"),
          Map.entry("MSK", "+0300"),
          Map.entry("HKT", "+0800"),
          Map.entry("SGT", "+0800"),
          Map.entry("JST", "+0900"),
          Map.entry("KST", "+0900"),
          Map.entry("AEST", "+1000"),
          Map.entry("AEDT", "+1100"));

  /** Languages whose month names are read (their JDK / CLDR names and abbreviations). */
  private static final List<Locale> MONTH_LANGUAGES =
      List.of(
          Locale.ENGLISH,
          Locale.GERMAN,
          Locale.FRENCH,
          Locale.ITALIAN,
          Locale.forLanguageTag("es"),
          Locale.forLanguageTag("pt"),
          Locale.forLanguageTag("tr"));

  /** Folded month name or unambiguous prefix (see {@link #fold}) to month number 1..12. */
  private static final Map<String, Integer> MONTHS = monthNames();

  private static final String ZONE =
      "((?:GMT|UTC|UT)[+-]\\d{1,2}(?::?\\d{2})?|[A-Za-z]{1,5}|[+-]\\d{1,2}(?::?\\d{2})?)";

  /**
   * An RFC 5322 comment (section 3.2.2) after the zone, {@code (TRT)}, {@code (Turkey Time)}:
   * characters other than parentheses and backslash, or backslash-quoted pairs; not nested.
   */
  private static final String COMMENT = "\\((?:[^()\\\\]|\\\\.)*\\)";

  /**
   * {@code [weekday[,]] day month year [weekday] [time [zone [(comment)]]]} after whitespace was
   * collapsed.
   */
  private static final Pattern RFC_822 =
      Pattern.compile(
          "(?:\\p{L}{2,12}\\.?,?\\s*)?(\\d{1,2})\\.?[\\s-](\\p{L}{3,10})\\.?,?[\\s-](\\d{2}|\\d{4}),?"
              + "(?:\\s+\\p{L}{2,12},?)?"
              + "(?:\\s+(\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?)(?:\\s*"
              + ZONE
              + "(?:\\s*"
              + COMMENT
              + ")?)?)?");

  /**
   * {@code [weekday,] month day[,] year h:mm[:ss] [AM|PM] [zone]}: the US order some CMSs write.
   */
  private static final Pattern MONTH_FIRST =
      Pattern.compile(
          "(?:\\p{L}{2,12}\\.?,?\\s*)?(\\p{L}{3,10})\\.?\\s(\\d{1,2}),?\\s(\\d{4})\\s+"
              + "(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*([AaPp][Mm])?\\s*"
              + ZONE
              + "?");

  /**
   * Date, optional time, optional zone: the ISO-8601 profiles seen in feeds; the zone {@code Z}, a
   * numeric offset or a name of {@link #NAMED_ZONES} ({@code 2026-11-30T08:00:00.5 GMT}, which Rome
   * reads with its fraction wrong).
   */
  private static final Pattern ISO_8601 =
      Pattern.compile(
          "(\\d{4}-\\d{2}-\\d{2})(?:[Tt ](\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?))?\\s*"
              + "([Zz]|[+-]\\d{2}(?::?\\d{2})?|[A-Za-z]{2,5})?");

  /** A time whose second is 60, {@code H:mm:60} with or without a fraction after it. */
  private static final Pattern LEAP_SECOND = Pattern.compile("(\\d{1,2}:\\d{2}):60(?=[.,]|$)");

  /** The last second of a UTC day, after which a leap second is inserted. */
  private static final LocalTime LAST_SECOND = LocalTime.of(23, 59, 59);

  /** A Unix time: 9 or 10 digits of seconds, or 13 of milliseconds. */
  private static final Pattern UNIX_TIME = Pattern.compile("\\d{9,10}|\\d{13}");

  private static final DateTimeFormatter RFC_822_NORMALISED =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("d M uuuu H:mm")
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
   * @return the instant (UTC, to the nanosecond), or empty when {@code raw} is null, blank or in no
   *     accepted shape (also when it names an impossible date such as 31 February)
   */
  public static Optional<Instant> parse(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String text = raw.strip().replaceAll("\\s+", " ");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (UNIX_TIME.matcher(text).matches()) {
      long number = Long.parseLong(text);
      return Optional.of(
          text.length() == 13 ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number));
    }
    try {
      Matcher iso = ISO_8601.matcher(text);
      if (iso.matches()) {
        return Optional.of(parseIso(iso));
      }
      Matcher rfc = RFC_822.matcher(text);
      if (rfc.matches()) {
        String time = rfc.group(4) == null ? "0:00" : rfc.group(4);
        return rfc822(rfc.group(1), rfc.group(2), rfc.group(3), time, rfc.group(5));
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

  /**
   * The offset a feed date string states: a numeric offset, {@code Z}, {@code GMT+3} or a named
   * zone of {@link #NAMED_ZONES} ({@code EST} is -05:00).
   *
   * @param raw the date as written in the feed; may be null
   * @return the offset; empty when {@code raw} is no date this class reads, or states no zone
   */
  public static Optional<ZoneOffset> statedOffset(String raw) {
    String zone = zoneOf(raw);
    if (zone == null || zone.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (zone.equalsIgnoreCase("Z")) {
        return Optional.of(ZoneOffset.UTC);
      }
      String offset = rfc822Offset(zone);
      return offset == null ? Optional.empty() : Optional.of(ZoneOffset.of(offset));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a feed date string is a date this class reads that states no zone at all ({@code Sat,
   * Dec 16 2023 02:02:33 PM}, {@code 2026-11-30T08:00:00}, {@code 2026-11-30}): {@link #parse}
   * reads such a date as UTC, a guess.
   *
   * @param raw the date as written in the feed; may be null
   * @return true for a readable date without zone; false for one with a zone, or no readable date
   */
  public static boolean statesNoZone(String raw) {
    String zone = zoneOf(raw);
    return zone != null && zone.isEmpty();
  }

  /** The zone text of a date {@link #parse} reads: "" when it has none; null when it is no date. */
  private static String zoneOf(String raw) {
    if (parse(raw).isEmpty()) {
      return null;
    }
    String text = raw.strip().replaceAll("\\s+", " ");
    Matcher iso = ISO_8601.matcher(text);
    if (iso.matches()) {
      return iso.group(3) == null ? "" : iso.group(3);
    }
    Matcher rfc = RFC_822.matcher(text);
    if (rfc.matches()) {
      return rfc.group(5) == null ? "" : rfc.group(5);
    }
    Matcher us = MONTH_FIRST.matcher(text);
    if (us.matches()) {
      return us.group(8) == null ? "" : us.group(8);
    }
    return null;
  }

  private static Instant parseIso(Matcher m) {
    String written = m.group(2) == null ? "00:00" : nanoseconds(m.group(2).replace(',', '.'));
    String time = withoutLeapSecond(written);
    String zone = m.group(3);
    if (zone == null) {
      return leapSecondChecked(
          written, LocalDateTime.parse(m.group(1) + "T" + time).toInstant(ZoneOffset.UTC));
    }
    String offset =
        zone.equalsIgnoreCase("Z")
            ? "Z"
            : colonOffset(Character.isLetter(zone.charAt(0)) ? namedOffset(zone) : zone);
    return leapSecondChecked(
        written,
        OffsetDateTime.parse(m.group(1) + "T" + time + offset, ISO_NORMALISED).toInstant());
  }

  /** A time {@code H:mm:ss[.f...]} with second 60 written as 59; any other time as it is. */
  private static String withoutLeapSecond(String time) {
    return LEAP_SECOND.matcher(time).replaceFirst("$1:59");
  }

  /**
   * @param written the time as written, {@code H:mm[:ss[.f...]]}
   * @param instant the instant read from it with second 60 as 59 ({@link #withoutLeapSecond})
   * @return {@code instant}
   * @throws DateTimeException when {@code written} has second 60 and {@code instant} is not in the
   *     last second of its UTC day, where no leap second is
   */
  private static Instant leapSecondChecked(String written, Instant instant) {
    if (LEAP_SECOND.matcher(written).lookingAt()
        && !instant.atOffset(ZoneOffset.UTC).toLocalTime().withNano(0).equals(LAST_SECOND)) {
      throw new DateTimeException("second 60 of " + written + " is not a leap second");
    }
    return instant;
  }

  /**
   * @return the {@code +HHMM} offset of a name of {@link #NAMED_ZONES}; a DateTimeException for
   *     another name
   */
  private static String namedOffset(String name) {
    String offset = NAMED_ZONES.get(name.toUpperCase(Locale.ROOT));
    if (offset == null) {
      throw new DateTimeException("unknown zone " + name);
    }
    return offset;
  }

  /**
   * A time {@code H:mm[:ss[.f...]]} with its fraction of a second cut to nine digits, the
   * nanoseconds an {@link Instant} keeps: {@code 08:00:00.1234567891} is {@code
   * 08:00:00.123456789}, truncated, never rounded (so never into the next second).
   */
  private static String nanoseconds(String time) {
    int dot = time.indexOf('.');
    return dot < 0 || time.length() - dot - 1 <= 9 ? time : time.substring(0, dot + 10);
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

  private static Optional<Instant> rfc822(
      String day, String monthName, String yearDigits, String time, String zoneText) {
    String zone = zoneText == null ? "+0000" : rfc822Offset(zoneText);
    if (zone == null) {
      return Optional.empty();
    }
    Integer month = MONTHS.get(fold(monthName));
    if (month == null) {
      return Optional.empty();
    }
    String year = yearDigits;
    if (year.length() == 2) {
      int yy = Integer.parseInt(year);
      year = Integer.toString(yy < 50 ? 2000 + yy : 1900 + yy);
    }
    String normalised =
        day + " " + month + " " + year + " " + withoutLeapSecond(nanoseconds(time)) + " " + zone;
    try {
      TemporalAccessor parsed = RFC_822_NORMALISED.parse(normalised);
      return Optional.of(leapSecondChecked(time, OffsetDateTime.from(parsed).toInstant()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * A named zone, numeric offset ({@code +3}, {@code +03}, {@code +330}, {@code +0330}, {@code
   * +03:30}) or {@code GMT}/{@code UTC} plus an offset, as {@code +HHMM}; null for an unknown name.
   */
  private static String rfc822Offset(String zone) {
    String upper = zone.toUpperCase(Locale.ROOT);
    int sign = Math.max(upper.indexOf('+'), upper.indexOf('-'));
    if (sign < 0) {
      return NAMED_ZONES.get(upper);
    }
    String digits = upper.substring(sign + 1).replace(":", "");
    String hhmm =
        digits.length() <= 2
            ? "0".repeat(2 - digits.length()) + digits + "00"
            : digits.length() == 3 ? "0" + digits : digits;
    return upper.charAt(sign) + hhmm;
  }

  /**
   * A month name (or abbreviation) folded for lookup: lower case, accents and a trailing dot
   * removed, Turkish dotless {@code ı} as {@code i}.
   */
  private static String fold(String name) {
    String lower = name.toLowerCase(Locale.ROOT).replace('ı', 'i').replace(".", "");
    return Normalizer.normalize(lower, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
  }

  /**
   * Every month name and abbreviation of {@link #MONTH_LANGUAGES}, folded, plus each prefix of at
   * least three letters of a full name; a name or prefix that fits two different months (French
   * {@code jui}: juin, juillet) is dropped.
   */
  private static Map<String, Integer> monthNames() {
    Map<String, Set<Integer>> candidates = new HashMap<>();
    for (Locale language : MONTH_LANGUAGES) {
      for (Month month : Month.values()) {
        for (TextStyle style : TextStyle.values()) {
          if (style == TextStyle.NARROW || style == TextStyle.NARROW_STANDALONE) {
            continue;
          }
          String name = fold(month.getDisplayName(style, language));
          if (name.length() < 3 || !name.chars().allMatch(Character::isLetter)) {
            continue;
          }
          int from =
              style == TextStyle.FULL || style == TextStyle.FULL_STANDALONE ? 3 : name.length();
          for (int end = from; end <= name.length(); end++) {
            candidates
                .computeIfAbsent(name.substring(0, end), k -> new HashSet<>())
                .add(month.getValue());
          }
        }
      }
    }
    Map<String, Integer> months = new HashMap<>();
    candidates.forEach(
        (name, numbers) -> {
          if (numbers.size() == 1) {
            months.put(name, numbers.iterator().next());
          }
        });
    return Map.copyOf(months);
  }

  /** {@code +05}, {@code +0530} or {@code +05:30} as {@code +05:30}. */
  private static String colonOffset(String zone) {
    String digits = zone.substring(1).replace(":", "");
    String minutes = digits.length() > 2 ? digits.substring(2) : "00";
    return zone.charAt(0) + digits.substring(0, 2) + ":" + minutes;
  }
}
