package org.wireingest.poll;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.kafka.EmbeddedBroker;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.Topics;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;

/**
 * How long one poll of one feed holds its poll thread while no broker answers: about the sink's ack
 * timeout, whatever the poll writes.
 *
 * <p>Regression: with the ack timeout at 60 s (as {@code ServiceCommand} sets it) a poll blocked
 * about 2 minutes per feed during a broker outage. The producer's {@code max.block.ms} (Kafka's
 * default 60 s, not tied to the ack timeout) bounded each wait for a topic's metadata, and a poll
 * waited twice: for the raw-items topic ({@code publish}) or the feed-state topic ({@code
 * saveState}), then for the fetch-log topic in {@code logFetch}, documented as not waiting. Then,
 * with a broker that went away after the raw items were acknowledged, the feed state waited an ack
 * timeout of its own after theirs.
 */
class KafkaPollSinkOutageTest {

  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(4);

  /**
   * The bound asserted: 2 s of slack for a loaded machine, below the 2 × ack timeout of the bug.
   */
  private static final Duration POLL_BOUND = ACK_TIMEOUT.plusSeconds(2);

  private static final String ONE_ENTRY =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>
        <item><guid>https://wire.example/a/1</guid><title>Ceasefire talks resume in Doha</title>
          <link>https://wire.example/a/1</link><pubDate>Mon, 30 Nov 2026 06:12:00 GMT</pubDate></item>
      </channel></rss>
      """;

  private static final String NO_ENTRIES =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>
      </channel></rss>
      """;

  @TempDir Path dir;

  private final FeedFetcher fetcher = new FeedFetcher(FetchSettings.defaults());
  private KafkaPollSink sink;

