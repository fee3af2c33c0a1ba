package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.model.FeedState;
import org.wireingest.parse.FeedParser;
import org.wireingest.testing.Await;

/**
 * After a {@code 429} with {@code Retry-After} the next poll is never planned before the time the
 * server asked for, and the scheduler tells the poll's real planned time (what the status page
 * shows) apart from the state's, which other pollers restore.
 */
class PollSchedulerRetryAfterTest {

  private static final int FEEDS = 20;
  private static final Duration RETRY_AFTER = Duration.ofSeconds(120);

  private HttpServer server;
  private PollScheduler scheduler;

  @AfterEach
  void close() {
    if (scheduler != null) {
      scheduler.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  // Found in a new-user test: ±10 % jitter on the delay put a poll 114 s after a 429 asking for
  // 120 s, and /api/feeds showed the time before jitter.
  @Test
  void shouldNeverPlanThePollAfterA429BeforeItsRetryAfter() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().set("Retry-After", Long.toString(RETRY_AFTER.toSeconds()));
          exchange.sendResponseHeaders(429, -1);
          exchange.close();
        });
    server.start();
    List<FeedSource> feeds = new ArrayList<>();
    for (int i = 0; i < FEEDS; i++) {
      URI url =
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/feed-" + i + ".xml");
      feeds.add(
          TestFeeds.feed("feed-" + i)
              .name("feed " + i)
              .url(url)
              .interval(Duration.ofSeconds(30))
              .build());
    }
    Map<String, FeedState> polled = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(FEEDS);
    FeedPoller poller =
        new FeedPoller(
            new FeedFetcher(FetchSettings.defaults().withAllowPrivateAddresses(true)),
            new FeedParser(),
            new InMemoryPollSink(),
            Clock.systemUTC());
    scheduler =
        new PollScheduler(
            feeds,
            Map.of(),
            poller,
            4,
            FEEDS,
            Clock.systemUTC(),
            r -> {
              polled.put(r.sourceId(), r.state());
              done.countDown();
            });

    scheduler.start();
    assertThat(done.await(30, TimeUnit.SECONDS)).as("every feed polled once").isTrue();
    for (FeedSource f : feeds) {
      // the next poll is planned right after the listener hears of the result
      Await.until(
          "the poll of " + f.id() + " after its 429 planned",
          Duration.ofSeconds(30),
          () -> {
            Instant planned = scheduler.plannedPoll(f.id());
            return planned != null && planned.isAfter(polled.get(f.id()).lastFetchAt());
          });
    }

    for (FeedSource f : feeds) {
      Instant asked =
          polled.get(f.id()).nextPollAt(); // the 429's time + Retry-After (back-off is shorter)
      assertThat(polled.get(f.id()).lastError()).startsWith("too-many-requests");
      assertThat(scheduler.state(f.id()))
          .as("the state as the feed-state topic keeps it")
          .isEqualTo(polled.get(f.id()));
      assertThat(scheduler.plannedPoll(f.id()))
          .as("planned next poll of %s", f.id())
          .isAfterOrEqualTo(asked)
          .isBeforeOrEqualTo(asked.plus(RETRY_AFTER.multipliedBy(11).dividedBy(10)).plusSeconds(1));
    }
  }

  // Found in a new-user test: run --once ignored the Retry-After kept in the feed state.
  @Test
  void shouldLeaveAThrottledFeedOutOfAOneOffRoundUntilItsServersTime(@TempDir Path dir)
      throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("feed.xml"),
            "<rss version=\"2.0\"><channel><title>t</title><link>https://example.org/</link><description>d</description>"
                + "<item><title>One</title><link>https://example.org/1</link><guid>g-1</guid></item></channel></rss>");
    FeedSource throttledFeed =
        TestFeeds.feed("throttled").url(file.toUri()).interval(Duration.ofSeconds(30)).build();
    FeedSource waitOver =
        TestFeeds.feed("wait-over")
            .name("wait over")
            .url(file.toUri())
            .interval(Duration.ofSeconds(30))
            .build();
    FeedSource fresh =
        TestFeeds.feed("fresh").url(file.toUri()).interval(Duration.ofSeconds(30)).build();
    Instant now = Instant.now();
    Map<String, FeedState> restored =
        Map.of(
            "throttled", after429(throttledFeed, now.minusSeconds(10), now.plus(RETRY_AFTER)),
            "wait-over", after429(waitOver, now.minusSeconds(200), now.minusSeconds(80)));
    FeedPoller poller =
        new FeedPoller(
            new FeedFetcher(FetchSettings.defaults()),
            new FeedParser(),
            new InMemoryPollSink(),
            Clock.systemUTC());
    scheduler =
        new PollScheduler(
            List.of(throttledFeed, waitOver, fresh),
            restored,
            poller,
            4,
            Clock.systemUTC(),
            r -> {});

    Map<String, Instant> throttled = scheduler.throttled();
    List<PollResult> results = scheduler.pollOnce();

    assertThat(throttled).containsOnlyKeys("throttled");
    assertThat(throttled.get("throttled")).isEqualTo(restored.get("throttled").nextPollAt());
    assertThat(results).extracting(PollResult::sourceId).containsExactly("wait-over", "fresh");
  }

  private static FeedState after429(FeedSource f, Instant at, Instant next) {
    return FeedState.initial(f.id(), f.url().toString()).toBuilder()
        .lastFetchAt(at)
        .consecutiveErrors(1)
        .lastError("too-many-requests: HTTP 429 from " + f.url())
        .nextPollAt(next)
        .build();
  }
}
