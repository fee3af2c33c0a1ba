package org.wireingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link BodyDecoder}'s choice among a byte order mark, the first bytes (XML 1.0 appendix F), the
 * Content-Type charset and the XML declaration; the end-to-end cases are in {@link FeedParserTest}.
 */
class BodyDecoderTest {

  private static final String DOC = "<?xml version=\"1.0\" encoding=\"%s\"?><rss>%s</rss>";

  private final Warnings warnings = new Warnings();

  @Test
  void shouldSkipUnknownContentTypeCharsetForTheDeclaration() {
    byte[] body = String.format(DOC, "ISO-8859-1", "Müller").getBytes(StandardCharsets.ISO_8859_1);

    BodyDecoder.Decoded decoded =
        BodyDecoder.decode(body, "application/rss+xml; charset=x-no-such", warnings);

    assertThat(decoded.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(decoded.text()).endsWith("<rss>Müller</rss>");
    assertThat(warnings.list())
        .extracting(ParseWarning::kind, ParseWarning::detail)
        .containsExactly(
            tuple("charset-mismatch", "unknown charset 'x-no-such', read as ISO-8859-1"));
  }

  @Test
  void shouldTakeByteOrderFromFirstBytesWhenUtf16IsDeclaredWithoutByteOrderMark() {
    byte[] body = String.format(DOC, "UTF-16", "Café").getBytes(StandardCharsets.UTF_16LE);

    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, warnings);

    assertThat(decoded.charset()).isEqualTo(StandardCharsets.UTF_16LE);
    assertThat(decoded.text()).isEqualTo(String.format(DOC, "UTF-16", "Café"));
    assertThat(warnings.list()).isEmpty();
  }

  @Test
  void shouldTrustUtf32ByteOrderMarkOverContentTypeCharset() {
    Charset utf32le = Charset.forName("UTF-32LE");
    byte[] body = ("\uFEFF" + String.format(DOC, "UTF-32", "Café")).getBytes(utf32le);

    BodyDecoder.Decoded decoded =
        BodyDecoder.decode(body, "application/rss+xml; charset=utf-8", warnings);

    assertThat(decoded.charset()).isEqualTo(utf32le);
    assertThat(decoded.text()).isEqualTo(String.format(DOC, "UTF-32", "Café"));
    assertThat(warnings.list())
        .extracting(ParseWarning::kind, ParseWarning::detail)
        .containsExactly(tuple("charset-mismatch", "declared UTF-8 but bytes are UTF-32LE"));
  }

  @Test
  void shouldReadEbcdicBytesInTheDeclaredEbcdicCodePage() {
    Charset ibm037 = Charset.forName("IBM037");
    byte[] body = String.format(DOC, "IBM037", "Café").getBytes(ibm037);

    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, warnings);

