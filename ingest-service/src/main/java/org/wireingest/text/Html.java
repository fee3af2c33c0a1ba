package org.wireingest.text;

import java.text.Normalizer;
import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;
import org.jsoup.select.Evaluator;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;
import org.jsoup.select.QueryParser;

/**
 * The HTML of feed entries (RSS {@code <description>}, {@code content:encoded}, Atom {@code
 * <summary>}/{@code <content>}) made safe or made plain, with jsoup. Pure and thread-safe.
 *
 * <p>Every method accepts what feeds put in these fields: HTML fragments, plain text (where {@code
 * &} and {@code <} may be literal), and double-escaped HTML such as {@code &lt;p&gt;Text&lt;/p&gt;}
 * (a fragment with no element whose text is HTML is read as that HTML).
 */
public final class Html {

  /**
   * jsoup's relaxed safelist (text formatting, links, lists, tables, images with {@code src}) plus
   * {@code figure}, {@code figcaption} and {@code hr}; links and images only with http(s) (and
   * mailto for links). Scripts, styles, frames, forms and event handlers are never allowed. The
   * protocol rules are jsoup's, checked by {@link UrlSafelist} instead of jsoup (same result,
   * cheaper); {@code HtmlTest} compares the two.
   */
  static final UrlSafelist SAFELIST =
      new UrlSafelist(
              Safelist.relaxed()
                  .addTags("figure", "figcaption", "hr")
                  .removeProtocols("a", "href", "ftp", "http", "https", "mailto")
                  .removeProtocols("blockquote", "cite", "http", "https")
                  .removeProtocols("cite", "cite", "http", "https")
                  .removeProtocols("img", "src", "http", "https")
                  .removeProtocols("q", "cite", "http", "https"))
          .requireProtocols("a", "href", "http", "https", "mailto")
          .requireProtocols("blockquote", "cite", "http", "https")
          .requireProtocols("cite", "cite", "http", "https")
          .requireProtocols("img", "src", "http", "https")
          .requireProtocols("q", "cite", "http", "https");

  /**
   * A width or height attribute of at most one pixel ({@code 0}, {@code 1}, {@code 1px}). Every
   * quantifier is possessive: with greedy ones, {@code \\s*(px)?\\s*$} tried every split of a run
   * of spaces, and an attribute of 32,000 spaces took over a second to test (a raw item of 1 MB,
   * minutes, on the normalizer's stream thread).
   */
  private static final String AT_MOST_ONE_PIXEL =
      "(?i)^\\s*+(?:0*+1|0++)(?:\\.0*+)?+(?:\\s*+px)?+\\s*+$";

  /**
   * An image {@code src} that shows nothing: empty, only spaces and control characters (U+0000 to
   * U+0020, which a URL parser strips), or only a fragment ({@code #}, {@code #top}: a
   * same-document reference, RFC 3986 §4.4, which names the page itself, not an image). Resolved
   * against the base URI each names the story's own page.
   */
  static final Pattern NO_IMAGE_SOURCE = Pattern.compile("(?s)[\\x00-\\x20]*+(?:#.*)?+");

  /**
   * Elements removed together with their content before cleaning or extracting text, in one pass:
   *
   * <ul>
   *   <li>scripts, styles, frames, {@code <noscript>}, plug-ins and embedded SVG / MathML (the one
   *       image of a {@code <noscript>} that stands in for a placeholder image has been moved out
   *       by {@link LazyImages} before);
   *   <li>web beacons (tracking pixels): images whose width and height are both at most one pixel
   *       ({@code <img src="http://feeds.feedburner.com/~r/..." height="1" width="1">}, WordPress
   *       stats' {@code pixel.wp.com/b.gif}, a publisher's counter). They show nothing, so they are
   *       no picture of the story; a reader's client loading one tells the tracker;
   *   <li>images whose {@code src} is empty, only spaces and control characters, which a URL parser
   *       strips, or only a fragment ({@code src="#"}, {@link #NO_IMAGE_SOURCE}): such an image
   *       shows nothing (HTML: an empty {@code src} loads no image, and the page itself is no
   *       image), but the reference resolved against the base URI is the story's own page, which
   *       was kept as its picture. A lazily loaded {@code <img src="" data-src="...">} has been
   *       given its real source by {@link LazyImages} before, and is kept;
   *   <li>feed-service chrome: FeedBurner's "flare" ({@code <div class="feedflare">}), a row of
   *       share and counter buttons, each an image served by feeds.feedburner.com, that FeedBurner
   *       appended to every item's description. Its images are not the story's pictures and it has
   *       no text.
   * </ul>
   *
   * The selector is parsed once: jsoup's evaluators are reusable and thread-safe, and parsing them
   * per call cost a few per cent of the normalizer's time.
   */
  private static final Evaluator DROPPED_ELEMENTS =
      QueryParser.parse(
          "script, style, iframe, noscript, template, object, embed, svg, math, div.feedflare,"
              + " img[width~="
              + AT_MOST_ONE_PIXEL
              + "][height~="
              + AT_MOST_ONE_PIXEL
              + "], img[src~=^"
              + NO_IMAGE_SOURCE.pattern()
              + "$]");

