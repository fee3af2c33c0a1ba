package org.wireingest.fetch;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;

/** Pure readers and writers of the HTTP header values the fetcher uses. Thread-safe (stateless). */
final class HttpHeaderValues {

  /**
   * RFC 9110 §5.6.7 IMF-fixdate, the preferred HTTP-date form: {@code Sun, 06 Nov 1994 08:49:37
   * GMT}.
   */
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /**
   * RFC 9110 §5.6.7 obsolete asctime-date: {@code Sun Nov 6 08:49:37 1994} (a one-digit day after
   * two spaces), in GMT.
   */
  private static final DateTimeFormatter ASCTIME =
      obsoleteForm(
          new DateTimeFormatterBuilder()
              .parseCaseInsensitive()
              .appendPattern("EEE MMM ppd HH:mm:ss uuuu"));

  /**
   * How far in the future a two-digit year of an RFC 850 date may be, in years; further is the
   * century before (RFC 9110 §5.6.7).
   */
  private static final int TWO_DIGIT_YEAR_MAX_AHEAD = 50;

  private HttpHeaderValues() {}

  /**
   * Formats an instant as an RFC 9110 IMF-fixdate (whole seconds, UTC).
   *
   * @param instant the instant; never null
   * @return for example {@code Wed, 03 Jun 2026 08:05:09 GMT}
   */
  static String imfFixdate(Instant instant) {
    return IMF_FIXDATE.format(instant);
  }

  /**
   * Parses an HTTP-date (RFC 9110 §5.6.7) in any of the three forms recipients must accept: the
   * IMF-fixdate {@code Sun, 06 Nov 1994 08:49:37 GMT} (and its one-digit-day variant, as {@link
   * DateTimeFormatter#RFC_1123_DATE_TIME} reads it), and the obsolete RFC 850 {@code Sunday,
   * 06-Nov-94 08:49:37 GMT} and asctime {@code Sun Nov 6 08:49:37 1994} forms. An RFC 850 date's
   * two-digit year is the latest year ending in those digits that is at most 50 years after {@code
   * now}'s: a year more than 50 years in the future is in the century before. Names are English,
   * case ignored; the day name must fit the date.
   *
   * @param value the header value; null gives empty
   * @param now the time an RFC 850 date's two-digit year is read against (UTC); never null
   * @return the instant, or empty when absent or malformed
   */
  static Optional<Instant> httpDate(String value, Instant now) {
    if (value == null) {
      return Optional.empty();
    }
    String trimmed = value.trim();
    for (DateTimeFormatter form :
        new DateTimeFormatter[] {DateTimeFormatter.RFC_1123_DATE_TIME, rfc850(now), ASCTIME}) {
      try {
        return Optional.of(ZonedDateTime.parse(trimmed, form).toInstant());
      } catch (DateTimeException e) {
        // not this form: the next
      }
    }
    return Optional.empty();
  }

