package org.wireingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wireingest.normalize.EntryFixtures.entry;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.model.RawWireItem.Identity;
import org.wireingest.parse.ParsedEntry;

/**
 * One story in two section feeds of an agency whose links name the feed in a tracking parameter
 * (Reuters' {@code feedName}, heise's {@code wt_mc}): one canonical link, so one {@code uri} under
 * {@code identity: link}, for entries without a GUID and under a degraded {@code auto}; and a story
 * a feed published under its link's canonical form from before the parameter was a tracking one
 * keeps that {@code uri}, its edits included (the link-identity migration of 2026-12).
 *
 * <p>Regression: {@code feedName} was left out of the tracking parameters because adding it changed
 * the {@code uri} of every story a feed with link identities had published, a second article
 * instead of a version; so each Reuters section feed's copy of a story was an article of its own.
 */
class SectionFeedLinkTest {

  private static final String STORY =
      "http://www.reuters.com/article/us-usa-election-religion-brothels/"
          + "in-age-of-trump-evangelicals-back-self-styled-top-u-s-pimp-idUSKBN1JI1A9";
  private static final String TOP_NEWS = STORY + "?feedType=RSS&feedName=topNews";
  private static final String WORLD_NEWS = STORY + "?feedType=RSS&feedName=worldNews";
  private static final String CANONICAL = STORY + "?feedType=RSS";
  private static final String CHANNEL = "http://www.reuters.com";

  /** A Reuters item as a feed without GUIDs gives it. */
  private static ParsedEntry reuters(String link, String title) {
    return entry().link(link).title(title).description("PAHRUMP, Nev. (Reuters) - ...").build();
  }

  private static String uri(ParsedEntry entry, IdentityPolicy policy, FeedIdentity feed) {
    return ArticleUri.of(
        "reuters",
        IdentityResolver.resolve(List.of(entry), policy, feed, CHANNEL, PublishedEntries.NONE)
            .get(0)
            .identity());
  }

  /** What a feed state written before the upgrade holds: the story under its link as it was. */
  private static PublishedEntries publishedBefore(Identity identity, ParsedEntry entry) {
    return PublishedEntries.byKey(Map.of(Digests.identityHash(identity), entry), e -> e);
  }

  @Test
  void shouldGiveAReutersStoryInTwoSectionFeedsOneUriByItsLink() {
    ParsedEntry top = reuters(TOP_NEWS, "Pimp");
    ParsedEntry world = reuters(WORLD_NEWS, "Pimp");
    FeedIdentity degraded = new FeedIdentity(IdentityResolver.LINK, "test");

    assertThat(uri(top, IdentityPolicy.LINK, FeedIdentity.PER_ENTRY))
        .isEqualTo(uri(world, IdentityPolicy.LINK, FeedIdentity.PER_ENTRY))
        .isEqualTo(uri(top, IdentityPolicy.AUTO, FeedIdentity.PER_ENTRY))
        .isEqualTo(uri(world, IdentityPolicy.AUTO, degraded))
        .isEqualTo(ArticleUri.of("reuters", new Identity(IdentityResolver.LINK, CANONICAL)));
  }

  /** heise names the feed in its Webtrends campaign, {@code wt_mc}. */
  @Test
  void shouldGiveAHeiseStoryInTwoFeedsOneUriByItsLink() {
    String story = "https://www.heise.de/news/n8n-Updates-beheben-Sicherheitsluecken-11268464.html";
    ParsedEntry online = reuters(story + "?wt_mc=rss.red.ho.ho.atom.beitrag.beitrag", "n8n");
    ParsedEntry developer = reuters(story + "?wt_mc=rss.developer.beitrag.atom", "n8n");

    assertThat(uri(online, IdentityPolicy.LINK, FeedIdentity.PER_ENTRY))
        .isEqualTo(uri(developer, IdentityPolicy.LINK, FeedIdentity.PER_ENTRY));
  }

