package org.wireingest.dedup;

import java.time.Instant;

/**
 * What the normalizer remembers of an article between versions (the value of its dedup store,
 * keyed by {@code uri}). Immutable.
 *
 * @param uri the article {@code uri}; never null
 * @param version the last version published (1 or more)
 * @param fingerprint {@link Fingerprint} of the last version published; never null
 * @param firstCreated the {@code firstCreated} of version 1 (UTC), kept for every later version
 * @param lastVersionCreated the newest {@code versionCreated} published so far (UTC)
 * @param inputHash {@link InputHash} of a raw item known to normalise to {@code fingerprint} (the
 *     one that made the last version, or a later exact copy of it): an item with this input hash is
 *     a {@code same-fingerprint} duplicate without normalising. Null when unknown: states written
 *     before the field existed, and items whose input cannot be hashed (no valid entry hash)
 */
public record DedupState(String uri, int version, String fingerprint, Instant firstCreated, Instant lastVersionCreated, String inputHash) {

  /** A state without an input hash ({@code inputHash} null). */
  public DedupState(String uri, int version, String fingerprint, Instant firstCreated, Instant lastVersionCreated) {
    this(uri, version, fingerprint, firstCreated, lastVersionCreated, null);
  }

  /**
   * @param hash the input hash to remember; null for none
   * @return this state with {@code inputHash} replaced
   */
  public DedupState withInputHash(String hash) {
    return new DedupState(uri, version, fingerprint, firstCreated, lastVersionCreated, hash);
  }
}
