package org.wireingest.parse;

import java.util.List;

/**
 * A parsed feed document: channel-level metadata plus its entries in document order. Immutable; no
 * Rome or JDOM type ever leaves the {@code parse} package.
 *
 * @param format the syndication format and version, as Rome names it ({@code rss_2.0}, {@code
 *     rss_1.0}, {@code atom_1.0}, ...)
 * @param charset the character set the bytes were decoded with (e.g. {@code UTF-8})
 * @param title channel / feed title; null when absent
 * @param link channel / feed home page link; null when absent
 * @param language channel language ({@code <language>}, {@code xml:lang}, {@code dc:language});
 *     null when not stated
 * @param ttlMinutes RSS {@code <ttl>} in minutes; null when absent or invalid
 * @param entries the entries in document order; never null, may be empty
 * @param warnings recoverable problems met while parsing; never null
 */
public record ParsedFeed(
    String format,
    String charset,
    String title,
    String link,
    String language,
    Integer ttlMinutes,
    List<ParsedEntry> entries,
    List<ParseWarning> warnings) {

  public ParsedFeed {
    entries = entries == null ? List.of() : List.copyOf(entries);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }
}
