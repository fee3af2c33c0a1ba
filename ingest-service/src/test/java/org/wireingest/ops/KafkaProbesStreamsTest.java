package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** The {@code normalizer} readiness probe: ready after start-up, not flapping on rebalances. */
class KafkaProbesStreamsTest {

  private static Readiness.Check check(KafkaStreams.State state, boolean started) {
    return KafkaProbes.streams(() -> state, () -> started).check();
  }

  @Test
  void shouldStayDownWhileNotEveryStreamThreadRunsYet() {
    // Regression: with two stream threads the client was RUNNING with the first thread, then
    // REBALANCING when the second joined, so /health/ready went up, down and up during start-up.
    assertThat(check(KafkaStreams.State.RUNNING, false).up()).isFalse();
    assertThat(check(KafkaStreams.State.RUNNING, false).detail())
        .isEqualTo("Kafka Streams RUNNING, starting: not every stream thread runs yet");
    assertThat(check(KafkaStreams.State.REBALANCING, false).up()).isFalse();
    assertThat(check(KafkaStreams.State.CREATED, false).detail())
        .isEqualTo("Kafka Streams CREATED");
  }

  @Test
  void shouldStayUpThroughARebalanceOnceStarted() {
    assertThat(check(KafkaStreams.State.RUNNING, true))
        .isEqualTo(new Readiness.Check("normalizer", true, "Kafka Streams RUNNING"));
    assertThat(check(KafkaStreams.State.REBALANCING, true))
        .isEqualTo(new Readiness.Check("normalizer", true, "Kafka Streams REBALANCING"));
  }

  @Test
  void shouldGoDownWhenTheNormalizerStopsOrFails() {
    for (KafkaStreams.State s :
        new KafkaStreams.State[] {
          KafkaStreams.State.PENDING_SHUTDOWN,
          KafkaStreams.State.NOT_RUNNING,
          KafkaStreams.State.PENDING_ERROR,
          KafkaStreams.State.ERROR
        }) {
      assertThat(check(s, true).up()).as(s.name()).isFalse();
    }
  }
}
