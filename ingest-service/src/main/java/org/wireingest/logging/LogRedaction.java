package org.wireingest.logging;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.protocol.ApiKeys;
import org.wireingest.fetch.Redaction;

/**
 * The last line of defence for secrets in log lines: whatever a message holds, every URL in it is
 * passed through {@link Redaction#url} (user-info removed, secret query parameters masked), and the
 * value after a credential-like header or parameter name ({@code Authorization}, {@code Cookie},
 * names containing {@code token}, {@code secret}, {@code password}, {@code api-key} or ending in
 * {@code -key} / {@code _key}) followed by {@code :} or {@code =} is replaced by {@value
 * Redaction#MASK}. One exception: Kafka's own {@code apiKey=} followed by the name of a Kafka
 * protocol request ({@code apiKey=FIND_COORDINATOR}, from {@link ApiKeys}) is a request type, not a
 * credential, and is kept so that client and broker log lines stay readable. Pure, thread-safe.
 */
public final class LogRedaction {

  /**
   * A URL: a scheme, {@code ://}, then anything but blanks, quotes and angle brackets. The scheme
   * starts only where no scheme character stands before it (the look-behind): tried from every word
   * boundary of a long run such as {@code a.a.a.}… (a record key in a dead letter's log line), the
   * search was quadratic in the run's length. Leftmost matches start there anyway.
   */
  private static final Pattern URL =
      Pattern.compile("(?<![a-zA-Z0-9+.-])[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s\"'<>\\\\]+");

  /**
   * Characters that end a sentence or a clause after a URL ({@code "fetching URL: cause"}): kept
   * out of the URL, so that a secret parameter's value at its end is masked without them. Not
   * {@code !} nor {@code ?}: the log lines' own sentences do not end a URL with them, but passwords
   * often end in them ({@code password=Summer2024!} showed as {@code password=***!}).
   */
  private static final String TRAILING_PUNCTUATION = ".,;:)";

  private static final Pattern USER_INFO = Pattern.compile("//[^/@\\s]*@");

  /**
   * A credential name, then {@code :} or {@code =}, then the value: an optional auth scheme and one
   * token. The name and the value may stand in quotes, plain ({@code "password":"x"}) or escaped as
   * a JSON log line writes a quote inside its message ({@code \"password\":\"x\"}). A name ending
   * in {@code token}, {@code key}, ... is matched only from the start of its run of word characters
   * (the look-behind): tried from every position of a long run (a 30,000-character record key in a
   * dead letter's log line), the search took time quadratic in its length, 26 s for 32,000
   * characters, on a stream thread. Leftmost matches start there anyway, so what it masks is
   * unchanged.
   */
  private static final Pattern CREDENTIAL =
      Pattern.compile(
          "(?i)(\\b(?:proxy-)?authorization|\\bcookie|\\bset-cookie|(?<![\\w-])[\\w-]*(?:token|secret|password|passwd|api[-_]?key|[-_]key|signature))"
              + "((?:\\\\?\")?\\s*[:=]\\s*(?:\\\\?\")?)"
              + "((?:(?:bearer|basic|digest|token)\\s+)?[^\\s,;&}\"\\\\]+)");

  /**
   * Names of the Kafka protocol's requests, as Kafka prints them after {@code apiKey=}; in a
   * holder, so that a process that logs no {@code apiKey=} does not load {@link ApiKeys} (about a
   * second).
   */
  private static final class KafkaApiKeys {
    static final Set<String> NAMES =
        Arrays.stream(ApiKeys.values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());
  }

  private LogRedaction() {}

  /**
   * @param text a log message or an encoded log line; null gives null
   * @return the text with URLs redacted and credential values masked
   */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    Matcher m = URL.matcher(text);
    StringBuilder b = new StringBuilder(text.length());
    while (m.find()) {
      String found = m.group();
      int end = found.length();
      while (end > 0 && TRAILING_PUNCTUATION.indexOf(found.charAt(end - 1)) >= 0) {
        end--;
      }
      m.appendReplacement(
          b, Matcher.quoteReplacement(url(found.substring(0, end)) + found.substring(end)));
    }
    m.appendTail(b);
    return CREDENTIAL
        .matcher(b)
        .replaceAll(
            r ->
                Matcher.quoteReplacement(
                    isKafkaRequestType(r)
                        ? r.group()
                        : r.group(1)
                            + r.group(2)
                            + Redaction.MASK
                            + trailingPunctuation(r.group(3))));
  }

  /**
   * @param value a credential's value as matched
   * @return the punctuation at its end ({@code ":"} of {@code "api_key=***: cause"}), which stays
   *     after the mask; empty when the value is nothing else
   */
  private static String trailingPunctuation(String value) {
    int end = value.length();
    while (end > 0 && TRAILING_PUNCTUATION.indexOf(value.charAt(end - 1)) >= 0) {
      end--;
    }
    return end == 0 ? "" : value.substring(end);
  }

  /**
   * {@code apiKey=PRODUCE} as Kafka writes it in a request header (maybe before a ')'): the
   * request's type, no secret.
   */
  private static boolean isKafkaRequestType(MatchResult r) {
    if (!r.group(1).equals("apiKey") || !r.group(2).equals("=")) {
      return false;
    }
    String value = r.group(3);
    int end = value.length();
    while (end > 0 && value.charAt(end - 1) == ')') {
      end--;
    }
    return KafkaApiKeys.NAMES.contains(value.substring(0, end));
  }

  private static String url(String candidate) {
    try {
      return Redaction.url(new URI(candidate));
    } catch (URISyntaxException e) {
      // Not a valid URI: still drop user-info and the whole query, which may hold a secret.
      String s = USER_INFO.matcher(candidate).replaceFirst("//");
      int q = s.indexOf('?');
      return q < 0 ? s : s.substring(0, q + 1) + Redaction.MASK;
    }
  }
}
