package org.wireingest.parse;

import static org.wireingest.parse.FeedMapper.trimmed;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jsoup.nodes.Entities;
import org.wireingest.parse.ParsedEntry.Category;
import org.wireingest.parse.ParsedEntry.Enclosure;
import org.wireingest.text.UriReferences;

/**
 * Reads JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) into a {@link ParseResult}, as
 * Rome has no JSON Feed support. Bytes in, records out; no Jackson type leaves this class.
 *
 * <p>Mapping: {@code title}, {@code home_page_url} (the feed link), {@code language} (1.1) give the
 * feed; each item gives {@link ParsedEntry#guid()} = {@code id} (a string, or a number as its
 * text), {@code title}, {@code url} (resolved against {@code home_page_url}) and {@code
 * external_url} as links, {@code summary} as the description, {@code content_html} (else {@code
 * content_text}) as the content (the plain-text fields escaped as HTML: {@link #plainTextAsHtml}),
 * {@code authors[].name} (1.1) and {@code author.name} (1.0), {@code tags} as categories, {@code
 * date_published} / {@code date_modified} (RFC 3339, read by {@link FeedDates}), {@code language}
 * (1.1), and {@code attachments} ({@code url}, {@code mime_type}, {@code size_in_bytes}, {@code
 * title}) plus the item {@code image} as enclosures (source {@code enclosure}, the image with
 * medium {@code image}).
 *
 * <p>A field of the wrong JSON type becomes null with a {@code bad-field} warning, a size that is
 * not a whole number null with {@code bad-number}, a date that cannot be read null with {@code
 * unparseable-date}; an item that is not an object is skipped with {@code bad-field}. A key given
 * twice in one object is read with its last value ({@code duplicate-key}), text after the JSON
 * value is not read ({@code trailing-content}). Characters XML 1.0 forbids (C0 controls but tab, LF
 * and CR, lone surrogates, U+FFFE/F) are removed from every string ({@code invalid-xml-chars}), as
 * they are from an XML feed's text. The format is {@code json_<version>} ({@code json_1.1}); the
 * charset is UTF-8 (RFC 8259 §8.1), or the body decoder's for bytes that are not (see {@link
 * #parse}). Thread-safe (stateless).
 */
final class JsonFeedMapper {

  /** The prefix of a JSON Feed's {@code version} URL. */
  static final String VERSION_PREFIX = "https://jsonfeed.org/version/";

