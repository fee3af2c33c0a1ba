package org.wireingest.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

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
}
