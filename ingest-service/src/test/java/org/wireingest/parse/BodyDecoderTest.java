package org.wireingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
   * Regression: a feed labelled ISO-8859-1 whose CMS writes windows-1252 (curly quotes, en dash,
   * euro sign at 0x80-0x9F) decoded strictly as ISO-8859-1 into C1 control characters, which the
   * normalizer then turned into gaps: "Trump’s “deal”" became "Trump s deal".
   */
  @Test
  void shouldReadIso88591LabelWithWindows1252BytesAsWindows1252() {
    Charset windows1252 = Charset.forName("windows-1252");
    String words = "Café “deal” – 5 € Trump’s";
    byte[] body = String.format(DOC, "ISO-8859-1", words).getBytes(windows1252);

    BodyDecoder.Decoded decoded =
        BodyDecoder.decode(body, "application/rss+xml; charset=iso-8859-1", warnings);

    assertThat(decoded.charset()).isEqualTo(windows1252);
    assertThat(decoded.text()).endsWith("<rss>" + words + "</rss>");
    assertThat(warnings.list())
        .extracting(ParseWarning::kind, ParseWarning::detail)
        .containsExactly(
            tuple("charset-mismatch", "declared ISO-8859-1 but bytes are windows-1252"));
  }

  /**
   * A Turkish feed labelled ISO-8859-9 (latin-5) whose CMS writes windows-1254 (ISO-8859-9 with
   * curly quotes, dashes and the euro sign at 0x80-0x9F) read those as C1 controls, gaps in the
   * article: browsers read the label as windows-1254 (WHATWG), and so does the decoder now, with
   * the Turkish letters above 0x9F, which both share, unchanged.
   */
  @Test
  void shouldReadIso88599LabelWithWindows1254BytesAsWindows1254() {
    Charset windows1254 = Charset.forName("windows-1254");
    String words = "Erdoğan’ın “şişli” açıklaması – 5 € İstanbul";
    byte[] body = String.format(DOC, "ISO-8859-9", words).getBytes(windows1254);

    BodyDecoder.Decoded decoded =
        BodyDecoder.decode(body, "application/rss+xml; charset=iso-8859-9", warnings);

    assertThat(decoded.charset()).isEqualTo(windows1254);
    assertThat(decoded.text()).endsWith("<rss>" + words + "</rss>");
    assertThat(warnings.list())
        .extracting(ParseWarning::kind, ParseWarning::detail)
        .containsExactly(
            tuple("charset-mismatch", "declared ISO-8859-9 but bytes are windows-1254"));
  }

  @Test
  void shouldKeepIso88599WhenItsBytesHaveNoC1Range() {
    Charset latin5 = Charset.forName("ISO-8859-9");
    byte[] body = String.format(DOC, "ISO-8859-9", "Ağrı Dağı, Şırnak").getBytes(latin5);

    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, warnings);

    assertThat(decoded.charset()).isEqualTo(latin5);
    assertThat(decoded.text()).endsWith("<rss>Ağrı Dağı, Şırnak</rss>");
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

  @Test
  void shouldKeepIso88591WhenItsBytesHaveNoC1Range() {
    byte[] body =
        String.format(DOC, "ISO-8859-1", "Müller ×").getBytes(StandardCharsets.ISO_8859_1);

    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, warnings);

    assertThat(decoded.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(decoded.text()).endsWith("<rss>Müller ×</rss>");
    assertThat(warnings.list()).isEmpty();
  }

  /**
   * Regression: a feed labelled ISO-8859-15 (latin-9, common on European sites for its euro sign
   * and French œ) whose CMS writes windows-1252 decoded strictly as ISO-8859-15, which like
   * ISO-8859-1 has only C1 controls at 0x80-0x9F: its curly quotes, dashes and its euro sign (0x80
   * in windows-1252) became gaps, "Trump’s “deal”" read "Trump s deal". Bytes there that a
   * windows-1252 encoder wrote say the whole body is windows-1252.
   */
  @Test
  void shouldReadIso885915LabelWithWindows1252BytesAsWindows1252() {
    Charset windows1252 = Charset.forName("windows-1252");
    String words = "Café “deal” – 5 € Trump’s œuvre";
    byte[] body = String.format(DOC, "ISO-8859-15", words).getBytes(windows1252);

    BodyDecoder.Decoded decoded =
        BodyDecoder.decode(body, "application/rss+xml; charset=iso-8859-15", warnings);

    assertThat(decoded.charset()).isEqualTo(windows1252);
    assertThat(decoded.text()).endsWith("<rss>" + words + "</rss>");
    assertThat(warnings.list())
        .extracting(ParseWarning::kind, ParseWarning::detail)
        .containsExactly(
            tuple("charset-mismatch", "declared ISO-8859-15 but bytes are windows-1252"));
  }

  /**
   * ISO-8859-15 differs from windows-1252 above 0x9F too (0xA4 is € in it, ¤ in windows-1252; 0xA6,
   * 0xA8, 0xB4, 0xB8 and 0xBC-0xBE are Š š Ž ž Œ œ Ÿ in it): without a byte in 0x80-0x9F its label
   * stands, and those bytes keep its letters.
   */
  @Test
  void shouldKeepIso885915WhenItsBytesHaveNoC1Range() {
    Charset latin9 = Charset.forName("ISO-8859-15");
    String words = "5 € Šešelj Žižek œuvre Œ Ÿ Müller";
    byte[] body = String.format(DOC, "l9", words).getBytes(latin9);

    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, warnings);

    assertThat(body).contains((byte) 0xA4);
    assertThat(decoded.charset()).isEqualTo(latin9);
    assertThat(decoded.text()).endsWith("<rss>" + words + "</rss>");
    assertThat(warnings.list()).isEmpty();
  }

  // helper-101's trial: one byte windows-1252 leaves undefined turned the whole fallback off, and
  // every curly quote, euro sign and dash of the feed became a gap.
  @Test
  void shouldKeepWindows1252CharactersBesideAByteItLeavesUndefined() {
    Charset windows1252 = Charset.forName("windows-1252");
    String words = "Trump’s “deal” costs €5bn";
    byte[] head = String.format(DOC, "ISO-8859-1", words).getBytes(windows1252);
    byte[] body = java.util.Arrays.copyOf(head, head.length + 1);
    body[body.length - 1] = (byte) 0x81;

    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, warnings);

    assertThat(decoded.text()).contains(words).endsWith("\u0081");
    assertThat(warnings.list()).extracting(ParseWarning::kind).containsExactly("charset-mismatch");
  }

  // helper-101's trial: the WHATWG Encoding Standard reads the label us-ascii as windows-1252 too;
  // the bytes above 0x7F became U+FFFD with an invalid-bytes warning.
  @Test
  void shouldReadUsAsciiLabelWithWindows1252BytesAsWindows1252() {
    Charset windows1252 = Charset.forName("windows-1252");
    String words = "Trump’s “deal” costs €5bn";
    byte[] body = String.format(DOC, "us-ascii", words).getBytes(windows1252);

    BodyDecoder.Decoded decoded =
        BodyDecoder.decode(body, "application/rss+xml; charset=us-ascii", warnings);

    assertThat(decoded.charset()).isEqualTo(windows1252);
    assertThat(decoded.text()).endsWith("<rss>" + words + "</rss>");
    assertThat(warnings.list())
        .extracting(ParseWarning::kind, ParseWarning::detail)
        .containsExactly(tuple("charset-mismatch", "declared US-ASCII but bytes are windows-1252"));
  }

  @Test
  void shouldReadUtf8BytesUnderAUsAsciiLabelAsUtf8() {
    String words = "Trump’s “deal” costs €5bn";
    byte[] body = String.format(DOC, "us-ascii", words).getBytes(StandardCharsets.UTF_8);

    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, warnings);

    assertThat(decoded.charset()).isEqualTo(StandardCharsets.UTF_8);
    assertThat(decoded.text()).endsWith("<rss>" + words + "</rss>");
  }

  // The unlabelled case of helper-101's trial: a feed without a charset (read as UTF-8) whose
  // bytes are windows-1252 fell back to windows-1252 only while none of them was one of the five
  // bytes the JDK's windows-1252 leaves undefined; with one 0x81 the whole body stayed UTF-8 and
  // every curly quote, dash and euro sign became U+FFFD.
  @Test
  void shouldFallBackToWindows1252BesideAByteItLeavesUndefinedWhenUnlabelled() {
    Charset windows1252 = Charset.forName("windows-1252");
    String words = "Trump’s “deal” costs €5bn";
    byte[] head = ("<rss>" + words + "</rss>").getBytes(windows1252);
    byte[] body = java.util.Arrays.copyOf(head, head.length + 1);
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
    byte[] body = java.util.Arrays.copyOf(head, head.length + 1);
    body[body.length - 1] = (byte) 0x8D;

    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, warnings);

    assertThat(decoded.charset()).isEqualTo(windows1252);
    assertThat(decoded.text()).endsWith("<rss>" + words + "</rss>\u008D");
    assertThat(warnings.list()).isEmpty();
  }

  // With a windows-1252 that never fails, a UTF-8 feed with one bad byte was read whole as
  // windows-1252: every Arabic or Turkish letter became two Latin ones. It stays UTF-8, the bad
  // byte
  // replaced.
  @Test
  void shouldKeepUtf8WithABadByteAsUtf8() {
    for (String words : new String[] {"الجزيرة نت: فلسطين", "Türkiye’de şiddetli yağış"}) {
      Warnings these = new Warnings();
      byte[] text = String.format(DOC, "UTF-8", words).getBytes(StandardCharsets.UTF_8);
      byte[] body = java.util.Arrays.copyOf(text, text.length + 1);
      body[body.length - 1] = (byte) 0xFF;

      BodyDecoder.Decoded decoded = BodyDecoder.decode(body, null, these);

      assertThat(decoded.charset()).isEqualTo(StandardCharsets.UTF_8);
      assertThat(decoded.text()).contains(words).endsWith("\uFFFD");
      assertThat(these.list()).extracting(ParseWarning::kind).containsExactly("invalid-bytes");
    }
  }
}
