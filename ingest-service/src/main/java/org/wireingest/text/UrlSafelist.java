package org.wireingest.text;

import java.net.MalformedURLException;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Safelist;

/**
 * A jsoup {@link Safelist} whose URL protocol rules ("{@code a href} only http, https or mailto")
 * are checked here rather than by jsoup, with the same outcome at a fraction of the cost.
 *
 * <p>Why: jsoup checks a protocol by resolving the attribute against the element's base URI ({@code
 * Node.absUrl}), and its resolution strips ASCII control characters from the base and the value
 * with the regular expression {@code [\x00-\x1f]*}, three times per attribute. That expression
 * matches the empty string at every position, so each strip rebuilds the whole URL one character at
 * a time; it was a quarter of the normalizer's time (docs/benchmarks-history.md). This class gives
 * the same verdict and the same rewritten value as jsoup 1.21.2 for every input:
 *
 * <ol>
 *   <li>the value is resolved against {@link Element#baseUri()} as jsoup's {@code
 *       StringUtil.resolve(String, String)} does: both with the characters U+0000 to U+001F removed
 *       (a no-op, without a copy, for the usual URL that has none); when the base is not a URL, the
 *       value on its own; {@link URL#URL(URL, String)} with jsoup's corrections for the resolution
 *       itself; when no {@link URL} can be made, the stripped value if it starts with a scheme
 *       ({@code [a-zA-Z][a-zA-Z0-9+,.-]*:}, e.g. {@code tel:}), else nothing;
 *   <li>when that gives nothing (a relative link without a base), the value as written;
 *   <li>the attribute is set to that value unless {@link #preserveRelativeLinks()};
 *   <li>the attribute is safe when the value, lower-cased ({@link Locale#ENGLISH}, as jsoup does),
 *       starts with one of the allowed protocols followed by {@code :}.
 * </ol>
 *
 * <p>Protocol rules apply, as in jsoup, to attributes that the safelist allows on that tag by name
 * (not through {@code :all} or enforced attributes); jsoup's own {@code addProtocols} rules are not
 * to be used alongside, and anchor rules ({@code #}) are not supported. {@code HtmlTest} compares
 * the cleaned output with jsoup's own protocol check on generated fragments.
 *
 * <p>Thread-safe once configured, like {@link Safelist}: configure it before the first use.
 */
public final class UrlSafelist extends Safelist {

  /** Lower-case tag name -> lower-case attribute name -> allowed protocols, each with its ':'. */
  private final Map<String, Map<String, List<String>>> protocols = new HashMap<>();

  /** The last base URI parsed, shared by all threads (immutable, so a racy update is harmless). */
  private volatile ParsedBase lastBase = new ParsedBase("", null);

  /**
   * @param tagsAndAttributes the tags, attributes and enforced attributes to allow (copied); its
   *     own protocol rules, if any, stay in force as well
   */
  UrlSafelist(Safelist tagsAndAttributes) {
    super(tagsAndAttributes);
  }

  /**
   * Restricts an attribute that the safelist allows on a tag to URLs of the given protocols, as
   * {@link Safelist#addProtocols} does.
   *
   * @param tag tag name, any case
   * @param attribute attribute name, any case; must be allowed on {@code tag} by name
   * @param allowed protocols without the colon, e.g. {@code "https"}; not {@code "#"}
   * @return this
   * @throws IllegalArgumentException when a protocol is empty or {@code "#"}
   */
  UrlSafelist requireProtocols(String tag, String attribute, String... allowed) {
    List<String> prefixes = new ArrayList<>();
    for (String protocol : allowed) {
      if (protocol.isEmpty() || protocol.equals("#")) {
        throw new IllegalArgumentException("not a URL scheme: '" + protocol + "'");
      }
      prefixes.add(protocol.toLowerCase(Locale.ENGLISH) + ":");
    }
    protocols
        .computeIfAbsent(tag.toLowerCase(Locale.ENGLISH), t -> new HashMap<>())
        .merge(
            attribute.toLowerCase(Locale.ENGLISH),
            List.copyOf(prefixes),
            (a, b) -> Stream.concat(a.stream(), b.stream()).toList());
    return this;
  }

