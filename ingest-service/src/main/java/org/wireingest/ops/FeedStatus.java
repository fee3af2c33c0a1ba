package org.wireingest.ops;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Optional;
import org.wireingest.config.FeedSource;
import org.wireingest.fetch.Redaction;
import org.wireingest.model.FeedState;
import org.wireingest.poll.FeedHealth;
import org.wireingest.poll.FeedPoller;

/**
 * What the status page and {@code GET /api/feeds} show of one configured feed. Instants are UTC and
 * null when the event has not happened (yet) in the feed's known history.
 *
 * @param id the source id
 * @param name the human-readable name (untrusted text: escape before putting it in HTML)
 * @param agency the agency id
 * @param url the feed URL with credentials and secret parameters masked ({@link Redaction#url})
 * @param state the feed's state, see {@link State}
 * @param lastFetchAt when the last fetch ended; null before the first
 * @param lastSuccessAt when the last fetch succeeded; null before the first
 * @param lastNewEntryAt when a new or changed entry was last published; null before the first
 * @param nextPollAt when the feed is due next; null when not scheduled yet
 * @param consecutiveErrors failed polls since the last success
 * @param lastError the last failure, {@code <code>: <message>}; null after a success
 * @param entriesLast24h raw items published for this feed in the last 24 h by this process
 * @param articlesLast24h article events (created or updated) of this feed in the last 24 h by this
 *     process
 * @param interval the configured interval, ISO-8601 ({@code PT5M})
 * @param movedTo where {@code url} has moved permanently (HTTP 301 / 308), credentials masked: the
 *     URL to give in the feeds list instead; null when it has not moved ({@link
 *     FeedHealth#movedTo})
 * @param movedSince when a poll first found {@code url} moved to {@code movedTo}; null when it has
 *     not moved
 * @param truncatedSince since when every document parsed of the feed was cut off before its end;
 *     null when the last one was whole ({@link FeedState#truncatedSince()})
 */
public record FeedStatus(
    String id,
    String name,
    String agency,
    String url,
    State state,
    Instant lastFetchAt,
    Instant lastSuccessAt,
    Instant lastNewEntryAt,
    Instant nextPollAt,
    int consecutiveErrors,
    String lastError,
    long entriesLast24h,
    long articlesLast24h,
    String interval,
    String movedTo,
    Instant movedSince,
    Instant truncatedSince) {

  /** The state of a feed, worst first in the order an operator should look at them. */
  public enum State {
    /** The last poll failed (any failure but rate limiting); the feed is retried with back-off. */
    FAILING("failing"),
    /**
     * The agency's server asked us to slow down (HTTP 429, {@code too-many-requests}): throttled,
     * not broken.
     */
    BACKING_OFF("backing-off"),
    /**
     * Polls succeed but the feed's document ends before its last element is closed (a server that
     * stops at some size, a cut transfer): its complete entries are read, those past the cut are
     * lost.
     */
    TRUNCATED("truncated"),
    /**
     * Polls succeed but no new entry for much longer than the feed's cadence ({@link
     * FeedHealth#idleAfter}); or never any entry.
     */
    IDLE("idle"),
    /** Not polled yet (since this feed was added). */
    PENDING("pending"),
    /** The last poll succeeded and the feed delivered a new entry recently. */
    OK("ok");

    private final String code;

    State(String code) {
      this.code = code;
    }

    /**
     * @return the lower-case code used in JSON, HTML and metrics ({@code backing-off}, ...)
     */
    @JsonValue
    public String code() {
      return code;
    }
  }

  /**
   * The state of a feed, as {@link FeedHealth#stateOf} decides it (the one rule for pending,
   * failing, backing-off, truncated, idle and ok). Pure.
   *
   * @param source the configured feed
   * @param state its current state; null when never polled nor restored
   * @param now the current time
   * @return the state
   */
  public static State stateOf(FeedSource source, FeedState state, Instant now) {
    return State.valueOf(FeedHealth.stateOf(source, state, now).name());
  }

  /**
   * @param source the configured feed
   * @param state its current state; null when never polled nor restored
   * @param now the current time
   * @param entriesLast24h raw items published in the last 24 h
   * @param articlesLast24h article events in the last 24 h
   * @return the feed's status
   */
  public static FeedStatus of(
      FeedSource source, FeedState state, Instant now, long entriesLast24h, long articlesLast24h) {
    // A state of the feed's old URL (the feeds list moved it) says nothing of this one: its errors
    // and times would stand beside "pending" until the first poll at the new URL.
    FeedState current = FeedPoller.atCurrentUrl(source, state);
    FeedState s =
        current == null ? FeedState.initial(source.id(), Redaction.url(source.url())) : current;
    Optional<String> moved = FeedHealth.movedTo(source, state);
    return new FeedStatus(
        source.id(),
        source.name(),
        source.agency(),
        Redaction.url(source.url()),
        stateOf(source, state, now),
        s.lastFetchAt(),
        s.lastSuccessAt(),
        s.lastNewEntryAt(),
        s.nextPollAt(),
        s.consecutiveErrors(),
        s.lastError(),
        entriesLast24h,
        articlesLast24h,
        source.interval().toString(),
        moved.orElse(null),
        moved.isPresent() ? s.movedSince() : null,
        FeedHealth.truncatedSince(source, state).orElse(null));
  }
}
