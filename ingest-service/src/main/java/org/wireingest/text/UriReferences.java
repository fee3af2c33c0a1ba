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
   * {@code reference} resolved against {@code base} as RFC 3986 §5.2 says, by {@link
   * URI#resolve(URI)} and the corrections its older rules (RFC 2396) need: a base with an authority
   * and no path has the path {@code /} ({@code URI} resolves {@code a} against {@code
   * http://example.org} to {@code http://example.orga}); an empty reference is the base without its
   * fragment, and a query-only one keeps the base's path ({@code URI} drops its last segment); dot
   * segments are removed from an absolute path too ({@link URI#normalize()}), and {@code ..}
   * segments that would climb above the root are dropped ({@code URI} keeps them, {@code
   * http://example.org/../a}). A relative base gives a relative reference, the two joined.
   *
   * @param base an absolute URI, or a relative reference
   * @param reference the URI reference to resolve
   * @return the resolved URI; {@code reference} itself when it is absolute
   * @throws URISyntaxException when the result is no URI
   */
  public static URI resolve(URI base, URI reference) throws URISyntaxException {
    if (reference.isAbsolute() || base.isOpaque()) {
      return reference;
    }
    URI from =
        base.getRawAuthority() != null && base.getRawPath().isEmpty() ? base.resolve("/") : base;
    String raw = reference.toString();
    if (raw.isEmpty() || raw.startsWith("?")) {
      String whole = from.toString();
      int fragment = whole.indexOf('#');
      String withoutFragment = fragment < 0 ? whole : whole.substring(0, fragment);
      if (raw.isEmpty()) {
        return new URI(withoutFragment);
      }
      int query = withoutFragment.indexOf('?');
      return new URI((query < 0 ? withoutFragment : withoutFragment.substring(0, query)) + raw);
    }
    URI resolved = from.resolve(reference).normalize();
    String path = resolved.getRawPath();
    if (resolved.getRawAuthority() == null || !path.startsWith("/../") && !path.equals("/..")) {
      return resolved;
    }
    String climbed = path;
    while (climbed.startsWith("/../")) {
      climbed = climbed.substring(3);
    }
    return new URI(
        (resolved.getScheme() == null ? "" : resolved.getScheme() + ":")
            + "//"
            + resolved.getRawAuthority()
            + (climbed.equals("/..") ? "/" : climbed)
            + (resolved.getRawQuery() == null ? "" : "?" + resolved.getRawQuery())
            + (resolved.getRawFragment() == null ? "" : "#" + resolved.getRawFragment()));
  }
}
