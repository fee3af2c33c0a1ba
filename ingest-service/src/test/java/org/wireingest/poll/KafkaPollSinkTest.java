package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.kafka.Topics;
import org.wireingest.model.FeedState;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseResult;
import org.wireingest.parse.ParsedFeed;

class KafkaPollSinkTest {

  /** Nothing listens here: building the sink must not need a broker. */
  private static final Map<String, Object> UNREACHABLE = Map.of("bootstrap.servers", "127.0.0.1:9");

  @Test
  void shouldAcceptAnAckTimeoutOfThirtySecondsOrLess() {
    // Regression: with an ack timeout of 30 s or less the constructor threw ConfigException
    // "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms":
    // delivery.timeout.ms was max(ackTimeout, 30 000), below linger.ms 5 + request.timeout.ms 30
    // 000.
    assertThatCode(
            () -> new KafkaPollSink(UNREACHABLE, Topics.defaults(), Duration.ofSeconds(30)).close())
        .doesNotThrowAnyException();
    assertThatCode(
            () -> new KafkaPollSink(UNREACHABLE, Topics.defaults(), Duration.ofSeconds(5)).close())
        .doesNotThrowAnyException();
  }

  @Test
  void shouldAcceptARequestTimeoutLongerThanTheAckTimeout() {
    Map<String, Object> slowCluster =
        Map.of("bootstrap.servers", "127.0.0.1:9", "request.timeout.ms", "90000");

    assertThatCode(
            () -> new KafkaPollSink(slowCluster, Topics.defaults(), Duration.ofSeconds(60)).close())
        .doesNotThrowAnyException();
  }

  @Test
  void shouldFailAPublishWithPublishExceptionWhenTheRawTopicsMetadataCannotBeHad() {
    // Raw items go to their uri's partition, so publishing first needs the topic's partition
    // count: without it the poll must fail like a failed send (publish-error, retried), not with
    // an exception the poll loop does not expect.
    FeedSource source =
        new FeedSource(
            "alpha-world",
            "Alpha",
            "alpha",
            URI.create("https://alpha.example/rss.xml"),
            Duration.ofMinutes(5),
            "en",
            IdentityPolicy.AUTO,
            Map.of());
    String rss =
        "<rss version=\"2.0\"><channel><title>A</title><link>https://alpha.example/</link>"
            + "<item><guid>alpha-1</guid><title>Harbour reopens</title><link>https://alpha.example/1</link></item></channel></rss>";
    ParsedFeed feed =
        ((ParseResult.Parsed)
                new FeedParser().parse(rss.getBytes(StandardCharsets.UTF_8), "application/rss+xml"))
            .feed();
    Instant now = Instant.parse("2026-11-30T09:00:00Z");
    RawWireItem.Fetch fetch =
        new RawWireItem.Fetch(
            now, source.url().toString(), 200, null, null, "application/rss+xml", "ab".repeat(32));
    List<RawWireItem> items =
        RawItems.plan(
                source, fetch, feed, FeedState.initial(source.id(), source.url().toString()), now)
            .toPublish();
    Map<String, Object> unreachable =
        Map.of("bootstrap.servers", "127.0.0.1:9", "max.block.ms", "300");

    try (KafkaPollSink sink =
        new KafkaPollSink(unreachable, Topics.defaults(), Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> sink.publish(items))
          .isInstanceOf(PollSink.PublishException.class)
          .hasMessageContaining("alpha-world")
          .hasMessageContaining("wire.raw-items.v1")
          // From an ops trial: Kafka's "not present in metadata" read as a missing topic while the
          // broker was down.
          .hasMessageContaining("is Kafka reachable?");
    }
  }

  @Test
  void shouldSayTheBrokerMayBeUnreachableWhenAFeedStateCannotBeWritten() {
    Map<String, Object> unreachable =
        Map.of("bootstrap.servers", "127.0.0.1:9", "max.block.ms", "300");

    try (KafkaPollSink sink =
        new KafkaPollSink(unreachable, Topics.defaults(), Duration.ofSeconds(5))) {
      assertThatThrownBy(
              () ->
                  sink.saveState(FeedState.initial("alpha-world", "https://alpha.example/rss.xml")))
          .isInstanceOf(PollSink.PublishException.class)
          .hasMessageContaining("feed state of alpha-world")
          .hasMessageContaining("is Kafka reachable?");
    }
  }
}
