package org.wireingest.ops;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What this process's normalizer is doing, for the status page and {@code GET /api/normalizer}.
 * Counts are of this process since it started, and are attempts: under exactly-once a record of an
 * aborted transaction is counted again when it is processed again, so they can run ahead of what
 * the articles topic holds (read_committed). The Prometheus counters ({@code
 * wire_normalizer_*_total}) are the same counts.
 *
 * @param applicationId the Kafka Streams {@code application.id} (also the consumer group); never
 *     null
 * @param state the Kafka Streams client state ({@code CREATED}, {@code REBALANCING}, {@code
 *     RUNNING}, {@code PENDING_SHUTDOWN}, {@code NOT_RUNNING}, {@code PENDING_ERROR}, {@code
 *     ERROR}), or {@code STARTING} while the process is still connecting to Kafka and checking its
 *     topics; never null
 * @param streamThreads stream threads configured ({@code num.stream.threads})
 * @param streamThreadsRunning stream threads in state {@code RUNNING} now
 * @param consumerLagRecords records the normalizer's consumers are behind the log end, summed over
 *     their partitions; null before any partition has been fetched
 * @param rawRecords raw records consumed
 * @param articlesCreated article events emitted with change type {@code created}
 * @param articlesUpdated article events emitted with change type {@code updated}
 * @param duplicates duplicates suppressed (any reason)
 * @param normalizationsSkipped of {@code duplicates}, those found by their unchanged input without
 *     normalising
 * @param deadLetters records sent to the dead-letter topic
 * @param lastArticleAt when the last article event was emitted (UTC); null when none yet
 * @param lastDeadLetterAt when the last dead letter was sent (UTC); null when none yet
 * @param lastDeadLetter the last dead letter's stage and error class, as {@code stage: Error}; null
 *     when none yet
 * @param articlesLast24hBySource article events of the last 24 h by source id, sorted by source id;
 *     sources without one left out; never null
 */
public record NormalizerStatus(
    String applicationId,
    String state,
    int streamThreads,
    int streamThreadsRunning,
    Long consumerLagRecords,
    long rawRecords,
    long articlesCreated,
    long articlesUpdated,
    long duplicates,
    long normalizationsSkipped,
    long deadLetters,
    Instant lastArticleAt,
    Instant lastDeadLetterAt,
    String lastDeadLetter,
    Map<String, Long> articlesLast24hBySource) {

  /** Kafka Streams' {@code ERROR} state: the client has stopped for good after a failure. */
  public static final String ERROR = "ERROR";

  /**
   * The detail of the {@code normalizer} check of {@code /health/live} and {@code /health/ready} in
   * state {@link #ERROR}: the state, what it means, where the reason is, and what it asks for.
   */
  public static final String STOPPED_FOR_GOOD =
      "Kafka Streams ERROR: the normalizer has stopped for good (its stream threads kept failing,"
          + " more often than they were replaced, or its global thread, which reads the story"
          + " signatures, failed; the ERROR lines before it in the log say why); nothing in this"
          + " process restarts it: restart the process";

  /** The {@link #state} before the Kafka Streams client exists. */
  public static final String STARTING = "STARTING";

  public NormalizerStatus {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(state, "state");
    articlesLast24hBySource =
        Collections.unmodifiableSortedMap(new TreeMap<>(articlesLast24hBySource));
  }

  /**
   * @param lag the consumer lag gauge's value, in records ({@code NaN} before the first fetch)
   * @return it as a whole number of records; null for NaN
   */
  public static Long lagRecords(double lag) {
    return Double.isNaN(lag) ? null : Math.round(lag);
  }

  /**
   * @return check {@code normalizer} of {@code /health/live}: down in state {@link #ERROR}, detail
   *     {@link #STOPPED_FOR_GOOD}; up in every other state (starting, rebalancing and stopping
   *     included), detail {@code Kafka Streams <state>}
   */
  public Readiness.Check liveness() {
    return ERROR.equals(state)
        ? new Readiness.Check(Readiness.NORMALIZER, false, STOPPED_FOR_GOOD)
        : new Readiness.Check(Readiness.NORMALIZER, true, "Kafka Streams " + state);
  }

  /**
   * @return true when the normalizer is processing: state {@code RUNNING} with every stream thread
   *     running. Stricter than readiness ({@code /health/ready}), which stays up through a routine
   *     rebalance so that it does not flap; the status page shows that rebalance
   */
  public boolean healthy() {
    return "RUNNING".equals(state) && streamThreadsRunning >= streamThreads;
  }
}
