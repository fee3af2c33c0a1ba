package org.wireingest.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.FeedSource;
import org.wireingest.model.FeedState;

/**
 * Runs the polls: every feed at its interval (± {@value #JITTER} jitter), backing off on failure
 * as {@link Backoff} says, with at most {@code threads} fetches at once and at most {@code
 * perHostConcurrency} of them to one host (by the feed URL's host name; polls over the limit wait
 * without holding a thread, so other hosts' feeds keep flowing). A failing feed only affects its
 * own schedule. Also runs all feeds once ({@link #pollOnce()}) for {@code run --once}. Thread-safe.
 */
public final class PollScheduler implements AutoCloseable {

  /** Jitter applied to every delay, as a fraction of it. */
  public static final double JITTER = 0.1;

  /** Default of the most polls running at once against one host. */
  public static final int DEFAULT_PER_HOST_CONCURRENCY = 2;

  private static final Logger LOG = LoggerFactory.getLogger(PollScheduler.class);
  private static final Duration CYCLE_LOG_PERIOD = Duration.ofMinutes(1);

  private final List<FeedSource> sources;
  private final Map<String, FeedState> states = new ConcurrentHashMap<>();
  private final FeedPoller poller;
  private final Clock clock;
  private final Consumer<PollResult> listener;
  private final ExecutorService workers;
  private final HostLimiter hostLimiter;
  private final ScheduledExecutorService timer;
  private final AtomicInteger cyclePolls = new AtomicInteger();
  private final AtomicInteger cycleFailures = new AtomicInteger();
  private final AtomicLong cyclePublished = new AtomicLong();
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
      List<FeedSource> sources, Map<String, FeedState> restored, FeedPoller poller, int threads, Clock clock, Consumer<PollResult> listener) {
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
      List<FeedSource> sources, Map<String, FeedState> restored, FeedPoller poller, int threads, int perHostConcurrency,
      Clock clock, Consumer<PollResult> listener) {
    this.sources = List.copyOf(sources);
    this.poller = poller;
    this.clock = clock;
    this.listener = listener;
    for (FeedSource s : sources) {
      FeedState st = restored.get(s.id());
      if (st != null) {
        states.put(s.id(), st);
      }
    }
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(Math.max(1, threads), r -> daemon(r, "poller-" + n.incrementAndGet()));
    this.hostLimiter = new HostLimiter(workers, perHostConcurrency);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "poll-scheduler"));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Polls every feed once, concurrently, and waits for all.
   *
   * @return one result per feed, in feeds-list order
   * @throws InterruptedException when interrupted while waiting
   */
  public List<PollResult> pollOnce() throws InterruptedException {
    List<Future<PollResult>> futures = new ArrayList<>();
    for (FeedSource s : sources) {
      futures.add(hostLimiter.submit(host(s), () -> pollNow(s)));
    }
    List<PollResult> results = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      try {
        results.add(futures.get(i).get());
      } catch (ExecutionException e) {
        // A bug met by one feed's poll fails that feed only; the others' results stand.
        FeedSource s = sources.get(i);
        LOG.error("feed {}: unexpected error while polling", s.id(), e.getCause());
        FeedState st = states.get(s.id());
        results.add(
            new PollResult(
                s.id(), PollResult.Outcome.FAILED, "internal-error", String.valueOf(e.getCause()), 0, 0, 0, 0,
                st == null ? FeedState.initial(s.id(), org.wireingest.fetch.Redaction.url(s.url())) : st));
      }
    }
    return results;
  }

  /** Starts polling every feed on its schedule until {@link #close()}. */
  public void start() {
    Instant now = clock.instant();
    for (FeedSource s : sources) {
      FeedState st = states.get(s.id());
      Duration first;
      if (st == null || st.nextPollAt() == null || !st.nextPollAt().isAfter(now)) {
        // Due now: spread the start over a few seconds so feeds do not all fire at once.
        long spread = Math.min(s.interval().toMillis(), 5_000);
        first = Duration.ofMillis(ThreadLocalRandom.current().nextLong(spread + 1));
      } else {
        first = Duration.between(now, st.nextPollAt());
      }
      schedule(s, first);
    }
    timer.scheduleAtFixedRate(this::logCycle, CYCLE_LOG_PERIOD.toMillis(), CYCLE_LOG_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("polling {} feeds", sources.size());
  }

  /**
   * @param sourceId a source id
   * @return the feed's current state (after its last poll, or as restored); null before its first
   *     poll when nothing was restored, or for an unknown id. Cheap: for per-feed gauges and status.
   */
  public FeedState state(String sourceId) {
    return states.get(sourceId);
  }

  /** @return the current state of every feed polled or restored so far, by source id */
  public Map<String, FeedState> states() {
    return Map.copyOf(states);
  }

  private void schedule(FeedSource s, Duration delay) {
    if (closed) {
      return;
    }
    timer.schedule(() -> hostLimiter.execute(host(s), () -> runScheduled(s)), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** The feed URL's host, lower-case: the key of the per-host limit; null for {@code file:} feeds. */
  private static String host(FeedSource s) {
    String host = s.url().getHost();
    return host == null ? null : host.toLowerCase(Locale.ROOT);
  }

  private void runScheduled(FeedSource s) {
    Duration next = s.interval();
    try {
      PollResult r = pollNow(s);
      cyclePolls.incrementAndGet();
      cyclePublished.addAndGet(r.published());
      if (!r.succeeded()) {
        cycleFailures.incrementAndGet();
      }
      if (r.state().nextPollAt() != null) {
        next = Duration.between(clock.instant(), r.state().nextPollAt());
      }
    } catch (RuntimeException | StackOverflowError e) {
      // A bug in one feed's poll must never stop its schedule or the others'.
      LOG.error("feed {}: unexpected error while polling", s.id(), e);
    } finally {
      schedule(s, Backoff.jitter(next, JITTER));
    }
  }

  private PollResult pollNow(FeedSource s) {
    PollResult r = poller.poll(s, states.get(s.id()));
    states.put(s.id(), r.state());
    listener.accept(r);
    return r;
  }

  private void logCycle() {
    int polls = cyclePolls.getAndSet(0);
    int failed = cycleFailures.getAndSet(0);
    long published = cyclePublished.getAndSet(0);
    LOG.info("poll cycle: {} polls in the last {}s, {} failed, {} raw items published", polls, CYCLE_LOG_PERIOD.toSeconds(), failed, published);
  }

  /** Stops scheduling and waits briefly for running polls. */
  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
