package org.wireingest.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jsoup.Jsoup;
import org.jsoup.internal.StringUtil;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;
import org.junit.jupiter.api.Test;

/**
 * {@link UrlSafelist} against jsoup's own protocol check: {@link Html#SAFELIST} must clean every
 * fragment exactly as the jsoup-configured safelist it replaced (relaxed, plus figure, figcaption
 * and hr, without ftp links), down to the rewritten attribute values.
 */
class UrlSafelistTest {

  /** The safelist {@link Html#SAFELIST} replaced, with jsoup checking the protocols. */
  private static final Safelist JSOUP_CHECKED =
      Safelist.relaxed().addTags("figure", "figcaption", "hr").removeProtocols("a", "href", "ftp");

  private static final List<String> BASES =
      List.of(
          "",
          "https://www.example.com/world/story-1?x=1#top",
          "http://example.org/a/b/",
          "HTTPS://Example.COM",
          "https://user:secret@example.com:8443/p/q",
          "https://example.com/../../x/./y",
          "//cdn.example.com/path",
          "not a url",
          "mailto:desk@example.com",
          "tel:+441234",
          "file:/etc/passwd",
          "javascript:alert(1)",
          "ht\ttps://example.com/tab/",
          "https://exa\u0001mple.com/ctl/",
          "\u0000https://example.com/lead/",
          "https://example.com/ü/",
          "https://exa mple.com/space/",
          "https://[::1]:8080/v6/",
          "https://example.com:abc/port/",
          "https://example.com//other.example/p");

  private static final List<String> SCHEMES =
      List.of(
          "",
          "",
          "",
          "http:",
          "https:",
          "HTTP:",
          "hTtPs:",
          "javascript:",
          "JaVaScRiPt:",
          "java\tscript:",
          "java\nscript:",
          "jav\u0000ascript:",
          "\u0001javascript:",
          " javascript:",
          "javascript&colon;",
          "vbscript:",
          "data:",
          "mailto:",
          "MAILTO:",
          "tel:",
          "ftp:",
          "file:",
          "a,b:",
          "a+b.c-d:",
          "1http:",
          "ht tp:",
          "http\u0008:",
          "https\u001f:",
          "\u212Ahttp:",
          "ma\u0130lto:",
          ":",
          "http;",
          "ws:");

  private static final List<String> AUTHORITIES =
      List.of(
          "",
          "",
          "//",
          "//example.com",
          "//Example.COM:8080",
          "///",
          "//user@host",
          "//[::1]",
          "//exa mple.com",
          "//host:abc",
          "//h\u0002st",
          "//ü.example",
          "\\\\host");

  private static final List<String> PATHS =
      List.of(
          "",
          "/",
          "/a/b.jpg",
          "a/b",
          "../x",
          "./x",
          "/../../x",
          "/./y",
          "?q=1",
          "?",
          "#frag",
          "#",
          "#a b",
          "%zz",
          "/%41",
          "/ü/ä.png",
          " spaced ",
          "/a\u2028b",
          "\r\n/x",
          "/a?b=1&c#d",
          "alert(1)",
          "//evil.example/",
          "@evil.example",
          "/\u0000",
          "\u007f",
          "/x\uD800",
          "/.../x",
          "/..//x",
          "/.././x",
          ".",
          "..",
          "/.",
          "/..",
          "../../",
          "?a=../b");

