package org.wireingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wireingest.normalize.EntryFixtures.entry;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.model.Hashes;
import org.wireingest.model.RawWireItem.Identity;
import org.wireingest.parse.ParsedEntry;

class IdentityResolverTest {

  private static List<Identity> identities(List<ResolvedEntry> resolved) {
    return resolved.stream().map(ResolvedEntry::identity).toList();
  }

  @Test
  void shouldUseTrimmedGuidUnderAuto() {
    ParsedEntry entry = entry().guid("  trt-18234 ").link("https://www.trtworld.com/a/1").build();
    assertThat(identities(IdentityResolver.resolve(List.of(entry), IdentityPolicy.AUTO)))
        .containsExactly(new Identity("guid", "trt-18234"));
  }

  @Test
  void shouldTreatAGuidOfOnlyInvisibleCharactersAsNoGuid() {
    // Found in a hostile test: a GUID of no-break or zero-width spaces is not blank to
    // String.isBlank,
    // so every entry carrying one would have been one story (under the guid policy) or keyed by it.
    ParsedEntry nbsp = entry().guid("\u00a0").link("https://example.com/a").build();
    ParsedEntry zeroWidth =
        entry().guid("\u200b\ufeff\u2060").link("https://example.com/b").build();
    assertThat(identities(IdentityResolver.resolve(List.of(nbsp, zeroWidth), IdentityPolicy.GUID)))
        .containsExactly(
            new Identity("link", "https://example.com/a"),
            new Identity("link", "https://example.com/b"));
  }

  @Test
  void shouldKeepBbcFragmentGuidVerbatim() {
    ParsedEntry entry =
        entry()
            .guid("https://www.bbc.com/news/articles/c0l8#0")
            .link("https://www.bbc.com/news/articles/c0l8?at_medium=RSS")
            .build();
    assertThat(identities(IdentityResolver.resolve(List.of(entry), IdentityPolicy.AUTO)))
        .containsExactly(new Identity("guid", "https://www.bbc.com/news/articles/c0l8#0"));
  }

  @Test
  void shouldTellApartEntriesSharingGuidWithDifferentLinks() {
    ParsedEntry first =
        entry().guid("post-7").link("https://example.com/a?utm_source=rss").title("A").build();
    ParsedEntry second = entry().guid("post-7").link("https://example.com/b").title("B").build();
    List<ResolvedEntry> resolved =
        IdentityResolver.resolve(List.of(first, second), IdentityPolicy.AUTO);
    assertThat(identities(resolved))
        .containsExactly(
            new Identity("guid+link", "post-7\nhttps://example.com/a"),
            new Identity("guid+link", "post-7\nhttps://example.com/b"));
  }

  @Test
  void shouldNotChangeNeighboursIdentityWhenOneGuidIsShared() {
    ParsedEntry unique = entry().guid("post-1").link("https://example.com/1").build();
    ParsedEntry sharedA = entry().guid("post-7").link("https://example.com/a").build();
    ParsedEntry sharedB = entry().guid("post-7").link("https://example.com/b").build();
    List<ResolvedEntry> resolved =
        IdentityResolver.resolve(List.of(unique, sharedA, sharedB), IdentityPolicy.AUTO);
    assertThat(resolved.get(0).identity()).isEqualTo(new Identity("guid", "post-1"));
  }

  @Test
  void shouldKeepOnlyNewestOfEntriesSharingGuidAndLink() {
    ParsedEntry older =
        entry()
            .guid("post-7")
            .link("https://example.com/a")
            .title("v1")
            .published("2026-11-30T08:00:00Z")
            .build();
    ParsedEntry newer =
        entry()
            .guid("post-7")
            .link("https://example.com/a?utm_medium=rss")
            .title("v2")
            .published("2026-11-30T08:00:00Z")
            .updated("2026-11-30T09:00:00Z")
            .build();
    List<ResolvedEntry> resolved =
        IdentityResolver.resolve(List.of(older, newer), IdentityPolicy.AUTO);
    assertThat(resolved).extracting(r -> r.entry().title()).containsExactly("v2");
  }

  @Test
  void shouldKeepFirstInDocumentOrderWhenVersionsTie() {
    ParsedEntry first =
        entry().guid("post-7").title("first").published("2026-11-30T08:00:00Z").build();
    ParsedEntry second =
        entry().guid("post-7").title("second").published("2026-11-30T08:00:00Z").build();
    assertThat(IdentityResolver.resolve(List.of(first, second), IdentityPolicy.AUTO))
        .extracting(r -> r.entry().title())
        .containsExactly("first");
  }

  @Test
  void shouldPreferDatedVersionOverUndatedOne() {
    ParsedEntry undated = entry().guid("post-7").title("undated").build();
    ParsedEntry dated =
        entry().guid("post-7").title("dated").published("2026-11-30T08:00:00Z").build();
    assertThat(IdentityResolver.resolve(List.of(undated, dated), IdentityPolicy.AUTO))
        .extracting(r -> r.entry().title())
        .containsExactly("dated");
  }