  /**
   * The migration: a feed that published a story under its link's canonical form with {@code
   * feedName} (its state holds that item key) keeps that identity for the story, unchanged or
   * edited, so its {@code uri} and the dedup state under it; a story it had not published takes the
   * canonical link without {@code feedName}.
   */
  @Test
  void shouldKeepTheUriOfAStoryPublishedUnderItsEarlierCanonicalLink() {
    Identity before = new Identity(IdentityResolver.LINK, TOP_NEWS);
    ParsedEntry old = reuters(TOP_NEWS, "Pimp");
    ParsedEntry edited = reuters(TOP_NEWS, "Pimp wins Nevada primary");
    String freshLink = STORY.replace("idUSKBN1JI1A9", "idUSKBN1JJ0IN") + "?feedName=topNews";
    ParsedEntry fresh = reuters(freshLink, "Pompeo");
    PublishedEntries state = publishedBefore(before, old);

    for (IdentityPolicy policy : List.of(IdentityPolicy.LINK, IdentityPolicy.AUTO)) {
      List<ResolvedEntry> resolved =
          IdentityResolver.resolve(
              List.of(edited, fresh), policy, FeedIdentity.PER_ENTRY, CHANNEL, state);

      assertThat(resolved)
          .extracting(ResolvedEntry::identity)
          .as("under %s", policy)
          .containsExactly(
              before,
              new Identity(IdentityResolver.LINK, STORY.replace("idUSKBN1JI1A9", "idUSKBN1JJ0IN")));
      assertThat(resolved.get(0).itemKey()).isEqualTo(Digests.identityHash(before));
      assertThat(
              IdentityResolver.resolve(List.of(old), policy, FeedIdentity.PER_ENTRY, CHANNEL, state)
                  .get(0)
                  .identity())
          .as("unchanged, under %s", policy)
          .isEqualTo(before);
    }
  }

  /**
   * A feed whose {@code auto} identity degraded to link (or on to content) before the upgrade
   * published its stories under their links then: they keep those identities.
   */
  @Test
  void shouldKeepTheEarlierCanonicalLinkOfAPublishedEntryWhenTheFeedIsDegraded() {
    Identity before = new Identity(IdentityResolver.LINK, TOP_NEWS);
    ParsedEntry edited =
        entry()
            .guid(CHANNEL)
            .link(TOP_NEWS)
            .title("Pimp wins Nevada primary")
            .description("Updated")
            .build();
    PublishedEntries state = publishedBefore(before, reuters(TOP_NEWS, "Pimp"));

    for (String basis : List.of(IdentityResolver.LINK, IdentityResolver.CONTENT)) {
      assertThat(
              IdentityResolver.resolve(
                      List.of(edited),
                      IdentityPolicy.AUTO,
                      new FeedIdentity(basis, "test"),
                      CHANNEL,
                      state)
                  .get(0)
                  .identity())
          .as("degraded to %s", basis)
          .isEqualTo(before);
    }
  }

  /**
   * A URL GUID published in its canonical form of the time (2026-12, before {@code feedName} was a
   * tracking parameter: {@code utm_*} removed, {@code feedName} kept) keeps it, edited too.
   */
  @Test
  void shouldKeepTheEarlierCanonicalGuidOfAPublishedEntry() {
    String guid = TOP_NEWS + "&utm_source=rss";
    Identity beforeGuid = new Identity(IdentityResolver.GUID, TOP_NEWS);
    ParsedEntry edited =
        entry().guid(guid).link(TOP_NEWS).title("Pimp wins").description("Updated").build();
    ParsedEntry old = entry().guid(guid).link(TOP_NEWS).title("Pimp").build();

    for (IdentityPolicy policy : List.of(IdentityPolicy.AUTO, IdentityPolicy.GUID)) {
      assertThat(
              IdentityResolver.resolve(
                      List.of(edited),
                      policy,
                      FeedIdentity.PER_ENTRY,
                      CHANNEL,
                      publishedBefore(beforeGuid, old))
                  .get(0)
                  .identity())
          .as("under %s", policy)
          .isEqualTo(beforeGuid);
    }
  }

  /**
   * Two stories under one GUID at two links are {@code guid+link}: one published while its link's
   * canonical form kept {@code feedName} keeps that identity.
   */
  @Test
  void shouldKeepTheGuidAndLinkOfAPublishedEntryWhoseLinkHadAnEarlierCanonicalForm() {
    ParsedEntry other = entry().guid("story").link(CHANNEL + "/other").title("Other").build();
    ParsedEntry shared = entry().guid("story").link(TOP_NEWS).title("Pimp").build();
    Identity beforeGuidAndLink = new Identity(IdentityResolver.GUID_AND_LINK, "story\n" + TOP_NEWS);
    assertThat(
            IdentityResolver.resolve(
                    List.of(shared, other),
                    IdentityPolicy.AUTO,
                    FeedIdentity.PER_ENTRY,
                    CHANNEL,
                    publishedBefore(beforeGuidAndLink, shared))
                .get(0)
                .identity())
        .isEqualTo(beforeGuidAndLink);
  }
}