  @Test
  void shouldCleanGeneratedElementsExactlyAsJsoupsProtocolCheck() {
    Random random = new Random(6);
    for (int round = 0; round < 3000; round++) {
      String base = pick(random, BASES);
      List<String[]> elements = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(6); i++) {
        elements.add(
            new String[] {
              pick(
                  random,
                  List.of("a", "A", "img", "IMG", "blockquote", "q", "cite", "figure", "span")),
              pick(random, List.of("href", "HREF", "src", "Src", "cite", "title", "onclick")),
              url(random)
            });
      }
      Document ours = built(base, elements);
      Document theirs = built(base, elements);
      assertSameCleaning(ours, theirs, base + " " + describe(elements));
    }
  }

  @Test
  void shouldCleanGeneratedHtmlExactlyAsJsoupsProtocolCheck() {
    Random random = new Random(66);
    for (int round = 0; round < 3000; round++) {
      String base = pick(random, BASES);
      StringBuilder html = new StringBuilder();
      for (int i = 0; i < 1 + random.nextInt(5); i++) {
        String tag = pick(random, List.of("a", "img", "blockquote", "q", "p", "div"));
        String attribute = pick(random, List.of("href", "src", "cite"));
        String value = url(random).replace("&", "&amp;").replace("\"", "&quot;");
        if (random.nextInt(4) == 0) {
          value = value.replace("a", "&#97;").replace(":", "&#x3a;").replace("\t", "&#9;");
        }
        html.append('<')
            .append(tag)
            .append(' ')
            .append(attribute)
            .append("=\"")
            .append(value)
            .append("\">x</")
            .append(tag)
            .append('>');
      }
      Document ours = Jsoup.parseBodyFragment(html.toString(), base);
      Document theirs = Jsoup.parseBodyFragment(html.toString(), base);
      assertSameCleaning(ours, theirs, base + " " + html);
    }
  }

  @Test
  void shouldNeverLetScriptUrlsThrough() {
    for (String base : BASES) {
      for (String hostile :
          List.of(
              "javascript:alert(1)",
              "JAVASCRIPT:alert(1)",
              "java\tscript:alert(1)",
              "\u0001javascript:alert(1)",
              " javascript:alert(1)",
              "vbscript:msgbox(1)",
              "data:text/html,<script>alert(1)</script>",
              "jav&#x09;ascript:alert(1)")) {
        String html =
            "<a href=\""
                + hostile
                + "\">a</a><img src=\""
                + hostile
                + "\"><q cite=\""
                + hostile
                + "\">q</q>";
        String cleaned =
            new Cleaner(Html.SAFELIST).clean(Jsoup.parseBodyFragment(html, base)).body().html();
        assertThat(cleaned)
            .as(base + " " + hostile)
            .doesNotContainIgnoringCase("script:")
            .doesNotContain("data:")
            .doesNotContain("href");
      }
    }
  }

  @Test
  void plainHttpUrlsAreWhatJsoupResolvesThemToAgainstAnyBase() {
    Random random = new Random(7);
    String chars = "abcXYZ019-._~!$&'()*+,;=:@/%?";
    String odd = "#. \u00e9\\[]\"<>^`{|}\u0000";
    int plain = 0;
    for (int round = 0; round < 20_000; round++) {
      StringBuilder url =
          new StringBuilder(pick(random, List.of("https://", "http://", "HTTPS://", "ftp://")));
      url.append(
          pick(
              random,
              List.of(
                  "example.com",
                  "www.trtworld.com",
                  "a.b-c.d",
                  "x..y",
                  ".x",
                  "x.",
                  "-x",
                  "Ex.com",
                  "1.2.3.4",
                  "h:8080",
                  "u@h",
                  "[::1]",
                  "")));
      url.append(random.nextInt(4) == 0 ? "" : "/");
      for (int i = random.nextInt(24); i > 0; i--) {
        String from = random.nextInt(20) == 0 ? odd : chars;
        url.append(from.charAt(random.nextInt(from.length())));
      }
      String candidate = url.toString();
      if (UrlSafelist.isPlainHttpUrl(candidate)) {
        plain++;
        for (String base : BASES) {
          assertThat(StringUtil.resolve(base, candidate))
              .as(base + " + " + candidate)
              .isEqualTo(candidate);
        }
      }
    }
    assertThat(plain).as("plain URLs among the generated ones").isGreaterThan(1_000);
    // Hosts URL keeps as written although they are no valid host names, odd but plain paths, and a
    // same-scheme base with a query and a fragment (which a link with a host must not inherit).
    for (String unusual :
        List.of(
            "http://a-.b/",
            "http://x./p",
            "http://a//B/C:@d",
            "https://h/%7e?x=1?y=2",
            "http://h")) {
      assertThat(UrlSafelist.isPlainHttpUrl(unusual)).as(unusual).isTrue();
      for (String base :
          List.of("http://example.org/p?q=1#f", "https://example.org/a/b/c?q", "x:y", "")) {
        assertThat(StringUtil.resolve(base, unusual)).as(base + " + " + unusual).isEqualTo(unusual);
      }
    }
    for (String notPlain :
        List.of(
            "http://x?y",
            "http://-x/",
            "http://.x/",
            "http://x..y/",
            "http://h:80/",
            "http://u@h/",
            "http://H/",
            "http://h/a b",
            "http://h/\u00e9")) {
      assertThat(UrlSafelist.isPlainHttpUrl(notPlain)).as(notPlain).isFalse();
    }
    assertThat(
            UrlSafelist.isPlainHttpUrl(
                "https://www.trtworld.com/images/2026/11/30/story-123.jpg?w=800&h=600"))
        .isTrue();
    assertThat(UrlSafelist.isPlainHttpUrl("https://example.com/a/./b")).isFalse();
    assertThat(UrlSafelist.isPlainHttpUrl("https://example.com/a#top")).isFalse();
    assertThat(UrlSafelist.isPlainHttpUrl("/relative/path.jpg")).isFalse();
  }

  @Test
  void shouldRemoveOnlyControlCharacters() {
    assertThat(UrlSafelist.withoutControlCharacters("https://example.com/a b"))
        .isSameAs("https://example.com/a b");
    assertThat(UrlSafelist.withoutControlCharacters("\u0000ja\tva\nscr\u001fipt:\u007f\u0080x"))
        .isEqualTo("javascript:\u007f\u0080x");
    assertThat(UrlSafelist.withoutControlCharacters("")).isEmpty();
  }

  @Test
  void shouldRecogniseSchemesAsJsoupDoes() {
    assertThat(UrlSafelist.startsWithScheme("tel:+441234")).isTrue();
    assertThat(UrlSafelist.startsWithScheme("a,b+c.d-e:x"))
        .isTrue(); // jsoup's class [+-.] is the range + , - .
    assertThat(UrlSafelist.startsWithScheme("1tel:x")).isFalse();
    assertThat(UrlSafelist.startsWithScheme("te l:x")).isFalse();
    assertThat(UrlSafelist.startsWithScheme("tel")).isFalse();
    assertThat(UrlSafelist.startsWithScheme(":x")).isFalse();
    assertThat(UrlSafelist.startsWithScheme("")).isFalse();
  }

  @Test
  void shouldAcceptOnlyHttpSchemesOrNoneForUrlsOutsideHtml() {
    assertThat(UrlSafelist.hasSafeScheme("https://cdn.example/a.jpg")).isTrue();
    assertThat(UrlSafelist.hasSafeScheme(" HTTP://cdn.example/a.jpg")).isTrue();
    assertThat(UrlSafelist.hasSafeScheme("/images/a.jpg")).isTrue();
    assertThat(UrlSafelist.hasSafeScheme("//cdn.example/a.jpg")).isTrue();
    assertThat(UrlSafelist.hasSafeScheme("a.jpg?x=y:z")).isTrue();
    assertThat(UrlSafelist.hasSafeScheme(" java\tscript:alert(1)")).isFalse();
    assertThat(UrlSafelist.hasSafeScheme("\u0000javascript:alert(1)")).isFalse();
    assertThat(UrlSafelist.hasSafeScheme("data:image/png;base64,AAAA")).isFalse();
    assertThat(UrlSafelist.hasSafeScheme("file:///etc/passwd")).isFalse();
    assertThat(UrlSafelist.hasSafeScheme("https-evil:x")).isFalse();
  }

  @Test
  void shouldRejectAnchorRules() {
    assertThatThrownBy(() -> new UrlSafelist(Safelist.none()).requireProtocols("a", "href", "#"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertSameCleaning(Document ours, Document theirs, String description) {
    Document oursCleaned = new Cleaner(Html.SAFELIST).clean(ours);
    Document theirsCleaned = new Cleaner(JSOUP_CHECKED).clean(theirs);
    oursCleaned.outputSettings().prettyPrint(false);
    theirsCleaned.outputSettings().prettyPrint(false);
    assertThat(oursCleaned.body().html()).as(description).isEqualTo(theirsCleaned.body().html());
    // jsoup rewrites the checked attributes of the source document too: so must the replacement.
    ours.outputSettings().prettyPrint(false);
    theirs.outputSettings().prettyPrint(false);
    assertThat(ours.body().html()).as(description).isEqualTo(theirs.body().html());
    assertThat(new Cleaner(Html.SAFELIST).isValid(ours))
        .as(description)
        .isEqualTo(new Cleaner(JSOUP_CHECKED).isValid(theirs));
  }

  private static Document built(String base, List<String[]> elements) {
    Document document = Document.createShell(base);
    Element parent = document.body();
    for (String[] element : elements) {
      Element child = parent.appendElement(element[0]).attr(element[1], element[2]).appendText("x");
      if (element[0].equals("span")) {
        parent = child; // nest: the base URI is looked up through the ancestors
      }
    }
    return document;
  }

  private static String url(Random random) {
    return pick(random, SCHEMES)
        + pick(random, AUTHORITIES)
        + pick(random, PATHS)
        + (random.nextInt(5) == 0 ? pick(random, PATHS) : "");
  }

  private static String pick(Random random, List<String> options) {
    return options.get(random.nextInt(options.size()));
  }

  private static String describe(List<String[]> elements) {
    StringBuilder out = new StringBuilder();
    for (String[] element : elements) {
      out.append('<').append(String.join(" ", element)).append('>');
    }
    return out.toString();
  }
}
