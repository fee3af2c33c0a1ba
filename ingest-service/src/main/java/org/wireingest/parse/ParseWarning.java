package org.wireingest.parse;

/**
 * A recoverable problem met while parsing: the field fell back (usually to null) and the entry or
 * feed survived. Counted by kind in metrics, each warning as {@link #count()} of its kind.
 *
 * @param kind stable, lower-case, dash-separated kind, e.g. {@code unparseable-date}, {@code
 *     bad-number}, {@code charset-mismatch}
 * @param detail human-readable detail (the offending value, truncated); never null
 * @param count how many problems of its kind this warning stands for: 1, or, for the summary of
 *     those a document had past the most kept of one kind ({@code "... and 19980 more"}), how many
 *     it summarises; at least 1
 */
public record ParseWarning(String kind, String detail, int count) {

  public ParseWarning {
    if (count < 1) {
      throw new IllegalArgumentException("count " + count + " of a " + kind + " warning");
    }
  }

  /**
   * One problem.
   *
   * @param kind stable, lower-case, dash-separated kind
   * @param detail human-readable detail; never null
   */
  public ParseWarning(String kind, String detail) {
    this(kind, detail, 1);
  }
}
