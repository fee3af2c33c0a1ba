package org.wireingest.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.ParsedEntry;

/**
 * The event records, serialised by {@code Json.MAPPER}, follow the schemas of the schemas module:
 * the Java contract and the published JSON contract agree.
 */
class SchemaAssertTest {

  private static final String ITEM_KEY = "9c1e5a1f0b6d4e8a2f3c7d9e1b2a4c6d";
  private static final String SHA_A = "a".repeat(64);
  private static final String SHA_B = "0123456789abcdef".repeat(4);
  private static final String FEED_URL = "https://www.trtworld.com/feed/rss.xml";
  private static final String LINK = "https://www.trtworld.com/article/18230654";
  private static final Instant PUBLISHED = Instant.parse("2026-11-30T07:45:00Z");
  private static final Instant FETCHED = Instant.parse("2026-11-30T08:02:11.482Z");

  @Test
  void shouldAcceptAnArticleEventWithEveryField() {
    assertThatCode(() -> SchemaAssert.assertValid("article.schema.json", article(1, "created")))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldAcceptAnArticleEventWithOnlyRequiredFields() {
    ArticleEvent event =
        new ArticleEvent(
            "urn:wire:trtworld:5d41402abc4b2a76b9719d911017c592",
            2,
            "updated",
            "canceled",
            "text",
            PUBLISHED,
            PUBLISHED,
            null,
            "Railway opening postponed",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            SHA_B,
            new ArticleEvent.Source("trtworld-world", "TRT World — World", "trtworld", FEED_URL),
            FETCHED,
            new ArticleEvent.Lineage("wire.raw-items.v1", 0, 0L, "trtworld-world/" + ITEM_KEY),
            null);

    assertThatCode(() -> SchemaAssert.assertValid("article", event)).doesNotThrowAnyException();
  }

  @Test
  void shouldAcceptARawWireItemWithEveryEntryField() {
    ParsedEntry entry =
        new ParsedEntry(
            LINK,
            true,
            "Türkiye and Azerbaijan open Kars–Nakhchivan railway",
            LINK + "?utm_source=rss",
            List.of(LINK + "?utm_source=rss"),
            "<p>The 224-km line opened on Monday.</p>",
            "<p>Body.</p>",
            List.of("TRT World and Agencies"),
            List.of(
                new ParsedEntry.Category("Türkiye", null, null),
                new ParsedEntry.Category(
                    "business", "https://www.trtworld.com/section", "Business")),
            "Mon, 30 Nov 2026 07:45:00 +0000",
            PUBLISHED,
            "2026-11-30T08:00:00Z",
            Instant.parse("2026-11-30T08:00:00Z"),
            List.of(
                new ParsedEntry.Enclosure(
                    "https://cdn-i.trtworld.com/kars.jpg",
                    "image/jpeg",
                    284113L,
                    "image",
                    1200,
                    675,
                    "A freight train near Kars.",
                    "media:content")),
            "en",
            "© TRT World",
            null,
            "https://www.trtworld.com/");
    RawWireItem item = rawItem(entry);

    assertThatCode(() -> SchemaAssert.assertValid("raw-item", item)).doesNotThrowAnyException();
  }

  @Test
  void shouldAcceptARawWireItemWhoseEntryHasOnlyATitle() {
    ParsedEntry entry =
        new ParsedEntry(
            null,
            null,
            "Markets steady",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);

    assertThatCode(() -> SchemaAssert.assertValid("raw-item", rawItem(entry)))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldAcceptTheStateOfAFeedNeverFetched() {
    assertThatCode(
            () ->
                SchemaAssert.assertValid(
                    "feed-state", FeedState.initial("trtworld-world", FEED_URL)))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldAcceptTheStateOfAFeedAfterFetches() {
    FeedState state =
        FeedState.initial("trtworld-world", FEED_URL).toBuilder()
            .etag("W/\"6749c2f3-1a2b\"")
            .lastModified("Mon, 30 Nov 2026 08:00:00 GMT")
            .bodySha256(SHA_A)
            .entries(Map.of(ITEM_KEY, SHA_B))
            .firstSeen(Map.of(ITEM_KEY, FETCHED))
            .lastFetchAt(FETCHED)
            .lastSuccessAt(FETCHED)
            .lastNewEntryAt(FETCHED)
            .consecutiveErrors(2)
            .lastError("timeout: no response within 10000 ms")
            .nextPollAt(FETCHED.plusSeconds(120))
            .build();

    assertThatCode(() -> SchemaAssert.assertValid("feed-state", state)).doesNotThrowAnyException();
  }

  @Test
  void shouldAcceptTheStateOfAFeedWithRefreshHintCadenceAndDegradedIdentity() {
    assertThatCode(() -> SchemaAssert.assertValid("feed-state", degradedState()))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldReadBackEveryFieldOfAFeedStateItWrote() throws Exception {
    FeedState state = degradedState();

    assertThat(Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(state), FeedState.class))
        .isEqualTo(state);
  }

  private static FeedState degradedState() {
    return FeedState.initial("trtworld-world", FEED_URL).toBuilder()
        .bodySha256(SHA_A)
        .entries(Map.of(ITEM_KEY, SHA_B))
        .firstSeen(Map.of(ITEM_KEY, FETCHED))
        .lastFetchAt(FETCHED)
        .lastSuccessAt(FETCHED)
        .lastNewEntryAt(FETCHED)
        .nextPollAt(FETCHED.plusSeconds(1200))
        .ttlMinutes(20)
        .cadenceSeconds(1260L)
        .identityBasis("link")
        .identityReason("12 of 40 GUIDs unusable (30%): 12 equal to the channel link")
        .build();
  }

  @Test
  void shouldAcceptADeadLetterOfAKafkaRecord() {
    String value = "{\"schemaVersion\":1,";
    DeadLetter deadLetter =
        new DeadLetter(
            "deserialize",
            "com.fasterxml.jackson.core.io.JsonEOFException",
            "Unexpected end-of-input",
            "wire.raw-items.v1",
            3,
            184470L,
            "trtworld-world/" + ITEM_KEY,
            value.getBytes(StandardCharsets.UTF_8).length,
            Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)),
            value,
            FETCHED);

    assertThatCode(() -> SchemaAssert.assertValid("dead-letter", deadLetter))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldAcceptADeadLetterNotFromKafka() {
    DeadLetter deadLetter =
        new DeadLetter(
            "poll",
            "entry-without-identity",
            "entry 7 has no guid, no link and no title",
            null,
            -1,
            -1L,
            null,
            null,
            null,
            null,
            FETCHED);

    assertThatCode(() -> SchemaAssert.assertValid("dead-letter", deadLetter))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldAcceptAFetchLogRecord() {
    FetchLogRecord ok =
        new FetchLogRecord(
            "trtworld-world", FEED_URL, FETCHED, 611L, 200, "ok", 148213L, 100, 2, null);
    FetchLogRecord timeout =
        new FetchLogRecord(
            "trtworld-world", FEED_URL, FETCHED, 10000L, 0, "timeout", 0L, null, 0, "no response");

    assertThatCode(
            () -> {
              SchemaAssert.assertValid("fetch-log", ok);
              SchemaAssert.assertValid("fetch-log", timeout);
            })
        .doesNotThrowAnyException();
  }

  @Test
  void shouldFailListingEveryViolationOfTheSchema() {
    ArticleEvent broken = article(0, "deleted");

    assertThatThrownBy(() -> SchemaAssert.assertValid("article", broken))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("2 violation(s)")
        .hasMessageContaining("/version")
        .hasMessageContaining("/changeType");
  }

  @Test
  void shouldRejectAnUnknownSchemaName() {
    assertThatThrownBy(
            () -> SchemaAssert.validationMessages("no-such", Json.MAPPER.createObjectNode()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/schemas/no-such.schema.json");
  }

  private static ArticleEvent article(int version, String changeType) {
    return new ArticleEvent(
        "urn:wire:trtworld:5d41402abc4b2a76b9719d911017c592",
        version,
        changeType,
        "usable",
        "text",
        PUBLISHED,
        PUBLISHED,
        "en",
        "Türkiye and Azerbaijan open Kars–Nakhchivan railway",
        "TRT World and Agencies",
        "The 224-km line links eastern Türkiye with the Nakhchivan exclave.",
        "Türkiye and Azerbaijan on Monday inaugurated a 224-kilometre railway line.",
        "<p>Türkiye and Azerbaijan on Monday inaugurated a 224-kilometre railway line.</p>",
        List.of(
            new ArticleEvent.Subject("Türkiye", null, null),
            new ArticleEvent.Subject("Business", null, "https://www.trtworld.com/section")),
        List.of(
            new ArticleEvent.Association(
                "media-1",
                "picture",
                "https://cdn-i.trtworld.com/kars.jpg",
                "A freight train near Kars.",
                List.of(
                    new ArticleEvent.Rendition(
                        "original",
                        "https://cdn-i.trtworld.com/kars.jpg",
                        "image/jpeg",
                        1200,
                        675,
                        284113L),
                    new ArticleEvent.Rendition(
                        "thumbnail",
                        "https://cdn-i.trtworld.com/kars-320.jpg",
                        null,
                        320,
                        180,
                        null)))),
        LINK,
        LINK + "?utm_source=rss",
        SHA_A,
        new ArticleEvent.Source("trtworld-world", "TRT World — World", "trtworld", FEED_URL),
        FETCHED,
        new ArticleEvent.Lineage("wire.raw-items.v1", 3, 184467L, "trtworld-world/" + ITEM_KEY),
        List.of("future-date-clamped"));
  }

  private static RawWireItem rawItem(ParsedEntry entry) {
    return new RawWireItem(
        1,
        new RawWireItem.Source(
            "trtworld-world", "TRT World — World", "trtworld", FEED_URL, "en", "auto"),
        ITEM_KEY,
        new RawWireItem.Identity("guid", LINK),
        new RawWireItem.Fetch(
            FETCHED,
            FEED_URL,
            200,
            "W/\"6749c2f3-1a2b\"",
            "Mon, 30 Nov 2026 08:00:00 GMT",
            "application/rss+xml; charset=utf-8",
            SHA_A),
        new RawWireItem.Feed("rss_2.0", "TRT World", "https://www.trtworld.com", "en"),
        entry,
        SHA_B,
        FETCHED);
  }
}
