package org.wireingest.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.FeedSource;
import org.wireingest.fetch.FetchOutcome;
import org.wireingest.fetch.Redaction;
import org.wireingest.model.Counted;
import org.wireingest.model.FeedState;

/**
 * Runs the polls: every feed at its interval (± {@value #JITTER} jitter; after a failure only
 * later, never before a server's Retry-After), backing off on failure as {@link Backoff} says, with
 * at most {@code threads} fetches at once and at most {@code perHostConcurrency} of them to one
 * host (by the feed URL's host name; polls over the limit wait without holding a thread, so other
 * hosts' feeds keep flowing). A poll holds its host's slot for its fetch only: its writes to Kafka
 * afterwards (up to the publish timeout while no broker answers) hold its worker thread, not the
 * host's other feeds. A failing feed only affects its own schedule. Also runs all feeds once
 * ({@link #pollOnce()}) for {@code run --once}.
 *
 * <p>Every scheduled poll's <em>lateness</em> (its start minus its planned time, the jittered delay
 * included in the plan) goes to a listener: it grows when the workers or a host's lane cannot keep
 * up with the feeds (see {@code wire.poller.schedule.lateness}).
 *
 * <p>The set of feeds can change while it runs ({@link #assign}): when pollers share the feeds
 * through a consumer group, a rebalance hands feeds over, and a feed released here is only given
 * away once its running poll has finished (the rules: {@code HandOver}). Thread-safe.
 */
public final class PollScheduler implements AutoCloseable {

  /** Jitter applied to every delay, as a fraction of it. */
  public static final double JITTER = 0.1;

  /** Default of the most polls running at once against one host. */
  public static final int DEFAULT_PER_HOST_CONCURRENCY = 2;

  private static final Logger LOG = LoggerFactory.getLogger(PollScheduler.class);
  private static final Duration CYCLE_LOG_PERIOD = Duration.ofMinutes(1);

  /** How long {@link #close()} waits for the polls started or queued before it stops them. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  /** Guards {@link #feeds}, {@link #handOver} and {@link #started}; signalled when a poll ends. */
  private final Object lock = new Object();

  /**
   * The feeds polled, by source id, in the order of the last {@link #assign} (or the constructor).
   */
  private final Map<String, FeedSource> feeds = new LinkedHashMap<>();

  /** Each feed's current schedule and the polls running, for hand-overs and drains. */
  private final HandOver handOver = new HandOver(lock);

  private boolean started;
  private final Map<String, FeedState> states = new ConcurrentHashMap<>();

  /** When each feed's next poll is planned, jitter included (its state's nextPollAt is without). */
  private final Map<String, Instant> planned = new ConcurrentHashMap<>();

  private final FeedPoller poller;
  private final Clock clock;

  /** Monotonic time in nanoseconds: what lateness and the time a poll took are measured on. */
  private final LongSupplier nanoTime;

  private final Consumer<PollResult> listener;
  private final Consumer<Duration> lateness;
  private final ExecutorService workers;
  private final HostLimiter hostLimiter;
  private final ScheduledExecutorService timer;

  /**
   * Told of every change of {@link #feeds}, under {@link #lock} so that they hear the changes in
   * order.
   */
  private final List<Consumer<List<FeedSource>>> feedsListeners = new ArrayList<>();

  /** The polls of the running poll cycle; replaced as its line is logged. */
  private final AtomicReference<PollCycle> cycle = new AtomicReference<>(new PollCycle());

  private volatile boolean closed;

  /**
   * A scheduler with at most {@value #DEFAULT_PER_HOST_CONCURRENCY} polls at once per host.
   *
   * @param sources the feeds
   * @param restored feed states restored from the state topic, by source id (missing = new feed)
   * @param poller polls one feed
   * @param threads most polls at once (at least 1)
   * @param clock time source
   * @param listener told of every poll result (metrics, status); must be fast and not throw
   */
  public PollScheduler(
      List<FeedSource> sources,
      Map<String, FeedState> restored,
      FeedPoller poller,
      int threads,
      Clock clock,
      Consumer<PollResult> listener) {
    this(sources, restored, poller, threads, DEFAULT_PER_HOST_CONCURRENCY, clock, listener);
  }

