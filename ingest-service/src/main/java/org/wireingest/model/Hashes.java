package org.wireingest.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;

/** SHA-256 digests as lower-case hex, the one hashing helper of the project. Thread-safe. */
public final class Hashes {

  private Hashes() {}

  /**
   * Each thread's SHA-256 digest, reused by {@link #sha256Hex(Consumer)} and {@link
   * #sha256Hex(byte[])}: a new digest per hash (the provider look-up, the digest's state and
   * buffers) was ~0.8 KB of the ~42 KB the normalizer allocated per raw item, which it hashes
   * several times (its uri, input hash and fingerprints). Thread-safe: no thread sees another's.
   */
  private static final ThreadLocal<ThreadDigest> THREAD_DIGEST =
      ThreadLocal.withInitial(ThreadDigest::new);

  /** A thread's digest, and whether a hash is being made with it (a nested one makes its own). */
  private static final class ThreadDigest {
    final MessageDigest digest = sha256();
    boolean inUse;
  }

  /**
   * @return SHA-256 of {@code bytes} as 64 lower-case hex characters
   */
  public static String sha256Hex(byte[] bytes) {
    return sha256Hex(digest -> digest.update(bytes));
  }

  /**
   * SHA-256 of the input {@code input} feeds to the digest it is given ({@link
   * MessageDigest#update}, {@link #field}), as 64 lower-case hex characters. The digest is the
   * calling thread's own, reset before use; {@code input} must not keep it nor call {@link
   * MessageDigest#digest()} (a hash {@code input} makes itself with these methods gets a digest of
   * its own).
   *
   * @param input feeds the digest; never null
   * @return the hash; never null
   */
  public static String sha256Hex(Consumer<MessageDigest> input) {
    ThreadDigest own = THREAD_DIGEST.get();
    if (own.inUse) {
      MessageDigest digest = sha256();
      input.accept(digest);
      return hex(digest.digest());
    }
    own.inUse = true;
    try {
      own.digest.reset();
      input.accept(own.digest);
      return hex(own.digest.digest());
    } finally {
      own.inUse = false;
    }
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
