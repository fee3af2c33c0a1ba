package org.wireingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wireingest.parse.ParsedEntry.Category;
import org.wireingest.parse.ParsedEntry.Enclosure;

/** JSON Feed 1.0 / 1.1 through {@link FeedParser}. */
class JsonFeedParserTest {

  private final FeedParser parser = new FeedParser();

  @Test
  void shouldReadJsonFeed11Channel() {
    ParsedFeed feed = parsedResource("jsonfeed11.json", null);

    assertThat(feed.format()).isEqualTo("json_1.1");
    assertThat(feed.charset()).isEqualTo("UTF-8");
    assertThat(feed.title()).isEqualTo("Harbour Gazette");
    assertThat(feed.link()).isEqualTo("https://harbour.example.org/");
    assertThat(feed.language()).isEqualTo("en-GB");
    assertThat(feed.entries()).hasSize(2);
  }

  /**
   * Found by a hostile feed server: 18 MB of empty items ({@code "items":[{},{},...]}, 6 million)
   * ran a 460 MiB heap out of memory while the tree was built. More than {@link
   * JsonFeedMapper#MAX_TOKENS} tokens fail as too large, before the tree is complete.
   */
  @Test
  void shouldRefuseAJsonFeedOfMoreTokensThanTheLimit() {
    String json =
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"W\",\"items\":["
            + String.join(",", Collections.nCopies((int) JsonFeedMapper.MAX_TOKENS / 2, "{}"))
            + "]}";

    ParseResult result = parser.parse(json.getBytes(StandardCharsets.UTF_8), null);

    // the outcome as text: a failed assertion on 250,000 parsed entries would print every one
    assertThat(result instanceof ParseResult.Failed f ? f.kind() + ": " + f.message() : "parsed")
        .isEqualTo(
            "TOO_LARGE: more than "
                + JsonFeedMapper.MAX_TOKENS
                + " JSON tokens in the document (real feeds have far fewer)");
  }

  /**
   * Jackson's other read limits (nesting 1,000 deep, numbers of 1,000 digits) raise the same
   * exception as its token count: a document past them is malformed, not one of too many tokens.
   */
  @ParameterizedTest
  @ValueSource(strings = {"nesting", "number"})
  void shouldNotCallAJsonFeedPastAnotherReadLimitTooLarge(String limit) {
    String value =
        limit.equals("nesting") ? "[".repeat(1_001) + "]".repeat(1_001) : "1".repeat(1_001);
    String json =
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"W\",\"x\":"
            + value
            + ",\"items\":[]}";

    ParseResult result = parser.parse(json.getBytes(StandardCharsets.UTF_8), null);

    assertThat(result).isInstanceOf(ParseResult.Failed.class);
    assertThat(((ParseResult.Failed) result).kind()).isEqualTo(ParseFailure.MALFORMED_JSON);
  }

  @Test
  void shouldMapJsonFeedItemFields() {
    ParsedEntry entry = parsedResource("jsonfeed11.json", null).entries().get(0);

    assertThat(entry.guid()).isEqualTo("harbour-2026-4711");
    assertThat(entry.title()).isEqualTo("Ferry timetable changes for winter");
    assertThat(entry.link())
        .isEqualTo("https://harbour.example.org/news/ferry-winter?utm_source=json");
    assertThat(entry.links())
        .containsExactly(
            "https://harbour.example.org/news/ferry-winter?utm_source=json",
            "https://ferries.example.org/timetable");
    assertThat(entry.descriptionHtml()).isEqualTo("Two sailings a day from November.");
    assertThat(entry.contentHtml()).isEqualTo("<p>Two sailings a day from <b>November</b>.</p>");
    assertThat(entry.authors()).containsExactly("Jane Doe");
    assertThat(entry.categories())
        .containsExactly(new Category("Transport", null, null), new Category("Winter", null, null));
    assertThat(entry.publishedRaw()).isEqualTo("2026-11-30T08:00:00+01:00");
    assertThat(entry.published()).isEqualTo(Instant.parse("2026-11-30T07:00:00Z"));
    assertThat(entry.updated()).isEqualTo(Instant.parse("2026-11-30T09:30:00Z"));
    assertThat(entry.language()).isEqualTo("en");
  }

