package org.wireingest.poll;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.wireingest.model.FeedState;

/**
 * The outcome of one poll of one feed.
 *
 * @param sourceId the source
 * @param outcome what happened
 * @param code classified outcome for metrics and logs: {@code ok}, {@code not-modified}, {@code
 *     unchanged}, or the failure class ({@code timeout}, {@code not-found}, {@code malformed-xml},
 *     {@code publish-error}, ...), or {@code handed-over}
 * @param message one-line failure explanation; null unless failed
 * @param entriesSeen entries in the fetched document (0 when not parsed)
 * @param published raw items published
 * @param bytes body size in bytes (0 when no body)
 * @param durationMs how long the whole poll took, milliseconds, on the monotonic clock (a step of
 *     the wall clock meanwhile is no part of it)
 * @param state the feed's state after the poll
 * @param fetchMs how long the fetch alone took (request to last body byte), milliseconds, on the
 *     monotonic clock
 * @param warnings parse warnings of the document by kind ({@code unparseable-date}, ...) to their
 *     count, in the alphabetical order of the kinds (so {@code check-feed} lists them the same way
 *     on every run); empty unless the document was parsed; never null, unmodifiable
 */
public record PollResult(
    String sourceId,
    Outcome outcome,
    String code,
    String message,
    int entriesSeen,
    int published,
    long bytes,
    long durationMs,
    FeedState state,
    long fetchMs,
    Map<String, Integer> warnings) {

  public PollResult {
    warnings =
        warnings == null || warnings.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new TreeMap<>(warnings));
  }

  /**
   * A result without a separate fetch time or parse warnings: {@code fetchMs = durationMs}, no
   * warnings.
   */
  public PollResult(
      String sourceId,
      Outcome outcome,
      String code,
      String message,
      int entriesSeen,
      int published,
      long bytes,
      long durationMs,
      FeedState state) {
    this(
        sourceId,
        outcome,
        code,
        message,
        entriesSeen,
        published,
        bytes,
        durationMs,
        state,
        durationMs,
        Map.of());
  }

  /** Coarse outcome of a poll. */
  public enum Outcome {
    /** Fetched and parsed; new or changed entries (maybe none) were published. */
    OK,
    /** 304, or a {@code file:} feed whose modification time did not change. */
    NOT_MODIFIED,
    /** 200 but the body is byte-identical to the last one: nothing parsed. */
    UNCHANGED,
    /** Fetch, parse or publish failed; the feed is retried with back-off. */
    FAILED,
    /**
     * The feed was handed over while the poll ran (to another poller of the group, or out of the
     * feeds list): the poll wrote nothing from then on, and its state is not kept. No failure: the
     * feed is polled by its next poller.
     */
    HANDED_OVER
  }

  /**
   * @return true unless the poll failed
   */
  public boolean succeeded() {
    return outcome != Outcome.FAILED;
  }

  /**
   * @return true when the feed's documents come cut off, as the state after this poll says ({@link
   *     FeedState#truncatedSince()}); false without a state
   */
  public boolean truncated() {
    return state != null && state.truncatedSince() != null;
  }
}
