package org.wireingest.replay;

import java.util.Objects;
import java.util.Optional;
import org.wireingest.parse.ParsedEntry;
import org.wireingest.text.UrlCanonicalizer;

/**
 * What an editor holds of a story instead of its {@code uri}: the agency's link to it or the feed
 * entry's GUID, and which entries it names. Pure and thread-safe.
 *
 * <p>An entry is named when the reference, stripped of surrounding white space, is
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
 */
public final class GuidOrLink {

  private final String given;
  private final String canonicalLink;
  private final String canonicalIdentifier;

  private GuidOrLink(String given) {
    this.given = given;
    this.canonicalLink = UrlCanonicalizer.canonicalize(given).orElse(null);
    this.canonicalIdentifier = UrlCanonicalizer.canonicalizeIdentifier(given).orElse(null);
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
   * @return the reference as given, stripped
   */
  public String given() {
    return given;
  }

  /**
   * @param entry a feed entry as parsed; may be null
   * @return true when the reference is the entry's GUID or link (as written or canonical); false
   *     for a null entry
   */
  public boolean names(ParsedEntry entry) {
    if (entry == null) {
      return false;
    }
    return given.equals(stripped(entry.guid()))
        || given.equals(stripped(entry.link()))
        || given.equals(stripped(entry.origLink()))
        || sameCanonical(canonicalIdentifier, entry.guid(), true)
        || sameCanonical(canonicalLink, entry.link(), false)
        || sameCanonical(canonicalLink, entry.origLink(), false);
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
