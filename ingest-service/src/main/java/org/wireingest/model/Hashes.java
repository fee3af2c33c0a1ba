package org.wireingest.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as lower-case hex, the one hashing helper of the project. Thread-safe. */
public final class Hashes {

  private Hashes() {}

  /**
   * @return SHA-256 of {@code bytes} as 64 lower-case hex characters
   */
  public static String sha256Hex(byte[] bytes) {
    return hex(sha256().digest(bytes));
  }

  /**
   * @return a new SHA-256 digest, for input fed in parts ({@link MessageDigest#update}); its {@link
   *     MessageDigest#digest()} then goes through {@link #hex}
   */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /**
   * @param digest a digest's bytes; never null
   * @return the bytes as lower-case hex, two characters each
   */
  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /**
   * @return SHA-256 of the UTF-8 bytes of {@code text} as 64 lower-case hex characters
   */
  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }
}
