package org.wireingest.model;

import java.time.Instant;
import org.wireingest.parse.ParsedEntry;

/**
 * The value of a {@code wire.raw-items.v1} record: one feed entry as fetched, with where and when
 * it came from. It is the replayable history: the normalizer derives every article event from it
 * alone. Schema: {@code schemas/raw-item.schema.json}.
 *
 * @param schemaVersion value schema version, currently 1
 * @param source the feed it came from
 * @param itemKey stable key of the entry within its source (hex); the record key is {@code
 *     sourceId/itemKey}
 * @param identity the identity the poller resolved for this entry (with the feed's context)
 * @param fetch the fetch that delivered it
 * @param feed channel-level facts of the document it was in
 * @param entry the entry exactly as parsed
 * @param entryHash SHA-256 (hex) of the entry as parsed with its links in canonical form: changes
 *     whenever anything in it changes but a link's tracking parameters or fragment ({@code
 *     RawItems.entryHash})
 * @param firstSeenAt when this poller first saw this item key (UTC); the date fallback
 */
public record RawWireItem(
    int schemaVersion,
    Source source,
    String itemKey,
    Identity identity,
    Fetch fetch,
    Feed feed,
    ParsedEntry entry,
    String entryHash,
    Instant firstSeenAt) {

  /** The {@code schemaVersion} of this shape: 1. The normalizer reads no other. */
  public static final int SCHEMA_VERSION = 1;

  /**
   * @param id source id from the feeds list
   * @param name source name
   * @param agency agency id
   * @param feedUrl the configured feed URL (credentials removed)
   * @param language the source's default language; null when unset
   * @param identityPolicy the configured identity policy ({@code auto}, {@code guid}, {@code link},
   *     {@code content})
   */
  public record Source(
      String id,
      String name,
      String agency,
      String feedUrl,
      String language,
      String identityPolicy) {}

  /**
   * @param basis what the identity is made of: {@code guid}, {@code guid+link}, {@code link} or
   *     {@code content}
   * @param value the identity string (a GUID, a canonical URL, a content hash, ...); never null
   */
  public record Identity(String basis, String value) {}

  /**
   * @param fetchedAt when the fetch completed (UTC)
   * @param url the URL finally fetched (after redirects; credentials removed)
   * @param status HTTP status (200), or 0 for {@code file:}
   * @param etag the response's ETag; null when none
   * @param lastModified the response's Last-Modified (RFC 9110 IMF-fixdate, as sent); null when
   *     none
   * @param contentType the response's Content-Type; null when none
   * @param bodySha256 SHA-256 (hex) of the body bytes
   */
  public record Fetch(
      Instant fetchedAt,
      String url,
      int status,
      String etag,
      String lastModified,
      String contentType,
      String bodySha256) {}

  /**
   * @param format syndication format ({@code rss_2.0}, {@code atom_1.0}, ...)
   * @param title channel title; null when absent
   * @param link channel link; null when absent
   * @param language channel language; null when absent
   */
  public record Feed(String format, String title, String link, String language) {}
}
