package org.wireingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.wireingest.model.FeedState;

class JsonSerdeTest {

  private static final String TOPIC = "wire.feed-state.v1";

  private final JsonSerde<FeedState> serde = JsonSerde.of(FeedState.class);

  private final FeedState state =
      FeedState.initial("trtworld-world", "https://www.trtworld.com/feed/rss.xml").toBuilder()
          .etag("\"abc123\"")
          .lastModified("Mon, 30 Nov 2026 08:00:00 GMT")
          .entries(Map.of("guid-1", "hash-1"))
          .firstSeen(Map.of("guid-1", Instant.parse("2026-11-30T07:59:00Z")))
          .lastFetchAt(Instant.parse("2026-11-30T08:00:01Z"))
          .lastSuccessAt(Instant.parse("2026-11-30T08:00:01Z"))
          .nextPollAt(Instant.parse("2026-11-30T08:02:00Z"))
          .build();

  @Test
  void shouldReadBackWhatItWrote() {
    byte[] bytes = serde.serializer().serialize(TOPIC, state);

    assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(state);
  }

  @Test
  void shouldReadBackWhenTheFeedsDocumentsWereCutOff() {
    FeedState cut = state.withTruncatedSince(Instant.parse("2026-11-30T07:12:40Z"));

    byte[] bytes = serde.serializer().serialize(TOPIC, cut);

    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .contains("\"truncatedSince\":\"2026-11-30T07:12:40Z\"");
    assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(cut);
  }

  @Test
  void shouldWriteUtf8JsonWithIsoInstants() {
    String json = new String(serde.serializer().serialize(TOPIC, state), StandardCharsets.UTF_8);

    assertThat(json)
        .startsWith("{")
        .contains("\"sourceId\":\"trtworld-world\"")
        .contains("\"nextPollAt\":\"2026-11-30T08:02:00Z\"");
  }

  @Test
  void shouldMapNullToATombstoneBothWays() {
    assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
  }

  @Test
  void shouldNameTheTypeAndTopicWhenTheBytesAreNotJson() {
    byte[] garbage = "<rss version=\"2.0\">".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, garbage))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("FeedState")
        .hasMessageContaining(TOPIC)
        .hasMessageContaining("line 1, column");
  }

  @Test
  void shouldRejectJsonOfTheWrongShape() {
    byte[] array = "[1,2,3]".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, array))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("FeedState");
  }
}
