package org.wireingest.fetch;

import java.util.Locale;

/**
 * The classified outcome of one fetch: the value ops dashboards count and back-off policies act on.
 *
 * <p>{@link #code()} gives the lower-case, dash-separated form used as a metric tag and in the
 * {@code outcome} field of {@code wire.fetch-log.v1} (for example {@code too-many-requests}).
 */
public enum FetchOutcome {
  /** A 2xx response (or a readable {@code file:}) with a body. */
  OK,
  /** A 304 Not Modified answer to a conditional GET, or an unchanged {@code file:}. */
  NOT_MODIFIED,
  /** HTTP 401 or 403: credentials missing, wrong, or refused. */
  UNAUTHORIZED,
  /** HTTP 404 or 410, or a missing {@code file:}. */
  NOT_FOUND,
  /** HTTP 429: the server asks us to slow down (see {@link FetchResult.Failed#retryAfter()}). */
  TOO_MANY_REQUESTS,
  /** Any other 4xx status. */
  CLIENT_ERROR,
  /** Any 5xx status. */
  SERVER_ERROR,
  /** Connect timeout, read timeout (no data for too long) or the total deadline ran out. */
  TIMEOUT,
  /**
   * The decoded body exceeded {@link FetchSettings#maxBodyBytes()}, or the response's header
   * section the HTTP client's limit ({@code jdk.http.maxHeaderSize}, 384 KiB by default).
   */
  TOO_LARGE,
  /** More redirects than {@link FetchSettings#maxRedirects()}, or a redirect loop. */
  TOO_MANY_REDIRECTS,
  /** The host name could not be resolved. */
  DNS,
  /** The TLS handshake or session failed (certificate, protocol, cipher). */
  TLS,
  /** Nothing listens on the address (TCP connection refused or unreachable). */
  CONNECTION_REFUSED,
  /**
   * The host resolved to an address the SSRF guard refuses (loopback, link-local, private, ...: see
   * {@link AddressGuard}), on the first hop or a redirect; nothing was sent to it.
   */
  BLOCKED_ADDRESS,
  /**
   * The URL (or a redirect target) is not {@code http}/{@code https}, nor an allowed {@code file:}.
   */
  UNSUPPORTED_SCHEME,
  /**
   * Any other I/O or protocol failure (connection reset, malformed response, unreadable file...).
   */
  IO_ERROR;

  private final String code = name().toLowerCase(Locale.ROOT).replace('_', '-');

  /**
   * @return the metric-tag form of this outcome, for example {@code not-modified}; never null
   */
  public String code() {
    return code;
  }

  /**
   * Classifies a final (non-redirect) HTTP status code.
   *
   * @param status an HTTP status code (RFC 9110 §15)
   * @return {@link #OK} for 2xx, {@link #NOT_MODIFIED} for 304, the matching failure for 4xx/5xx,
   *     and {@link #IO_ERROR} for anything else (1xx, other 3xx, out-of-range codes)
   */
  public static FetchOutcome forStatus(int status) {
    if (status >= 200 && status <= 299) {
      return OK;
    }
    return switch (status) {
      case 304 -> NOT_MODIFIED;
      case 401, 403 -> UNAUTHORIZED;
      case 404, 410 -> NOT_FOUND;
      case 429 -> TOO_MANY_REQUESTS;
      default -> {
        if (status >= 400 && status <= 499) {
          yield CLIENT_ERROR;
        }
        if (status >= 500 && status <= 599) {
          yield SERVER_ERROR;
        }
        yield IO_ERROR;
      }
    };
  }
}
