package org.wireingest.fetch;

import static org.wireingest.fetch.FeedFetcher.shown;
import static org.wireingest.fetch.ResponseHeaders.isDigits;
import static org.wireingest.fetch.ResponseHeaders.joinedValues;

import java.net.http.HttpHeaders;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a final response's body can be read as its headers frame it (RFC 9112 §6: its length and
 * transfer codings; RFC 9110 §8.4: its content codings), before a byte of it is read. The JDK HTTP
 * client reads a body by the first {@code Content-Length} and undoes {@code chunked} only, so a
 * response it would read wrongly (a feed cut short, chunk-size lines or still-compressed bytes
 * handed to the parser) is refused here instead. Pure.
 */
final class ResponseFraming {

  private ResponseFraming() {}

  /**
   * @param headers the response's headers
   * @param status its status code (quoted in the reason)
   * @param shownUrl the URL that answered, as logs show it (credentials removed)
   * @return why the body cannot be read, one line naming the header and the rule; empty when it can
   */
  static Optional<String> unreadable(HttpHeaders headers, int status, String shownUrl) {
    if (headers.firstValue("Transfer-Encoding").isPresent()
        && headers.firstValue("Content-Length").isPresent()) {
      // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length, and such a response "ought to
      // be handled as an error"; the JDK client reads it by its Content-Length, so the poller
      // parsed chunk-size lines and a cut piece of the chunked body as the feed.
      return Optional.of(
          "HTTP "
              + status
              + " from "
              + shownUrl
              + " has both Transfer-Encoding and Content-Length: its body's length is ambiguous"
              + " (RFC 9112 §6.3), not read");
    }
    Set<String> lengths = new LinkedHashSet<>();
    Set<String> decimalValues = new LinkedHashSet<>();
    int members = 0;
    boolean allDigits = true;
    for (String line : headers.allValues("Content-Length")) {
      for (String value : line.split(",", -1)) {
        String length = value.strip();
        members++;
        lengths.add(length);
        allDigits &= isDigits(length);
        decimalValues.add(withoutLeadingZeros(length));
      }
    }
    if (members > 1 && (!allDigits || decimalValues.size() > 1)) {
      // RFC 9112 §6.3: Content-Length values that differ are an unrecoverable framing error; the
      // JDK client reads the body by the first, so a shorter first one cut the feed. Values of one
      // decimal value spelled differently ("010" and "10") are that one value (RFC 9110 §8.6),
      // which the client reads the body by; a value not all digits is no length at all.
      return Optional.of(
          "HTTP "
              + status
              + " from "
              + shownUrl
              + " has Content-Length values that "
              + (allDigits ? "differ (" : "are not all decimal numbers (")
              + shown(String.join(", ", lengths))
              + "): its body's length is ambiguous (RFC 9112 §6.3), not read");
    }
    String transferEncoding = joinedValues(headers, "Transfer-Encoding");
    if (!isChunkedAtMost(transferEncoding, headers.firstValue("Transfer-Encoding").orElse(""))) {
      // RFC 9112 §6.1: a transfer coding the recipient does not know leaves the body's length and
      // bytes unknown. The JDK client undoes chunked only, so "gzip, chunked" reached the parser
      // still compressed and failed as malformed-xml, "no root element found".
      return Optional.of(
          "unsupported Transfer-Encoding '"
              + shown(transferEncoding)
              + "' from "
              + shownUrl
              + ": the client decodes chunked only (RFC 9112 §6.1), so the body is not read");
    }
    String encoding = joinedValues(headers, "Content-Encoding");
    int codings = ContentDecoding.codingCount(encoding);
    if (codings > ContentDecoding.MAX_CODINGS) {
      return Optional.of(
          "Content-Encoding of "
              + codings
              + " codings from "
              + shownUrl
              + ", more than the "
              + ContentDecoding.MAX_CODINGS
              + " decoded (a decompression bomb?): not read");
    }
    if (!ContentDecoding.isSupported(encoding)) {
      return Optional.of("unsupported Content-Encoding '" + shown(encoding) + "' from " + shownUrl);
    }
    return Optional.empty();
  }

  /**
   * @return {@code digits} without its leading zeros ({@code "0"} for zeros only): equal for equal
   *     decimal values of any length, even past a {@code long}
   */
  private static String withoutLeadingZeros(String digits) {
    int first = 0;
    while (first < digits.length() - 1 && digits.charAt(first) == '0') {
      first++;
    }
    return digits.substring(first);
  }

  /**
   * Whether a {@code Transfer-Encoding} value (its lines joined) names no transfer coding but
   * {@code chunked}, once at most, and the obsolete {@code identity}: what the HTTP client reads.
   * The client undoes {@code chunked} only when its first line is {@code chunked} alone, so a
   * {@code chunked} beside {@code identity} on that line, or on a later line, is not read.
   *
   * @param transferEncoding the joined value; null when absent
   * @param firstLine the header's first line; empty when absent
   */
  private static boolean isChunkedAtMost(String transferEncoding, String firstLine) {
    if (transferEncoding == null) {
      return true;
    }
    int chunked = 0;
    for (String token : transferEncoding.split(",", -1)) {
      String coding = token.strip().toLowerCase(Locale.ROOT);
      if (coding.equals("chunked")) {
        chunked++;
      } else if (!coding.equals("identity")) {
        return false;
      }
    }
    return chunked == 0 || chunked == 1 && firstLine.strip().equalsIgnoreCase("chunked");
  }
}
