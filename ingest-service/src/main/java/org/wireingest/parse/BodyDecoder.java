package org.wireingest.parse;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wireingest.text.StrictDecoding;

/**
 * Turns feed bytes into text, one path for every body.
 *
 * <p>First the bytes' own evidence (XML 1.0 appendix F): a byte order mark (UTF-8, UTF-16BE/LE,
 * UTF-32BE/LE) fixes the charset; without one, the width and byte order {@code <?xml} is written in
 * fixes it for UTF-16 and UTF-32, and otherwise says it is one byte per ASCII character (or
 * EBCDIC). Then the labels, in the order of RFC 7303 section 3.2 for {@code application/*+xml}: the
 * Content-Type {@code charset} parameter, then the XML declaration (XML 1.0 section 4.3.3, read in
 * the charset the first bytes show), else the first bytes' charset (UTF-8 for ASCII bytes). A label
 * the bytes contradict is not used: a byte order mark is trusted, never second-guessed, so the BOM
 * wins over any label; {@code encoding="utf-16"} on {@code <?xml} written one byte per character
 * (the .NET {@code StringWriter} slip) is not UTF-16; then the next label that fits is used, else
 * the first bytes' charset, with a {@code charset-mismatch} warning naming the label. An unknown
 * charset name is skipped the same way.
 *
 * <p>Bytes without a byte order mark or UTF-16/UTF-32 pattern are then checked against that
 * charset. A charset that does not decode cleanly while UTF-8 does, or a single-byte charset for
 * bytes that are valid multi-byte UTF-8, or UTF-8 for bytes that only windows-1252 decodes: the
 * charset that decodes cleanly is used and a {@code charset-mismatch} warning is added. ISO-8859-1
 * for bytes in 0x80-0x9F (its C1 controls, where windows-1252 has curly quotes, dashes and the euro
 * sign), and US-ASCII for bytes above 0x7F that are not UTF-8, are read as windows-1252 as browsers
 * do (WHATWG Encoding Standard: both labels are windows-1252, whose five undefined bytes are the C1
 * controls of the same value), with the same warning. So is ISO-8859-15 (latin-9) for such bytes,
 * which browsers would show as C1 controls (WHATWG keeps its own table): no feed means one, and a
 * windows-1252 encoder wrote them, so the whole body is read as windows-1252, where 0xA4, 0xA6,
 * 0xA8, 0xB4, 0xB8 and 0xBC-0xBE are ¤ ¦ ¨ ´ ¸ ¼ ½ ¾ rather than latin-9's € Š š Ž ž Œ œ Ÿ; without
 * such bytes the label stands. Likewise ISO-8859-9 (latin-5, Turkish) for such bytes is read as
 * windows-1254, which is ISO-8859-9 with curly quotes, dashes and the euro sign at 0x80-0x9F
 * (WHATWG: the label iso-8859-9 is windows-1254). Windows-1252 and windows-1254, as a label or as
 * the fallback for bytes that are not UTF-8, are always the WHATWG tables, which have a character
 * for every byte (the JDK's fail on the few bytes they leave undefined, and one of them turned the
 * whole fallback off). Bytes that nothing decodes cleanly are decoded with replacement characters
 * and an {@code invalid-bytes} warning.
 */
final class BodyDecoder {

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  private static final Charset WINDOWS_1254 = Charset.forName("windows-1254");

  /**
   * The WHATWG tables of the Windows code pages read here: byte value to character, the JDK's
   * except that a byte it leaves undefined is the C1 control of the same value.
   */
  private static final Map<Charset, char[]> WEB_TABLES =
      Map.of(WINDOWS_1252, webTable(WINDOWS_1252), WINDOWS_1254, webTable(WINDOWS_1254));

