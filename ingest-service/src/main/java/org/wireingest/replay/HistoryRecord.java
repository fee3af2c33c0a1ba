package org.wireingest.replay;

import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One record of a history topic as read back: its coordinates, timestamp, key, value and headers.
 *
 * @param topic its topic; never null
 * @param partition its partition
 * @param offset its offset
 * @param timestampMs its record timestamp (the producer's create time), epoch milliseconds UTC
 * @param key its key as UTF-8 text; null when none
 * @param value its value bytes; null for a tombstone
 * @param headers its headers as read, in order (empty for a poller's records, which have none);
 *     never null; not to be changed
 */
public record HistoryRecord(
    String topic,
    int partition,
    long offset,
    long timestampMs,
    String key,
    byte[] value,
    Headers headers) {

  public HistoryRecord {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(headers, "headers");
  }

  /** A record without headers, as every poller writes them. */
  public HistoryRecord(
      String topic, int partition, long offset, long timestampMs, String key, byte[] value) {
    this(topic, partition, offset, timestampMs, key, value, new RecordHeaders());
  }

  /**
   * @return the record timestamp as an instant (UTC)
   */
  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMs);
  }
}
