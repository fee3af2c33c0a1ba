package org.wireingest.poll;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.FeedSource;
import org.wireingest.fetch.FetchResult;
import org.wireingest.fetch.Redaction;
import org.wireingest.model.FeedState;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseFailure;
import org.wireingest.parse.ParseWarning;
import org.wireingest.parse.ParsedFeed;

/**
 * How a poll's outcome moves its feed's state ({@link FeedState}): the rules of {@link FeedPoller}
 * for what a state keeps and when the feed is polled next.
 *
 * <p>After a successful poll the state takes the response's validators (ETag, Last-Modified),
 * times, and the next poll: the feed's interval stretched within bounds by its refresh hint, the
 * longer of the response's {@code Cache-Control: max-age} and the feed's {@code <ttl>} ({@link
 * Backoff#healthyDelay}). It also records where the feed URL moved permanently, and since when the
 * feed's documents come cut off. After a failed poll the feed backs off exponentially from its
 * interval ({@link Backoff#delay}), with its failures and its throttled answers counted.
 *
 * <p>Its log lines (a move, a cut-off document) are the poller's, logged under its name. Stateless;
 * thread-safe.
 */
final class NextFeedState {

  private static final Logger LOG = LoggerFactory.getLogger(FeedPoller.class);

  private NextFeedState() {}

  /**
   * What a successful response (a body, or 304 Not Modified) tells the feed state: its validators,
   * its caching, and where its redirects ended.
   *
   * @param finalUrl where the last redirect ended (the feed's URL without redirects); never null
   * @param etag the response's ETag; null when none (or not kept)
   * @param lastModified the response's Last-Modified; null when none (or not kept)
   * @param cacheMaxAge the response's {@code Cache-Control: max-age}; null when none
   * @param maxAge the {@code max-age} to keep in the state, as the fetch result gives it; null when
   *     none
   * @param movedTo where the feed URL moved permanently; null when it did not
   */
  record Answer(
      URI finalUrl,
      String etag,
      String lastModified,
      Duration cacheMaxAge,
      Duration maxAge,
      URI movedTo) {

    static Answer of(FetchResult.NotModified nm) {
      return new Answer(
          nm.finalUrl(), nm.etag(), nm.lastModified(), nm.cacheMaxAge(), nm.maxAge(), nm.movedTo());
    }

    static Answer of(FetchResult.Fetched ok) {
      return new Answer(
          ok.finalUrl(), ok.etag(), ok.lastModified(), ok.cacheMaxAge(), ok.maxAge(), ok.movedTo());
    }

    /**
     * A document's answer as its state keeps it. A cut-off document's validators are not kept: a
     * 304 to them would keep the cut for as long as the server does not change the feed, where a
     * one-off cut transfer heals at the next poll.
     *
     * @param state the feed's state with the document's {@link FeedState#truncatedSince()}
     * @return this answer; without its validators when {@code state}'s documents come cut off
     */
    Answer unlessCutOff(FeedState state) {
      return state.truncatedSince() == null
          ? this
          : new Answer(finalUrl, null, null, cacheMaxAge, maxAge, movedTo);
    }
  }

  /**
   * The state after a successful poll: {@code base} (entries, refresh hint, cadence, identity) with
   * the answer's validators (each kept from {@code base} when the answer has none) and {@code
   * max-age}, times and the next poll, the feed's interval stretched by its refresh hint ({@link
   * #refreshHint}, from the answer's {@code max-age} and {@code base}'s {@code <ttl>}), and where
   * the feed URL moved permanently, since when.
   *
   * <p>A temporary redirect (302 / 303 / 307) that ends where the feed moved keeps the move: a 301
   * may be kept as long as no newer answer replaces it (RFC 9110 section 15.4.2), and servers
   * behind one name that answer 301 and 302 in turn would otherwise make the move come and go at
   * every poll, logged anew each time and never old enough for its alert. The move is forgotten
   * when the configured URL answers by itself, or redirects temporarily somewhere else ({@code
   * finalUrl} another URL): the URL the move named may be gone.
   *
   * @param source the feed
   * @param base the feed's state before the poll, with what its document said ({@link
   *     FeedState#withParsed}) when one was parsed
   * @param answer the response
   * @param bodySha the SHA-256 (hex) of the feed's last body
   * @param newEntries whether the poll published entries
   * @param now the poll's time (UTC)
   * @return the new state; never null
   */
  static FeedState succeeded(
      FeedSource source,
      FeedState base,
      Answer answer,
      String bodySha,
      boolean newEntries,
      Instant now) {
    Duration hint = refreshHint(answer.cacheMaxAge(), base.ttlMinutes());
    URI finalUrl = answer.finalUrl();
    String moved = answer.movedTo() == null ? null : Redaction.url(answer.movedTo());
    Instant movedSince =
        moved == null ? null : moved.equals(base.movedTo()) ? base.movedSince() : now;
    if (moved == null
        && base.movedTo() != null
        && !source.url().equals(finalUrl)
        && base.movedTo().equals(Redaction.url(finalUrl))) {
      // redirected temporarily to where it moved: the permanent move stays (see above)
      moved = base.movedTo();
      movedSince = base.movedSince();
    } else if (moved != null && !moved.equals(base.movedTo())) {
      LOG.warn(
          "feed {}: {} has moved permanently to {} (HTTP 301 / 308); the poller follows the redirect at every poll: "
              + "give the new URL in the feeds list (the feed's state carries over)",
          source.id(),
          base.feedUrl(),
          moved);
    } else if (moved == null && base.movedTo() != null) {
      LOG.info(
          "feed {}: {} no longer redirects permanently (it did to {})",
          source.id(),
          base.feedUrl(),
          base.movedTo());
    }
    return base.toBuilder()
        .etag(answer.etag() != null ? answer.etag() : base.etag())
        .lastModified(answer.lastModified() != null ? answer.lastModified() : base.lastModified())
        .bodySha256(bodySha)
        .lastFetchAt(now)
        .lastSuccessAt(now)
        .lastNewEntryAt(newEntries ? now : base.lastNewEntryAt())
        .consecutiveErrors(0)
        .lastError(null)
        .nextPollAt(now.plus(Backoff.healthyDelay(source.interval(), hint)))
        .maxAgeSeconds(answer.maxAge() == null ? null : answer.maxAge().toSeconds())
        .movedTo(moved)
        .movedSince(movedSince)
        .throttledErrors(null)
        .build();
  }

