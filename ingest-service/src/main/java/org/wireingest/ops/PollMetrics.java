package org.wireingest.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.wireingest.config.FeedSource;
import org.wireingest.fetch.BodyBudget;
import org.wireingest.model.FeedState;
import org.wireingest.poll.FeedHealth;
import org.wireingest.poll.FeedPoller;
import org.wireingest.poll.PollResult;

/**
 * The poller's Micrometer meters, fed by every {@link PollResult}. Every meter is tagged with the
 * feed's {@code source} id and {@code agency} (both bounded by the feeds list; never a URL):
 *
 * <ul>
 *   <li>{@value #POLLS} counter, also tagged {@code outcome} ({@code ok}, {@code not-modified},
 *       {@code unchanged}, {@code failed}, {@code handed-over}: no failure, the feed went to
 *       another poller while the poll ran) and {@code reason} (the classified code: {@code ok},
 *       {@code not-found}, {@code timeout}, ...); its {@code failed} / {@code publish-error} series
 *       is there from 0 for each feed tracked, the others appear with their first poll;
 *   <li>{@value #FETCH_DURATION} timer: the fetch alone (request to last body byte);
 *   <li>{@value #FETCH_SIZE} distribution summary in bytes, of fetches that returned a body;
 *   <li>{@value #ENTRIES_SEEN} and {@value #RAW_ITEMS_PUBLISHED} counters;
 *   <li>{@value #PARSE_WARNINGS} counter, also tagged {@code kind} ({@code unparseable-date}, ...);
 *   <li>gauges read from the feed state when scraped: {@value #LAST_SUCCESS} and {@value
 *       #LAST_NEW_ENTRY} (epoch seconds, NaN before the first), {@value #CONSECUTIVE_ERRORS}, and
 *       {@value #FEED_IDLE} (1 when {@link FeedHealth#idle}, a truncated feed too, else 0), {@value
 *       #FEED_THROTTLED} (1 while it says backing-off: its consecutive errors are 429s, not
 *       failures), {@value #FEED_TRUNCATED} (1 while the feed's documents come cut off, failed
 *       polls between them included) and {@value #FEED_MOVED} (1 when the feed's URL has moved
 *       permanently, else 0), for the feeds this process polls now ({@link #track}).
 * </ul>
 *
 * <p>And one meter without tags (one series whatever the number of feeds): the {@value
 * #SCHEDULE_LATENESS} timer, with a percentile histogram, of how late each scheduled poll started
 * against its planned time ({@link #lateness}); and, for a process that watches its feeds list, the
 * {@value #FEEDS_LIST_VALID} gauge ({@link #watchFeedsList}); and, for a poller, the meters of its
 * body memory budget ({@link #bindBodyBudget}).
 *
 * <p>Prometheus names: dots become underscores, counters end in {@code _total}, the timer in {@code
 * _seconds}, the summary in {@code _bytes}, the timestamps in {@code _seconds}. Thread-safe.
 */
public final class PollMetrics implements Consumer<PollResult> {

  /** Polls by outcome. */
  public static final String POLLS = "wire.poller.polls";

  /** Fetch time, on the monotonic clock. */
  public static final String FETCH_DURATION = "wire.poller.fetch.duration";

  /** Fetched body size. */
  public static final String FETCH_SIZE = "wire.poller.fetch.size";

  /** Entries in fetched documents. */
  public static final String ENTRIES_SEEN = "wire.poller.entries.seen";

  /** Raw items published (new or changed entries). */
  public static final String RAW_ITEMS_PUBLISHED = "wire.poller.raw.items.published";

  /** Recoverable parse problems by kind. */
  public static final String PARSE_WARNINGS = "wire.parser.warnings";

  /** When the feed was last fetched successfully. */
  public static final String LAST_SUCCESS = "wire.poller.last.success.timestamp";

  /** When the feed last delivered a new or changed entry. */
  public static final String LAST_NEW_ENTRY = "wire.poller.last.new.entry.timestamp";

  /** Failed polls since the last success. */
  public static final String CONSECUTIVE_ERRORS = "wire.poller.consecutive.errors";

  /** 1 while the feed is idle. */
  public static final String FEED_IDLE = "wire.poller.feed.idle";

  /** 1 while the feed is backing off after a 429 ({@link FeedStatus.State#BACKING_OFF}), else 0. */
  public static final String FEED_THROTTLED = "wire.poller.feed.throttled";

  /** 1 when the feed's URL has moved permanently ({@link FeedHealth#movedTo}), else 0. */
  public static final String FEED_MOVED = "wire.poller.feed.moved";

