package org.wireingest.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.ErrorText;
import org.wireingest.model.Json;
import org.wireingest.text.Shortened;
import org.wireingest.text.StrictDecoding;

/**
 * Builds {@link DeadLetter}s that keep the whole input, so nothing is lost: its value in the dead
 * letter while the dead letter stays under {@link #MAX_DEAD_LETTER_BYTES}, else at its source
 * coordinates (the dead letter then gives only its size); and the headers its record keeps of the
 * input's ({@link #headers}), for the live normalizer and {@code replay} alike.
 */
public final class DeadLetters {

  private static final int MAX_MESSAGE = 1000;

  /**
   * Largest dead letter written, in bytes of JSON: under the dead-letter topic's 1 MiB records
   * (Kafka's default {@code max.message.bytes} and the producer's {@code max.request.size}), with
   * room for the record's key and the headers it keeps. A dead letter that would be larger leaves
   * out {@code valueText}, then {@code valueBase64} too.
   */
  public static final int MAX_DEAD_LETTER_BYTES = 1_000_000;

  /**
   * Longest input key a dead letter keeps, as its record key and its {@code key}: a longer one
   * (only a record written by hand has one: a poller's keys are at most 229 characters) is cut to
   * this many characters and {@code …(N characters)}; the whole key stays with the input at its
   * source coordinates. An uncut key of 600,000 characters, written twice, made a dead letter over
   * Kafka's 1 MiB.
   */
  static final int MAX_KEY_CHARS = 1000;

  /**
   * Most bytes of the input's headers a dead letter's record keeps: with its value (at most {@link
   * #MAX_DEAD_LETTER_BYTES}) under 1 MiB.
   */
  public static final int MAX_DEAD_LETTER_HEADER_BYTES = 32 * 1024;

  /**
   * The header a {@code replay}'s dead letter carries beside its input's, so that a consumer of the
   * dead-letter topic can tell it from the live normalizer's for the same raw record (same {@code
   * sourceTopic} / {@code sourcePartition} / {@code sourceOffset}): {@value}, its value the
   * replay's target topic as UTF-8. No dead letter keeps an input's header of this name ({@link
   * #headers}): a live one never has it, a replay's has it once.
   */
  public static final String REPLAY_TARGET_HEADER = "wire_replay_target";

  private DeadLetters() {}

  /**
   * The headers of a dead letter's record, made from its input record's, as the live normalizer
   * writes them and {@code replay} too: all of the input's, as they are (repeated names and
   * non-UTF-8 values included), unless together they are over {@link #MAX_DEAD_LETTER_HEADER_BYTES}
   * (names counted at 3 bytes a character, UTF-8's most; no poller writes any: only a record
   * written by hand has them), then none, so the dead letter stays under Kafka's 1 MiB record. An
   * input's {@value #REPLAY_TARGET_HEADER} (a record written by hand, e.g. a dead letter's copied
   * back) is left out: only a replay's dead letter has one, its own.
   *
   * @param input the input record's headers; never null, never changed
   * @return {@code input} itself, a copy without {@value #REPLAY_TARGET_HEADER}, or new empty
   *     headers; never null
   */
  public static Headers headers(Headers input) {
    if (headerBytes(input) > MAX_DEAD_LETTER_HEADER_BYTES) {
      return new RecordHeaders();
    }
    if (input.lastHeader(REPLAY_TARGET_HEADER) == null) {
      return input;
    }
    Headers kept = new RecordHeaders(input.toArray());
    kept.remove(REPLAY_TARGET_HEADER);
    return kept;
  }

