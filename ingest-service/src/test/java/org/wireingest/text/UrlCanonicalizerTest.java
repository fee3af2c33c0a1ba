package org.wireingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlCanonicalizerTest {

  private static String canonical(String url) {
    return UrlCanonicalizer.canonicalize(url).orElseThrow();
  }

  @Test
  void shouldLowerCaseSchemeAndHost() {
    assertThat(canonical("HTTPS://WWW.TRTWorld.COM/News/Turkey"))
        .isEqualTo("https://www.trtworld.com/News/Turkey");
  }

  @ParameterizedTest
  @CsvSource({
    "http://example.com:80/a, http://example.com/a",
    "https://example.com:443/a, https://example.com/a",
    "https://example.com:/a, https://example.com/a",
  })
  void shouldRemoveDefaultAndEmptyPort(String url, String expected) {
    assertThat(canonical(url)).isEqualTo(expected);
  }

  @Test
  void shouldKeepNonDefaultPort() {
    assertThat(canonical("https://example.com:8443/a")).isEqualTo("https://example.com:8443/a");
    assertThat(canonical("http://example.com:443/a")).isEqualTo("http://example.com:443/a");
  }

  @Test
  void shouldRemoveFragment() {
    assertThat(canonical("https://www.bbc.com/news/articles/c1234#0"))
        .isEqualTo("https://www.bbc.com/news/articles/c1234");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "utm_source=rss",
        "UTM_Medium=feed",
        "utm_campaign=x",
        "fbclid=abc",
        "gclid=1",
        "dclid=1",
        "msclkid=1",
        "mc_cid=1",
        "mc_eid=1",
        "at_medium=RSS",
        "at_campaign=KARANGA",
        "at_custom1=x",
        "traffic_source=rss",
        "maca=en-rss-en-all-1573-rdf",
        "ns_mchannel=rss",
        "ns_source=x",
        "cmpid=1",
        "ito=1",
        "xtor=RSS-1",
        "_ga=2.1",
        "igshid=1",
        "ref_src=twsrc",
        "utm%5Fsource=rss",
        "JSESSIONID=4F2A",
        "PHPSESSID=9c1",
        "sessionid=a1",
        "session_id=a1",
        "cfid=12&cftoken=34",
        "osCsid=9f",
        "_=1733224000000"
      })
  void shouldRemoveTrackingParameter(String parameter) {
    assertThat(canonical("https://example.com/story?" + parameter))
        .isEqualTo("https://example.com/story");
  }

  /**
   * Found in a hostile test: a server rewriting a new session id into every link at every fetch
   * made each poll's copy of a story without a GUID a new story.
   */
  @Test
  void shouldRemoveAServletSessionIdFromThePath() {
    assertThat(canonical("https://news.example.com/story/7;jsessionid=0A1B2C?page=2"))
        .isEqualTo("https://news.example.com/story/7?page=2");
    assertThat(canonical("https://news.example.com/a;JSessionId=x/b;v=1"))
        .isEqualTo("https://news.example.com/a/b;v=1");
    assertThat(canonical("https://news.example.com/story;version=3"))
        .isEqualTo("https://news.example.com/story;version=3");
    assertThat(canonical("https://news.example.com/a;sessionid=1;PHPSESSID=2/b"))
        .isEqualTo("https://news.example.com/a/b");
    assertThat(canonical("https://news.example.com/(S(abc0def))/story/7"))
        .isEqualTo("https://news.example.com/story/7");
    assertThat(canonical("https://news.example.com/(X(1)S(abc0def))/story/7"))
        .isEqualTo("https://news.example.com/story/7");
    assertThat(canonical("https://news.example.com/wiki/Foo_(bar)/x"))
        .isEqualTo("https://news.example.com/wiki/Foo_(bar)/x");
    assertThat(canonical("https://news.example.com/news.php?sid=123"))
        .as("PHP-Nuke's story id")
        .isEqualTo("https://news.example.com/news.php?sid=123");
  }

  /**
   * An http(s) GUID serves as an identifier: tracking parameters naming the section feed go (DW's
   * {@code maca}, Reuters' {@code feedName}), the fragment stays (BBC's {@code #1} and {@code #8}
   * promos of one page are two GUIDs).
   */
  @Test
  void shouldCanonicaliseAnIdentifierKeepingItsFragment() {
    assertThat(
            UrlCanonicalizer.canonicalizeIdentifier(
                "https://www.dw.com/en/sudan/a-78089487?maca=en-rss-en-world-4025-rdf"))
        .contains("https://www.dw.com/en/sudan/a-78089487");
    assertThat(
            UrlCanonicalizer.canonicalizeIdentifier(
                "HTTP://WWW.Reuters.com:80/article/x-idUSKBN1JI1A9?feedType=RSS&feedName=topNews"))
        .contains("http://www.reuters.com/article/x-idUSKBN1JI1A9?feedType=RSS");
    assertThat(
            UrlCanonicalizer.canonicalizeIdentifier(
                "https://www.bbc.com/sport/football/articles/c62kpkm1l80o?at_medium=RSS#8"))
        .contains("https://www.bbc.com/sport/football/articles/c62kpkm1l80o#8");
    assertThat(UrlCanonicalizer.canonicalizeIdentifier("urn:uuid:1#2")).isEmpty();
    assertThat(UrlCanonicalizer.canonicalizeIdentifier(null)).isEmpty();
  }

  /**
   * Parameters that name the feed a link came from (2026-12): Reuters' section ({@code
   * feedName=topNews}, in all 30 GUIDs of the corpus's 2015 and 2018 captures, the 2018 origLinks),
   * heise's Webtrends campaign ({@code wt_mc=rss.developer.beitrag.atom}), the New York Times' RSS
   * campaign ({@code emc=rss}). Not {@code mod}, {@code ref} nor {@code partner}: tracking on some
   * sites ({@code mod=fox_australian}, {@code ref=rss}, {@code partner=rss} in the corpus), what
   * the page shows on others.
   */
  @Test
  void shouldRemoveParametersNamingTheFeedALinkCameFrom() {
    assertThat(
            canonical(
                "http://www.reuters.com/article/x-idUSKBN1JI1A9?feedType=RSS&feedName=topNews"))
        .isEqualTo("http://www.reuters.com/article/x-idUSKBN1JI1A9?feedType=RSS");
    assertThat(
            canonical("https://www.heise.de/news/x-11268464.html?wt_mc=rss.developer.beitrag.atom"))
        .isEqualTo("https://www.heise.de/news/x-11268464.html");
    assertThat(canonical("http://www.nytimes.com/2017/01/07/x.html?partner=rss&emc=rss"))
        .isEqualTo("http://www.nytimes.com/2017/01/07/x.html?partner=rss");
    assertThat(canonical("https://cms.example.com/index.php?mod=news&id=5&ref=rss"))
        .isEqualTo("https://cms.example.com/index.php?mod=news&id=5&ref=rss");
  }

  /**
   * What a story's link was identified by before {@code feedName}, {@code wt_mc} and {@code emc}
   * were tracking parameters: the canonical form keeping them (other rules as now), only when it
   * differs from today's.
   */
  @Test
  void shouldGiveTheCanonicalFormsALinkHadUnderEarlierRules() {
    assertThat(
            UrlCanonicalizer.earlierCanonicalForms(
                "HTTP://www.Reuters.com/article/x-idUSKBN1?feedType=RSS&feedName=topNews&utm_source=a"))
        .containsExactly("http://www.reuters.com/article/x-idUSKBN1?feedType=RSS&feedName=topNews");
    assertThat(
            UrlCanonicalizer.earlierIdentifierForms(
                "http://www.reuters.com/article/x-idUSKBN1?feedName=topNews#2"))
        .containsExactly("http://www.reuters.com/article/x-idUSKBN1?feedName=topNews#2");
    assertThat(UrlCanonicalizer.earlierCanonicalForms("https://www.dw.com/en/a-1?maca=en-rss"))
        .as("maca was a tracking parameter before")
        .isEmpty();
    assertThat(UrlCanonicalizer.earlierCanonicalForms("https://www.dw.com/en/a-1")).isEmpty();
    assertThat(UrlCanonicalizer.earlierCanonicalForms("urn:x?feedName=a")).isEmpty();
    assertThat(UrlCanonicalizer.earlierCanonicalForms(null)).isEmpty();
  }

  @Test
  void shouldKeepOtherParametersInOrder() {
    assertThat(canonical("https://example.com/s?z=1&utm_source=rss&a=2&at_medium=RSS&m"))
        .isEqualTo("https://example.com/s?z=1&a=2&m");
  }

  @Test
  void shouldKeepParameterThatOnlyResemblesTrackingOne() {
    assertThat(canonical("https://example.com/s?source=rss&item=5&gclidx=1"))
        .isEqualTo("https://example.com/s?source=rss&item=5&gclidx=1");
  }

  @Test
  void shouldDropEmptyQueryAndEmptyParameters() {
    assertThat(canonical("https://example.com/s?")).isEqualTo("https://example.com/s");
    assertThat(canonical("https://example.com/s?a=1&&b=2&"))
        .isEqualTo("https://example.com/s?a=1&b=2");
  }

  @Test
  void shouldKeepPathAsWritten() {
    assertThat(canonical("https://example.com/A/./b/../C/"))
        .isEqualTo("https://example.com/A/./b/../C/");
    assertThat(canonical("https://example.com/a")).isEqualTo("https://example.com/a");
  }

  @Test
  void shouldGiveEmptyPathASlash() {
    assertThat(canonical("https://example.com")).isEqualTo("https://example.com/");
    assertThat(canonical("https://example.com?id=3")).isEqualTo("https://example.com/?id=3");
  }

  @Test
  void shouldUpperCasePercentEncodingHex() {
    assertThat(canonical("https://example.com/caf%c3%a9?q=a%2fb"))
        .isEqualTo("https://example.com/caf%C3%A9?q=a%2Fb");
  }

  @Test
  void shouldDecodeEscapedUnreservedCharacters() {
    assertThat(canonical("https://example.com/%7Euser/%41b%2D"))
        .isEqualTo("https://example.com/~user/Ab-");
  }

  @Test
  void shouldKeepEscapedReservedCharacters() {
    assertThat(canonical("https://example.com/a%2Fb%3Fc"))
        .isEqualTo("https://example.com/a%2Fb%3Fc");
  }

  @Test
  void shouldEscapeStrayPercentSign() {
    assertThat(canonical("https://example.com/100%-sure%2"))
        .isEqualTo("https://example.com/100%25-sure%252");
  }

  @Test
  void shouldPercentEncodeRawNonAsciiCharactersOfAnIri() {
    // DW's Chinese feed carries raw Chinese characters in its links.
    assertThat(canonical("https://www.dw.com/zh/德国/a-123?q=é"))
        .isEqualTo("https://www.dw.com/zh/%E5%BE%B7%E5%9B%BD/a-123?q=%C3%A9");
  }

  @Test
  void shouldPercentEncodeCharactersOutsideUriSyntax() {
    assertThat(canonical("https://example.com/a b|c?x=\"y\""))
        .isEqualTo("https://example.com/a%20b%7Cc?x=%22y%22");
  }

  @Test
  void shouldEncodeEmojiAsOneUtf8Sequence() {
    assertThat(canonical("https://example.com/\uD83D\uDE00"))
        .isEqualTo("https://example.com/%F0%9F%98%80");
  }

  @Test
  void shouldConvertInternationalHostToPunycode() {
    assertThat(canonical("https://Bücher.example/x")).isEqualTo("https://xn--bcher-kva.example/x");
  }

  @Test
  void shouldTrimAndRemoveTabsAndNewlines() {
    assertThat(canonical("  https://example.com/a\n/b\t?c=1 \n"))
        .isEqualTo("https://example.com/a/b?c=1");
  }

  @Test
  void shouldKeepUserInfoAndIpv6Host() {
    assertThat(canonical("http://user@[2001:DB8::1]:80/a"))
        .isEqualTo("http://user@[2001:db8::1]/a");
  }

  @Test
  void shouldBeIdempotent() {
    String once = canonical("HTTPS://Example.com:443/caf%c3%a9/德?utm_source=x&b=%7e#frag");
    assertThat(canonical(once)).isEqualTo(once);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "   ", "/news/relative", "//example.com/no-scheme", "www.example.com/no-scheme",
            "ftp://example.com/f",
        "mailto:desk@example.com", "urn:uuid:1234", "https://", "https:///path",
            "https://example.com:99999/",
        "https://example.com:8o/", "https://exa mple.com/", "https://example.com/\u0000",
            "tag:example.com,2026:1"
      })
  void shouldRejectInvalidInput(String url) {
    assertThat(UrlCanonicalizer.canonicalize(url)).isEmpty();
  }

  @Test
  void shouldRecogniseTrackingParameterNames() {
    assertThat(UrlCanonicalizer.isTrackingParameter("utm_term")).isTrue();
    assertThat(UrlCanonicalizer.isTrackingParameter("id")).isFalse();
  }

  @Test
  void shouldOnlyGiveUrlsThatJavaNetUriAcceptsWithAServerAuthority() throws Exception {
    // canonicalize skips java.net.URI for plain host names (isPlainServer): whatever it gives must
    // still be a URL that URI parses with a host, else the shortcut let an invalid one through.
    List<String> hosts =
        List.of(
            "example.com",
            "EXAMPLE.com",
            "a",
            "localhost",
            "1a.example",
            "a1",
            "1.2.3.4",
            "1.2.3.4.example",
            "1.2.3.999",
            "256.1.1.1",
            "123",
            "a-b.example",
            "a--b.example",
            "-a.example",
            "a-.example",
            "a.-b",
            "a..b",
            ".a",
            "a.",
            "a.1b",
            "a.b-",
            "under_score.example",
            "xn--bcher-kva.example",
            "bücher.example",
            "[::1]",
            "[::1",
            "[v1.x]",
            "a%41.example",
            "a!b.example",
            "a~b",
            "user@example.com",
            "user:pw@example.com",
            "@example.com",
            "example.com:",
            "example.com:0",
            "example.com:65536",
            "example.com:8o",
            "ex ample.com",
            "ex\u00A0ample.com",
            "例え.テスト",
            "a.b.c.d.e.f",
            "x.y1");
    List<String> tails =
        List.of(
            "",
            "/",
            "/a/b",
            "?q=1",
            "/p?utm_source=x&id=2",
            "/%zz%41",
            "/ü",
            "#f",
            "/a b",
            "/[x]",
            "?a=[1]|2");
    Random random = new Random(6);
    int present = 0;
    for (int i = 0; i < 20_000; i++) {
      String url =
          (random.nextBoolean() ? "https://" : "http://")
              + hosts.get(random.nextInt(hosts.size()))
              + (random.nextInt(4) == 0 ? ":" + random.nextInt(70_000) : "")
              + tails.get(random.nextInt(tails.size()));
      Optional<String> canonical = UrlCanonicalizer.canonicalize(url);
      if (canonical.isPresent()) {
        present++;
        assertThat(new URI(canonical.get()).parseServerAuthority().getHost()).as(url).isNotNull();
      }
    }
    assertThat(present).isGreaterThan(5_000);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.com",
        "a",
        "1a.example",
        "a-b.example:8080",
        "xn--bcher-kva.example",
        "1.2.3.4.example",
        "x.y1"
      })
  void shouldTakePlainHostNamesAsServers(String authority) throws Exception {
    assertThat(UrlCanonicalizer.isPlainServer(authority)).isTrue();
    assertThat(new URI("https://" + authority + "/").parseServerAuthority().getHost()).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.2.3.4",
        "123",
        "a.1b",
        "-a.example",
        "a-.example",
        "a.b-",
        "a..b",
        ".a",
        "a.",
        "under_score.example",
        "EXAMPLE.com",
        "[::1]",
        "user@example.com",
        "user:1@example.com",
        "example.com:",
        "example.com:8o",
        ""
      })
  void shouldLeaveOtherAuthoritiesToJavaNetUri(String authority) {
    assertThat(UrlCanonicalizer.isPlainServer(authority)).isFalse();
  }
}
