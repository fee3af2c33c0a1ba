package org.wireingest.fetch;

import java.time.Duration;
import java.util.Objects;
import org.wireingest.parse.FeedParser;

/**
 * Settings of a {@link FeedFetcher}, validated on construction.
 *
 * @param connectTimeout longest wait for a TCP (and TLS) connection to be established; positive.
 *     Default 10 s
 * @param readTimeout longest wait for the response headers, and then for each next chunk of the
 *     body; positive. Default 30 s
 * @param totalDeadline longest wall time of a whole fetch: every redirect hop, the response headers
 *     and the streaming of the body; a server that drips a byte at a time is cut off when it runs
 *     out; positive. Default 60 s
 * @param maxBodyBytes largest body accepted, in bytes, counted after gzip/deflate decoding; reading
 *     stops as soon as it is exceeded; between 1 and {@link #MAX_BODY_BYTES_LIMIT}. Default 20 MiB
 *     (20 971 520 bytes)
 * @param maxRedirects most redirects followed in one fetch (0 = none); not negative. Default 5
 * @param userAgent the {@code User-Agent} sent (RFC 9110 §10.1.5); not blank, one line. Default
 *     {@code wire-ingest/<version> (+https://github.com/wire-ingest/wire-ingest)}
 * @param allowFileUrls whether {@code file:} URLs may be fetched (local feeds, tests, check-feed).
 *     Redirects never lead to {@code file:} whatever this says. Default true
 * @param allowPrivateAddresses whether {@code http}/{@code https} fetches may reach loopback,
 *     link-local (cloud metadata), private, CGNAT and other non-public addresses; when false (the
 *     default) every hop's host is resolved and checked by {@link AddressGuard} before it is
 *     contacted, and a non-public address gives {@link FetchOutcome#BLOCKED_ADDRESS}. Set it for
 *     feeds served on the local network and for tests against local servers. Default false
 * @throws IllegalArgumentException naming the setting, when a value is out of range
 * @throws NullPointerException when a duration or the user agent is null
 */
public record FetchSettings(
    Duration connectTimeout,
    Duration readTimeout,
    Duration totalDeadline,
    long maxBodyBytes,
    int maxRedirects,
    String userAgent,
    boolean allowFileUrls,
    boolean allowPrivateAddresses) {

  /** The project's address, shown in the default user agent so feed publishers can reach us. */
  private static final String PROJECT_URL = "https://github.com/wire-ingest/wire-ingest";

  /** The largest {@code maxBodyBytes} accepted: a body is held in one Java array. */
  public static final long MAX_BODY_BYTES_LIMIT = Integer.MAX_VALUE - 8;

  public FetchSettings {
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("readTimeout", readTimeout);
    requirePositive("totalDeadline", totalDeadline);
    if (maxBodyBytes <= 0 || maxBodyBytes > MAX_BODY_BYTES_LIMIT) {
      throw new IllegalArgumentException(
          "maxBodyBytes must be between 1 and " + MAX_BODY_BYTES_LIMIT + ", was " + maxBodyBytes);
    }
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("maxRedirects must not be negative, was " + maxRedirects);
    }
    Objects.requireNonNull(userAgent, "userAgent");
    if (userAgent.isBlank() || userAgent.indexOf('\r') >= 0 || userAgent.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(
          "userAgent must be one non-blank line, was '" + userAgent + "'");
    }
  }

  /**
   * The defaults: connect 10 s, read 30 s, deadline 60 s, 20 MiB, 5 redirects, the project's user
   * agent, {@code file:} allowed, non-public addresses refused (the SSRF guard is on).
   *
   * @return the default settings
   */
  public static FetchSettings defaults() {
    return new FetchSettings(
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        FeedParser.DEFAULT_MAX_BODY_BYTES,
        5,
        defaultUserAgent(),
        true,
        false);
  }

  /**
   * @param allow the new value of {@link #allowPrivateAddresses()}
   * @return these settings with the SSRF guard switched off ({@code true}) or on ({@code false})
   */
  public FetchSettings withAllowPrivateAddresses(boolean allow) {
    return new FetchSettings(
        connectTimeout,
        readTimeout,
        totalDeadline,
        maxBodyBytes,
        maxRedirects,
        userAgent,
        allowFileUrls,
        allow);
  }

  /**
   * The default user agent, {@code wire-ingest/<version>
   * (+https://github.com/wire-ingest/wire-ingest)}; the version is the jar manifest's {@code
   * Implementation-Version}, or {@code dev} when the classes do not run from a jar that declares
   * one.
   *
   * @return the default {@code User-Agent} value
   */
  public static String defaultUserAgent() {
    String version = FetchSettings.class.getPackage().getImplementationVersion();
    return "wire-ingest/" + (version == null ? "dev" : version) + " (+" + PROJECT_URL + ")";
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