  /**
   * Labels whose 0x80-0x9F are C1 controls, to the Windows code page that has characters there and
   * shares (ISO-8859-1, ISO-8859-9) or mostly shares (ISO-8859-15) their other bytes: a body with
   * bytes there that the code page defines was written in it.
   */
  private static final Map<Charset, Charset> C1_LATIN =
      Map.of(
          StandardCharsets.ISO_8859_1,
          WINDOWS_1252,
          Charset.forName("ISO-8859-15"),
          WINDOWS_1252,
          Charset.forName("ISO-8859-9"),
          WINDOWS_1254);

  private static final Pattern CONTENT_TYPE_CHARSET =
      Pattern.compile(";\\s*charset\\s*=\\s*\"?([^\";\\s]+)", Pattern.CASE_INSENSITIVE);

  /** Decoded text (BOM removed) and the charset actually used. */
  record Decoded(String text, Charset charset) {}

  private BodyDecoder() {}

  static Decoded decode(byte[] body, String contentType, Warnings warnings) {
    FirstBytes first = FirstBytes.of(body);
    Charset charset = labelledCharset(body, contentType, first, warnings);
    Optional<String> strict = decodeStrictly(body, charset);
    if (strict.isPresent()) {
      if (!first.exact() && !isUnicode(charset) && hasHighBytes(body)) {
        Optional<String> utf8 = decodeStrictly(body, StandardCharsets.UTF_8);
        if (utf8.isPresent()) {
          return mismatch(utf8.get(), charset, StandardCharsets.UTF_8, warnings);
        }
      }
      Charset windows = C1_LATIN.get(charset);
      if (windows != null && hasWindowsOnlyBytes(body, WEB_TABLES.get(windows))) {
        // ISO-8859-1, -15 and -9 have only C1 control characters at 0x80-0x9F, which no feed
        // means; there windows-1252 and windows-1254 have the curly quotes, dashes and euro sign a
        // CMS writes (WHATWG Encoding Standard: the labels iso-8859-1 and iso-8859-9 are
        // windows-1252 and windows-1254). Such bytes say a Windows encoder wrote the body, so
        // under ISO-8859-15 its 0xA4 is read as the ¤ it wrote there, not the € of ISO-8859-15
        // (which that encoder writes at 0x80).
        return mismatch(webDecode(body, windows), charset, windows, warnings);
      }
      return new Decoded(withoutBom(strict.get()), charset);
    }
    Charset fallback =
        charset.equals(StandardCharsets.UTF_8) ? WINDOWS_1252 : StandardCharsets.UTF_8;
    Optional<String> alternative =
        first.exact() || fallback.equals(WINDOWS_1252) && mostlyUtf8(body)
            ? Optional.empty()
            : decodeStrictly(body, fallback);
    if (alternative.isPresent()) {
      return mismatch(alternative.get(), charset, fallback, warnings);
    }
    if (charset.equals(StandardCharsets.US_ASCII) && !first.exact()) {
      // bytes above 0x7F under a US-ASCII label, and not UTF-8: windows-1252, as browsers read
      // them (WHATWG Encoding Standard: the label us-ascii is windows-1252)
      return mismatch(windows1252(body), charset, WINDOWS_1252, warnings);
    }
    warnings.add(
        "invalid-bytes", "bytes are not valid " + charset.name() + "; invalid sequences replaced");
    return new Decoded(withoutBom(new String(body, charset)), charset);
  }

  private static Decoded mismatch(String text, Charset declared, Charset used, Warnings warnings) {
    warnings.add(
        "charset-mismatch", "declared " + declared.name() + " but bytes are " + used.name());
    return new Decoded(withoutBom(text), used);
  }

  /**
   * The charset of the first label (Content-Type charset, then XML declaration) that names a known
   * charset the first bytes allow, else the first bytes' own. When the label that takes precedence
   * is passed over (unknown, or contradicted by the bytes), a {@code charset-mismatch} warning
   * names it.
   */
  private static Charset labelledCharset(
      byte[] body, String contentType, FirstBytes first, Warnings warnings) {
    String passedOver = null;
    Charset charset = first.charset();
    for (Optional<String> label :
        List.of(contentTypeCharset(contentType), first.declaredEncoding(body))) {
      if (label.isEmpty()) {
        continue;
      }
      Optional<Charset> named = charsetNamed(label.get());
      Optional<Charset> fitting = named.flatMap(first::fitting);
      if (fitting.isPresent()) {
        charset = fitting.get();
        break;
      }
      if (passedOver == null) {
        passedOver =
            named.isPresent()
                ? "declared " + named.get().name() + " but bytes are "
                : "unknown charset '" + label.get() + "', read as ";
      }
    }
    if (passedOver != null) {
      warnings.add("charset-mismatch", passedOver + charset.name());
    }
    return charset;
  }

