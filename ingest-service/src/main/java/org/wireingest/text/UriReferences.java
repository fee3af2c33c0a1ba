package org.wireingest.text;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * URI references resolved against a base URI as RFC 3986 §5 says: the feed's link for an entry's
 * relative link, Atom's {@code xml:base}, JSON Feed's {@code home_page_url}. Pure and thread-safe.
 */
public final class UriReferences {

  private UriReferences() {}

  /**
   * A link made absolute against a base when it is relative ({@link #resolve(URI, URI)}).
   *
   * @param base the base, e.g. a feed's link; may be null
   * @param link a URI reference as found in a feed, white space at its ends ignored; may be null
   * @return the resolved link; {@code link} stripped when it is absolute, when {@code base} is null
   *     or not absolute, or when either is no URI; null when {@code link} is null or blank
   */
  public static String absolute(String base, String link) {
    String value = link == null ? null : link.strip();
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (base == null) {
      return value;
    }
    try {
      URI reference = new URI(value);
      URI from = new URI(base.strip());
      return reference.isAbsolute() || !from.isAbsolute()
          ? value
          : resolve(from, reference).toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return value;
    }
  }

  /**
   * {@code reference} resolved against {@code base} as RFC 3986 §5.2 says: its components taken
   * from the reference or the base (§5.2.2), the paths merged (§5.2.3) and their dot segments
   * removed (§5.2.4), {@code ..} segments that would climb above the root dropped ({@code
   * http://example.org/../a} is {@code http://example.org/a}), empty segments kept ({@code
   * x//y.html} against {@code http://example.org/} is {@code http://example.org/x//y.html}: {@link
   * URI#resolve(URI)}, which follows RFC 2396, made it {@code x/y.html}). A base with an authority
   * and no path has the path {@code /} (RFC 3986 §6.2.3: the same resource), so an empty or
   * query-only reference against {@code http://example.org?lang=en} is {@code
   * http://example.org/?lang=en}, the base's query kept for the empty one. A relative base gives a
   * relative reference, the two joined ({@code ../a.html} against {@code news/} is {@code a.html};
   * its {@code ..} segments above the start are kept). A network-path base ({@code
   * //cdn.example.org/x/}) is resolved as an absolute one and stays without a scheme.
   *
   * @param base an absolute URI, or a relative reference
   * @param reference the URI reference to resolve
   * @return the resolved URI; {@code reference} itself when it is absolute or {@code base} is
   *     opaque
   * @throws URISyntaxException when the result is no URI
   */
  public static URI resolve(URI base, URI reference) throws URISyntaxException {
    if (reference.isAbsolute() || base.isOpaque()) {
      return reference;
    }
    if (base.getScheme() == null && base.getRawAuthority() == null) {
      return joined(base, reference);
    }
    String basePath =
        base.getRawAuthority() != null && base.getRawPath().isEmpty() ? "/" : base.getRawPath();
    String authority;
    String path;
    String query;
    if (reference.getRawAuthority() != null) {
      authority = reference.getRawAuthority();
      path = withoutDotSegments(reference.getRawPath());
      query = reference.getRawQuery();
    } else {
      authority = base.getRawAuthority();
      String referencePath = reference.getRawPath();
      if (referencePath.isEmpty()) {
        path = basePath;
        query = reference.getRawQuery() != null ? reference.getRawQuery() : base.getRawQuery();
      } else {
        path =
            withoutDotSegments(
                referencePath.startsWith("/")
                    ? referencePath
                    : basePath.substring(0, basePath.lastIndexOf('/') + 1) + referencePath);
        query = reference.getRawQuery();
      }
    }
    return new URI(
        (base.getScheme() == null ? "" : base.getScheme() + ":")
            + (authority == null ? "" : "//" + authority)
            + path
            + (query == null ? "" : "?" + query)
            + (reference.getRawFragment() == null ? "" : "#" + reference.getRawFragment()));
  }

  /**
   * A reference resolved against a relative-path base ({@code news/}, {@code ../a/}) by {@link
   * URI#resolve(URI)}: the two joined, {@code ..} segments above the start kept, to be resolved
   * against an absolute base later. An empty reference is the base without its fragment, a
   * query-only one keeps the base's path.
   */
  private static URI joined(URI base, URI reference) throws URISyntaxException {
    String raw = reference.toString();
    if (raw.isEmpty() || raw.startsWith("?")) {
      String whole = base.toString();
      int fragment = whole.indexOf('#');
      String withoutFragment = fragment < 0 ? whole : whole.substring(0, fragment);
      if (raw.isEmpty()) {
        return new URI(withoutFragment);
      }
      int query = withoutFragment.indexOf('?');
      return new URI((query < 0 ? withoutFragment : withoutFragment.substring(0, query)) + raw);
    }
    return base.resolve(reference).normalize();
  }

  /**
   * A path with its {@code .} and {@code ..} segments removed as RFC 3986 §5.2.4 says: a {@code ..}
   * takes the segment before it away, or nothing at the root; empty segments stay ({@code
   * /a//b/../c} is {@code /a//c}, where {@link URI#normalize()} makes it {@code /a/c}). Linear in
   * the path's length.
   *
   * @param path a URI's raw path, e.g. {@code /news/../feed.xml}; not null
   * @return the path without dot segments, e.g. {@code /feed.xml}; never null
   */
  public static String withoutDotSegments(String path) {
    StringBuilder output = new StringBuilder(path.length());
    int at = 0;
    int end = path.length();
    while (at < end) {
      if (path.startsWith("../", at)) {
        at += 3;
      } else if (path.startsWith("./", at)) {
        at += 2;
      } else if (path.startsWith("/./", at)) {
        at += 2;
      } else if (at + 2 == end && path.startsWith("/.", at)) {
        output.append('/');
        at = end;
      } else if (path.startsWith("/../", at)) {
        removeLastSegment(output);
        at += 3;
      } else if (at + 3 == end && path.startsWith("/..", at)) {
        removeLastSegment(output);
        output.append('/');
        at = end;
      } else if (path.startsWith(".", at)
          && (at + 1 == end || at + 2 == end && path.endsWith(".."))) {
        at = end;
      } else {
        int next = path.indexOf('/', path.charAt(at) == '/' ? at + 1 : at);
        next = next < 0 ? end : next;
        output.append(path, at, next);
        at = next;
      }
    }
    return output.toString();
  }

  private static void removeLastSegment(StringBuilder output) {
    output.setLength(Math.max(output.lastIndexOf("/"), 0));
  }
}
