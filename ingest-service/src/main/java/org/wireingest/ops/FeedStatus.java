package org.wireingest.ops;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.wireingest.config.FeedSource;
import org.wireingest.fetch.Redaction;
import org.wireingest.model.FeedState;

/**
 * What the status page and {@code GET /api/feeds} show of one configured feed. Instants are UTC
 * and null when the event has not happened (yet) in the feed's known history.
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
 * @param articlesLast24h article events (created or updated) of this feed in the last 24 h by this process
 * @param interval the configured interval, ISO-8601 ({@code PT5M})
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
    String interval) {

  /** Shortest quiet time that makes a feed idle, whatever its interval. */
  public static final Duration MIN_IDLE = Duration.ofHours(24);

  /** A feed is idle after this many of its intervals without a new entry (when longer than {@link #MIN_IDLE}). */
  public static final int IDLE_INTERVALS = 20;

  /** The state of a feed, worst first in the order an operator should look at them. */
  public enum State {
    /** The last poll failed (any failure but rate limiting); the feed is retried with back-off. */
    FAILING("failing"),
    /** The agency's server asked us to slow down (HTTP 429, {@code too-many-requests}): throttled, not broken. */
    BACKING_OFF("backing-off"),
    /** Polls succeed but no new entry for longer than {@link #idleAfter(Duration)}; or never any entry. */
    IDLE("idle"),
    /** Not polled yet (since this feed was added). */
    PENDING("pending"),
    /** The last poll succeeded and the feed delivered a new entry recently. */
    OK("ok");

    private final String code;

    State(String code) {
      this.code = code;
    }

    /** @return the lower-case code used in JSON, HTML and metrics ({@code backing-off}, ...) */
    @JsonValue
    public String code() {
      return code;
    }
  }

  /**
   * How long a feed may go without a new entry before it is idle: {@code max(24 h, 20 × interval)},
   * much longer than its usual cadence so that a quiet night is not an alert.
   *
   * @param interval the feed's poll interval
   * @return the idle threshold
   */
  public static Duration idleAfter(Duration interval) {
    Duration byInterval = interval.multipliedBy(IDLE_INTERVALS);
    return byInterval.compareTo(MIN_IDLE) > 0 ? byInterval : MIN_IDLE;
  }

  /**
   * The state of a feed. Pure.
   *
   * @param source the configured feed
   * @param state its current state; null when never polled nor restored
   * @param now the current time
   * @return {@link State#PENDING} before the first fetch; {@link State#BACKING_OFF} after a
   *     {@code too-many-requests} failure; {@link State#FAILING} after any other failure;
   *     {@link State#IDLE} when the last new entry is older than {@link #idleAfter}, or the feed
   *     never had one; else {@link State#OK}
   */
  public static State stateOf(FeedSource source, FeedState state, Instant now) {
    if (state == null || state.lastFetchAt() == null) {
      return State.PENDING;
    }
    if (state.consecutiveErrors() > 0) {
      String error = state.lastError() == null ? "" : state.lastError().toLowerCase(Locale.ROOT);
      return error.startsWith("too-many-requests") ? State.BACKING_OFF : State.FAILING;
    }
    Instant lastNew = state.lastNewEntryAt();
    if (lastNew == null || Duration.between(lastNew, now).compareTo(idleAfter(source.interval())) > 0) {
      return State.IDLE;
    }
    return State.OK;
  }

  /**
   * @param source the configured feed
   * @param state its current state; null when never polled nor restored
   * @param now the current time
   * @param entriesLast24h raw items published in the last 24 h
   * @param articlesLast24h article events in the last 24 h
   * @return the feed's status
   */
  public static FeedStatus of(FeedSource source, FeedState state, Instant now, long entriesLast24h, long articlesLast24h) {
    FeedState s = state == null ? FeedState.initial(source.id(), Redaction.url(source.url())) : state;
    return new FeedStatus(
        source.id(), source.name(), source.agency(), Redaction.url(source.url()), stateOf(source, state, now),
        s.lastFetchAt(), s.lastSuccessAt(), s.lastNewEntryAt(), s.nextPollAt(), s.consecutiveErrors(), s.lastError(),
        entriesLast24h, articlesLast24h, source.interval().toString());
  }
}
