package org.wireingest.streams;

import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.ops.RollingCounts;

/**
 * The normalizer's answer to a stream thread that failed (Kafka Streams {@link
 * StreamsUncaughtExceptionHandler}): replace the thread, unless more than {@value
 * #MAX_THREAD_REPLACEMENTS} stream threads of this client have failed within the last {@link
 * #FAILURE_WINDOW} (this failure included); then stop the client ({@code SHUTDOWN_CLIENT}: Kafka
 * Streams state {@code ERROR}, readiness and liveness turn red, only a restart mends it). A failure
 * of the global thread (it reads the story signatures) stops the client at once: Kafka Streams
 * cannot replace that thread.
 *
 * <p>Why these numbers. A failure that keeps coming back (a bug, or a record that fails every
 * attempt) fails each replacement thread as soon as it has rejoined the group, restored its task
 * and reached the same record again, typically seconds later: it makes its eleven failures well
 * within {@link #FAILURE_WINDOW} and stops the client about as soon as the former limit over the
 * whole life of the process did. A transient failure (a broker restart or a leader move
 * mid-transaction) comes as one failure per stream thread it hit, and such events come minutes to
 * weeks apart: they leave the window before they add up, so a normalizer that runs for months is
 * not stopped by failures that fresh threads got past. {@value #MAX_THREAD_REPLACEMENTS} lets one
 * event fail every thread at once on up to {@value #MAX_THREAD_REPLACEMENTS} stream threads ({@code
 * num.stream.threads}, one per core by default). The price: a failure that comes back more slowly
 * than {@value #MAX_THREAD_REPLACEMENTS} per window (one whose task takes over a minute to restore)
 * is replaced for as long as it recurs, each time logged at ERROR.
 *
 * <p>Failures are counted in {@link RollingCounts} buckets of {@link #FAILURE_BUCKET}, so a failure
 * counts for between {@code FAILURE_WINDOW − FAILURE_BUCKET} (9 min 50 s) and {@code
 * FAILURE_WINDOW} after it happened. Counts start at zero with the process. Thread-safe: stream
 * threads may fail at the same time.
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

  /**
   * Stream-thread failures within {@link #FAILURE_WINDOW} that are answered with a new thread; the
   * next one within the window stops the client.
   */
  static final int MAX_THREAD_REPLACEMENTS = 10;

  /** How long a stream-thread failure counts towards {@link #MAX_THREAD_REPLACEMENTS}: 10 min. */
  static final Duration FAILURE_WINDOW = Duration.ofMinutes(10);

  /** Resolution of {@link #FAILURE_WINDOW}: 10 s. */
  static final Duration FAILURE_BUCKET = Duration.ofSeconds(10);

  /**
   * The end of the name Kafka Streams gives its global thread: {@code
   * <client.id>-GlobalStreamThread}.
   */
  static final String GLOBAL_THREAD_SUFFIX = "-GlobalStreamThread";

  private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);
  private static final String KEY = "stream-thread-failures";

  private final RollingCounts failures;

  /**
   * @param clock the clock failures are timed on; never null
   */
  StreamThreadFailures(Clock clock) {
    this.failures =
        new RollingCounts(
            clock, FAILURE_WINDOW, (int) (FAILURE_WINDOW.toMillis() / FAILURE_BUCKET.toMillis()));
  }

  /**
   * Counts the failure and decides.
   *
   * @param exception what failed the thread; logged with its stack trace
   * @return {@code REPLACE_THREAD}, or {@code SHUTDOWN_CLIENT} when this failure is the {@code
   *     MAX_THREAD_REPLACEMENTS + 1}-th or later within {@link #FAILURE_WINDOW}, or when the thread
   *     that failed is the global thread (its name ends {@value #GLOBAL_THREAD_SUFFIX}), which
   *     Kafka Streams cannot replace
   */
  @Override
  public StreamThreadExceptionResponse handle(Throwable exception) {
    if (Thread.currentThread().getName().endsWith(GLOBAL_THREAD_SUFFIX)) {
      // Kafka Streams cannot replace its global thread: asked to, it stops the client all the same
      // ("The global thread cannot be replaced"), after a line here that said "replacing it".
      LOG.error(
          "normalizer global thread failed; it reads the story signatures and cannot be replaced:"
              + " stopping the normalizer",
          exception);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    failures.add(KEY, 1);
    long recent = failures.count(KEY);
    if (recent > MAX_THREAD_REPLACEMENTS) {
      LOG.error(
          "normalizer stream threads failed {} times within {} min; stopping the normalizer",
          recent,
          FAILURE_WINDOW.toMinutes(),
          exception);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    LOG.error(
        "normalizer stream thread failed ({} failures within {} min; more than {} stop the"
            + " normalizer); replacing it",
        recent,
        FAILURE_WINDOW.toMinutes(),
        MAX_THREAD_REPLACEMENTS,
        exception);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }
}