  @Override
  public boolean isSafeAttribute(String tagName, Element element, Attribute attribute) {
    if (!super.isSafeAttribute(tagName, element, attribute)) {
      return false;
    }
    Map<String, List<String>> byAttribute = protocols.get(tagName.toLowerCase(Locale.ENGLISH));
    List<String> allowed =
        byAttribute == null
            ? null
            : byAttribute.get(attribute.getKey().toLowerCase(Locale.ENGLISH));
    return allowed == null || hasAllowedProtocol(element, attribute, allowed);
  }

  /**
   * Whether {@link #isSafeAttribute} would keep {@code value} as the attribute {@code attribute} of
   * a {@code tag} element whose base URI is {@code baseUri}, by this safelist's protocol rules
   * alone: the value resolved against the base as the cleaner resolves it. Changes nothing.
   *
   * @param tag lower-case tag name
   * @param attribute lower-case attribute name
   * @param baseUri the element's base URI; empty when it has none
   * @param value the attribute's value as written; not null
   * @return false when the attribute has protocol rules on that tag and the resolved value has none
   *     of their protocols; true otherwise
   */
  boolean allowsUrl(String tag, String attribute, String baseUri, String value) {
    Map<String, List<String>> byAttribute = protocols.get(tag);
    List<String> allowed = byAttribute == null ? null : byAttribute.get(attribute);
    return allowed == null || hasAllowedPrefix(resolvedOrAsWritten(baseUri, value), allowed);
  }

  private boolean hasAllowedProtocol(Element element, Attribute attribute, List<String> allowed) {
    String value =
        resolvedOrAsWritten(
            element.baseUri(), element.attributes().getIgnoreCase(attribute.getKey()));
    if (!preserveRelativeLinks()) {
      attribute.setValue(value);
    }
    return hasAllowedPrefix(value, allowed);
  }

  /** {@link #absolute}, or the value as written when that gives nothing. */
  private String resolvedOrAsWritten(String baseUri, String value) {
    String resolved = absolute(baseUri, value);
    return resolved.isEmpty() ? value : resolved;
  }