  private static final Evaluator IMAGES_WITH_SOURCE = QueryParser.parse("img[src]");
  private static final Evaluator IMAGES_WITHOUT_SOURCE = QueryParser.parse("img:not([src])");

  /** Elements after whose edges text starts a new paragraph. */
  private static final Set<String> BLOCKS =
      Set.of(
          "p",
          "div",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "ul",
          "ol",
          "li",
          "dl",
          "dt",
          "dd",
          "blockquote",
          "pre",
          "table",
          "thead",
          "tbody",
          "tfoot",
          "tr",
          "caption",
          "figure",
          "figcaption",
          "hr",
          "section",
          "article",
          "header",
          "footer",
          "aside",
          "address",
          "main",
          "nav",
          "details",
          "summary");

  /** Table cells: text in one starts after a space (the row itself is a block). */
  private static final Set<String> CELLS = Set.of("td", "th");

  /** A start or end tag of a common HTML element, as seen in double-escaped feed content. */
  private static final Pattern ESCAPED_TAG =
      Pattern.compile(
          "</?(p|br|div|span|a|img|b|i|em|strong|u|ul|ol|li|h[1-6]|blockquote|figure|figcaption|table|tr|td|pre|code)\\b[^<>]*>",
          Pattern.CASE_INSENSITIVE);

  /**
   * A paragraph break in plain text: a line that shows nothing, or a PARAGRAPH SEPARATOR (U+2029).
   * A line shows nothing when it holds only whitespace, no-break spaces and other separators
   * ({@code \p{Z}}) and format characters ({@code \p{Cf}}: zero-width space, byte order mark, word
   * joiner, bidirectional marks, ...), as a CMS pads an empty paragraph ({@code "\n\u00A0\n"},
   * {@code "\n\u200B\n"}).
   */
  private static final Pattern PARAGRAPH_BREAK =
      Pattern.compile("\\n[\\s\\p{Z}\\p{Cf}]*\\n|\u2029");

  /** A line break in plain text: LINE SEPARATOR (U+2028). */
  private static final char LINE_SEPARATOR = '\u2028';

  /**
   * Deepest element nesting that {@link Fragment#sanitized()} cleans as HTML. jsoup's {@link
   * Cleaner} looks each element's base URI up through its ancestors, so cleaning costs elements ×
   * depth: a hostile entry of 50,000 nested elements (550 KB, under the raw-item size cap) held a
   * stream thread for 11 s. A deeper fragment is flattened: its text, in paragraphs ({@link
   * Fragment#flattened()}). Real feeds nest a few dozen levels at most.
   */
  public static final int MAX_CLEAN_DEPTH = 512;

  private Html() {}

  /**
   * Sanitised HTML of a fragment, without a base URI: relative links and image sources are dropped.
   *
   * @see #sanitize(String, String)
   */
  public static String sanitize(String html) {
    return sanitize(html, null);
  }

