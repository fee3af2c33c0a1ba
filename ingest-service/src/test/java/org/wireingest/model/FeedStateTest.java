package org.wireingest.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedStateTest {

  private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

  // From a review: the poller and replay --reparse each built the state after a parse with the
  // whole constructor by hand, and replay's shorter form would drop movedTo, movedSince and
  // throttledErrors as soon as its states carried them.
  @Test
  void shouldReplaceOnlyWhatTheParsedDocumentSaysAfterAParse() {
    FeedState before =
        new FeedState(
            "dw-world",
            "https://rss.dw.com/xml/rss-en-world",
            "\"v1\"",
            "Mon, 30 Nov 2026 06:00:00 GMT",
            "aa".repeat(32),
            Map.of("old", "11".repeat(32)),
            Map.of("old", NOW.minusSeconds(600)),
            NOW.minusSeconds(60),
            NOW.minusSeconds(120),
            NOW.minusSeconds(600),
            2,
            "too-many-requests: HTTP 429",
            NOW.plusSeconds(300),
            15,
            900L,
            null,
            null,
            "https://rss.dw.com/xml/new",
            NOW.minusSeconds(3600),
            2,
            NOW.minusSeconds(1800),
            null,
            300L);

    FeedState after =
        before.withParsed(
            "bb".repeat(32),
            Map.of("new", "22".repeat(32)),
            Map.of("new", NOW),
            30,
            1800L,
            "link",
            "3 of 3 GUIDs unusable");

    assertThat(after)
        .isEqualTo(
            new FeedState(
                before.sourceId(),
                before.feedUrl(),
                before.etag(),
                before.lastModified(),
                "bb".repeat(32),
                Map.of("new", "22".repeat(32)),
                Map.of("new", NOW),
                before.lastFetchAt(),
                before.lastSuccessAt(),
                before.lastNewEntryAt(),
                before.consecutiveErrors(),
                before.lastError(),
                before.nextPollAt(),
                30,
                1800L,
                "link",
                "3 of 3 GUIDs unusable",
                before.movedTo(),
                before.movedSince(),
                before.throttledErrors(),
                before.truncatedSince(),
                null,
                before.maxAgeSeconds()));
  }

  @Test
  void shouldReadAStateWrittenBeforeMaxAgeSecondsWithoutOneAndKeepOneWritten() throws Exception {
    String older =
        "{\"sourceId\":\"dw-world\",\"feedUrl\":\"https://rss.dw.com/xml/rss-en-world\","
            + "\"entries\":{},\"firstSeen\":{},\"consecutiveErrors\":0,\"ttlMinutes\":15}";

    FeedState read = Json.MAPPER.readValue(older, FeedState.class);
    FeedState withMaxAge = read.toBuilder().maxAgeSeconds(420L).build();

    assertThat(read.maxAgeSeconds()).isNull();
    assertThat(read.ttlMinutes()).isEqualTo(15);
    assertThat(Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(withMaxAge), FeedState.class))
        .isEqualTo(withMaxAge);
  }
}
