package org.wireingest.config;

import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.wireingest.model.Hashes;

/**
 * One feed of the feeds list, validated.
 *
 * @param id unique, stable id, {@code [a-z0-9-]+}; the key of its feed state and the prefix of its
 *     raw items' keys
 * @param name human-readable name
 * @param agency agency id, {@code [a-z0-9-]+}: groups the feeds of one agency; article {@code uri}s
 *     are scoped by it
 * @param url the feed's address: {@code http}, {@code https} or {@code file}
 * @param interval time between polls (positive)
 * @param language default language (BCP 47) for entries that state none; null when unset
 * @param identity the identity policy of its entries
 * @param headers extra HTTP request headers (values are secrets: never logged); never null
 */
public record FeedSource(
    String id,
    String name,
    String agency,
    URI url,
    Duration interval,
    String language,
    IdentityPolicy identity,
    Map<String, String> headers) {

  public FeedSource {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /**
   * A digest of this definition, stored with the feed's state ({@code FeedState#definitionHash}) so
   * a poller that restarts can tell a feed redefined while it was stopped (a corrected API-key
   * header, a new URL or interval) from one listed as before, as it does for a feeds list changed
   * while it runs: every component counts, as in {@link #equals}.
   *
   * <p>It covers the header values and any credentials in the URL, as a digest only (SHA-256; the
   * way deployment tools annotate a pod with a checksum of its secrets): the values themselves are
   * never stored or logged. Header names are taken in sorted order, so the list's order of headers
   * does not count.
   *
   * @return SHA-256 as 64 lower-case hex characters over a scheme name ({@code
   *     wire-ingest.feed-definition.v1}) and each component ({@link Hashes#field}); equal for equal
   *     definitions
   */
  public String definitionHash() {
    MessageDigest digest = Hashes.sha256();
    Hashes.field(digest, "scheme", "wire-ingest.feed-definition.v1");
    Hashes.field(digest, "id", id);
    Hashes.field(digest, "name", name);
    Hashes.field(digest, "agency", agency);
    Hashes.field(digest, "url", url == null ? null : url.toString());
    Hashes.field(digest, "interval", interval == null ? null : interval.toString());
    Hashes.field(digest, "language", language);
    Hashes.field(digest, "identity", identity == null ? null : identity.name());
    for (Map.Entry<String, String> header : new TreeMap<>(headers).entrySet()) {
      Hashes.field(digest, "header", header.getKey());
      Hashes.field(digest, "value", header.getValue());
    }
    return Hashes.hex(digest.digest());
  }
}
