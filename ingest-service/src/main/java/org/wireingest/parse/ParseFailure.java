package org.wireingest.parse;

import java.util.Locale;

/** Why a body is not a usable feed. The lower-case {@link #code()} is used in metrics and logs. */
public enum ParseFailure {
  /** Zero bytes, or only whitespace. */
  EMPTY_DOCUMENT,
  /**
   * An HTML page (error page, paywall, login) served instead of a feed, or gzip-compressed bytes (a
   * body compressed once more than its {@code Content-Encoding} says).
   */
  NOT_A_FEED,
  /**
   * Well-formed XML whose root is no known feed format (e.g. NITF, sitemap), or JSON that is not a
   * JSON Feed.
   */
  UNSUPPORTED_FORMAT,
  /** XML that no lenient pass could recover. */
  MALFORMED_XML,
  /**
   * XML cut off before its first complete entry (a server or proxy that stops at some size): there
   * is nothing to read. A document cut off after complete entries is read, with the warning {@link
   * FeedParser#TRUNCATED_DOCUMENT}.
   */
  TRUNCATED_DOCUMENT,
  /**
   * A body that starts like JSON (or is labelled {@code application/feed+json}) but is not valid
   * JSON.
   */
  MALFORMED_JSON,
  /** The body exceeds the parser's size limit. */
  TOO_LARGE;

  /**
   * @return the kind as a metric tag value, e.g. {@code not-a-feed}
   */
  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
