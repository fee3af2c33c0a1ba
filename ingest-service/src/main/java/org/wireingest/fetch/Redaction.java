package org.wireingest.fetch;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

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
  private static final Set<String> SECRET_PARAMETERS = Set.of(
      "key", "token", "apikey", "api_key", "api-key", "access_token", "auth", "password", "passwd",
      "secret", "client_secret", "sig", "signature");

  /** Name endings that mark a secret whatever the prefix: {@code x-api-key}, {@code auth_token}... */
  private static final String[] SECRET_SUFFIXES = {"_key", "-key", "token", "secret", "password", "signature"};

  private Redaction() {}

  /**
   * The URL fit for a log line: user-info ({@code user:password@}) removed, the value of every
   * query parameter whose name marks a secret replaced by {@value #MASK}, the fragment dropped (it
   * is never sent to a server, and OAuth flows put tokens there). Names are matched
   * case-insensitively: {@code key}, {@code token}, {@code apikey}, {@code api_key},
   * {@code access_token}, {@code password}, {@code secret}, {@code sig}, {@code signature}, and any
   * name ending in {@code _key}, {@code -key}, {@code token}, {@code secret}, {@code password} or
   * {@code signature}. Everything else is kept byte for byte (still percent-encoded).
   *
   * @param url any URI; null gives {@code "null"}
   * @return the redacted URL; never null
   */
  public static String url(URI url) {
    if (url == null) {
      return "null";
    }
    if (url.isOpaque()) {
      return url.getScheme() + ":" + MASK;
    }
    String text = url.toString();
    int hash = text.indexOf('#');
    if (hash >= 0) {
      text = text.substring(0, hash);
    }
    String userInfo = url.getRawUserInfo();
    if (userInfo != null) {
      text = text.replace("//" + userInfo + "@", "//");
    }
    int question = text.indexOf('?');
    if (question < 0) {
      return text;
    }
    return text.substring(0, question + 1) + redactQuery(text.substring(question + 1));
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