  /**
   * @param sources the feeds
   * @param restored feed states restored from the state topic, by source id (missing = new feed)
   * @param poller polls one feed
   * @param threads most polls at once (at least 1)
   * @param perHostConcurrency most polls at once against one host (at least 1)
   * @param clock time source
   * @param listener told of every poll result (metrics, status); must be fast and not throw
   * @throws IllegalArgumentException when {@code perHostConcurrency} is below 1
   */
  public PollScheduler(
      List<FeedSource> sources,
      Map<String, FeedState> restored,
      FeedPoller poller,
      int threads,
      int perHostConcurrency,
      Clock clock,
      Consumer<PollResult> listener) {
    this(sources, restored, poller, threads, perHostConcurrency, clock, listener, late -> {});
  }

  /**
   * @param sources the feeds
   * @param restored feed states restored from the state topic, by source id (missing = new feed)
   * @param poller polls one feed
   * @param threads most polls at once (at least 1)
   * @param perHostConcurrency most polls at once against one host (at least 1)
   * @param clock time source (UTC): the planned times shown and stored
   * @param listener told of every poll result (metrics, status); must be fast and not throw
   * @param lateness told, as each scheduled poll starts, how long after its planned time it started
   *     (zero when on time, never negative; measured on {@link System#nanoTime()}, so a step of the
   *     wall clock is no lateness; not called by {@link #pollOnce()}); must be fast and not throw
   * @throws IllegalArgumentException when {@code perHostConcurrency} is below 1
   */
  public PollScheduler(
      List<FeedSource> sources,
      Map<String, FeedState> restored,
      FeedPoller poller,
      int threads,
      int perHostConcurrency,
      Clock clock,
      Consumer<PollResult> listener,
      Consumer<Duration> lateness) {
    this(
        sources,
        restored,
        poller,
        threads,
        perHostConcurrency,
        clock,
        System::nanoTime,
        listener,
        lateness);
  }