  /** 1 while the feed's documents are cut off before their end. */
  public static final String FEED_TRUNCATED = "wire.poller.feed.truncated";

  /** How late scheduled polls start. */
  public static final String SCHEDULE_LATENESS = "wire.poller.schedule.lateness";

  /** 1 while the feeds list file is valid, 0 after a change that is not. */
  public static final String FEEDS_LIST_VALID = "wire.poller.feeds.list.valid";

  /** Body bytes reserved in the poller's body memory budget now. */
  public static final String BODY_BUDGET_RESERVED = "wire.poller.body.budget.reserved";

  /** The body memory budget's size. */
  public static final String BODY_BUDGET_LIMIT = "wire.poller.body.budget.limit";

  /** Polls waiting for room in the body memory budget now. */
  public static final String BODY_BUDGET_WAITING = "wire.poller.body.budget.waiting";

  /** Polls that waited for room in the body memory budget, and how long. */
  public static final String BODY_BUDGET_WAITS = "wire.poller.body.budget.waits";

  /** Polls that gave up waiting for room in the body memory budget at their fetch deadline. */
  public static final String BODY_BUDGET_TIMEOUTS = "wire.poller.body.budget.timeouts";

  /**
   * Bodies of unknown length that outgrew the reservation made on their feed's last body (1 MiB
   * without one) and asked the budget for more.
   */
  public static final String BODY_BUDGET_OUTGROWN = "wire.poller.body.budget.outgrown";

  /** Largest lateness the histogram resolves; later polls fall in its last (+Inf) bucket. */
  private static final Duration MAX_EXPECTED_LATENESS = Duration.ofMinutes(10);

  private final MeterRegistry registry;
  private final Function<String, FeedState> states;
  private final Clock clock;

  /**
   * Tags of every feed tracked so far, by source id: a late poll result of a released feed keeps
   * its agency.
   */
  private final Map<String, Tags> tagsBySource = new ConcurrentHashMap<>();

  /** The feeds tracked now and their gauges, by source id; guarded by {@code this}. */
  private final Map<String, Tracked> tracked = new HashMap<>();

  private final Timer lateness;

  private record Tracked(FeedSource source, List<Meter> gauges) {}

  /**
   * Registers the schedule-lateness timer, and the per-feed meters of {@code sources} as {@link
   * #track} does.
   *
   * @param registry where the meters go
   * @param sources the feeds polled from the start (empty when a consumer group assigns them later)
   * @param states a feed's current state by source id (null when never polled nor restored); called
   *     at every scrape, must be fast
   * @param clock time source, for the idle gauge
   */
  public PollMetrics(
      MeterRegistry registry,
      List<FeedSource> sources,
      Function<String, FeedState> states,
      Clock clock) {
    this.registry = registry;
    this.states = states;
    this.clock = clock;
    this.lateness =
        Timer.builder(SCHEDULE_LATENESS)
            .description(
                "How long after its planned time a scheduled poll started (waiting for a worker thread or for its host's lane)")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(MAX_EXPECTED_LATENESS)
            .register(registry);
    track(sources);
  }

