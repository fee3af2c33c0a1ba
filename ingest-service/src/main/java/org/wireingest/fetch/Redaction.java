package org.wireingest.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Removes secrets from URLs before they are logged or put in a message: feed URLs often carry API
 * keys, tokens or signatures, and sometimes credentials.
 *
 * <p>Thread-safe (stateless).
 */
public final class Redaction {

  /** What replaces a secret value. */
  public static final String MASK = "***";

  /** Query parameter names (lower case) whose values are secrets. */
  private static final Set<String> SECRET_PARAMETERS =
      Set.of(
          "key",
          "token",
          "apikey",
          "api_key",
          "api-key",
          "access_token",
          "auth",
          "password",
          "passwd",
          "pass",
          "pwd",
          "secret",
          "client_secret",
          "sig",
          "signature",
          "session",
          "sid",
          "credential",
          "credentials");

  /**
   * Name endings that mark a secret whatever the prefix: {@code x-api-key}, {@code auth_token},
   * {@code jsessionid}...
   */
  private static final String[] SECRET_SUFFIXES = {
    "_key", "-key", "token", "secret", "password", "signature", "sessionid", "session_id", "sessid"
  };

  /**
   * A session id carried as a path parameter ({@code ;jsessionid=...}, RFC 3986 §3.3), up to the
   * next delimiter.
   */
  private static final Pattern PATH_SESSION =
      Pattern.compile("(?i)(;[a-z_]*sess(?:ion)?_?id=)[^/;?#]*");

  private Redaction() {}

  /**
   * The URL fit for a log line: user-info ({@code user:password@}) removed, the value of every
   * query parameter whose name marks a secret replaced by {@value #MASK}, the fragment dropped (it
   * is never sent to a server, and OAuth flows put tokens there). Names are matched
   * case-insensitively: {@code key}, {@code token}, {@code apikey}, {@code api_key}, {@code
   * access_token}, {@code password}, {@code pass}, {@code pwd}, {@code secret}, {@code sig}, {@code
   * signature}, {@code session}, {@code sid}, {@code credentials}, and any name ending in {@code
   * _key}, {@code -key}, {@code token}, {@code secret}, {@code password}, {@code signature}, {@code
   * sessionid} or {@code sessid} ({@code jsessionid}, {@code PHPSESSID}); a session id in a path
   * parameter ({@code ;jsessionid=...}) is masked too. Characters outside US-ASCII (an IRI's {@code
   * https://example.com/gündem.xml}, which {@link URI} accepts) are percent-encoded as UTF-8
   * ({@link URI#toASCIIString}, RFC 3987 §3.1), so the result is an RFC 3986 URI, as the {@code
   * feedUrl} of the event schemas ({@code format: uri}) requires. Everything else is kept byte for
   * byte (still percent-encoded).
   *
   * @param url any URI; null gives {@code "null"}
   * @return the redacted URL, US-ASCII only; never null
   */
  public static String url(URI url) {
    if (url == null) {
      return "null";
    }
    if (url.isOpaque()) {
      return url.getScheme() + ":" + MASK;
    }
    URI ascii = URI.create(url.toASCIIString());
    String text = ascii.toString();
    int hash = text.indexOf('#');
    if (hash >= 0) {
      text = text.substring(0, hash);
    }
    String userInfo = ascii.getRawUserInfo();
    if (userInfo != null) {
      text = text.replace("//" + userInfo + "@", "//");
    }
    int question = text.indexOf('?');
    String path = question < 0 ? text : text.substring(0, question);
    path = PATH_SESSION.matcher(path).replaceAll("$1" + MASK);
    if (question < 0) {
      return path;
    }
    return path + "?" + redactQuery(text.substring(question + 1));
  }

  /**
   * The text of a URL as given, with its user-info ({@code user:password@}) left out and nothing
   * else changed: for a message that echoes what a user typed (a feed URL of the feeds list, a link
   * given to {@code story}), where {@link #url} would also mask query parameters and drop the
   * fragment the user gave. The user-info is from after {@code ://} to the last {@code @} before
   * the first {@code /}, {@code ?} or {@code #} (RFC 3986 section 3.2). When what that leaves has
   * no host, a password holding an unescaped {@code /}, {@code ?} or {@code #} may have ended the
   * authority early ({@code https://user:pa#ss@example.org/feed} reads as host {@code user}, port
   * {@code pa}), so everything up to the last {@code @} of the text is left out instead: shown as
   * written, the rest of the password would be in the message. Text without {@code ://} (a GUID
   * such as {@code tag:example.org,2026:1} or {@code urn:uuid:...}) is returned as it is.
   *
   * @param text any text, a URL or not; not null
   * @return the text without its user-info; {@code text} itself when it has none
   */
  public static String withoutUserInfo(String text) {
    int scheme = text.indexOf("://");
    if (scheme < 0) {
      return text;
    }
    int start = scheme + 3;
    int end = start;
    while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0) {
      end++;
    }
    int at = text.lastIndexOf('@', end - 1);
    String shown = at >= start ? text.substring(0, start) + text.substring(at + 1) : text;
    int lastAt = text.lastIndexOf('@');
    return end > start && lastAt > at && !hasHost(shown)
        ? text.substring(0, start) + text.substring(lastAt + 1)
        : shown;
  }

  private static boolean hasHost(String text) {
    try {
      return new URI(text).getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String redactQuery(String rawQuery) {
    StringJoiner out = new StringJoiner("&");
    for (String parameter : rawQuery.split("&", -1)) {
      int equals = parameter.indexOf('=');
      if (equals >= 0 && isSecret(parameter.substring(0, equals))) {
        out.add(parameter.substring(0, equals + 1) + MASK);
      } else {
        out.add(parameter);
      }
    }
    return out.toString();
  }

  private static boolean isSecret(String rawName) {
    String name = rawName.toLowerCase(Locale.ROOT);
    if (SECRET_PARAMETERS.contains(name)) {
      return true;
    }
    for (String suffix : SECRET_SUFFIXES) {
      if (name.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }
}
