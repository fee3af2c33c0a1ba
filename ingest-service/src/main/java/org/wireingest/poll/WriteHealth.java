package org.wireingest.poll;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.wireingest.poll.PollSink.PublishException;

/**
 * Whether Kafka takes a {@link KafkaPollSink}'s raw-item and feed-state writes now, from how each
 * ended ({@link #recorded}), and the meters that say it ({@link #bindMetrics}): {@value
 * KafkaPollSink#WRITE_FAILING}, {@value KafkaPollSink#WRITE_LAST_SUCCESS} and {@value
 * KafkaPollSink#WRITE_FAILURE_STREAKS}. The sink's fetch-log writes are not recorded: best effort,
 * they never fail a poll.
 *
 * <p>Thread-safe: the writes of many poll threads end in any order. Once every thread's last write
 * has succeeded, writes are not failing, whatever the interleaving.
 */
final class WriteHealth {

  /** Whether the last write to end failed ({@link KafkaPollSink#WRITE_FAILING}). */
  private final AtomicBoolean failing = new AtomicBoolean();

  /** {@link System#currentTimeMillis()} at the last write that succeeded; 0 before the first. */
  private final AtomicLong lastSuccessMillis = new AtomicLong();

  /**
   * Failed writes after a success, or as the first write ({@link
   * KafkaPollSink#WRITE_FAILURE_STREAKS}).
   */
  private final AtomicLong failureStreaks = new AtomicLong();

  /**
   * Runs one raw-item or feed-state write and records how it ended: failed when it throws {@link
   * PublishException}, succeeded when it returns. Another exception (a bug) records nothing.
   *
   * @param write the write; never null
   * @return what {@code write} returned
   * @throws PublishException as {@code write}
   */
  <T> T recorded(Supplier<T> write) {
    T result;
    try {
      result = write.get();
    } catch (PublishException e) {
      if (!failing.getAndSet(true)) {
        failureStreaks.incrementAndGet();
      }
      throw e;
    }
    lastSuccessMillis.accumulateAndGet(System.currentTimeMillis(), Math::max);
    failing.set(false);
    return result;
  }

  /**
   * Binds {@value KafkaPollSink#WRITE_FAILING} (a gauge, 0 or 1, 0 before the first write), {@value
   * KafkaPollSink#WRITE_LAST_SUCCESS} (a gauge, epoch seconds, NaN before the first success) and
   * {@value KafkaPollSink#WRITE_FAILURE_STREAKS} (a counter, from 0). No tags. Call once.
   *
   * @param registry where the meters go; never null
   * @return removes the meters
   */
  AutoCloseable bindMetrics(MeterRegistry registry) {
    List<Meter> meters =
        List.of(
            Gauge.builder(KafkaPollSink.WRITE_FAILING, failing, f -> f.get() ? 1 : 0)
                .description(
                    "1 from a failed raw-item or feed-state write to Kafka until the next one that succeeds, else 0")
                .register(registry),
            Gauge.builder(
                    KafkaPollSink.WRITE_LAST_SUCCESS,
                    lastSuccessMillis,
                    t -> t.get() == 0 ? Double.NaN : t.get() / 1000.0)
                .description(
                    "When a raw-item or feed-state write to Kafka last succeeded (epoch seconds)")
                .baseUnit("seconds")
                .register(registry),
            FunctionCounter.builder(
                    KafkaPollSink.WRITE_FAILURE_STREAKS, failureStreaks, AtomicLong::get)
                .description(
                    "Times the raw-item and feed-state writes to Kafka started failing: a failed write after one that succeeded")
                .register(registry));
    return () -> meters.forEach(registry::remove);
  }
}