  /**
   * The most JSON tokens (each name, value, and start or end of an object or array) read from one
   * document: {@value}. A tree is built of them, some 100 bytes of heap each whatever the text, so
   * the 20 MiB body cap did not bound it: 18 MB of empty items, {@code [{},{},...]}, ran a 460 MiB
   * heap (the poller pod's) out of memory. A real feed of 5,000 items of 20 fields has about
   * 200,000. Jackson's {@link StreamReadConstraints#maxTokenCount()} enforces it as it reads.
   */
  static final long MAX_TOKENS = 500_000;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxTokenCount(MAX_TOKENS).build())
                  .build())
          .build();

  private final Warnings warnings;
  private final String homePage;

  private JsonFeedMapper(Warnings warnings, String homePage) {
    this.warnings = warnings;
    this.homePage = homePage;
  }

  /**
   * Whether a body is to be read as JSON: its first character other than a byte order mark or
   * whitespace is <code>{</code>, in its bytes as UTF-8 or in its text as {@link BodyDecoder} read
   * it (a UTF-16 or UTF-32 body with its byte order mark, which Jackson reads too), or its media
   * type is {@code application/feed+json}.
   *
   * @param body the bytes as received; never null
   * @param text the body as {@link BodyDecoder} read it; never null
   * @param contentTypeHeader the HTTP {@code Content-Type}; null when unknown
   * @return true for a JSON body
   */
  static boolean isJson(byte[] body, String text, String contentTypeHeader) {
    if (contentTypeHeader != null
        && contentTypeHeader.toLowerCase(Locale.ROOT).strip().startsWith("application/feed+json")) {
      return true;
    }
    int i =
        body.length >= 3
                && (body[0] & 0xff) == 0xEF
                && (body[1] & 0xff) == 0xBB
                && (body[2] & 0xff) == 0xBF
            ? 3
            : 0;
    while (i < body.length
        && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')) {
      i++;
    }
    if (i < body.length && body[i] == '{') {
      return true;
    }
    int c = text.startsWith("\uFEFF") ? 1 : 0;
    while (c < text.length() && " \t\r\n".indexOf(text.charAt(c)) >= 0) {
      c++;
    }
    return c < text.length() && text.charAt(c) == '{';
  }

  /**
   * Reads a JSON Feed. JSON is UTF-8 (RFC 8259 §8.1), so the bytes go to Jackson as they are (it
   * also reads UTF-16 and UTF-32, by a byte order mark or the zero bytes of the first characters),
   * whatever charset a label names (RFC 8259 §11: it has no effect). Bytes it cannot read that way,
   * such as a CMS's windows-1252, are read as the text the body decoder made of them for the XML
   * path (the label's charset, or the windows-1252 fallback): the feed is read rather than failed,
   * and its charset-mismatch is counted, by the decoder or, when the decoder took a label that fits
   * such bytes ({@code charset=windows-1252}), here.
   *
   * @param body a JSON body ({@link #isJson}); never null
   * @param decoded the body as {@link BodyDecoder} read it, its warnings already in {@code
   *     warnings}; never null
   * @param warnings where recoverable problems go
   * @return the feed, its charset UTF-8 or, for bytes read through the decoder, the decoder's;
   *     {@link ParseFailure#MALFORMED_JSON} for a body that is not JSON either way, {@link
   *     ParseFailure#UNSUPPORTED_FORMAT} for JSON that is not a JSON Feed (no {@code version}
   *     starting with {@value #VERSION_PREFIX})
   */
  static ParseResult parse(byte[] body, BodyDecoder.Decoded decoded, Warnings warnings) {
    JsonNode root;
    Charset charset = StandardCharsets.UTF_8;
    JsonParser bytes = null;
    try {
      bytes = MAPPER.createParser(body);
      root = readTree(bytes);
      warnOfWhatTheTreeHides(MAPPER.createParser(body), warnings);
    } catch (IOException asBytes) {
      if (pastTokenLimit(bytes)) {
        return tooManyTokens();
      }
      JsonParser text = null;
      try {
        text = MAPPER.createParser(decoded.text());
        root = readTree(text);
        warnOfWhatTheTreeHides(MAPPER.createParser(decoded.text()), warnings);
      } catch (IOException asText) {
        if (pastTokenLimit(text)) {
          return tooManyTokens();
        }
        // the reason in the text the decoder made, unless that is the bytes' UTF-8 anyway
        IOException reason = decoded.charset().equals(StandardCharsets.UTF_8) ? asBytes : asText;
        return new ParseResult.Failed(
            ParseFailure.MALFORMED_JSON,
            Warnings.oneLine(
                "not valid JSON: "
                    + (reason instanceof JacksonException jackson
                        ? jackson.getOriginalMessage()
                        : reason.getMessage())));
      }
      charset = decoded.charset();
      if (!charset.equals(StandardCharsets.UTF_8) && !charsetWarned(warnings)) {
        warnings.add(
            "charset-mismatch",
            "declared " + charset.name() + ", but JSON is UTF-8 (RFC 8259 §8.1)");
      }
    }
    long[] invalid = {0};
    root = root == null ? null : withoutInvalidChars(root, invalid);
    if (invalid[0] > 0) {
      warnings.add("invalid-xml-chars", invalid[0] + " characters XML 1.0 forbids removed");
    }
    String version = root == null ? null : text(root.get("version"));
    if (version == null || !version.startsWith(VERSION_PREFIX)) {
      return new ParseResult.Failed(
          ParseFailure.UNSUPPORTED_FORMAT,
          "JSON without a version starting with " + VERSION_PREFIX + ": not a JSON Feed");
    }
    JsonFeedMapper mapper = new JsonFeedMapper(warnings, null);
    String homePage = mapper.string(root, "home_page_url");
    mapper = new JsonFeedMapper(warnings, homePage);
    List<ParsedEntry> entries = new ArrayList<>();
    JsonNode items = root.get("items");
    if (items != null && !items.isArray()) {
      warnings.add("bad-field", "items is not an array");
    } else if (items != null) {
      for (JsonNode item : items) {
        if (item.isObject()) {
          entries.add(mapper.entry(item));
        } else {
          warnings.add("bad-field", "item is not an object: " + item);
        }
      }
    }
    return new ParseResult.Parsed(
        new ParsedFeed(
            "json_" + version.substring(VERSION_PREFIX.length()),
            charset.name(),
            mapper.string(root, "title"),
            homePage,
            mapper.string(root, "language"),
            null,
            entries,
            warnings.list()));
  }

  /**
   * The value without the characters XML 1.0 forbids in any string of it, strings inside changed in
   * place: JSON can escape any of them ({@code \u0000}, {@code \u001b}, a lone {@code \ud800}), and
   * they went into titles, GUIDs and text as written.
   *
   * @param removed where the count of characters removed is added, at index 0
   */
  private static JsonNode withoutInvalidChars(JsonNode value, long[] removed) {
    if (value.isTextual()) {
      String clean = XmlText.withoutInvalidChars(value.textValue());
      removed[0] += value.textValue().length() - clean.length();
      return clean.length() == value.textValue().length() ? value : TextNode.valueOf(clean);
    }
    if (value instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        field.setValue(withoutInvalidChars(field.getValue(), removed));
      }
    } else if (value instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, withoutInvalidChars(array.get(i), removed));
      }
    }
    return value;
  }

  /** Warning kind: a key given more than once in one object; the tree kept its last value. */
  static final String DUPLICATE_KEY = "duplicate-key";

  /** Warning kind: text after the JSON value, which is not read. */
  static final String TRAILING_CONTENT = "trailing-content";

  /**
   * Reads one JSON value as a tree, then closes the parser.
   *
   * @param parser a parser of {@link #MAPPER} at the start of the text; never null
   * @return the tree; null for a text without a value (empty or only whitespace)
   * @throws IOException the text is not JSON, or it is past one of the parser's limits ({@link
   *     #pastTokenLimit} tells the token count from the others)
   */
  private static JsonNode readTree(JsonParser parser) throws IOException {
    try (parser) {
      return MAPPER.readTree(parser);
    }
  }

  /**
   * Whether a read failed at {@link #MAX_TOKENS}: Jackson raises one {@link
   * StreamConstraintsException} for all its limits, and the others (nesting 1,000 deep, a number of
   * 1,000 digits) mean malformed JSON, not a document too large. The parser's own count tells them
   * apart: only the token limit leaves it past {@link #MAX_TOKENS}.
   *
   * @param parser the parser the read failed in; null when it could not be created
   */
  private static boolean pastTokenLimit(JsonParser parser) {
    return parser != null && parser.currentTokenCount() > MAX_TOKENS;
  }

  private static ParseResult tooManyTokens() {
    return new ParseResult.Failed(
        ParseFailure.TOO_LARGE,
        "more than " + MAX_TOKENS + " JSON tokens in the document (real feeds have far fewer)");
  }

  /**
   * Reads the JSON text a tree was just read from once more, token by token, for what the tree does
   * not show: keys given more than once in one object (RFC 8259 §4: names "SHOULD be unique"; the
   * tree keeps the last value, as JavaScript does) and anything after the first JSON value (which
   * the tree read leaves unread). At most one warning of each kind per document: {@value
   * #DUPLICATE_KEY} names the first such key by its JSON Pointer (RFC 6901) and counts them,
   * {@value #TRAILING_CONTENT} gives where the unread text starts.
   *
   * @param parser a parser over the same text the tree was read from; closed here
   * @param warnings where the warnings go
   */
  private static void warnOfWhatTheTreeHides(JsonParser parser, Warnings warnings)
      throws IOException {
    Deque<Set<String>> keys = new ArrayDeque<>();
    String firstDuplicate = null;
    int duplicates = 0;
    boolean valueRead = false;
    try (parser) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (valueRead) {
          warnings.add(TRAILING_CONTENT, trailing(parser.currentTokenLocation()));
          break;
        }
        if (token == JsonToken.START_OBJECT) {
          keys.push(new HashSet<>());
        } else if (token == JsonToken.START_ARRAY) {
          keys.push(Set.of());
        } else if (token.isStructEnd()) {
          keys.pop();
        } else if (token == JsonToken.FIELD_NAME && !keys.peek().add(parser.currentName())) {
          duplicates++;
          if (firstDuplicate == null) {
            firstDuplicate = parser.getParsingContext().pathAsPointer().toString();
          }
        }
        valueRead = keys.isEmpty();
      }
    } catch (StreamReadException e) {
      if (valueRead) {
        warnings.add(TRAILING_CONTENT, trailing(e.getLocation()));
      } else {
        throw e;
      }
    }
    if (duplicates > 0) {
      warnings.add(
          DUPLICATE_KEY,
          (duplicates == 1
                  ? "a key given twice in one object"
                  : duplicates + " keys given more than once in one object")
              + ", the last value of each read; the first: "
              + firstDuplicate);
    }
  }

  private static String trailing(JsonLocation at) {
    return "text after the JSON value, not read, from line "
        + at.getLineNr()
        + ", column "
        + at.getColumnNr();
  }

  /** Whether the body decoder has said that the bytes are not what a label or UTF-8 says. */
  private static boolean charsetWarned(Warnings warnings) {
    return warnings.list().stream()
        .anyMatch(w -> w.kind().equals("charset-mismatch") || w.kind().equals("invalid-bytes"));
  }

  private ParsedEntry entry(JsonNode item) {
    JsonNode idNode = item.get("id");
    String id = idNode != null && idNode.isNumber() ? idNode.asText() : string(item, "id");
    String url = resolve(string(item, "url"));
    Set<String> links = new LinkedHashSet<>();
    if (url != null) {
      links.add(url);
    }
    String external = resolve(string(item, "external_url"));
    if (external != null) {
      links.add(external);
    }
    String contentHtml = string(item, "content_html");
    String publishedRaw = string(item, "date_published");
    String updatedRaw = string(item, "date_modified");
    return new ParsedEntry(
        id,
        null,
        string(item, "title"),
        url,
        List.copyOf(links),
        plainTextAsHtml(string(item, "summary")),
        contentHtml != null ? contentHtml : plainTextAsHtml(string(item, "content_text")),
        authors(item),
        categories(item),
        publishedRaw,
        date(publishedRaw),
        updatedRaw,
        date(updatedRaw),
        enclosures(item),
        string(item, "language"),
        null,
        null,
        null);
  }

  /**
   * JSON Feed's {@code summary} and {@code content_text} are plain text (JSON Feed 1.1, "Items"),
   * while the entry's description and content are HTML: the text is escaped ({@code a < b & c}
   * stays text, and {@code <script>} is shown, not run), and its paragraphs (lines separated by
   * blank lines) and line breaks become {@code <p>} and {@code <br>}. A single line stays a line of
   * text without markup, so a plain summary is still the article's {@code summary}.
   *
   * @param text plain text; null gives null
   * @return the same text as HTML; null when {@code text} is null
   */
  static String plainTextAsHtml(String text) {
    if (text == null) {
      return null;
    }
    String normalized = text.replace("\r\n", "\n").replace('\r', '\n').strip();
    if (normalized.indexOf('\n') < 0) {
      return Entities.escape(normalized);
    }
    StringBuilder html = new StringBuilder(normalized.length() + 32);
    for (String paragraph : normalized.split("\n[ \t]*\n\\s*")) {
      html.append("<p>");
      String[] lines = paragraph.strip().split("\n");
      for (int i = 0; i < lines.length; i++) {
        html.append(i == 0 ? "" : "<br>").append(Entities.escape(lines[i].strip()));
      }
      html.append("</p>");
    }
    return html.toString();
  }

  private List<String> authors(JsonNode item) {
    Set<String> names = new LinkedHashSet<>();
    JsonNode authors = item.get("authors");
    if (authors != null && authors.isArray()) {
      authors.forEach(author -> addIfPresent(names, string(author, "name")));
    } else if (authors != null) {
      warnings.add("bad-field", "authors is not an array");
    }
    JsonNode author = item.get("author");
    if (author != null && author.isObject()) {
      addIfPresent(names, string(author, "name"));
    }
    return List.copyOf(names);
  }

  private List<Category> categories(JsonNode item) {
    Set<Category> categories = new LinkedHashSet<>();
    JsonNode tags = item.get("tags");
    if (tags != null && tags.isArray()) {
      for (JsonNode tag : tags) {
        if (!tag.isTextual()) {
          warnings.add("bad-field", "tag is not a string: " + tag);
          continue;
        }
        String term = trimmed(tag.asText());
        if (term != null) {
          categories.add(new Category(term, null, null));
        }
      }
    } else if (tags != null) {
      warnings.add("bad-field", "tags is not an array");
    }
    return List.copyOf(categories);
  }

  private List<Enclosure> enclosures(JsonNode item) {
    Set<Enclosure> enclosures = new LinkedHashSet<>();
    JsonNode attachments = item.get("attachments");
    if (attachments != null && attachments.isArray()) {
      for (JsonNode attachment : attachments) {
        String url =
            resolve(
                MediaUrls.readable(string(attachment, "url"), "attachment url", warnings)
                    .orElse(null));
        if (url != null) {
          enclosures.add(
              new Enclosure(
                  url,
                  string(attachment, "mime_type"),
                  size(attachment.get("size_in_bytes")),
                  null,
                  null,
                  null,
                  string(attachment, "title"),
                  "enclosure"));
        }
      }
    } else if (attachments != null) {
      warnings.add("bad-field", "attachments is not an array");
    }
    String image =
        resolve(MediaUrls.readable(string(item, "image"), "image", warnings).orElse(null));
    if (image != null) {
      enclosures.add(new Enclosure(image, null, null, "image", null, null, null, "enclosure"));
    }
    return List.copyOf(enclosures);
  }

  /**
   * {@code size_in_bytes}: a whole number of bytes, not negative; else null and {@code bad-number}.
   */
  private Long size(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.canConvertToExactIntegral() && node.canConvertToLong() && node.asLong() >= 0) {
      return node.asLong();
    }
    warnings.add("bad-number", "attachment size_in_bytes '" + node.asText() + "'");
    return null;
  }

  private Instant date(String raw) {
    if (raw == null) {
      return null;
    }
    Instant instant = FeedDates.parse(raw).orElse(null);
    if (instant == null) {
      warnings.add("unparseable-date", raw);
    }
    return instant;
  }

  /**
   * A string member, trimmed; null when absent, null or blank, and with a {@code bad-field} warning
   * when not a string.
   */
  private String string(JsonNode object, String name) {
    JsonNode node = object.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      warnings.add("bad-field", name + " is not a string: " + node);
      return null;
    }
    return trimmed(node.asText());
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? trimmed(node.asText()) : null;
  }

  /**
   * The link made absolute against {@code home_page_url} when relative (RFC 3986 §5, {@link
   * UriReferences#absolute}); as given when it cannot be.
   */
  private String resolve(String link) {
    return UriReferences.absolute(homePage, link);
  }

  private static void addIfPresent(Set<String> values, String value) {
    if (value != null) {
      values.add(value);
    }
  }
}
