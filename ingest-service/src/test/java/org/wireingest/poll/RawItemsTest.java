package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wireingest.normalize.EntryFixtures.entry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.config.TestFeeds;
import org.wireingest.dedup.Digests;
import org.wireingest.dedup.IdentityResolver;
import org.wireingest.model.FeedState;
import org.wireingest.model.Hashes;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.EntryFixtures;
import org.wireingest.parse.ParseWarning;
import org.wireingest.parse.ParsedEntry;
import org.wireingest.parse.ParsedFeed;
import org.wireingest.testing.SchemaAssert;

class RawItemsTest {

  private static final Instant FIRST_POLL = Instant.parse("2026-11-30T08:00:00Z");
  private static final Instant SECOND_POLL = Instant.parse("2026-11-30T08:02:00Z");
  private static final FeedSource SOURCE =
      TestFeeds.feed("trtworld-world")
          .name("TRT World — World")
          .agency("trtworld")
          .url("https://desk:s3cret@www.trtworld.com/feed/rss.xml")
          .interval(Duration.ofMinutes(2))
          .build();
  private static final FeedState INITIAL =
      FeedState.initial(SOURCE.id(), "https://www.trtworld.com/feed/rss.xml");

  private static RawWireItem.Fetch fetch(Instant at) {
    return new RawWireItem.Fetch(
        at,
        "https://www.trtworld.com/feed/rss.xml",
        200,
        "\"v1\"",
        null,
        "application/rss+xml",
        "ab".repeat(32));
  }

  private static ParsedFeed feed(ParsedEntry... entries) {
    return new ParsedFeed(
        "rss_2.0",
        "UTF-8",
        "TRT World",
        "https://www.trtworld.com",
        "en",
        null,
        List.of(entries),
        List.of());
  }

  private static EntryFixtures.EntryBuilder story(int n) {
    return entry()
        .guid("https://www.trtworld.com/article/" + n)
        .title("Story " + n)
        .link("https://www.trtworld.com/article/" + n)
        .description("Summary of story " + n)
        .published(String.format(Locale.ROOT, "2026-11-30T07:%02d:00Z", n));
  }

  private static RawItems.Plan plan(ParsedFeed feed, FeedState state, Instant now) {
    return RawItems.plan(SOURCE, fetch(now), feed, state, now);
  }

  /** The state a poller stores after publishing {@code plan}. */
  private static FeedState stateAfter(RawItems.Plan plan) {
    return FeedState.initial(SOURCE.id(), INITIAL.feedUrl()).toBuilder()
        .entries(plan.entries())
        .firstSeen(plan.firstSeen())
        .build();
  }

  /**
   * Found in a hostile test: every raw item carries the feed's title, link and language, so a 500
   * KB channel title made 240 MB of raw items per poll of 500 entries.
   */
  @Test
  void shouldCutATitleAndLeaveOutALinkOrLanguageLongerThanAnyRealOneWithAWarning() {
    ParsedFeed hostile =
        new ParsedFeed(
            "rss_2.0",
            "UTF-8",
            "T".repeat(500_000),
            "https://www.trtworld.com/" + "l".repeat(RawItems.MAX_FEED_LINK_CHARS),
            "en-" + "x".repeat(200),
            null,
            List.of(story(1).build(), story(2).build()),
            List.of());

    RawItems.Plan plan = plan(hostile, INITIAL, FIRST_POLL);

    assertThat(plan.toPublish())
        .hasSize(2)
        .allSatisfy(
            item -> {
              assertThat(item.feed().title())
                  .hasSize(RawItems.MAX_FEED_TITLE_CHARS + "…(500000 characters)".length())
                  .endsWith("T…(500000 characters)");
              assertThat(item.feed().link()).isNull();
              assertThat(item.feed().language()).isNull();
            });
    assertThat(plan.warnings())
        .extracting(w -> w.kind(), w -> w.detail())
        .containsExactly(
            Tuple.tuple(RawItems.FEED_FIELD_TOO_LONG, "feed title of 500000 characters, over 1000"),
            Tuple.tuple(RawItems.FEED_FIELD_TOO_LONG, "feed link of 8025 characters, over 8000"),
            Tuple.tuple(RawItems.FEED_FIELD_TOO_LONG, "feed language of 203 characters, over 100"));
  }

