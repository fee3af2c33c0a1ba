package org.wireingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wireingest.normalize.EntryFixtures.entry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.model.RawWireItem.Identity;
import org.wireingest.parse.ParsedEntry;

/**
 * A CMS reusing one GUID for two stories, seen over several polls of a feed whose other GUIDs are
 * fine (so {@code auto} does not degrade it): each story keeps the identity, so the {@code uri}, it
 * was first published under.
 *
 * <p>Found in a review: the basis of a story's identity depended on whether another entry of the
 * same document shared its GUID. A story published alone under {@code guid} became {@code
 * guid+link} (a new {@code uri}: a second {@code created} event) the poll a second story with its
 * GUID appeared, and a story published under {@code guid+link} became {@code guid} the poll its
 * GUID's other story left the feed's window (a CMS reusing GUIDs is seen mostly this way).
 */
class SharedGuidAcrossPollsTest {

  private static final String CHANNEL = "https://agency.example/";

  /** What the poller remembers: item key to the entry published under it. */
  private final Map<String, ParsedEntry> published = new HashMap<>();

  private static ParsedEntry story(String guid, String slug, String text) {
    return entry()
        .guid(guid)
        .link("https://agency.example/story/" + slug + "?utm_source=rss")
        .title("Story " + slug)
        .description(text)
        .published("2026-11-30T08:00:00Z")
        .build();
  }

  /** 38 entries with GUIDs of their own, so two sharing one stay under the degradation share. */
  private static List<ParsedEntry> others() {
    List<ParsedEntry> out = new ArrayList<>();
    for (int i = 0; i < 38; i++) {
      out.add(story("g" + i, "s" + i, "Text of " + i));
    }
    return out;
  }

  /** One poll as the poller does it: resolve against what was published, remember what is new. */
  private Map<String, Identity> poll(ParsedEntry... entries) {
    List<ParsedEntry> document = new ArrayList<>(List.of(entries));
    document.addAll(others());
    FeedIdentity basis =
        IdentityResolver.feedIdentity(
            document, CHANNEL, IdentityPolicy.AUTO, FeedIdentity.PER_ENTRY);
    assertThat(basis.degraded()).as("two shared GUIDs in 40 entries degrade nothing").isFalse();
    List<ResolvedEntry> resolved =
        IdentityResolver.resolve(
            document,
            IdentityPolicy.AUTO,
            basis,
            CHANNEL,
            PublishedEntries.byKey(published, e -> e));
    Map<String, Identity> bySlug = new HashMap<>();
    for (ResolvedEntry r : resolved) {
      published.put(r.itemKey(), r.entry());
      bySlug.put(r.entry().title(), r.identity());
    }
    return bySlug;
  }

  @Test
  void shouldKeepAStoryPublishedUnderItsGuidWhenAnotherStoryTakesTheGuid() {
    ParsedEntry a = story("urn:cms:item", "A", "Text of A");
    ParsedEntry b = story("urn:cms:item", "B", "Text of B");
    Identity first = poll(a).get("Story A");

    Map<String, Identity> second = poll(a, b);

    assertThat(first).isEqualTo(new Identity("guid", "urn:cms:item"));
    assertThat(second.get("Story A")).as("story A's uri").isEqualTo(first);
    assertThat(second.get("Story B"))
        .isEqualTo(new Identity("guid+link", "urn:cms:item\nhttps://agency.example/story/B"));
  }

  @Test
  void shouldKeepAStoryPublishedUnderGuidAndLinkWhenItsGuidIsNoLongerShared() {
    ParsedEntry a = story("urn:cms:item", "A", "Text of A");
    ParsedEntry b = story("urn:cms:item", "B", "Text of B");
    Identity first = poll(a, b).get("Story B");

    Identity alone = poll(b).get("Story B");
    Identity edited = poll(story("urn:cms:item", "B", "Text of B, corrected")).get("Story B");

    assertThat(first)
        .isEqualTo(new Identity("guid+link", "urn:cms:item\nhttps://agency.example/story/B"));
    assertThat(alone)
        .as("story B, alone with its GUID once story A left the feed")
        .isEqualTo(first);
    assertThat(edited).as("and edited").isEqualTo(first);
  }

  @Test
  void shouldNotMergeAnotherStoryIntoTheOneFirstPublishedUnderTheGuid() {
    ParsedEntry a = story("urn:cms:item", "A", "Text of A");
    ParsedEntry b = story("urn:cms:item", "B", "Text of B");
    Identity first = poll(a).get("Story A");
    poll(a, b);

    Identity bAlone = poll(story("urn:cms:item", "B", "Text of B, corrected")).get("Story B");
    Identity aEdited = poll(story("urn:cms:item", "A", "Text of A, corrected")).get("Story A");

    assertThat(bAlone)
        .as("story B is not a version of story A")
        .isEqualTo(new Identity("guid+link", "urn:cms:item\nhttps://agency.example/story/B"));
    assertThat(aEdited).as("story A keeps its uri").isEqualTo(first);
  }

  @Test
  void shouldGiveANewStorySharingAPublishedGuidItsOwnIdentity() {
    ParsedEntry a = story("urn:cms:item", "A", "Text of A");
    poll(a);

    // story A edited in the very poll story B appears: neither can be told to be story A by its
    // entry, so both are told apart by link, as without a history
    Map<String, Identity> second =
        poll(story("urn:cms:item", "A", "Text of A, corrected"), story("urn:cms:item", "B", "B"));

    assertThat(second.get("Story B"))
        .isEqualTo(new Identity("guid+link", "urn:cms:item\nhttps://agency.example/story/B"));
  }
}
