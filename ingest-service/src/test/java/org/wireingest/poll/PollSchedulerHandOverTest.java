package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;

/**
 * {@link PollScheduler#assign}: a poll that outlives the drain of its feed's release. Found in a
 * review: such a poll still wrote its feed state after the feed had gone to another poller (an
 * older state over the one the new owner wrote), kept it in the scheduler, where it then won over
 * the newer state restored when the feed came back, and a redefined feed's new schedule polled it
 * again beside the old poll.
 */
class PollSchedulerHandOverTest {

  @TempDir Path dir;

  /** Each poll's publish waits here for the test's go; counted down as it starts. */
  private final BlockingQueue<CountDownLatch> publishing = new LinkedBlockingQueue<>();

  private final AtomicInteger publishingNow = new AtomicInteger();
  private final AtomicInteger mostPublishingAtOnce = new AtomicInteger();
  private final List<FeedState> saved = new CopyOnWriteArrayList<>();
  private final List<FetchLogRecord> fetchLog = new CopyOnWriteArrayList<>();
  private final BlockingQueue<PollResult> results = new LinkedBlockingQueue<>();
  private PollScheduler scheduler;

  private final PollSink sink =
      new PollSink() {
        @Override
        public int publish(List<RawWireItem> items) {
          mostPublishingAtOnce.accumulateAndGet(publishingNow.incrementAndGet(), Math::max);
          CountDownLatch go = new CountDownLatch(1);
          publishing.add(go);
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            publishingNow.decrementAndGet();
          }
          return 0;
        }

        @Override
        public void saveState(FeedState state) {
          saved.add(state);
        }

        @Override
        public void logFetch(FetchLogRecord record) {
          fetchLog.add(record);
        }
      };

  @AfterEach
  void close() {
    publishing.forEach(CountDownLatch::countDown);
    if (scheduler != null) {
      scheduler.close();
    }
  }

  /** A feed of one entry: each poll of a fresh state publishes it. */
  private FeedSource feed(String id, Duration interval) throws Exception {
    return TestFeeds.oneItemFile(dir, id, interval);
  }

  private PollScheduler scheduler(List<FeedSource> feeds) {
    FeedPoller poller =
        new FeedPoller(
            new FeedFetcher(FetchSettings.defaults()), new FeedParser(), sink, Clock.systemUTC());
    scheduler = new PollScheduler(feeds, Map.of(), poller, 2, Clock.systemUTC(), results::add);
    return scheduler;
  }

  private CountDownLatch nextPublish() throws InterruptedException {
    CountDownLatch go = publishing.poll(30, TimeUnit.SECONDS);
    assertThat(go).as("a poll publishing").isNotNull();
    return go;
  }

  @Test
  void shouldNeitherWriteNorKeepTheStateOfAPollThatOutlivedItsFeedsRelease() throws Exception {
    FeedSource one = feed("one", Duration.ofMinutes(10));
    PollScheduler s = scheduler(List.of(one));
    s.start();
    CountDownLatch first = nextPublish();

    // the partition goes to another poller; the drain gives up on the running poll
    assertThat(s.assign(List.of(), Map.of(), Duration.ofMillis(50))).containsExactly("one");
    first.countDown();
    PollResult late = results.poll(30, TimeUnit.SECONDS);

    assertThat(late).isNotNull();
    assertThat(saved).as("feed states written after the hand-over").isEmpty();
    // Found in a review: it failed as publish-error, counted in the poll metrics and the poll-cycle
    // line as a Kafka failure of a feed this poller no longer had, and still wrote its fetch-log
    // record after the hand-over.
    assertThat(late.outcome()).isEqualTo(PollResult.Outcome.HANDED_OVER);
    assertThat(late.code()).isEqualTo("handed-over");
    assertThat(late.succeeded()).as("a failure").isTrue();
    assertThat(late.message()).contains("handed over");
    assertThat(fetchLog).as("fetch-log records written after the hand-over").isEmpty();
    assertThat(s.state("one")).as("kept for a feed not polled here").isNull();
    assertThat(s.states()).doesNotContainKey("one");

    // the feed comes back with the state its other poller wrote meanwhile: that one counts
    FeedState newer =
        FeedState.initial("one", one.url().toString()).toBuilder().etag("\"newer\"").build();
    s.assign(List.of(one), Map.of("one", newer), Duration.ofSeconds(1));
    assertThat(s.state("one")).isEqualTo(newer);
  }

  @Test
  void shouldNotPollARedefinedFeedBesideItsOldDefinitionsPollThatOutlivedTheDrain()
      throws Exception {
    FeedSource before = feed("one", Duration.ofSeconds(1));
    FeedSource after = TestFeeds.from(before).headers(Map.of("X-Api-Key", "new")).build();
    PollScheduler s = scheduler(List.of(before));
    s.start();
    CountDownLatch old = nextPublish();

    assertThat(s.assign(List.of(after), Map.of(), Duration.ofMillis(50))).containsExactly("one");
    // The new definition's first poll is due at once (spread over at most its 1 s interval). Had
    // it started beside the old poll, it would be waiting in publish by now.
    assertThat(publishing.poll(3, TimeUnit.SECONDS)).as("a second poll at once").isNull();
    old.countDown();
    assertThat(results.poll(30, TimeUnit.SECONDS)).as("the old poll's result").isNotNull();

    nextPublish().countDown(); // the new definition's first poll, once the old one ended
    PollResult first = results.poll(30, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(first.succeeded()).isTrue();
    assertThat(mostPublishingAtOnce.get()).as("polls of the feed at once").isEqualTo(1);
    assertThat(saved).as("states written").isNotEmpty();
    assertThat(saved.get(0))
        .as("the first written: the old poll wrote none")
        .isEqualTo(first.state());
  }

  /**
   * A feed redefined twice while a poll of its first definition outlives the drains: that poll
   * writes nothing since the first drain ended, so the second waited its whole drain for nothing
   * (the feed assignment's thread, 90 s) and reported the feed as still running.
   */
  @Test
  void shouldNotWaitAgainForAPollThatAnEarlierDrainAlreadyGaveUpOn() throws Exception {
    FeedSource first = feed("one", Duration.ofSeconds(1));
    FeedSource second = TestFeeds.from(first).headers(Map.of("X-Api-Key", "2")).build();
    FeedSource third = TestFeeds.from(first).headers(Map.of("X-Api-Key", "3")).build();
    PollScheduler s = scheduler(List.of(first));
    s.start();
    CountDownLatch old = nextPublish();

    assertThat(s.assign(List.of(second), Map.of(), Duration.ofMillis(50))).containsExactly("one");
    CompletableFuture<Set<String>> again =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return s.assign(List.of(third), Map.of(), Duration.ofHours(1));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    try {
      assertThat(again.get(30, TimeUnit.SECONDS))
          .as("feeds whose current poll still runs")
          .isEmpty();
    } finally {
      old.countDown();
    }
    assertThat(results.poll(30, TimeUnit.SECONDS)).as("the old poll's result").isNotNull();
    nextPublish().countDown(); // the third definition's first poll, once the old one ended
    PollResult polled = results.poll(30, TimeUnit.SECONDS);
    assertThat(polled).isNotNull();
    assertThat(polled.succeeded()).isTrue();
    assertThat(mostPublishingAtOnce.get()).as("polls of the feed at once").isEqualTo(1);
  }
}
