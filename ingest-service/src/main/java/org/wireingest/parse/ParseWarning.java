package org.wireingest.parse;

/**
 * A recoverable problem met while parsing: the field fell back (usually to null) and the entry or
 * feed survived. Counted by kind in metrics.
 *
 * @param kind stable, lower-case, dash-separated kind, e.g. {@code unparseable-date}, {@code
 *     bad-number}, {@code charset-mismatch}
 * @param detail human-readable detail (the offending value, truncated); never null
 */
public record ParseWarning(String kind, String detail) {}
