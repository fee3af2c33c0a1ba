package org.wireingest.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.Hashes;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;
import org.wireingest.poll.FetchLogBodies;

class ReparserTest {

  private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
  private static final FeedSource WORLD = Feeds.source("wire-world", "wire");
  private static final String PUBLISHED = "Mon, 30 Nov 2026 06:00:00 GMT";
  private static final String TWO =
      Feeds.rss(
          Feeds.item("g-1", "Talks resume", PUBLISHED, null),
          Feeds.item("g-2", "Markets rally", PUBLISHED, null));

  private final Reparser reparser = new Reparser(new FeedParser(), Map.of(WORLD.id(), WORLD));

  private static FetchLogRecord fetched(String body, Instant startedAt, String outcome) {
    byte[] bytes = body.getBytes(UTF_8);
    return new FetchLogRecord(
        WORLD.id(),
        WORLD.url().toString(),
        startedAt,
        120,
        200,
        outcome,
        bytes.length,
        null,
        0,
        null,
        "application/rss+xml; charset=utf-8",
        Hashes.sha256Hex(bytes),
        FetchLogBodies.capture(bytes, FetchLogBodies.DEFAULT_MAX_COMPRESSED_BYTES));
  }

  private static List<RawWireItem> items(Reparser.Result result) {
    assertThat(result).isInstanceOf(Reparser.Result.Items.class);
    return ((Reparser.Result.Items) result).items();
  }

  @Test
  void shouldMakeTheRawItemsThePollerMakes() {
    List<RawWireItem> reparsed = items(reparser.apply(fetched(TWO, T0, "ok")));

    assertThat(reparsed)
        .extracting(RawWireItem::itemKey)
        .containsExactlyElementsOf(
            Feeds.rawItems(WORLD, TWO, T0).stream().map(RawWireItem::itemKey).toList());
    assertThat(reparsed)
        .extracting(RawWireItem::entryHash)
        .containsExactlyElementsOf(
            Feeds.rawItems(WORLD, TWO, T0).stream().map(RawWireItem::entryHash).toList());
  }

  @Test
  void shouldDateTheItemsAtTheEndOfTheFetch() {
    RawWireItem first = items(reparser.apply(fetched(TWO, T0, "ok"))).get(0);

    assertThat(first.fetch().fetchedAt()).isEqualTo(T0.plusMillis(120));
    assertThat(first.firstSeenAt()).isEqualTo(T0.plusMillis(120));
  }

  @Test
  void shouldParseABodyWhoseLiveParseFailed() {
    assertThat(items(reparser.apply(fetched(TWO, T0, "malformed-xml")))).hasSize(2);
  }

  @Test
  void shouldNotRepeatAnEntryUnchangedSinceThePreviousStoredBody() {
    reparser.apply(fetched(TWO, T0, "ok"));
    String edited =
        Feeds.rss(
            Feeds.item("g-1", "Talks resume in Doha", PUBLISHED, null),
            Feeds.item("g-2", "Markets rally", PUBLISHED, null));

    List<RawWireItem> second = items(reparser.apply(fetched(edited, T0.plusSeconds(300), "ok")));

    assertThat(second)
        .singleElement()
        .satisfies(item -> assertThat(item.entry().title()).isEqualTo("Talks resume in Doha"));
  }

