package org.wireingest.poll;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.fetch.BodyBudget;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.fetch.LocalHttpServer;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseResult;
import org.wireingest.testing.Await;

/**
 * {@link FeedPoller} with a {@link BodyBudget}, against a real HTTP server: a poll holds its body's
 * bytes through its parse and writes and gives them back on every path, and two large bodies with a
 * budget for one are polled one after the other, both successfully.
 */
@Timeout(60)
class FeedPollerBodyBudgetTest {

  private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
  private static final long MIB = 1L << 20;

  /** An RSS document of about 2 MiB: 1,000 entries. */
  private static final byte[] LARGE_RSS = rss(1_000);

  private LocalHttpServer server;
  private FeedFetcher fetcher;
  private final InMemoryPollSink sink = new InMemoryPollSink();
  private final FeedParser feedParser = new FeedParser();

  @BeforeEach
  void start() throws IOException {
    server = new LocalHttpServer();
    fetcher =
        new FeedFetcher(
            new FetchSettings(
                Duration.ofSeconds(5),
                Duration.ofSeconds(20),
                Duration.ofSeconds(30),
                8 * MIB,
                3,
                "wire-ingest-test/1",
                false,
                true));
  }

  @AfterEach
  void stop() {
    fetcher.close();
    server.close();
  }

  private static byte[] rss(int entries) {
    StringBuilder xml =
        new StringBuilder(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Wire</title>"
                + "<link>https://wire.example/</link>");
    for (int i = 0; i < entries; i++) {
      xml.append("<item><guid>https://wire.example/story/")
          .append(i)
          .append("</guid><title>Story ")
          .append(i)
          .append("</title><link>https://wire.example/story/")
          .append(i)
          .append("</link><description>")
          .append("A paragraph of the story's text, long enough to weigh. ".repeat(36))
          .append("</description><pubDate>Mon, 30 Nov 2026 07:30:00 GMT</pubDate></item>");
    }
    return xml.append("</channel></rss>").toString().getBytes(UTF_8);
  }

  private FeedSource feed(String id) {
    return TestFeeds.feed(id).agency("wire").url(server.uri("/" + id)).build();
  }

  private FeedPoller poller(BodyBudget budget, BiFunction<byte[], String, ParseResult> parser) {
    return new FeedPoller(
        fetcher,
        parser,
        sink,
        Clock.fixed(NOW, ZoneOffset.UTC),
        FetchLogBodies.DEFAULT_MAX_COMPRESSED_BYTES,
        budget);
  }

  /**
   * Regression: a poll kept its fetch result, and with it the body, to its end, so a 19 MB feed's
   * body sat in the heap beside its 8,544 entries while the producer's buffer filled with their raw
   * items. The raw items are written after the parse, which is the body's last use.
   */
  @Test
  void shouldLetTheBodyBeCollectedWhileTheRawItemsAreWritten() {
    AtomicReference<WeakReference<byte[]>> parsedBody = new AtomicReference<>();
    List<Boolean> bodyCollected = new CopyOnWriteArrayList<>();
    PollSink collecting =
        new PollSink() {
          @Override
          public int publish(List<RawWireItem> items) {
            System.gc(); // a full collection clears every weak reference to an unreachable array
            bodyCollected.add(parsedBody.get().get() == null);
            return sink.publish(items);
          }

          @Override
          public void saveState(FeedState state) {
            sink.saveState(state);
          }

          @Override
          public void logFetch(FetchLogRecord record) {
            sink.logFetch(record);
          }
        };
    FeedPoller poller =
        new FeedPoller(
            fetcher,
            (body, type) -> {
              parsedBody.set(new WeakReference<>(body));
              return feedParser.parse(body, type);
            },
            collecting,
            Clock.fixed(NOW, ZoneOffset.UTC),
            FetchLogBodies.DEFAULT_MAX_COMPRESSED_BYTES,
            new BodyBudget(16 * MIB));
    server.on("/a", LocalHttpServer.respond(200, LARGE_RSS));

    PollResult result = poller.poll(feed("a"), null);

    assertThat(result.outcome()).isEqualTo(PollResult.Outcome.OK);
    assertThat(result.published()).isEqualTo(1_000);
    assertThat(result.bytes()).isEqualTo(LARGE_RSS.length);
    assertThat(bodyCollected).containsExactly(true);
  }

