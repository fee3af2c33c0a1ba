package org.wireingest.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.Optional;

/** Decoding bytes only when they are text of a charset, with nothing replaced. Pure. */
public final class StrictDecoding {

  private StrictDecoding() {}

  /**
   * @param bytes the bytes; never null
   * @param charset their charset; never null
   * @return their text when every byte sequence is valid in {@code charset} and maps to a
   *     character; empty when one is malformed or unmappable (the JDK's decoders would replace it
   *     with U+FFFD)
   */
  public static Optional<String> decode(byte[] bytes, Charset charset) {
    try {
      return Optional.of(
          charset
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
