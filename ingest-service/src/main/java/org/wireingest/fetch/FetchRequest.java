package org.wireingest.fetch;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One fetch to perform: the feed's address, the validators kept from the previous fetch (for a
 * conditional GET, RFC 9110 §13.1), the stored response's {@code max-age}, extra request headers
 * and the length of the feed's last body.
 *
 * @param url the feed's absolute address: {@code http}, {@code https} or {@code file}; never null
 * @param etag the ETag of the last response, exactly as received (quotes and {@code W/} included),
 *     sent as {@code If-None-Match}; null when unknown
 * @param lastModified the Last-Modified of the last response, exactly as received (an HTTP-date),
 *     sent as {@code If-Modified-Since}; null when unknown
 * @param headers extra request headers (for example {@code Authorization}); values are secrets and
 *     are never logged nor shown by {@link #toString()}; they may replace {@code User-Agent} and
 *     {@code Accept}, and are sent only to the original host (see {@link FeedFetcher}); never null
 *     (null is read as empty)
 * @param maxAge the {@code Cache-Control: max-age} of the stored response (the last 200's, or as a
 *     304 since replaced it: {@link FetchResult.Fetched#maxAge()}, {@link
 *     FetchResult.NotModified#maxAge()}), as sent, its {@code Age} not subtracted: what a 304 that
 *     carries no {@code Cache-Control} keeps (RFC 9111 §4.3.4); null when unknown or absent
 * @param expectedBodyBytes the decoded length of the feed's last body, in bytes: a hint for what a
 *     body of unknown length (compressed, or chunked without {@code Content-Length}) reserves in
 *     the body memory budget ({@link FeedFetcher#fetch(FetchRequest, BodyBudget.Claim)}): twice it,
 *     at least 1 MiB, at most the cap; never sent; null when unknown (the feed's first fetch since
 *     its poller started), when such a body reserves 1 MiB first and grows as it is read; not
 *     negative
 */
public record FetchRequest(
    URI url,
    String etag,
    String lastModified,
    Map<String, String> headers,
    Duration maxAge,
    Long expectedBodyBytes) {

  /**
   * @throws NullPointerException when {@code url} is null
   * @throws IllegalArgumentException when {@code expectedBodyBytes} is negative
   */
  public FetchRequest {
    Objects.requireNonNull(url, "url");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    if (expectedBodyBytes != null && expectedBodyBytes < 0) {
      throw new IllegalArgumentException(
          "expectedBodyBytes must not be negative, was " + expectedBodyBytes);
    }
  }

  /**
   * A request without a hint of its body's length.
   *
   * @see #FetchRequest(URI, String, String, Map, Duration, Long)
   */
  public FetchRequest(
      URI url, String etag, String lastModified, Map<String, String> headers, Duration maxAge) {
    this(url, etag, lastModified, headers, maxAge, null);
  }

  /**
   * A request without a stored {@code max-age}.
   *
   * @see #FetchRequest(URI, String, String, Map, Duration)
   */
  public FetchRequest(URI url, String etag, String lastModified, Map<String, String> headers) {
    this(url, etag, lastModified, headers, null, null);
  }

  /**
   * An unconditional fetch with no extra headers.
   *
   * @param url the feed's absolute address; never null
   * @return a request with no validators and no extra headers
   */
  public static FetchRequest of(URI url) {
    return new FetchRequest(url, null, null, Map.of(), null, null);
  }

  /**
   * @param bytes the decoded length of the feed's last body, in bytes; null when unknown; not
   *     negative
   * @return this request with {@code bytes} as its {@link #expectedBodyBytes()}
   * @throws IllegalArgumentException when {@code bytes} is negative
   */
  public FetchRequest withExpectedBodyBytes(Long bytes) {
    return new FetchRequest(url, etag, lastModified, headers, maxAge, bytes);
  }

  /**
   * @return the request with the URL redacted and header values hidden (they are secrets)
   */
  @Override
  public String toString() {
    return "FetchRequest[url="
        + Redaction.url(url)
        + ", etag="
        + etag
        + ", lastModified="
        + lastModified
        + ", headers="
        + new TreeSet<>(headers.keySet())
        + ", maxAge="
        + maxAge
        + ", expectedBodyBytes="
        + expectedBodyBytes
        + "]";
  }
}
