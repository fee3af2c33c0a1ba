package org.wireingest.text;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Percent-encoding of URI references (RFC 3986 section 2.1): the characters a URI may not hold as
 * written become {@code %XX} of their UTF-8 bytes, upper-case hex. One encoding loop for the URL
 * canonicaliser ({@link UrlCanonicalizer}, which also normalises the escapes already there) and for
 * URLs that must stay as their publisher wrote them ({@link #escapeRefused}). Pure and thread-safe.
 */
public final class PercentEncoding {

  private static final String UNRESERVED_PUNCTUATION = "-._~";

  /** The sub-delimiters of RFC 3986 section 2.2. */
  static final String SUB_DELIMS = "!$&'()*+,;=";

  /**
   * What a path, a query and a fragment hold raw (RFC 3986 sections 3.3 to 3.5: {@code pchar}, and
   * {@code /} and {@code ?}), the {@code ?} that starts a query among them.
   */
  private static final boolean[] PATH_QUERY_FRAGMENT_RAW = rawCharacters(SUB_DELIMS + ":@/?");

  /**
   * What an authority holds raw: user information, {@code @}, host (with the brackets of an IP
   * literal) and {@code :} port (RFC 3986 section 3.2).
   */
  private static final boolean[] AUTHORITY_RAW = rawCharacters(SUB_DELIMS + ":@[]");

  private static final boolean[] UNRESERVED_RAW = rawCharacters("");
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PercentEncoding() {}

  /**
   * A URI reference with what RFC 3986 refuses in it percent-encoded (UTF-8, upper-case hex), every
   * other character as written: a space, {@code "}, {@code <}, {@code >}, {@code \}, {@code ^},
   * {@code `}, <code>{</code>, {@code |}, <code>}</code>, control characters and non-ASCII
   * characters (an IRI's, RFC 3987 section 3.1), a {@code %} not followed by two hex digits, a
   * {@code [} or {@code ]} outside the authority and a {@code #} after the first. Escapes already
   * there are kept as written (not decoded, their hex digits not upper-cased), and so are the
   * scheme, the query parameters (tracking ones too) and the fragment: the result names the same
   * resource for a server that decodes what it is sent. An internationalised host name is not
   * percent-encoded but converted to its ASCII (punycode) form by IDNA ToASCII (RFC 3490), as the
   * canonicaliser converts it and as a client resolves it: {@code https://bücher.example/çay.jpg}
   * gives {@code https://xn--bcher-kva.example/%C3%A7ay.jpg}.
   *
   * <p>The reference is split as RFC 3986 section 3 (appendix B) splits it: an authority follows
   * {@code //} at the start or after a scheme ({@code ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )}
   * and {@code :}). Nothing is removed or checked beyond that: the result may still be no valid URI
   * (a bad port, a host name with a character no host name may hold).
   *
   * @param reference a URI reference as found in a feed, absolute or relative; never null
   * @return the reference, the same string when nothing needed escaping; empty when it holds an
   *     unpaired surrogate, which has no UTF-8 form, or when IDNA refuses its host (a label over 63
   *     characters, ...)
   */
  public static Optional<String> escapeRefused(String reference) {
    int schemeEnd = schemeEnd(reference);
    int authorityStart = reference.startsWith("//", schemeEnd + 1) ? schemeEnd + 3 : -1;
    int restStart;
    StringBuilder out = new StringBuilder(reference.length() + 16);
    if (authorityStart < 0) {
      restStart = schemeEnd + 1;
      out.append(reference, 0, restStart);
    } else {
      restStart = indexOfAny(reference, authorityStart, "/?#");
      Optional<String> authority =
          asciiHost(reference.substring(authorityStart, restStart))
              .map(ascii -> escaped(ascii, AUTHORITY_RAW, false));
      if (authority.isEmpty()) {
        return Optional.empty();
      }
      out.append(reference, 0, authorityStart).append(authority.get());
    }
    int hash = reference.indexOf('#', restStart);
    int pathAndQueryEnd = hash < 0 ? reference.length() : hash;
    String pathAndQuery =
        escaped(reference.substring(restStart, pathAndQueryEnd), PATH_QUERY_FRAGMENT_RAW, false);
    String fragment =
        hash < 0 ? "" : escaped(reference.substring(hash + 1), PATH_QUERY_FRAGMENT_RAW, false);
    if (pathAndQuery == null || fragment == null) {
      return Optional.empty();
    }
    out.append(pathAndQuery);
    if (hash >= 0) {
      out.append('#').append(fragment);
    }
    String escaped = out.toString();
    return Optional.of(escaped.equals(reference) ? reference : escaped);
  }

  /**
   * @param authority an authority as written
   * @return the authority with its host in ASCII ({@link UrlCanonicalizer#asciiHost}); empty when
   *     IDNA refuses the host
   */
  private static Optional<String> asciiHost(String authority) {
    int hostStart = authority.lastIndexOf('@') + 1;
    String hostPort = authority.substring(hostStart);
    int portSeparator = UrlCanonicalizer.portSeparator(hostPort);
    int hostEnd = portSeparator < 0 ? authority.length() : hostStart + portSeparator;
    return UrlCanonicalizer.asciiHost(authority.substring(hostStart, hostEnd))
        .map(host -> authority.substring(0, hostStart) + host + authority.substring(hostEnd));
  }

  /**
   * One component with what it may not hold raw percent-encoded: each character outside {@code
   * raw}, and each {@code %} not followed by two hex digits, becomes {@code %XX} of its UTF-8
   * bytes, upper-case hex. An escape already there ({@code %} and two hex digits) is kept as
   * written or, with {@code normalizeEscapes}, normalised as RFC 3986 sections 6.2.2.1 and 6.2.2.2
   * say: an escaped unreserved character ({@code A-Z a-z 0-9 - . _ ~}) decoded, the hex digits of
   * the others upper-cased.
   *
   * @param component the component, without its delimiters; never null
   * @param raw the ASCII characters the component holds raw ({@link #rawCharacters})
   * @param normalizeEscapes whether escapes already there are normalised
   * @return the encoded component, {@code component} itself when nothing changes; null when it
   *     holds an unpaired surrogate
   */
  static String escaped(String component, boolean[] raw, boolean normalizeEscapes) {
    if (isRaw(component, raw)) {
      return component;
    }
    StringBuilder out = new StringBuilder(component.length() + 16);
    int i = 0;
    while (i < component.length()) {
      char c = component.charAt(i);
      if (c == '%'
          && i + 2 < component.length()
          && isHex(component.charAt(i + 1))
          && isHex(component.charAt(i + 2))) {
        if (normalizeEscapes) {
          int value =
              Character.digit(component.charAt(i + 1), 16) * 16
                  + Character.digit(component.charAt(i + 2), 16);
          if (isUnreserved((char) value)) {
            out.append((char) value);
          } else {
            appendEscaped(out, value);
          }
        } else {
          out.append(component, i, i + 3);
        }
        i += 3;
      } else if (c < 0x80 && raw[c]) {
        out.append(c);
        i++;
      } else {
        int codePoint = component.codePointAt(i);
        if (Character.isSurrogate((char) codePoint)) {
          return null;
        }
        for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
          appendEscaped(out, b & 0xFF);
        }
        i += Character.charCount(codePoint);
      }
    }
    return out.toString();
  }

  /**
   * @return true when the component holds only characters of {@code raw} (so no {@code %})
   */
  private static boolean isRaw(String component, boolean[] raw) {
    for (int i = 0; i < component.length(); i++) {
      char c = component.charAt(i);
      if (c >= 0x80 || !raw[c]) {
        return false;
      }
    }
    return true;
  }

  /**
   * @return a table of the 128 ASCII characters: true for the unreserved ones (RFC 3986 section
   *     2.3) and {@code punctuation}
   */
  static boolean[] rawCharacters(String punctuation) {
    boolean[] raw = new boolean[0x80];
    for (char c = 0; c < 0x80; c++) {
      raw[c] =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || UNRESERVED_PUNCTUATION.indexOf(c) >= 0
              || punctuation.indexOf(c) >= 0;
    }
    return raw;
  }

  /**
   * @return the index of the {@code :} that ends the reference's scheme (RFC 3986 section 3.1), -1
   *     when it has none
   */
  private static int schemeEnd(String reference) {
    for (int i = 0; i < reference.length(); i++) {
      char c = reference.charAt(i);
      if (c == ':') {
        return i > 0 ? i : -1;
      }
      boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * @return the index of the first of {@code chars} in {@code s} at or after {@code from}; {@code
   *     s.length()} when none
   */
  static int indexOfAny(String s, int from, String chars) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }

  private static void appendEscaped(StringBuilder out, int octet) {
    out.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0x0F]);
  }

  private static boolean isUnreserved(char c) {
    return c < 0x80 && UNRESERVED_RAW[c];
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0 && c < 0x80;
  }
}