  @Test
  void shouldHoldTheBodyThroughItsParseAndGiveItBackAfterASuccessfulPoll() {
    BodyBudget budget = new BodyBudget(16 * MIB);
    List<Long> reservedWhileParsing = new CopyOnWriteArrayList<>();
    FeedPoller poller =
        poller(
            budget,
            (body, type) -> {
              reservedWhileParsing.add(budget.reservedBytes());
              return feedParser.parse(body, type);
            });
    server.on("/a", LocalHttpServer.respond(200, LARGE_RSS));

    PollResult result = poller.poll(feed("a"), null);

    assertThat(result.outcome()).isEqualTo(PollResult.Outcome.OK);
    assertThat(reservedWhileParsing).containsExactly((long) LARGE_RSS.length);
    assertThat(budget.reservedBytes()).isZero();
  }

  @Test
  void shouldGiveTheBodyBackOnEveryFailedOrQuietPath() {
    BodyBudget budget = new BodyBudget(16 * MIB);
    // each body past the first 256 KiB a poll reads without a reservation
    byte[] html =
        ("<!DOCTYPE html><html><body>" + "<p>Not a feed</p>".repeat(30_000) + "</body></html>")
            .getBytes(UTF_8);
    byte[] badXml =
        ("<rss><channel>" + "<item><title>x</title></item>".repeat(20_000) + "</rss>")
            .getBytes(UTF_8);
    server.on("/not-a-feed", LocalHttpServer.respond(200, html, "Content-Type", "text/html"));
    server.on("/bad-xml", LocalHttpServer.respond(200, badXml));
    server.on("/a", LocalHttpServer.respond(200, LARGE_RSS));
    server.on("/gone", LocalHttpServer.respond(404, html));
    List<Long> reservedWhileParsing = new CopyOnWriteArrayList<>();
    FeedPoller poller =
        poller(
            budget,
            (body, type) -> {
              reservedWhileParsing.add(budget.reservedBytes());
              return feedParser.parse(body, type);
            });
    FeedPoller throwing =
        poller(
            budget,
            (body, type) -> {
              throw new IllegalStateException("parser bug (test)");
            });

    assertThat(poller.poll(feed("not-a-feed"), null).code()).isEqualTo("not-a-feed");
    assertThat(budget.reservedBytes()).isZero();
    assertThat(poller.poll(feed("bad-xml"), null).outcome()).isEqualTo(PollResult.Outcome.FAILED);
    assertThat(budget.reservedBytes()).isZero();
    assertThat(poller.poll(feed("gone"), null).code()).isEqualTo("not-found");
    assertThat(budget.reservedBytes()).isZero();
    assertThat(throwing.poll(feed("a"), null).code()).isEqualTo(FeedPoller.INTERNAL_ERROR);
    assertThat(budget.reservedBytes()).isZero();

    sink.failPublishing(true);
    assertThat(poller.poll(feed("a"), null).code()).isEqualTo(FeedPoller.PUBLISH_ERROR);
    assertThat(budget.reservedBytes()).isZero();

    sink.failPublishing(false);
    PollResult ok = poller.poll(feed("a"), null);
    assertThat(poller.poll(feed("a"), ok.state()).outcome())
        .isEqualTo(PollResult.Outcome.UNCHANGED);
    assertThat(budget.reservedBytes()).isZero();
    // not-a-feed, bad XML, publish-error and the successful poll each parsed with its body held
    assertThat(reservedWhileParsing)
        .containsExactly(
            (long) html.length,
            (long) badXml.length,
            (long) LARGE_RSS.length,
            (long) LARGE_RSS.length);
  }

