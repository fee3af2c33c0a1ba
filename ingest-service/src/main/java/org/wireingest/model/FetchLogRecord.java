package org.wireingest.model;

import java.time.Instant;

/**
 * The value of a {@code wire.fetch-log.v1} record: one fetch of one feed, for audit and re-parse.
 * Schema: {@code schemas/fetch-log.schema.json}.
 *
 * @param sourceId the source
 * @param url the URL fetched (credentials removed)
 * @param startedAt when the fetch started (UTC)
 * @param durationMs how long the fetch took, milliseconds, measured on the monotonic clock (never
 *     negative: a step of the wall clock during the fetch is no part of it)
 * @param status HTTP status, 0 for {@code file:} or when no response arrived
 * @param outcome the classified outcome ({@code ok}, {@code not-modified}, {@code timeout}, ...)
 * @param bytes body size in bytes (decompressed); 0 when none
 * @param entries entries parsed; null when not parsed
 * @param published raw items published from this fetch
 * @param message error message for failed outcomes; null otherwise
 * @param contentType the response's {@code Content-Type} as sent (RFC 9110 §8.3; its {@code
 *     charset} parameter is the parser's charset hint); null when there was no body or no header
 * @param bodySha256 SHA-256 (hex) of the body bytes; null when no body arrived
 * @param body the body itself, present only when it differed from the feed's previous body (so it
 *     was parsed, successfully or not); null otherwise
 */
public record FetchLogRecord(
    String sourceId,
    String url,
    Instant startedAt,
    long durationMs,
    int status,
    String outcome,
    long bytes,
    Integer entries,
    int published,
    String message,
    String contentType,
    String bodySha256,
    Body body) {

  /** A record without body facts: a fetch that delivered no body (not modified, failed). */
  public FetchLogRecord(
      String sourceId,
      String url,
      Instant startedAt,
      long durationMs,
      int status,
      String outcome,
      long bytes,
      Integer entries,
      int published,
      String message) {
    this(
        sourceId,
        url,
        startedAt,
        durationMs,
        status,
        outcome,
        bytes,
        entries,
        published,
        message,
        null,
        null,
        null);
  }

  /**
   * @return when the fetch ended: {@code startedAt + durationMs} (UTC, millisecond precision)
   */
  public Instant endedAt() {
    return startedAt.plusMillis(durationMs);
  }

  /**
   * A stored feed body: the bytes as received (after content decoding), zstd-compressed (RFC 8878),
   * Base64 (RFC 4648 §4) in JSON; omitted when the compressed body is over the cap.
   *
   * @param encoding the compression, always {@code zstd}
   * @param compressedBytes size of the zstd frame, bytes
   * @param omitted true when the frame was over the cap and {@code data} is absent
   * @param data the zstd frame, Base64; null when {@code omitted}
   */
  public record Body(String encoding, long compressedBytes, boolean omitted, String data) {}
}
