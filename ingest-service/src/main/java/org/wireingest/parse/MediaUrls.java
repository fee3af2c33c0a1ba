package org.wireingest.parse;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import org.wireingest.text.PercentEncoding;

/**
 * The one rule for the URL of a media object a feed gives (an RSS {@code enclosure}, a Media RSS
 * {@code content} or {@code thumbnail}, a JSON Feed attachment or image), so that every URL an
 * article event carries is one a client can request.
 *
 * <p>A URL {@link URI} reads, on an ASCII host, is kept as written (white space at its ends
 * dropped). One it refuses has the characters RFC 3986 section 2 does not allow (a space, {@code
 * |}, {@code ^}, {@code "}, non-ASCII, ...), a {@code [} or {@code ]} outside the authority, a
 * {@code #} after the first and a {@code %} not followed by two hex digits percent-encoded as their
 * UTF-8 bytes ({@link PercentEncoding#escapeRefused}); everything else, escapes and query
 * parameters included, stays as written. A non-ASCII host name, which {@link URI} takes for a
 * registry name no client resolves, becomes its IDNA ASCII (punycode) form. Each URL so encoded is
 * a {@code bad-field} warning ("read as"). A URL {@link URI} still refuses once encoded is no URL
 * to keep: a {@code bad-field} warning ("left out"). A non-ASCII host IDNA refuses (a label over 63
 * characters) in a URL {@link URI} reads is kept as written.
 */
final class MediaUrls {

  private MediaUrls() {}

  /**
   * @param written the URL as the feed gives it; null or blank gives empty, without a warning
   * @param what what names it in a warning, e.g. {@code media:content url}, {@code enclosure url}
   * @param warnings where an encoded or left-out URL is reported
   * @return the URL to keep, encoded where it had to be; empty when there is none to keep
   */
  static Optional<String> readable(String written, String what, Warnings warnings) {
    String url = written == null ? null : written.strip();
    if (url == null || url.isEmpty()) {
      return Optional.empty();
    }
    URI parsed = parsedUri(url);
    if (parsed != null && isAscii(parsed.getRawAuthority())) {
      return Optional.of(url);
    }
    Optional<String> encoded =
        PercentEncoding.escapeRefused(url).filter(escaped -> parsedUri(escaped) != null);
    if (encoded.isPresent()) {
      warnings.add(
          "bad-field", what + " '" + url + "' is not a valid URI, read as " + encoded.get());
      return encoded;
    }
    if (parsed != null) {
      return Optional.of(url);
    }
    warnings.add("bad-field", what + " '" + url + "' is not a URL, even encoded; left out");
    return Optional.empty();
  }

  private static URI parsedUri(String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static boolean isAscii(String text) {
    return text == null || text.chars().allMatch(c -> c < 0x80);
  }
}