  /**
   * Sanitised HTML of a fragment: only the elements and attributes of the safelist stay (jsoup
   * {@link Safelist#relaxed()} plus {@code figure}, {@code figcaption}, {@code hr}); {@code
   * script}, {@code style}, {@code iframe}, {@code noscript}, {@code object}, {@code embed} are
   * removed with their content, and so are web beacons (images of at most 1x1 pixel) and
   * FeedBurner's share-button flare; other unknown elements are unwrapped (their text kept); an
   * image without a usable {@code src}, or with one and a {@code class} naming lazy loading ({@code
   * lazyload}), takes the one its lazy-loading attributes give ({@code data-src}, {@code
   * data-lazy-src}, {@code data-original}, then the largest candidate of {@code srcset}, {@code
   * data-srcset}, {@code data-lazy-srcset}, then that of its {@code <picture>}'s {@code <source>}
   * elements; a placeholder image still without one is replaced by the image of a {@code
   * <noscript>} right after it that holds only that image; see {@link LazyImages}); links and image
   * sources are made absolute against {@code baseUri}; images without a usable source are removed.
   * Output is compact (no pretty-printing), so equal input gives equal output.
   *
   * @param html an HTML fragment, plain text or double-escaped HTML; null gives null
   * @param baseUri absolute URI that relative links are resolved against (usually the entry link);
   *     null drops relative links
   * @return the sanitised HTML; null when {@code html} is null; empty when nothing safe remains
   */
  public static String sanitize(String html, String baseUri) {
    if (html == null) {
      return null;
    }
    return Fragment.of(html, baseUri).sanitized();
  }

  /**
   * Plain text of a fragment, as a reader sees it: entities decoded, scripts and styles skipped,
   * whitespace runs (including no-break spaces) collapsed to one space, block elements ({@code p},
   * {@code div}, headings, list items, ...) separated by a blank line ({@code "\n\n"}), {@code
   * <br>} kept as a line break ({@code "\n"}), the cells of a table row ({@code td}, {@code th})
   * apart by a space. Text that is not HTML keeps its paragraph breaks: a blank line (one of only
   * whitespace, separators and format characters such as U+00A0 or U+200B) or a PARAGRAPH SEPARATOR
   * (U+2029) gives {@code "\n\n"}, a LINE SEPARATOR (U+2028) {@code "\n"}.
   *
   * @param html an HTML fragment, plain text or double-escaped HTML; null gives empty
   * @return the text, trimmed; empty (never null) when there is none
   */
  public static String toText(String html) {
    if (html == null || html.isBlank()) {
      return "";
    }
    return Fragment.of(html, null).text();
  }

  private static String text(Document document) {
    if (document.body().children().isEmpty()) {
      return paragraphs(document.body().wholeText());
    }
    StringBuilder text = new StringBuilder();
    NodeTraversor.traverse(
        new NodeVisitor() {
          @Override
          public void head(Node node, int depth) {
            if (node instanceof TextNode textNode) {
              // Line breaks in the source are layout, not content: only the markup makes breaks.
              // A space that would follow a space (the edge of two text nodes) is left out, so
              // every line is collapsed already and lines() need not collapse it again.
              String collapsed = collapseRuns(textNode.getWholeText());
              int from =
                  !collapsed.isEmpty() && collapsed.charAt(0) == ' ' && endsWithSpace(text) ? 1 : 0;
              text.append(collapsed, from, collapsed.length());
            } else if (node instanceof Element element) {
              if (element.normalName().equals("br")) {
                text.append('\n');
              } else if (BLOCKS.contains(element.normalName())) {
                text.append("\n\n");
              } else if (CELLS.contains(element.normalName())
                  && text.length() > 0
                  && !endsWithSpace(text)
                  && text.charAt(text.length() - 1) != '\n') {
                // Cells of a row are apart, as a browser shows them: minified tables
                // (<td>Name</td><td>Score</td>) otherwise ran their words together, "NameScore".
                text.append(' ');
              }
            }
          }

          @Override
          public void tail(Node node, int depth) {
            if (node instanceof Element element && BLOCKS.contains(element.normalName())) {
              text.append("\n\n");
            }
          }
        },
        document.body());
    return lines(text);
  }

  /**
   * The sources of the images embedded in a fragment ({@code <img src>}), in document order,
   * without repeats; only absolute http(s) URLs (relative ones resolved against {@code baseUri}).
   *
   * @param html an HTML fragment, plain text or double-escaped HTML; null gives an empty list
   * @param baseUri absolute URI that relative sources are resolved against; null skips them
   * @return the image URLs; never null
   */
  public static List<String> imageSources(String html, String baseUri) {
    if (html == null || html.isBlank()) {
      return List.of();
    }
    return Fragment.of(html, baseUri).imageSources();
  }