  /**
   * @param headers a record's headers; never null
   * @return their size in bytes, their names counted at 3 bytes a character (UTF-8's most)
   */
  static long headerBytes(Headers headers) {
    long size = 0;
    for (Header header : headers) {
      size += 3L * header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    return size;
  }

  /**
   * @param key an input record's key; null when it had none
   * @return the key a dead letter keeps: as given up to {@link #MAX_KEY_CHARS} characters, else
   *     cut, ending {@code …(N characters)}; null for null
   */
  static String key(String key) {
    return Shortened.cut(key, MAX_KEY_CHARS);
  }

  /**
   * @param stage the stage that failed
   * @param error what failed: its class name becomes {@code errorClass}, its {@link
   *     ErrorText#message} (its message, or its simple class name when it has none, with its root
   *     cause's when that says more; on one line, at most 1,000 characters) {@code errorMessage}
   * @param topic, partition, offset, key the input record's coordinates and key ({@code null, -1,
   *     -1} when it did not come from Kafka)
   * @param value the input record's value; null when none
   * @param now when it failed
   * @return the dead letter, at most {@link #MAX_DEAD_LETTER_BYTES} bytes of JSON (its key cut to
   *     {@link #MAX_KEY_CHARS} characters)
   */
  static DeadLetter of(
      String stage,
      Throwable error,
      String topic,
      int partition,
      long offset,
      String key,
      byte[] value,
      Instant now) {
    return of(
        stage,
        error.getClass().getName(),
        ErrorText.message(error),
        topic,
        partition,
        offset,
        key,
        value,
        now);
  }

  /**
   * As {@link #of(String, Throwable, String, int, long, String, byte[], Instant)}, for a classified
   * reason instead of an exception.
   *
   * @param errorClass the reason code, e.g. {@code RecordTooLarge}
   * @param message what happened; put on one line and cut to 1,000 characters
   */
  static DeadLetter of(
      String stage,
      String errorClass,
      String message,
      String topic,
      int partition,
      long offset,
      String key,
      byte[] value,
      Instant now) {
    message = Shortened.line(message, MAX_MESSAGE);
    key = key(key);
    if (value == null) {
      return new DeadLetter(
          stage, errorClass, message, topic, partition, offset, key, null, null, null, now);
    }
    String base64 = Base64.getEncoder().encodeToString(value);
    DeadLetter whole =
        new DeadLetter(
            stage,
            errorClass,
            message,
            topic,
            partition,
            offset,
            key,
            value.length,
            base64,
            utf8OrNull(value),
            now);
    // JSON escapes a character in at most 6 bytes: below this bound the letter fits without
    // measuring
    long texts = (long) value.length + message.length() + (key == null ? 0 : key.length());
    if (base64.length() + 6 * texts + 4096 <= MAX_DEAD_LETTER_BYTES) {
      return whole;
    }
    return fit(whole, MAX_DEAD_LETTER_BYTES);
  }

  /**
   * Bytes a dead letter's record needs besides its JSON: its key (at most {@link #MAX_KEY_CHARS}
   * characters, 3 bytes each), the headers it keeps (at most {@link #MAX_DEAD_LETTER_HEADER_BYTES})
   * and 1 KiB of the record batch's framing.
   */
  static final int RECORD_ROOM = 3 * MAX_KEY_CHARS + MAX_DEAD_LETTER_HEADER_BYTES + 1024;

  /**
   * The most bytes of JSON a dead letter may have on a dead-letter topic, for the live normalizer
   * and {@code replay} alike.
   *
   * @param topicLimit the dead-letter topic's {@code max.message.bytes}, in bytes
   * @return the most bytes of JSON a dead letter may have there: {@link #MAX_DEAD_LETTER_BYTES}, or
   *     less when the topic's limit minus {@link #RECORD_ROOM} is less (at least 1)
   */
  public static int maxJsonBytes(long topicLimit) {
    return (int) Math.max(1, Math.min(MAX_DEAD_LETTER_BYTES, topicLimit - RECORD_ROOM));
  }

  /**
   * A dead letter within {@code maxBytes} of JSON: as given when it is, else without {@code
   * valueText}, else without {@code valueBase64} too ({@code valueBytes} still gives the input's
   * size, and the input stays at its source coordinates). The live normalizer ({@link
   * DeadLetterFit}) and {@code replay} fit their dead letters to a smaller dead-letter topic with
   * it. Measures the letter's JSON ({@link Json#MAPPER}) once or twice; pure and thread-safe.
   *
   * @param letter the dead letter; never null
   * @param maxBytes the most bytes of JSON ({@link #maxJsonBytes}); positive
   * @return {@code letter} or the smaller copy; never null
   */
  public static DeadLetter fit(DeadLetter letter, int maxBytes) {
    if (fits(letter, maxBytes) || (letter.valueText() == null && letter.valueBase64() == null)) {
      return letter;
    }
    DeadLetter withoutText = withValue(letter, letter.valueBase64(), null);
    if (letter.valueText() != null && fits(withoutText, maxBytes)) {
      return withoutText;
    }
    return withValue(letter, null, null);
  }

  /** {@code letter} with another copy of the input: {@code valueBase64} and {@code valueText}. */
  private static DeadLetter withValue(DeadLetter letter, String valueBase64, String valueText) {
    return new DeadLetter(
        letter.stage(),
        letter.errorClass(),
        letter.errorMessage(),
        letter.sourceTopic(),
        letter.sourcePartition(),
        letter.sourceOffset(),
        letter.key(),
        letter.valueBytes(),
        valueBase64,
        valueText,
        letter.failedAt());
  }

  private static boolean fits(DeadLetter letter, int maxBytes) {
    try {
      return Json.MAPPER.writeValueAsBytes(letter).length <= maxBytes;
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static String utf8OrNull(byte[] value) {
    return StrictDecoding.decode(value, StandardCharsets.UTF_8).orElse(null);
  }
}
