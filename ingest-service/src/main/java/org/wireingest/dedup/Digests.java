package org.wireingest.dedup;

import org.wireingest.model.Hashes;
import org.wireingest.model.RawWireItem;

/**
 * The identity hash that raw item keys and article uris are made of (SHA-256, FIPS 180-4). Pure and
 * thread-safe.
 */
public final class Digests {

  /** Length of an identity hash in hex characters (128 bits). */
  public static final int IDENTITY_HASH_LENGTH = 32;

  private Digests() {}

  /**
   * The hash of an entry identity that both its raw item key and its article {@code uri} are made
   * of: the first 32 hex characters of SHA-256 of {@code basis + ":" + value}.
   *
   * @param identity the identity; never null
   * @return 32 lower-case hex characters
   */
  public static String identityHash(RawWireItem.Identity identity) {
    return Hashes.sha256Hex(identity.basis() + ":" + identity.value())
        .substring(0, IDENTITY_HASH_LENGTH);
  }
}
