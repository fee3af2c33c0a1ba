package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class WriteHealthTest {

  @Test
  void shouldRecordNeitherAFailureNorASuccessWhenAWriteThrowsAnotherException() throws Exception {
    // a bug in a write says nothing about whether Kafka takes the writes: the gauge keeps what the
    // last write that reached Kafka said
    WriteHealth health = new WriteHealth();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    try (AutoCloseable meters = health.bindMetrics(registry)) {
      assertThatThrownBy(
              () ->
                  health.recorded(
                      () -> {
                        throw new IllegalStateException("a bug (test)");
                      }))
          .isInstanceOf(IllegalStateException.class);
      assertThat(registry.get(KafkaPollSink.WRITE_FAILING).gauge().value()).isZero();
      assertThat(registry.get(KafkaPollSink.WRITE_FAILURE_STREAKS).functionCounter().count())
          .isZero();
      assertThat(registry.get(KafkaPollSink.WRITE_LAST_SUCCESS).gauge().value()).isNaN();

      assertThatThrownBy(
              () ->
                  health.recorded(
                      () -> {
                        throw new PollSink.PublishException("refused (test)", null);
                      }))
          .isInstanceOf(PollSink.PublishException.class);
      assertThatThrownBy(
              () ->
                  health.recorded(
                      () -> {
                        throw new IllegalStateException("a bug (test)");
                      }))
          .isInstanceOf(IllegalStateException.class);
      assertThat(registry.get(KafkaPollSink.WRITE_FAILING).gauge().value()).isEqualTo(1);
      assertThat(registry.get(KafkaPollSink.WRITE_LAST_SUCCESS).gauge().value()).isNaN();
    }
  }

  @Test
  void shouldRemoveItsMetersWhenUnbound() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    new WriteHealth().bindMetrics(registry).close();

    assertThat(registry.getMeters()).isEmpty();
  }
}