  @Test
  void shouldPublishEveryEntryOnTheFirstPoll() {
    RawItems.Plan plan =
        plan(feed(story(1).build(), story(2).build(), story(3).build()), INITIAL, FIRST_POLL);

    assertThat(plan.toPublish())
        .extracting(i -> i.entry().title())
        .containsExactly("Story 1", "Story 2", "Story 3");
    assertThat(plan.entriesSeen()).isEqualTo(3);
    assertThat(plan.unchanged()).isZero();
    assertThat(plan.toPublish()).allSatisfy(i -> assertThat(i.firstSeenAt()).isEqualTo(FIRST_POLL));
  }

  @Test
  void shouldRecordEveryPublishedItemKeyWithItsEntryHashAndFirstSeen() {
    RawItems.Plan plan = plan(feed(story(1).build(), story(2).build()), INITIAL, FIRST_POLL);

    Map<String, String> expected = new HashMap<>();
    plan.toPublish().forEach(i -> expected.put(i.itemKey(), i.entryHash()));
    assertThat(plan.entries()).isEqualTo(expected);
    assertThat(plan.firstSeen())
        .containsOnlyKeys(expected.keySet())
        .allSatisfy((k, v) -> assertThat(v).isEqualTo(FIRST_POLL));
  }

  @Test
  void shouldDescribeSourceFetchAndFeedInEveryItemWithoutCredentials() {
    RawWireItem item = plan(feed(story(1).build()), INITIAL, FIRST_POLL).toPublish().get(0);

    assertThat(item.schemaVersion()).isEqualTo(1);
    assertThat(item.source())
        .isEqualTo(
            new RawWireItem.Source(
                "trtworld-world",
                "TRT World — World",
                "trtworld",
                "https://www.trtworld.com/feed/rss.xml",
                "en",
                "auto"));
    assertThat(item.fetch()).isEqualTo(fetch(FIRST_POLL));
    assertThat(item.feed())
        .isEqualTo(new RawWireItem.Feed("rss_2.0", "TRT World", "https://www.trtworld.com", "en"));
    assertThat(item.identity())
        .isEqualTo(
            new RawWireItem.Identity(IdentityResolver.GUID, "https://www.trtworld.com/article/1"));
    assertThat(item.itemKey()).matches("[0-9a-f]{32}");
    assertThat(item.entryHash()).isEqualTo(RawItems.entryHash(item.entry()));
    SchemaAssert.assertValid("raw-item", item);
  }

  @Test
  void shouldSkipEntriesPublishedUnchanged() {
    ParsedFeed feed = feed(story(1).build(), story(2).build());
    RawItems.Plan first = plan(feed, INITIAL, FIRST_POLL);

    RawItems.Plan second = plan(feed, stateAfter(first), SECOND_POLL);

    assertThat(second.toPublish()).isEmpty();
    assertThat(second.unchanged()).isEqualTo(2);
    assertThat(second.entries()).isEqualTo(first.entries());
    assertThat(second.firstSeen()).isEqualTo(first.firstSeen());
  }

  @Test
  void shouldRepublishChangedEntryWithTheSameItemKeyAndItsOriginalFirstSeen() {
    RawItems.Plan first = plan(feed(story(1).build(), story(2).build()), INITIAL, FIRST_POLL);
    RawWireItem original = first.toPublish().get(0);

    RawItems.Plan second =
        plan(
            feed(
                story(1).title("Story 1, updated with casualty figures").build(), story(2).build()),
            stateAfter(first),
            SECOND_POLL);

    assertThat(second.toPublish())
        .singleElement()
        .satisfies(
            changed -> {
              assertThat(changed.itemKey()).isEqualTo(original.itemKey());
              assertThat(changed.firstSeenAt()).isEqualTo(FIRST_POLL);
              assertThat(changed.entryHash()).isNotEqualTo(original.entryHash());
              assertThat(changed.fetch().fetchedAt()).isEqualTo(SECOND_POLL);
            });
    assertThat(second.unchanged()).isEqualTo(1);
    assertThat(second.entries())
        .containsEntry(original.itemKey(), second.toPublish().get(0).entryHash());
  }