  // From a review: the re-parse forgot a feed's degraded identity basis between bodies, so the next
  // body published every entry again under GUID item keys, where the poller kept them on links.
  @Test
  void shouldKeepTheDegradedIdentityBasisFromOneBodyToTheNextLikeThePoller() {
    List<String> good = new ArrayList<>();
    for (int i = 0; i < 18; i++) {
      good.add(Feeds.item("g-" + i, "Story " + i, PUBLISHED, null));
    }
    List<String> first = new ArrayList<>(good);
    first.add(
        Feeds.item(" ", "Blank one", PUBLISHED, null)
            .replace("https://wire.example/a/ ", "https://wire.example/a/blank-1"));
    first.add(
        Feeds.item(" ", "Blank two", PUBLISHED, null)
            .replace("https://wire.example/a/ ", "https://wire.example/a/blank-2"));
    List<String> second = new ArrayList<>(good);
    second.add(Feeds.item("g-new", "New story", PUBLISHED, null));

    List<RawWireItem> r1 =
        items(reparser.apply(fetched(Feeds.rss(first.toArray(String[]::new)), T0, "ok")));
    List<RawWireItem> r2 =
        items(
            reparser.apply(
                fetched(Feeds.rss(second.toArray(String[]::new)), T0.plusSeconds(300), "ok")));

    assertThat(r1).extracting(i -> i.identity().basis()).containsOnly("link");
    assertThat(r2)
        .extracting(i -> i.entry().title() + " " + i.identity().basis())
        .containsExactly("New story link");
  }

  @Test
  void shouldTellABodyFetchedFromAnotherUrlThanTheListedOne() {
    FetchLogRecord fetch = fetched(TWO, T0, "ok");
    FeedSource moved = TestFeeds.from(WORLD).url("https://moved.example/feed.xml").build();
    FeedSource withKey =
        TestFeeds.from(WORLD).url("https://moved.example/feed.xml?key=s3cret").build();
    FetchLogRecord fetchedWithKey =
        new FetchLogRecord(
            WORLD.id(),
            "https://moved.example/feed.xml?key=***",
            T0,
            120,
            200,
            "ok",
            0,
            null,
            0,
            null);

    assertThat(Reparser.fromOtherUrl(fetch, WORLD)).isFalse();
    assertThat(Reparser.fromOtherUrl(fetch, moved)).isTrue();
    assertThat(Reparser.fromOtherUrl(fetchedWithKey, withKey))
        .as("compared as the fetch log writes the URL: secrets masked")
        .isFalse();
  }

  @Test
  void shouldSkipAFetchThatStoredNoBody() {
    FetchLogRecord notModified =
        new FetchLogRecord(
            WORLD.id(), WORLD.url().toString(), T0, 40, 304, "not-modified", 0, null, 0, null);

    assertThat(reparser.apply(notModified))
        .isInstanceOfSatisfying(
            Reparser.Result.Skipped.class,
            s -> assertThat(s.reason()).isEqualTo(Reparser.Reason.NO_BODY));
  }

  @Test
  void shouldSkipASourceNoLongerInTheFeedsList() {
    Reparser withoutSources = new Reparser(new FeedParser(), Map.of());

    assertThat(withoutSources.apply(fetched(TWO, T0, "ok")))
        .isInstanceOfSatisfying(
            Reparser.Result.Skipped.class,
            s -> assertThat(s.reason()).isEqualTo(Reparser.Reason.UNKNOWN_SOURCE));
  }

  @Test
  void shouldReportABodyTheCurrentParserStillRejects() {
    assertThat(reparser.apply(fetched("<html><body>Maintenance</body></html>", T0, "not-a-feed")))
        .isInstanceOfSatisfying(
            Reparser.Result.Skipped.class,
            s -> {
              assertThat(s.reason()).isEqualTo(Reparser.Reason.PARSE_FAILED);
              assertThat(s.detail()).startsWith("not-a-feed");
            });
  }

  @Test
  void shouldRefuseABodyThatDoesNotMatchItsHash() {
    FetchLogRecord f = fetched(TWO, T0, "ok");
    FetchLogRecord tampered =
        new FetchLogRecord(
            f.sourceId(),
            f.url(),
            f.startedAt(),
            f.durationMs(),
            f.status(),
            f.outcome(),
            f.bytes(),
            f.entries(),
            f.published(),
            f.message(),
            f.contentType(),
            "00".repeat(32),
            f.body());

    assertThat(reparser.apply(tampered))
        .isInstanceOfSatisfying(
            Reparser.Result.Skipped.class,
            s -> assertThat(s.reason()).isEqualTo(Reparser.Reason.BODY_MISSING));
  }
}
