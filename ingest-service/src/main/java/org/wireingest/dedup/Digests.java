package org.wireingest.dedup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.wireingest.model.RawWireItem;

/** The SHA-256 digests wire-ingest keys and compares by (FIPS 180-4). Pure and thread-safe. */
public final class Digests {

  /** Length of an identity hash in hex characters (128 bits). */
  public static final int IDENTITY_HASH_LENGTH = 32;

  private Digests() {}

  /**
   * SHA-256 of a text's UTF-8 bytes.
   *
   * @param text any text; never null
   * @return 64 lower-case hex characters
   */
  public static String sha256Hex(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every Java platform provides SHA-256", impossible);
    }
  }

  /**
   * The hash of an entry identity that both its raw item key and its article {@code uri} are made
   * of: the first 32 hex characters of SHA-256 of {@code basis + ":" + value}.
   *
   * @param identity the identity; never null
   * @return 32 lower-case hex characters
   */
  public static String identityHash(RawWireItem.Identity identity) {
    return sha256Hex(identity.basis() + ":" + identity.value()).substring(0, IDENTITY_HASH_LENGTH);
  }
}
