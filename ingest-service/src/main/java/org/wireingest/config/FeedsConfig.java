package org.wireingest.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.wireingest.fetch.Redaction;
import org.wireingest.model.ErrorText;
import org.wireingest.text.Shortened;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads and validates a feeds list (YAML):
 *
 * <pre>
 * sources:
 *   - id: trtworld-world            # [a-z0-9-]+, unique, stable (required)
 *     name: TRT World — World        # required; at most 200 characters, no control characters
 *     agency: trtworld               # [a-z0-9-]+ (required): article uris are scoped by it
 *     url: https://www.trtworld.com/feed/rss.xml   # http, https or file (required)
 *     interval: PT2M                 # duration (ISO-8601 or 2m); default PT5M, at least 10s, at most 24h
 *     language: en                   # BCP 47; default for entries that state none (optional)
 *     identity: auto                 # auto | guid | link | content (default auto)
 *     headers: {}                    # extra HTTP request headers, values never logged
 * </pre>
 *
 * <p>Unknown keys are errors (a typo must not silently fall back to a default). Every error is one
 * {@link ConfigException} naming the file, the source and the field.
 */
public final class FeedsConfig {

  /** Default poll interval when a source gives none. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

  /** Shortest accepted poll interval: anything faster is abuse of the publisher's server. */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(10);

  /** The longest poll interval a feed may have: a feed polled less often is not a wire. */
  public static final Duration MAX_INTERVAL = Duration.ofDays(1);

  /** Longest feed name accepted, in characters (code points). */
  public static final int MAX_NAME_LENGTH = 200;

  /** Longest feed or agency id, in characters ({@link #ID_RULE}). */
  private static final int MAX_ID_LENGTH = 100;

  private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");

  /** What {@link #isSourceId} and {@link #isAgencyId} require, as error messages say it. */
  public static final String ID_RULE =
      "must be 1-100 characters of [a-z0-9-], starting with a letter or digit";

  /**
   * The one agency id refused although it follows {@link #ID_RULE}: its article uris, {@code
   * urn:wire:cluster:<hash>}, would read as near-duplicate cluster ids (DESIGN.md).
   */
  public static final String RESERVED_AGENCY = "cluster";

  /** What {@link #isLanguageTag} requires, as error messages say it. */
  public static final String LANGUAGE_RULE = "not a BCP 47 language tag";

  private static final Set<String> KEYS =
      Set.of("id", "name", "agency", "url", "interval", "language", "identity", "headers");

  /**
   * Largest feeds list read, in characters (Unicode code points): 64 Mi, some 300,000 feeds.
   * SnakeYAML's default, 3 Mi, refused a list of about 17,000 feeds, fewer than the tens of
   * thousands DESIGN.md plans for.
   */
  static final int MAX_CODE_POINTS = 64 * 1024 * 1024;

  /**
   * Largest feeds list file read, in bytes: {@link #MAX_CODE_POINTS} of at most 4 UTF-8 bytes each.
   * A larger file is refused by its size, unread: reading one of over 2 GiB was an {@code
   * OutOfMemoryError} ("Required array size too large"), and one of hundreds of MiB a heap's worth.
   */
  static final long MAX_BYTES = 4L * MAX_CODE_POINTS;

