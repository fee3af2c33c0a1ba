package org.wireingest.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.wireingest.config.FeedSource;
import org.wireingest.model.FeedState;
import org.wireingest.parse.ParsedEntry;

/**
 * The health of one feed, from its {@link FeedState}, for the status API and its metrics: whether
 * it is failing, throttled, truncated (polls succeed but its documents come cut off), idle (polls
 * succeed but it has published nothing for much longer than its usual cadence: an alert for a
 * person, not a failure to retry) or fine. Pure and thread-safe.
 *
 * <p>The idle rule: a feed is idle when no new entry was published for longer than {@link
 * #idleAfter}: {@link #IDLE_CADENCES} × its cadence (the median gap between its entries' dates,
 * {@link #cadence}, kept in {@link FeedState#cadenceSeconds()}), but at least {@link #MIN_IDLE} so
 * that a quiet night is not an alert; without a known cadence, {@link #IDLE_INTERVALS} × its poll
 * interval, but at least {@link #MIN_IDLE_WITHOUT_CADENCE}.
 */
public final class FeedHealth {

  /** A feed is idle after this many of its usual gaps between entries without a new one... */
  public static final int IDLE_CADENCES = 10;

  /** ...but never before this long. */
  public static final Duration MIN_IDLE = Duration.ofHours(12);

  /** Without a known cadence: idle after this many poll intervals without a new entry... */
  public static final int IDLE_INTERVALS = 20;

  /** ...but never before this long. */
  public static final Duration MIN_IDLE_WITHOUT_CADENCE = Duration.ofHours(24);

  /** The state of a feed, worst first, as an operator should look at them. */
  public enum State {
    /** The last poll failed (anything but rate limiting); the feed is retried with back-off. */
    FAILING,
    /**
     * The server asked us to slow down (HTTP 429, {@code too-many-requests}): throttled, not
     * broken.
     */
    BACKING_OFF,
    /**
     * Polls succeed but the feed's document is cut off before its end ({@link
     * FeedState#truncatedSince()}): the entries past the cut are lost.
     */
    TRUNCATED,
    /** Polls succeed but no new entry for longer than {@link #idleAfter}, or never any entry. */
    IDLE,
    /** Not fetched yet. */
    PENDING,
    /** The last poll succeeded and the feed published a new entry recently. */
    OK;

    private final String code = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /**
     * @return the lower-case code for JSON, HTML and metric tags ({@code backing-off}, ...)
     */
    public String code() {
      return code;
    }
  }

  private FeedHealth() {}

