package org.wireingest.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.text.Normalizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HtmlTest {

  private static final String BASE = "https://www.trtworld.com/world/story-123";

  @Test
  void shouldRemoveScriptStyleAndIframeWithTheirContent() {
    String html =
        "<p>Kept</p><script>alert('x')</script><style>p{color:red}</style><iframe src=\"https://ads.example/\">frame text</iframe>";
    assertThat(Html.sanitize(html, BASE)).isEqualTo("<p>Kept</p>");
  }

  @Test
  void shouldRemoveEventHandlersAndJavascriptLinks() {
    assertThat(
            Html.sanitize(
                "<p onclick=\"steal()\">Hi <a href=\"javascript:steal()\">there</a></p>", BASE))
        .isEqualTo("<p>Hi <a>there</a></p>");
  }

  @Test
  void shouldMakeRelativeLinksAndImagesAbsolute() {
    assertThat(
            Html.sanitize(
                "<p><a href=\"/turkey/other\">other</a><img src=\"img/a.jpg\" alt=\"A\"></p>",
                BASE))
        .isEqualTo(
            "<p><a href=\"https://www.trtworld.com/turkey/other\">other</a><img src=\"https://www.trtworld.com/world/img/a.jpg\" alt=\"A\"></p>");
  }

  @Test
  void shouldDropRelativeImagesWithoutBaseUri() {
    assertThat(Html.sanitize("<p>Text<img src=\"/a.jpg\"></p>")).isEqualTo("<p>Text</p>");
  }

  @Test
  void shouldKeepNewsStructureAndUnwrapUnknownElements() {
    assertThat(
            Html.sanitize(
                "<figure><img src=\"https://cdn.example/a.jpg\"><figcaption>Cap</figcaption></figure><custom-box><h2>Sub</h2></custom-box>",
                BASE))
        .isEqualTo(
            "<figure><img src=\"https://cdn.example/a.jpg\"><figcaption>Cap</figcaption></figure><h2>Sub</h2>");
  }

  @Test
  void shouldSanitizeDoubleEscapedHtmlAsHtml() {
    assertThat(Html.sanitize("&lt;p&gt;One &amp;amp; two&lt;/p&gt;", BASE))
        .isEqualTo("<p>One &amp; two</p>");
  }

  @Test
  void shouldSanitizeNullToNull() {
    assertThat(Html.sanitize(null, BASE)).isNull();
  }

  @Test
  void shouldGiveEmptyTextForNull() {
    assertThat(Html.toText(null)).isEmpty();
  }

  @Test
  void shouldSeparateParagraphsByBlankLine() {
    assertThat(
            Html.toText(
                "<p>First  paragraph\n continues.</p><p>Second.</p><ul><li>One</li><li>Two</li></ul>"))
        .isEqualTo("First paragraph continues.\n\nSecond.\n\nOne\n\nTwo");
  }

  @Test
  void shouldKeepTheCellsOfATableRowApart() {
    // Regression: a minified table (no whitespace between the cells, as CMSs write election and
    // sports results) ran its cells' words together, "NameVotes" and "Ankara52.1", because td and
    // th are neither blocks nor <br>.
    assertThat(
            Html.toText(
                "<table><tr><th>Name</th><th>Votes</th></tr>"
                    + "<tr><td>Ankara</td><td><b>52.1</b></td><td></td><td>%</td></tr></table>"))
        .isEqualTo("Name Votes\n\nAnkara 52.1 %");
    assertThat(Html.toText("<table>\n<tr>\n <td> a </td>\n <td>b</td>\n</tr>\n</table>"))
        .isEqualTo("a b");
  }

  @Test
  void shouldKeepLineBreakAndTreatDoubleBreakAsParagraph() {
    assertThat(Html.toText("Line one<br>Line two<br/><br/>Next paragraph"))
        .isEqualTo("Line one\nLine two\n\nNext paragraph");
  }

  @Test
  void shouldDecodeEntitiesAndCollapseNoBreakSpaces() {
    assertThat(Html.toText("<p>Erdo&#287;an &amp; Co&nbsp;&nbsp;met &ldquo;today&rdquo;</p>"))
        .isEqualTo("Erdoğan & Co met “today”");
  }

  @Test
  void shouldSkipScriptAndStyleText() {
    assertThat(Html.toText("<p>Visible</p><script>var x = 1;</script><style>.a{}</style>"))
        .isEqualTo("Visible");
  }

  @Test
  void shouldReadTextThatIsNotHtml() {
    assertThat(Html.toText("Tom & Jerry <3 cheese;  5 < 6"))
        .isEqualTo("Tom & Jerry <3 cheese; 5 < 6");
  }

  @Test
  void shouldKeepBlankLineParagraphsOfPlainText() {
    assertThat(Html.toText("  First para\nwraps here.\n\n\n  Second para.  "))
        .isEqualTo("First para wraps here.\n\nSecond para.");
  }

  // Found in a review: a line of only no-break spaces (a CMS's empty paragraph) did not separate
  // the paragraphs of plain text, which ran together
  @Test
  void shouldTakeALineOfNoBreakSpacesAsABlankLine() {
    assertThat(Html.toText("First para.\n\u00A0\nSecond para.\n \u202F\u00A0 \nThird."))
        .isEqualTo("First para.\n\nSecond para.\n\nThird.");
  }

  // Found in a review: a line of only zero-width spaces (or other format characters: a byte order
  // mark, a word joiner) did not separate the paragraphs of plain text, as a line of no-break
  // spaces does
  @Test
  void shouldTakeALineOfZeroWidthSpacesAsABlankLine() {
    assertThat(Html.toText("First para.\n\u200B\nSecond para.\n \u200B\u00A0\uFEFF\u2060 \nThird."))
        .isEqualTo("First para.\n\nSecond para.\n\nThird.");
  }

  // A CMS's empty paragraph in HTML, <p>&#8203;</p>, was kept as a paragraph of one invisible
  // character between two blank lines
  @Test
  void shouldLeaveOutAnHtmlParagraphThatShowsNothing() {
    assertThat(Html.toText("<p>First.</p><p>\u200B</p><p>&#xFEFF; \u00AD</p><p>Second.</p>"))
        .isEqualTo("First.\n\nSecond.");
  }

  // Found in a review: U+2029 PARAGRAPH SEPARATOR and U+2028 LINE SEPARATOR in plain text were
  // collapsed to spaces, running paragraphs and lines together
  @Test
  void shouldBreakPlainTextAtParagraphAndLineSeparators() {
    assertThat(
            Html.toText("First para.\u2029Second para, \u2028 its second line. \u2029\u2029Third."))
        .isEqualTo("First para.\n\nSecond para,\nits second line.\n\nThird.");
    assertThat(Html.toText("\u2028 Only line.\u2028\u2028 Next\n line.\u2028"))
        .isEqualTo("Only line.\nNext line.");
  }

  @Test
  void shouldReadDoubleEscapedHtmlAsHtml() {
    assertThat(Html.toText("&lt;p&gt;Ankara talks&lt;/p&gt;&lt;p&gt;Resumed&lt;/p&gt;"))
        .isEqualTo("Ankara talks\n\nResumed");
  }

  @Test
  void shouldNotMistakeEscapedLessThanInPlainTextForMarkup() {
    assertThat(Html.toText("Scores &lt;5% in poll")).isEqualTo("Scores <5% in poll");
  }

  @Test
  void shouldListImageSourcesInOrderWithoutRepeats() {
    String html =
        "<p><img src=\"https://cdn.example/1.jpg\"><img src=\"/2.png\"><img src=\"https://cdn.example/1.jpg\"><img src=\"data:image/png;base64,AAAA\"></p>";
    assertThat(Html.imageSources(html, BASE))
        .containsExactly("https://cdn.example/1.jpg", "https://www.trtworld.com/2.png");
  }

  /**
   * Found in a hostile test: an image with an empty source ({@code <img src="">}) shows nothing,
   * but the empty reference resolved against the base URI is the story's page, which became an
   * image of the body and the story's picture. (With a lazy-loading attribute beside it, the image
   * takes that attribute's URL: {@link #shouldTakeALazilyLoadedImageFromItsLazyAttribute}.) So did
   * a source that is only a fragment ({@code <img src="#">}, a lazy-loading placeholder too), and
   * beside a lazy attribute it kept the page and lost the picture.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n ", "#", " #top"})
  void shouldDropAnImageWithABlankSource(String source) {
    String html =
        "<p>Text</p><img src=\""
            + source
            + "\" data-src=\"javascript:alert(1)\" alt=\"A\"><img src=\"/2.png\">";

    assertThat(Html.imageSources(html, BASE)).containsExactly("https://www.trtworld.com/2.png");
    assertThat(Html.sanitize(html, BASE))
        .isEqualTo("<p>Text</p><img src=\"https://www.trtworld.com/2.png\">");
  }

  /**
   * A CMS that lazy-loads its images (lazysizes, WordPress plug-ins, WP Rocket, jQuery Lazy Load)
   * leaves {@code src} empty, absent or a placeholder {@code data:} URI and puts the real URL in a
   * data attribute: the story lost its pictures.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "<img src=\"\" data-src=\"img/lazy.jpg\">",
        "<img data-src=\"img/lazy.jpg\">",
        "<img src=\"data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7\""
            + " data-lazy-src=\"img/lazy.jpg\">",
        "<img src=\"data:image/svg+xml,%3Csvg%3E%3C/svg%3E\" data-original=\"img/lazy.jpg\">",
        "<img src=\"\" srcset=\"img/lazy.jpg\">",
        "<img data-srcset=\"img/lazy.jpg 1x\">",
        "<img src=\"data:,\" data-lazy-srcset=\"img/lazy.jpg 640w\">",
        "<img src=\"javascript:void(0)\" DATA-SRC=\"img/lazy.jpg\">",
        "<img src=\"\" SrcSet=\"img/lazy.jpg 2x\">",
        "<img src=\"#\" data-src=\"img/lazy.jpg\">",
      })
  void shouldTakeALazilyLoadedImageFromItsLazyAttribute(String image) {
    String html = "<p>Text</p>" + image;

    assertThat(Html.sanitize(html, BASE))
        .isEqualTo("<p>Text</p><img src=\"https://www.trtworld.com/world/img/lazy.jpg\">");
    assertThat(Html.imageSources(html, BASE))
        .containsExactly("https://www.trtworld.com/world/img/lazy.jpg");
  }

  @Test
  void shouldTakeALazilyLoadedImageInDoubleEscapedHtml() {
    String html = "&lt;p&gt;Text&lt;/p&gt;&lt;img src=\"\" data-src=\"img/lazy.jpg\"&gt;";

    assertThat(Html.sanitize(html, BASE))
        .isEqualTo("<p>Text</p><img src=\"https://www.trtworld.com/world/img/lazy.jpg\">");
  }

  @Test
  void shouldPreferDataSrcThenDataLazySrcThenDataOriginalThenSrcset() {
    String all =
        "<img src=\"\" data-src=\"https://cdn.example/1.jpg\""
            + " data-lazy-src=\"https://cdn.example/2.jpg\""
            + " data-original=\"https://cdn.example/3.jpg\""
            + " srcset=\"https://cdn.example/4.jpg\" data-srcset=\"https://cdn.example/5.jpg\""
            + " data-lazy-srcset=\"https://cdn.example/6.jpg\">";

    assertThat(Html.imageSources(all, BASE)).containsExactly("https://cdn.example/1.jpg");
    // a usable src comes first of all: an http(s) placeholder cannot be told from a picture
    assertThat(Html.sanitize(all.replace("src=\"\"", "src=\"https://cdn.example/0.jpg\""), BASE))
        .isEqualTo("<img src=\"https://cdn.example/0.jpg\">");
    assertThat(Html.imageSources(all.replace(" data-src=", " data-x="), BASE))
        .containsExactly("https://cdn.example/2.jpg");
    assertThat(
            Html.imageSources(
                all.replace(" data-src=", " data-x=").replace(" data-lazy-src=", " data-y="), BASE))
        .containsExactly("https://cdn.example/3.jpg");
    assertThat(
            Html.imageSources(
                "<img srcset=\"https://cdn.example/4.jpg\" data-srcset=\"https://cdn.example/5.jpg\""
                    + " data-lazy-srcset=\"https://cdn.example/6.jpg\">",
                BASE))
        .containsExactly("https://cdn.example/4.jpg");
    assertThat(
            Html.imageSources(
                "<img srcset=\"data:image/gif;base64,R0lGOD\""
                    + " data-srcset=\"https://cdn.example/5.jpg\">",
                BASE))
        .containsExactly("https://cdn.example/5.jpg");
  }

  /** A lazy attribute is read through the same safelist as {@code src}: http(s) only. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "javascript:alert(document.cookie)",
        " JavaScript:alert(1)",
        "data:image/png;base64,iVBORw0KGgo=",
        "vbscript:msgbox(1)",
        "ftp://files.example/a.jpg",
        "",
        " \t"
      })
  void shouldRefuseALazySourceThatIsNotHttp(String lazy) {
    String html =
        "<p>Text</p><img src=\"\" data-src=\""
            + lazy
            + "\" data-original=\""
            + lazy
            + "\" srcset=\""
            + lazy
            + "\"><img data-src=\"https://cdn.example/ok.jpg\">";

    assertThat(Html.sanitize(html, BASE))
        .isEqualTo("<p>Text</p><img src=\"https://cdn.example/ok.jpg\">");
    assertThat(Html.imageSources(html, BASE)).containsExactly("https://cdn.example/ok.jpg");
  }

  @Test
  void shouldFallBackToTheNextLazyAttributeWhenOneIsRefused() {
    assertThat(
            Html.imageSources(
                "<img data-src=\"javascript:alert(1)\" data-lazy-src=\"https://cdn.example/ok.jpg\">",
                BASE))
        .containsExactly("https://cdn.example/ok.jpg");
  }

  @Test
  void shouldSkipARelativeLazySourceWithoutBaseUri() {
    assertThat(
            Html.imageSources("<img data-src=\"/lazy.jpg\"><img data-src=\"//cdn.example/b.jpg\">"))
        .isEmpty();
    assertThat(Html.imageSources("<img data-src=\"//cdn.example/b.jpg\">", BASE))
        .containsExactly("https://cdn.example/b.jpg");
  }

  /** HTML Living Standard, "parse a srcset attribute": the largest candidate is taken. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // widths: the largest, whatever the order
        "/s.jpg 320w, /l.jpg 1280w, /m.jpg 640w | /l.jpg",
        // densities: the largest; no descriptor is 1x
        "/a.jpg, /a@3x.jpg 3x, /a@2x.jpg 2x | /a@3x.jpg",
        "/a.jpg 1.5x, /b.jpg | /a.jpg",
        "/a.jpg .5x, /b.jpg 1e1x | /b.jpg",
        // widths win over densities (mixing them is invalid authoring, widths are real sizes)
        "/x.jpg 4x, /w.jpg 100w | /w.jpg",
        // commas inside a URL are part of it; only trailing commas separate
        "https://cdn.example/c_fill,w_320/a.jpg 320w, https://cdn.example/c_fill,w_960/a.jpg 960w"
            + " | https://cdn.example/c_fill,w_960/a.jpg",
        "/one.jpg,/two.jpg 2x, /three.jpg | /one.jpg,/two.jpg",
        "/a,b.jpg,, ,/c.jpg 0.5x | /a,b.jpg",
        // width with height is valid; the height is ignored
        "/h.jpg 800w 600h, /s.jpg 400w | /h.jpg",
        // garbage descriptors drop their candidate only
        "/big.jpg 2000 w, /bad.jpg 1.5w, /zero.jpg 0w, /neg.jpg -2x, /two.jpg 1x 2x, /ok.jpg 10w"
            + " | /ok.jpg",
        "/both.jpg 10w 2x, /h.jpg 50h, /ok.jpg | /ok.jpg",
        // descriptors in parentheses may hold commas (a future descriptor syntax)
        "/f.jpg (a, b), /ok.jpg 2x | /ok.jpg",
        // of equal candidates the first wins
        "/first.jpg 2x, /second.jpg 2x | /first.jpg",
      })
  void shouldTakeTheLargestValidSrcsetCandidate(String srcset, String expected) {
    String html = "<img srcset=\"" + srcset + "\">";

    assertThat(Html.imageSources(html, "https://www.trtworld.com/"))
        .containsExactly(
            expected.startsWith("/") ? "https://www.trtworld.com" + expected : expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " , ,", "garbage here", "/a.jpg 0w", "/a.jpg 2y", "/a.jpg x"})
  void shouldKeepAnImageWithoutAValidSrcsetCandidateOutOfTheBody(String srcset) {
    String html =
        "<p>Text</p><img src=\"\" srcset=\""
            + srcset
            + "\"><img srcset=\"https://cdn.example/ok.jpg 1x\">";

    assertThat(Html.sanitize(html, BASE))
        .isEqualTo("<p>Text</p><img src=\"https://cdn.example/ok.jpg\">");
  }

  /**
   * WordPress lazy-loading plug-ins write a placeholder with the URL in a data attribute and the
   * real image again in {@code <noscript>}: the picture is listed once, from the placeholder.
   */
  @Test
  void shouldNotDuplicateALazyImageThatIsRepeatedInNoscript() {
    String html =
        "<figure><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\""
            + " data-lazy-src=\"https://cdn.example/p.jpg\" class=\"lazyload\">"
            + "<noscript><img src=\"https://cdn.example/p.jpg\"></noscript>"
            + "<figcaption>Cap</figcaption></figure>";

    assertThat(Html.sanitize(html, BASE))
        .isEqualTo(
            "<figure><img src=\"https://cdn.example/p.jpg\"><figcaption>Cap</figcaption></figure>");
    assertThat(Html.imageSources(html, BASE)).containsExactly("https://cdn.example/p.jpg");
  }

  /**
   * Lazy-loading plug-ins that write a placeholder without any lazy attribute ({@code <img
   * class="lazyload">}, or a {@code data:} GIF as its {@code src}) and the real image only in the
   * {@code <noscript>} after it: the {@code <noscript>} was dropped with its content, and the story
   * lost its picture, in the body and in its media list. The image of the {@code <noscript>} takes
   * the placeholder's place, once.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "<img class=\"lazyload\">",
        "<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" class=\"lazyload\">",
        "<img src=\"\" width=\"1\" height=\"1\">",
        "<img src=\"javascript:void(0)\">",
      })
  void shouldTakeTheImageOfANoscriptAfterAPlaceholderWithoutSource(String placeholder) {
    String html =
        "<figure>"
            + placeholder
            + "\n<noscript> <img src=\"/p.jpg\" alt=\"P\"> </noscript>"
            + "<figcaption>Cap</figcaption></figure>";

    assertThat(Html.sanitize(html, BASE))
        .isEqualTo(
            "<figure><img src=\"https://www.trtworld.com/p.jpg\" alt=\"P\">\n"
                + "<figcaption>Cap</figcaption></figure>");
    assertThat(Html.imageSources(html, BASE)).containsExactly("https://www.trtworld.com/p.jpg");
  }

  /**
   * Only a {@code <noscript>} holding one image and nothing else, right after a placeholder image
   * that has no usable source, gives up its image: any other {@code <noscript>} stays dropped with
   * its content, its text never in the body, and a refused source stays refused.
   */
  @Test
  void shouldKeepDroppingEveryOtherNoscript() {
    String html =
        "<p>T</p><img class=\"lazyload\"><noscript><img src=\"https://cdn.example/ok.jpg\">"
            + "</noscript>"
            // text beside the image
            + "<img class=\"lazyload\"><noscript><img src=\"https://cdn.example/1.jpg\">"
            + "Enable JavaScript</noscript>"
            // two images
            + "<img class=\"lazyload\"><noscript><img src=\"https://cdn.example/2.jpg\">"
            + "<img src=\"https://cdn.example/3.jpg\"></noscript>"
            // an image inside another element
            + "<img class=\"lazyload\"><noscript><a href=\"https://x.example/\">"
            + "<img src=\"https://cdn.example/4.jpg\"></a></noscript>"
            // no placeholder before it
            + "<p>U</p><noscript><img src=\"https://cdn.example/5.jpg\"></noscript>"
            // text between the placeholder and the noscript
            + "<img class=\"lazyload\">V<noscript><img src=\"https://cdn.example/6.jpg\"></noscript>"
            // a real image before it: the picture once
            + "<img src=\"https://cdn.example/7.jpg\"><noscript>"
            + "<img src=\"https://cdn.example/7b.jpg\"></noscript>"
            // the safelist still applies
            + "<img class=\"lazyload\"><noscript><img src=\"javascript:alert(1)\"></noscript>"
            + "<img class=\"lazyload\"><noscript><img src=\"data:image/png;base64,iVBO\">"
            + "</noscript>";

    assertThat(Html.sanitize(html, BASE))
        .isEqualTo(
            "<p>T</p><img src=\"https://cdn.example/ok.jpg\"><p>U</p>V"
                + "<img src=\"https://cdn.example/7.jpg\">");
    assertThat(Html.imageSources(html, BASE))
        .containsExactly("https://cdn.example/ok.jpg", "https://cdn.example/7.jpg");
    assertThat(Html.toText(html)).isEqualTo("T\n\nU\n\nV");
  }

  /**
   * A plug-in that writes an http(s) placeholder ({@code src="https://site/lazy-placeholder.gif"})
   * beside the real URL in a lazy attribute, with a class naming lazy loading: the placeholder was
   * kept as the story's picture and the real one ignored. As Mozilla Readability does, the lazy
   * attribute wins over the {@code src} of an image whose class names lazy loading; an image with a
   * usable {@code src} and no such class, or no usable lazy attribute, keeps its {@code src}.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "lazyload | data-src=\"/photo.jpg\"",
        "img LazyLoad | data-lazy-src=\"/photo.jpg\"",
        "wp-lazy-image | data-original=\"/photo.jpg\"",
        "lazy | data-srcset=\"/small.jpg 300w, /photo.jpg 1200w\"",
        "lazyload | data-lazy-srcset=\"/photo.jpg 2x\"",
      })
  void shouldPreferALazyAttributeToAnHttpPlaceholderWhenTheClassNamesLazyLoading(
      String className, String lazyAttribute) {
    String html =
        "<p>T</p><img src=\"https://www.trtworld.com/lazy-placeholder.gif\" class=\""
            + className
            + "\" "
            + lazyAttribute
            + ">"
            // an image that is really an image: its own srcset is no lazy attribute
            + "<img src=\"/real.jpg\" srcset=\"/real-big.jpg 2x\" class=\""
            + className
            + "\">"
            // a refused lazy attribute leaves the src
            + "<img src=\"/kept.jpg\" data-src=\"javascript:alert(1)\" class=\""
            + className
            + "\">"
            // no class naming lazy loading: the src stays
            + "<img src=\"/plain.jpg\" "
            + lazyAttribute
            + ">";

    assertThat(Html.imageSources(html, BASE))
        .containsExactly(
            "https://www.trtworld.com/photo.jpg",
            "https://www.trtworld.com/real.jpg",
            "https://www.trtworld.com/kept.jpg",
            "https://www.trtworld.com/plain.jpg");
  }

  /**
   * Found in a review: any class name containing {@code lazy} counted as naming lazy loading, so
   * the classes plug-ins give an image to keep it out of lazy loading ({@code nolazy}, {@code
   * skip-lazy}, {@code no-lazyload}, {@code lazy-disabled}) let a {@code data-src} replace its real
   * {@code src}: the story's picture became the thumbnail a gallery script had put there. Such an
   * image keeps its {@code src}.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "nolazy",
        "skip-lazy",
        "no-lazyload",
        "lazy-disabled",
        "a3-notlazy",
        "litespeed-no-lazy",
        "lazyload skip-lazy",
        "NoLazy"
      })
  void shouldKeepTheSrcOfAnImageWhoseClassOptsOutOfLazyLoading(String className) {
    String html =
        "<img src=\"https://cdn.example/photo.jpg\" class=\""
            + className
            + "\" data-src=\"https://cdn.example/photo-150x150.jpg\">";

    assertThat(Html.imageSources(html, BASE)).containsExactly("https://cdn.example/photo.jpg");
  }

  /**
   * Found in a review: the image of a {@code <noscript>} taken after a placeholder went through the
   * lazy-class rule like any image, so a plug-in that copies the image's class and {@code data-src}
   * into its {@code <noscript>} ({@code <img class="lazyload" src="photo.jpg"
   * data-src="thumb.jpg">}) had the story's picture replaced by the thumbnail. An image for readers
   * without script is shown by its {@code src}: that is the source it keeps.
   */
  @Test
  void shouldKeepTheSrcOfTheImageOfANoscriptWhoseClassNamesLazyLoading() {
    String html =
        "<img class=\"lazyload\"><noscript><img class=\"lazyload\""
            + " src=\"https://cdn.example/photo.jpg\" data-src=\"https://cdn.example/thumb.jpg\">"
            + "</noscript>";

    assertThat(Html.imageSources(html, BASE)).containsExactly("https://cdn.example/photo.jpg");
  }

  /**
   * A {@code <picture>} whose {@code <img>} has no usable source of its own gives it the largest
   * candidate of its {@code <source>} elements, common image types first.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // the widest across the sources, whatever their media
        "<source media=\"(min-width: 800px)\" srcset=\"/l.jpg 1600w, /m.jpg 800w\">"
            + "<source srcset=\"/s.jpg 400w\"><img src=\"data:,\"> | /l.jpg",
        // lazysizes: data-srcset on the sources, a placeholder img
        "<source data-srcset=\"/a.webp 1200w\" type=\"image/webp\">"
            + "<source data-srcset=\"/a.jpg 1200w\" type=\"image/jpeg\">"
            + "<img src=\"\" class=\"lazyload\"> | /a.webp",
        // AVIF only when no common type has a candidate
        "<source srcset=\"/a.avif 2400w\" type=\"IMAGE/AVIF\">"
            + "<source srcset=\"/a.jpg 1200w\" type=\"image/jpeg\"><img> | /a.jpg",
        "<source srcset=\"/a.avif 2400w\" type=\"image/avif\">"
            + "<source srcset=\"javascript:x 1200w\" type=\"image/jpeg\"><img> | /a.avif",
        // image/jpg, what many CMSs write for JPEG, is JPEG
        "<source srcset=\"/a.avif 2400w\" type=\"image/avif\">"
            + "<source srcset=\"/a.jpg 1200w\" type=\"image/jpg\"><img> | /a.jpg",
        // one malformed srcset does not swallow the next source's
        "<source srcset=\"/bad.jpg (1200w\"><source srcset=\"/ok.jpg 300w\"><img> | /ok.jpg",
        // the img's own lazy attribute comes first
        "<source srcset=\"/big.jpg 3000w\"><img data-src=\"/own.jpg\"> | /own.jpg",
        // a usable src is kept
        "<source srcset=\"/big.jpg 3000w\"><img src=\"/fallback.jpg\"> | /fallback.jpg",
      })
  void shouldTakeAPictureElementsLargestSourceForAnImageWithoutOne(
      String picture, String expected) {
    String html = "<p>T</p><picture>" + picture + "</picture>";

    assertThat(Html.sanitize(html, BASE))
        .isEqualTo("<p>T</p><img src=\"https://www.trtworld.com" + expected + "\">");
    assertThat(Html.imageSources(html, BASE))
        .containsExactly("https://www.trtworld.com" + expected);
  }

  /**
   * Regression: a {@code type} with parameters ({@code image/jpeg; q=1}, {@code image/webp;
   * codecs=...}) was compared whole with the common image types, so its source counted as AVIF and
   * the like, and an AVIF source was taken before it. A type is its media type, parameters aside
   * (MIME Sniffing Standard, "parse a MIME type"), as browsers read it.
   */
  @Test
  void shouldReadASourceTypeWithParametersAsItsMediaType() {
    String html =
        "<p>T</p><picture><source srcset=\"/a.avif 2400w\" type=\"image/avif\">"
            + "<source srcset=\"/a.jpg 1200w\" type=\" Image/JPEG ; q=1\"><img></picture>";

    assertThat(Html.imageSources(html, BASE)).containsExactly("https://www.trtworld.com/a.jpg");
  }

  /**
   * Regression: each image of a {@code <picture>} walked back over all the sources before it and
   * parsed their {@code srcset} again, so a picture of 10,000 sources and 10,000 images (350 KB, a
   * raw item may be 1 MB) took 100 million candidate checks on the normalizer's stream thread. The
   * sources of a picture are read once, whatever the number of its images.
   */
  @Test
  void shouldGiveTheImagesOfAPictureTheirSourceInLinearTime() {
    int count = 10_000;
    String html =
        "<p>T</p><picture>"
            + "<source srcset=\"/s.jpg 100w\">".repeat(count)
            + "<source srcset=\"/l.jpg 200w\">"
            + "<img>".repeat(count)
            + "</picture>";

    String clean =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Html.sanitize(html, BASE));

    assertThat(clean)
        .isEqualTo("<p>T</p>" + "<img src=\"https://www.trtworld.com/l.jpg\">".repeat(count));
  }

  @Test
  void shouldNotTakeASourceOutsideTheImagesPicture() {
    String html =
        "<p>T</p><picture><source srcset=\"/a.jpg 800w\"></picture><img src=\"\">"
            + "<picture><img src=\"\"><source srcset=\"/after.jpg 800w\"></picture>";

    assertThat(Html.sanitize(html, BASE)).isEqualTo("<p>T</p>");
    assertThat(Html.imageSources(html, BASE)).isEmpty();
  }

  /** A lazily loaded image of 1x1 pixel is still a web beacon. */
  @Test
  void shouldStillDropALazyWebBeacon() {
    assertThat(
            Html.sanitize(
                "<p>T</p><img src=\"\" data-src=\"https://pixel.example/b.gif\" width=\"1\""
                    + " height=\"1\"><img src=\"\" data-src=\"https://cdn.example/p.jpg\">",
                BASE))
        .isEqualTo("<p>T</p><img src=\"https://cdn.example/p.jpg\">");
  }

  @Test
  void shouldSkipRelativeImageSourcesWithoutBaseUri() {
    assertThat(Html.imageSources("<img src=\"/2.png\"><img src=\"https://cdn.example/1.jpg\">"))
        .containsExactly("https://cdn.example/1.jpg");
  }

  @Test
  void shouldFindImagesInDoubleEscapedHtml() {
    assertThat(Html.imageSources("&lt;img src=\"https://cdn.example/e.jpg\"&gt; caption"))
        .containsExactly("https://cdn.example/e.jpg");
  }

  /**
   * Regression: the FeedBurner feeds of the corpus (reuters_worldnews_feedburner_2015,
   * cnn_hphero_2018, golem_de_rss2_iso88591_2018, ...) end each description with 1x1 web beacons,
   * and three had FeedBurner's share-button flare: both stayed in bodyHtml and, without an
   * enclosure, became the story's "pictures" (170 associations for Reuters' 20 items, none a
   * picture of the story).
   */
  @Test
  void shouldDropTrackingPixelsAndFeedBurnerFlareButKeepRealImages() {
    String html =
        "<p>Text.</p><img src=\"https://cdn.example/photo.jpg\" width=\"140\" height=\"140\">"
            + "<img width=\"1\" height=\"1\" src=\"http://us.feedsportal.com/c/1/mf.gif\">"
            + "<div class=\"feedflare\"><a href=\"http://feeds.example.com/~ff/x?a=1\">"
            + "<img src=\"http://feeds.feedburner.com/~ff/x?d=1\"></a></div>"
            + "<img src=\"http://feeds.feedburner.com/~r/x/~4/abc\" height=\"1\" width=\"1\" alt=\"\">"
            + "<img src=\"https://pixel.example/b.gif\" width=\"0px\" height=\"0\">"
            + "<img src=\"https://cdn.example/rule.png\" width=\"600\" height=\"1\">"
            + "<img src=\"https://pixel.example/c.gif\" width=\" 1.0 \" height=\"01PX\">"
            + "<img src=\"https://cdn.example/icon.png\" width=\"10\" height=\"1\">";

    assertThat(Html.sanitize(html, BASE))
        .isEqualTo(
            "<p>Text.</p><img src=\"https://cdn.example/photo.jpg\" width=\"140\" height=\"140\">"
                + "<img src=\"https://cdn.example/rule.png\" width=\"600\" height=\"1\">"
                + "<img src=\"https://cdn.example/icon.png\" width=\"10\" height=\"1\">");
    assertThat(Html.imageSources(html, BASE))
        .containsExactly(
            "https://cdn.example/photo.jpg",
            "https://cdn.example/rule.png",
            "https://cdn.example/icon.png");
    assertThat(Html.toText(html)).isEqualTo("Text.");
  }

  @Test
  void shouldTestAnImageForAWebBeaconInLinearTime() {
    // Regression (review): the pixel selector's regex backtracked over every split of a run of
    // spaces (\\s*(px)?\\s*$): a width of "1", 32,000 spaces and an "x" took 1.3 s to sanitise,
    // 200,000 about a minute, all on the normalizer's stream thread (a raw item may be 1 MB).
    String spaces = " ".repeat(200_000);
    String html =
        "<p>Text.</p><img src=\"https://cdn.example/a.jpg\" width=\"1"
            + spaces
            + "x\" height=\"1"
            + spaces
            + "x\"><img src=\"https://pixel.example/b.gif\" width=\""
            + spaces
            + "1"
            + spaces
            + "px"
            + spaces
            + "\" height=\"0\">";

    String clean =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Html.sanitize(html, BASE));

    assertThat(clean).contains("https://cdn.example/a.jpg").doesNotContain("pixel.example");
  }

  @Test
  void shouldTellMarkupFromPlainText() {
    assertThat(Html.hasMarkup("<p>x</p>")).isTrue();
    assertThat(Html.hasMarkup("&lt;b&gt;x&lt;/b&gt;")).isTrue();
    assertThat(Html.hasMarkup("AT&T wins")).isFalse();
    assertThat(Html.hasMarkup(null)).isFalse();
  }

  @Test
  void shouldCollapseWhitespaceAndComposeAccents() {
    assertThat(Html.collapseWhitespace("  Cafe\u0301 \n\t au\u00a0lait "))
        .isEqualTo("Café au lait");
    assertThat(Html.collapseWhitespace(null)).isNull();
  }

  /**
   * The plain-text fast path (no jsoup parse) rests on one fact: jsoup reads such text as a single
   * text node equal to the input. If a jsoup upgrade ever changes that (e.g. normalising CR LF),
   * this test fails and the fast path must follow.
   */
  @Test
  void shouldReadPlainTextExactlyAsJsoupDoes() {
    List<String> samples =
        List.of(
            "Quake hits > 6.0 on Richter scale",
            "  leading and trailing  ",
            "Line one\r\nline two\rline three\n\nPara",
            "no\u00a0break\u2003em space\ttab",
            "Caf\u00e9 e\u0301 \ud83d\ude00 \u0130stanbul",
            "quotes \" ' and = / ; # %",
            "\u0001\u001f control \u007f\u0085",
            "");
    for (String sample : samples) {
      assertThat(Html.isPlainText(sample)).as(sample).isTrue();
      Document jsoup = Jsoup.parseBodyFragment(sample);
      assertThat(jsoup.body().children()).as(sample).isEmpty();
      assertThat(jsoup.body().wholeText()).as(sample).isEqualTo(sample);
    }
  }

  @Test
  void shouldNotTakeMarkupEntitiesOrNulForPlainText() {
    assertThat(Html.isPlainText("a <b>bold</b>")).isFalse();
    assertThat(Html.isPlainText("AT&amp;T")).isFalse();
    assertThat(Html.isPlainText("&lt;p&gt;escaped")).isFalse();
    assertThat(Html.isPlainText("nul\u0000char")).isFalse();
  }

  @Test
  void shouldReadPlainTextFragmentsLikeParsedOnes() {
    String text = "First para\r\n\r\nSecond  para > more";
    Html.Fragment fragment = Html.Fragment.of(text, BASE);
    assertThat(fragment.hasMarkup()).isFalse();
    assertThat(fragment.text()).isEqualTo("First para\n\nSecond para > more");
    assertThat(fragment.imageSources()).isEmpty();
    assertThat(fragment.sanitized()).isEqualTo("First para\r\n\r\nSecond  para &gt; more");
  }

  @Test
  void whitespaceRunsCollapseExactlyAsTheUnicodeWhitespaceClassDoes() {
    Pattern anyWhitespace =
        Pattern.compile("[\\s\\p{Z}\\p{Cc}\\x{FDD0}-\\x{FDEF}\\x{FFFE}\\x{FFFF}]+");
    List<String> samples =
        List.of(
            "",
            " ",
            "plain",
            "one two",
            "  lead",
            "trail  ",
            "a\tb",
            "a \n\r\u000Bb\f",
            "no\u00A0break",
            "thin\u2009\u200Aspace",
            "line\u2028para\u2029end",
            "ideo\u3000space",
            "nel\u0085collapsed",
            "zero\u200Bwidth kept",
            "\uD83D\uDE00 emoji  \uD83D\uDE00",
            "x\u001Fy",
            "\u00A0 \u00A0");
    for (String sample : samples) {
      assertThat(Html.collapseRuns(sample))
          .as(sample)
          .isEqualTo(anyWhitespace.matcher(sample).replaceAll(" "));
    }
    assertThat(Html.collapseWhitespace(" Cafe\u0301\u00A0 au\n lait "))
        .isEqualTo("Caf\u00E9 au lait");
  }

  @Test
  void shouldSeeNoVisibleTextInSpacesControlsFormatCharactersAndBlankLookingLetters() {
    for (String invisible :
        List.of(
            "",
            " \t\n",
            "\u00a0",
            "\u200b\u200c\u200d\u2060\ufeff",
            "\u202e\u200f",
            "\u0000\u0007\u009b",
            "\u3164\u115f\u1160\u2800",
            "\uffa0",
            "\u034f",
            "\u17b4\u17b5",
            "\u2800\uffa0",
            "\ufe0f",
            new String(Character.toChars(0xE0100)),
            new String(Character.toChars(0xE0041)))) {
      assertThat(Html.hasVisibleText(invisible))
          .as("%s", invisible.codePoints().mapToObj(c -> String.format("U+%04X", c)).toList())
          .isFalse();
    }
    assertThat(Html.hasVisibleText(null)).isFalse();
    for (String visible :
        List.of("a", "\u200b.", "\u0645\u200c\u0646", "\uD83D\uDE00", "\u00a0\u00e9", "\ufffd")) {
      assertThat(Html.hasVisibleText(visible)).as(visible).isTrue();
    }
  }

  @Test
  void everyCharIsWhitespaceExactlyWhenTheUnicodeWhitespaceClassSaysSo() {
    Pattern whitespace = Pattern.compile("[\\s\\p{Z}\\p{Cc}\\x{FDD0}-\\x{FDEF}\\x{FFFE}\\x{FFFF}]");
    for (int c = Character.MIN_VALUE; c <= Character.MAX_VALUE; c++) {
      assertThat(Html.isCollapsedWhitespace((char) c))
          .as("U+%04X", c)
          .isEqualTo(whitespace.matcher(String.valueOf((char) c)).matches());
    }
  }

  @Test
  void everyPairOfCharactersBelowCombiningMarksIsNfc() {
    for (char a = 0; a < 0x300; a++) {
      for (char b = 0; b < 0x300; b++) {
        String pair = new String(new char[] {a, b});
        assertThat(Html.isBelowCombiningMarks(pair)).isTrue();
        if (!Normalizer.isNormalized(pair, Normalizer.Form.NFC)) {
          throw new AssertionError(String.format("U+%04X U+%04X is not NFC", (int) a, (int) b));
        }
      }
    }
    assertThat(Html.isBelowCombiningMarks("Cafe\u0301")).isFalse();
  }

  @Test
  void generatedTextCollapsesExactlyAsTheUnicodeWhitespaceClassDoes() {
    Pattern anyWhitespace =
        Pattern.compile("[\\s\\p{Z}\\p{Cc}\\x{FDD0}-\\x{FDEF}\\x{FFFE}\\x{FFFF}]+");
    String alphabet = "ab \t\n\r\u00A0\u2003\u3000\u00E9\u0085";
    Random random = new Random(6);
    for (int round = 0; round < 5000; round++) {
      StringBuilder sample = new StringBuilder();
      for (int i = random.nextInt(12); i > 0; i--) {
        sample.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      assertThat(Html.collapseRuns(sample.toString()))
          .as(sample.toString())
          .isEqualTo(anyWhitespace.matcher(sample).replaceAll(" "));
    }
  }

  @Test
  void shouldMergeBlankLinesAndHorizontalWhitespaceOfMarkupText() {
    // Empty blocks and <br> runs give at most one blank line; spaces, tabs and no-break spaces
    // inside
    // a line collapse to one space; lines are trimmed; nothing leads or trails.
    assertThat(
            Html.toText(
                "<div><br></div><p> a\u00A0\t b </p><p></p><p> </p><br><br><br><br><p>c</p><br>"))
        .isEqualTo("a b\n\nc");
    assertThat(Html.toText("x<br>y<br><br>z")).isEqualTo("x\ny\n\nz");
  }

  @Test
  void generatedMarkupGivesTheTextOfTheRegularExpressionRules() {
    // The rules of Html.toText for markup, written the slow way: every text node's whitespace
    // collapsed, blocks and <br> as newline markers, then per line [\s\p{Z}\p{Cc}\x{FFFE}\x{FFFF}]+
    // -> " " and
    // trim,
    // and \n{3,} -> \n\n. toText skips the per-line pass by never putting a space after a space
    // where two text nodes meet; this checks that it still gives the same text.
    String[] pieces = {
      "<p>",
      "</p>",
      "<b>",
      "</b>",
      "<span>",
      "</span>",
      "<br>",
      "<div>",
      "</div>",
      "<li>",
      "a",
      "b c",
      " ",
      "  ",
      "\t",
      "\n",
      "\u00A0",
      "&nbsp;",
      " x ",
      "\u2003y",
      "<!-- c -->",
      "\u001F",
      "\u2028"
    };
    Pattern whitespace =
        Pattern.compile("[\\s\\p{Z}\\p{Cc}\\x{FDD0}-\\x{FDEF}\\x{FFFE}\\x{FFFF}]+");
    Set<String> blocks = Set.of("p", "div", "li");
    Random random = new Random(11);
    for (int round = 0; round < 4000; round++) {
      StringBuilder html = new StringBuilder("<i></i>");
      for (int i = random.nextInt(14); i > 0; i--) {
        html.append(pieces[random.nextInt(pieces.length)]);
      }
      StringBuilder marked = new StringBuilder();
      NodeTraversor.traverse(
          new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
              if (node instanceof TextNode text) {
                marked.append(whitespace.matcher(text.getWholeText()).replaceAll(" "));
              } else if (node instanceof Element e
                  && (e.normalName().equals("br") || blocks.contains(e.normalName()))) {
                marked.append(e.normalName().equals("br") ? "\n" : "\n\n");
              }
            }

            @Override
            public void tail(Node node, int depth) {
              if (node instanceof Element e && blocks.contains(e.normalName())) {
                marked.append("\n\n");
              }
            }
          },
          Jsoup.parseBodyFragment(html.toString()).body());
      List<String> lines = new ArrayList<>();
      for (String line : marked.toString().split("\n", -1)) {
        lines.add(whitespace.matcher(line).replaceAll(" ").strip());
      }
      String expected = String.join("\n", lines).replaceAll("\n{3,}", "\n\n").strip();
      assertThat(Html.toText(html.toString())).as(html.toString()).isEqualTo(expected);
    }
  }

  @Test
  void shouldCleanHtmlUpToTheDepthLimitAndFlattenBeyondIt() {
    // body > div x (limit - 3) > p > a > text: the text node sits exactly at the limit.
    String atLimit =
        "<div>".repeat(Html.MAX_CLEAN_DEPTH - 3)
            + "<p>kept <a href=\"/x\">link</a></p>"
            + "</div>".repeat(Html.MAX_CLEAN_DEPTH - 3);
    Html.Fragment kept = Html.Fragment.of(atLimit, BASE);
    assertThat(kept.sanitized())
        .contains("<a href=\"https://www.trtworld.com/x\">link</a>")
        .startsWith("<div><div>");
    assertThat(kept.flattened()).isFalse();

    String tooDeep =
        "<span>".repeat(20_000) + "<img src=\"/a.jpg\">deep" + "</span>".repeat(20_000);
    Html.Fragment flat = Html.Fragment.of(tooDeep, BASE);
    assertThat(flat.sanitized()).isEqualTo("<p>deep</p>");
    assertThat(flat.flattened()).isTrue();
    assertThat(flat.text()).isEqualTo("deep");
    assertThat(flat.imageSources()).isEmpty();
  }
}
