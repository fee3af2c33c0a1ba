package org.wireingest.fetch;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of one {@link FeedFetcher#fetch(FetchRequest)}: a value for every case, never an
 * exception. Exactly one of {@link Fetched} (a body), {@link NotModified} (the conditional GET
 * matched) or {@link Failed} (a classified failure).
 */
public sealed interface FetchResult {

  /**
   * @return the classified outcome; {@link FetchOutcome#OK} for {@link Fetched}, never null
   */
  FetchOutcome outcome();

  /**
   * @return wall time of the whole fetch, redirects and body included; never null
   */
  Duration elapsed();

  /**
   * Whether a redirect is permanent: 301 Moved Permanently or 308 Permanent Redirect (RFC 9110
   * §15.4.2, §15.4.9), after which "clients ought to" use the new URL.
   *
   * @param status an HTTP status
   * @return true for 301 and 308
   */
  static boolean isPermanentRedirect(int status) {
    return status == 301 || status == 308;
  }

  /**
   * A body was received (HTTP 2xx) or read from a {@code file:}.
   *
   * @param finalUrl the URL the body came from, after redirects; never null
   * @param status the HTTP status (2xx), 0 for {@code file:}
   * @param body the decoded body (gzip/deflate removed), at most {@link
   *     FetchSettings#maxBodyBytes()} bytes; not copied, so callers must not modify it; never null
   *     (possibly empty)
   * @param etag the response's {@code ETag}, as sent; null when absent
   * @param lastModified the response's {@code Last-Modified} as sent, or for {@code file:} the
   *     file's modification time as an RFC 9110 IMF-fixdate; null when absent or in the future
   *     (more than a minute after the response's {@code Date}), and for a {@code file:} modified
   *     less than 2 s before the read (a later write could carry the same whole-second time)
   * @param contentType the response's {@code Content-Type}, as sent (charset included); null when
   *     absent and for {@code file:}
   * @param elapsed wall time of the whole fetch; never null
   * @param cacheMaxAge how much longer the response stays fresh: its freshness lifetime, the {@code
   *     max-age} of its {@code Cache-Control} (RFC 9111 §5.2.2.1), else its {@code Expires} less
   *     its {@code Date} (§4.2.1; an invalid {@code Expires} such as {@code 0} gives zero, §5.3),
   *     less its {@code Age} (RFC 9111 §5.1, §4.2.3: the time a cache such as a CDN has held it),
   *     never negative; null when it has neither a usable {@code max-age} nor an {@code Expires}
   * @param maxAge the {@code max-age} of its {@code Cache-Control} as sent, its {@code Age} not
   *     subtracted: to keep with the validators, for a later 304 that carries no {@code
   *     Cache-Control} ({@link FetchRequest#maxAge()}); null when absent or malformed, and for
   *     {@code file:}
   * @param movedTo where the requested URL has moved permanently: the target of the last of an
   *     unbroken run of permanent redirects ({@link #isPermanentRedirect}) from the requested URL
   *     ({@code A -301-> B -302-> C} moved A to B; {@code A -302-> B -301-> C} did not move A);
   *     null when the first hop was not permanent, and without redirects
   */
  record Fetched(
      URI finalUrl,
      int status,
      byte[] body,
      String etag,
      String lastModified,
      String contentType,
      Duration elapsed,
      Duration cacheMaxAge,
      Duration maxAge,
      URI movedTo)
      implements FetchResult {

    public Fetched {
      Objects.requireNonNull(finalUrl, "finalUrl");
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(elapsed, "elapsed");
    }

    @Override
    public FetchOutcome outcome() {
      return FetchOutcome.OK;
    }

    /** Compares the body by content, like the other components. */
    @Override
    public boolean equals(Object other) {
      return other instanceof Fetched that
          && status == that.status
          && finalUrl.equals(that.finalUrl)
          && Arrays.equals(body, that.body)
          && Objects.equals(etag, that.etag)
          && Objects.equals(lastModified, that.lastModified)
          && Objects.equals(contentType, that.contentType)
          && elapsed.equals(that.elapsed)
          && Objects.equals(cacheMaxAge, that.cacheMaxAge)
          && Objects.equals(maxAge, that.maxAge)
          && Objects.equals(movedTo, that.movedTo);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          finalUrl,
          status,
          Arrays.hashCode(body),
          etag,
          lastModified,
          contentType,
          elapsed,
          cacheMaxAge,
          maxAge,
          movedTo);
    }

    /**
     * @return the result with the URL redacted and the body shown by its length only
     */
    @Override
    public String toString() {
      return "Fetched[finalUrl="
          + Redaction.url(finalUrl)
          + ", status="
          + status
          + ", body="
          + body.length
          + " bytes"
          + ", etag="
          + etag
          + ", lastModified="
          + lastModified
          + ", contentType="
          + contentType
          + ", elapsed="
          + elapsed
          + ", cacheMaxAge="
          + cacheMaxAge
          + ", maxAge="
          + maxAge
          + ", movedTo="
          + (movedTo == null ? null : Redaction.url(movedTo))
          + "]";
    }
  }

  /**
   * The server answered 304 Not Modified to the conditional GET, or the {@code file:} has the
   * modification time the request gave: the feed is unchanged since the last fetch.
   *
   * @param finalUrl the URL that answered, after redirects; never null
   * @param etag the ETag to keep: the response's when it sent one, else the request's; null when
   *     neither has one
   * @param lastModified the Last-Modified to keep: the response's when it sent one, else the
   *     request's; null when neither has one
   * @param elapsed wall time of the whole fetch; never null
   * @param cacheMaxAge how much longer the stored response stays fresh, as the 304's headers update
   *     it (RFC 9111 §4.3.4: those it carries replace the stored response's, the others are kept):
   *     {@code maxAge}, else the 304's {@code Expires} less its {@code Date} (§4.2.1), less the
   *     304's {@code Age} (RFC 9111 §4.2.3; the stored response's age is not counted, the 304 being
   *     the newer answer), never negative; null when there is neither (a stored {@code Expires} is
   *     not kept)
   * @param maxAge the {@code max-age} to keep, as sent: the 304's when it carries a {@code
   *     Cache-Control} (null when that has no usable {@code max-age}: the 304's {@code
   *     Cache-Control} replaces the stored one), else the request's ({@link
   *     FetchRequest#maxAge()}); null for {@code file:}
   * @param movedTo where the requested URL has moved permanently: the target of the last of an
   *     unbroken run of permanent redirects ({@link #isPermanentRedirect}) from the requested URL
   *     ({@code A -301-> B -302-> C} moved A to B; {@code A -302-> B -301-> C} did not move A);
   *     null when the first hop was not permanent, and without redirects
   */
  record NotModified(
      URI finalUrl,
      String etag,
      String lastModified,
      Duration elapsed,
      Duration cacheMaxAge,
      Duration maxAge,
      URI movedTo)
      implements FetchResult {

    public NotModified {
      Objects.requireNonNull(finalUrl, "finalUrl");
      Objects.requireNonNull(elapsed, "elapsed");
    }

    @Override
    public FetchOutcome outcome() {
      return FetchOutcome.NOT_MODIFIED;
    }

    /**
     * @return the result with the URL redacted
     */
    @Override
    public String toString() {
      return "NotModified[finalUrl="
          + Redaction.url(finalUrl)
          + ", etag="
          + etag
          + ", lastModified="
          + lastModified
          + ", elapsed="
          + elapsed
          + ", cacheMaxAge="
          + cacheMaxAge
          + ", maxAge="
          + maxAge
          + ", movedTo="
          + (movedTo == null ? null : Redaction.url(movedTo))
          + "]";
    }
  }

  /**
   * The fetch failed; nothing was received that the caller can use.
   *
   * @param outcome the classified reason; never {@link FetchOutcome#OK} nor {@link
   *     FetchOutcome#NOT_MODIFIED}
   * @param message one line for an ops engineer: what failed and where (URL redacted); never null
   * @param status the HTTP status when a response arrived, 0 when none did (and for {@code file:})
   * @param elapsed wall time until the failure; never null
   * @param retryAfter how long the server asked us to wait, from {@code Retry-After} (RFC 9110
   *     §10.2.3) on a 429 or 503, never negative; null when not given or unparseable
   * @throws IllegalArgumentException when {@code outcome} is a success
   */
  record Failed(
      FetchOutcome outcome, String message, int status, Duration elapsed, Duration retryAfter)
      implements FetchResult {

    public Failed {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(elapsed, "elapsed");
      if (outcome == FetchOutcome.OK || outcome == FetchOutcome.NOT_MODIFIED) {
        throw new IllegalArgumentException("a failure cannot have outcome " + outcome);
      }
    }
  }
}
