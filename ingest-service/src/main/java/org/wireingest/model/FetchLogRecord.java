package org.wireingest.model;

import java.time.Instant;

/**
 * The value of a {@code wire.fetch-log.v1} record: one fetch of one feed, for audit and re-parse.
 * Schema: {@code schemas/fetch-log.schema.json}.
 *
 * @param sourceId the source
 * @param url the URL fetched (credentials removed)
 * @param startedAt when the fetch started (UTC)
 * @param durationMs wall time of the fetch, milliseconds
 * @param status HTTP status, 0 for {@code file:} or when no response arrived
 * @param outcome the classified outcome ({@code ok}, {@code not-modified}, {@code timeout}, ...)
 * @param bytes body size in bytes (decompressed); 0 when none
 * @param entries entries parsed; null when not parsed
 * @param published raw items published from this fetch
 * @param message error message for failed outcomes; null otherwise
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
    String message) {}
