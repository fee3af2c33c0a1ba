package org.wireingest.config;

import java.util.Locale;

/**
 * How a source's entries are identified (DESIGN.md, "Identity, dedup and versions").
 *
 * <ul>
 *   <li>{@link #AUTO}: the GUID when the entry has one, else the canonical link, else a content
 *       hash; entries sharing a GUID but pointing to different links are told apart by their link.
 *   <li>{@link #GUID}: the GUID only (entries without one fall back to {@code auto} with a
 *       warning).
 *   <li>{@link #LINK}: the canonical link only (for feeds whose GUIDs change on every fetch).
 *   <li>{@link #CONTENT}: a hash of the headline and summary (for feeds with neither usable GUIDs
 *       nor links).
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
