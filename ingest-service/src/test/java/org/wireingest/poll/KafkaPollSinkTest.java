package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wireingest.kafka.Topics;

class KafkaPollSinkTest {

  /** Nothing listens here: building the sink must not need a broker. */
  private static final Map<String, Object> UNREACHABLE = Map.of("bootstrap.servers", "127.0.0.1:9");

  @Test
  void shouldAcceptAnAckTimeoutOfThirtySecondsOrLess() {
    // Regression: with an ack timeout of 30 s or less the constructor threw ConfigException
    // "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms":
    // delivery.timeout.ms was max(ackTimeout, 30 000), below linger.ms 5 + request.timeout.ms 30 000.
    assertThatCode(() -> new KafkaPollSink(UNREACHABLE, Topics.defaults(), Duration.ofSeconds(30)).close()).doesNotThrowAnyException();
    assertThatCode(() -> new KafkaPollSink(UNREACHABLE, Topics.defaults(), Duration.ofSeconds(5)).close()).doesNotThrowAnyException();
  }

  @Test
  void shouldAcceptARequestTimeoutLongerThanTheAckTimeout() {
    Map<String, Object> slowCluster = Map.of("bootstrap.servers", "127.0.0.1:9", "request.timeout.ms", "90000");

    assertThatCode(() -> new KafkaPollSink(slowCluster, Topics.defaults(), Duration.ofSeconds(60)).close()).doesNotThrowAnyException();
  }
}
