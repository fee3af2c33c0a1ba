package org.wireingest.parse;

/** The outcome of parsing a feed body: a value, never an exception, for every input. */
public sealed interface ParseResult {

  /** The body was a feed; {@code feed} holds its entries (possibly none) and warnings. */
  record Parsed(ParsedFeed feed) implements ParseResult {}

  /**
   * The body could not be read as a feed.
   *
   * @param kind the classified reason
   * @param message a one-line explanation fit for an ops engineer (what was found, where)
   */
  record Failed(ParseFailure kind, String message) implements ParseResult {}
}