  /**
   * As the public constructor, with the monotonic time (nanoseconds, as {@link System#nanoTime()})
   * that waits and lateness are measured on given: tests move it by hand.
   */
  PollScheduler(
      List<FeedSource> sources,
      Map<String, FeedState> restored,
      FeedPoller poller,
      int threads,
      int perHostConcurrency,
      Clock clock,
      LongSupplier nanoTime,
      Consumer<PollResult> listener,
      Consumer<Duration> lateness) {
    this.poller = poller;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.listener = listener;
    this.lateness = lateness;
    for (FeedSource s : sources) {
      feeds.put(s.id(), s);
      FeedState st = restored.get(s.id());
      if (st != null) {
        states.put(s.id(), restoredFor(s, st));
      }
    }
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            Math.max(1, threads), r -> daemon(r, "poller-" + n.incrementAndGet()));
    this.hostLimiter = new HostLimiter(workers, perHostConcurrency);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "poll-scheduler"));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Polls every feed once, concurrently, and waits for all; except the feeds the agency throttled
   * ({@link #throttled()}), which are left alone until the time their server asked for.
   *
   * @return one result per feed polled, in feeds-list order
   * @throws InterruptedException when interrupted while waiting
   */
  public List<PollResult> pollOnce() throws InterruptedException {
    return pollOnce(throttled().keySet(), () -> false);
  }

  /**
   * Polls every feed once, concurrently, and waits for all, except those named; once {@code
   * cancelled} says so, feeds not yet started are left out (a poll under way finishes, within its
   * fetch deadline, and its state is written), so a stop request ends the round in seconds.
   *
   * @param skip source ids not to poll (those {@link #throttled()} gave, taken once by the caller
   *     that reports them); never null
   * @param cancelled asked before each feed's poll starts; true leaves that feed out; never null
   * @return one result per feed polled, in feeds-list order (feeds left out have none, also those
   *     not started before {@link #close()})
   * @throws InterruptedException when interrupted while waiting
   */
  public List<PollResult> pollOnce(Set<String> skip, BooleanSupplier cancelled)
      throws InterruptedException {
    List<FeedSource> all = feeds().stream().filter(s -> !skip.contains(s.id())).toList();
    List<Future<PollResult>> futures = new ArrayList<>();
    for (FeedSource s : all) {
      futures.add(
          hostLimiter.submit(
              host(s), release -> cancelled.getAsBoolean() ? null : pollNow(s, release)));
    }
    List<PollResult> results = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      try {
        PollResult result = futures.get(i).get();
        if (result != null) {
          results.add(result);
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RejectedExecutionException) {
          // closed before the feed's poll started: left out, as a cancelled one
          continue;
        }
        // A bug met by one feed's poll fails that feed only; the others' results stand.
        FeedSource s = all.get(i);
        LOG.error("feed {}: unexpected error while polling", s.id(), e.getCause());
        FeedState st = states.get(s.id());
        results.add(
            new PollResult(
                s.id(),
                PollResult.Outcome.FAILED,
                FeedPoller.INTERNAL_ERROR,
                String.valueOf(e.getCause()),
                0,
                0,
                0,
                0,
                st == null ? FeedState.initial(s.id(), Redaction.url(s.url())) : st));
      }
    }
    return results;
  }

  /**
   * @return the feeds whose server answered their last poll with {@code 429} and whose wait ({@code
   *     Retry-After} or back-off) has not passed ({@link FeedHealth#throttled}), by source id, with
   *     the time each may be polled again (UTC); in feeds-list order
   */
  public Map<String, Instant> throttled() {
    Instant now = clock.instant();
    Map<String, Instant> out = new LinkedHashMap<>();
    for (FeedSource s : feeds()) {
      FeedState st = states.get(s.id());
      if (FeedHealth.throttled(s, st, now)) {
        out.put(s.id(), st.nextPollAt());
      }
    }
    return out;
  }

  /**
   * Starts polling every feed on its schedule until {@link #close()}; feeds assigned later start on
   * theirs.
   */
  public void start() {
    List<FeedSource> now;
    synchronized (lock) {
      started = true;
      now = List.copyOf(feeds.values());
      now.forEach(s -> schedule(s, firstDelay(s), handOver.newSchedule(s.id())));
    }
    timer.scheduleAtFixedRate(
        this::logCycle,
        CYCLE_LOG_PERIOD.toMillis(),
        CYCLE_LOG_PERIOD.toMillis(),
        TimeUnit.MILLISECONDS);
    if (now.isEmpty()) {
      // A poller in a group starts before the group gives it its share of the feeds list.
      LOG.info("polling no feeds yet: each feed starts when it is assigned to this poller");
    } else {
      LOG.info("polling {} feeds", now.size());
    }
  }

  /**
   * Makes {@code assigned} the feeds this scheduler polls. A feed no longer listed (or listed with
   * a changed definition) is released first: no new poll of it starts, and this call waits for its
   * running poll to finish (at most {@code drainTimeout}), so its last state is written before
   * another poller takes it over. A poll still running when the wait ends is handed over: it writes
   * nothing more (no raw item not yet sent, no feed state) and its state is not kept here (the
   * rules: {@code HandOver}). A feed newly listed starts from its state in {@code restored} (or
   * fresh), on its schedule once {@link #start()} has been called; the states of released feeds are
   * forgotten. A feed listed before and now keeps its schedule and state. A feed listed before with
   * a definition that fetches otherwise ({@link FeedDefinitions#fetchedAlike}: new headers, URL or
   * interval) keeps its state's history (validators, entries, last error; after a change of URL the
   * poller ignores them, see {@link FeedPoller#recordedFor}) and its failure count, but not its
   * wait ({@link #dueNow}): it is due now, its start spread over a few seconds as a new feed's; one
   * the server throttled still waits as it asked. A new name, agency, language or identity policy
   * keeps the schedule too.
   *
   * @param assigned the feeds to poll from now on; ids unique
   * @param restored feed states by source id, for the newly listed feeds (missing = new feed)
   * @param drainTimeout longest wait for the running polls of released feeds
   * @return the feeds whose running polls did not finish within {@code drainTimeout} (normally
   *     empty)
   * @throws InterruptedException when interrupted while waiting
   */
  public Set<String> assign(
      Collection<FeedSource> assigned, Map<String, FeedState> restored, Duration drainTimeout)
      throws InterruptedException {
    return assign(assigned, restored, drainTimeout, new HashMap<>());
  }

  /**
   * As {@link #assign(Collection, Map, Duration)}, and hands back the last state of every feed
   * released and not listed any more (after its running poll finished, or when the drain timed out,
   * its state then), so the caller can keep it should the feed come back.
   *
   * @param assigned the feeds to poll from now on; ids unique
   * @param restored feed states by source id, for the newly listed feeds (missing = new feed)
   * @param drainTimeout longest wait for the running polls of released feeds
   * @param releasedStates receives, by source id, the last state of each feed dropped (feeds never
   *     polled nor restored have none and are not put); changed in place
   * @return the feeds whose running polls did not finish within {@code drainTimeout} (normally
   *     empty)
   * @throws InterruptedException when interrupted while waiting
   */
  public Set<String> assign(
      Collection<FeedSource> assigned,
      Map<String, FeedState> restored,
      Duration drainTimeout,
      Map<String, FeedState> releasedStates)
      throws InterruptedException {
    Map<String, FeedSource> wanted = new LinkedHashMap<>();
    assigned.forEach(s -> wanted.put(s.id(), s));
    synchronized (lock) {
      Map<String, FeedSource> released = release(wanted);
      Set<String> stillRunning = drain(released.keySet(), drainTimeout);
      List<FeedSource> added = relist(wanted);
      forgetDropped(released.keySet(), wanted, releasedStates);
      restore(added, restored, released);
      if (started) {
        added.forEach(s -> schedule(s, firstDelay(s), handOver.newSchedule(s.id())));
      }
      if (!released.isEmpty() || !added.isEmpty()) {
        long redefined = released.keySet().stream().filter(wanted::containsKey).count();
        LOG.info(
            assignedLine(
                feeds.size(), added.size() - redefined, redefined, released.size() - redefined));
        tellFeedsListeners(List.copyOf(feeds.values()));
      }
      return stillRunning;
    }
  }

  /**
   * The first step of {@link #assign}: unlists every feed not wanted as it is listed now (dropped,
   * or redefined), so no new poll of it starts; the caller holds {@link #lock}.
   *
   * @param wanted the feeds to poll from now on, by source id
   * @return the feeds unlisted, as they were listed, by source id
   */
  private Map<String, FeedSource> release(Map<String, FeedSource> wanted) {
    Map<String, FeedSource> released = new HashMap<>();
    for (Map.Entry<String, FeedSource> e : feeds.entrySet()) {
      if (!e.getValue().equals(wanted.get(e.getKey()))) {
        released.put(e.getKey(), e.getValue());
      }
    }
    feeds.keySet().removeAll(released.keySet());
    return released;
  }

  /**
   * Waits for the running polls of the released feeds ({@link HandOver#drain}), and warns of those
   * that outlive the wait; the caller holds {@link #lock}, which the wait releases.
   *
   * @return the source ids of the feeds whose polls still run (normally empty)
   */
  private Set<String> drain(Set<String> released, Duration drainTimeout)
      throws InterruptedException {
    Set<String> stillRunning = handOver.drain(released, drainTimeout);
    if (!stillRunning.isEmpty()) {
      LOG.warn(
          "feeds {} released while their polls still run (waited {} ms); those polls write"
              + " nothing more",
          stillRunning,
          drainTimeout.toMillis());
    }
    return stillRunning;
  }

  /**
   * Lists every wanted feed, in the order given (the feeds list's, for the status page). A feed
   * kept keeps its instance: a scheduled poll goes on only while its own instance is listed. The
   * caller holds {@link #lock}.
   *
   * @return the feeds newly listed (added, or redefined), in the order given
   */
  private List<FeedSource> relist(Map<String, FeedSource> wanted) {
    List<FeedSource> added = new ArrayList<>();
    Map<String, FeedSource> ordered = new LinkedHashMap<>();
    for (FeedSource s : wanted.values()) {
      FeedSource kept = feeds.get(s.id());
      if (kept == null) {
        added.add(s);
      }
      ordered.put(s.id(), kept == null ? s : kept);
    }
    feeds.clear();
    feeds.putAll(ordered);
    return added;
  }

  /**
   * Forgets the released feeds no longer listed at all: their states, planned polls and schedules
   * (a poll of theirs still running is handed over). The caller holds {@link #lock}.
   *
   * @param releasedStates receives the last state of each, when it has one
   */
  private void forgetDropped(
      Set<String> released, Map<String, FeedSource> wanted, Map<String, FeedState> releasedStates) {
    for (String id : released) {
      if (!wanted.containsKey(id)) {
        FeedState last = states.remove(id);
        planned.remove(id);
        handOver.endSchedule(id);
        if (last != null) {
          releasedStates.put(id, last);
        }
      }
    }
  }

  /**
   * The states the feeds newly listed start from: a restored one ({@link #restoredFor}) unless a
   * state is kept here already; a feed redefined so that it is fetched otherwise is due now ({@link
   * #dueNow}). The caller holds {@link #lock}.
   *
   * @param released the feeds released by this assignment, as they were listed, by source id
   */
  private void restore(
      List<FeedSource> added, Map<String, FeedState> restored, Map<String, FeedSource> released) {
    for (FeedSource s : added) {
      FeedState st = restored.get(s.id());
      if (st != null && !states.containsKey(s.id())) {
        states.put(s.id(), restoredFor(s, st));
      }
      FeedSource was = released.get(s.id());
      if (was != null && !FeedDefinitions.fetchedAlike(was, s)) {
        // Fetched otherwise (new headers, interval, ...): its history stays, but the old
        // definition's wait no longer holds it, so it is due now (spread, see firstDelay). A
        // new name or identity policy changes no fetch, and lifts nothing.
        states.computeIfPresent(s.id(), (id, kept) -> dueNow(kept));
      }
    }
  }

  /**
   * A stored state as a feed newly listed here starts from (a poller starting, or taking the feed
   * over):
   *
   * <ul>
   *   <li>written under a definition that fetched otherwise ({@link FeedState#definitionHash} not
   *       the feed's {@link FeedDefinitions#digest}: its URL, interval or header names changed
   *       while no poller ran): it is due now ({@link #dueNow}), as a feed redefined while polled;
   *   <li>else, last refused for its credentials ({@code unauthorized}: HTTP 401 or 403): it is due
   *       now, its failure count kept, so it escalates again if still refused. A corrected secret
   *       is the usual reason to restart, and the stored digest holds no secret to tell it by
   *       ({@link FeedDefinitions#digest});
   *   <li>else as stored, and so is a state written before the digest existed.
   * </ul>
   *
   * A feed the server throttled keeps the wait it asked for in every case ({@link #dueNow}).
   *
   * @param feed the feed as listed now
   * @param stored its stored state; never null
   * @return {@code stored}, or it due now
   */
  static FeedState restoredFor(FeedSource feed, FeedState stored) {
    if (stored.lastFailureThrottled()) {
      return stored;
    }
    if (stored.definitionHash() != null
        && !stored.definitionHash().equals(FeedDefinitions.digest(feed))) {
      if (stored.consecutiveErrors() > 0) {
        LOG.info(
            "feed {}: its URL, interval or headers changed since its state was stored; polled now"
                + " rather than after the back-off of its {}, which resumes if it fails again",
            feed.id(),
            Counted.of(stored.consecutiveErrors(), "failed poll", "failed polls"));
      }
      return dueNow(stored);
    }
    if (stored.consecutiveErrors() > 0
        && stored.lastError() != null
        && stored.lastError().startsWith(FetchOutcome.UNAUTHORIZED.code() + ":")) {
      LOG.info(
          "feed {}: refused for its credentials at its last poll ({}); polled now in case they were"
              + " corrected, its back-off resumes if refused again",
          feed.id(),
          Counted.of(stored.consecutiveErrors(), "failed poll", "failed polls"));
      return stored.withNextPollAt(null);
    }
    return stored;
  }

  /**
   * A redefined feed's state, due now: the wait its old definition's failures earned no longer
   * holds it ({@code nextPollAt} null), so a corrected header or a shorter interval is tried at
   * once. Its failure counts ({@code consecutiveErrors}, {@code throttledErrors}) are kept: a
   * redefinition is not a success, so the next poll decides. If it succeeds, the run of failures
   * ends (and the log says after how many); if it fails again, the back-off resumes from where it
   * was rather than starting over, as for a feed refused for its credentials and restarted
   * unchanged, and {@code wire_poller_consecutive_errors} (alert {@code WireFeedFailing}) does not
   * fall to 0 while nothing has succeeded. An operator trying fix after fix loses nothing by it:
   * each change is polled at once. A feed given a URL that is not where its state's one moved
   * starts afresh anyway ({@link FeedPoller#recordedFor}). A throttled feed ({@link
   * FeedState#lastFailureThrottled}: its last poll answered HTTP 429) is left as it is, since the
   * wait was the server's request ({@code Retry-After}), not our back-off.
   */
  private static FeedState dueNow(FeedState state) {
    return state.lastFailureThrottled() ? state : state.withNextPollAt(null);
  }

  /**
   * The log line of an {@link #assign} that changed the feeds polled here: a feed whose definition
   * changed (a new interval, headers, ...) counts as changed, not as one released and one added.
   *
   * @param polling feeds polled from now on
   * @param added feeds newly listed here
   * @param changed feeds listed before and now with another definition
   * @param released feeds no longer listed here
   * @return e.g. {@code "polling 198 feeds (3 changed)"}; counts of 0 are left out
   */
  static String assignedLine(int polling, long added, long changed, long released) {
    List<String> parts = new ArrayList<>(3);
    if (added > 0) {
      parts.add(added + " added");
    }
    if (changed > 0) {
      parts.add(changed + " changed");
    }
    if (released > 0) {
      parts.add(released + " released");
    }
    return "polling " + polling + " feeds (" + String.join(", ", parts) + ")";
  }

  /**
   * Registers a listener of the set of feeds polled here: it is told the current feeds at once,
   * then the new list after every {@link #assign} that adds or releases a feed (a rebalance of the
   * pollers' group, a changed feeds list). Calls come in the order of the changes, on the
   * registering or assigning thread, while the scheduler's lock is held: the listener must be fast
   * and must not call back into this scheduler; an exception it throws is logged, and polling goes
   * on.
   *
   * @param listener told the feeds polled now, in the order given (an immutable list, maybe empty)
   */
  public void addFeedsListener(Consumer<List<FeedSource>> listener) {
    synchronized (lock) {
      feedsListeners.add(listener);
      tellFeedsListener(listener, List.copyOf(feeds.values()));
    }
  }

  /** A listener's bug (metrics, status) is logged and never stops the polls. */
  private void tellFeedsListeners(List<FeedSource> now) {
    feedsListeners.forEach(l -> tellFeedsListener(l, now));
  }

  private static void tellFeedsListener(Consumer<List<FeedSource>> listener, List<FeedSource> now) {
    try {
      listener.accept(now);
    } catch (RuntimeException e) {
      LOG.error("a feeds listener failed; polling goes on", e);
    }
  }

  /**
   * @return the feeds polled now, in the order given
   */
  public List<FeedSource> feeds() {
    synchronized (lock) {
      return List.copyOf(feeds.values());
    }
  }

  /**
   * Delay before a feed's first poll: its restored next poll time (for its current URL), or now
   * spread over a few seconds.
   */
  private Duration firstDelay(FeedSource s) {
    Instant now = clock.instant();
    FeedState st = states.get(s.id());
    // A state of the feed's old URL (the feed was moved) does not hold its first poll back: the
    // poller starts such a feed afresh (FeedPoller.poll).
    if (!FeedPoller.recordedFor(s, st)
        || st.nextPollAt() == null
        || !st.nextPollAt().isAfter(now)) {
      // Due now: spread the start over a few seconds so feeds do not all fire at once.
      long spread = Math.min(s.interval().toMillis(), 5_000);
      return Duration.ofMillis(ThreadLocalRandom.current().nextLong(spread + 1));
    }
    return Duration.between(now, st.nextPollAt());
  }

  /**
   * @param sourceId a source id
   * @return the feed's current state (after its last poll, or as restored); null before its first
   *     poll when nothing was restored, or for an unknown id. Cheap: for per-feed gauges and
   *     status.
   */
  public FeedState state(String sourceId) {
    return states.get(sourceId);
  }

  /**
   * @param sourceId a source id
   * @return when the feed's next scheduled poll is planned (UTC), jitter included: its state's
   *     {@code nextPollAt} is the time before jitter, which is what the feed-state topic keeps;
   *     null before the feed is scheduled, or for a feed not polled here
   */
  public Instant plannedPoll(String sourceId) {
    return planned.get(sourceId);
  }

  /**
   * @return the current state of every feed polled or restored so far, by source id
   */
  public Map<String, FeedState> states() {
    return Map.copyOf(states);
  }

  /**
   * @param schedule the feed's schedule this poll belongs to ({@link HandOver#newSchedule})
   */
  private void schedule(FeedSource s, Duration delay, Object schedule) {
    if (closed) {
      return;
    }
    long delayMs = Math.max(0, delay.toMillis());
    planned.put(s.id(), clock.instant().plusMillis(delayMs));
    long at = nanoTime.getAsLong() + TimeUnit.MILLISECONDS.toNanos(delayMs);
    timer.schedule(
        () -> hostLimiter.execute(host(s), release -> runScheduled(s, at, schedule, release)),
        delayMs,
        TimeUnit.MILLISECONDS);
  }

  /**
   * @return whether {@code schedule} is still the current schedule of the listed {@code s}; the
   *     caller holds {@code lock}
   */
  private boolean current(FeedSource s, Object schedule) {
    return feeds.get(s.id()) == s && handOver.isCurrent(s.id(), schedule);
  }

  /**
   * The feed URL's host, lower-case: the key of the per-host limit; null for {@code file:} feeds.
   */
  private static String host(FeedSource s) {
    String host = s.url().getHost();
    return host == null ? null : host.toLowerCase(Locale.ROOT);
  }

  /**
   * @param plannedNanos when the poll was planned to start, on {@link #nanoTime}
   * @param releaseHost gives the poll's slot of its host's lane back: run once its fetch is done
   */
  private void runScheduled(
      FeedSource s, long plannedNanos, Object schedule, Runnable releaseHost) {
    synchronized (lock) {
      if (!current(s, schedule)) {
        return; // released (or redefined, or released and listed again) since it was scheduled:
        // this schedule ends here
      }
      if (!handOver.start(s.id(), schedule, () -> schedule(s, Duration.ZERO, schedule))) {
        // A poll of the feed's earlier schedule outlived the drain of its release (redefined, or
        // released and listed again): this one starts when that one ends, never beside it.
        return;
      }
    }
    Duration next = s.interval();
    boolean failed = false;
    try {
      long started = nanoTime.getAsLong();
      lateness.accept(Duration.ofNanos(Math.max(0, started - plannedNanos)));
      PollResult r = pollNow(s, schedule, releaseHost);
      cycle.get().add(r);
      failed = !r.succeeded();
      Duration wait = nextDelay(r, Duration.ofNanos(nanoTime.getAsLong() - started));
      if (wait != null) {
        next = wait;
      }
    } catch (RuntimeException | StackOverflowError e) {
      // A bug in one feed's poll must never stop its schedule or the others'.
      LOG.error("feed {}: unexpected error while polling", s.id(), e);
    } finally {
      synchronized (lock) {
        handOver.ended(s.id());
        if (current(s, schedule)) {
          // After a failure the delay may be the server's Retry-After: jitter may only add to it.
          schedule(
              s,
              failed ? Backoff.jitterLater(next, JITTER) : Backoff.jitter(next, JITTER),
              schedule);
        }
        Runnable start = handOver.takeDeferred(s.id());
        if (start != null) {
          start.run();
        }
      }
    }
  }

  /**
   * The wait from a poll's end to the next poll its result asks for: the delay the poller set (its
   * state's {@code nextPollAt} less its {@code lastFetchAt}, both from one reading of the clock as
   * the fetch ended) less the time the poll took after its fetch (parse and writes, as {@code took}
   * less the fetch's {@code fetchMs}). Not the state's {@code nextPollAt} less the wall clock now:
   * a step of the wall clock during the poll moved the next poll by the step (an hour back made a
   * feed wait an hour longer).
   *
   * @param r a scheduled poll's result
   * @param took how long the poll took, on the monotonic clock
   * @return the wait, zero or more; null when the state plans no next poll ({@code nextPollAt} or
   *     {@code lastFetchAt} null), the caller's default then
   */
  static Duration nextDelay(PollResult r, Duration took) {
    FeedState st = r.state();
    if (st.nextPollAt() == null || st.lastFetchAt() == null) {
      return null;
    }
    Duration delay = Duration.between(st.lastFetchAt(), st.nextPollAt());
    long afterFetchMs = Math.max(0, Math.min(took.toMillis() - r.fetchMs(), took.toMillis()));
    Duration left = delay.minusMillis(afterFetchMs);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** A poll outside any schedule ({@link #pollOnce}): the feed is this scheduler's throughout. */
  private PollResult pollNow(FeedSource s, Runnable releaseHost) {
    PollResult r = poller.poll(s, states.get(s.id()), () -> false, releaseHost);
    states.put(s.id(), r.state());
    listener.accept(r);
    return r;
  }

  /**
   * A scheduled poll: it writes, and its state is kept, only while its schedule is current (the
   * hand-over rules: {@link HandOver}).
   */
  private PollResult pollNow(FeedSource s, Object schedule, Runnable releaseHost) {
    PollResult r =
        poller.poll(s, states.get(s.id()), handOver.handedOver(s.id(), schedule), releaseHost);
    synchronized (lock) {
      if (handOver.isCurrent(s.id(), schedule)) {
        states.put(s.id(), r.state());
      }
    }
    listener.accept(r);
    return r;
  }

  private void logCycle() {
    LOG.info(cycle.getAndSet(new PollCycle()).line(CYCLE_LOG_PERIOD.toSeconds()));
  }

  /**
   * Stops scheduling and waits up to 10 s for the polls started or queued; then interrupts those
   * still running, and the queued ones never start: a {@link #pollOnce} waiting for them leaves
   * their feeds out, as feeds not started before a stop.
   */
  @Override
  public void close() {
    close(CLOSE_WAIT);
  }

  /** As {@link #close()}, waiting up to {@code wait} rather than {@link #CLOSE_WAIT}. */
  void close(Duration wait) {
    closed = true;
    timer.shutdownNow();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        stopWorkers();
      }
    } catch (InterruptedException e) {
      stopWorkers();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Interrupts the running polls, and refuses the queued ones (a future of theirs, and of the polls
   * waiting behind them for their host, would else never complete).
   */
  private void stopWorkers() {
    hostLimiter.refuseDropped(workers.shutdownNow());
  }
}
