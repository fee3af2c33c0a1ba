package org.wireingest.poll;

import java.util.List;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.RawWireItem;

/**
 * Where a poller's output goes: raw items, feed state and the fetch log. The Kafka implementation
 * writes {@code wire.raw-items.v1}, {@code wire.feed-state.v1} and {@code wire.fetch-log.v1}; tests
 * use an in-memory one. Implementations are thread-safe.
 *
 * <p>A poll writes through {@link #beginPoll()}, so that its raw items and its feed state share one
 * deadline; {@link #publish} and {@link #saveState} on the sink itself are one write each, with a
 * deadline of its own.
 */
public interface PollSink {

  /**
   * Starts the writes of one poll: the raw items, then the feed state. An implementation that waits
   * on a broker gives them one deadline together, its publish timeout from the first write of the
   * returned {@link Writes} (so the fetch and the parse before it do not count): a poll holds its
   * thread about one publish timeout for its writes, also when the broker goes away after the raw
   * items were acknowledged, where each write with a timeout of its own made that two.
   *
   * <p>The default, for sinks that never wait on a broker, writes through {@link #publish} and
   * {@link #saveState}.
   *
   * @return the poll's writes, for the calling thread only (not thread-safe); never null
   */
  default Writes beginPoll() {
    return new Writes() {
      @Override
      public int publish(List<RawWireItem> items) {
        return PollSink.this.publish(items);
      }

      @Override
      public void saveState(FeedState state) {
        PollSink.this.saveState(state);
      }
    };
  }

  /**
   * The writes of one poll ({@link #beginPoll()}), sharing one deadline: each fails with {@link
   * PublishException} once it is spent. Used by one thread, for one poll.
   */
  interface Writes {

    /**
     * As {@link PollSink#publish}, within what is left of the poll's deadline.
     *
     * @param items items of one feed, in document order; may be empty
     * @return how many of {@code items} went to the dead-letter topic instead (0 or more)
     * @throws PublishException as {@link PollSink#publish}, also when the deadline passes first
     */
    int publish(List<RawWireItem> items);

    /**
     * As {@link PollSink#saveState}, within what is left of the poll's deadline. When none is left
     * (the raw items' acknowledgements took it all), the state is not sent and {@link
     * PublishException} is thrown at once, without a second wait: nothing is lost, as for any state
     * not stored. The caller keeps the state in memory for the feed's next poll, whose state
     * supersedes it and is written then; until then a restarted poller has the older state and
     * publishes the items again, which the normalizer suppresses as unchanged.
     *
     * @param state the feed's state after this poll; never null
     * @throws PublishException as {@link PollSink#saveState}, also when the deadline passes first
     *     or is already spent
     */
    void saveState(FeedState state);
  }

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
   * @param state the state to store; never null
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
     * Creates the exception.
     *
     * @param message what could not be written, and why; never null
     * @param cause the client's error (a timeout, an unavailable broker, an authorization failure);
     *     null when nothing was sent (the poll's deadline was spent, or the record is over a limit
     *     checked before sending)
     */
    public PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