  @Test
  void shouldMapAttachmentsAndImageAsEnclosures() {
    ParsedEntry entry = parsedResource("jsonfeed11.json", null).entries().get(0);

    assertThat(entry.enclosures())
        .containsExactly(
            new Enclosure(
                "https://audio.example.org/ferry.mp3",
                "audio/mpeg",
                1048576L,
                null,
                null,
                null,
                "Listen",
                "enclosure"),
            new Enclosure(
                "https://audio.example.org/ferry.ogg",
                "audio/ogg",
                null,
                null,
                null,
                null,
                null,
                "enclosure"),
            new Enclosure(
                "https://img.example.org/ferry.jpg",
                null,
                null,
                "image",
                null,
                null,
                null,
                "enclosure"));
  }

  @Test
  void shouldKeepItemsWithBadFieldsAndWarnAboutEach() {
    ParsedFeed feed = parsedResource("jsonfeed11.json", null);
    ParsedEntry second = feed.entries().get(1);

    assertThat(second.guid()).isEqualTo("4712");
    assertThat(second.contentHtml()).isEqualTo("Traders return to the quay.");
    assertThat(second.published()).isNull();
    assertThat(feed.warnings())
        .containsExactly(
            new ParseWarning("bad-field", "tag is not a string: 7"),
            new ParseWarning("bad-number", "attachment size_in_bytes '2.5'"),
            new ParseWarning("unparseable-date", "gestern"),
            new ParseWarning("bad-field", "item is not an object: \"not an item\""));
  }

  @Test
  void shouldReadJsonFeed10AuthorObject() {
    ParsedFeed feed = parsedResource("jsonfeed10.json", "application/feed+json");

    assertThat(feed.format()).isEqualTo("json_1");
    assertThat(feed.entries())
        .singleElement()
        .satisfies(e -> assertThat(e.authors()).containsExactly("John Smith"));
  }

