package org.wireingest.replay;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges the records of several partitions into one deterministic order: by record timestamp, then
 * partition, then offset — while never reordering records within a partition (a partition's records
 * leave in offset order even when a producer's clock stepped back). A k-way merge over
 * per-partition queues: a record leaves only once every unfinished partition has a record buffered,
 * so the order does not depend on how the consumer's fetches happened to interleave.
 *
 * <p>Not thread-safe; one reader feeds it.
 */
public final class TimestampMerge {

  private static final Comparator<HistoryRecord> ORDER =
      Comparator.comparingLong(HistoryRecord::timestampMs)
          .thenComparingInt(HistoryRecord::partition)
          .thenComparingLong(HistoryRecord::offset);

  private final Map<Integer, ArrayDeque<HistoryRecord>> queues = new TreeMap<>();
  private final Set<Integer> finished = new HashSet<>();

  /**
   * @param partitions the partitions to merge; every one must be {@link #finish}ed eventually
   */
  public TimestampMerge(Collection<Integer> partitions) {
    partitions.forEach(p -> queues.put(p, new ArrayDeque<>()));
  }

  /**
   * @param record the next record of its partition (offsets increasing)
   * @throws IllegalArgumentException for an unknown or finished partition, or an offset not above
   *     the last one
   */
  public void add(HistoryRecord record) {
    ArrayDeque<HistoryRecord> q = queues.get(record.partition());
    if (q == null || finished.contains(record.partition())) {
      throw new IllegalArgumentException(
          "partition " + record.partition() + " is unknown or finished");
    }
    if (!q.isEmpty() && q.peekLast().offset() >= record.offset()) {
      throw new IllegalArgumentException(
          "offset "
              + record.offset()
              + " of partition "
              + record.partition()
              + " is not after "
              + q.peekLast().offset());
    }
    q.addLast(record);
  }

  /** Marks {@code partition} as having no more records. */
  public void finish(int partition) {
    finished.add(partition);
  }

  /**
   * @return true once {@code partition} is finished
   */
  public boolean isFinished(int partition) {
    return finished.contains(partition);
  }

  /**
   * @return the next record in merged order; empty when none can be decided yet (an unfinished
   *     partition has nothing buffered) or when everything has been returned
   */
  public Optional<HistoryRecord> next() {
    HistoryRecord best = null;
    for (Map.Entry<Integer, ArrayDeque<HistoryRecord>> e : queues.entrySet()) {
      HistoryRecord head = e.getValue().peekFirst();
      if (head == null) {
        if (!finished.contains(e.getKey())) {
          return Optional.empty();
        }
        continue;
      }
      if (best == null || ORDER.compare(head, best) < 0) {
        best = head;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    return Optional.of(queues.get(best.partition()).pollFirst());
  }

  /**
   * @return records buffered for {@code partition}
   */
  public int buffered(int partition) {
    ArrayDeque<HistoryRecord> q = queues.get(partition);
    return q == null ? 0 : q.size();
  }

  /**
   * @return true when every partition is finished and every record returned
   */
  public boolean isDone() {
    return finished.containsAll(queues.keySet())
        && queues.values().stream().allMatch(ArrayDeque::isEmpty);
  }
}
