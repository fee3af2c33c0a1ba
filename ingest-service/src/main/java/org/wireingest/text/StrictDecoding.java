package org.wireingest.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decoding bytes only when they are text of a charset, with nothing replaced. No side effects;
 * thread-safe (no state is shared).
 */
public final class StrictDecoding {

  /**
   * Chars decoded at a time while the bytes of a charset other than UTF-8 are checked: {@value}.
   * The check holds this much, not the whole text.
   */
  private static final int CHECK_CHARS = 8192;

  /** Eight bytes of an array read as one {@code long}, for the UTF-8 check's ASCII runs. */
  private static final VarHandle EIGHT_BYTES =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  /** The high bit of each of eight bytes: zero in all of them when all eight are ASCII. */
  private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

  private StrictDecoding() {}

  /** A decoder of {@code charset} that reports malformed and unmappable input, replacing none. */
  private static CharsetDecoder reportingDecoder(Charset charset) {
    return charset
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /**
   * @param bytes the bytes; never null
   * @param charset their charset; never null
   * @return their text when every byte sequence is valid in {@code charset} and maps to a
   *     character; empty when one is malformed or unmappable (the JDK's decoders would replace it
   *     with U+FFFD)
   */
  public static Optional<String> decode(byte[] bytes, Charset charset) {
    if (!isText(bytes, charset)) {
      return Optional.empty();
    }
    // Checked first, then decoded by the JDK's String constructor, which replaces nothing in text
    // that passed and allocates the String at its size (one byte a char for Latin-1 text).
    // CharsetDecoder.decode(ByteBuffer) filled a char buffer of two bytes a byte first and copied
    // it: a 19 MB feed took 39 MB of chars and 19 MB of String beside its body.
    return Optional.of(new String(bytes, charset));
  }

  /**
   * @return whether every byte sequence of {@code bytes} is valid in {@code charset} and maps to a
   *     character
   */
  private static boolean isText(byte[] bytes, Charset charset) {
    return firstInvalid(bytes, charset) < 0;
  }

  /**
   * Where bytes stop being text of a charset, without decoding them to a string. UTF-8 is checked
   * on the bytes themselves by RFC 3629's table of well-formed byte sequences (section 4): overlong
   * forms, encoded surrogates (CESU-8) and code points above U+10FFFF are invalid, as they are to
   * the JDK's decoder, which gives the same offsets. Other charsets are decoded {@value
   * #CHECK_CHARS} chars at a time into one buffer.
   *
   * @param bytes the bytes; never null
   * @param charset their charset; never null
   * @return the offset of the first byte of the first sequence that is malformed in {@code charset}
   *     or maps to no character, or that a truncated sequence at the end starts at; -1 when every
   *     byte sequence is valid
   */
  public static int firstInvalid(byte[] bytes, Charset charset) {
    if (charset.equals(StandardCharsets.UTF_8)) {
      // the normalizer checks every raw item it reads: decoding it to chars only to look at them
      // was ~4 % of its CPU, allocating nothing (one reused buffer) but writing every char
      return firstInvalidUtf8(bytes);
    }
    CharsetDecoder decoder = reportingDecoder(charset);
    // a small text needs no buffer larger than itself; two chars at least, so a surrogate pair
    // always fits and each round makes progress
    CharBuffer out = CharBuffer.allocate(Math.min(CHECK_CHARS, bytes.length + 2));
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CoderResult result;
    do {
      out.clear();
      result = decoder.decode(in, out, true);
      if (result.isError()) {
        return in.position();
      }
    } while (result.isOverflow());
    do {
      out.clear();
      result = decoder.flush(out);
      if (result.isError()) {
        return in.position();
      }
    } while (result.isOverflow());
    return -1;
  }

  /**
   * RFC 3629, section 4: the offset of the first byte that starts no well-formed UTF-8 sequence
   * ({@code UTF8-1} to {@code UTF8-4}), -1 when there is none. A sequence cut off by the end, or by
   * a byte that cannot follow, is invalid at its first byte, as the JDK's decoder reports it.
   */
  private static int firstInvalidUtf8(byte[] bytes) {
    int end = bytes.length;
    int i = 0;
    while (i < end) {
      // an ASCII run (most of a feed's or a raw item's bytes) eight bytes at a time
      while (i <= end - Long.BYTES && ((long) EIGHT_BYTES.get(bytes, i) & HIGH_BITS) == 0) {
        i += Long.BYTES;
      }
      if (i == end) {
        break;
      }
      int lead = bytes[i] & 0xFF;
      if (lead < 0x80) {
        i++;
      } else if (lead < 0xC2) {
        // a continuation byte without a lead, or C0 / C1: only ever overlong
        return i;
      } else if (lead < 0xE0) {
        if (i + 1 >= end || !isTail(bytes[i + 1])) {
          return i;
        }
        i += 2;
      } else if (lead < 0xF0) {
        // E0: A0-BF (no overlong form); ED: 80-9F (no surrogate D800-DFFF)
        int second = i + 1 < end ? bytes[i + 1] & 0xFF : -1;
        int low = lead == 0xE0 ? 0xA0 : 0x80;
        int high = lead == 0xED ? 0x9F : 0xBF;
        if (second < low || second > high || i + 2 >= end || !isTail(bytes[i + 2])) {
          return i;
        }
        i += 3;
      } else if (lead < 0xF5) {
        // F0: 90-BF (no overlong form); F4: 80-8F (nothing above U+10FFFF)
        int second = i + 1 < end ? bytes[i + 1] & 0xFF : -1;
        int low = lead == 0xF0 ? 0x90 : 0x80;
        int high = lead == 0xF4 ? 0x8F : 0xBF;
        if (second < low
            || second > high
            || i + 3 >= end
            || !isTail(bytes[i + 2])
            || !isTail(bytes[i + 3])) {
          return i;
        }
        i += 4;
      } else {
        // F5-FF: above U+10FFFF or no UTF-8 byte at all
        return i;
      }
    }
    return -1;
  }

  /**
   * @return whether {@code b} is a UTF-8 continuation byte ({@code UTF8-tail}, 80-BF)
   */
  private static boolean isTail(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
