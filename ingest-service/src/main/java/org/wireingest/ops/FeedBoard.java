package org.wireingest.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.wireingest.config.FeedSource;
import org.wireingest.model.FeedState;
import org.wireingest.poll.PollResult;

/**
 * The status of every feed this process polls, for the status page and {@code GET /api/feeds}: the
 * feed states the poller keeps, plus rolling 24 h counts of raw items published (counted here, from
 * poll results) and of article events (counted by the normalizer). When pollers share the feeds
 * through a consumer group, that is this poller's share, and it follows rebalances and feeds-list
 * changes; {@link #scope()} says so. Thread-safe.
 */
public final class FeedBoard implements Consumer<PollResult> {

  private final Supplier<List<FeedSource>> polled;
  private final Supplier<String> scope;
  private final Function<String, FeedState> states;
  private final ToLongFunction<String> articlesLast24h;
  private final Clock clock;
  private final RollingCounts entries;

  /**
   * @param polled the feeds this process polls now, in feeds-list order; fast
   * @param scope what share of the feeds list {@code polled} is, one line of plain text (for
   *     example the poller's group and feed-state partitions, or that the process polls no feeds);
   *     null, or a supplier of null, when this process polls the whole list on its own, in no group
   *     ({@code run --once}); fast
   * @param states a feed's current state by source id (null when never polled nor restored); fast
   * @param articlesLast24h article events of a source id in the last 24 h; fast
   * @param clock time source (UTC)
   */
  public FeedBoard(
      Supplier<List<FeedSource>> polled,
      Supplier<String> scope,
      Function<String, FeedState> states,
      ToLongFunction<String> articlesLast24h,
      Clock clock) {
    this.polled = Objects.requireNonNull(polled);
    this.scope = scope == null ? () -> null : scope;
    this.states = Objects.requireNonNull(states);
    this.articlesLast24h = Objects.requireNonNull(articlesLast24h);
    this.clock = Objects.requireNonNull(clock);
    this.entries = RollingCounts.lastDay(clock);
  }

  /** Counts the raw items a poll published. */
  @Override
  public void accept(PollResult result) {
    entries.add(result.sourceId(), result.published());
  }

  /**
   * @return the status of every feed this process polls now, in feeds-list order
   */
  public List<FeedStatus> feeds() {
    Instant now = clock.instant();
    return polled.get().stream()
        .map(
            s ->
                FeedStatus.of(
                    s,
                    states.apply(s.id()),
                    now,
                    entries.count(s.id()),
                    articlesLast24h.applyAsLong(s.id())))
        .toList();
  }

  /**
   * @return which share of the feeds list {@link #feeds()} is (one line of plain text); null when
   *     this process polls the whole list in no group
   */
  public String scope() {
    return scope.get();
  }

  /**
   * @return the current time of this board's clock (when the statuses were taken)
   */
  public Instant now() {
    return clock.instant();
  }
}
