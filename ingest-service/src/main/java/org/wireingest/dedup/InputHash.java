package org.wireingest.dedup;

import java.nio.charset.StandardCharsets;
import org.wireingest.model.Hashes;
import org.wireingest.model.RawWireItem;

/**
 * A hash of everything a raw item's {@link Fingerprint} can depend on, computed without
 * normalising: two items of one {@code uri} with equal input hashes normalise to equal fingerprints
 * ({@code Normalizer} is pure), so the later one is a {@code same-fingerprint} duplicate without
 * being normalised. Pure and thread-safe.
 *
 * <p>The fingerprint is made of the headline, byline, summary, body text, subject names and {@code
 * pubStatus}, which the normalizer derives from the entry alone, its HTML fragments being parsed
 * against the entry's {@code baseUri} (Atom {@code xml:base}, part of the entry), else its link,
 * else the feed link. Covered, conservatively (a covered field that does not matter only costs a
 * normalisation):
 *
 * <ul>
 *   <li>the entry, by the poller's {@link RawWireItem#entryHash() entryHash} (SHA-256 of the entry
 *       as parsed: it changes whenever anything in the entry does);
 *   <li>the feed link (the HTML base when the entry has no link), the feed's and the source's
 *       default language;
 *   <li>{@link #SCHEME}, the version of these rules: change it with any change to the normalizer
 *       that can change a fingerprint for an unchanged input, so stored hashes stop matching and
 *       the first copy of each story after an upgrade is normalised again.
 * </ul>
 *
 * <p>Equal input hashes also mean equal media ({@code associations}: the entry's enclosures and
 * Media RSS objects, else its body's images), which the version rule compares beside the
 * fingerprint ({@link Versioning}: a copy that adds a picture is an update): the entry hash covers
 * the enclosures, and the body's images are resolved against the entry's base URI or link, or the
 * feed link. So an item whose input hash is the stored one adds no media either.
 *
 * <p>Not covered, because no fingerprint reads them: the source id, name and feed URL (so one story
 * carried by two section feeds of an agency matches), the fetch, {@code firstSeenAt}, the feed
 * title and format. The {@code uri} (agency and identity) is the store key, so it is equal already.
 */
public final class InputHash {

  /** Version of the covered-fields rule; part of every hash. */
  public static final String SCHEME = "wire-ingest.normalizer-input.v1";

  /** {@link #SCHEME} and a line feed, in UTF-8: every hash starts with it. */
  private static final byte[] SCHEME_LINE = (SCHEME + "\n").getBytes(StandardCharsets.UTF_8);

  private InputHash() {}

  /**
   * @param item a raw wire item; never null
   * @return SHA-256 as 64 lower-case hex characters over {@link #SCHEME} and the fields above, each
   *     written as {@code name=length:value} ({@code name=-} for null) on its own line; null when
   *     the item has no source or its {@code entryHash} is not 64 lower-case hex characters (then
   *     nothing vouches for the entry, and it is always normalised)
   */
  public static String of(RawWireItem item) {
    if (item.source() == null || item.entryHash() == null || !isSha256Hex(item.entryHash())) {
      return null;
    }
    return Hashes.sha256Hex(
        digest -> {
          digest.update(SCHEME_LINE);
          Hashes.field(digest, "entryHash", item.entryHash());
          Hashes.field(digest, "feedLink", item.feed() == null ? null : item.feed().link());
          Hashes.field(digest, "feedLanguage", item.feed() == null ? null : item.feed().language());
          Hashes.field(digest, "sourceLanguage", item.source().language());
        });
  }

  /** Whether the text is a SHA-256 digest in lower-case hex: 64 characters of {@code [0-9a-f]}. */
  private static boolean isSha256Hex(String text) {
    if (text.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