  static Optional<String> contentTypeCharset(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    Matcher m = CONTENT_TYPE_CHARSET.matcher(contentType);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static Optional<Charset> charsetNamed(String name) {
    try {
      return Optional.of(Charset.forName(name.strip()));
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return Optional.empty();
    }
  }

  /**
   * The body in {@code charset}, empty when it has malformed or unmappable bytes; windows-1252 and
   * windows-1254 are the WHATWG ones ({@link #WEB_TABLES}), which have a character for every byte
   * and never fail.
   */
  private static Optional<String> decodeStrictly(byte[] body, Charset charset) {
    return WEB_TABLES.containsKey(charset)
        ? Optional.of(webDecode(body, charset))
        : StrictDecoding.decode(body, charset);
  }

  private static boolean isUnicode(Charset charset) {
    return charset.name().toUpperCase(Locale.ROOT).startsWith("UTF");
  }

  private static boolean hasHighBytes(byte[] body) {
    for (byte b : body) {
      if (b < 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether bytes that are not valid UTF-8 are still UTF-8 with a few bad bytes rather than another
   * charset: more of their non-ASCII characters decode as UTF-8 than fail to. Windows-1252 has a
   * character for every byte, so as the fallback it would read such a body whole, and every Arabic,
   * Turkish or Cyrillic letter of it as two or three Latin ones; it is read as UTF-8 with
   * replacement characters instead. Windows-1252 text rarely forms a UTF-8 sequence: its accented
   * letters and quotes stand alone between ASCII.
   */
  private static boolean mostlyUtf8(byte[] body) {
    String lenient = new String(body, StandardCharsets.UTF_8);
    long valid = 0;
    long invalid = 0;
    for (int i = 0; i < lenient.length(); i++) {
      char c = lenient.charAt(i);
      if (c == '\uFFFD') {
        invalid++;
      } else if (c > 0x7F && !Character.isLowSurrogate(c)) {
        valid++;
      }
    }
    return valid > invalid;
  }

  /**
   * Whether any byte is one of 0x80-0x9F that the Windows code page of {@code table} gives a
   * character (windows-1252: all but 0x81, 0x8D, 0x8F, 0x90 and 0x9D), where its ISO-8859 label has
   * a C1 control.
   */
  private static boolean hasWindowsOnlyBytes(byte[] body, char[] table) {
    for (byte b : body) {
      int unsigned = b & 0xff;
      if (unsigned >= 0x80 && unsigned <= 0x9f && table[unsigned] != unsigned) {
        return true;
      }
    }
    return false;
  }

  /**
   * The bytes decoded as the WHATWG Encoding Standard's windows-1252, which browsers use for the
   * labels windows-1252, iso-8859-1 and us-ascii: the JDK's windows-1252, except that the five
   * bytes it leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are the C1 controls of the same value
   * instead of failing the whole decode. Never fails: every byte is a character.
   */
  static String windows1252(byte[] body) {
    return webDecode(body, WINDOWS_1252);
  }

  /** The bytes decoded with the {@link #WEB_TABLES} table of {@code windows}; never fails. */
  private static String webDecode(byte[] body, Charset windows) {
    char[] table = WEB_TABLES.get(windows);
    char[] text = new char[body.length];
    for (int i = 0; i < body.length; i++) {
      text[i] = table[body[i] & 0xff];
    }
    return new String(text);
  }

  /** The WHATWG table of a single-byte Windows code page, built from the JDK's. */
  private static char[] webTable(Charset windows) {
    char[] table = new char[256];
    for (int b = 0; b < 256; b++) {
      table[b] =
          StrictDecoding.decode(new byte[] {(byte) b}, windows)
              .map(t -> t.charAt(0))
              .orElse((char) b);
    }
    return table;
  }

  private static String withoutBom(String text) {
    return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
  }

  /**
   * What a document's first bytes say about its charset (XML 1.0 appendix F).
   *
   * @param charset the charset they show; for bytes that are not {@link #exact}, the default of
   *     their family (UTF-8 for ASCII-compatible bytes, IBM1047 for EBCDIC)
   * @param exact true when a byte order mark or a UTF-16/UTF-32 {@code <?} pattern fixes the
   *     charset; false when the bytes only show one byte per character
   */
  private record FirstBytes(Charset charset, boolean exact) {

    private static final Charset UTF_32BE = Charset.forName("UTF-32BE");
    private static final Charset UTF_32LE = Charset.forName("UTF-32LE");
    private static final Charset EBCDIC = Charset.forName("IBM1047");
    private static final String PROBE = "<?xml";
    private static final Pattern ENCODING =
        Pattern.compile("^\\s*<\\?xml[^>]*?encoding\\s*=\\s*[\"']([^\"']+)[\"']");

    static FirstBytes of(byte[] b) {
      if (startsWith(b, 0x00, 0x00, 0xFE, 0xFF) || startsWith(b, 0x00, 0x00, 0x00, 0x3C)) {
        return new FirstBytes(UTF_32BE, true);
      }
      if (startsWith(b, 0xFF, 0xFE, 0x00, 0x00) || startsWith(b, 0x3C, 0x00, 0x00, 0x00)) {
        return new FirstBytes(UTF_32LE, true);
      }
      if (startsWith(b, 0xFE, 0xFF) || startsWith(b, 0x00, 0x3C, 0x00, 0x3F)) {
        return new FirstBytes(StandardCharsets.UTF_16BE, true);
      }
      if (startsWith(b, 0xFF, 0xFE) || startsWith(b, 0x3C, 0x00, 0x3F, 0x00)) {
        return new FirstBytes(StandardCharsets.UTF_16LE, true);
      }
      if (startsWith(b, 0xEF, 0xBB, 0xBF)) {
        return new FirstBytes(StandardCharsets.UTF_8, true);
      }
      if (startsWith(b, 0x4C, 0x6F, 0xA7, 0x94)) {
        return new FirstBytes(EBCDIC, false);
      }
      return new FirstBytes(StandardCharsets.UTF_8, false);
    }

    /**
     * The charset to decode with when a label names {@code declared}: for exact first bytes their
     * own charset, when {@code declared} is it or its byte-order-less form ({@code UTF-16}, {@code
     * UTF-32}); otherwise {@code declared}, when it writes {@code <?xml} as these bytes' family
     * does; empty when the bytes contradict it.
     */
    Optional<Charset> fitting(Charset declared) {
      if (exact) {
        boolean same =
            declared.equals(charset)
                || declared.name().equals("UTF-16") && charset.name().startsWith("UTF-16")
                || declared.name().equals("UTF-32") && charset.name().startsWith("UTF-32");
        return same ? Optional.of(charset) : Optional.empty();
      }
      boolean sameFamily =
          !declared.canEncode()
              ? charset.equals(StandardCharsets.UTF_8)
              : Arrays.equals(PROBE.getBytes(declared), PROBE.getBytes(charset));
      return sameFamily ? Optional.of(declared) : Optional.empty();
    }

    /** The {@code encoding} pseudo-attribute of the XML declaration, read in {@link #charset}. */
    Optional<String> declaredEncoding(byte[] body) {
      String head = new String(body, 0, Math.min(body.length, 1024), charset);
      Matcher m = ENCODING.matcher(withoutBom(head));
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
      if (bytes.length < prefix.length) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if ((bytes[i] & 0xFF) != prefix[i]) {
          return false;
        }
      }
      return true;
    }
  }
}