  /**
   * The http(s) image sources of a document that {@link Cleaner} has cleaned with {@link
   * #SAFELIST}: the cleaner has already made every kept {@code src} absolute (jsoup's {@code
   * absUrl}, or the value as given when it cannot be resolved) and dropped those that are not
   * http(s), so the sources are read as they stand instead of being resolved a second time (URL
   * resolution was the largest jsoup cost left, see docs/benchmarks-history.md). The cleaner
   * unwraps unknown elements but keeps their children, so every image of the fragment is still
   * there.
   */
  private static List<String> imageSources(Document cleaned) {
    Set<String> sources = new LinkedHashSet<>();
    for (Element image : cleaned.body().select(IMAGES_WITH_SOURCE)) {
      String source = image.attr("src");
      String scheme = source.length() > 8 ? source.substring(0, 8).toLowerCase(Locale.ROOT) : "";
      if (scheme.startsWith("http://") || scheme.startsWith("https://")) {
        sources.add(source);
      }
    }
    return List.copyOf(sources);
  }

  /**
   * The sources of the images embedded in a fragment, without a base URI.
   *
   * @see #imageSources(String, String)
   */
  public static List<String> imageSources(String html) {
    return imageSources(html, null);
  }

  /**
   * Whether a fragment holds any HTML element (after undoing double escaping), as opposed to plain
   * text.
   *
   * @param html a fragment; null gives false
   * @return true when jsoup finds at least one element in it
   */
  public static boolean hasMarkup(String html) {
    return html != null && !html.isBlank() && Fragment.of(html, null).hasMarkup();
  }

  /**
   * One fragment parsed at most once (jsoup, double escaping undone, scripts and styles dropped),
   * for several readings: the static methods of {@link Html} each parse their input again, which
   * dominated the normalizer's CPU time when an entry's body was read four times (see
   * docs/benchmarks-history.md). Every reading gives exactly what the static method of the same
   * name gives for the same input and base URI; readings do not change the parsed fragment, so they
   * may come in any order. Plain text (no {@code <}, {@code &} or NUL) is only parsed for {@link
   * #sanitized()}. Not thread-safe (one per entry).
   */
  public static final class Fragment {
    private final String html;
    private final String baseUri;

    /** The parsed fragment; null until a reading needs it (plain text answers most without it). */
    private Document document;

    /**
     * {@link #document} cleaned for {@link #sanitized()} and {@link #imageSources()}; null until
     * needed.
     */
    private Document cleaned;

    private final boolean plainText;

    /** Set by {@link #cleaned()} when the fragment nests too deep to clean as HTML. */
    private boolean flattened;

    private Fragment(String html, String baseUri) {
      this.html = html;
      this.baseUri = baseUri;
      this.plainText = isPlainText(html);
    }

    /**
     * @param html an HTML fragment, plain text or double-escaped HTML; never null
     * @param baseUri absolute URI that relative links and image sources are resolved against; null
     *     drops them
     * @return the fragment, parsed when a reading first needs it
     */
    public static Fragment of(String html, String baseUri) {
      return new Fragment(Objects.requireNonNull(html, "html"), baseUri);
    }

    /**
     * @return as {@link Html#hasMarkup}: true when the fragment holds any HTML element
     */
    public boolean hasMarkup() {
      return !plainText && !document().body().children().isEmpty();
    }

    /**
     * @return as {@link Html#sanitize(String, String)}: the sanitised HTML; empty when nothing safe
     *     remains
     */
    public String sanitized() {
      return cleaned().body().html().strip();
    }

    /**
     * @return as {@link Html#toText}: the plain text, trimmed; empty when there is none
     */
    public String text() {
      return plainText ? paragraphs(html) : Html.text(document());
    }

    /**
     * @return as {@link Html#imageSources(String, String)}: absolute http(s) image URLs, no repeats
     */
    public List<String> imageSources() {
      return plainText ? List.of() : Html.imageSources(cleaned());
    }

    /**
     * @return true when {@link #sanitized()} gave the fragment's text in paragraphs instead of its
     *     HTML, because its elements nest deeper than {@link #MAX_CLEAN_DEPTH}; false otherwise
     *     (also before any reading)
     */
    public boolean flattened() {
      return flattened;
    }

