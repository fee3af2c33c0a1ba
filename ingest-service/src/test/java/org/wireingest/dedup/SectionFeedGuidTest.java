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
 * One story in two section feeds of an agency whose GUIDs name the feed in a tracking parameter:
 * one identity, so one {@code uri}; and a story a feed published under its GUID as given, before
 * GUIDs were canonical, keeps that {@code uri}.
 *
 * <p>Regression: GUIDs were taken as given, so DW's {@code
 * ...a-78101422?maca=en-rss-en-all-1573-rdf} (all news) and {@code
 * ...?maca=en-rss-en-world-4025-rdf} (world) were two {@code uri}s of one story (DESIGN.md: scoped
 * by agency, each story once).
 */
class SectionFeedGuidTest {

  private static final String DW_ALL =
      "https://www.dw.com/en/can-pakistan-administered-kashmir-elections-calm-tensions/a-78101422"
          + "?maca=en-rss-en-all-1573-rdf";
  private static final String DW_WORLD =
      "https://www.dw.com/en/can-pakistan-administered-kashmir-elections-calm-tensions/a-78101422"
          + "?maca=en-rss-en-world-4025-rdf";

  /** A DW RDF item: rdf:about (the GUID) and the link are the same URL. */
  private static ParsedEntry dw(String url) {
    return entry().guid(url).link(url).title("Kashmir").description("Elections").build();
  }

  private static String uri(String agency, ParsedEntry entry, IdentityPolicy policy) {
    return ArticleUri.of(
        agency, IdentityResolver.resolve(List.of(entry), policy).get(0).identity());
  }

  @Test
  void shouldGiveADwStoryInTwoSectionFeedsOneUri() {
    assertThat(uri("dw", dw(DW_ALL), IdentityPolicy.AUTO))
        .isEqualTo(uri("dw", dw(DW_WORLD), IdentityPolicy.AUTO));
    assertThat(uri("dw", dw(DW_ALL), IdentityPolicy.GUID))
        .isEqualTo(uri("dw", dw(DW_WORLD), IdentityPolicy.GUID));
  }

  @Test
  void shouldGiveAGuidWithUtmParametersTheIdentityOfItsCanonicalUrl() {
    ParsedEntry cnn =
        entry()
            .guid(
                "http://bleacherreport.com/articles/2782473-deandre-ayton"
                    + "?utm_source=cnn.com&utm_medium=referral&utm_campaign=editorial")
            .link("http://rss.cnn.com/~r/rss/cnn_topstories/~3/vyFv1cq-bPo/x")
            .build();
    assertThat(IdentityResolver.resolve(List.of(cnn), IdentityPolicy.AUTO).get(0).identity())
        .isEqualTo(
            new Identity("guid", "http://bleacherreport.com/articles/2782473-deandre-ayton"));
  }

  @Test
  void shouldKeepTwoGuidsThatDifferOnlyInTheirFragmentApart() {
    ParsedEntry first =
        entry()
            .guid("https://www.bbc.com/sport/football/articles/c62kpkm1l80o#1")
            .link("https://www.bbc.com/sport/football/articles/c62kpkm1l80o?at_medium=RSS")
            .title("Promo one")
            .build();
    ParsedEntry second =
        entry()
            .guid("https://www.bbc.com/sport/football/articles/c62kpkm1l80o#8")
            .link("https://www.bbc.com/sport/football/articles/c62kpkm1l80o?at_medium=RSS")
            .title("Promo two")
            .build();
    assertThat(IdentityResolver.resolve(List.of(first, second), IdentityPolicy.AUTO))
        .extracting(ResolvedEntry::identity)
        .containsExactly(
            new Identity("guid", "https://www.bbc.com/sport/football/articles/c62kpkm1l80o#1"),
            new Identity("guid", "https://www.bbc.com/sport/football/articles/c62kpkm1l80o#8"));
  }

  /**
   * The migration: a feed that published a story under its GUID as given (the feed state holds its
   * item key) keeps that identity, so its {@code uri} and the dedup state under it; a story the
   * feed had not published takes the canonical GUID.
   */
  @Test
  void shouldKeepTheUriOfAStoryPublishedUnderItsGuidAsGiven() {
    Identity published = new Identity("guid", DW_ALL);
    String publishedUri = ArticleUri.of("dw", published);
    ParsedEntry old = dw(DW_ALL);
    ParsedEntry edited =
        entry().guid(DW_ALL).link(DW_ALL).title("Kashmir votes").description("Updated").build();
    String newUrl = "https://www.dw.com/en/sudan/a-78089487?maca=en-rss-en-all-1573-rdf";
    ParsedEntry fresh = dw(newUrl);
    PublishedEntries state =
        PublishedEntries.byKey(Map.of(Digests.identityHash(published), old), e -> e);

    for (IdentityPolicy policy : List.of(IdentityPolicy.AUTO, IdentityPolicy.GUID)) {
      List<ResolvedEntry> unchanged =
          IdentityResolver.resolve(
              List.of(old, fresh), policy, FeedIdentity.PER_ENTRY, "https://www.dw.com/", state);
      assertThat(unchanged)
          .extracting(ResolvedEntry::identity)
          .as("under %s", policy)
          .containsExactly(
              published, new Identity("guid", "https://www.dw.com/en/sudan/a-78089487"));
      assertThat(ArticleUri.of("dw", unchanged.get(0).identity())).isEqualTo(publishedUri);

      List<ResolvedEntry> update =
          IdentityResolver.resolve(
              List.of(edited), policy, FeedIdentity.PER_ENTRY, "https://www.dw.com/", state);
      assertThat(update.get(0).identity())
          .as("an edited version, under %s", policy)
          .isEqualTo(published);
    }
  }

  /** Under a degraded auto basis, the GUID as given is one of the identities an entry keeps. */
  @Test
  void shouldKeepTheGuidAsGivenOfAPublishedEntryWhenTheFeedDegrades() {
    Identity published = new Identity("guid", DW_ALL);
    ParsedEntry old = dw(DW_ALL);
    List<ResolvedEntry> resolved =
        IdentityResolver.resolve(
            List.of(old),
            IdentityPolicy.AUTO,
            new FeedIdentity(IdentityResolver.LINK, "test"),
            "https://www.dw.com/",
            PublishedEntries.byKey(Map.of(Digests.identityHash(published), old), e -> e));
    assertThat(resolved.get(0).identity()).isEqualTo(published);
  }
}
