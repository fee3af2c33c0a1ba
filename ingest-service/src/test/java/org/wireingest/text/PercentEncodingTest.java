package org.wireingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PercentEncodingTest {

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      value = {
        "https://img.example.org/Harbour at dawn|2.jpg => https://img.example.org/Harbour%20at%20dawn%7C2.jpg",
        "https://img.example.org/%zz/çay.jpg => https://img.example.org/%25zz/%C3%A7ay.jpg",
        "https://img.example.org/a^b{c}\"d`e<f>g\\h.jpg => https://img.example.org/a%5Eb%7Bc%7D%22d%60e%3Cf%3Eg%5Ch.jpg",
        "https://[2001:db8::1]:8443/gallery[1].jpg => https://[2001:db8::1]:8443/gallery%5B1%5D.jpg",
        "https://img.example.org/c.jpg#x#y => https://img.example.org/c.jpg#x%23y",
        "https://img.example.org/a.jpg?caption=çay ve simit => https://img.example.org/a.jpg?caption=%C3%A7ay%20ve%20simit",
        "https://img.example.org/😀.jpg => https://img.example.org/%F0%9F%98%80.jpg",
        "//cdn.example.org/[x] y.jpg => //cdn.example.org/%5Bx%5D%20y.jpg",
        "img/a b[1].jpg => img/a%20b%5B1%5D.jpg",
        "mailto:desk@example.org?subject=a b => mailto:desk@example.org?subject=a%20b",
      })
  void shouldEscapeWhatRfc3986Refuses(String reference, String expected) {
    assertThat(PercentEncoding.escapeRefused(reference)).contains(expected);
  }

  /**
   * A media URL keeps its query as the publisher wrote it: its parameters (tracking ones too: a
   * signed image URL may cover them) and its escapes, neither decoded nor re-cased.
   */
  @Test
  void shouldKeepQueryParametersAndEscapesAsWritten() {
    assertThat(
            PercentEncoding.escapeRefused(
                "https://img.example.org/a%2fb%41.jpg?utm_source=rss&fbclid=X&w=460 px&_=1&s=%7e#top"))
        .contains(
            "https://img.example.org/a%2fb%41.jpg?utm_source=rss&fbclid=X&w=460%20px&_=1&s=%7e#top");
  }

  @Test
  void shouldGiveTheSameStringWhenNothingIsRefused() {
    String url = "https://user:pw@img.example.org:8080/a;v=1/b.jpg?w=1&h=2#f?x/y";

    assertThat(PercentEncoding.escapeRefused(url)).get().isSameAs(url);
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      value = {
        "https://bücher.example/a.jpg => https://xn--bcher-kva.example/a.jpg",
        "https://u:p@BÜCHER.example:8080/çay.jpg?q=ü => https://u:p@xn--bcher-kva.example:8080/%C3%A7ay.jpg?q=%C3%BC",
        "//bücher.example/a b.jpg => //xn--bcher-kva.example/a%20b.jpg",
        "https://ü:p@img.example.org/a.jpg => https://%C3%BC:p@img.example.org/a.jpg",
        "https://日本。example/a.jpg => https://xn--wgv71a.example/a.jpg",
      })
  void shouldGiveAnInternationalisedHostItsAsciiForm(String reference, String expected) {
    assertThat(PercentEncoding.escapeRefused(reference)).contains(expected);
  }

  @Test
  void shouldGiveNothingForAHostIdnaRefuses() {
    assertThat(PercentEncoding.escapeRefused("https://bü" + "x".repeat(70) + ".example/a b.jpg"))
        .isEmpty();
  }

  @Test
  void shouldGiveNothingForAnUnpairedSurrogate() {
    assertThat(PercentEncoding.escapeRefused("https://img.example.org/a\uD800.jpg")).isEmpty();
  }

  /**
   * The canonicaliser and the media URLs share one encoding loop and one ASCII form of a host: a
   * URL escaped first has the canonical form of the URL as written, and is a URI.
   */
  @Test
  void shouldEscapeAsTheCanonicalizerDoesBeforeItNormalizes() throws URISyntaxException {
    String alphabet = "aZ09-._~!$&'()*+,;=:@/?#[]% \"<>\\^`{|}çü€\u00A0\uD83D\uDE00%2f%41%c3%bc";
    String[] hosts = {
      "img.example.org/", "bücher.example/", "u:p@BÜCHER.example:8080/", "[2001:db8::1]/"
    };
    Random random = new Random(7);
    for (int run = 0; run < 5_000; run++) {
      StringBuilder url = new StringBuilder("https://").append(hosts[random.nextInt(hosts.length)]);
      int length = random.nextInt(24);
      for (int i = 0; i < length; i++) {
        int pick = random.nextInt(alphabet.length() - 1);
        if (Character.isLowSurrogate(alphabet.charAt(pick))) {
          pick--;
        }
        url.append(alphabet.charAt(pick));
        if (Character.isHighSurrogate(alphabet.charAt(pick))) {
          url.append(alphabet.charAt(pick + 1));
        }
      }
      url.append('x'); // the canonicaliser strips white space at the ends, which is no escaping
      String escaped = PercentEncoding.escapeRefused(url.toString()).orElseThrow();

      assertThat(UrlCanonicalizer.canonicalize(escaped))
          .as("canonical form of %s, escaped as %s", url, escaped)
          .isEqualTo(UrlCanonicalizer.canonicalize(url.toString()));
      assertThat(new URI(escaped).toString()).isEqualTo(escaped);
    }
  }
}
