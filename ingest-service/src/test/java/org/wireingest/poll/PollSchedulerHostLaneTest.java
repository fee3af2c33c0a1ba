package org.wireingest.poll;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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
 * The per-host limit holds a host's slot for a poll's fetch, not for its writes to Kafka. Found
 * with the broker killed under {@code run}: every poll then waits up to the publish timeout (60 s)
 * for its writes, and it held its host's slot all that time, so the feeds of one host (two slots)
 * were fetched two a minute, whatever their intervals, and their lateness blamed the host.
 */
class PollSchedulerHostLaneTest {

  private final Set<String> fetched = ConcurrentHashMap.newKeySet();
  private final CountDownLatch kafkaBack = new CountDownLatch(1);
  private final CountDownLatch firstWriting = new CountDownLatch(1);
  private HttpServer server;
  private PollScheduler scheduler;

  /** A Kafka that takes no write until the test says so, as a broker that is down. */
  private final PollSink stalled =
      new PollSink() {
        @Override
        public int publish(List<RawWireItem> items) {
          waitForKafka();
          return 0;
        }

        @Override
        public void saveState(FeedState state) {
          waitForKafka();
        }

        @Override
        public void logFetch(FetchLogRecord record) {}

        private void waitForKafka() {
          firstWriting.countDown();
          try {
            kafkaBack.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };

  @AfterEach
  void close() {
    kafkaBack.countDown();
    if (scheduler != null) {
      scheduler.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void shouldFetchTheOtherFeedsOfAHostWhileOnePollWaitsForKafka() throws Exception {
    List<FeedSource> feeds = serveTwoFeedsOfOneHost();
    // two workers, one slot for the host: the first poll's wait for Kafka leaves a worker free
    scheduler = new PollScheduler(feeds, Map.of(), poller(), 2, 1, Clock.systemUTC(), r -> {});

    scheduler.start();
    assertThat(firstWriting.await(30, TimeUnit.SECONDS)).as("a poll writing").isTrue();
    Await.until(
        "both feeds of the host fetched while Kafka takes no write",
        Duration.ofSeconds(30),
        () -> fetched.size() == 2);
  }

  /** The same for {@code run --once}: its round took a publish timeout per poll of one host. */
  @Test
  void shouldFetchTheOtherFeedsOfAHostInOneRoundWhileOnePollWaitsForKafka() throws Exception {
    List<FeedSource> feeds = serveTwoFeedsOfOneHost();
    scheduler = new PollScheduler(feeds, Map.of(), poller(), 2, 1, Clock.systemUTC(), r -> {});

    CompletableFuture<List<PollResult>> round =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return scheduler.pollOnce();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(firstWriting.await(30, TimeUnit.SECONDS)).as("a poll writing").isTrue();
    Await.until(
        "both feeds of the host fetched while Kafka takes no write",
        Duration.ofSeconds(30),
        () -> fetched.size() == 2);
    kafkaBack.countDown();
    assertThat(round.get(30, TimeUnit.SECONDS)).hasSize(2).allMatch(PollResult::succeeded);
  }

  /**
   * Starts the HTTP server, which serves each path as a feed of one entry.
   *
   * @return two feeds on it, so of one host
   */
  private List<FeedSource> serveTwoFeedsOfOneHost() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String id = exchange.getRequestURI().getPath().replace("/", "").replace(".xml", "");
          byte[] body =
              ("<rss version=\"2.0\"><channel><title>t</title><link>https://example.org/</link>"
                      + "<item><title>One</title><link>https://example.org/"
                      + id
                      + "/1</link><guid>"
                      + id
                      + "-1</guid></item></channel></rss>")
                  .getBytes(UTF_8);
          fetched.add(id);
          exchange.getResponseHeaders().set("Content-Type", "application/rss+xml");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    int port = server.getAddress().getPort();
    return List.of(feed("one", port), feed("two", port));
  }

  private FeedPoller poller() {
    return new FeedPoller(
        new FeedFetcher(FetchSettings.defaults().withAllowPrivateAddresses(true)),
        new FeedParser(),
        stalled,
        Clock.systemUTC());
  }

  private static FeedSource feed(String id, int port) {
    return TestFeeds.feed(id)
        .url(URI.create("http://127.0.0.1:" + port + "/" + id + ".xml"))
        .interval(Duration.ofMinutes(10))
        .build();
  }
}