  @Test
  void shouldKeepDocumentOrderOfSurvivors() {
    ParsedEntry a1 = entry().guid("a").title("a1").published("2026-11-30T08:00:00Z").build();
    ParsedEntry b = entry().guid("b").title("b").build();
    ParsedEntry a2 = entry().guid("a").title("a2").published("2026-11-30T09:00:00Z").build();
    ParsedEntry c = entry().guid("c").title("c").build();
    assertThat(IdentityResolver.resolve(List.of(a1, b, a2, c), IdentityPolicy.AUTO))
        .extracting(r -> r.entry().title())
        .containsExactly("b", "a2", "c");
  }

  @Test
  void shouldUseCanonicalLinkWhenEntryHasNoGuid() {
    ParsedEntry entry =
        entry().guid("  ").link("HTTPS://www.DW.com/en/story/a-1?maca=en-rss").build();
    assertThat(identities(IdentityResolver.resolve(List.of(entry), IdentityPolicy.AUTO)))
        .containsExactly(new Identity("link", "https://www.dw.com/en/story/a-1"));
  }

  @Test
  void shouldHashTitleAndDescriptionWhenEntryHasNeitherGuidNorLink() {
    ParsedEntry entry =
        entry().title("Quake  hits <b>coast</b>").description("<p>Magnitude 6.1</p>").build();
    assertThat(identities(IdentityResolver.resolve(List.of(entry), IdentityPolicy.AUTO)))
        .containsExactly(
            new Identity("content", Hashes.sha256Hex("Quake hits coast\nMagnitude 6.1")));
  }

  @Test
  void shouldGiveSameContentIdentityDespiteWhitespaceChanges() {
    ParsedEntry a = entry().title("Quake hits coast").description("Magnitude 6.1").build();
    ParsedEntry b =
        entry().title(" Quake\nhits  coast ").description("<p>Magnitude\t6.1</p>").build();
    assertThat(IdentityResolver.resolve(List.of(a), IdentityPolicy.CONTENT).get(0).identity())
        .isEqualTo(IdentityResolver.resolve(List.of(b), IdentityPolicy.CONTENT).get(0).identity());
  }

  @Test
  void shouldUseContentTextWhenThereIsNoDescription() {
    ParsedEntry a = entry().title("Same title").content("<p>Body one</p>").build();
    ParsedEntry b = entry().title("Same title").content("<p>Body two</p>").build();
    assertThat(IdentityResolver.resolve(List.of(a, b), IdentityPolicy.CONTENT)).hasSize(2);
  }

  @Test
  void shouldTreatSharedGuidAsOneStoryUnderGuidPolicy() {
    ParsedEntry a =
        entry()
            .guid("post-7")
            .link("https://example.com/a")
            .title("a")
            .published("2026-11-30T08:00:00Z")
            .build();
    ParsedEntry b =
        entry()
            .guid("post-7")
            .link("https://example.com/b")
            .title("b")
            .published("2026-11-30T09:00:00Z")
            .build();
    List<ResolvedEntry> resolved = IdentityResolver.resolve(List.of(a, b), IdentityPolicy.GUID);
    assertThat(resolved)
        .extracting(ResolvedEntry::identity)
        .containsExactly(new Identity("guid", "post-7"));
  }

  @Test
  void shouldFallBackToAutoRuleForEntryWithoutGuidUnderGuidPolicy() {
    ParsedEntry entry = entry().link("https://example.com/a").build();
    assertThat(identities(IdentityResolver.resolve(List.of(entry), IdentityPolicy.GUID)))
        .containsExactly(new Identity("link", "https://example.com/a"));
  }

  @Test
  void shouldIgnoreGuidUnderLinkPolicy() {
    ParsedEntry entry =
        entry().guid("changes-every-fetch-81723").link("https://example.com/a#top").build();
    assertThat(identities(IdentityResolver.resolve(List.of(entry), IdentityPolicy.LINK)))
        .containsExactly(new Identity("link", "https://example.com/a"));
  }

  @Test
  void shouldFallBackToContentUnderLinkPolicyWhenLinkIsInvalid() {
    ParsedEntry entry = entry().guid("g").link("/relative/only").title("T").build();
    assertThat(
            IdentityResolver.resolve(List.of(entry), IdentityPolicy.LINK).get(0).identity().basis())
        .isEqualTo("content");
  }

  @Test
  void shouldIgnoreGuidAndLinkUnderContentPolicy() {
    ParsedEntry entry =
        entry().guid("g").link("https://example.com/a").title("T").description("D").build();
    assertThat(identities(IdentityResolver.resolve(List.of(entry), IdentityPolicy.CONTENT)))
        .containsExactly(new Identity("content", Hashes.sha256Hex("T\nD")));
  }

  @Test
  void shouldDeriveItemKeyFromIdentity() {
    ParsedEntry entry = entry().guid("trt-18234").build();
    ResolvedEntry resolved = IdentityResolver.resolve(List.of(entry), IdentityPolicy.AUTO).get(0);
    assertThat(resolved.itemKey())
        .isEqualTo(Hashes.sha256Hex("guid:trt-18234").substring(0, 32))
        .matches("[0-9a-f]{32}");
  }

  @Test
  void shouldResolveEmptyFeedToEmptyList() {
    assertThat(IdentityResolver.resolve(List.of(), IdentityPolicy.AUTO)).isEmpty();
  }
}
