package org.wireingest.config;

import java.util.Locale;

/**
 * How a source's entries are identified (DESIGN.md, "Identity, dedup and versions").
 *
 * <ul>
 *   <li>{@link #AUTO}: the GUID when the entry has one, else the canonical link, else a content
 *       hash; entries sharing a GUID but pointing to different links are told apart by their link.
 *       A feed whose GUIDs are not usable as a whole (missing, reused, naming the feed) is
 *       identified by link or content instead, with an {@code identity-degraded} warning ({@code
 *       org.wireingest.dedup.IdentityResolver}).
 *   <li>{@link #GUID}: the GUID, even where several entries share it; an entry without one is
 *       identified by its canonical link, else a content hash (no warning is counted).
 *   <li>{@link #LINK}: the canonical link, else (no link) a content hash, for feeds whose GUIDs
 *       change on every fetch.
 *   <li>{@link #CONTENT}: a hash of the headline's and the description's text (the content's when
 *       there is no description), for feeds with neither usable GUIDs nor links.
 * </ul>
 */
public enum IdentityPolicy {
  AUTO,
  GUID,
  LINK,
  CONTENT;

  /**
   * @return the lower-case name used in feeds.yaml and in events
   */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
