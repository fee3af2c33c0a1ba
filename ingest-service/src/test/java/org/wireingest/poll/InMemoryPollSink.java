package org.wireingest.poll;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.RawWireItem;

/**
 * A {@link PollSink} that keeps everything in memory, for tests. {@link #failPublishing(boolean)}
 * makes {@link #publish(List)} throw {@link PollSink.PublishException} as a broker outage would.
 * Thread-safe.
 */
public final class InMemoryPollSink implements PollSink {

  private final List<RawWireItem> items = new CopyOnWriteArrayList<>();
  private final List<FeedState> states = new CopyOnWriteArrayList<>();
  private final List<FetchLogRecord> fetchLog = new CopyOnWriteArrayList<>();
  private volatile boolean failPublishing;
  private volatile boolean failSavingState;

  /**
   * @param fail whether {@link #publish(List)} throws from now on
   */
  public void failPublishing(boolean fail) {
    failPublishing = fail;
  }

  @Override
  public int publish(List<RawWireItem> batch) {
    if (failPublishing) {
      throw new PublishException(
          "raw items not acknowledged: broker unavailable (test)",
          new IllegalStateException("test outage"));
    }
    items.addAll(batch);
    return 0;
  }

  /**
   * @param fail whether {@link #saveState(FeedState)} throws from now on (a state over the topic's
   *     limit, say)
   */
  public void failSavingState(boolean fail) {
    failSavingState = fail;
  }

  @Override
  public void saveState(FeedState state) {
    if (failSavingState) {
      throw new PublishException(
          "feed state of " + state.sourceId() + " is 17000000 bytes (test)",
          new IllegalStateException("test limit"));
    }
    states.add(state);
  }

  @Override
  public void logFetch(FetchLogRecord record) {
    fetchLog.add(record);
  }

  /**
   * @return every raw item published so far, in order
   */
  public List<RawWireItem> items() {
    return List.copyOf(items);
  }

  /**
   * @return every feed state saved so far, in order
   */
  public List<FeedState> states() {
    return List.copyOf(states);
  }

  /**
   * @return every fetch-log record so far, in order
   */
  public List<FetchLogRecord> fetchLog() {
    return List.copyOf(fetchLog);
  }
}
