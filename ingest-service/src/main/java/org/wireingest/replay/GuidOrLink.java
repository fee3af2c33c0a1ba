package org.wireingest.replay;

import java.util.Objects;
import java.util.Optional;
import org.wireingest.parse.ParsedEntry;
import org.wireingest.text.UrlCanonicalizer;

/**
 * What an editor holds of a story instead of its {@code uri}: the agency's link to it or the feed
 * entry's GUID, and which entries it names. Pure and thread-safe.
 *
 * <p>An entry is named ({@link Match#SAME}) when the reference, stripped of surrounding white
 * space, is
 *
 * <ul>
 *   <li>its GUID, link or {@code feedburner:origLink} as written (stripped); or
 *   <li>an http(s) URL whose canonical form ({@link UrlCanonicalizer#canonicalize}, the form the
 *       identity rules compare links in) is that of the entry's link or {@code origLink}; or whose
 *       canonical form as an identifier ({@link UrlCanonicalizer#canonicalizeIdentifier}, the
 *       fragment kept, as GUIDs are compared) is that of the entry's GUID.
 * </ul>
 *
 * So {@code https://www.trtworld.com/a/1} names the entry linked as {@code
 * https://WWW.trtworld.com:443/a/1?utm_source=rss#top}. Only exact forms match: no prefix, no
 * search.
 *
 * <p>Weaker matches, for a lookup to fall back on ({@link #match}), are told apart: {@link
 * Match#OTHER_SCHEME}, the same with {@code http} for {@code https} or the reverse (browsers
 * upgrade links to https, and some feeds still write http; the identity rules keep the scheme, so
 * this is never an identity); and {@link Match#OTHER_LINK}, one of the entry's other links ({@link
 * ParsedEntry#links}): an Atom entry's further {@code rel="alternate"} links (an AMP or mobile
 * page), but also, since the raw item does not keep the {@code rel}, its {@code related}, {@code
 * enclosure} (media), {@code edit} or {@code replies} links and a JSON Feed item's {@code
 * external_url}, which may be another story's page.
 */
public final class GuidOrLink {

  /** How a reference names an entry, strongest first. */
  public enum Match {
    /** Its GUID, link or {@code origLink}, as written or in canonical form. */
    SAME,
    /**
     * Its GUID, link or {@code origLink} in canonical form, but with the other of {@code http} and
     * {@code https}: host, port, path, query (and a GUID's fragment) as given.
     */
    OTHER_SCHEME,
    /**
     * One of its other links ({@link ParsedEntry#links}), as written or in canonical form, with
     * either scheme.
     */
    OTHER_LINK,
    /** None of these. */
    NONE
  }

  private final String given;
  private final String canonicalLink;
  private final String canonicalIdentifier;
  private final String otherSchemeLink;
  private final String otherSchemeIdentifier;

  private GuidOrLink(String given) {
    this.given = given;
    this.canonicalLink = UrlCanonicalizer.canonicalize(given).orElse(null);
    this.canonicalIdentifier = UrlCanonicalizer.canonicalizeIdentifier(given).orElse(null);
    this.otherSchemeLink = otherScheme(canonicalLink);
    this.otherSchemeIdentifier = otherScheme(canonicalIdentifier);
  }

  /**
   * @param canonical a canonical http(s) URL (lower-case scheme); may be null
   * @return it with {@code http} for {@code https} or the reverse; null for null
   */
  private static String otherScheme(String canonical) {
    if (canonical == null) {
      return null;
    }
    return canonical.startsWith("https://")
        ? "http://" + canonical.substring("https://".length())
        : "https://" + canonical.substring("http://".length());
  }

  /**
   * @param given a GUID or a link as the editor has it; never null
   * @return the reference, {@code given} stripped
   * @throws IllegalArgumentException when {@code given} is blank
   */
  public static GuidOrLink of(String given) {
    String stripped = Objects.requireNonNull(given, "given").strip();
    if (stripped.isEmpty()) {
      throw new IllegalArgumentException("a GUID or link must not be blank");
    }
    return new GuidOrLink(stripped);
  }

  /**
   * @return the scheme a {@link Match#OTHER_SCHEME} match has: {@code http} for a reference given
   *     with {@code https}, {@code https} for one given with {@code http}; null when the reference
   *     is no http(s) URL
   */
  public String otherScheme() {
    return otherSchemeLink == null
        ? null
        : otherSchemeLink.substring(0, otherSchemeLink.indexOf(':'));
  }

  /**
   * @return the reference as given, stripped
   */
  public String given() {
    return given;
  }

  /**
   * @param entry a feed entry as parsed; may be null
   * @return true when the reference is the entry's GUID or link (as written or canonical): {@link
   *     #match} is {@link Match#SAME}; false for a null entry
   */
  public boolean names(ParsedEntry entry) {
    return match(entry) == Match.SAME;
  }

  /**
   * @param entry a feed entry as parsed; may be null
   * @return the strongest way the reference names the entry (see {@link Match}); {@link Match#NONE}
   *     for a null entry
   */
  public Match match(ParsedEntry entry) {
    if (entry == null) {
      return Match.NONE;
    }
    if (given.equals(stripped(entry.guid()))
        || given.equals(stripped(entry.link()))
        || given.equals(stripped(entry.origLink()))
        || sameCanonical(canonicalIdentifier, entry.guid(), true)
        || sameCanonical(canonicalLink, entry.link(), false)
        || sameCanonical(canonicalLink, entry.origLink(), false)) {
      return Match.SAME;
    }
    if (otherSchemeLink != null
        && (sameCanonical(otherSchemeIdentifier, entry.guid(), true)
            || sameCanonical(otherSchemeLink, entry.link(), false)
            || sameCanonical(otherSchemeLink, entry.origLink(), false))) {
      return Match.OTHER_SCHEME;
    }
    for (String link : entry.links()) {
      if (given.equals(stripped(link))
          || sameCanonical(canonicalLink, link, false)
          || sameCanonical(otherSchemeLink, link, false)) {
        return Match.OTHER_LINK;
      }
    }
    return Match.NONE;
  }

  private static boolean sameCanonical(String canonical, String value, boolean identifier) {
    if (canonical == null || value == null) {
      return false;
    }
    Optional<String> other =
        identifier
            ? UrlCanonicalizer.canonicalizeIdentifier(value)
            : UrlCanonicalizer.canonicalize(value);
    return other.isPresent() && canonical.equals(other.get());
  }

  private static String stripped(String value) {
    return value == null ? null : value.strip();
  }

  @Override
  public String toString() {
    return given;
  }
}