  @Test
  void shouldPollTwoLargeBodiesOneAfterTheOtherWhenTheBudgetHoldsOne() throws Exception {
    // room for one body of about 2 MiB, not two
    BodyBudget budget = new BodyBudget(LARGE_RSS.length + MIB);
    AtomicInteger parsing = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    List<Long> reservedWhileParsing = new CopyOnWriteArrayList<>();
    FeedPoller poller =
        poller(
            budget,
            (body, type) -> {
              mostAtOnce.accumulateAndGet(parsing.incrementAndGet(), Math::max);
              reservedWhileParsing.add(budget.reservedBytes());
              try {
                // Hold the first body until the other poll has fetched its headers and waits for
                // room (at most 10 s: without a budget it never waits, and parses beside this one)
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (reservedWhileParsing.size() == 1
                    && budget.waiting() == 0
                    && parsing.get() == 1
                    && System.nanoTime() < until) {
                  Thread.sleep(10);
                }
                return feedParser.parse(body, type);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              } finally {
                parsing.decrementAndGet();
              }
            });
    server.on("/a", LocalHttpServer.respond(200, LARGE_RSS));
    server.on("/b", LocalHttpServer.respond(200, LARGE_RSS));
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      CompletableFuture<PollResult> a =
          CompletableFuture.supplyAsync(() -> poller.poll(feed("a"), null), threads);
      CompletableFuture<PollResult> b =
          CompletableFuture.supplyAsync(() -> poller.poll(feed("b"), null), threads);

      assertThat(List.of(a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS)))
          .extracting(PollResult::outcome)
          .containsExactly(PollResult.Outcome.OK, PollResult.Outcome.OK);
    } finally {
      threads.shutdownNow();
    }

    assertThat(mostAtOnce).hasValue(1);
    // each parse ran with its own body reserved, never both
    assertThat(reservedWhileParsing)
        .containsExactly((long) LARGE_RSS.length, (long) LARGE_RSS.length);
    assertThat(budget.waits()).isEqualTo(1);
    assertThat(budget.reservedBytes()).isZero();
    assertThat(sink.items()).hasSize(2_000);
  }

  /**
   * A gzip body's decoded length is unknown until read, so it reserved the whole cap at every poll.
   * The poller remembers each feed's last body and gives its length to the next fetch, whose
   * reservation is then twice that: the first poll reserves the 1 MiB floor (and grows it as its
   * body goes past it), the next one its estimate.
   */
  @Test
  void shouldReserveAnEstimateFromTheFeedsLastBodyAtItsNextPoll() throws Exception {
    BodyBudget budget = new BodyBudget(16 * MIB);
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(LARGE_RSS);
    }
    byte[] gzipped = compressed.toByteArray();
    List<Long> reservedWhileStreaming = new CopyOnWriteArrayList<>();
    server.on(
        "/a",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Encoding", "gzip");
          exchange.sendResponseHeaders(200, 0); // chunked
          try (OutputStream out = exchange.getResponseBody()) {
            // a quarter, about 550 KB decoded: past the first 256 KiB, within the first 1 MiB
            int quarter = gzipped.length / 4;
            out.write(gzipped, 0, quarter);
            out.flush();
            Await.until(
                "a reservation while the body streams",
                Duration.ofSeconds(10),
                () -> budget.reservedBytes() > 0);
            reservedWhileStreaming.add(budget.reservedBytes());
            out.write(gzipped, quarter, gzipped.length - quarter);
          }
        });
    FeedPoller poller = poller(budget, feedParser::parse);

    PollResult first = poller.poll(feed("a"), null);
    PollResult second = poller.poll(feed("a"), first.state());

    assertThat(first.outcome()).isEqualTo(PollResult.Outcome.OK);
    assertThat(second.outcome()).isEqualTo(PollResult.Outcome.UNCHANGED);
    assertThat(reservedWhileStreaming).containsExactly(MIB, 2L * LARGE_RSS.length);
    assertThat(budget.reservedBytes()).isZero();
  }
}
