package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.parse.FeedParser;

/**
 * {@link PollScheduler#pollOnce(Set, java.util.function.BooleanSupplier)}: the one-off round of
 * {@code run --once}.
 */
class PollSchedulerOnceTest {

  @TempDir Path dir;

  /**
   * Found in a new-user trial: Ctrl-C during {@code run --once} was deferred until every feed had
   * been polled (and the normalizer waited for). Once a stop is asked for, feeds not yet started
   * are left out; the poll under way finishes.
   */
  @Test
  void shouldLeaveOutTheFeedsNotYetStartedOnceCancelled() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("feed.xml"),
            "<rss version=\"2.0\"><channel><title>t</title><link>https://example.org/</link><description>d</description>"
                + "<item><title>One</title><link>https://example.org/1</link><guid>g-1</guid></item></channel></rss>");
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

  private static FeedPoller poller() {
    return new FeedPoller(
        new FeedFetcher(FetchSettings.defaults()),
        new FeedParser(),
        new InMemoryPollSink(),
        Clock.systemUTC());
  }

  private static FeedSource feed(String id, Path file) {
    return TestFeeds.feed(id).url(file.toUri()).interval(Duration.ofSeconds(30)).build();
  }
}
