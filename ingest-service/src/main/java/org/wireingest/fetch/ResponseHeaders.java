package org.wireingest.fetch;

import static org.wireingest.fetch.FeedFetcher.MAX_KEPT_HEADER_CHARS;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link FeedFetcher} keeps of a final response's headers: its validators ({@code ETag},
 * {@code Last-Modified}, RFC 9110 §8.8), {@code Content-Type}, {@code Content-Length}, its time
 * ({@code Date}) and how long it stays fresh (RFC 9111 §4.2). Values over {@link
 * FeedFetcher#MAX_KEPT_HEADER_CHARS} are not kept. Stateless; thread-safe.
 */
final class ResponseHeaders {

  /** The fetcher's log category: where its debug lines on ignored headers have always been. */
  private static final Logger LOG = LoggerFactory.getLogger(FeedFetcher.class);

  /** How far a {@code Last-Modified} may be after the response's time before it is not kept. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  /** A charset parameter: what decoding needs of an over-long Content-Type. */
  private static final Pattern CHARSET_PARAMETER =
      Pattern.compile(";\\s*charset\\s*=\\s*\"?([A-Za-z0-9._:+-]{1,40})", Pattern.CASE_INSENSITIVE);

  private ResponseHeaders() {}

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
   * HttpHeaderValues#expiresLifetime}, §4.2.1), less its {@code Age} ({@link
   * HttpHeaderValues#freshFor}); null when it has neither.
   *
   * @param maxAge the {@code max-age} that applies (a 304 may keep the stored one); null when none
   */
  static Duration freshFor(Duration maxAge, HttpHeaders headers) {
    Duration lifetime =
        maxAge != null
            ? maxAge
            : HttpHeaderValues.expiresLifetime(
                headers.firstValue("Expires").orElse(null), serverNow(headers));
    return HttpHeaderValues.freshFor(lifetime, joinedValues(headers, "Age"));
  }

  /**
   * The {@code max-age} of a response's {@code Cache-Control} (its lines joined), as sent; null
   * without a usable one. How much longer the response stays fresh is that less its {@code Age}
   * (its lines joined into one list, whose first member counts: {@link HttpHeaderValues#freshFor}).
   */
  static Duration maxAge(HttpHeaders headers) {
    return HttpHeaderValues.maxAge(joinedValues(headers, "Cache-Control"));
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
    Optional<Instant> date = HttpHeaderValues.httpDate(value, serverNow);
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
    return HttpHeaderValues.httpDate(headers.firstValue("Date").orElse(null), ours).orElse(ours);
  }
}