    assertThat(decoded.charset()).isEqualTo(ibm037);
    assertThat(decoded.text()).isEqualTo(String.format(DOC, "IBM037", "Café"));
    assertThat(warnings.list()).isEmpty();
  }

  /**
   * A label whose code page has only C1 controls at 0x80-0x9F, on bytes a Windows code page wrote
   * there (curly quotes, dashes, the euro sign), is read in that Windows code page, as browsers do
   * (WHATWG Encoding Standard labels), with a {@code charset-mismatch} warning. Regressions:
   *
   * <ul>
   *   <li>ISO-8859-1 decoded strictly into C1 controls, which the normalizer turned into gaps:
   *       "Trump’s “deal”" became "Trump s deal";
   *   <li>ISO-8859-15 (latin-9, common on European sites for its euro sign and French œ) the same,
   *       its euro sign (0x80 in windows-1252) included;
   *   <li>ISO-8859-9 (latin-5, Turkish) is windows-1254 with the Turkish letters above 0x9F, which
   *       both share, unchanged;
   *   <li>us-ascii: the bytes above 0x7F became U+FFFD with an invalid-bytes warning.
   * </ul>
   */
  @ParameterizedTest(name = "{0} label on {1} bytes")
  @CsvSource(
      delimiter = '|',
      value = {
        "ISO-8859-1  | windows-1252 | Café “deal” – 5 € Trump’s",
        "ISO-8859-15 | windows-1252 | Café “deal” – 5 € Trump’s œuvre",
        "ISO-8859-9  | windows-1254 | Erdoğan’ın “şişli” açıklaması – 5 € İstanbul",
        "US-ASCII    | windows-1252 | Trump’s “deal” costs €5bn"
      })
  void shouldReadALabelWithWindowsBytesInTheWindowsCodePage(
      String label, String written, String words) {
    Charset windows = Charset.forName(written);
    byte[] body = String.format(DOC, label, words).getBytes(windows);

    BodyDecoder.Decoded decoded =
        BodyDecoder.decode(
            body, "application/rss+xml; charset=" + label.toLowerCase(Locale.ROOT), warnings);

    assertThat(decoded.charset()).isEqualTo(windows);
    assertThat(decoded.text()).endsWith("<rss>" + words + "</rss>");
    assertThat(warnings.list())
        .extracting(ParseWarning::kind, ParseWarning::detail)
        .containsExactly(
            tuple("charset-mismatch", "declared " + label + " but bytes are " + written));
  }

  /**
   * Without a byte in 0x80-0x9F the label stands and its letters above 0x9F are its own:
   * ISO-8859-15 differs from windows-1252 there too (0xA4 is € in it, ¤ in windows-1252; 0xA6,
   * 0xA8, 0xB4, 0xB8 and 0xBC-0xBE are Š š Ž ž Œ œ Ÿ in it), and {@code l9} is one of its labels.
   */
  @ParameterizedTest(name = "{0} as {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ISO-8859-1 | ISO-8859-1  | Müller ×",
        "ISO-8859-9 | ISO-8859-9  | Ağrı Dağı, Şırnak",
        "l9         | ISO-8859-15 | 5 € Šešelj Žižek œuvre Œ Ÿ Müller"
      })
  void shouldKeepALatinLabelWhenItsBytesHaveNoC1Range(String label, String charset, String words) {
    Charset latin = Charset.forName(charset);
    byte[] body = String.format(DOC, label, words).getBytes(latin);

    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, warnings);

    assertThat(decoded.charset()).isEqualTo(latin);
    assertThat(decoded.text()).endsWith("<rss>" + words + "</rss>");
    assertThat(warnings.list()).isEmpty();
  }

  /**
   * The JDK's windows-1254 leaves seven bytes undefined (0x81, 0x8D-0x90, 0x9D, 0x9E) and fails a
   * whole strict decode on one; the WHATWG table makes each the C1 control of the same value, so a
   * windows-1254 body with one stray such byte keeps its label and its Turkish letters.
   */
  @Test
  void shouldReadAWindows1254BodyWithAnUndefinedByteAsWindows1254() {
    Charset windows1254 = Charset.forName("windows-1254");
    byte[] words = "“Güneş” ".getBytes(windows1254);
    byte[] doc = String.format(DOC, "windows-1254", "%s").getBytes(windows1254);
    String[] parts = new String(doc, windows1254).split("%s");
    byte[] body =
        concat(
            parts[0].getBytes(windows1254),
            words,
            new byte[] {(byte) 0x8E},
            parts[1].getBytes(windows1254));

    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, warnings);

    assertThat(decoded.charset()).isEqualTo(windows1254);
    assertThat(decoded.text()).endsWith("<rss>“Güneş” \u008E</rss>");
    assertThat(warnings.list()).isEmpty();
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  // Found on a real run: one byte windows-1252 leaves undefined turned the whole fallback off, and
  // every curly quote, euro sign and dash of the feed became a gap.
  @Test
  void shouldKeepWindows1252CharactersBesideAByteItLeavesUndefined() {
    Charset windows1252 = Charset.forName("windows-1252");
    String words = "Trump’s “deal” costs €5bn";
    byte[] head = String.format(DOC, "ISO-8859-1", words).getBytes(windows1252);
    byte[] body = Arrays.copyOf(head, head.length + 1);
    body[body.length - 1] = (byte) 0x81;

    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, warnings);

    assertThat(decoded.text()).contains(words).endsWith("\u0081");
    assertThat(warnings.list()).extracting(ParseWarning::kind).containsExactly("charset-mismatch");
  }

  @Test
  void shouldReadUtf8BytesUnderAUsAsciiLabelAsUtf8() {
    String words = "Trump’s “deal” costs €5bn";
    byte[] body = String.format(DOC, "us-ascii", words).getBytes(StandardCharsets.UTF_8);

    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, warnings);

    assertThat(decoded.charset()).isEqualTo(StandardCharsets.UTF_8);
    assertThat(decoded.text()).endsWith("<rss>" + words + "</rss>");
  }

  // The unlabelled case of the same run: a feed without a charset (read as UTF-8) whose
  // bytes are windows-1252 fell back to windows-1252 only while none of them was one of the five
  // bytes the JDK's windows-1252 leaves undefined; with one 0x81 the whole body stayed UTF-8 and
  // every curly quote, dash and euro sign became U+FFFD.
  @Test
  void shouldFallBackToWindows1252BesideAByteItLeavesUndefinedWhenUnlabelled() {
    Charset windows1252 = Charset.forName("windows-1252");
    String words = "Trump’s “deal” costs €5bn";
    byte[] head = ("<rss>" + words + "</rss>").getBytes(windows1252);
    byte[] body = Arrays.copyOf(head, head.length + 1);
    body[body.length - 1] = (byte) 0x81;

    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, warnings);

    assertThat(decoded.charset()).isEqualTo(windows1252);
    assertThat(decoded.text()).isEqualTo("<rss>" + words + "</rss>\u0081");
    assertThat(warnings.list())
        .extracting(ParseWarning::kind, ParseWarning::detail)
        .containsExactly(tuple("charset-mismatch", "declared UTF-8 but bytes are windows-1252"));
  }

  // WHATWG windows-1252 has a character for every byte (0x81, 0x8D, 0x8F, 0x90, 0x9D are the C1
  // controls of the same value): a feed labelled windows-1252 with one of them is not invalid.
  @Test
  void shouldReadEveryByteUnderAWindows1252Label() {
    Charset windows1252 = Charset.forName("windows-1252");
    String words = "Trump’s “deal” costs €5bn";
    byte[] head = String.format(DOC, "windows-1252", words).getBytes(windows1252);
    byte[] body = Arrays.copyOf(head, head.length + 1);
    body[body.length - 1] = (byte) 0x8D;

    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, warnings);

    assertThat(decoded.charset()).isEqualTo(windows1252);
    assertThat(decoded.text()).endsWith("<rss>" + words + "</rss>\u008D");
    assertThat(warnings.list()).isEmpty();
  }

  // With a windows-1252 that never fails, a UTF-8 feed with one bad byte was read whole as
  // windows-1252: every Arabic or Turkish letter became two Latin ones. It stays UTF-8, the bad
  // byte replaced.
  @Test
  void shouldKeepUtf8WithABadByteAsUtf8() {
    for (String words : new String[] {"الجزيرة نت: فلسطين", "Türkiye’de şiddetli yağış"}) {
      Warnings these = new Warnings();
      byte[] text = String.format(DOC, "UTF-8", words).getBytes(StandardCharsets.UTF_8);
      byte[] body = Arrays.copyOf(text, text.length + 1);
      body[body.length - 1] = (byte) 0xFF;

      BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, these);

      assertThat(decoded.charset()).isEqualTo(StandardCharsets.UTF_8);
      assertThat(decoded.text()).contains(words).endsWith("\uFFFD");
      assertThat(these.list()).extracting(ParseWarning::kind).containsExactly("invalid-bytes");
    }
  }
}