  /**
   * RFC 9110 §5.6.7 obsolete rfc850-date, {@code Sunday, 06-Nov-94 08:49:37 GMT}, its two-digit
   * year in the hundred years that end 50 years after {@code now}'s.
   */
  private static DateTimeFormatter rfc850(Instant now) {
    int latestYear = now.atZone(ZoneOffset.UTC).getYear() + TWO_DIGIT_YEAR_MAX_AHEAD;
    return obsoleteForm(
        new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, latestYear - 99)
            .appendPattern(" HH:mm:ss 'GMT'"));
  }

  /**
   * An obsolete HTTP-date form ({@code pattern}, case-insensitive): English names, in GMT, an
   * impossible date (31 November) or a day name that does not fit refused.
   */
  private static DateTimeFormatter obsoleteForm(DateTimeFormatterBuilder pattern) {
    return pattern
        .toFormatter(Locale.ENGLISH)
        .withResolverStyle(ResolverStyle.STRICT)
        .withChronology(IsoChronology.INSTANCE)
        .withZone(ZoneOffset.UTC);
  }

  /**
   * Reads {@code Retry-After} (RFC 9110 §10.2.3): either a number of seconds or an HTTP-date in any
   * of its three forms ({@link #httpDate}).
   *
   * @param value the header value; null when absent
   * @param now the instant an HTTP-date is measured from (the response's {@code Date} when it has
   *     one, so the two clocks do not have to agree), and an RFC 850 date's year read against;
   *     never null
   * @return the delay, never negative (a date in the past gives zero); null when absent or
   *     malformed
   */
  static Duration retryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.trim();
    if (isDigits(trimmed)) {
      return seconds(trimmed);
    }
    return httpDate(trimmed, now)
        .map(date -> date.isAfter(now) ? Duration.between(now, date) : Duration.ZERO)
        .orElse(null);
  }

  /**
   * Reads the {@code max-age} directive of a {@code Cache-Control} value (RFC 9111 §5.2.2.1);
   * directive names are case-insensitive and the quoted form {@code max-age="60"} is accepted.
   *
   * @param cacheControl the header value (several header lines joined by commas); null when absent
   * @return the age, or null when absent or malformed
   */
  static Duration maxAge(String cacheControl) {
    if (cacheControl == null) {
      return null;
    }
    for (String directive : cacheControl.split(",")) {
      int equals = directive.indexOf('=');
      if (equals < 0 || !directive.substring(0, equals).trim().equalsIgnoreCase("max-age")) {
        continue;
      }
      String argument = directive.substring(equals + 1).trim();
      if (argument.length() >= 2 && argument.startsWith("\"") && argument.endsWith("\"")) {
        argument = argument.substring(1, argument.length() - 1);
      }
      return isDigits(argument) ? seconds(argument) : null;
    }
    return null;
  }

  /**
   * How much longer a response stays fresh (RFC 9111 §4.2): its {@code max-age} less its current
   * age, which a response a cache (a CDN) served carries in its {@code Age} header (RFC 9111 §5.1,
   * §4.2.3); the time on our side, under a second, is not counted. {@code Age} is a singleton
   * field, but two caches on the way may each add one ({@code Age: 280, 280}, or two lines a
   * recipient joins into that list): as RFC 9111 §5.1 says, its first member is used and the others
   * discarded (empty list elements skipped, RFC 9110 §5.6.1), and the field is ignored when that
   * member is not delta-seconds.
   *
   * @param maxAge the response's {@code max-age} ({@link #maxAge}); null when it has none
   * @param age the {@code Age} field value (delta-seconds, or a comma-separated list of them: its
   *     several header lines joined by commas); null when absent, ignored when its first member is
   *     not a number
   * @return {@code max-age - Age}, never negative; {@code maxAge} without a usable {@code Age};
   *     null when {@code maxAge} is
   */
  static Duration freshFor(Duration maxAge, String age) {
    String first = age == null ? null : firstListMember(age);
    if (maxAge == null || first == null || !isDigits(first)) {
      return maxAge;
    }
    Duration current = seconds(first);
    return current.compareTo(maxAge) >= 0 ? Duration.ZERO : maxAge.minus(current);
  }

  /**
   * The first non-empty member of a comma-separated field value (RFC 9110 §5.6.1), trimmed; null
   * when it has none. Not for values whose members may hold quoted commas.
   */
  private static String firstListMember(String value) {
    for (String member : value.split(",")) {
      String trimmed = member.trim();
      if (!trimmed.isEmpty()) {
        return trimmed;
      }
    }
    return null;
  }

  private static boolean isDigits(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** A digit string as seconds; absurdly long values saturate (RFC 9111 §1.2.2 uses 2^31 s). */
  private static Duration seconds(String digits) {
    final int maxDigits = 10;
    long value = digits.length() > maxDigits ? Integer.MAX_VALUE : Long.parseLong(digits);
    return Duration.ofSeconds(Math.min(value, Integer.MAX_VALUE));
  }
}
