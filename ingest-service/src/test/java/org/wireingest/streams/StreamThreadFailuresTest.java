package org.wireingest.streams;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.wireingest.ops.MutableClock;

class StreamThreadFailuresTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T08:00:00Z"));
  private final StreamThreadFailures failures = new StreamThreadFailures(clock);

  private StreamThreadExceptionResponse fail() {
    IllegalStateException e = new IllegalStateException("broker restarted mid-transaction");
    e.setStackTrace(new StackTraceElement[0]); // the handler logs each failure with its trace
    return failures.handle(e);
  }

  /**
   * Regression: the failures were counted over the life of the process, so any eleven transient
   * failures (broker restarts weeks apart) stopped the normalizer for good.
   */
  @Test
  void shouldKeepReplacingThreadsWhoseFailuresAreSpreadBeyondTheWindow() {
    List<StreamThreadExceptionResponse> answers = new ArrayList<>();
    for (int i = 0; i < 3 * StreamThreadFailures.MAX_THREAD_REPLACEMENTS; i++) {
      answers.add(fail());
      clock.advance(Duration.ofMinutes(2));
    }

    assertThat(answers).containsOnly(REPLACE_THREAD);
  }

  @Test
  void shouldStopTheClientWhenMoreThanTheLimitFailWithinTheWindow() {
    for (int i = 0; i < StreamThreadFailures.MAX_THREAD_REPLACEMENTS; i++) {
      assertThat(fail()).isEqualTo(REPLACE_THREAD);
      clock.advance(Duration.ofSeconds(30));
    }

    assertThat(fail()).isEqualTo(SHUTDOWN_CLIENT);
  }

  /**
   * The global thread (story signatures) cannot be replaced: the handler logged "replacing it",
   * then Kafka Streams stopped the client anyway, so the log contradicted /health/live's ERROR.
   */
  @Test
  void shouldStopTheClientWhenTheGlobalThreadFails() throws Exception {
    AtomicReference<StreamThreadExceptionResponse> answer = new AtomicReference<>();
    Thread global =
        new Thread(
            () -> answer.set(fail()),
            "wire-ingest-normalizer-1" + StreamThreadFailures.GLOBAL_THREAD_SUFFIX);
    global.start();
    global.join();

    assertThat(answer).hasValue(SHUTDOWN_CLIENT);
    assertThat(fail()).as("a stream thread's first failure").isEqualTo(REPLACE_THREAD);
  }

  @Test
  void shouldReplaceAgainOnceAnEarlierBurstHasLeftTheWindow() {
    for (int i = 0; i < StreamThreadFailures.MAX_THREAD_REPLACEMENTS; i++) {
      assertThat(fail()).isEqualTo(REPLACE_THREAD);
    }
    clock.advance(StreamThreadFailures.FAILURE_WINDOW);

    assertThat(fail()).isEqualTo(REPLACE_THREAD);
  }
}
