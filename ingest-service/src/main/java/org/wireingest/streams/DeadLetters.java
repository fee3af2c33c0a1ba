package org.wireingest.streams;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import org.wireingest.model.DeadLetter;

/** Builds {@link DeadLetter}s that keep the whole input, so nothing is lost. */
final class DeadLetters {

  private static final int MAX_MESSAGE = 1000;

  private DeadLetters() {}

  static DeadLetter of(String stage, Throwable error, String topic, int partition, long offset, String key, byte[] value, Instant now) {
    String message = error.getMessage() == null ? error.toString() : error.getMessage();
    message = message.replaceAll("\\s+", " ").strip();
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "…";
    }
    return new DeadLetter(
        stage, error.getClass().getName(), message, topic, partition, offset, key,
        value == null ? null : Base64.getEncoder().encodeToString(value), utf8OrNull(value), now);
  }

  private static String utf8OrNull(byte[] value) {
    if (value == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
