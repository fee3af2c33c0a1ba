package org.wireingest.text;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Canonical form of a story link, so that one story reached through differently decorated links has
 * one URL (DESIGN.md, "Canonical URL"). Pure and thread-safe.
 *
 * <p>Rules, applied to an absolute {@code http} or {@code https} URL:
 *
 * <ul>
 *   <li>scheme and host lower-cased ({@link Locale#ROOT}); an internationalised host is converted
 *       to its ASCII (punycode) form, RFC 3490;
 *   <li>the default port ({@code :80} for http, {@code :443} for https) and an empty port removed;
 *   <li>the fragment removed;
 *   <li>tracking and session query parameters removed (see {@link #isTrackingParameter(String)});
 *       the other parameters are kept as written and in order; empty parameters ({@code &&}) and an
 *       empty query ({@code ?}) are dropped;
 *   <li>the path is kept as written (no dot-segment removal, no trailing-slash change), except that
 *       an empty path becomes {@code /} (RFC 3986 §6.2.3) and session ids ({@code ;jsessionid=...},
 *       {@code ;phpsessid=...}, {@code ;sessionid=...}, ASP.NET's {@code /(S(...))}) are removed;
 *   <li>percent-encoding normalised in user info, path and query (RFC 3986 §6.2.2): hex digits
 *       upper-cased, escaped unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) decoded, a stray
 *       {@code %} escaped as {@code %25}; raw characters a URI may not contain (non-ASCII as in an
 *       IRI, RFC 3987 §3.1, space, {@code "<>[\]^`{|}}) are UTF-8 percent-encoded; tab, CR and LF
 *       are removed, as WHATWG URL parsing does.
 * </ul>
 *
 * <p>Anything else (blank, relative, another scheme, no host, a bad port, an invalid host, other
 * control characters) has no canonical form and gives {@link Optional#empty()}.
 */
public final class UrlCanonicalizer {

  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  /**
   * A servlet session id in the path, {@code ;jsessionid=...} (any case) to the end of its segment:
   * URL rewriting puts a new one in every link of a page served without a cookie, so a story's link
   * changed at every fetch.
   */
  private static final Pattern SESSION_PATH_PARAMETER =
      Pattern.compile(";(?:jsessionid|phpsessid|sessionid)=[^/;]*", Pattern.CASE_INSENSITIVE);

  /**
   * An ASP.NET cookieless session segment, {@code /(S(...))} or {@code /(X(1)S(...))}, before the
   * rest of the path: a new one in every link of a page served without a cookie.
   */
  private static final Pattern SESSION_PATH_SEGMENT =
      Pattern.compile("/\\((?:[A-Za-z]\\([A-Za-z0-9_-]*\\))+\\)(?=/|$)");

  /** Tracking and session parameters removed by exact (case-insensitive) name. */
  private static final Set<String> TRACKING_NAMES =
      Set.of(
          "fbclid",
          "gclid",
          "dclid",
          "msclkid",
          "mc_cid",
          "mc_eid",
          "traffic_source",
          "maca",
          "cmpid",
          "ito",
          "xtor",
          "_ga",
          "igshid",
          "ref_src",
          // session ids a server writes into its links (a new one per visit or fetch): Java
          // servlets, PHP, generic, ColdFusion
          "jsessionid",
          "phpsessid",
          "sessionid",
          "session_id",
          "cfid",
          "cftoken",
          "oscsid",
          // jQuery's cache-buster (cache: false), a timestamp per request
          "_");

  /**
   * Tracking parameters removed by (case-insensitive) name prefix: Google Analytics {@code utm_*},
   * BBC / AT Internet {@code at_*} (e.g. {@code at_medium}, {@code at_campaign}), comScore {@code
   * ns_*}.
   */
  private static final List<String> TRACKING_PREFIXES = List.of("utm_", "at_", "ns_");

  /**
   * Tracking parameters added to the rules after stories had been published with them in their
   * links, one set per change of the rules, oldest first. A canonical link is an identity ({@code
   * link} and {@code guid+link} bases, URL GUIDs), so each addition changes the identity of every
   * story whose link carries the parameter; {@link #earlierCanonicalForms} gives the forms under
   * the rules before each addition, which the identity resolver accepts for stories a feed
   * published under them. Add a parameter as a new set (a new change of rules), not to an existing
   * one: an existing set is the difference between two rule sets that were both in use.
   */
  private static final List<Set<String>> LATER_TRACKING_NAMES =
      List.of(
          // 2026-12: Reuters' feedName, the section feed (topNews, worldNews, ...) in every link
          // and GUID of its feeds; heise's Webtrends campaign wt_mc, which names the feed too
          // (rss.red.ho.ho.atom.beitrag... in heise online, rss.developer.beitrag.atom in heise
          // Developer); the New York Times' e-mail / RSS campaign emc (emc=rss).
          Set.of("feedname", "wt_mc", "emc"));

  /** The rules in use: every set of {@link #LATER_TRACKING_NAMES} applies. */
  private static final int CURRENT_RULES = LATER_TRACKING_NAMES.size();

  private static final String PATH_EXTRA = PercentEncoding.SUB_DELIMS + ":@/";
  private static final String QUERY_EXTRA = PATH_EXTRA + "?";
  private static final String USERINFO_EXTRA = PercentEncoding.SUB_DELIMS + ":";
  // The ASCII characters each component keeps raw (unreserved plus its punctuation), as lookup
  // tables: asking String.indexOf for every character was a visible share of canonicalize.
  private static final boolean[] PATH_RAW = PercentEncoding.rawCharacters(PATH_EXTRA);
  private static final boolean[] QUERY_RAW = PercentEncoding.rawCharacters(QUERY_EXTRA);
  private static final boolean[] USERINFO_RAW = PercentEncoding.rawCharacters(USERINFO_EXTRA);

  private UrlCanonicalizer() {}

  /**
   * Canonicalises a story link.
   *
   * @param url an absolute http(s) URL or IRI, as found in a feed; may be null
   * @return the canonical URL (ASCII only), or empty when {@code url} is null, blank or not a valid
   *     absolute http(s) URL
   */
  public static Optional<String> canonicalize(String url) {
    return canonicalize(url, CURRENT_RULES);
  }

  /**
   * The canonical forms a link had under the rules before each addition of tracking parameters (the
   * parameters added since kept as written, the other rules as now), newest first, each different
   * from {@link #canonicalize(String)} and from the others: what a story with this link may have
   * been identified by when it was published. Empty when the link has no canonical form, or none of
   * the parameters added since is in it (the usual case: its canonical form never changed).
   *
   * @param url an absolute http(s) URL or IRI, as found in a feed; may be null
   * @return the earlier canonical forms, newest first; never null
   */
  public static List<String> earlierCanonicalForms(String url) {
    return earlierForms(url, UrlCanonicalizer::canonicalize);
  }

  /**
   * As {@link #earlierCanonicalForms}, for a URL that serves as an identifier ({@link
   * #canonicalizeIdentifier}: the fragment kept).
   *
   * @param url an identifier as found in a feed; may be null
   * @return the earlier canonical forms, newest first; never null
   */
  public static List<String> earlierIdentifierForms(String url) {
    return earlierForms(url, UrlCanonicalizer::canonicalizeIdentifier);
  }

  /** A canonicalisation under the rules numbered as {@link #CURRENT_RULES} counts them. */
  private interface Rules {
    Optional<String> apply(String url, int rules);
  }

  private static List<String> earlierForms(String url, Rules canonicalization) {
    if (url == null || url.indexOf('?') < 0 || CURRENT_RULES == 0) {
      return List.of();
    }
    Optional<String> current = canonicalization.apply(url, CURRENT_RULES);
    if (current.isEmpty()) {
      return List.of();
    }
    List<String> forms = new ArrayList<>(CURRENT_RULES);
    for (int rules = CURRENT_RULES - 1; rules >= 0; rules--) {
      // Earlier rules only keep more parameters, so they fail where the current ones do.
      canonicalization
          .apply(url, rules)
          .filter(form -> !form.equals(current.get()) && !forms.contains(form))
          .ifPresent(forms::add);
    }
    return List.copyOf(forms);
  }

  /**
   * @param rules how many sets of {@link #LATER_TRACKING_NAMES} apply, from the oldest
   */
  private static Optional<String> canonicalize(String url, int rules) {
    if (url == null) {
      return Optional.empty();
    }
    String input = stripTabsAndNewlines(url).strip();
    if (input.isEmpty() || hasControlCharacter(input)) {
      return Optional.empty();
    }
    // RFC 3986 Appendix B split, by hand (its regular expression was a visible share of the time):
    // scheme up to the first ':' before any '/', '?' or '#'; then "//" and the authority up to the
    // next '/', '?' or '#'; the path up to '?' or '#'; the query up to '#'; the fragment is
    // dropped.
    int schemeEnd = PercentEncoding.indexOfAny(input, 0, ":/?#");
    if (schemeEnd <= 0
        || schemeEnd == input.length()
        || input.charAt(schemeEnd) != ':'
        || !input.startsWith("//", schemeEnd + 1)) {
      return Optional.empty();
    }
    String scheme = input.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.empty();
    }
    int authorityStart = schemeEnd + 3;
    int authorityEnd = PercentEncoding.indexOfAny(input, authorityStart, "/?#");
    int pathEnd = PercentEncoding.indexOfAny(input, authorityEnd, "?#");
    int queryEnd =
        pathEnd < input.length() && input.charAt(pathEnd) == '?'
            ? PercentEncoding.indexOfAny(input, pathEnd + 1, "#")
            : -1;
    String rawQuery = queryEnd < 0 ? null : input.substring(pathEnd + 1, queryEnd);
    Optional<String> authority =
        canonicalAuthority(scheme, input.substring(authorityStart, authorityEnd));
    if (authority.isEmpty()) {
      return Optional.empty();
    }
    String path = normalizeEncoding(input.substring(authorityEnd, pathEnd), PATH_RAW);
    if (path != null && path.indexOf(';') >= 0) {
      path = SESSION_PATH_PARAMETER.matcher(path).replaceAll("");
    }
    if (path != null && path.indexOf('(') >= 0) {
      path = SESSION_PATH_SEGMENT.matcher(path).replaceAll("");
    }
    String query = rawQuery == null ? null : canonicalQuery(rawQuery, rules);
    if (path == null || (rawQuery != null && query == null)) {
      return Optional.empty();
    }
    // One concatenation: the URL is copied once, where a StringBuilder copied it twice.
    String canonical =
        query != null && !query.isEmpty()
            ? scheme + "://" + authority.get() + (path.isEmpty() ? "/" : path) + '?' + query
            : scheme + "://" + authority.get() + (path.isEmpty() ? "/" : path);
    // Path and query are written only with characters java.net.URI accepts there, so an authority
    // that is a plain host name (and port) needs no second parse: URI's was a third of the time.
    return isPlainServer(authority.get()) ? Optional.of(canonical) : validated(canonical);
  }

  /**
   * Canonicalises a URL that serves as an identifier (an http(s) GUID or Atom id) rather than as a
   * link: as {@link #canonicalize(String)}, but the fragment, when there is one, is kept as written
   * after the first {@code #}. A fragment can tell identifiers apart that share a page (BBC's
   * {@code ...#1} and {@code ...#8} promos of one story, {@code https://example.org/#<hash>} GUIDs
   * under one home page), so it is not fetch noise there; tracking parameters such as DW's {@code
   * maca}, which names the section feed, are.
   *
   * @param url an identifier as found in a feed; may be null
   * @return the canonical identifier, or empty when the part before the fragment has no canonical
   *     form ({@link #canonicalize(String)})
   */
  public static Optional<String> canonicalizeIdentifier(String url) {
    return canonicalizeIdentifier(url, CURRENT_RULES);
  }

  private static Optional<String> canonicalizeIdentifier(String url, int rules) {
    if (url == null) {
      return Optional.empty();
    }
    int hash = url.indexOf('#');
    if (hash < 0) {
      return canonicalize(url, rules);
    }
    return canonicalize(url.substring(0, hash), rules)
        .map(canonical -> canonical + url.substring(hash));
  }

  /**
   * Whether a query parameter is a known tracking parameter that {@link #canonicalize(String)}
   * removes: {@code utm_*}, {@code at_*} (BBC), {@code ns_*} (comScore), {@code fbclid}, {@code
   * gclid}, {@code dclid}, {@code msclkid}, {@code mc_cid}, {@code mc_eid}, {@code traffic_source}
   * (Al Jazeera), {@code maca} (DW), {@code cmpid}, {@code ito}, {@code xtor}, {@code _ga}, {@code
   * igshid}, {@code ref_src}, since 2026-12 {@code feedName} (Reuters), {@code wt_mc} (heise),
   * {@code emc} (New York Times), and the session ids {@code jsessionid}, {@code phpsessid}, {@code
   * sessionid}, {@code session_id}, {@code cfid}, {@code cftoken}, {@code oscsid}, and jQuery's
   * cache-buster {@code _}. Case-insensitive. Not {@code sid}: PHP-Nuke and others name a story by
   * it; not {@code mod} (a PHP CMS's module, {@code index.php?mod=news&id=5}), {@code ref} (a git
   * ref, a document's reference number) nor {@code partner} (a partner's page), which some sites
   * use as tracking ({@code ?mod=fox_australian}, {@code ?ref=rss}, {@code ?partner=rss}) and
   * others to name what the page shows.
   *
   * @param name the parameter name as written (percent-encoded or not); never null
   * @return true when the parameter is removed
   */
  public static boolean isTrackingParameter(String name) {
    return isTrackingParameter(name, CURRENT_RULES);
  }

  /**
   * @param rules how many sets of {@link #LATER_TRACKING_NAMES} apply, from the oldest
   */
  private static boolean isTrackingParameter(String name, int rules) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (TRACKING_NAMES.contains(lower)) {
      return true;
    }
    for (int i = 0; i < rules; i++) {
      if (LATER_TRACKING_NAMES.get(i).contains(lower)) {
        return true;
      }
    }
    for (String prefix : TRACKING_PREFIXES) {
      if (lower.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<String> canonicalAuthority(String scheme, String authority) {
    int at = authority.lastIndexOf('@');
    String userInfo = at < 0 ? null : normalizeEncoding(authority.substring(0, at), USERINFO_RAW);
    if (at >= 0 && userInfo == null) {
      return Optional.empty();
    }
    String hostPort = authority.substring(at + 1);
    int portSeparator = portSeparator(hostPort);
    String host = portSeparator < 0 ? hostPort : hostPort.substring(0, portSeparator);
    String port = portSeparator < 0 ? "" : hostPort.substring(portSeparator + 1);
    if (host.isEmpty() || (!port.isEmpty() && !PORT.matcher(port).matches())) {
      return Optional.empty();
    }
    Optional<String> asciiHost =
        asciiHost(host.toLowerCase(Locale.ROOT)).map(ascii -> ascii.toLowerCase(Locale.ROOT));
    if (asciiHost.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    if (userInfo != null) {
      out.append(userInfo).append('@');
    }
    out.append(asciiHost.get());
    if (!port.isEmpty()) {
      int number = Integer.parseInt(port);
      if (number > 65535) {
        return Optional.empty();
      }
      boolean isDefault =
          (scheme.equals("http") && number == 80) || (scheme.equals("https") && number == 443);
      if (!isDefault) {
        out.append(':').append(number);
      }
    }
    return Optional.of(out.toString());
  }

  /**
   * The index of the {@code :} before the port in {@code host[:port]} (RFC 3986 section 3.2), the
   * colons of an IP literal ({@code [2001:db8::1]}) not counted.
   *
   * @param hostPort an authority without its user information; never null
   * @return the index, or -1 when there is no port separator
   */
  static int portSeparator(String hostPort) {
    int separator = hostPort.lastIndexOf(':');
    if (separator >= 0 && hostPort.startsWith("[") && separator < hostPort.indexOf(']')) {
      return -1; // the colon belongs to an IPv6 literal
    }
    return separator;
  }

  /**
   * A host in its ASCII form: an internationalised host name converted to punycode by IDNA ToASCII
   * (RFC 3490, {@link IDN#toASCII(String)}, which also case-folds its non-ASCII labels); an ASCII
   * host as it is. Letter case is otherwise kept.
   *
   * @param host a host as written in a URL; never null
   * @return the ASCII host, or empty when IDNA refuses it (a label over 63 characters, ...)
   */
  static Optional<String> asciiHost(String host) {
    if (isAscii(host)) {
      return Optional.of(host);
    }
    try {
      return Optional.of(IDN.toASCII(host));
    } catch (IllegalArgumentException notAnIdn) {
      return Optional.empty();
    }
  }

  /**
   * @return the query without tracking and empty parameters, or null when it cannot be encoded
   */
  private static String canonicalQuery(String query, int rules) {
    List<String> kept = new ArrayList<>();
    for (String parameter : query.split("&", -1)) {
      if (parameter.isEmpty()) {
        continue;
      }
      int equals = parameter.indexOf('=');
      String name = equals < 0 ? parameter : parameter.substring(0, equals);
      String normalized = normalizeEncoding(parameter, QUERY_RAW);
      if (normalized == null) {
        return null;
      }
      String normalizedName = normalizeEncoding(name, QUERY_RAW);
      if (!isTrackingParameter(normalizedName, rules)) {
        kept.add(normalized);
      }
    }
    return String.join("&", kept);
  }

  /**
   * Normalises the percent-encoding of one component (RFC 3986 sections 6.2.2.1 and 6.2.2.2; {@link
   * PercentEncoding#escaped}).
   *
   * @param raw the ASCII characters the component holds raw ({@link PercentEncoding#rawCharacters})
   * @return the normalised component, or null when it holds an unpaired surrogate
   */
  private static String normalizeEncoding(String component, boolean[] raw) {
    return PercentEncoding.escaped(component, raw, true);
  }

  /**
   * Whether a canonical authority is {@code host} or {@code host:port} with a host name of
   * lower-case letters, digits and hyphens (RFC 1123 labels: no empty label, no hyphen at either
   * end) whose last label starts with a letter, which {@link URI#parseServerAuthority()} always
   * accepts as a host name (and never as an IPv4 address). Anything else is left to URI.
   */
  static boolean isPlainServer(String authority) {
    int colon = authority.indexOf(':');
    int hostEnd = colon < 0 ? authority.length() : colon;
    for (int i = colon + 1; colon >= 0 && i < authority.length(); i++) {
      if (authority.charAt(i) < '0' || authority.charAt(i) > '9') {
        return false;
      }
    }
    if (colon == authority.length() - 1) {
      return false;
    }
    int labelStart = 0;
    for (int i = 0; i < hostEnd; i++) {
      char c = authority.charAt(i);
      if (c == '.') {
        if (i == labelStart
            || authority.charAt(labelStart) == '-'
            || authority.charAt(i - 1) == '-') {
          return false;
        }
        labelStart = i + 1;
      } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return labelStart < hostEnd
        && authority.charAt(labelStart) >= 'a'
        && authority.charAt(labelStart) <= 'z'
        && authority.charAt(hostEnd - 1) != '-';
  }

  private static Optional<String> validated(String candidate) {
    try {
      URI uri = new URI(candidate).parseServerAuthority();
      return uri.getHost() == null ? Optional.empty() : Optional.of(candidate);
    } catch (URISyntaxException invalid) {
      return Optional.empty();
    }
  }

  private static String stripTabsAndNewlines(String s) {
    return s.replace("\t", "").replace("\n", "").replace("\r", "");
  }

  private static boolean hasControlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7F) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
