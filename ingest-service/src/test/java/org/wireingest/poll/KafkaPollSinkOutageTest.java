package org.wireingest.poll;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.config.FeedSource;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.kafka.Topics;
import org.wireingest.parse.FeedParser;

/**
 * How long one poll of one feed holds its poll thread while no broker answers: about the sink's ack
 * timeout, whatever the poll writes.
 *
 * <p>Regression: with the ack timeout at 60 s (as {@code ServiceCommand} sets it) a poll blocked
 * about 2 minutes per feed during a broker outage. The producer's {@code max.block.ms} (Kafka's
 * default 60 s, not tied to the ack timeout) bounded each wait for a topic's metadata, and a poll
 * waited twice: for the raw-items topic ({@code publish}) or the feed-state topic ({@code
 * saveState}), then for the fetch-log topic in {@code logFetch}, documented as not waiting.
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

  private PollResult pollWithinBound(String rss) throws IOException {
    Path file = Files.writeString(dir.resolve("feed.xml"), rss, UTF_8);
    FeedSource source =
        new FeedSource(
            "wire-world",
            "Wire",
            "wire",
            file.toUri(),
            Duration.ofMinutes(5),
            "en",
            IdentityPolicy.AUTO,
            Map.of());
    FeedPoller poller = new FeedPoller(fetcher, new FeedParser(), sink, Clock.systemUTC());
    // preemptive: without the bound the poll would hold the test for about 2 minutes
    return assertTimeoutPreemptively(
        POLL_BOUND,
        () -> poller.poll(source, null),
        "one poll must not block much longer than the ack timeout (" + ACK_TIMEOUT + ")");
  }
}
