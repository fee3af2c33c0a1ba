package org.wireingest.fetch;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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
   * Parses an HTTP-date (RFC 9110 §5.6.7). Accepts the IMF-fixdate form and its one-digit-day
   * variant, as {@link DateTimeFormatter#RFC_1123_DATE_TIME} does; the obsolete RFC 850 and asctime
   * forms are not accepted.
   *
   * @param value the header value; null gives empty
   * @return the instant, or empty when absent or malformed
   */
  static Optional<Instant> httpDate(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads {@code Retry-After} (RFC 9110 §10.2.3): either a number of seconds or an HTTP-date.
   *
   * @param value the header value; null when absent
   * @param now the instant an HTTP-date is measured from (the response's {@code Date} when it has
   *     one, so the two clocks do not have to agree); never null
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
    return httpDate(trimmed)
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
   * §4.2.3); the time on our side, under a second, is not counted.
   *
   * @param maxAge the response's {@code max-age} ({@link #maxAge}); null when it has none
   * @param age the {@code Age} header value (delta-seconds); null when absent, ignored when not a
   *     number
   * @return {@code max-age - Age}, never negative; {@code maxAge} without a usable {@code Age};
   *     null when {@code maxAge} is
   */
  static Duration freshFor(Duration maxAge, String age) {
    if (maxAge == null || age == null || !isDigits(age.trim())) {
      return maxAge;
    }
    Duration current = seconds(age.trim());
    return current.compareTo(maxAge) >= 0 ? Duration.ZERO : maxAge.minus(current);
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
