package org.wireingest.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.junit.jupiter.api.Test;

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
}