  @BeforeEach
  void sinkOnABrokerThatIsDown() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    // No max.block.ms here: the sink's own bound is what is tested.
    sink =
        new KafkaPollSink(
            Map.of("bootstrap.servers", "127.0.0.1:" + closedPort), Topics.defaults(), ACK_TIMEOUT);
  }

  @AfterEach
  void close() {
    sink.close();
    fetcher.close();
  }

  @Test
  void shouldFailAPollWithNewEntriesWithinAboutTheAckTimeoutWhileNoBrokerAnswers()
      throws IOException {
    // publish (raw-items metadata), then logFetch: saveState is skipped after a failed publish
    PollResult result = pollWithinBound(ONE_ENTRY);

    assertThat(result.outcome()).isEqualTo(PollResult.Outcome.FAILED);
    assertThat(result.code()).isEqualTo("publish-error");
    assertThat(result.message())
        .contains("could not write raw items of wire-world")
        .contains("is Kafka reachable?");
    // not acknowledged: its entries are not in the state, so the next poll publishes them again
    assertThat(result.state().entries()).isEmpty();
  }

  @Test
  void shouldFailAPollWithNothingToPublishWithinAboutTheAckTimeoutWhileNoBrokerAnswers()
      throws IOException {
    // no raw items: saveState (feed-state metadata), then logFetch
    PollResult result = pollWithinBound(NO_ENTRIES);

    assertThat(result.outcome()).isEqualTo(PollResult.Outcome.FAILED);
    assertThat(result.code()).isEqualTo("publish-error");
    assertThat(result.message())
        .contains("feed state not stored: could not write feed state of wire-world")
        .contains("is Kafka reachable?");
    assertThat(result.state().consecutiveErrors()).isEqualTo(1);
  }

  /**
   * Regression: a broker that goes away once a poll's raw items are acknowledged. The feed state's
   * write had an ack timeout of its own, so a poll whose acknowledgements took half the timeout
   * held its thread 1.5 × the ack timeout (2 × at worst), where the poll's writes now share one.
   */
  @Test
  void shouldHoldAPollAboutOneAckTimeoutWhenTheBrokerGoesAwayBetweenItsRawItemsAndItsState()
      throws IOException {
    Duration ackTimeout = Duration.ofSeconds(3);
    EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("kafka-data"));
    Topics topics = Topics.defaults();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      TopicAdmin.ensureTopics(admin, topics.all(1), Duration.ofSeconds(30));
    }
    try (broker;
        KafkaPollSink live =
            new KafkaPollSink(
                Map.of("bootstrap.servers", broker.bootstrapServers()), topics, ackTimeout)) {
      // as in a running poller, which has written feed states before: the producer holds the
      // feed-state topic's metadata
      live.saveState(FeedState.initial("earlier", "https://wire.example/earlier.xml"));
      long[] rawItemsStarted = new long[1];
      long[] brokerGone = new long[1];
      PollSink goesAwayAfterTheRawItems =
          publishingThrough(
              live,
              (writes, items) -> {
                rawItemsStarted[0] = System.nanoTime();
                int deadLettered = writes.publish(items);
                broker.close();
                // acknowledgements that took half the ack timeout, from a broker then gone
                sleepUntil(rawItemsStarted[0] + ackTimeout.toNanos() / 2);
                brokerGone[0] = System.nanoTime();
                return deadLettered;
              });

      PollResult result =
          assertTimeoutPreemptively(
              ackTimeout.multipliedBy(3),
              () -> poller(goesAwayAfterTheRawItems).poll(source(ONE_ENTRY), null));
      Duration writing = Duration.ofNanos(System.nanoTime() - rawItemsStarted[0]);
      // Half the ack timeout, or more when the broker's close took longer (a loaded machine): the
      // writes end at the later of that and one ack timeout, not an ack timeout after it
      Duration acknowledged = Duration.ofNanos(brokerGone[0] - rawItemsStarted[0]);

      assertThat(result.published()).isEqualTo(1);
      assertThat(result.code()).isEqualTo("publish-error");
      assertThat(result.message()).startsWith("feed state not stored: could not write feed state");
      // kept for the next poll, which writes it: nothing lost
      assertThat(result.state().entries()).hasSize(1);
      assertThat(writing)
          .as(
              "raw items and feed state together, ack timeout %s, acknowledged after %s",
              ackTimeout, acknowledged)
          .isLessThan(
              (acknowledged.compareTo(ackTimeout) > 0 ? acknowledged : ackTimeout)
                  .plusMillis(ackTimeout.toMillis() * 3 / 10));
    }
  }

  /**
   * Regression: the raw items' sends ran on the poll's thread, and the deadline was only checked
   * before each: a send that began just before it waited up to {@code max.block.ms} (the ack
   * timeout) for the topic's metadata or buffer space, so the poll held its thread nearly twice the
   * ack timeout. Here the poll's writes have spent all but 0.5 s of it when the raw items come.
   */
  @Test
  void shouldHoldAPollAboutOneAckTimeoutWhenItsRawItemsComeJustBeforeItsDeadline()
      throws IOException {
    long[] writesStarted = new long[1];
    PollSink lateRawItems =
        publishingThrough(
            sink,
            (writes, items) -> {
              writesStarted[0] = System.nanoTime();
              writes.publish(List.of()); // starts the poll's deadline, sends nothing
              sleepUntil(writesStarted[0] + ACK_TIMEOUT.minusMillis(500).toNanos());
              return writes.publish(items);
            });

    PollResult result =
        assertTimeoutPreemptively(
            ACK_TIMEOUT.multipliedBy(3), () -> poller(lateRawItems).poll(source(ONE_ENTRY), null));
    Duration writing = Duration.ofNanos(System.nanoTime() - writesStarted[0]);

    assertThat(result.code()).isEqualTo("publish-error");
    assertThat(result.message()).contains("could not write raw items of wire-world");
    assertThat(writing)
        .as("the poll's writes, ack timeout %s", ACK_TIMEOUT)
        .isLessThan(Duration.ofMillis(ACK_TIMEOUT.toMillis() * 13 / 10));
  }

  /**
   * A sink whose polls write through {@code target}'s, each poll's raw items by {@code publish}
   * (given that poll's writes on {@code target}); writes outside a poll are refused.
   */
  private static PollSink publishingThrough(
      PollSink target, BiFunction<PollSink.Writes, List<RawWireItem>, Integer> publish) {
    return new PollSink() {
      @Override
      public Writes beginPoll() {
        Writes writes = target.beginPoll();
        return new Writes() {
          @Override
          public int publish(List<RawWireItem> items) {
            return publish.apply(writes, items);
          }

          @Override
          public void saveState(FeedState state) {
            writes.saveState(state);
          }
        };
      }

      @Override
      public int publish(List<RawWireItem> items) {
        throw new AssertionError("the poll writes through beginPoll");
      }

      @Override
      public void saveState(FeedState state) {
        throw new AssertionError("the poll writes through beginPoll");
      }

      @Override
      public void logFetch(FetchLogRecord record) {
        target.logFetch(record);
      }
    };
  }

  private static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      try {
        Thread.sleep(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  private PollResult pollWithinBound(String rss) throws IOException {
    FeedSource source = source(rss);
    FeedPoller poller = poller(sink);
    // preemptive: without the bound the poll would hold the test for about 2 minutes
    return assertTimeoutPreemptively(
        POLL_BOUND,
        () -> poller.poll(source, null),
        "one poll must not block much longer than the ack timeout (" + ACK_TIMEOUT + ")");
  }

  private FeedPoller poller(PollSink target) {
    return new FeedPoller(fetcher, new FeedParser(), target, Clock.systemUTC());
  }

  private FeedSource source(String rss) throws IOException {
    Path file = Files.writeString(dir.resolve("feed.xml"), rss, UTF_8);
    return TestFeeds.feed("wire-world").name("Wire").agency("wire").url(file.toUri()).build();
  }
}
