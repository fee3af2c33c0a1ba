package org.wireingest.parse;

import com.rometools.rome.io.XmlReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns feed bytes into text. The charset is taken from, in order: a byte order mark, the
 * Content-Type {@code charset} parameter (RFC 9110 section 8.3), the XML declaration, UTF-8 (XML
 * 1.0 section 4.3.3 and appendix F). Rome's {@link XmlReader} does the BOM and XML-declaration
 * sniffing; its HTTP rules are not used because they put RFC 3023 defaults ahead of the declared
 * charset.
 *
 * <p>The bytes are then checked against that charset. A declared charset that does not decode
 * cleanly while UTF-8 does, or a single-byte charset declared for bytes that are valid multi-byte
 * UTF-8, or UTF-8 declared for bytes that only windows-1252 decodes: the charset that decodes
 * cleanly is used (a byte order mark is trusted, never second-guessed) and a {@code
 * charset-mismatch} warning is added. Bytes that nothing decodes cleanly are decoded with
 * replacement characters and an {@code invalid-bytes} warning.
 */
final class BodyDecoder {

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
  private static final Pattern CONTENT_TYPE_CHARSET =
      Pattern.compile(";\\s*charset\\s*=\\s*\"?([^\";\\s]+)", Pattern.CASE_INSENSITIVE);

  /** Decoded text (BOM removed) and the charset actually used. */
  record Decoded(String text, Charset charset) {}

  private BodyDecoder() {}

  static Decoded decode(byte[] body, String contentType, Warnings warnings) {
    boolean byteOrderMark = hasByteOrderMark(body);
    String declaredName = byteOrderMark ? null : contentTypeCharset(contentType).orElse(null);
    if (declaredName == null) {
      declaredName = sniff(body, warnings);
    }
    Charset declared = charsetNamed(declaredName).orElse(null);
    if (declared == null) {
      warnings.add("charset-mismatch", "unknown charset '" + declaredName + "', read as UTF-8");
      declared = StandardCharsets.UTF_8;
    }
    Optional<String> strict = decodeStrictly(body, declared);
    if (strict.isPresent()) {
      if (!isUnicode(declared) && hasHighBytes(body)) {
        Optional<String> utf8 = decodeStrictly(body, StandardCharsets.UTF_8);
        if (utf8.isPresent()) {
          return mismatch(utf8.get(), declared, StandardCharsets.UTF_8, warnings);
        }
      }
      return new Decoded(withoutBom(strict.get()), declared);
    }
    Charset fallback =
        declared.equals(StandardCharsets.UTF_8) ? WINDOWS_1252 : StandardCharsets.UTF_8;
    Optional<String> alternative =
        byteOrderMark ? Optional.empty() : decodeStrictly(body, fallback);
    if (alternative.isPresent()) {
      return mismatch(alternative.get(), declared, fallback, warnings);
    }
    warnings.add(
        "invalid-bytes", "bytes are not valid " + declared.name() + "; invalid sequences replaced");
    return new Decoded(withoutBom(new String(body, declared)), declared);
  }

  private static Decoded mismatch(String text, Charset declared, Charset used, Warnings warnings) {
    warnings.add(
        "charset-mismatch", "declared " + declared.name() + " but bytes are " + used.name());
    return new Decoded(withoutBom(text), used);
  }

  /**
   * The charset named by the BOM or XML declaration (Rome's sniffing, plus the UTF-32 patterns of
   * XML 1.0 appendix F that Rome lacks), UTF-8 when neither says.
   */
  private static String sniff(byte[] body, Warnings warnings) {
    if (body.length >= 4
        && body[0] == 0
        && body[1] == 0
        && (body[2] == 0 && body[3] == '<' || (body[2] & 0xFF) == 0xFE)) {
      return "UTF-32BE";
    }
    if (body.length >= 4
        && body[2] == 0
        && body[3] == 0
        && (body[0] == '<' && body[1] == 0
            || (body[0] & 0xFF) == 0xFF && (body[1] & 0xFF) == 0xFE)) {
      return "UTF-32LE";
    }
    try (XmlReader reader =
        new XmlReader(new ByteArrayInputStream(body), true, StandardCharsets.UTF_8.name())) {
      return reader.getEncoding();
    } catch (IOException | RuntimeException e) {
      // XmlReader opens a reader on the declared name and fails for unknown names
      String name = XmlDeclaration.encoding(body).orElse(StandardCharsets.UTF_8.name());
      if (charsetNamed(name).isPresent()) {
        warnings.add("charset-mismatch", "charset sniffing failed: " + e.getMessage());
      }
      return name;
    }
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

  private static Optional<String> decodeStrictly(byte[] body, Charset charset) {
    try {
      return Optional.of(
          charset
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
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

  private static boolean hasByteOrderMark(byte[] b) {
    return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF
        || b.length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF
        || b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE;
  }

  private static String withoutBom(String text) {
    return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
  }

  /** The {@code encoding} pseudo-attribute of an ASCII-compatible XML declaration. */
  private static final class XmlDeclaration {
    private static final Pattern ENCODING =
        Pattern.compile("^\\s*<\\?xml[^>]*?encoding\\s*=\\s*[\"']([^\"']+)[\"']");

    static Optional<String> encoding(byte[] body) {
      String head = new String(body, 0, Math.min(body.length, 512), StandardCharsets.ISO_8859_1);
      Matcher m = ENCODING.matcher(head);
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
  }
}
