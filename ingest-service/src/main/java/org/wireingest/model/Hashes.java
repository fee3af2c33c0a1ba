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
   * Feeds one named field to a digest as {@code name=length:value} and a line feed, or {@code
   * name=-} and a line feed for null: the length (in UTF-16 chars) makes the encoding unambiguous,
   * so no two different field lists feed the same bytes. The one field encoding of the project's
   * content hashes ({@code dedup.Fingerprint}, {@code dedup.InputHash}, {@code
   * config.FeedSource#definitionHash}); stored hashes depend on it, so it never changes.
   *
   * @param digest the digest to update ({@link #sha256()}); never null
   * @param name the field's name, without {@code =}; never null
   * @param value the field's value; null writes {@code name=-}
   */
  public static void field(MessageDigest digest, String name, String value) {
    if (value == null) {
      digest.update((name + "=-\n").getBytes(StandardCharsets.UTF_8));
      return;
    }
    digest.update((name + "=" + value.length() + ":").getBytes(StandardCharsets.UTF_8));
    digest.update(value.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
  }

  /**
   * @return SHA-256 of the UTF-8 bytes of {@code text} as 64 lower-case hex characters
   */
  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }
}
