package org.wireingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wireingest.normalize.EntryFixtures.entry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.model.RawWireItem.Identity;
import org.wireingest.parse.ParsedEntry;

/**
 * {@link IdentityResolver#feedIdentity}: when a feed's GUIDs (then links) are too often unusable.
 */
class FeedIdentityDegradationTest {

  private static final String CHANNEL = "https://agency.example/";

  /**
   * {@code total} entries with unique GUIDs and links, of which the first {@code bad} get the GUID
   * {@code badGuid}.
   */
  private static List<ParsedEntry> feed(int total, int bad, String badGuid) {
    List<ParsedEntry> entries = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      entries.add(
          entry()
              .guid(i < bad ? badGuid : "story-" + i)
              .link("https://agency.example/story/" + i)
              .title("Story " + i)
              .description("Text of story " + i)
              .build());
    }
    return entries;
  }

  private static FeedIdentity judge(List<ParsedEntry> entries) {
    return IdentityResolver.feedIdentity(
        entries, CHANNEL, IdentityPolicy.AUTO, FeedIdentity.PER_ENTRY);
  }

  @Test
  void shouldKeepPerEntryIdentityWhenFewGuidsAreUnusable() {
    assertThat(judge(feed(40, 2, CHANNEL))).isEqualTo(FeedIdentity.PER_ENTRY);
  }

  @Test
  void shouldNotDegradeShortFeedForOneOddEntry() {
    assertThat(judge(feed(3, 1, ""))).isEqualTo(FeedIdentity.PER_ENTRY);
  }

  @Test
  void shouldDegradeToLinkWhenManyGuidsEqualTheChannelLink() {
    FeedIdentity identity = judge(feed(40, 12, CHANNEL));

    assertThat(identity.basis()).isEqualTo(IdentityResolver.LINK);
    assertThat(identity.reason())
        .isEqualTo("12 of 40 GUIDs unusable (30%): 12 equal to the channel link");
  }

  @Test
  void shouldTrustGuidsThatAreTheChannelLinkWithAFragmentOfTheirOwn() {
    // Regression: GUIDs https://agency.example/#<hash> under the home page (every entry's link the
    // home page too) counted as "equal to the channel link", so the feed degraded to content
    // identity and every edited headline made a new uri, though the fragment tells the GUIDs apart.
    List<ParsedEntry> entries = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      entries.add(
          entry()
              .guid(CHANNEL + "#a1b2c3" + i)
              .link(CHANNEL)
              .title("Story " + i)
              .description("Text of story " + i)
              .build());
    }

    assertThat(judge(entries)).isEqualTo(FeedIdentity.PER_ENTRY);
    assertThat(IdentityResolver.resolve(entries, IdentityPolicy.AUTO))
        .extracting(ResolvedEntry::identity)
        .containsExactly(
            entries.stream()
                .map(e -> new Identity(IdentityResolver.GUID, e.guid()))
                .toArray(Identity[]::new));
  }

  @Test
  void shouldStillDegradeWhenTheChannelLinkGuidsFragmentTellsNothingApart() {
    // The channel link with an empty fragment, or with one fragment every entry carries, names the
    // feed and not a story.
    assertThat(judge(feed(20, 3, CHANNEL + "#")).reason())
        .isEqualTo("3 of 20 GUIDs unusable (15%): 3 equal to the channel link");
    assertThat(judge(feed(20, 3, CHANNEL + "#top")).reason())
        .isEqualTo("3 of 20 GUIDs unusable (15%): 3 equal to the channel link");
  }

  @Test
  void shouldDegradeToLinkWhenManyGuidsAreBlank() {
    FeedIdentity identity = judge(feed(20, 3, " "));

    assertThat(identity.basis()).isEqualTo(IdentityResolver.LINK);
    assertThat(identity.reason()).contains("3 missing or blank");
  }

  @Test
  void shouldDegradeToLinkWhenManyGuidsAreSharedByDifferentLinks() {
    FeedIdentity identity = judge(feed(20, 4, "same-guid"));

    assertThat(identity.basis()).isEqualTo(IdentityResolver.LINK);
    assertThat(identity.reason()).contains("4 shared by different links");
  }

  @Test
  void shouldDegradeToContentWhenLinksAreUnusableToo() {
    List<ParsedEntry> entries = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      entries.add(entry().guid(CHANNEL).link(CHANNEL).title("Story " + i).build());
    }

    FeedIdentity identity = judge(entries);

    assertThat(identity.basis()).isEqualTo(IdentityResolver.CONTENT);
    assertThat(identity.reason())
        .contains("10 of 10 GUIDs unusable")
        .contains("10 of 10 links unusable (100%): 10 equal to the channel link");
  }

  @Test
  void shouldKeepLinkBasisWhenVersionsOfOneStoryShareALink() {
    List<ParsedEntry> entries = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      entries.add(
          entry()
              .guid("cms-1")
              .link("https://agency.example/story/" + (i / 2))
              .title("Story " + i)
              .build());
    }

    FeedIdentity identity = judge(entries);

    assertThat(identity.basis()).isEqualTo(IdentityResolver.LINK);
  }

  @Test
  void shouldNeverDegradeUnderAnExplicitPolicy() {
    FeedIdentity identity =
        IdentityResolver.feedIdentity(
            feed(40, 40, CHANNEL), CHANNEL, IdentityPolicy.GUID, FeedIdentity.PER_ENTRY);

    assertThat(identity).isEqualTo(FeedIdentity.PER_ENTRY);
  }

  @Test
  void shouldStayDegradedWhenLaterDocumentsHaveGoodGuids() {
    FeedIdentity degraded =
        new FeedIdentity(
            IdentityResolver.LINK, "12 of 40 GUIDs unusable (30%): 12 equal to the channel link");

    FeedIdentity identity =
        IdentityResolver.feedIdentity(feed(40, 0, CHANNEL), CHANNEL, IdentityPolicy.AUTO, degraded);

    assertThat(identity).isSameAs(degraded);
  }

  @Test
  void shouldMoveFromLinkToContentWhenLinksLaterBecomeUnusable() {
    FeedIdentity degraded =
        new FeedIdentity(
            IdentityResolver.LINK, "12 of 40 GUIDs unusable (30%): 12 equal to the channel link");
    List<ParsedEntry> noLinks =
        List.of(entry().guid("a").title("A").build(), entry().guid("b").title("B").build());

    FeedIdentity identity =
        IdentityResolver.feedIdentity(noLinks, CHANNEL, IdentityPolicy.AUTO, degraded);

    assertThat(identity.basis()).isEqualTo(IdentityResolver.CONTENT);
    assertThat(identity.reason())
        .startsWith(degraded.reason())
        .endsWith("2 of 2 links unusable (100%): 2 missing or invalid");
  }

  @Test
  void shouldIdentifyEveryEntryByLinkOnceDegradedToLink() {
    FeedIdentity degraded = new FeedIdentity(IdentityResolver.LINK, "reason");

    List<ResolvedEntry> resolved =
        IdentityResolver.resolve(feed(3, 0, CHANNEL), IdentityPolicy.AUTO, degraded);

    assertThat(resolved)
        .extracting(ResolvedEntry::identity)
        .containsExactly(
            new Identity("link", "https://agency.example/story/0"),
            new Identity("link", "https://agency.example/story/1"),
            new Identity("link", "https://agency.example/story/2"));
  }

  @Test
  void shouldIdentifyEveryEntryByContentOnceDegradedToContent() {
    FeedIdentity degraded = new FeedIdentity(IdentityResolver.CONTENT, "reason");

    List<ResolvedEntry> resolved =
        IdentityResolver.resolve(feed(2, 0, CHANNEL), IdentityPolicy.AUTO, degraded);

    assertThat(resolved)
        .extracting(r -> r.identity().basis())
        .containsExactly("content", "content");
  }

  @Test
  void shouldIgnoreDegradedBasisUnderAnExplicitPolicy() {
    FeedIdentity degraded = new FeedIdentity(IdentityResolver.CONTENT, "reason");

    List<ResolvedEntry> resolved =
        IdentityResolver.resolve(feed(1, 0, CHANNEL), IdentityPolicy.GUID, degraded);

    assertThat(resolved)
        .extracting(ResolvedEntry::identity)
        .containsExactly(new Identity("guid", "story-0"));
  }

  @Test
  void shouldKeepTheOwnIdentityOfEntriesPublishedBeforeTheDegradationButNotAChannelLinkGuid() {
    List<ParsedEntry> entries = feed(4, 1, CHANNEL);
    Set<String> published = new HashSet<>();
    for (ParsedEntry e : entries) {
      published.add(Digests.identityHash(new Identity("guid", e.guid())));
    }
    FeedIdentity degraded = new FeedIdentity(IdentityResolver.LINK, "reason");

    List<ResolvedEntry> resolved =
        IdentityResolver.resolve(
            entries,
            IdentityPolicy.AUTO,
            degraded,
            CHANNEL,
            PublishedEntries.keys(published::contains));

    assertThat(resolved)
        .extracting(ResolvedEntry::identity)
        .containsExactly(
            new Identity("link", "https://agency.example/story/0"),
            new Identity("guid", "story-1"),
            new Identity("guid", "story-2"),
            new Identity("guid", "story-3"));
    assertThat(resolved.get(1).itemKey())
        .isEqualTo(Digests.identityHash(new Identity("guid", "story-1")));
  }

  @Test
  void shouldKeepAPublishedLinkIdentityAfterADegradationToContent() {
    List<ParsedEntry> entries = feed(2, 0, CHANNEL);
    String publishedLink =
        Digests.identityHash(new Identity("link", "https://agency.example/story/1"));
    FeedIdentity degraded = new FeedIdentity(IdentityResolver.CONTENT, "reason");

    List<ResolvedEntry> resolved =
        IdentityResolver.resolve(
            entries,
            IdentityPolicy.AUTO,
            degraded,
            CHANNEL,
            PublishedEntries.keys(publishedLink::equals));

    assertThat(resolved).extracting(r -> r.identity().basis()).containsExactly("content", "link");
  }

  private static ParsedEntry story(String guid, String slug) {
    return entry()
        .guid(guid)
        .link("https://agency.example/story/" + slug)
        .title("Story " + slug)
        .description("Text of " + slug)
        .build();
  }

  // From a review: once a GUID shared by two stories had degraded the feed, a story published under
  // its link switched to an older story's GUID identity when it was alone with that GUID again.
  @Test
  void shouldKeepAnEntryOnTheDegradedBasisOnceItWasPublishedUnderIt() {
    Set<String> published = new HashSet<>();
    List<ParsedEntry> poll1 = new ArrayList<>(List.of(story("null", "A")));
    for (int i = 0; i < 10; i++) {
      poll1.add(story("g" + i, "s" + i));
    }
    FeedIdentity id1 =
        IdentityResolver.feedIdentity(poll1, CHANNEL, IdentityPolicy.AUTO, FeedIdentity.PER_ENTRY);
    IdentityResolver.resolve(
            poll1, IdentityPolicy.AUTO, id1, CHANNEL, PublishedEntries.keys(published::contains))
        .forEach(r -> published.add(r.itemKey()));
    List<ParsedEntry> poll2 = new ArrayList<>(List.of(story("null", "B"), story("null", "C")));
    poll2.addAll(poll1.subList(1, 11));
    FeedIdentity id2 = IdentityResolver.feedIdentity(poll2, CHANNEL, IdentityPolicy.AUTO, id1);
    List<ResolvedEntry> r2 =
        IdentityResolver.resolve(
            poll2, IdentityPolicy.AUTO, id2, CHANNEL, PublishedEntries.keys(published::contains));
    r2.forEach(r -> published.add(r.itemKey()));
    List<ParsedEntry> poll3 = new ArrayList<>(List.of(story("null", "B")));
    poll3.addAll(poll1.subList(1, 11));

    List<ResolvedEntry> r3 =
        IdentityResolver.resolve(
            poll3,
            IdentityPolicy.AUTO,
            IdentityResolver.feedIdentity(poll3, CHANNEL, IdentityPolicy.AUTO, id2),
            CHANNEL,
            PublishedEntries.keys(published::contains));

    assertThat(id2.basis()).isEqualTo("link");
    assertThat(r2.get(0).identity())
        .isEqualTo(new Identity("link", "https://agency.example/story/B"));
    assertThat(r3.get(0).identity())
        .as("not story A's")
        .isEqualTo(new Identity("link", "https://agency.example/story/B"));
    assertThat(r3.subList(1, 11))
        .extracting(r -> r.identity().basis())
        .as("published before the degradation")
        .containsOnly("guid");
  }

  // From a second review: entries published under their own GUIDs, sharing a link, were absorbed
  // into the story a new entry published under that link once the feed had degraded.
  @Test
  void shouldKeepEntriesPublishedUnderTheirGuidsWhenANewEntryTakesTheirSharedLink() {
    Map<String, ParsedEntry> published = new HashMap<>();
    List<ParsedEntry> poll1 = new ArrayList<>();
    poll1.add(
        entry()
            .guid("g0")
            .link("https://agency.example/live")
            .title("Update 0")
            .description("zero")
            .build());
    poll1.add(
        entry()
            .guid("g1")
            .link("https://agency.example/live")
            .title("Update 1")
            .description("one")
            .build());
    for (int i = 2; i < 20; i++) {
      poll1.add(story("g" + i, "s" + i));
    }
    IdentityResolver.resolve(
            poll1,
            IdentityPolicy.AUTO,
            FeedIdentity.PER_ENTRY,
            CHANNEL,
            PublishedEntries.byKey(published, e -> e))
        .forEach(r -> published.put(r.itemKey(), r.entry()));
    FeedIdentity link = new FeedIdentity(IdentityResolver.LINK, "GUIDs unusable");
    List<ParsedEntry> poll2 = new ArrayList<>(poll1);
    poll2.add(
        0,
        entry()
            .guid("g20")
            .link("https://agency.example/live")
            .title("Update 2")
            .description("two")
            .build());
    IdentityResolver.resolve(
            poll2, IdentityPolicy.AUTO, link, CHANNEL, PublishedEntries.byKey(published, e -> e))
        .forEach(r -> published.put(r.itemKey(), r.entry()));

    List<ResolvedEntry> again =
        IdentityResolver.resolve(
            poll2, IdentityPolicy.AUTO, link, CHANNEL, PublishedEntries.byKey(published, e -> e));

    assertThat(again).extracting(r -> r.entry().guid()).contains("g0", "g1", "g20");
    assertThat(again)
        .filteredOn(r -> r.entry().guid().equals("g0"))
        .extracting(ResolvedEntry::identity)
        .containsExactly(new Identity("guid", "g0"));
  }
}