  /**
   * Makes {@code polled} the feeds with per-feed gauges (for {@link
   * org.wireingest.poll.PollScheduler#addFeedsListener}). A feed newly polled here gets its seven
   * gauges (the timestamps, consecutive errors, idle, throttled, truncated and moved), zero-valued
   * entry counters and a zero-valued {@value #POLLS} counter of {@code outcome="failed",
   * reason="publish-error"} (so that the first failure to write to Kafka is an increase an alert
   * sees); a feed no longer polled here (handed to another poller of the group, or removed from the
   * feeds list) loses its gauges, so a dashboard that sums over pollers counts each feed once. Its
   * counters stay: they are this process's history, and stop growing. A feed whose definition
   * changed (another agency, another interval) gets new gauges built from it: new tags, and the
   * idle rule of its new interval.
   *
   * @param polled the feeds polled by this process now; ids unique
   */
  public synchronized void track(Collection<FeedSource> polled) {
    Map<String, FeedSource> wanted = new HashMap<>();
    polled.forEach(s -> wanted.put(s.id(), s));
    for (var it = tracked.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().source().equals(wanted.get(e.getKey()))) {
        e.getValue().gauges().forEach(registry::remove);
        it.remove();
      }
    }
    for (FeedSource s : polled) {
      if (!tracked.containsKey(s.id())) {
        Tags tags = Tags.of("source", s.id(), "agency", s.agency());
        tagsBySource.put(s.id(), tags);
        tracked.put(s.id(), new Tracked(s, gauges(s, tags)));
        entriesSeen(tags);
        published(tags);
        // from 0, so that increase() counts the feed's first publish-error (a series that starts
        // at 1 has none): WirePollerCannotWrite alerts on it
        polls(tags, "failed", FeedPoller.PUBLISH_ERROR);
      }
    }
  }

  /** The idle gauge's HELP text: {@link FeedHealth}'s rule, from its constants. */
  static final String IDLE_HELP =
      String.format(
          Locale.ROOT,
          "1 when the feed's polls succeed but it has had no new entry for max(%dh, %d x its cadence), or without a known cadence"
              + " max(%dh, %d x its poll interval); or never any entry",
          FeedHealth.MIN_IDLE.toHours(),
          FeedHealth.IDLE_CADENCES,
          FeedHealth.MIN_IDLE_WITHOUT_CADENCE.toHours(),
          FeedHealth.IDLE_INTERVALS);

  private List<Meter> gauges(FeedSource s, Tags tags) {
    return List.of(
        Gauge.builder(LAST_SUCCESS, () -> epochSeconds(current(s), FeedState::lastSuccessAt))
            .description("When the feed was last fetched successfully (epoch seconds)")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry),
        Gauge.builder(LAST_NEW_ENTRY, () -> epochSeconds(current(s), FeedState::lastNewEntryAt))
            .description("When the feed last delivered a new or changed entry (epoch seconds)")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry),
        Gauge.builder(
                CONSECUTIVE_ERRORS,
                () -> {
                  FeedState st = current(s);
                  return st == null ? 0 : st.consecutiveErrors();
                })
            .description("Failed polls of the feed since its last success")
            .tags(tags)
            .register(registry),
        Gauge.builder(
                FEED_IDLE, () -> FeedHealth.idle(s, states.apply(s.id()), clock.instant()) ? 1 : 0)
            .description(IDLE_HELP)
            .tags(tags)
            .register(registry),
        Gauge.builder(
                FEED_THROTTLED,
                () ->
                    FeedStatus.stateOf(s, states.apply(s.id()), clock.instant())
                            == FeedStatus.State.BACKING_OFF
                        ? 1
                        : 0)
            .description(
                "1 while the feed's server asks us to slow down (HTTP 429): backing off, throttled rather than broken")
            .tags(tags)
            .register(registry),
        Gauge.builder(
                FEED_TRUNCATED,
                () -> FeedHealth.truncatedSince(s, states.apply(s.id())).isPresent() ? 1 : 0)
            .description(
                "1 while the feed's documents come cut off before their end (parse warning truncated-document), failed polls between them included: entries past the cut are lost")
            .tags(tags)
            .register(registry),
        Gauge.builder(
                FEED_MOVED, () -> FeedHealth.movedTo(s, states.apply(s.id())).isPresent() ? 1 : 0)
            .description(
                "1 when the feed's URL has moved permanently (HTTP 301 / 308): give the new URL in the feeds list")
            .tags(tags)
            .register(registry));
  }

  @Override
  public void accept(PollResult r) {
    Tags tags =
        tagsBySource.getOrDefault(
            r.sourceId(), Tags.of("source", r.sourceId(), "agency", "unknown"));
    polls(tags, r.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'), r.code())
        .increment();
    Timer.builder(FETCH_DURATION)
        .description("Fetch time of a feed, request to last byte (monotonic clock)")
        .tags(tags)
        .register(registry)
        .record(r.fetchMs(), TimeUnit.MILLISECONDS);
    if (r.bytes() > 0) {
      DistributionSummary.builder(FETCH_SIZE)
          .description("Size of fetched feed bodies")
          .baseUnit("bytes")
          .tags(tags)
          .register(registry)
          .record(r.bytes());
    }
    entriesSeen(tags).increment(r.entriesSeen());
    published(tags).increment(r.published());
    r.warnings()
        .forEach(
            (kind, n) ->
                Counter.builder(PARSE_WARNINGS)
                    .description("Recoverable parse problems by kind")
                    .tags(tags)
                    .tag("kind", kind)
                    .register(registry)
                    .increment(n));
  }

  /**
   * Registers the {@value #FEEDS_LIST_VALID} gauge: 1 while the feeds list file read last was
   * valid, 0 while a change to it is refused and the last valid list is still polled (an edit an
   * alert should catch: nothing else stops).
   *
   * @param problem why the file's last change was refused, null while it is valid ({@link
   *     org.wireingest.config.FeedsFileWatcher#problem}); called at every scrape, must be fast
   */
  public void watchFeedsList(Supplier<String> problem) {
    Gauge.builder(FEEDS_LIST_VALID, () -> problem.get() == null ? 1 : 0)
        .description(
            "1 while the feeds list file is valid; 0 after a change that is not (the last valid list is still polled)")
        .register(registry);
  }

  /**
   * Registers the body memory budget's meters, read from {@code budget} when scraped: the {@value
   * #BODY_BUDGET_RESERVED} and {@value #BODY_BUDGET_LIMIT} gauges (bytes), the {@value
   * #BODY_BUDGET_WAITING} gauge (polls waiting now), the {@value #BODY_BUDGET_WAITS} timer (polls
   * that found no room at once, counted when their wait ends, and the time they waited, those that
   * gave up included), the {@value #BODY_BUDGET_TIMEOUTS} counter (polls that gave up at their
   * fetch deadline, failed as {@code timeout}) and the {@value #BODY_BUDGET_OUTGROWN} counter
   * (times a body of unknown length outgrew the reservation made for it and asked the budget for
   * more, {@link BodyBudget#outgrown()}). No tags: one series per process.
   *
   * @param budget the budget the poller's polls share; never null
   */
  public void bindBodyBudget(BodyBudget budget) {
    Gauge.builder(BODY_BUDGET_RESERVED, budget, BodyBudget::reservedBytes)
        .description(
            "Response body bytes the polls hold now, reserved once a body outgrows its first 256 KiB (a body without a declared length reserves twice its feed's last body, at least 1 MiB (1 MiB on a first poll), grown as the body goes past it, until read)")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
    Gauge.builder(BODY_BUDGET_LIMIT, budget, BodyBudget::limitBytes)
        .description("Most response body bytes the polls hold at once (--body-budget-mb)")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
    Gauge.builder(BODY_BUDGET_WAITING, budget, BodyBudget::waiting)
        .description("Polls waiting for room for their body in the body memory budget now")
        .register(registry);
    FunctionTimer.builder(
            BODY_BUDGET_WAITS,
            budget,
            BodyBudget::waits,
            BodyBudget::waitNanos,
            TimeUnit.NANOSECONDS)
        .description(
            "Polls that found no room for their body in the body memory budget at once, and how long they waited")
        .register(registry);
    FunctionCounter.builder(BODY_BUDGET_TIMEOUTS, budget, BodyBudget::timeouts)
        .description(
            "Polls that gave up waiting for room in the body memory budget at their fetch deadline (failed as timeout)")
        .register(registry);
    FunctionCounter.builder(BODY_BUDGET_OUTGROWN, budget, BodyBudget::outgrown)
        .description(
            "Times a compressed or chunked body outgrew the reservation estimated from its feed's last body and asked for more room (grown at once, or given back to wait for the cap)")
        .register(registry);
  }

  /**
   * Records one scheduled poll's lateness (for {@link org.wireingest.poll.PollScheduler}'s lateness
   * listener).
   *
   * @param late how long after its planned time the poll started; not negative
   */
  public void lateness(Duration late) {
    lateness.record(late);
  }

  private Counter polls(Tags tags, String outcome, String reason) {
    return Counter.builder(POLLS)
        .description("Polls of a feed by outcome")
        .tags(tags)
        .tag("outcome", outcome)
        .tag("reason", reason)
        .register(registry);
  }

  private Counter entriesSeen(Tags tags) {
    return Counter.builder(ENTRIES_SEEN)
        .description("Entries in fetched feed documents")
        .tags(tags)
        .register(registry);
  }

  private Counter published(Tags tags) {
    return Counter.builder(RAW_ITEMS_PUBLISHED)
        .description("Raw items published (new or changed entries)")
        .tags(tags)
        .register(registry);
  }

  /**
   * The feed's state when it was recorded for the feed's current URL ({@link
   * FeedPoller#atCurrentUrl}); null otherwise: an old URL's failures and times are not the feed's
   * (they kept WireFeedFailing counting until the first poll at the new URL).
   */
  private FeedState current(FeedSource s) {
    return FeedPoller.atCurrentUrl(s, states.apply(s.id()));
  }

  private static double epochSeconds(FeedState state, Function<FeedState, Instant> field) {
    Instant t = state == null ? null : field.apply(state);
    return t == null ? Double.NaN : t.toEpochMilli() / 1000.0;
  }
}