  @Test
  void shouldClassifyInvalidJsonAsMalformedJson() {
    ParseResult result =
        parser.parse(
            "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": ["
                .getBytes(StandardCharsets.UTF_8),
            null);

    assertThat(result)
        .isInstanceOfSatisfying(
            ParseResult.Failed.class,
            f -> {
              assertThat(f.kind()).isEqualTo(ParseFailure.MALFORMED_JSON);
              assertThat(f.message()).startsWith("not valid JSON").doesNotContain("\n");
            });
  }

  @Test
  void shouldClassifyJsonThatIsNotAJsonFeedAsUnsupportedFormat() {
    ParseResult result =
        parser.parse(
            "{\"status\": \"ok\", \"data\": []}".getBytes(StandardCharsets.UTF_8),
            "application/json");

    assertThat(result)
        .isInstanceOfSatisfying(
            ParseResult.Failed.class,
            f -> assertThat(f.kind()).isEqualTo(ParseFailure.UNSUPPORTED_FORMAT));
  }

  @Test
  void shouldReadJsonFeedDespiteByteOrderMarkAndLeadingWhitespace() {
    byte[] json =
        "\uFEFF \n{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":\"a\",\"title\":\"t\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    ParseResult result = parser.parse(json, "text/plain");

    assertThat(result)
        .isInstanceOfSatisfying(
            ParseResult.Parsed.class, p -> assertThat(p.feed().entries()).hasSize(1));
  }

  @Test
  void shouldKeepTheCharsetMismatchWarningOfAJsonFeed() {
    // Regression: the JSON path parsed with a new Warnings(), dropping the body decoder's warnings,
    // so a JSON Feed labelled ISO-8859-1 but written in UTF-8 showed no charset-mismatch, where an
    // RSS feed so labelled does.
    byte[] body =
        """
        {"version": "https://jsonfeed.org/version/1.1", "title": "Türkiye Haber",
         "items": [{"id": "1", "title": "Ankara’da toplantı", "content_text": "Gün boyu."}]}
        """
            .getBytes(StandardCharsets.UTF_8);

    ParseResult result = parser.parse(body, "application/feed+json; charset=iso-8859-1");

    assertThat(result).isInstanceOf(ParseResult.Parsed.class);
    ParsedFeed feed = ((ParseResult.Parsed) result).feed();
    assertThat(feed.entries().get(0).title()).isEqualTo("Ankara’da toplantı");
    assertThat(feed.warnings())
        .containsExactly(
            new ParseWarning("charset-mismatch", "declared ISO-8859-1 but bytes are UTF-8"));
  }

  // Found in a hostile test: content_text was read as HTML, so "a <b" swallowed the rest as a tag
  // and a "<script>" in plain text was dropped instead of shown.
  @Test
  void shouldReadPlainTextFieldsAsTextNotMarkup() {
    String json =
        """
        {"version":"https://jsonfeed.org/version/1.1","items":[{"id":"a","title":"t",
         "summary":"Rates: 3 < 5 & rising",
         "content_text":"If x <b then y.\\r\\nSecond line.\\n\\n<script>alert(1)</script> is shown."}]}""";

    ParseResult result =
        parser.parse(json.getBytes(StandardCharsets.UTF_8), "application/feed+json");

    ParsedEntry entry = ((ParseResult.Parsed) result).feed().entries().get(0);
    assertThat(entry.descriptionHtml()).isEqualTo("Rates: 3 &lt; 5 &amp; rising");
    assertThat(entry.contentHtml())
        .isEqualTo(
            "<p>If x &lt;b then y.<br>Second line.</p><p>&lt;script&gt;alert(1)&lt;/script&gt; is shown.</p>");
  }

  /**
   * Regression: a JSON Feed written in windows-1252 (a CMS's curly quotes, dash and euro sign) was
   * handed to Jackson as bytes, which it reads as UTF-8 only, so the whole feed failed as {@code
   * malformed-json} ("Invalid UTF-8 start byte 0x92") although RSS so written is read. JSON must be
   * UTF-8 (RFC 8259 §8.1); bytes that are not are read as the body decoder reads an XML feed's,
   * with its charset-mismatch warning.
   */
  @Test
  void shouldReadAJsonFeedWrittenInWindows1252AsWindows1252() {
    Charset windows1252 = Charset.forName("windows-1252");

    ParseResult result =
        parser.parse(JSON_WITH_QUOTES.getBytes(windows1252), "application/feed+json");

    ParsedFeed feed = parsed(result);
    assertThat(feed.charset()).isEqualTo("windows-1252");
    assertThat(feed.title()).isEqualTo("Gazette – “World”");
    assertThat(feed.entries().get(0).title()).isEqualTo("Trump’s deal costs €5bn");
    assertThat(feed.warnings())
        .containsExactly(
            new ParseWarning("charset-mismatch", "declared UTF-8 but bytes are windows-1252"));
  }

  /**
   * A {@code charset=windows-1252} label the bytes fit is still a JSON Feed that is not UTF-8 (RFC
   * 8259 §8.1): read in it, and counted.
   */
  @Test
  void shouldWarnOfAJsonFeedLabelledAndWrittenInWindows1252() {
    Charset windows1252 = Charset.forName("windows-1252");

    ParseResult result =
        parser.parse(
            JSON_WITH_QUOTES.getBytes(windows1252), "application/feed+json; charset=windows-1252");

    ParsedFeed feed = parsed(result);
    assertThat(feed.charset()).isEqualTo("windows-1252");
    assertThat(feed.entries().get(0).title()).isEqualTo("Trump’s deal costs €5bn");
    assertThat(feed.warnings())
        .containsExactly(
            new ParseWarning(
                "charset-mismatch", "declared windows-1252, but JSON is UTF-8 (RFC 8259 §8.1)"));
  }

  @Test
  void shouldReadAJsonFeedLabelledIso88591InWindows1252AsWindows1252() {
    Charset windows1252 = Charset.forName("windows-1252");

    ParseResult result =
        parser.parse(
            JSON_WITH_QUOTES.getBytes(windows1252), "application/feed+json; charset=iso-8859-1");

    ParsedFeed feed = parsed(result);
    assertThat(feed.entries().get(0).title()).isEqualTo("Trump’s deal costs €5bn");
    assertThat(feed.warnings())
        .containsExactly(
            new ParseWarning("charset-mismatch", "declared ISO-8859-1 but bytes are windows-1252"));
  }

  /**
   * UTF-16 without a byte order mark, which Jackson tells from its zero bytes (RFC 4627 §3) and the
   * XML body decoder does not: still read as Jackson reads it.
   */
  @Test
  void shouldStillReadAUtf16JsonFeedWithoutByteOrderMark() {
    ParseResult result =
        parser.parse(JSON_WITH_QUOTES.getBytes(StandardCharsets.UTF_16LE), "application/feed+json");

    assertThat(parsed(result).entries().get(0).title()).isEqualTo("Trump’s deal costs €5bn");
  }

  @Test
  void shouldKeepAUtf8JsonFeedWithoutWarnings() {
    ParseResult result =
        parser.parse(JSON_WITH_QUOTES.getBytes(StandardCharsets.UTF_8), "application/feed+json");

    ParsedFeed feed = parsed(result);
    assertThat(feed.charset()).isEqualTo("UTF-8");
    assertThat(feed.entries().get(0).title()).isEqualTo("Trump’s deal costs €5bn");
    assertThat(feed.warnings()).isEmpty();
  }

  private static final String JSON_WITH_QUOTES =
      """
      {"version": "https://jsonfeed.org/version/1.1", "title": "Gazette – “World”",
       "items": [{"id": "1", "title": "Trump’s deal costs €5bn", "content_text": "Talks…"}]}
      """;

  /**
   * A JSON Feed in UTF-16 or UTF-32 with its byte order mark, served without {@code
   * application/feed+json} (a file, or {@code application/json}), was taken for XML, the JSON test
   * looking at its bytes as UTF-8 only, and failed as malformed-xml 'no root element found'.
   */
  @ParameterizedTest
  @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-32BE"})
  void shouldReadAJsonFeedInUtf16OrUtf32WithItsByteOrderMark(String charset) {
    String json =
        "\uFEFF{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"J\","
            + "\"items\":[{\"id\":\"1\",\"title\":\"Türkçe\"}]}";

    ParseResult result = parser.parse(json.getBytes(Charset.forName(charset)), "application/json");

    assertThat(parsed(result).entries()).extracting(ParsedEntry::title).containsExactly("Türkçe");
  }

  private static ParsedFeed parsed(ParseResult result) {
    assertThat(result).isInstanceOf(ParseResult.Parsed.class);
    return ((ParseResult.Parsed) result).feed();
  }

  private ParsedFeed parsedResource(String name, String contentType) {
    try (InputStream in = getClass().getResourceAsStream(name)) {
      ParseResult result = parser.parse(in.readAllBytes(), contentType);
      assertThat(result).isInstanceOf(ParseResult.Parsed.class);
      return ((ParseResult.Parsed) result).feed();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Regression: a warning's detail kept control characters, as JSON strings may carry them
  // ("\u001b[2J" clears a terminal): Warnings had its own one-line helper, which collapsed white
  // space only; it uses the project's Shortened.line now.
  @Test
  void shouldKeepNoControlCharacterInAWarningDetail() {
    String json =
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"T\",\"items\":[{\"id\":\"a\","
            + "\"date_published\":\"\\u001b[2J\\u001b[31mFAKE\\u0000 line\"}]}";

    ParseResult r = parser.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);

    assertThat(r).isInstanceOf(ParseResult.Parsed.class);
    assertThat(((ParseResult.Parsed) r).feed().warnings())
        .filteredOn(w -> w.kind().equals("unparseable-date"))
        .singleElement()
        .satisfies(
            w ->
                assertThat(w.detail())
                    .contains("[2J[31mFAKE line")
                    .doesNotContain("\u001b", "\u0000"));
  }

  /**
   * JSON escapes any character: a NUL, an ESC starting a terminal sequence and lone surrogates went
   * into the title, GUID and text as written, where an XML feed has them removed.
   */
  @Test
  void shouldRemoveCharactersXmlForbidsFromEveryString() {
    String json =
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"Wire\\u0000\","
            + "\"items\":[{\"id\":\"a\\udc00\",\"title\":\"Floods\\u001b[31m\","
            + "\"tags\":[\"\\ud800world\"]}]}";

    ParseResult result = parser.parse(json.getBytes(StandardCharsets.UTF_8), null);

    assertThat(result)
        .isInstanceOfSatisfying(
            ParseResult.Parsed.class,
            p -> {
              assertThat(p.feed().title()).isEqualTo("Wire");
              assertThat(p.feed().entries())
                  .extracting(ParsedEntry::guid, ParsedEntry::title)
                  .containsExactly(tuple("a", "Floods[31m"));
              assertThat(p.feed().entries().get(0).categories())
                  .extracting(Category::term)
                  .containsExactly("world");
              assertThat(p.feed().warnings())
                  .containsExactly(
                      new ParseWarning(
                          "invalid-xml-chars", "4 characters XML 1.0 forbids removed"));
            });
  }

  /**
   * A tree read keeps the last value of a key given twice and stops after the first JSON value,
   * both silently: a second {@code items} replaced the first, unseen, and a document concatenated
   * with another (or with junk) was read as if whole.
   */
  @Test
  void shouldWarnOfDuplicateKeysAndTrailingContent() {
    String json =
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"T\",\n"
            + "\"items\":[{\"id\":\"a\",\"title\":\"First\",\"title\":\"Second\"}],\n"
            + "\"items\":[{\"id\":\"b\"},{\"id\":\"c\",\"id\":\"d\"}]}\n"
            + "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[]}";

    ParsedFeed feed =
        ((ParseResult.Parsed) parser.parse(json.getBytes(StandardCharsets.UTF_8), null)).feed();

    assertThat(feed.entries()).extracting(ParsedEntry::guid).containsExactly("b", "d");
    assertThat(feed.warnings())
        .extracting(ParseWarning::kind, ParseWarning::detail)
        .containsExactlyInAnyOrder(
            tuple("trailing-content", "text after the JSON value, not read, from line 4, column 1"),
            tuple(
                "duplicate-key",
                "3 keys given more than once in one object, the last value of each read; the"
                    + " first: /items/0/title"));
  }

  @Test
  void shouldWarnOfTrailingTextThatIsNotJson() {
    String json = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[]} <html>";

    ParsedFeed feed =
        ((ParseResult.Parsed) parser.parse(json.getBytes(StandardCharsets.UTF_8), null)).feed();

    assertThat(feed.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.kind()).isEqualTo("trailing-content");
              assertThat(w.detail()).startsWith("text after the JSON value, not read, from line 1");
            });
  }

  @Test
  void shouldEncodeAttachmentAndImageUrlsAsMediaUrls() {
    String json =
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":\"a\","
            + "\"image\":\"https://img.example.org/a b.jpg\","
            + "\"attachments\":[{\"url\":\"https://cdn.example.org/clip|1.mp4\"}]}]}";

    ParsedFeed feed =
        ((ParseResult.Parsed) parser.parse(json.getBytes(StandardCharsets.UTF_8), null)).feed();

    assertThat(feed.entries().get(0).enclosures())
        .extracting(Enclosure::url)
        .containsExactly(
            "https://cdn.example.org/clip%7C1.mp4", "https://img.example.org/a%20b.jpg");
    assertThat(feed.warnings()).extracting(ParseWarning::kind).containsOnly("bad-field").hasSize(2);
  }
}
