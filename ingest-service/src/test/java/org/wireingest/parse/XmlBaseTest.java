package org.wireingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URISyntaxException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XmlBaseTest {

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
    assertThat(XmlBase.resolve(new URI("http://a/b/c/d;p?q"), new URI(reference)))
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
    assertThat(XmlBase.resolve(new URI(base), new URI(reference))).hasToString(resolved);
  }
}