  private static boolean hasAllowedPrefix(String value, List<String> allowed) {
    String lower = value.toLowerCase(Locale.ENGLISH);
    for (String prefix : allowed) {
      if (lower.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code value} made absolute against {@code baseUri}, as jsoup's {@code Node.absUrl} makes it.
   *
   * @return the absolute URL; the value itself (without control characters) when it has a scheme
   *     that {@link URL} does not know; empty when it cannot be made absolute
   */
  private String absolute(String baseUri, String value) {
    String relative = withoutControlCharacters(value);
    if (isPlainHttpUrl(relative)) {
      return relative; // what URL would rebuild it to, whatever the base
    }
    try {
      URL base = parsedBase(withoutControlCharacters(baseUri));
      return (base == null ? new URL(relative) : resolved(base, relative)).toExternalForm();
    } catch (MalformedURLException notAUrl) {
      return startsWithScheme(relative) ? relative : "";
    }
  }

  /**
   * {@code relative} resolved against {@code base} by {@link URL#URL(URL, String)}, with the two
   * corrections jsoup 1.21.2 makes to it ({@code StringUtil.resolve(URL, String)}, which would
   * strip control characters a third time): a query-only reference ({@code ?q}) keeps the base's
   * path (RFC 3986 §5.2.2; {@code URL} drops its last segment), and leading {@code ../} and {@code
   * ./} segments that climb above the root are removed ({@code /../a} gives {@code /a}). The URL is
   * rebuilt from protocol, host, port, path, query and fragment, so user info is dropped, as in
   * jsoup.
   *
   * @param relative a reference without control characters
   * @throws MalformedURLException when {@link URL} cannot resolve it
   */
  private static URL resolved(URL base, String relative) throws MalformedURLException {
    URL url = new URL(base, relative.startsWith("?") ? base.getPath() + relative : relative);
    String file = url.getFile();
    int afterDots = 1; // just past the leading '/' and the "../" or "./" segments after it
    boolean climbing = file.startsWith("/");
    while (climbing) {
      if (file.startsWith("../", afterDots)) {
        afterDots += 3;
      } else if (file.startsWith("./", afterDots)) {
        afterDots += 2;
      } else {
        climbing = false;
      }
    }
    String path = afterDots > 1 ? "/" + file.substring(afterDots) : file;
    String fragment = url.getRef();
    return new URL(
        url.getProtocol(),
        url.getHost(),
        url.getPort(),
        fragment == null ? path : path + "#" + fragment);
  }

  /**
   * @return the base as a URL; null when it is not one (then values are read on their own)
   */
  private URL parsedBase(String baseUri) {
    ParsedBase last = lastBase;
    if (!last.text().equals(baseUri)) {
      URL url;
      try {
        url = new URL(baseUri);
      } catch (MalformedURLException notAUrl) {
        url = null;
      }
      last = new ParsedBase(baseUri, url);
      lastBase = last;
    }
    return last.url();
  }

  /** The text with the characters U+0000 to U+001F removed; the text itself when it has none. */
  static String withoutControlCharacters(String text) {
    int first = 0;
    while (first < text.length() && text.charAt(first) >= 0x20) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length()).append(text, 0, first);
    for (int i = first + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Whether {@link #absolute} gives the text back unchanged, without asking {@link URL}: an
   * absolute {@code http://} or {@code https://} URL (scheme in lower case) whose host is
   * lower-case letters, digits, dots and hyphens, not starting with a dot or hyphen and without two
   * in a row starting with a dot ({@link URL} keeps any such host as written; it does not validate
   * host names), with no port or user info, followed by nothing or by a path and query of RFC 3986
   * characters (no fragment) without any {@code "/."} (so no dot segment for {@link URL} to
   * remove). Most links and image sources in feeds are such URLs, and resolving them was a
   * twentieth of the normalizer's time. {@code UrlSafelistTest} checks the answer against jsoup's
   * resolution.
   */
  static boolean isPlainHttpUrl(String text) {
    int hostStart = text.startsWith("https://") ? 8 : text.startsWith("http://") ? 7 : -1;
    if (hostStart < 0) {
      return false;
    }
    int i = hostStart;
    char previous = '.';
    while (i < text.length() && text.charAt(i) != '/') {
      char c = text.charAt(i);
      boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!(letterOrDigit || ((c == '.' || c == '-') && previous != '.'))) {
        return false;
      }
      previous = c;
      i++;
    }
    if (i == hostStart || text.indexOf("/.", i) >= 0) {
      return false;
    }
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80 || !PLAIN_PATH_AND_QUERY[c]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The ASCII characters {@link #isPlainHttpUrl} accepts after the host: RFC 3986 unreserved,
   * sub-delims, {@code :@/?%}.
   */
  private static final boolean[] PLAIN_PATH_AND_QUERY =
      PercentEncoding.rawCharacters("!$&'()*+,;=:@/?%");

  /**
   * Whether a URL a feed gave outside its HTML (an entry's link, an enclosure's or a media object's
   * {@code url}) may be handed to consumers: an {@code http} or {@code https} URL, or a reference
   * without a scheme (relative or protocol-relative). Control characters (U+0000 to U+001F, which
   * browsers drop inside a scheme) and surrounding white space are ignored, so {@code "
   * java\tscript:alert(1)"} is caught as {@code javascript:}. Any other scheme ({@code
   * javascript:}, {@code vbscript:}, {@code data:}, {@code file:}, ...) is not safe.
   *
   * @param url a URL as the feed gave it; never null
   * @return true when it is http(s) or has no scheme
   */
  public static boolean hasSafeScheme(String url) {
    String text = withoutControlCharacters(url).strip();
    if (!startsWithScheme(text)) {
      return true;
    }
    String scheme = text.substring(0, text.indexOf(':')).toLowerCase(Locale.ROOT);
    return scheme.equals("http") || scheme.equals("https");
  }

  /** Whether the text starts with a URI scheme and its colon: {@code [a-zA-Z][a-zA-Z0-9+,.-]*:}. */
  static boolean startsWithScheme(String text) {
    if (text.isEmpty() || !isAsciiLetter(text.charAt(0))) {
      return false;
    }
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ':') {
        return true;
      }
      if (!(isAsciiLetter(c)
          || (c >= '0' && c <= '9')
          || c == '+'
          || c == ','
          || c == '-'
          || c == '.')) {
        return false;
      }
    }
    return false;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** A base URI and its parse; {@code url} null when the text is not a URL. */
  private record ParsedBase(String text, URL url) {}
}