  /**
   * @param source the configured feed; never null
   * @param state its current state; null when never polled nor restored
   * @param now the current time (UTC); never null
   * @return {@link State#PENDING} before the first fetch of the feed's current URL (also when
   *     {@code state} was recorded for another URL, {@link FeedPoller#atCurrentUrl}: the feed was
   *     given a new URL in the feeds list, and the poller starts it afresh); {@link
   *     State#BACKING_OFF} while every failure since the last success was a {@code
   *     too-many-requests} answer ({@link FeedState#throttledOnly()}); {@link State#FAILING} after
   *     any other failure; {@link State#TRUNCATED} while its documents are cut off ({@link
   *     FeedState#truncatedSince()}); {@link State#IDLE} when the last new entry is older than
   *     {@link #idleAfter}, or there never was one; else {@link State#OK}
   */
  public static State stateOf(FeedSource source, FeedState state, Instant now) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(now, "now");
    FeedState current = FeedPoller.atCurrentUrl(source, state);
    if (current == null || current.lastFetchAt() == null) {
      return State.PENDING;
    }
    if (current.consecutiveErrors() > 0) {
      // Failures mixed with 429s are failing: a server answering 500 for hours, then one 429, is
      // broken.
      return current.throttledOnly() ? State.BACKING_OFF : State.FAILING;
    }
    if (current.truncatedSince() != null) {
      return State.TRUNCATED;
    }
    return quiet(source, current, now) ? State.IDLE : State.OK;
  }

  /**
   * Whether a feed whose polls succeed is idle by the idle rule alone ({@link #idleAfter}),
   * whatever else its state says: a feed whose documents come cut off ({@link State#TRUNCATED}) can
   * be idle too, and its idle alert must not be hidden by its state.
   *
   * @param source the configured feed; never null
   * @param state its current state; null when never polled nor restored
   * @param now the current time (UTC); never null
   * @return true when the feed was fetched at its current URL ({@link FeedPoller#atCurrentUrl}),
   *     its last poll succeeded, and its last new entry is older than {@link #idleAfter} or there
   *     never was one
   */
  public static boolean idle(FeedSource source, FeedState state, Instant now) {
    FeedState current = FeedPoller.atCurrentUrl(source, state);
    return current != null
        && current.lastFetchAt() != null
        && current.consecutiveErrors() == 0
        && quiet(source, current, now);
  }

  private static boolean quiet(FeedSource source, FeedState state, Instant now) {
    Instant lastNew = state.lastNewEntryAt();
    Duration quiet = lastNew == null ? null : Duration.between(lastNew, now);
    return quiet == null
        || quiet.compareTo(idleAfter(source.interval(), state.cadenceSeconds())) > 0;
  }

  /**
   * Whether a one-off round ({@code run --once}) must leave a feed alone: the agency's server
   * answered its last poll with {@code 429 too-many-requests} and the time to wait (its {@code
   * Retry-After}, RFC 9110 §10.2.3, or our back-off, whichever is longer) has not passed.
   *
   * @param source the configured feed; never null
   * @param state its current state; null when never polled nor restored
   * @param now the current time (UTC); never null
   * @return true while such a feed's {@code nextPollAt} is after {@code now}; false when the state
   *     was recorded for another URL (the feed was moved: the poller starts it afresh)
   */
  public static boolean throttled(FeedSource source, FeedState state, Instant now) {
    // the last answer, not every one since the last success: a 429 after a 503 asked us to wait
    // all the same (run --once had polled such a feed again 8 s later)
    FeedState current = FeedPoller.atCurrentUrl(source, state);
    return current != null
        && current.lastFailureThrottled()
        && current.nextPollAt() != null
        && current.nextPollAt().isAfter(now);
  }

  /**
   * Where a feed's configured URL has moved permanently (HTTP 301 / 308), as a successful poll
   * found and later ones did not contradict ({@link FeedState#movedTo()}): the URL the feeds list
   * should give instead.
   *
   * @param source the configured feed; never null
   * @param state its current state; null when never polled nor restored
   * @return the new URL, credentials masked ({@link FeedState#movedTo()}); empty when the URL has
   *     not moved, when the feeds list gives the new URL already, and when {@code state} belongs to
   *     another URL ({@link FeedPoller#atCurrentUrl})
   */
  public static Optional<String> movedTo(FeedSource source, FeedState state) {
    FeedState current = FeedPoller.atCurrentUrl(source, state);
    return current == null ? Optional.empty() : Optional.ofNullable(current.movedTo());
  }

  /**
   * Since when a feed's documents come cut off before their end, as its last parsed document
   * showed. Unlike {@link State#TRUNCATED}, which a failing poll outranks, this holds through
   * failures: a feed that is cut off and sometimes failing stays cut off.
   *
   * @param source the configured feed; never null
   * @param state its current state; null when never polled nor restored
   * @return {@link FeedState#truncatedSince()} (UTC); empty when the last document parsed was
   *     whole, and when {@code state} belongs to another URL ({@link FeedPoller#atCurrentUrl})
   */
  public static Optional<Instant> truncatedSince(FeedSource source, FeedState state) {
    FeedState current = FeedPoller.atCurrentUrl(source, state);
    return current == null ? Optional.empty() : Optional.ofNullable(current.truncatedSince());
  }

  /**
   * How long a feed may go without a new entry before it is idle (see the class comment).
   *
   * @param interval the feed's poll interval; never null
   * @param cadenceSeconds its cadence in seconds ({@link FeedState#cadenceSeconds()}); null when
   *     unknown
   * @return {@code max(12 h, 10 × cadence)}, or without a cadence {@code max(24 h, 20 × interval)}
   */
  public static Duration idleAfter(Duration interval, Long cadenceSeconds) {
    Duration threshold;
    Duration floor;
    if (cadenceSeconds != null && cadenceSeconds > 0) {
      threshold = Duration.ofSeconds(cadenceSeconds).multipliedBy(IDLE_CADENCES);
      floor = MIN_IDLE;
    } else {
      threshold = interval.multipliedBy(IDLE_INTERVALS);
      floor = MIN_IDLE_WITHOUT_CADENCE;
    }
    return threshold.compareTo(floor) > 0 ? threshold : floor;
  }

  /**
   * A feed's publishing cadence as one document shows it: the median gap between the distinct dates
   * of its entries (published, else updated), the lower of the two middle gaps when their number is
   * even.
   *
   * @param entries the entries of one document; never null
   * @return the cadence, at least one second; empty when fewer than two entries have distinct dates
   */
  public static Optional<Duration> cadence(List<ParsedEntry> entries) {
    List<Instant> dates =
        entries.stream()
            .map(e -> e.published() != null ? e.published() : e.updated())
            .filter(Objects::nonNull)
            .distinct()
            .sorted()
            .toList();
    if (dates.size() < 2) {
      return Optional.empty();
    }
    List<Duration> gaps = new ArrayList<>(dates.size() - 1);
    for (int i = 1; i < dates.size(); i++) {
      gaps.add(Duration.between(dates.get(i - 1), dates.get(i)));
    }
    gaps.sort(null);
    Duration median = gaps.get((gaps.size() - 1) / 2);
    return Optional.of(
        median.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : median);
  }
}
