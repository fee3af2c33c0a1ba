package org.wireingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URISyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UriReferencesTest {

  /**
   * RFC 3986 §5.4's examples, normal and abnormal, against its base {@code http://a/b/c/d;p?q}:
   * {@link URI#resolve(URI)} alone follows RFC 2396 and gets the empty and query-only references
   * and dot segments above the root wrong.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "g:h|g:h",
        "g|http://a/b/c/g",
        "./g|http://a/b/c/g",
        "g/|http://a/b/c/g/",
        "/g|http://a/g",
        "//g|http://g",
        "?y|http://a/b/c/d;p?y",
        "g?y|http://a/b/c/g?y",
        "#s|http://a/b/c/d;p?q#s",
        "g#s|http://a/b/c/g#s",
        "g?y#s|http://a/b/c/g?y#s",
        ";x|http://a/b/c/;x",
        "g;x|http://a/b/c/g;x",
        "g;x?y#s|http://a/b/c/g;x?y#s",
        "''|http://a/b/c/d;p?q",
        ".|http://a/b/c/",
        "./|http://a/b/c/",
        "..|http://a/b/",
        "../|http://a/b/",
        "../g|http://a/b/g",
        "../..|http://a/",
        "../../|http://a/",
        "../../g|http://a/g",
        "../../../g|http://a/g",
        "../../../../g|http://a/g",
        "/./g|http://a/g",
        "/../g|http://a/g",
        "g.|http://a/b/c/g.",
        ".g|http://a/b/c/.g",
        "g..|http://a/b/c/g..",
        "..g|http://a/b/c/..g",
        "./../g|http://a/b/g",
        "./g/.|http://a/b/c/g/",
        "g/./h|http://a/b/c/g/h",
        "g/../h|http://a/b/c/h",
        "g;x=1/./y|http://a/b/c/g;x=1/y",
        "g;x=1/../y|http://a/b/c/y",
        "g?y/./x|http://a/b/c/g?y/./x",
        "g?y/../x|http://a/b/c/g?y/../x",
        "g#s/./x|http://a/b/c/g#s/./x",
        "g#s/../x|http://a/b/c/g#s/../x"
      })
  void shouldResolveReferencesAsRfc3986Section54Does(String reference, String resolved)
      throws URISyntaxException {
    assertThat(UriReferences.resolve(new URI("http://a/b/c/d;p?q"), new URI(reference)))
        .hasToString(resolved);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://example.org|a.html|http://example.org/a.html",
        "http://example.org|?page=2|http://example.org/?page=2",
        "http://example.org/news/#top|''|http://example.org/news/",
        "/news/|a.html|/news/a.html",
        "/news/|../a.html|/a.html",
        "news/|a.html|news/a.html"
      })
  void shouldResolveAgainstABaseWithoutPathAndAgainstARelativeBase(
      String base, String reference, String resolved) throws URISyntaxException {
    assertThat(UriReferences.resolve(new URI(base), new URI(reference))).hasToString(resolved);
  }

  /**
   * {@link URI#resolve(URI)} (RFC 2396) collapsed empty segments: {@code /news//e.html} in an RSS
   * feed whose link is {@code https://ex.org/news/} became {@code https://ex.org/news/e.html},
   * another resource than the same link written absolute; and a base with a query and no path lost
   * its query ({@code xml:base="http://example.org?lang=en"} with {@code <link href=""/>} gave
   * {@code http://example.org/}). RFC 3986 §5.2.4 keeps empty segments, §5.2.2 the base's query.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://ex.org/news/|/news//e.html|https://ex.org/news//e.html",
        "https://ex.org/news/|x//y.html|https://ex.org/news/x//y.html",
        "https://ex.org//news/a|b.html|https://ex.org//news/b.html",
        "http://a/b/c|..//x|http://a//x",
        "http://a/b//c/|../x|http://a/b//x",
        "http://example.org?lang=en|''|http://example.org/?lang=en",
        "http://example.org?lang=en|#top|http://example.org/?lang=en#top",
        "http://example.org?lang=en|?p=2|http://example.org/?p=2",
        "http://example.org?lang=en|a.html|http://example.org/a.html",
        "//cdn.example.net/x/|../k.html|//cdn.example.net/k.html",
        "http://[2001:db8::1]:8080/v6/|../../e.html|http://[2001:db8::1]:8080/e.html"
      })
  void shouldKeepEmptySegmentsAndTheBaseQueryAsRfc3986Does(
      String base, String reference, String resolved) throws URISyntaxException {
    assertThat(UriReferences.resolve(new URI(base), new URI(reference))).hasToString(resolved);
  }

  @Test
  void shouldRemoveTheDotSegmentsOfAVeryLongPath() throws URISyntaxException {
    String climbs = "a/".repeat(200_000) + "../".repeat(200_000) + "b.html";

    assertThat(UriReferences.resolve(new URI("http://a/x/"), new URI(climbs)))
        .hasToString("http://a/x/b.html");
  }

  /** A feed's link without a path made {@code a.html} {@code http://example.orga.html}. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://example.org|a.html|http://example.org/a.html",
        "https://example.org/news/feed.xml|../sport/b.html|https://example.org/sport/b.html",
        "https://example.org/news/feed.xml|' /c.html '|https://example.org/c.html",
        "https://example.org/news/|https://other.example/x|https://other.example/x",
        "/relative/base/|a.html|a.html",
        "https://example.org/|a b.html|a b.html",
        "not a uri|a.html|a.html"
      })
  void shouldMakeALinkAbsoluteAgainstAnAbsoluteBaseOnly(String base, String link, String expected) {
    assertThat(UriReferences.absolute(base, link)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"|a.html|a.html", "https://example.org/|''|", "https://example.org/||"})
  void shouldKeepALinkWithoutBaseAndGiveNullForNoLink(String base, String link, String expected) {
    assertThat(UriReferences.absolute(base, link)).isEqualTo(expected);
  }
}
