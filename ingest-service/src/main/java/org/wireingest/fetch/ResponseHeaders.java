package org.wireingest.fetch;

import static org.wireingest.fetch.FeedFetcher.MAX_KEPT_HEADER_CHARS;

import java.net.http.HttpHeaders;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetcher's one place for HTTP header fields: what it keeps of a final response's headers, and
 * the grammar of the field values it reads or writes. Two layers, in this order in the file:
 *
 * <ul>
 *   <li>Reading a response (a java.net.http {@link HttpHeaders} in): which field, several lines of
 *       it joined into one value (RFC 9110 §5.3), a value over {@link
 *       FeedFetcher#MAX_KEPT_HEADER_CHARS} not kept, the response's own clock. {@link #contentType}
 *       (RFC 9110 §8.3), {@link #kept} (a field's first value: the validator {@code ETag}, RFC 9110
 *       §8.8.3), {@link #joinedValues} (RFC 9110 §5.3), {@link #contentLength} (RFC 9110 §8.6),
 *       {@link #lastModified} (RFC 9110 §8.8.2), {@link #serverNow} ({@code Date}, RFC 9110
 *       §6.6.1), {@link #maxAge} and {@link #freshFor} (RFC 9111 §5.2.2.1, §4.2).
 *   <li>Field values (a {@code String} in, the time to read it against passed in; pure): {@link
 *       #imfFixdate} and {@link #httpDate} (RFC 9110 §5.6.7), {@link #retryAfter} (RFC 9110
 *       §10.2.3), {@link #maxAgeDirective} (RFC 9111 §5.2.2.1), {@link #expiresLifetime} (RFC 9111
 *       §4.2.1, §5.3), {@link #freshForAtAge} (RFC 9111 §4.2, §5.1), {@link #isDigits} (RFC 9110
 *       {@code 1*DIGIT}). The response readers above use them; so do callers holding a value
 *       already: a 429/503's {@code Retry-After}, a file's modification time written as a {@code
 *       Last-Modified}, one member of a {@code Content-Length} list.
 * </ul>
 *
 * <p>Stateless; thread-safe.
 */
final class ResponseHeaders {

  /** The fetcher's log category: where its debug lines on ignored headers have always been. */
  private static final Logger LOG = LoggerFactory.getLogger(FeedFetcher.class);

  /** How far a {@code Last-Modified} may be after the response's time before it is not kept. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  /** A charset parameter: what decoding needs of an over-long Content-Type. */
  private static final Pattern CHARSET_PARAMETER =
      Pattern.compile(";\\s*charset\\s*=\\s*\"?([A-Za-z0-9._:+-]{1,40})", Pattern.CASE_INSENSITIVE);

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
   * How far in the future an RFC 850 date with a two-digit year may be, in years; a timestamp
   * further ahead is in the century before (RFC 9110 §5.6.7).
   */
  private static final int TWO_DIGIT_YEAR_MAX_AHEAD = 50;

  private ResponseHeaders() {}

  // Reading a response

  /**
   * The response's {@code Content-Type}; one over {@link FeedFetcher#MAX_KEPT_HEADER_CHARS} is cut
   * to what decoding needs, its media type and {@code charset} (RFC 9110 §8.3), so its charset
   * still counts; null when absent or when its media type alone is over 255 characters.
   */
  static String contentType(HttpHeaders headers) {
    String value = headers.firstValue("Content-Type").orElse(null);
    if (value == null || value.length() <= MAX_KEPT_HEADER_CHARS) {
      return value;
    }
    int semicolon = value.indexOf(';');
    String mediaType = (semicolon < 0 ? value : value.substring(0, semicolon)).strip();
    if (mediaType.length() > 255) {
      return null;
    }
    Matcher charset = CHARSET_PARAMETER.matcher(value);
    return charset.find() ? mediaType + "; charset=" + charset.group(1) : mediaType;
  }

  /**
   * The first value of a response header; null when absent or over {@link
   * FeedFetcher#MAX_KEPT_HEADER_CHARS}.
   */
  static String kept(HttpHeaders headers, String name) {
    String value = headers.firstValue(name).orElse(null);
    if (value != null && value.length() > MAX_KEPT_HEADER_CHARS) {
      LOG.debug("ignoring a {} header of {} characters", name, value.length());
      return null;
    }
    return value;
  }

  /**
   * @return the header's values (lines) joined with {@code ", "}, as one field value (RFC 9110
   *     §5.3); null when absent
   */
  static String joinedValues(HttpHeaders headers, String name) {
    String joined = String.join(", ", headers.allValues(name));
    return joined.isEmpty() ? null : joined;
  }

  /**
   * @return the response's {@code Content-Length}; -1 when absent or not one number
   */
  static long contentLength(HttpHeaders headers) {
    try {
      return headers.firstValueAsLong("Content-Length").orElse(-1);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * How much longer the response stays fresh (RFC 9111 §4.2): its freshness lifetime, {@code
   * maxAge} when there is one, else its {@code Expires} less its {@code Date} ({@link
   * #expiresLifetime}, §4.2.1), less its {@code Age} ({@link #freshForAtAge}); null when it has
   * neither.
   *
   * @param maxAge the {@code max-age} that applies (a 304 may keep the stored one); null when none
   */
  static Duration freshFor(Duration maxAge, HttpHeaders headers) {
    Duration lifetime =
        maxAge != null
            ? maxAge
            : expiresLifetime(headers.firstValue("Expires").orElse(null), serverNow(headers));
    return freshForAtAge(lifetime, joinedValues(headers, "Age"));
  }

  /**
   * The {@code max-age} of a response's {@code Cache-Control} (its lines joined), as sent; null
   * without a usable one. How much longer the response stays fresh is that less its {@code Age}
   * (its lines joined into one list, whose first member counts: {@link #freshForAtAge}).
   */
  static Duration maxAge(HttpHeaders headers) {
    return maxAgeDirective(joinedValues(headers, "Cache-Control"));
  }

  /**
   * The response's {@code Last-Modified} to keep as a validator: null when absent, or when it is an
   * HTTP-date more than {@link #CLOCK_SKEW} after the response's {@code Date} (our clock when it
   * has none). RFC 9110 §8.8.2.1 forbids a future one; sent back as {@code If-Modified-Since}, it
   * lets a server that compares dates answer 304 until that date, whatever the feed publishes.
   */
  static String lastModified(HttpHeaders headers) {
    String value = kept(headers, "Last-Modified");
    Instant serverNow = serverNow(headers);
    Optional<Instant> date = httpDate(value, serverNow);
    if (date.isEmpty()) {
      return value; // absent, or a form not read here: sent back as it came
    }
    if (date.get().isAfter(serverNow.plus(CLOCK_SKEW))) {
      LOG.debug("ignoring Last-Modified {}: later than the response's time {}", value, serverNow);
      return null;
    }
    return value;
  }

  /**
   * @return the response's time: its {@code Date} header (RFC 9110 §6.6.1), our clock when it has
   *     none or an unreadable one
   */
  static Instant serverNow(HttpHeaders headers) {
    Instant ours = Instant.now();
    return httpDate(headers.firstValue("Date").orElse(null), ours).orElse(ours);
  }

  // Field values

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
   * two-digit year is the latest year ending in those digits that puts the timestamp at most 50
   * years after {@code now} (the timestamp, not the calendar year: with {@code now} 2026-11-30
   * 08:00 UTC, {@code 30-Nov-76 08:00:00} is 2076 and {@code 30-Nov-76 08:00:01} is 1976). Names
   * are English, case ignored; the day name must fit the date in the year so chosen.
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
    Optional<ZonedDateTime> date = parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
    if (date.isEmpty()) {
      date = rfc850(trimmed, now);
    }
    if (date.isEmpty()) {
      date = parse(trimmed, ASCTIME);
    }
    return date.map(ZonedDateTime::toInstant);
  }

  /**
   * Reads an RFC 9110 §5.6.7 obsolete rfc850-date, {@code Sunday, 06-Nov-94 08:49:37 GMT}: its
   * two-digit year as in the hundred years that end 50 years after {@code now}'s, unless that puts
   * the timestamp more than 50 years after {@code now} (only possible in the last of those years),
   * then 100 years earlier. The day name is checked against the year chosen.
   */
  private static Optional<ZonedDateTime> rfc850(String value, Instant now) {
    ZonedDateTime limit = now.atZone(ZoneOffset.UTC).plusYears(TWO_DIGIT_YEAR_MAX_AHEAD);
    Optional<ZonedDateTime> late = parse(value, rfc850(limit.getYear() - 99));
    if (late.isPresent() && !late.get().isAfter(limit)) {
      return late;
    }
    // late is empty (malformed, or its day name is not that of the date in the latest year) or
    // beyond the limit: the century before differs only for the latest year's two digits, and is
    // the reading only when the date in the latest year would be beyond the limit
    return parse(value, rfc850(limit.getYear() - 100))
        .filter(early -> early.plusYears(100).isAfter(limit));
  }

  /**
   * RFC 9110 §5.6.7 obsolete rfc850-date, {@code Sunday, 06-Nov-94 08:49:37 GMT}, its two-digit
   * year read in the hundred years from {@code firstYear}.
   */
  private static DateTimeFormatter rfc850(int firstYear) {
    return obsoleteForm(
        new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, firstYear)
            .appendPattern(" HH:mm:ss 'GMT'"));
  }

  private static Optional<ZonedDateTime> parse(String value, DateTimeFormatter form) {
    try {
      return Optional.of(ZonedDateTime.parse(value, form));
    } catch (DateTimeException e) {
      return Optional.empty(); // not this form
    }
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
  static Duration maxAgeDirective(String cacheControl) {
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
   * The freshness lifetime an {@code Expires} field gives a response whose {@code Cache-Control}
   * has no {@code max-age} (RFC 9111 §4.2.1): the HTTP-date less the response's {@code Date}. An
   * invalid date, the common {@code Expires: 0} or {@code -1} included, stands for a time in the
   * past (RFC 9111 §5.3).
   *
   * @param expires the field value (its first line); null when absent
   * @param date the response's {@code Date} (our clock when it has none), which an RFC 850 date's
   *     year is read against; never null
   * @return the lifetime, never negative (an {@code Expires} at or before {@code date}, or invalid,
   *     gives zero); null when the field is absent or blank
   */
  static Duration expiresLifetime(String expires, Instant date) {
    if (expires == null || expires.isBlank()) {
      return null;
    }
    return httpDate(expires.strip(), date)
        .filter(expiry -> expiry.isAfter(date))
        .map(expiry -> Duration.between(date, expiry))
        .orElse(Duration.ZERO);
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
   * @param maxAge the response's {@code max-age} ({@link #maxAgeDirective}); null when it has none
   * @param age the {@code Age} field value (delta-seconds, or a comma-separated list of them: its
   *     several header lines joined by commas); null when absent, ignored when its first member is
   *     not a number
   * @return {@code max-age - Age}, never negative; {@code maxAge} without a usable {@code Age};
   *     null when {@code maxAge} is
   */
  static Duration freshForAtAge(Duration maxAge, String age) {
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

  /**
   * @return whether {@code text} is {@code 1*DIGIT} (RFC 9110's delta-seconds, a {@code
   *     Content-Length}): ASCII digits only, at least one
   */
  static boolean isDigits(String text) {
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