  /**
   * A failed poll's state, after its fetch, parse or raw items failed ({@code code}). The feed
   * backs off exponentially from its interval ({@link Backoff#delay}), except after {@value
   * FeedPoller#PUBLISH_ERROR}: Kafka's failure, not the feed's, after which it is polled again when
   * it would be while healthy ({@code retryAfter}: its interval stretched by its refresh hint,
   * {@link Backoff#healthyDelay}) however many polls Kafka failed in a row, so polling resumes
   * within about one interval of the broker's return without fetching the feed more often than
   * while healthy (the failure is still counted in {@code consecutiveErrors}). A failure of the
   * feed's own after a {@value FeedPoller#PUBLISH_ERROR} starts its count again at 1: that poll's
   * fetch had succeeded.
   *
   * @param source the feed
   * @param state the feed's state before the poll
   * @param code the failure's outcome code
   * @param message why it failed, already shortened to one line
   * @param retryAfter the earliest next poll, from the poll's end: the server's Retry-After, or
   *     after {@value FeedPoller#PUBLISH_ERROR} the feed's healthy delay; null when none
   * @param now the poll's time (UTC)
   * @return the new state, its {@code consecutiveErrors} the failures in a row this one included;
   *     never null
   */
  static FeedState failed(
      FeedSource source,
      FeedState state,
      String code,
      String message,
      Duration retryAfter,
      Instant now) {
    // A publish-error follows a fetch that succeeded: a failure of the feed's own after one starts
    // a new run, so that a Kafka outage's failures (one per interval) do not set the feed's
    // exponential back-off (ten in a row: 2^9 intervals, the 6 h cap, at its first failure after).
    boolean afterKafkaFailed =
        !FeedPoller.PUBLISH_ERROR.equals(code)
            && state.consecutiveErrors() > 0
            && state.lastError() != null
            && state.lastError().startsWith(FeedPoller.PUBLISH_ERROR + ":");
    int errors = afterKafkaFailed ? 1 : state.consecutiveErrors() + 1;
    // A state from before the count: its last failure being a 429 stands for the whole run.
    int throttledBefore =
        afterKafkaFailed
            ? 0
            : state.throttledErrors() != null
                ? state.throttledErrors()
                : state.throttledOnly() ? state.consecutiveErrors() : 0;
    int throttled = throttledBefore + (FeedState.TOO_MANY_REQUESTS.equals(code) ? 1 : 0);
    return state.toBuilder()
        .lastFetchAt(now)
        .consecutiveErrors(errors)
        .lastError(code + ": " + message)
        .nextPollAt(
            now.plus(
                Backoff.delay(
                    source.interval(),
                    FeedPoller.PUBLISH_ERROR.equals(code) ? 1 : errors,
                    retryAfter)))
        .throttledErrors(throttled == 0 ? null : throttled)
        // cut off before its first entry: nothing read, and as cut off as a partial read
        .truncatedSince(
            ParseFailure.TRUNCATED_DOCUMENT.code().equals(code) && state.truncatedSince() == null
                ? now
                : state.truncatedSince())
        .build();
  }

  /**
   * Since when the feed's documents are cut off, after this one: kept from {@code state} while they
   * still are, now for the first, null once a document is whole. The first cut-off document is
   * logged at WARN, the first whole one after it at INFO: a one-off cut transfer and a server that
   * always stops at some size both show, once each.
   *
   * @param source the feed
   * @param state the feed's state before the poll
   * @param feed the document just parsed
   * @param now the poll's time (UTC)
   * @return since when (UTC); null when {@code feed} is whole
   */
  static Instant truncatedSince(FeedSource source, FeedState state, ParsedFeed feed, Instant now) {
    ParseWarning cut =
        feed.warnings().stream()
            .filter(w -> w.kind().equals(FeedParser.TRUNCATED_DOCUMENT))
            .findFirst()
            .orElse(null);
    if (cut == null) {
      if (state.truncatedSince() != null) {
        LOG.info(
            "feed {}: its document is whole again (cut off since {})",
            source.id(),
            state.truncatedSince());
      }
      return null;
    }
    if (state.truncatedSince() != null) {
      return state.truncatedSince();
    }
    LOG.warn(
        "feed {}: its document ends before its last element is closed ({}); its complete entries"
            + " were read, anything past the cut is lost until the server sends it whole",
        source.id(),
        cut.detail());
    return now;
  }

  /**
   * The feed's refresh hint: the longer of a response's {@code Cache-Control: max-age} (RFC 9111
   * §5.2.2.1) and the feed's RSS {@code <ttl>}.
   *
   * @param cacheMaxAge the response's max-age; null when none
   * @param ttlMinutes the feed's ttl, minutes; null when none
   * @return the hint; null when neither
   */
  static Duration refreshHint(Duration cacheMaxAge, Integer ttlMinutes) {
    Duration ttl = ttlMinutes == null ? null : Duration.ofMinutes(ttlMinutes);
    if (cacheMaxAge == null || ttl != null && ttl.compareTo(cacheMaxAge) > 0) {
      return ttl;
    }
    return cacheMaxAge;
  }
}
