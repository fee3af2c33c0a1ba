package org.wireingest.model;

import java.time.Instant;

/**
 * The value of a {@code wire.dead-letters.v1} record: an input that a stage could not handle, kept
 * whole so nothing is lost: its value in the dead letter when that fits a record, else at its
 * source coordinates. Schema: {@code schemas/dead-letter.schema.json}.
 *
 * @param stage the stage that rejected it ({@code deserialize}, {@code normalize}, {@code dedup},
 *     {@code poll})
 * @param errorClass the Java exception class name or a classified reason
 * @param errorMessage one-line message
 * @param sourceTopic topic of the input record; null when not from Kafka
 * @param sourcePartition partition of the input; -1 when not from Kafka
 * @param sourceOffset offset of the input; -1 when not from Kafka
 * @param key the input record's key as UTF-8 text, cut to 1,000 characters and {@code …(N
 *     characters)} when longer; null when none
 * @param valueBytes the input record's value size in bytes; null when it had no value
 * @param valueBase64 the input record's value bytes, Base64; null when none, or when the value is
 *     too large to keep in a dead letter (then read it at the source coordinates)
 * @param valueText the input value as UTF-8 text when it decodes cleanly (for reading); null
 *     otherwise, or when the dead letter would be too large with it
 * @param failedAt when it failed (UTC)
 */
public record DeadLetter(
    String stage,
    String errorClass,
    String errorMessage,
    String sourceTopic,
    int sourcePartition,
    long sourceOffset,
    String key,
    Integer valueBytes,
    String valueBase64,
    String valueText,
    Instant failedAt) {

  /**
   * {@code errorClass} of an input, or an output made of it, too large for its Kafka topic's
   * records: a raw item the poller cannot publish, an article event or repartition record the
   * normalizer cannot write.
   */
  public static final String RECORD_TOO_LARGE = "RecordTooLarge";
}