  /**
   * The link-identity migration of 2026-12 (Reuters' {@code feedName} became a tracking parameter):
   * a feed listed with {@code identity: link} whose state was written before it holds the item key
   * of each story's link in its canonical form of then, {@code feedName} kept. Those stories keep
   * that item key (so their {@code uri}) and first-seen time, unchanged or edited; the unchanged
   * one is published once more (its entry hash, of canonical links, changed: the normalizer counts
   * it a {@code same-fingerprint} duplicate) and then no more; a new story takes the canonical link
   * without {@code feedName}.
   */
  @Test
  void shouldKeepTheItemKeyOfEntriesPublishedUnderTheirEarlierCanonicalLink() throws Exception {
    FeedSource byLink =
        TestFeeds.feed("reuters-topnews")
            .name("Reuters — Top News")
            .agency("reuters")
            .url("https://feeds.reuters.com/reuters/topNews")
            .interval(Duration.ofMinutes(2))
            .identity(IdentityPolicy.LINK)
            .build();
    String link =
        "http://www.reuters.com/article/story-idUSKBN1JI1A9?feedType=RSS&feedName=topNews";
    ParsedEntry published = story(1).guid(null).link(link).build();
    String oldKey = Digests.identityHash(new RawWireItem.Identity("link", link));
    // The entry hash of then: its link was canonical already, so the entry as parsed.
    String oldHash = Hashes.sha256Hex(Json.MAPPER.writeValueAsBytes(published));
    FeedState before =
        INITIAL.toBuilder()
            .entries(Map.of(oldKey, oldHash))
            .firstSeen(Map.of(oldKey, FIRST_POLL))
            .build();

    RawItems.Plan unchanged =
        RawItems.plan(byLink, fetch(SECOND_POLL), feed(published), before, SECOND_POLL);
    RawItems.Plan edited =
        RawItems.plan(
            byLink,
            fetch(SECOND_POLL),
            feed(story(1).guid(null).link(link).title("Story 1, updated").build()),
            before,
            SECOND_POLL);
    String freshLink = "http://www.reuters.com/article/two-idUSKBN1JJ0IN?feedName=topNews";
    RawItems.Plan fresh =
        RawItems.plan(
            byLink,
            fetch(SECOND_POLL),
            feed(story(2).guid(null).link(freshLink).build()),
            before,
            SECOND_POLL);

    assertThat(unchanged.toPublish())
        .singleElement()
        .extracting(RawWireItem::itemKey)
        .isEqualTo(oldKey);
    assertThat(
            RawItems.plan(
                    byLink, fetch(SECOND_POLL), feed(published), stateAfter(unchanged), SECOND_POLL)
                .toPublish())
        .isEmpty();
    assertThat(edited.toPublish())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.itemKey()).isEqualTo(oldKey);
              assertThat(item.identity()).isEqualTo(new RawWireItem.Identity("link", link));
              assertThat(item.firstSeenAt()).isEqualTo(FIRST_POLL);
            });
    assertThat(fresh.toPublish())
        .singleElement()
        .extracting(RawWireItem::identity)
        .isEqualTo(
            new RawWireItem.Identity("link", "http://www.reuters.com/article/two-idUSKBN1JJ0IN"));
  }

  /**
   * The identity migration of 2026-12 (GUIDs that are URLs are canonical in identities): a feed
   * state written before it holds the item key of each entry's GUID as given ({@code ?maca=...}).
   * Those entries are neither published again nor given another item key (so another {@code uri});
   * a new entry takes the canonical GUID.
   */
  @Test
  void shouldNeitherRepublishNorRekeyEntriesPublishedUnderTheirGuidAsGiven() {
    String dw = "https://www.dw.com/en/story-one/a-78101422?maca=en-rss-en-all-1573-rdf";
    ParsedEntry published = story(1).guid(dw).build();
    String oldKey = Digests.identityHash(new RawWireItem.Identity("guid", dw));
    FeedState before =
        INITIAL.toBuilder()
            .entries(Map.of(oldKey, RawItems.entryHash(published)))
            .firstSeen(Map.of(oldKey, FIRST_POLL))
            .build();

    RawItems.Plan unchanged = plan(feed(published), before, SECOND_POLL);
    RawItems.Plan edited =
        plan(feed(story(1).guid(dw).title("Story 1, updated").build()), before, SECOND_POLL);
    RawItems.Plan fresh =
        plan(
            feed(
                story(2).guid("https://www.dw.com/en/two/a-2?maca=en-rss-en-all-1573-rdf").build()),
            before,
            SECOND_POLL);

    assertThat(unchanged.toPublish()).isEmpty();
    assertThat(unchanged.unchanged()).isEqualTo(1);
    assertThat(edited.toPublish())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.itemKey()).isEqualTo(oldKey);
              assertThat(item.identity()).isEqualTo(new RawWireItem.Identity("guid", dw));
              assertThat(item.firstSeenAt()).isEqualTo(FIRST_POLL);
            });
    assertThat(fresh.toPublish())
        .singleElement()
        .extracting(RawWireItem::identity)
        .isEqualTo(new RawWireItem.Identity("guid", "https://www.dw.com/en/two/a-2"));
  }

  /**
   * Found in a soak run: a feed writing a new {@code utm_*} value into every link at every fetch
   * had all its entries republished at every poll, though no article changed.
   */
  @Test
  void shouldSkipAnEntryWhoseLinkChangedOnlyInTrackingParametersOrFragment() {
    ParsedEntry tagged =
        story(1)
            .guid("trt-1")
            .link("https://www.trtworld.com/article/1?utm_source=rss&utm_campaign=0800")
            .build();
    RawItems.Plan first = plan(feed(tagged), INITIAL, FIRST_POLL);

    ParsedEntry retagged =
        story(1)
            .guid("trt-1")
            .link("https://WWW.trtworld.com:443/article/1?utm_source=rss&utm_campaign=0802#top")
            .build();
    RawItems.Plan second = plan(feed(retagged), stateAfter(first), SECOND_POLL);

    assertThat(second.toPublish()).isEmpty();
    assertThat(second.unchanged()).isEqualTo(1);
  }

  /**
   * FeedBurner's {@code origLink} is a link like the others: a change only in its tracking
   * parameters republishes nothing.
   */
  @Test
  void shouldSkipAnEntryWhoseOrigLinkChangedOnlyInTrackingParameters() {
    ParsedEntry tagged =
        story(1)
            .guid("trt-1")
            .origLink("https://www.trtworld.com/article/1?utm_source=feedburner&utm_medium=feed")
            .build();
    RawItems.Plan first = plan(feed(tagged), INITIAL, FIRST_POLL);

    ParsedEntry retagged =
        story(1)
            .guid("trt-1")
            .origLink("https://www.trtworld.com/article/1?utm_source=feedburner&utm_medium=email")
            .build();
    RawItems.Plan second = plan(feed(retagged), stateAfter(first), SECOND_POLL);

    assertThat(second.toPublish()).isEmpty();
    assertThat(second.unchanged()).isEqualTo(1);
  }

  @Test
  void shouldRepublishAnEntryWhoseLinkChangedBeyondItsCanonicalForm() {
    RawItems.Plan first =
        plan(
            feed(story(1).guid("trt-1").link("https://www.trtworld.com/article/1?id=7").build()),
            INITIAL,
            FIRST_POLL);

    RawItems.Plan second =
        plan(
            feed(story(1).guid("trt-1").link("https://www.trtworld.com/article/1?id=8").build()),
            stateAfter(first),
            SECOND_POLL);

    assertThat(second.toPublish())
        .singleElement()
        .satisfies(i -> assertThat(i.entry().link()).endsWith("?id=8"));
  }

  /**
   * Upgrading must not republish every entry of every feed: an entry whose links are canonical
   * keeps the hash of its JSON form as given, the rule before tracking parameters were left out.
   */
  @Test
  void shouldHashAnEntryWithCanonicalLinksAsItsJsonFormAsGiven() throws Exception {
    ParsedEntry canonical = story(1).build();
    ParsedEntry tagged = story(1).link("https://www.trtworld.com/article/1?utm_medium=rss").build();

    assertThat(RawItems.entryHash(canonical))
        .isEqualTo(Hashes.sha256Hex(Json.MAPPER.writeValueAsBytes(canonical)));
    assertThat(RawItems.entryHash(tagged)).isEqualTo(RawItems.entryHash(canonical));
    assertThat(RawItems.entryHash(tagged))
        .isNotEqualTo(Hashes.sha256Hex(Json.MAPPER.writeValueAsBytes(tagged)));
  }

  @Test
  void shouldGiveANewEntryOfALaterPollThatPollAsFirstSeen() {
    RawItems.Plan first = plan(feed(story(1).build()), INITIAL, FIRST_POLL);

    RawItems.Plan second =
        plan(feed(story(2).build(), story(1).build()), stateAfter(first), SECOND_POLL);

    assertThat(second.toPublish())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.entry().title()).isEqualTo("Story 2");
              assertThat(i.firstSeenAt()).isEqualTo(SECOND_POLL);
            });
  }

  @Test
  void shouldPublishOnlyTheNewestOfEntriesSharingGuidAndLink() {
    ParsedEntry older =
        story(1).title("Quake hits eastern province").updated("2026-11-30T07:10:00Z").build();
    ParsedEntry newer =
        story(1)
            .title("Quake hits eastern province, 12 dead")
            .updated("2026-11-30T07:40:00Z")
            .build();

    RawItems.Plan plan = plan(feed(older, newer), INITIAL, FIRST_POLL);

    assertThat(plan.entriesSeen()).isEqualTo(2);
    assertThat(plan.toPublish())
        .singleElement()
        .satisfies(i -> assertThat(i.entry()).isEqualTo(newer));
    assertThat(plan.entries()).hasSize(1);
  }

  @Test
  void shouldKeepEntriesSharingAGuidButPointingToDifferentLinksApart() {
    ParsedEntry a =
        story(1).guid("urn:cms:item").link("https://www.trtworld.com/article/1").build();
    ParsedEntry b =
        story(2).guid("urn:cms:item").link("https://www.trtworld.com/article/2").build();
    List<ParsedEntry> entries = new ArrayList<>(List.of(a, b));
    // 2 shared GUIDs in 40 entries: 5 %, not above the share that degrades auto identity feed-wide
    for (int n = 3; n <= 40; n++) {
      entries.add(
          entry()
              .guid("urn:cms:item-" + n)
              .title("Story " + n)
              .link("https://www.trtworld.com/article/" + n)
              .build());
    }

    RawItems.Plan plan = plan(feed(entries.toArray(ParsedEntry[]::new)), INITIAL, FIRST_POLL);

    assertThat(plan.toPublish().subList(0, 2))
        .extracting(i -> i.identity().basis())
        .containsOnly(IdentityResolver.GUID_AND_LINK);
    assertThat(plan.toPublish())
        .extracting(RawWireItem::itemKey)
        .hasSize(40)
        .doesNotHaveDuplicates();
  }

  @Test
  void shouldBoundRememberedEntriesKeepingTheDocumentsEntriesAndDroppingTheOldestOthers() {
    // The document's first entry was first seen before everything else remembered: oldest, yet
    // current.
    ParsedEntry current = story(1).build();
    RawItems.Plan seed = plan(feed(current), INITIAL, Instant.parse("2026-01-01T00:00:00Z"));
    String currentKey = seed.toPublish().get(0).itemKey();
    Map<String, String> entries = new HashMap<>(seed.entries());
    Map<String, Instant> firstSeen = new HashMap<>(seed.firstSeen());
    for (int i = 1; i < RawItems.MAX_REMEMBERED_ENTRIES; i++) {
      String key = String.format(Locale.ROOT, "%032x", i);
      entries.put(key, "ff".repeat(32));
      firstSeen.put(key, Instant.parse("2026-06-01T00:00:00Z").plusSeconds(i));
    }
    FeedState full =
        FeedState.initial(SOURCE.id(), INITIAL.feedUrl()).toBuilder()
            .entries(entries)
            .firstSeen(firstSeen)
            .build();
    assertThat(full.entries()).hasSize(RawItems.MAX_REMEMBERED_ENTRIES);

    RawItems.Plan plan =
        plan(
            feed(current, story(2).build(), story(3).build(), story(4).build()), full, SECOND_POLL);

    assertThat(plan.toPublish()).hasSize(3);
    assertThat(plan.entries()).hasSize(RawItems.MAX_REMEMBERED_ENTRIES);
    assertThat(plan.entries()).containsKey(currentKey);
    assertThat(plan.entries())
        .containsKeys(plan.toPublish().stream().map(RawWireItem::itemKey).toArray(String[]::new));
    assertThat(plan.entries()).doesNotContainKeys(hex(1), hex(2), hex(3)).containsKey(hex(4));
    assertThat(plan.firstSeen().keySet()).isEqualTo(plan.entries().keySet());
  }

  private static String hex(int i) {
    return String.format(Locale.ROOT, "%032x", i);
  }

  @Test
  void shouldWarnOnceWhenAutoIdentityDegrades() {
    ParsedFeed sharedGuids =
        feed(
            story(1).guid("https://www.trtworld.com").build(),
            story(2).guid("https://www.trtworld.com").build());

    RawItems.Plan first = plan(sharedGuids, INITIAL, FIRST_POLL);
    FeedState degraded =
        FeedState.initial(SOURCE.id(), INITIAL.feedUrl()).toBuilder()
            .entries(first.entries())
            .firstSeen(first.firstSeen())
            .identityBasis(first.identity().basis())
            .identityReason(first.identity().reason())
            .build();
    RawItems.Plan second = plan(sharedGuids, degraded, SECOND_POLL);

    assertThat(first.warnings())
        .extracting(w -> w.kind())
        .containsExactly(RawItems.IDENTITY_DEGRADED);
    assertThat(first.warnings().get(0).detail()).endsWith("auto identity now uses link");
    assertThat(second.warnings()).isEmpty();
    assertThat(second.identity()).isEqualTo(first.identity());
  }

  // Found in a consumer test: two new entries without a GUID degraded the feed to link identity,
  // and every story it had published was published again under a new uri.
  @Test
  void shouldNotRepublishTheFeedsStoriesWhenItsIdentityDegrades() {
    RawItems.Plan first =
        plan(
            feed(
                story(1).build(),
                story(2).build(),
                story(3).build(),
                story(4).build(),
                story(5).build()),
            INITIAL,
            FIRST_POLL);
    FeedState afterFirst = stateAfter(first);

    RawItems.Plan second =
        plan(
            feed(
                story(1).build(),
                story(2).build(),
                story(3).build(),
                story(4).build(),
                story(5).build(),
                story(6).guid(null).build(),
                story(7).guid(" ").build()),
            afterFirst,
            SECOND_POLL);

    assertThat(second.identity().basis()).as("2 of 7 GUIDs missing: degraded").isEqualTo("link");
    assertThat(second.toPublish())
        .extracting(i -> i.entry().title())
        .containsExactly("Story 6", "Story 7");
    assertThat(second.toPublish()).extracting(i -> i.identity().basis()).containsOnly("link");
    assertThat(second.unchanged()).isEqualTo(5);
    assertThat(second.entries()).containsAllEntriesOf(first.entries());
    RawItems.Plan third =
        plan(
            feed(story(1).title("Story 1, edited").build(), story(8).build()),
            FeedState.initial(SOURCE.id(), INITIAL.feedUrl()).toBuilder()
                .entries(second.entries())
                .firstSeen(second.firstSeen())
                .identityBasis(second.identity().basis())
                .identityReason(second.identity().reason())
                .build(),
            SECOND_POLL.plusSeconds(120));
    assertThat(third.toPublish())
        .extracting(i -> i.entry().title() + " " + i.identity().basis())
        .as("a published story's edit keeps its GUID identity; a new story takes the link")
        .containsExactly("Story 1, edited guid", "Story 8 link");
  }

  @Test
  void shouldWarnAboutAPublishedEntryDatedInTheFuture() {
    ParsedFeed future = feed(story(1).published("2027-01-01T00:00:00Z").build(), story(2).build());

    RawItems.Plan plan = plan(future, INITIAL, FIRST_POLL);

    assertThat(plan.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.kind()).isEqualTo(RawItems.FUTURE_DATE);
              assertThat(w.detail()).endsWith("dated 2027-01-01T00:00:00Z");
            });
  }

  /**
   * A feed dating every entry in the future (a wrong clock or zone) made one warning per entry:
   * 20,000 entries, 20,000 warnings held and logged. The parser's cap applies: 20 with their
   * detail, one summary counting the rest.
   */
  @Test
  void shouldKeepTwentyFutureDateWarningsAndCountTheRest() {
    ParsedEntry[] entries =
        IntStream.rangeClosed(1, 25)
            .mapToObj(i -> story(i).published("2027-01-01T00:00:00Z").build())
            .toArray(ParsedEntry[]::new);

    RawItems.Plan plan = plan(feed(entries), INITIAL, FIRST_POLL);

    assertThat(plan.toPublish()).hasSize(25);
    assertThat(plan.warnings()).hasSize(21);
    assertThat(plan.warnings().get(20).detail()).isEqualTo("... and 5 more");
    assertThat(plan.warnings().stream().mapToInt(ParseWarning::count).sum()).isEqualTo(25);
  }
}