    /**
     * The parsed fragment cleaned with {@link #SAFELIST}, images without a source removed; cleaned
     * once.
     */
    private Document cleaned() {
      if (cleaned == null
          && !plainText
          && html.length() > 3 * MAX_CLEAN_DEPTH
          && deeperThan(document().body(), MAX_CLEAN_DEPTH)) {
        flattened = true;
        cleaned = Document.createShell(baseUri == null ? "" : baseUri);
        for (String paragraph : text().split("\n\n")) {
          if (!paragraph.isEmpty()) {
            cleaned.body().appendElement("p").text(paragraph);
          }
        }
        cleaned.outputSettings().prettyPrint(false);
      }
      if (cleaned == null) {
        cleaned = new Cleaner(SAFELIST).clean(document());
        cleaned.body().select(IMAGES_WITHOUT_SOURCE).remove();
        cleaned.outputSettings().prettyPrint(false);
      }
      return cleaned;
    }

    private Document document() {
      if (document == null) {
        document = parse(html, baseUri);
      }
      return document;
    }
  }

  /**
   * Whether jsoup would read {@code html} as one text node equal to it: no {@code <} (no tag,
   * comment or double-escaped tag), no {@code &} (no character reference) and no NUL (which the
   * HTML tree builder drops). Such text skips jsoup entirely for {@link Fragment#text()}, {@link
   * Fragment#hasMarkup()} and {@link Fragment#imageSources()}: most titles and many descriptions
   * are plain text, and parsing them was a large share of the normalizer's time.
   */
  static boolean isPlainText(String html) {
    for (int i = 0; i < html.length(); i++) {
      char c = html.charAt(i);
      if (c == '<' || c == '&' || c == '\0') {
        return false;
      }
    }
    return true;
  }

  /**
   * One line of text: every whitespace run (including line breaks and no-break spaces) collapsed to
   * one space, trimmed, and Unicode NFC-normalised (UAX #15), so text that differs only in layout
   * or in composed vs decomposed accents compares equal.
   *
   * @param text any text; null gives null
   * @return the collapsed text; null when {@code text} is null
   */
  public static String collapseWhitespace(String text) {
    if (text == null) {
      return null;
    }
    String collapsed = collapseRuns(text).strip();
    return isBelowCombiningMarks(collapsed) || Normalizer.isNormalized(collapsed, Form.NFC)
        ? collapsed
        : Normalizer.normalize(collapsed, Form.NFC);
  }

