package org.wireingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wireingest.normalize.EntryFixtures.entry;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wireingest.parse.ParsedEntry;

class GuidOrLinkTest {

  private static final ParsedEntry TRT =
      entry()
          .guid("trt-2f9a")
          .link("https://www.trtworld.com/turkiye/talks-resume-100?utm_source=rss&utm_medium=feed")
          .build();

  @Test
  void shouldNameAnEntryByItsGuidAsWritten() {
    assertThat(GuidOrLink.of("  trt-2f9a\n").names(TRT)).isTrue();
    assertThat(GuidOrLink.of("TRT-2F9A").names(TRT)).isFalse();
  }

  @Test
  void shouldNameAnEntryByItsLinkAsWritten() {
    assertThat(
            GuidOrLink.of(
                    "https://www.trtworld.com/turkiye/talks-resume-100?utm_source=rss&utm_medium=feed")
                .names(TRT))
        .isTrue();
  }

  @Test
  void shouldNameAnEntryByItsLinkInCanonicalForm() {
    assertThat(GuidOrLink.of("https://www.trtworld.com/turkiye/talks-resume-100").names(TRT))
        .isTrue();
    assertThat(
            GuidOrLink.of("HTTPS://WWW.TRTworld.com:443/turkiye/talks-resume-100?fbclid=x#comments")
                .names(TRT))
        .isTrue();
  }

  @Test
  void shouldNotNameAnEntryByAnotherPathOrAPrefixOfItsLink() {
    assertThat(GuidOrLink.of("https://www.trtworld.com/turkiye/talks-resume-1").names(TRT))
        .isFalse();
    assertThat(GuidOrLink.of("https://www.trtworld.com/turkiye/").names(TRT)).isFalse();
    // the path is kept as written by the canonical form, so its case counts
    assertThat(GuidOrLink.of("https://www.trtworld.com/Turkiye/talks-resume-100").names(TRT))
        .isFalse();
  }

  // FeedBurner feeds link to a redirect naming the feed; the story's own URL is the origLink.
  @Test
  void shouldNameAnEntryByItsOrigLink() {
    ParsedEntry reuters =
        entry()
            .link("http://feeds.reuters.com/~r/reuters/topNews/~3/abc/story")
            .origLink(
                "https://www.reuters.com/article/us-talks-idUSKBN1?feedType=RSS&feedName=topNews")
            .build();

    assertThat(
            GuidOrLink.of("https://www.reuters.com/article/us-talks-idUSKBN1?feedType=RSS")
                .names(reuters))
        .isTrue();
  }

  // A URL GUID is compared as the identity rules compare GUIDs: its fragment tells GUIDs apart that
  // share a home page.
  @Test
  void shouldCompareAUrlGuidInCanonicalFormWithItsFragment() {
    ParsedEntry hashed = entry().guid("https://example.org/#c62kpkm1").build();

    assertThat(GuidOrLink.of("HTTPS://Example.org:443/?utm_source=rss#c62kpkm1").names(hashed))
        .isTrue();
    assertThat(GuidOrLink.of("https://example.org/#d71aa9").names(hashed)).isFalse();
  }

