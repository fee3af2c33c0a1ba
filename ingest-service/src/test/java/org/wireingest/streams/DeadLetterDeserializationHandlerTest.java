package org.wireingest.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.junit.jupiter.api.Test;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.Json;

class DeadLetterDeserializationHandlerTest {

  private static Properties streams() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "wire-normalizer");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:18680");
    return p;
  }

  @Test
  void shouldPutItselfInPlaceWhenNoHandlerIsGiven() {
    Properties p = streams();

    DeadLetterDeserializationHandler.configure(p, "wire.dead-letters.v1", NormalizerListener.NONE);

    assertThat(new StreamsConfig(p).deserializationExceptionHandler())
        .isInstanceOf(DeadLetterDeserializationHandler.class);
  }

  @Test
  void shouldLeaveAHandlerGivenWithMinusKInPlace() {
    Properties p = streams();
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndFailExceptionHandler.class.getName());

    DeadLetterDeserializationHandler.configure(p, "wire.dead-letters.v1", NormalizerListener.NONE);

    assertThat(new StreamsConfig(p).deserializationExceptionHandler())
        .isInstanceOf(LogAndFailExceptionHandler.class);
  }

  /**
   * Found in a hostile test: {@code -K default.deserialization.exception.handler=...}, the name
   * Kafka Streams still reads (deprecated since 4.0), was ignored: Streams takes the newer {@code
   * deserialization.exception.handler} when both are set, and configure set it.
   */
  @Test
  void shouldLeaveAHandlerGivenUnderTheDeprecatedNameInPlace() {
    Properties p = streams();
    p.put(
        "default.deserialization.exception.handler",
        LogAndContinueExceptionHandler.class.getName());

    DeadLetterDeserializationHandler.configure(p, "wire.dead-letters.v1", NormalizerListener.NONE);

    assertThat(new StreamsConfig(p).deserializationExceptionHandler())
        .isInstanceOf(LogAndContinueExceptionHandler.class);
  }

  /**
   * On a dead-letter topic below the 1 MiB the normalizer's dead letters need, a dead letter of a
   * large undecodable record was refused, and under exactly-once the stream thread failed at every
   * try: it leaves out its copy of the input instead.
   */
  @Test
  void shouldLeaveTheInputOutOfADeadLetterOverTheDeadLetterTopicsLimit() throws Exception {
    DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
    handler.configure(
        Map.of(
            DeadLetterDeserializationHandler.DEAD_LETTER_TOPIC,
            "wire.dead-letters.v1",
            NormalizerTopology.DEAD_LETTER_MAX_BYTES,
            Integer.toString(DeadLetters.maxJsonBytes(524_288))));
    byte[] value = "x".repeat(600_000).getBytes(StandardCharsets.UTF_8);

    var response =
        handler.handleError(
            null,
            new ConsumerRecord<>(
                "wire-ingest-normalizer-raw-items-by-uri-repartition",
                0,
                7L,
                "k".getBytes(StandardCharsets.UTF_8),
                value),
            new SerializationException("not a routed item"));

    byte[] written = response.deadLetterQueueRecords().get(0).value();
    assertThat(written.length).isLessThanOrEqualTo(DeadLetters.maxJsonBytes(524_288));
    DeadLetter letter = Json.MAPPER.readValue(written, DeadLetter.class);
    assertThat(letter.valueBase64()).isNull();
    assertThat(letter.valueBytes()).isEqualTo(value.length);
    assertThat(letter.sourceOffset()).isEqualTo(7L);
  }
}