  /**
   * Whether all characters are below U+0300, the first combining mark: such text is NFC already
   * (none of them decomposes or combines with a neighbour; {@code HtmlTest} checks every pair), so
   * most text skips the normaliser's own check.
   */
  static boolean isBelowCombiningMarks(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x300) {
        return false;
      }
    }
    return true;
  }

  /**
   * The regular expression replacement {@code [\s\p{Z}]+ -> " "} without the regular expression,
   * and without a copy when there is nothing to replace (the fingerprint of every article collapses
   * its whole body text, see docs/benchmarks-history.md). The text between runs is copied in bulk,
   * not character by character: per-character appends made this a tenth of the normalizer's time.
   */
  static String collapseRuns(String text) {
    int length = text.length();
    StringBuilder out = null;
    int copied = 0; // with out: text before this index is in out, replaced as needed
    int i = 0;
    while (i < length) {
      char c = text.charAt(i);
      if (!isCollapsedWhitespace(c)) {
        i++;
        continue;
      }
      int end = i + 1;
      while (end < length && isCollapsedWhitespace(text.charAt(end))) {
        end++;
      }
      if (end - i > 1 || c != ' ') {
        if (out == null) {
          out = new StringBuilder(length);
        }
        out.append(text, copied, i).append(' ');
        copied = end;
      }
      i = end;
    }
    return out == null ? text : out.append(text, copied, length).toString();
  }

  /**
   * The characters of {@code [\s\p{Z}\p{Cc}\x{FDD0}-\x{FDEF}\x{FFFE}\x{FFFF}]}: ASCII whitespace
   * ({@code \s}), Unicode space, line and paragraph separators, and the C0 and C1 control
   * characters (U+0000–U+001F, U+007F–U+009F), which no reader sees as anything but a gap and which
   * newsroom systems choke on, and the noncharacters of the BMP (U+FDD0–U+FDEF, U+FFFE, U+FFFF),
   * which XML forbids or discourages. Below U+1680 the only separator is U+00A0 and above U+3000
   * there are only the two noncharacters, so most text never asks {@link Character#getType(char)};
   * {@code HtmlTest} checks every {@code char} against the regular expression.
   */
  static boolean isCollapsedWhitespace(char c) {
    if (c < 0x1680) {
      return c <= ' ' || (c >= 0x7F && c <= 0xA0);
    }
    if (c > 0x3000) {
      return c >= 0xFFFE || c >= 0xFDD0 && c <= 0xFDEF;
    }
    int type = Character.getType(c);
    return type == Character.SPACE_SEPARATOR
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  /**
   * Whether a text has anything a reader can see: a character other than whitespace, separators and
   * controls ({@link #isCollapsedWhitespace}) and {@link #isIgnorable ignorable} characters. A
   * title, GUID or identity made only of those is as good as missing.
   *
   * @param text any text; null gives false
   * @return whether {@code text} has at least one visible character
   */
  public static boolean hasVisibleText(String text) {
    return text != null && hasVisibleText(text, 0, text.length());
  }

  /**
   * As {@link #hasVisibleText(String)}, for the characters {@code from} (inclusive) to {@code to}
   * (exclusive) of {@code text}, read as if they were a string of their own (a surrogate pair cut
   * by either end is not joined).
   */
  private static boolean hasVisibleText(CharSequence text, int from, int to) {
    for (int i = from; i < to; ) {
      char high = text.charAt(i);
      int c =
          Character.isHighSurrogate(high)
                  && i + 1 < to
                  && Character.isLowSurrogate(text.charAt(i + 1))
              ? Character.toCodePoint(high, text.charAt(i + 1))
              : high;
      if (!isInvisible(c)) {
        return true;
      }
      i += Character.charCount(c);
    }
    return false;
  }

  /**
   * Whether a code point shows nothing by itself and changes nothing a reader would call content,
   * so a comparison of texts may leave it out: format characters (Unicode category Cf, in every
   * plane: soft hyphen, zero-width space and joiners, word joiner, byte order mark, bidirectional
   * marks and overrides, tag characters), the combining grapheme joiner U+034F, variation selectors
   * (U+180B–U+180D, U+FE00–U+FE0F, U+E0100–U+E01EF), the Khmer inherent vowels U+17B4 and U+17B5,
   * and the blank-looking letters U+115F, U+1160, U+3164, U+FFA0 (Hangul fillers) and U+2800 (blank
   * Braille pattern). Below U+00AD there is none.
   *
   * @param c a code point
   * @return whether it is ignorable
   */
  public static boolean isIgnorable(int c) {
    if (c < 0xAD) {
      return false;
    }
    return Character.getType(c) == Character.FORMAT
        || c == 0x034F
        || c >= 0x180B && c <= 0x180D
        || c >= 0xFE00 && c <= 0xFE0F
        || c >= 0xE0100 && c <= 0xE01EF
        || c == 0x17B4
        || c == 0x17B5
        || c == 0x115F
        || c == 0x1160
        || c == 0x3164
        || c == 0xFFA0
        || c == 0x2800;
  }

  private static boolean isInvisible(int c) {
    return c <= 0xFFFF && isCollapsedWhitespace((char) c) || isIgnorable(c);
  }

  /**
   * Whether any node under {@code root} sits more than {@code maxDepth} levels below it; stops at
   * the first one.
   */
  private static boolean deeperThan(Element root, int maxDepth) {
    boolean[] deep = {false};
    NodeTraversor.filter(
        new NodeFilter() {
          @Override
          public FilterResult head(Node node, int depth) {
            if (depth > maxDepth) {
              deep[0] = true;
              return FilterResult.STOP;
            }
            return FilterResult.CONTINUE;
          }
        },
        root);
    return deep[0];
  }

  /** Parses a fragment, reading double-escaped HTML ({@code &lt;p&gt;...}) as the HTML it hides. */
  private static Document parse(String html, String baseUri) {
    String base = baseUri == null ? "" : baseUri;
    Document document = Jsoup.parseBodyFragment(html, base);
    String parsed = html;
    if (document.body().children().isEmpty()) {
      String text = document.body().wholeText();
      if (ESCAPED_TAG.matcher(text).find()) {
        document = Jsoup.parseBodyFragment(text, base);
        parsed = text;
      }
    }
    // before the blank images are dropped: a lazily loaded image's src is often empty
    if (LazyImages.mayHaveLazyImages(parsed)) {
      LazyImages.resolve(document.body(), document.baseUri());
    }
    document.select(DROPPED_ELEMENTS).remove();
    return document;
  }

  /**
   * Plain text: blank lines and U+2029 separate paragraphs ({@link #PARAGRAPH_BREAK}), U+2028
   * breaks a line, other whitespace collapses.
   */
  private static String paragraphs(String text) {
    if (text.indexOf('\n') < 0 && text.indexOf('\u2029') < 0) {
      // no paragraph break: one paragraph (most titles), without splitting and joining copies
      return paragraph(text);
    }
    List<String> paragraphs = new ArrayList<>();
    for (String paragraph : PARAGRAPH_BREAK.split(text)) {
      String collapsed = paragraph(paragraph);
      if (!collapsed.isEmpty()) {
        paragraphs.add(collapsed);
      }
    }
    return String.join("\n\n", paragraphs);
  }

  /**
   * @return one paragraph of plain text collapsed: its whitespace runs made one space, trimmed,
   *     U+2028 kept as a line break ({@link #brokenLines}); empty when nothing is left
   */
  private static String paragraph(String paragraph) {
    return paragraph.indexOf(LINE_SEPARATOR) < 0
        ? collapseRuns(paragraph).strip()
        : brokenLines(paragraph);
  }

  /**
   * @return the lines of a plain-text paragraph broken at U+2028, each collapsed, joined by {@code
   *     "\n"}; lines that are empty once collapsed left out
   */
  private static String brokenLines(String paragraph) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start <= paragraph.length()) {
      int end = paragraph.indexOf(LINE_SEPARATOR, start);
      if (end < 0) {
        end = paragraph.length();
      }
      String line = collapseRuns(paragraph.substring(start, end)).strip();
      if (!line.isEmpty()) {
        lines.add(line);
      }
      start = end + 1;
    }
    return String.join("\n", lines);
  }

  private static boolean endsWithSpace(StringBuilder text) {
    return text.length() > 0 && text.charAt(text.length() - 1) == ' ';
  }

  /**
   * Text built from HTML, whose only newlines are block and {@code <br>} markers and whose lines
   * are collapsed already (no whitespace but single spaces): trims the lines and merges the
   * markers, runs of three or more newlines becoming one blank line. Same result as the regular
   * expressions {@code [\s\p{Z}&&[^\n]]+ -> " "} per line and {@code \n{3,} -> "\n\n"}, without
   * them (they were a tenth of the normalizer's time, docs/benchmarks-history.md). Each line is
   * read in place, trimmed as {@link String#strip()} trims (no whitespace character is a
   * surrogate), and copied once, into the result.
   */
  private static String lines(StringBuilder marked) {
    StringBuilder out = new StringBuilder(marked.length());
    int newlines = 0;
    int start = 0;
    int length = marked.length();
    while (true) {
      int end = marked.indexOf("\n", start);
      int from = start;
      int to = end < 0 ? length : end;
      while (from < to && Character.isWhitespace(marked.charAt(from))) {
        from++;
      }
      while (to > from && Character.isWhitespace(marked.charAt(to - 1))) {
        to--;
      }
      // a paragraph holding only a zero-width space or a byte order mark (<p>&#8203;</p>, a CMS's
      // empty paragraph) shows nothing: it is no paragraph
      if (hasVisibleText(marked, from, to)) {
        newlines = 0;
        out.append(marked, from, to);
      }
      if (end < 0) {
        break;
      }
      if (newlines < 2) {
        out.append('\n');
      }
      newlines++;
      start = end + 1;
    }
    // every line in out is trimmed already: only the markers' newlines can lead or trail
    int first = 0;
    int last = out.length();
    while (first < last && out.charAt(first) == '\n') {
      first++;
    }
    while (last > first && out.charAt(last - 1) == '\n') {
      last--;
    }
    return out.substring(first, last);
  }
}