  // Duplicate keys are errors: "id: a" then "id: b" in one source must not silently keep the last.
  /**
   * YAML 1.1 boolean-like words ({@code no}, {@code yes}, {@code on}, {@code off}, {@code y},
   * {@code n}) stay strings: no field of a feeds list is a boolean, and {@code language: no}
   * (Norwegian) or a header value {@code yes} must not turn into {@code false} / {@code true}.
   */
  private static final ObjectMapper YAML =
      new ObjectMapper(
              YAMLFactory.builder()
                  .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                  .loaderOptions(loaderOptions())
                  .build())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_CODE_POINTS);
    return options;
  }

  /** RFC 9110 token characters: the legal characters of a header field name. */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** Headers the HTTP client owns (framing, routing, conditional GET): a feed may not set them. */
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of(
          "host",
          "connection",
          "content-length",
          "transfer-encoding",
          "upgrade",
          "expect",
          "te",
          "trailer",
          "keep-alive",
          "accept-encoding",
          "if-none-match",
          "if-modified-since");

  /**
   * Top-level fields whose names start with this are not read: they hold settings sources share
   * through YAML anchors and merge keys ({@code x-defaults: &trt {agency: trtworld}}, then {@code -
   * <<: *trt}), as Compose files' extension fields do.
   */
  public static final String EXTENSION_PREFIX = "x-";

  private FeedsConfig() {}

  /**
   * @param file the feeds list
   * @return the sources in file order; never empty
   * @throws ConfigException when the file is missing, unreadable, not YAML, or any source is
   *     invalid
   */
  public static List<FeedSource> load(Path file) {
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new ConfigException(
            file
                + ": feeds list too large: "
                + size
                + " bytes (at most "
                + MAX_CODE_POINTS
                + " characters)");
      }
      text = utf8(Files.readAllBytes(file), file);
    } catch (NoSuchFileException e) {
      // a relative path (the default deploy/feeds/agencies.yaml) is read from the working
      // directory, which a newcomer starting the jar elsewhere does not expect
      throw new ConfigException(
          file
              + ": feeds list not found"
              + (file.isAbsolute()
                  ? ""
                  : " (read relative to the working directory "
                      + Path.of("").toAbsolutePath()
                      + "; give --feeds the path of your list)"));
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read feeds list: " + ErrorText.describe(e));
    }
    return parse(text, file.toString(), file.toAbsolutePath().getParent());
  }

  /**
   * The feeds list's bytes as text: UTF-8, a leading byte order mark left to the YAML parser.
   *
   * @throws ConfigException naming the line of the first byte sequence that is not UTF-8 (a list
   *     saved as Latin-1 or UTF-16 said only "MalformedInputException: Input length = 1")
   */
  private static String utf8(byte[] bytes, Path file) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(in)
          .toString();
    } catch (CharacterCodingException e) {
      int at = in.position();
      int line = 1;
      for (int i = 0; i < at && i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new ConfigException(
          file
              + ": feeds list is not UTF-8 text (line "
              + line
              + ", byte "
              + (at + 1)
              + "): save it as UTF-8");
    }
  }

  /**
   * @param yaml the feeds list text
   * @param fileName name used in error messages
   * @param baseDir directory against which relative {@code file:} paths resolve; null for the
   *     working directory
   * @return the validated sources in order; never empty
   * @throws ConfigException on the first invalid field
   */
  public static List<FeedSource> parse(String yaml, String fileName, Path baseDir) {
    JsonNode root;
    try (YAMLParser parser = (YAMLParser) YAML.createParser(yaml)) {
      root = readRoot(parser);
      // readTree stops after the first document: the feeds of a second one would never be polled.
      // An empty one (a stray '---' at the end, as templating tools leave) holds none: it reads as
      // null, or as "" with PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS.
      JsonToken next = root == null ? null : parser.nextToken();
      while (next == JsonToken.VALUE_NULL
          || next == JsonToken.VALUE_STRING && parser.getText().isBlank()) {
        next = parser.nextToken();
      }
      if (next != null) {
        throw new ConfigException(
            fileName
                + ": more than one YAML document (a second one starts at line "
                + parser.currentTokenLocation().getLineNr()
                + "); put every source under the one top-level 'sources:' list");
      }
    } catch (YamlTree.YamlException e) {
      throw new ConfigException(
          fileName + ": not valid YAML (line " + e.line() + "): " + e.getMessage());
    } catch (JacksonException e) {
      int line = problemLine(e, yaml);
      String where = line > 0 ? " (line " + line + ")" : "";
      throw new ConfigException(
          fileName
              + ": not valid YAML"
              + where
              + ": "
              + oneLine(e.getOriginalMessage())
              + dashHint(yaml, line));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String: not expected
    }
    if (root == null || !root.isObject() || !root.has("sources")) {
      throw new ConfigException(fileName + ": expected a top-level 'sources:' list");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      // x-... fields hold what sources share, for anchors and merge keys (as Compose files do)
      if (!"sources".equals(key) && !key.startsWith(EXTENSION_PREFIX)) {
        throw new ConfigException(
            fileName
                + ": unknown top-level field '"
                + given(key)
                + "' (only 'sources' is known, and fields named "
                + EXTENSION_PREFIX
                + "... for anchors)");
      }
    }
    JsonNode sources = root.get("sources");
    if (!sources.isArray() || sources.isEmpty()) {
      throw new ConfigException(fileName + ": 'sources' must be a non-empty list");
    }
    List<FeedSource> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < sources.size(); i++) {
      FeedSource s = source(sources.get(i), fileName, i + 1, baseDir);
      if (!ids.add(s.id())) {
        throw new ConfigException(
            fileName + ": source #" + (i + 1) + " (id '" + s.id() + "'): field 'id': duplicate id");
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  /**
   * @return the first document's tree, null when there is none
   * @throws YamlTree.YamlException also for a limit of the parser's passed (nesting deeper than
   *     1,000 levels), which Jackson reports without a line
   */
  private static JsonNode readRoot(YAMLParser parser) throws IOException {
    try {
      return parser.nextToken() == null ? null : YamlTree.read(parser, YAML);
    } catch (StreamConstraintsException e) {
      throw new YamlTree.YamlException(
          oneLine(e.getOriginalMessage()), parser.currentLocation().getLineNr());
    }
  }

  private static FeedSource source(JsonNode n, String file, int index, Path baseDir) {
    String where = file + ": source #" + index;
    if (n == null || !n.isObject()) {
      throw new ConfigException(where + ": expected a mapping with id, name, agency, url");
    }
    String idText = n.hasNonNull("id") ? n.get("id").asText() : null;
    if (idText != null) {
      where = where + " (id '" + given(idText) + "')";
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new ConfigException(
            where
                + ": field '"
                + given(key)
                + "': unknown field (known: "
                + String.join(", ", KEYS.stream().sorted().toList())
                + ")");
      }
    }
    String id = required(n, "id", where);
    if (!followsIdRule(id)) {
      throw new ConfigException(where + ": field 'id': " + ID_RULE + " (got '" + given(id) + "')");
    }
    String name = required(n, "name", where);
    checkName(name, where);
    String agency = required(n, "agency", where);
    if (!isAgencyId(agency)) {
      throw new ConfigException(where + ": field 'agency': " + agencyError(agency));
    }
    URI url = url(required(n, "url", where), where, baseDir);
    Duration interval = DEFAULT_INTERVAL;
    if (n.hasNonNull("interval")) {
      try {
        interval = Durations.parse(n.get("interval").asText());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + ": field 'interval': " + e.getMessage());
      }
      if (interval.compareTo(MIN_INTERVAL) < 0) {
        throw new ConfigException(
            where
                + ": field 'interval': must be at least "
                + MIN_INTERVAL.toSeconds()
                + "s (got "
                + n.get("interval").asText()
                + ")");
      }
      if (interval.compareTo(MAX_INTERVAL) > 0) {
        throw new ConfigException(
            where
                + ": field 'interval': must be at most "
                + MAX_INTERVAL.toHours()
                + "h (got "
                + n.get("interval").asText()
                + ")");
      }
    }
    String language = null;
    if (n.hasNonNull("language")) {
      language = n.get("language").asText().trim();
      if (!isLanguageTag(language)) {
        throw new ConfigException(
            where + ": field 'language': " + LANGUAGE_RULE + " (got '" + given(language) + "')");
      }
    }
    IdentityPolicy identity = IdentityPolicy.AUTO;
    if (n.hasNonNull("identity")) {
      String v = n.get("identity").asText().trim().toUpperCase(Locale.ROOT);
      try {
        identity = IdentityPolicy.valueOf(v);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            where
                + ": field 'identity': must be one of auto, guid, link, content (got '"
                + given(n.get("identity").asText())
                + "')");
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (n.hasNonNull("headers")) {
      JsonNode h = n.get("headers");
      if (!h.isObject()) {
        throw new ConfigException(
            where + ": field 'headers': must be a mapping of header name to value");
      }
      for (Map.Entry<String, JsonNode> e : h.properties()) {
        String header = e.getKey();
        if (!HEADER_NAME.matcher(header).matches()) {
          throw new ConfigException(
              where
                  + ": field 'headers': '"
                  + given(header)
                  + "' is not a valid header name (RFC 9110 token)");
        }
        if (headers.keySet().stream().anyMatch(header::equalsIgnoreCase)) {
          // header names are case-insensitive (RFC 9110 §5.1): the client would send one value
          throw new ConfigException(
              where
                  + ": field 'headers': '"
                  + header
                  + "' is given twice (header names are case-insensitive)");
        }
        if (RESTRICTED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
          throw new ConfigException(
              where
                  + ": field 'headers': '"
                  + header
                  + "' is set by wire-ingest itself and cannot be configured");
        }
        if (e.getValue() == null || e.getValue().isNull() || !e.getValue().isValueNode()) {
          throw new ConfigException(
              where + ": field 'headers': the value of '" + header + "' must be a string");
        }
        String value = e.getValue().asText();
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
          throw new ConfigException(
              where + ": field 'headers': the value of '" + header + "' contains a line break");
        }
        int bad = firstNonFieldValueChar(value);
        if (bad >= 0) {
          throw new ConfigException(
              where
                  + ": field 'headers': the value of '"
                  + header
                  + "' contains "
                  + String.format(Locale.ROOT, "U+%04X", (int) value.charAt(bad))
                  + " at index "
                  + bad
                  + ", which HTTP cannot send (RFC 9110 field value: visible ASCII, space, tab,"
                  + " or U+0080-U+00FF)");
        }
        headers.put(header, value);
      }
    }
    return new FeedSource(id, name, agency, url, interval, language, identity, headers);
  }

  /**
   * Refuses a feed name that would garble the lines it appears in (logs, the status page and every
   * article event's {@code source.name}): one over {@link #MAX_NAME_LENGTH} characters, or one
   * holding a control character (C0, DEL, C1), a line or paragraph separator (U+2028, U+2029: a
   * line break to many log viewers) or a bidirectional embedding, override or isolate
   * (U+202A-U+202E, U+2066-U+2069), which reorders the text around it on a terminal.
   */
  private static void checkName(String name, String where) {
    int length = name.codePointCount(0, name.length());
    if (length > MAX_NAME_LENGTH) {
      throw new ConfigException(
          where
              + ": field 'name': must be at most "
              + MAX_NAME_LENGTH
              + " characters (got "
              + length
              + ")");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Shortened.garbles(c)) {
        throw new ConfigException(
            where
                + ": field 'name': contains "
                + String.format(Locale.ROOT, "U+%04X", (int) c)
                + " at index "
                + i
                + ", a control or text-direction character (names appear in logs, the status page"
                + " and article events' source.name)");
      }
    }
  }

  /**
   * The line of a YAML syntax error, 1-based: where SnakeYAML found the problem (a tab used as
   * indentation, a key without its space), not Jackson's location, which is the last token it read
   * before it, often the line above; where the problem is the end of the text (a quote never
   * closed), the line of what was left open; 0 when none is known.
   */
  private static int problemLine(JacksonException e, String yaml) {
    if (e.getCause() instanceof MarkedYAMLException marked) {
      Mark problem = marked.getProblemMark();
      // the mark's index counts code points, not chars: an emoji is one
      String text = yaml.stripTrailing();
      if (problem != null && problem.getIndex() < text.codePointCount(0, text.length())) {
        return problem.getLine() + 1;
      }
      if (marked.getContextMark() != null) {
        return marked.getContextMark().getLine() + 1;
      }
    }
    return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
  }

  /** A list item's dash with no space after it ({@code -id: b}), on the line an error names. */
  private static final Pattern DASH_WITHOUT_SPACE = Pattern.compile("\\s*-[^\\s-].*");

  /**
   * A hint for the one slip whose parser message reads as nonsense: {@code -id: b}, the space after
   * a list item's dash left out, is a key named {@code -id} to SnakeYAML ("expected <block end>,
   * but found '?'").
   *
   * @param line the 1-based line the error names; 0 when none
   * @return {@code "; a list item needs a space after its dash: '- id: b'"} when that line starts
   *     so; else empty
   */
  private static String dashHint(String yaml, int line) {
    if (line <= 0) {
      return "";
    }
    String text = yaml.lines().skip(line - 1L).findFirst().orElse("");
    if (!DASH_WITHOUT_SPACE.matcher(text).matches()) {
      return "";
    }
    String item = text.strip();
    return "; a list item needs a space after its dash: '- "
        + Shortened.line(item.substring(1), 60)
        + "'";
  }

  /**
   * The YAML parser's message on one line: SnakeYAML spreads it over several, quoting the offending
   * lines (indented) under a caret; only the unindented problem statements are kept.
   */
  private static String oneLine(String parserMessage) {
    if (parserMessage == null) {
      return "";
    }
    List<String> problems =
        parserMessage
            .lines()
            .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
            .map(String::strip)
            .toList();
    return problems.isEmpty()
        ? parserMessage.replaceAll("\\s+", " ").strip()
        : String.join("; ", problems);
  }

  /**
   * The index of the first character of {@code value} that an HTTP field value cannot hold (RFC
   * 9110 §5.5: {@code field-vchar} is VCHAR or obs-text, with SP and HTAB between), which the JDK's
   * HTTP client refuses at every request; -1 when there is none.
   */
  private static int firstNonFieldValueChar(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = c == ' ' || c == '\t' || c >= 0x21 && c <= 0x7e || c >= 0x80 && c <= 0xff;
      if (!ok) {
        return i;
      }
    }
    return -1;
  }

  private static String required(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v != null && !v.isNull() && !v.isValueNode()) {
      // a mapping or a list: asText() gives "", which must not read as "missing"
      throw new ConfigException(where + ": field '" + field + "': must be a string");
    }
    if (v == null || v.isNull() || v.asText().isBlank()) {
      throw new ConfigException(where + ": field '" + field + "': missing");
    }
    return v.asText().trim();
  }

  private static URI url(String text, String where, Path baseDir) {
    try {
      return feedUrl(text, baseDir);
    } catch (ConfigException e) {
      throw new ConfigException(where + ": field 'url': " + e.getMessage());
    }
  }

  /**
   * A feed address as a message quotes it: without user-info ({@code user:password@}, also where
   * {@link URI} reads no user-info, as in a host name it refuses) and with the values of secret
   * query parameters masked ({@link Redaction#url}); of a text that is no URI, the whole query is
   * masked. Messages reach the terminal and service logs as they are.
   */
  static String quoted(String text) {
    String shown = Redaction.withoutUserInfo(text);
    try {
      return given(Redaction.url(new URI(shown)));
    } catch (URISyntaxException e) {
      int cut = shown.indexOf('?');
      if (cut < 0) {
        cut = shown.indexOf('#');
        return given(cut < 0 ? shown : shown.substring(0, cut));
      }
      return given(shown.substring(0, cut + 1) + Redaction.MASK);
    }
  }

  /**
   * A value from the feeds list as a message quotes it: cut to {@value #MAX_QUOTED_CHARS}
   * characters, control and text-direction characters written as {@code \\uXXXX} ({@link
   * Shortened#escaped}), so it shows what is wrong instead of garbling the terminal or log line.
   */
  private static String given(String value) {
    return Shortened.escaped(value, MAX_QUOTED_CHARS);
  }

  /** The most characters of a value a message quotes. */
  private static final int MAX_QUOTED_CHARS = 200;

  private static boolean hasHost(String text) {
    try {
      return new URI(text).getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /**
   * What a message refusing {@code text} adds when the fault is in the user-info {@link #quoted}
   * leaves out: without it the text reads as a URL with a host, so the quoted URL shows nothing
   * wrong and the user needs to be told where to look; empty otherwise.
   */
  private static String credentialsHint(String text) {
    String shown = Redaction.withoutUserInfo(text);
    if (shown.equals(text)) {
      return "";
    }
    return hasHost(shown) ? " " + CREDENTIALS_HINT : "";
  }

  /** Said after a quoted feed URL whose fault is in its user-info, which is not shown. */
  static final String CREDENTIALS_HINT =
      "(the fault is in its credentials, not shown; in them write @ / ? # % and space as %40 %2F"
          + " %3F %23 %25 %20)";

  /**
   * Reads a feed's address as the feeds list's {@code url} field does: {@code http} and {@code
   * https} URLs with a host (and a port in 1–65535, when given), and {@code file} URLs of this host
   * ({@code file:///path}, {@code file://localhost/path}, or {@code file:relative/path}, resolved
   * against {@code baseDir}). One reading for the feeds list and {@code check-feed}.
   *
   * @param text the address as written; not null
   * @param baseDir directory against which a relative {@code file:} path resolves; null for the
   *     working directory
   * @return the http(s) URL as given, or the {@code file:} URI of an absolute, normalised path
   * @throws ConfigException when it is no such address; the message names the problem and quotes
   *     {@code text} without its credentials ({@link #quoted}), without a file or source name
   */
  public static URI feedUrl(String text, Path baseDir) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new ConfigException(
          "not a URL (" + e.getReason() + "): " + quoted(text) + credentialsHint(text));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "http":
      case "https":
        if (uri.getHost() == null) {
          throw new ConfigException("no host in " + quoted(text) + credentialsHint(text));
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
          throw new ConfigException("port " + uri.getPort() + " is not 1-65535 in " + quoted(text));
        }
        return uri;
      case "file":
        String authority = uri.getAuthority();
        if (authority != null && !authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
          // java.net.URI keeps the host apart from the path: file://server/x.xml is not /x.xml
          String host = authority.substring(authority.lastIndexOf('@') + 1);
          if (host.isEmpty() || host.equalsIgnoreCase("localhost")) {
            throw new ConfigException(
                "a file URL takes no user:password part (not shown): "
                    + quoted(text)
                    + " (file:///path, file:relative/path)");
          }
          throw new ConfigException(
              "the file URL names host '"
                  + host
                  + "'; only local files can be read (file:///path, file:relative/path)");
        }
        String path = uri.getPath();
        if (path == null || path.isEmpty()) {
          // file:relative/path.xml
          path = uri.getSchemeSpecificPart();
        }
        Path p;
        try {
          p = Path.of(path);
        } catch (InvalidPathException e) {
          throw new ConfigException("not a file path (" + e.getReason() + "): " + quoted(text));
        }
        if (!p.isAbsolute() && baseDir != null) {
          p = baseDir.resolve(p).normalize();
        }
        return p.toAbsolutePath().toUri();
      default:
        throw new ConfigException(
            "scheme must be http, https or file (got '" + quoted(text) + "')");
    }
  }

  /**
   * @param id a feed (source) id; null gives false
   * @return whether it is one the feeds list accepts: {@link #ID_RULE}
   */
  public static boolean isSourceId(String id) {
    return id != null && followsIdRule(id);
  }

  /**
   * Whether a text follows {@link #ID_RULE}, the regular expression {@code
   * [a-z0-9][a-z0-9-]{0,99}}, checked character by character: the normalizer asks it four times per
   * raw item (its key's and source's feed id, the agency id twice), and a regular-expression
   * matcher for each was ~1 KB of its allocation per item.
   */
  private static boolean followsIdRule(String id) {
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' && i > 0)) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param agency an agency id; null gives false
   * @return whether it is one the feeds list accepts: lower-case letters, digits and {@code -},
   *     starting with a letter or digit, at most 100 characters, and not {@value #RESERVED_AGENCY}
   */
  public static boolean isAgencyId(String agency) {
    return agency != null && followsIdRule(agency) && !agency.equals(RESERVED_AGENCY);
  }

  /**
   * @param agency an agency id {@link #isAgencyId} refuses
   * @return why, for an error message: the rule, or that the id is reserved, and the id given
   */
  public static String agencyError(String agency) {
    String given = given(agency);
    return RESERVED_AGENCY.equals(agency)
        ? "'"
            + RESERVED_AGENCY
            + "' is reserved (urn:wire:cluster:... names near-duplicate clusters)"
        : ID_RULE + " (got '" + given + "')";
  }

  /**
   * @param language a language tag; null gives false
   * @return whether it has the shape of a BCP 47 tag (RFC 5646) the feeds list accepts: a 2–3
   *     letter primary language, then {@code -}-separated subtags of 1–8 letters or digits
   */
  public static boolean isLanguageTag(String language) {
    return language != null && LANGUAGE.matcher(language).matches();
  }
}
