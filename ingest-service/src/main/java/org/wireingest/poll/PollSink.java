package org.wireingest.poll;

import java.util.List;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.RawWireItem;

/**
 * Where a poller's output goes: raw items, feed state and the fetch log. The Kafka implementation
 * writes {@code wire.raw-items.v1}, {@code wire.feed-state.v1} and {@code wire.fetch-log.v1}; tests
 * use an in-memory one. Implementations are thread-safe.
 */
public interface PollSink {

  /**
   * Publishes raw items and returns once every one is acknowledged (acks=all). An item too large
   * for the raw-items topic may be sent to the dead-letter topic instead (so one giant entry does
   * not fail its feed at every poll).
   *
   * @param items items of one feed, in document order; may be empty
   * @return how many of {@code items} went to the dead-letter topic instead of the raw-items topic
   *     (0 or more)
   * @throws PublishException when any item could not be written, whether the client failed at once
   *     (closed, a fatal error) or later (no acknowledgement): never another exception for a write
   *     that failed. The caller keeps the old feed state, so the items are retried on the next poll
   */
  int publish(List<RawWireItem> items);

  /**
   * Stores a feed's state, acknowledged before return.
   *
   * @throws PublishException when it could not be written (as for {@link #publish})
   */
  void saveState(FeedState state);

  /**
   * Appends a fetch-log record; best effort: returns without waiting on the broker (neither for
   * metadata nor for the acknowledgement), also while it is unreachable, and never throws for a
   * record it could not write (it logs it).
   */
  void logFetch(FetchLogRecord record);

  /** A write to Kafka failed (timeout, broker unavailable, authorization). */
  final class PublishException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be written; @param cause the client's error
     */
    public PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
