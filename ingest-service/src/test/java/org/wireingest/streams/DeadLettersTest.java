package org.wireingest.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.Json;
import org.wireingest.testing.SchemaAssert;

class DeadLettersTest {

  private static final Instant NOW = Instant.parse("2026-12-03T16:00:00Z");

  private static DeadLetter of(byte[] value) {
    return DeadLetters.of(
        "deserialize",
        new IllegalArgumentException("bad\nrecord"),
        "wire.raw-items.v1",
        2,
        918,
        "src/ab",
        value,
        NOW);
  }

  private static int jsonBytes(DeadLetter letter) throws Exception {
    SchemaAssert.assertValid("dead-letter", Json.MAPPER.valueToTree(letter));
    return Json.MAPPER.writeValueAsBytes(letter).length;
  }

  @Test
  void shouldKeepASmallValueAsBase64AndAsText() throws Exception {
    DeadLetter d = of("{\"not\": \"a raw item\"}".getBytes(UTF_8));

    assertThat(d.valueBytes()).isEqualTo(21);
    assertThat(Base64.getDecoder().decode(d.valueBase64()))
        .asString(UTF_8)
        .isEqualTo("{\"not\": \"a raw item\"}");
    assertThat(d.valueText()).isEqualTo("{\"not\": \"a raw item\"}");
    assertThat(d.errorMessage()).isEqualTo("bad record");
    assertThat(jsonBytes(d)).isLessThan(1000);
  }

  /**
   * A wrapped failure kept only the wrapper's words ("normalising failed"), the cause that says
   * what to fix left to the stack trace that dead letters do not carry.
   */
  @Test
  void shouldGiveTheRootCauseOfAWrappedError() {
    DeadLetter d =
        DeadLetters.of(
            "normalize",
            new IllegalStateException(
                "normalising failed", new IllegalArgumentException("agency id 'AA TR' is invalid")),
            "wire.raw-items.v1",
            2,
            918,
            "src/ab",
            new byte[0],
            NOW);

    assertThat(d.errorClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(d.errorMessage()).isEqualTo("normalising failed: agency id 'AA TR' is invalid");
  }

  /** Base64 and text of a 600 KB value would be 1.4 MB: the text goes, the bytes stay. */
  @Test
  void shouldLeaveOutTheTextWhenBothWouldNotFit() throws Exception {
    byte[] value = "\"quoted\" ".repeat(66_000).getBytes(UTF_8);

    DeadLetter d = of(value);

    assertThat(d.valueText()).isNull();
    assertThat(Base64.getDecoder().decode(d.valueBase64())).isEqualTo(value);
    assertThat(d.valueBytes()).isEqualTo(value.length);
    assertThat(jsonBytes(d)).isLessThanOrEqualTo(DeadLetters.MAX_DEAD_LETTER_BYTES);
  }

  /**
   * A value whose Base64 alone is over the limit is left at its source coordinates; its size is
   * given.
   */
  @Test
  void shouldLeaveOutTheValueWhenItsBase64AloneWouldNotFit() throws Exception {
    byte[] value = new byte[800_000];

    DeadLetter d = of(value);

    assertThat(d.valueBase64()).isNull();
    assertThat(d.valueText()).isNull();
    assertThat(d.valueBytes()).isEqualTo(800_000);
    assertThat(d.sourceTopic()).isEqualTo("wire.raw-items.v1");
    assertThat(d.sourceOffset()).isEqualTo(918);
    assertThat(jsonBytes(d)).isLessThan(1000);
  }

  /**
   * From a third hostile test: a 600,000-character key, written twice, made a dead letter over 1
   * MiB.
   */
  @Test
  void shouldCutAKeyLongerThanAThousandCharacters() throws Exception {
    String key = "k".repeat(600_000);

    DeadLetter d =
        DeadLetters.of(
            "deserialize",
            new IllegalArgumentException("bad"),
            "wire.raw-items.v1",
            2,
            918,
            key,
            new byte[700_000],
            NOW);

    assertThat(d.key())
        .hasSize(DeadLetters.MAX_KEY_CHARS + "…(600000 characters)".length())
        .endsWith("k…(600000 characters)");
    assertThat(DeadLetters.key(key)).isEqualTo(d.key());
    assertThat(DeadLetters.key("trtworld-world/ab")).isEqualTo("trtworld-world/ab");
    assertThat(jsonBytes(d)).isLessThanOrEqualTo(DeadLetters.MAX_DEAD_LETTER_BYTES);
  }

  /**
   * Regression: the quick "fits without measuring" bound counted the value and the message at 6
   * bytes of JSON a character but not the key, so a value just under it with a key of control
   * characters (each written as a 6-byte escape) made a dead letter of 1,002,099 bytes, over {@link
   * DeadLetters#MAX_DEAD_LETTER_BYTES}.
   */
  @Test
  void shouldStayUnderTheLimitWithAKeyOfCharactersJsonEscapes() throws Exception {
    byte[] value = new byte[135_795];
    Arrays.fill(value, (byte) 1);

    DeadLetter d =
        DeadLetters.of(
            "deserialize",
            new IllegalArgumentException("bad record"),
            "wire.raw-items.v1",
            2,
            918,
            "\u0001".repeat(DeadLetters.MAX_KEY_CHARS),
            value,
            NOW);

    assertThat(jsonBytes(d)).isLessThanOrEqualTo(DeadLetters.MAX_DEAD_LETTER_BYTES);
    assertThat(d.valueBase64()).isNotNull();
  }

  /**
   * A raw record written by hand with a {@code wire_replay_target} header (a dead letter's copied
   * back into the raw topic) gave the live normalizer's dead letter that header, so a consumer
   * counting broken records skipped it as a replay's, and a replay's dead letter had it twice. The
   * input's is never kept: only a replay adds one.
   */
  @Test
  void shouldKeepNoReplayTargetHeaderOfTheInput() {
    Headers input = new RecordHeaders();
    input.add("traceparent", "00-ab".getBytes(UTF_8));
    input.add(DeadLetters.REPLAY_TARGET_HEADER, "wire.articles.replay.x".getBytes(UTF_8));

    Headers kept = DeadLetters.headers(input);

    assertThat(kept.headers(DeadLetters.REPLAY_TARGET_HEADER)).isEmpty();
    assertThat(kept.lastHeader("traceparent").value()).isEqualTo("00-ab".getBytes(UTF_8));
    assertThat(input.headers(DeadLetters.REPLAY_TARGET_HEADER)).hasSize(1);
  }

  @Test
  void shouldGiveNoValueFieldsForARecordWithoutValue() throws Exception {
    DeadLetter d = of(null);

    assertThat(d.valueBytes()).isNull();
    assertThat(d.valueBase64()).isNull();
    assertThat(jsonBytes(d)).isLessThan(1000);
  }
}
