package org.wireingest.replay;

import java.time.Instant;
import java.util.Objects;

/**
 * One record of a history topic as read back, without Kafka types.
 *
 * @param topic its topic; never null
 * @param partition its partition
 * @param offset its offset
 * @param timestampMs its record timestamp (the producer's create time), epoch milliseconds UTC
 * @param key its key as UTF-8 text; null when none
 * @param value its value bytes; null for a tombstone
 */
public record HistoryRecord(
    String topic, int partition, long offset, long timestampMs, String key, byte[] value) {

  public HistoryRecord {
    Objects.requireNonNull(topic, "topic");
  }

  /**
   * @return the record timestamp as an instant (UTC)
   */
  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMs);
  }
}