  // Browsers upgrade links to https; feeds may still write http (or the reverse). The identity
  // rules
  // keep the scheme, so such a match is told apart from naming the entry.
  @Test
  void shouldMatchALinkOrGuidWithTheOtherSchemeButNothingElseOnlyAsOtherScheme() {
    ParsedEntry http =
        entry().guid("http://example.org/#c62kpkm1").link("http://www.aa.com.tr/en/a/1").build();

    GuidOrLink link = GuidOrLink.of("https://www.aa.com.tr/en/a/1?utm_source=x");
    assertThat(link.match(TRT)).isEqualTo(GuidOrLink.Match.NONE);
    assertThat(link.match(http)).isEqualTo(GuidOrLink.Match.OTHER_SCHEME);
    assertThat(link.names(http)).isFalse();
    assertThat(link.otherScheme()).isEqualTo("http");
    assertThat(GuidOrLink.of("https://example.org/#c62kpkm1").match(http))
        .isEqualTo(GuidOrLink.Match.OTHER_SCHEME);
    assertThat(
            GuidOrLink.of("http://www.trtworld.com/turkiye/talks-resume-100")
                .match(TRT)) // written with https
        .isEqualTo(GuidOrLink.Match.OTHER_SCHEME);
    assertThat(GuidOrLink.of("HTTP://www.trtworld.com/turkiye/talks-resume-100").otherScheme())
        .isEqualTo("https");
    // another port, path, fragment or host stays another link
    assertThat(GuidOrLink.of("https://www.aa.com.tr:8443/en/a/1").match(http))
        .isEqualTo(GuidOrLink.Match.NONE);
    assertThat(GuidOrLink.of("https://www.aa.com.tr/en/a/2").match(http))
        .isEqualTo(GuidOrLink.Match.NONE);
    assertThat(GuidOrLink.of("https://example.org/#d71aa9").match(http))
        .isEqualTo(GuidOrLink.Match.NONE);
    assertThat(GuidOrLink.of("https://aa.com.tr/en/a/1").match(http))
        .isEqualTo(GuidOrLink.Match.NONE);
    // no URL: no other scheme
    assertThat(GuidOrLink.of("trt-2f9a").otherScheme()).isNull();
    assertThat(GuidOrLink.of("ftp://www.aa.com.tr/en/a/1").match(http))
        .isEqualTo(GuidOrLink.Match.NONE);
  }

  // An Atom entry's further alternate links (an AMP page) are kept only among its links, as are its
  // related and media links, which may be another story's page: a weaker match, told apart.
  @Test
  void shouldMatchAnotherOfTheEntrysLinksOnlyAsOtherLink() {
    ParsedEntry atom =
        entry()
            .guid("tag:aa.com.tr,2026:3400001")
            .build()
            .withLinks(
                "https://www.aa.com.tr/en/turkiye/quake/3400001",
                List.of(
                    "https://www.aa.com.tr/en/turkiye/quake/3400001",
                    "https://www.aa.com.tr/amp/en/turkiye/quake/3400001?utm_source=rss",
                    "https://www.aa.com.tr/en/turkiye/related-story/3399999"));

    GuidOrLink amp = GuidOrLink.of("https://www.aa.com.tr/amp/en/turkiye/quake/3400001");
    assertThat(amp.match(atom)).isEqualTo(GuidOrLink.Match.OTHER_LINK);
    assertThat(amp.names(atom)).isFalse();
    assertThat(GuidOrLink.of("http://www.aa.com.tr/amp/en/turkiye/quake/3400001").match(atom))
        .isEqualTo(GuidOrLink.Match.OTHER_LINK);
    assertThat(GuidOrLink.of("https://www.aa.com.tr/en/turkiye/related-story/3399999").match(atom))
        .isEqualTo(GuidOrLink.Match.OTHER_LINK);
    // its own link stays the stronger match
    assertThat(GuidOrLink.of("https://www.aa.com.tr/en/turkiye/quake/3400001").match(atom))
        .isEqualTo(GuidOrLink.Match.SAME);
    assertThat(GuidOrLink.of("https://www.aa.com.tr/amp/en/turkiye/quake/3400002").match(atom))
        .isEqualTo(GuidOrLink.Match.NONE);
  }

  @Test
  void shouldNotNameANullEntryOrAnEntryWithoutGuidAndLink() {
    assertThat(GuidOrLink.of("trt-2f9a").names(null)).isFalse();
    assertThat(GuidOrLink.of("trt-2f9a").names(entry().build())).isFalse();
  }

  @Test
  void shouldRefuseABlankReference() {
    assertThatThrownBy(() -> GuidOrLink.of(" \t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a GUID or link must not be blank");
  }
}
