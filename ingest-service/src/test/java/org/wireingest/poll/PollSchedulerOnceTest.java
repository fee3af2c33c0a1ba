package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.wireingest.testing.Await;

/**
 * {@link PollScheduler#pollOnce(Set, java.util.function.BooleanSupplier)}: the one-off round of
 * {@code run --once}.
 */
class PollSchedulerOnceTest {

  @TempDir Path dir;

  /**
   * Found in a new-user test: Ctrl-C during {@code run --once} was deferred until every feed had
   * been polled (and the normalizer waited for). Once a stop is asked for, feeds not yet started
   * are left out; the poll under way finishes.
   */
  @Test
  void shouldLeaveOutTheFeedsNotYetStartedOnceCancelled() throws Exception {
    Path file = Files.writeString(dir.resolve("feed.xml"), ONE_ITEM);
    List<FeedSource> feeds =
        List.of(feed("first", file), feed("second", file), feed("third", file));
    AtomicBoolean stop = new AtomicBoolean();
    // one worker: the feeds are polled one after another; the stop is asked for as the first ends
    try (PollScheduler scheduler =
        new PollScheduler(feeds, Map.of(), poller(), 1, Clock.systemUTC(), r -> stop.set(true))) {
      List<PollResult> results = scheduler.pollOnce(Set.of(), stop::get);

      assertThat(results).extracting(PollResult::sourceId).containsExactly("first");
      assertThat(results.get(0).succeeded()).isTrue();
    }
  }

  /**
   * A round asked for after the scheduler closed (a stop racing {@code run --once}) leaves every
   * feed out, as cancelled ones, rather than failing with the executor's refusal.
   */
  @Test
  void shouldLeaveOutEveryFeedOfARoundAskedForAfterClose() throws Exception {
    Path file = dir.resolve("feed.xml"); // never fetched
    PollScheduler scheduler =
        new PollScheduler(
            List.of(feed("first", file), feed("second", file)),
            Map.of(),
            poller(),
            1,
            Clock.systemUTC(),
            r -> {});
    scheduler.close();

    assertThat(scheduler.pollOnce(Set.of(), () -> false)).isEmpty();
  }

  /**
   * A round under way as the scheduler closes, its one worker busy with a poll that outlasts the
   * close's wait: the feeds queued for the worker, and the one waiting behind a queued one for its
   * host, never start, and are left out. The executor dropped them unrun, their futures never
   * completed, and the round waited for ever.
   */
  @Test
  void shouldLeaveOutTheFeedsStillQueuedWhenCloseStopsTheWorkers() throws Exception {
    Path file = Files.writeString(dir.resolve("feed.xml"), ONE_ITEM);
    CountDownLatch slowWriting = new CountDownLatch(1);
    CountDownLatch kafkaBack = new CountDownLatch(1);
    PollSink stalled =
        new PollSink() {
          @Override
          public int publish(List<RawWireItem> items) {
            slowWriting.countDown();
            waitFor(kafkaBack);
            return 0;
          }

          @Override
          public void saveState(FeedState state) {}

          @Override
          public void logFetch(FetchLogRecord record) {}
        };
    List<FeedSource> feeds =
        List.of(
            feed("slow", file),
            feed("queued", file),
            feed("agency-one", URI.create("https://agency.example/one.xml")),
            feed("agency-two", URI.create("https://agency.example/two.xml")));
    // one worker; one poll at once per host: agency-two waits for agency-one's slot
    PollScheduler scheduler =
        new PollScheduler(feeds, Map.of(), poller(stalled), 1, 1, Clock.systemUTC(), r -> {});
    FutureTask<List<PollResult>> round =
        new FutureTask<>(() -> scheduler.pollOnce(Set.of(), () -> false));
    Thread roundThread = new Thread(round, "round");
    roundThread.setDaemon(true);
    roundThread.start();
    assertThat(slowWriting.await(30, TimeUnit.SECONDS)).as("the slow poll writing").isTrue();
    Await.until(
        "every feed handed over and the round waiting",
        Duration.ofSeconds(30),
        () -> roundThread.getState() == Thread.State.WAITING);

    scheduler.close(Duration.ZERO);
    kafkaBack.countDown();

    // a TimeoutException here is the round waiting for the feeds that will never be polled
    assertThat(round.get(30, TimeUnit.SECONDS))
        .extracting(PollResult::sourceId)
        .containsExactly("slow");
  }

  private static final String ONE_ITEM =
      "<rss version=\"2.0\"><channel><title>t</title><link>https://example.org/</link><description>d</description>"
          + "<item><title>One</title><link>https://example.org/1</link><guid>g-1</guid></item></channel></rss>";

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static FeedPoller poller() {
    return poller(new InMemoryPollSink());
  }

  private static FeedPoller poller(PollSink sink) {
    return new FeedPoller(
        new FeedFetcher(FetchSettings.defaults()), new FeedParser(), sink, Clock.systemUTC());
  }

  private static FeedSource feed(String id, Path file) {
    return feed(id, file.toUri());
  }

  private static FeedSource feed(String id, URI url) {
    return TestFeeds.feed(id).url(url).interval(Duration.ofSeconds(30)).build();
  }
}
