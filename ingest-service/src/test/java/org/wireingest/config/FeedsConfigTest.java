package org.wireingest.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FeedsConfigTest {

  private static final String FILE = "feeds.yaml";

  /** A valid first source, so that errors in the second one must name source #2. */
  private static final String FIRST =
      """
      sources:
        - id: trtworld-world
          name: TRT World — World
          agency: trtworld
          url: https://www.trtworld.com/feed/rss.xml
      """;

  /**
   * The repository's deploy/feeds directory, seen from the module directory (the tests' working
   * directory).
   */
  private static final Path DEPLOY_FEEDS = Path.of("..", "deploy", "feeds");

  @TempDir Path dir;

  private static List<FeedSource> parse(String yaml) {
    return FeedsConfig.parse(yaml, FILE, null);
  }

  /** FIRST plus a second source made of {@code fields}, each a {@code key: value} line. */
  private static String withSecond(String... fields) {
    StringBuilder sb = new StringBuilder(FIRST).append("  -");
    for (int i = 0; i < fields.length; i++) {
      sb.append(i == 0 ? " " : "    ").append(fields[i]).append('\n');
    }
    return sb.toString();
  }

  /**
   * FIRST plus a second source, DW's English feed (id {@code dw-english}) at {@code url}, with the
   * {@code more} fields after its url.
   */
  private static String dwAt(String url, String... more) {
    List<String> fields =
        new ArrayList<>(List.of("id: dw-english", "name: DW", "agency: dw", "url: " + url));
    fields.addAll(List.of(more));
    return withSecond(fields.toArray(String[]::new));
  }

  /** {@link #dwAt} at DW's real feed URL. */
  private static String dw(String... more) {
    return dwAt("https://rss.dw.com/xml/rss-en-all", more);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(String yaml) {
    return assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith(FILE + ": "));
  }

  /** The id rule as a regular expression, as {@link FeedsConfig#ID_RULE} says it. */
  private static final Pattern ID_RULE = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");

  @Test
  void shouldTellFeedAndAgencyIdsAsTheIdRulesRegularExpressionDoes() {
    List<String> ids =
        new ArrayList<>(
            List.of(
                "",
                "a",
                "0",
                "-",
                "-a",
                "a-",
                "a--b",
                "dw-english",
                "A",
                "dW",
                "a_b",
                "a b",
                " a",
                "a\n",
                "é",
                "a.b",
                "a/b",
                "\u0131",
                "\uff41",
                "a\u0000"));
    ids.add("a".repeat(99));
    ids.add("a".repeat(100));
    ids.add("a".repeat(101));
    ids.add("-" + "a".repeat(99));
    for (char c = 0; c < 0x250; c++) {
      ids.add("x" + c);
      ids.add(String.valueOf(c));
    }
    for (String id : ids) {
      boolean rule = ID_RULE.matcher(id).matches();
      assertThat(FeedsConfig.isSourceId(id)).as("source id '%s'", id).isEqualTo(rule);
      assertThat(FeedsConfig.isAgencyId(id)).as("agency id '%s'", id).isEqualTo(rule);
    }
    assertThat(FeedsConfig.isSourceId(null)).isFalse();
    assertThat(FeedsConfig.isAgencyId(null)).isFalse();
  }

  @Test
  void shouldReadEveryFieldOfASource() {
    List<FeedSource> sources =
        parse(
            """
            sources:
              - id: anadolu-world
                name: Anadolu Agency — World
                agency: anadolu
                url: https://www.aa.com.tr/en/rss/default?cat=world
                interval: PT2M
                language: en-GB
                identity: link
                headers:
                  Authorization: Bearer s3cret
            """);

    assertThat(sources)
        .containsExactly(
            new FeedSource(
                "anadolu-world",
                "Anadolu Agency — World",
                "anadolu",
                URI.create("https://www.aa.com.tr/en/rss/default?cat=world"),
                Duration.ofMinutes(2),
                "en-GB",
                IdentityPolicy.LINK,
                Map.of("Authorization", "Bearer s3cret")));
  }

  @Test
  void shouldKeepYamlBooleanLikeWordsAsTextSoNorwegianIsALanguage() {
    // YAML 1.1 reads an unquoted `no` as false; a feeds list has no boolean fields, so the words
    // stay text.
    FeedSource source =
        parse(
                withSecond(
                    "id: nrk-nyheter",
                    "name: NRK",
                    "agency: nrk",
                    "url: https://www.nrk.no/toppsaker.rss",
                    "language: no",
                    "headers:",
                    "  X-Wire-Full-Text: yes"))
            .get(1);

    assertThat(source.language()).isEqualTo("no");
    assertThat(source.headers()).containsEntry("X-Wire-Full-Text", "yes");
  }

  @Test
  void shouldApplyDefaultsToOptionalFields() {
    FeedSource source = parse(FIRST).get(0);

    assertThat(source.interval())
        .isEqualTo(FeedsConfig.DEFAULT_INTERVAL)
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(source.language()).isNull();
    assertThat(source.identity()).isEqualTo(IdentityPolicy.AUTO);
    assertThat(source.headers()).isEmpty();
  }

  @Test
  void shouldKeepSourcesInFileOrder() {
    List<FeedSource> sources = parse(dw("interval: 90s"));

    assertThat(sources).extracting(FeedSource::id).containsExactly("trtworld-world", "dw-english");
    assertThat(sources.get(1).interval()).isEqualTo(Duration.ofSeconds(90));
  }

  @ParameterizedTest
  @ValueSource(strings = {"id", "name", "agency", "url"})
  void shouldNameTheMissingRequiredField(String missing) {
    List<String> fields =
        new ArrayList<>(
            List.of(
                "id: dw-english",
                "name: DW",
                "agency: dw",
                "url: https://rss.dw.com/xml/rss-en-all"));
    fields.removeIf(f -> f.startsWith(missing + ":"));

    assertRejected(withSecond(fields.toArray(String[]::new)))
        .hasMessageContaining("source #2")
        .hasMessageContaining("field '" + missing + "': missing");
  }

  @Test
  void shouldNameSourceByIdWhenItHasOne() {
    assertRejected(withSecond("id: dw-english", "name: DW", "agency: dw"))
        .hasMessage(FILE + ": source #2 (id 'dw-english'): field 'url': missing");
  }

  @Test
  void shouldRejectIdWithCharactersOutsideLowerCaseLettersDigitsAndDashes() {
    assertRejected(
            withSecond(
                "id: DW_English",
                "name: DW",
                "agency: dw",
                "url: https://rss.dw.com/xml/rss-en-all"))
        .hasMessage(
            FILE
                + ": source #2 (id 'DW_English'): field 'id': must be 1-100 characters of [a-z0-9-], starting with a letter or digit (got 'DW_English')");
  }

  @Test
  void shouldRejectAgencyWithCharactersOutsideLowerCaseLettersDigitsAndDashes() {
    assertRejected(
            withSecond(
                "id: dw-english",
                "name: DW",
                "agency: Deutsche Welle",
                "url: https://rss.dw.com/xml/rss-en-all"))
        .hasMessageContaining("source #2 (id 'dw-english')")
        .hasMessageContaining("field 'agency'");
  }

  @Test
  void shouldRejectTheReservedAgencyClusterWhoseUrisWouldReadAsClusterIds() {
    assertRejected(
            withSecond(
                "id: cluster-feed",
                "name: C",
                "agency: cluster",
                "url: https://rss.dw.com/xml/rss-en-all"))
        .hasMessage(
            FILE
                + ": source #2 (id 'cluster-feed'): field 'agency': 'cluster' is reserved (urn:wire:cluster:... names near-duplicate clusters)");
    assertRejected(
            withSecond(
                "id: dw-english",
                "name: DW",
                "agency: -dw",
                "url: https://rss.dw.com/xml/rss-en-all"))
        .hasMessageContaining(
            "field 'agency': must be 1-100 characters of [a-z0-9-], starting with a letter or digit (got '-dw')");
  }

  @Test
  void shouldRejectDuplicateId() {
    assertRejected(
            withSecond(
                "id: trtworld-world",
                "name: TRT again",
                "agency: trtworld",
                "url: https://www.trtworld.com/feed/rss.xml"))
        .hasMessage(FILE + ": source #2 (id 'trtworld-world'): field 'id': duplicate id");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://example.org/feed.xml",
        "gopher://example.org/feed",
        "mailto:desk@example.org",
        "www.example.org/rss"
      })
  void shouldRejectUrlWhoseSchemeIsNotHttpHttpsOrFile(String url) {
    assertRejected(dwAt(url))
        .hasMessageContaining("source #2 (id 'dw-english')")
        .hasMessageContaining("field 'url': scheme must be http, https or file");
  }

  // From a code review: Path.of's InvalidPathException escaped as a stack trace at start-up, and
  // out of a reload it ended the feeds-file watcher.
  @Test
  void shouldRejectFileUrlThatIsNoPath() {
    assertRejected(dwAt("'file:/tmp/a%00b'"))
        .hasMessageContaining("source #2 (id 'dw-english')")
        .hasMessageContaining("field 'url': not a file path");
  }

  // From a code review: Duration.ofDays overflowed with an ArithmeticException.
  @Test
  void shouldRejectIntervalTooLongForADuration() {
    assertRejected(dw("interval: 106751991167301d"))
        .hasMessageContaining("source #2 (id 'dw-english')")
        .hasMessageContaining("field 'interval': '106751991167301d' is too long a duration");
  }

  @Test
  void shouldRejectHttpUrlWithoutHost() {
    assertRejected(dwAt("'https:/feed.xml'"))
        .hasMessageContaining("source #2 (id 'dw-english')")
        .hasMessageContaining("field 'url': no host");
  }

  @Test
  void shouldRejectIntervalThatIsNoDuration() {
    assertRejected(dw("interval: often"))
        .hasMessageContaining("source #2 (id 'dw-english')")
        .hasMessageContaining("field 'interval': 'often' is not a duration");
  }

  @Test
  void shouldRejectIntervalShorterThanTenSeconds() {
    assertRejected(dw("interval: 5s"))
        .hasMessage(
            FILE
                + ": source #2 (id 'dw-english'): field 'interval': must be at least 10s (got 5s)");
  }

  // Found in a new-user test: interval P99999999D was accepted.
  @Test
  void shouldRejectIntervalLongerThanADay() {
    assertRejected(dw("interval: P99999999D"))
        .hasMessage(
            FILE
                + ": source #2 (id 'dw-english'): field 'interval': must be at most 24h (got P99999999D)");
    assertThat(parse(dw("interval: 24h")).get(1).interval()).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void shouldAcceptIntervalOfExactlyTenSeconds() {
    List<FeedSource> sources = parse(dw("interval: PT10S"));

    assertThat(sources.get(1).interval()).isEqualTo(FeedsConfig.MIN_INTERVAL);
  }

  @Test
  void shouldRejectUnknownIdentityPolicy() {
    assertRejected(dw("identity: title"))
        .hasMessage(
            FILE
                + ": source #2 (id 'dw-english'): field 'identity': must be one of auto, guid, link, content (got 'title')");
  }

  @Test
  void shouldReadIdentityPolicyIgnoringCase() {
    List<FeedSource> sources = parse(dw("identity: GUID"));

    assertThat(sources.get(1).identity()).isEqualTo(IdentityPolicy.GUID);
  }

  @Test
  void shouldRejectLanguageThatIsNoBcp47Tag() {
    assertRejected(dw("language: English (UK)"))
        .hasMessage(
            FILE
                + ": source #2 (id 'dw-english'): field 'language': not a BCP 47 language tag (got 'English (UK)')");
  }

  @Test
  void shouldRejectUnknownFieldListingTheKnownOnes() {
    assertRejected(dw("intervall: PT2M"))
        .hasMessageContaining("source #2 (id 'dw-english')")
        .hasMessageContaining("field 'intervall': unknown field")
        .hasMessageContaining("interval");
  }

  @Test
  void shouldRejectHeadersThatAreNoMapping() {
    assertRejected(dw("headers: Bearer x"))
        .hasMessageContaining("source #2 (id 'dw-english')")
        .hasMessageContaining("field 'headers'");
  }

  @Test
  void shouldRejectSourceThatIsNoMapping() {
    assertRejected(FIRST + "  - https://rss.dw.com/xml/rss-en-all\n")
        .hasMessageContaining("source #2: expected a mapping");
  }

  @Test
  void shouldRejectSourcesThatAreNoList() {
    assertRejected("sources:\n  id: trtworld-world\n")
        .hasMessage(FILE + ": 'sources' must be a non-empty list");
  }

  @Test
  void shouldRejectEmptySourcesList() {
    assertRejected("sources: []\n").hasMessage(FILE + ": 'sources' must be a non-empty list");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "# only a comment\n", "feeds:\n  - id: x\n", "- id: x\n"})
  void shouldRejectDocumentWithoutTopLevelSources(String yaml) {
    assertRejected(yaml).hasMessage(FILE + ": expected a top-level 'sources:' list");
  }

  /**
   * Regression: an unclosed flow sequence gave SnakeYAML's multi-line message (the quoted lines and
   * a caret) as is, so the "one line" ConfigException broke over five lines on stderr.
   */
  @Test
  void shouldRejectTextThatIsNotYamlOnOneLineNamingTheLine() {
    assertRejected("sources:\n  - id: [trtworld\n    name: x\n")
        .hasMessageStartingWith(FILE + ": not valid YAML (line 3): ")
        .hasMessageContaining("expected ',' or ']'")
        .hasMessageNotContaining("^");
  }

  /**
   * From a hostile-server review: a tab used as indentation on line 3 was reported on line 2, the
   * line of the last token Jackson had read, not of the problem SnakeYAML found. A quote never
   * closed stays reported where it opens, not at the end of the file.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sources:\\n  - id: a\\n\\tname: A\\n    agency: x\\n | 3 | found character '\\t(TAB)'",
        "sources:\\n  - id: a\\n    name: \"A\\n    agency: x\\n | 3 | found unexpected end of stream",
        // SnakeYAML counts code points: with emoji above it, this one was reported on line 5
        "sources:\\n  - id: a\\n    name: \"\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\"\\n    agency: \"x\\n | 4 | found unexpected end of stream"
      })
  void shouldNameTheLineOfTheYamlSyntaxErrorItself(String yaml, int line, String problem) {
    assertRejected(yaml.translateEscapes())
        .hasMessageStartingWith(FILE + ": not valid YAML (line " + line + "): ")
        .hasMessageContaining(problem);
  }

  // "-id: b" (no space after the dash) read "expected <block end>, but found '?'", which names
  // neither the dash nor the space.
  @Test
  void shouldSayAListItemNeedsASpaceAfterItsDash() {
    assertRejected(
            "sources:\n  - id: a\n    name: A\n    agency: x\n    url: http://e.org/f\n"
                + "  -id: b\n    name: B\n")
        .hasMessageStartingWith(FILE + ": not valid YAML (line 6): ")
        .hasMessageEndingWith("; a list item needs a space after its dash: '- id: b'");
    assertRejected("sources:\n  - id: [trtworld\n    name: x\n")
        .hasMessageNotContaining("a list item needs a space");
  }

  @Test
  void shouldResolveRelativeFileUrlAgainstTheFeedsListDirectory() throws IOException {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Path feeds =
        Files.writeString(
            conf.resolve("feeds.yaml"),
            "sources:\n  - {id: local, name: Local, agency: local, url: 'file:samples/local.xml'}\n",
            UTF_8);

    FeedSource source = FeedsConfig.load(feeds).get(0);

    assertThat(source.url()).isEqualTo(conf.resolve("samples/local.xml").toAbsolutePath().toUri());
  }

  @Test
  void shouldKeepAbsoluteFileUrl() throws IOException {
    Path sample = dir.resolve("elsewhere/local.xml").toAbsolutePath();
    Path feeds =
        Files.writeString(
            dir.resolve("feeds.yaml"),
            "sources:\n  - {id: local, name: Local, agency: local, url: '"
                + sample.toUri()
                + "'}\n",
            UTF_8);

    assertThat(FeedsConfig.load(feeds).get(0).url()).isEqualTo(sample.toUri());
  }

  @Test
  void shouldNameTheFileInErrorsOfLoad() throws IOException {
    Path feeds =
        Files.writeString(
            dir.resolve("broken.yaml"),
            FIRST + "  - {id: x, name: X, agency: x, url: 'ftp://x/y'}\n",
            UTF_8);

    assertThatThrownBy(() -> FeedsConfig.load(feeds))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(feeds + ": source #2 (id 'x'): field 'url'");
  }

  @Test
  void shouldReportMissingFeedsList() {
    Path missing = dir.resolve("missing.yaml");

    assertThatThrownBy(() -> FeedsConfig.load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage(missing + ": feeds list not found");
  }

  // Found in a new-user test: the default list, deploy/feeds/agencies.yaml, is read from the
  // working directory; started elsewhere, "feeds list not found" did not say so
  @Test
  void shouldSayARelativeFeedsListIsReadFromTheWorkingDirectory() {
    Path missing = Path.of("no-such-dir", "feeds.yaml");

    assertThatThrownBy(() -> FeedsConfig.load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            missing
                + ": feeds list not found (read relative to the working directory "
                + Path.of("").toAbsolutePath()
                + "; give --feeds the path of your list)");
  }

  @Test
  void shouldLoadTheRepositoryAgenciesListWithTrtWorldFirstAndAtLeastEightAgencies() {
    List<FeedSource> sources = FeedsConfig.load(DEPLOY_FEEDS.resolve("agencies.yaml"));

    assertThat(sources.get(0).agency()).isEqualTo("trtworld");
    assertThat(sources.get(0).name()).startsWith("TRT World");
    assertThat(sources.stream().map(FeedSource::agency).distinct().count())
        .isGreaterThanOrEqualTo(8);
    assertThat(sources).allSatisfy(s -> assertThat(s.url().getScheme()).isEqualTo("https"));
  }

  @Test
  void shouldLoadTheRepositoryOfflineDemoWhoseFilesAllExist() {
    List<FeedSource> sources = FeedsConfig.load(DEPLOY_FEEDS.resolve("offline-demo.yaml"));

    assertThat(sources).isNotEmpty();
    assertThat(sources)
        .allSatisfy(
            s -> {
              assertThat(s.url().getScheme()).isEqualTo("file");
              assertThat(Path.of(s.url())).isRegularFile();
            });
  }

  // Regressions (fresh-eyes review): these were accepted, and the mistakes surfaced only later
  // (the last duplicate key silently won; bad headers failed every poll as io-error).
  @Test
  void shouldRejectADuplicateKeyInOneSource() {
    assertRejected(
            withSecond(
                "id: dw-a",
                "id: dw-b",
                "name: DW",
                "agency: dw",
                "url: https://rss.dw.com/xml/rss-en-all"))
        .hasMessageContaining("Duplicate field 'id'");
  }

  @Test
  void shouldRejectAnUnknownTopLevelField() {
    assertRejected(FIRST + "defaults:\n  interval: PT1M\n")
        .hasMessageContaining("unknown top-level field 'defaults'");
  }

  @Test
  void shouldRejectAHeaderNameThatIsNoToken() {
    assertRejected(dw("headers: {'Bad Header': x}"))
        .hasMessageContaining("source #2")
        .hasMessageContaining("'Bad Header' is not a valid header name");
  }

  @Test
  void shouldRejectAHeaderTheClientOwns() {
    assertRejected(dw("headers: {Host: evil.example}"))
        .hasMessageContaining("'Host' is set by wire-ingest itself");
  }

  @Test
  void shouldRejectANullOrMultiLineHeaderValue() {
    assertRejected(dw("headers: {X-Key: null}"))
        .hasMessageContaining("value of 'X-Key' must be a string");
    assertRejected(dw("headers: {X-Key: \"a\\nb\"}"))
        .hasMessageContaining("value of 'X-Key' contains a line break");
  }

  // Regression: a second YAML document ("---" then more sources, e.g. two lists concatenated by a
  // deploy script) was read by nothing: Jackson's readTree stops after the first document, so its
  // feeds were silently never polled.
  @Test
  void shouldRejectASecondYamlDocumentInsteadOfIgnoringItsFeeds() {
    assertRejected(
            FIRST
                + """
                ---
                sources:
                  - id: dw
                    name: DW
                    agency: dw
                    url: https://rss.dw.com/xml/rss-en-all
                """)
        .hasMessageContaining("more than one YAML document");
  }

  @Test
  void shouldAcceptDocumentMarkersAndEmptyTrailingDocuments() {
    assertThat(parse("---\n" + FIRST + "...\n")).hasSize(1);
    assertThat(parse(FIRST + "---\n")).hasSize(1);
    assertThat(parse(FIRST + "---\n# nothing more\n---\n")).hasSize(1);
  }

  // Regression: SnakeYAML's default limit of 3 MiB (3,145,728 code points) refused a list of about
  // 17,000 feeds as "not valid YAML", below the tens of thousands of feeds DESIGN.md plans for.
  @Test
  void shouldLoadAListOfTwentyThousandFeedsOverThreeMebibytes() {
    StringBuilder yaml = new StringBuilder("sources:\n");
    for (int i = 0; i < 20_000; i++) {
      yaml.append("  - id: agency-section-feed-")
          .append(i)
          .append("\n    name: An agency's section feed number ")
          .append(i)
          .append("\n    agency: agency-")
          .append(i % 50)
          .append("\n    url: https://www.agency-")
          .append(i % 50)
          .append(".example/rss/section/")
          .append(i)
          .append(".xml\n    interval: 2m\n    language: en\n");
    }
    assertThat(yaml.length()).isGreaterThan(3 * 1024 * 1024);
    assertThat(parse(yaml.toString())).hasSize(20_000);
  }

  // Regression: file://server/share/feed.xml was read as the local /share/feed.xml, the host
  // silently dropped (java.net.URI keeps it apart from the path).
  @Test
  void shouldRejectAFileUrlNamingAnotherHost() {
    assertRejected(dwAt("file://server/share/feed.xml"))
        .hasMessageContaining("field 'url'")
        .hasMessageContaining("names host 'server'");
  }

  @Test
  void shouldAcceptAFileUrlOnLocalhost() throws IOException {
    Path feed = Files.writeString(dir.resolve("feed.xml"), "<rss/>", UTF_8);
    assertThat(parse(dwAt("file://localhost" + feed.toUri().getPath())).get(1).url())
        .isEqualTo(feed.toUri());
  }

  // Regression: a port above 65535 passed, and the feed then failed every poll as invalid-url
  // instead of the list being refused at start.
  @Test
  void shouldRejectAPortOutOfRange() {
    assertRejected(dwAt("https://rss.dw.com:99999/xml"))
        .hasMessageContaining("field 'url'")
        .hasMessageContaining("port 99999");
  }

  // Regression: a header value with a control character or a character above U+00FF passed (only
  // CR and LF were checked), and the HTTP client then refused it at every poll (io-error).
  @ParameterizedTest
  @ValueSource(strings = {"a\\u0001b", "Haber\\u2014bot", "a\\u007fb"})
  void shouldRejectAHeaderValueTheHttpClientCannotSend(String value) {
    assertRejected(dw("headers: {User-Agent: \"" + value + "\"}"))
        .hasMessageContaining("value of 'User-Agent'")
        .hasMessageContaining("U+");
  }

  @Test
  void shouldAcceptAHeaderValueWithTabAndLatin1() {
    assertThat(parse(dw("headers: {X-A: \"a\\tb caf\\u00e9\"}")).get(1).headers())
        .containsEntry("X-A", "a\tb caf\u00e9");
  }

  // Regression: a required field given as a mapping or a list ("name: {en: DW}") was reported as
  // "missing", sending the user looking for a field that is there.
  @ParameterizedTest
  @ValueSource(strings = {"name: {en: DW}", "name: [DW]"})
  void shouldSayARequiredFieldMustBeAStringWhenItIsAMappingOrAList(String name) {
    assertRejected(withSecond("id: dw", name, "agency: dw", "url: https://rss.dw.com/xml"))
        .hasMessageContaining("field 'name': must be a string");
  }

  // Regression: a feeds list saved as Latin-1 (or UTF-16) was refused with "cannot read feeds list:
  // MalformedInputException: Input length = 1", which names neither the encoding nor the place.
  @Test
  void shouldSayAFeedsListThatIsNotUtf8IsNotUtf8AndWhere() throws IOException {
    Path file = dir.resolve("latin1.yaml");
    String before = FIRST + "  - id: dw\n    name: Deutsche Welle ";
    Files.write(file, (before + "\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
    int at = before.getBytes(StandardCharsets.ISO_8859_1).length + 1;

    assertThatThrownBy(() -> FeedsConfig.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            file + ": feeds list is not UTF-8 text (line 7, byte " + at + "): save it as UTF-8");
  }

  // Regression: X-Api-Key and x-api-key were both kept; header names are case-insensitive, so the
  // HTTP client sent one of the two values, silently.
  @Test
  void shouldRejectAHeaderGivenTwiceInAnotherCase() {
    assertRejected(dw("headers: {X-Api-Key: a, x-api-key: b}"))
        .hasMessageContaining("'x-api-key' is given twice");
  }

  // Found in a review: a feed URL refused at load was quoted as written, its password and API key
  // included, on the terminal of check-feed and in the service's start-up error
  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://user:PW-s3cret@127.0.0.1:99999/feed?apikey=KEY-s3cret",
        "http://user:PW-s3cret@my_host.example/feed?apikey=KEY-s3cret",
        "http://user:PW s3cret@example.org/feed?apikey=KEY-s3cret",
        "https://user:PW-s3cret@/feed?apikey=KEY-s3cret",
        "ftp://user:PW-s3cret@example.org/feed?apikey=KEY-s3cret",
      })
  void shouldNotQuoteARefusedFeedUrlsCredentials(String url) {
    assertThatThrownBy(() -> FeedsConfig.feedUrl(url, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("s3cret")
        .hasMessageNotContaining("user");
  }

  /**
   * A feeds list of many feeds shares their settings through anchors, aliases and merge keys, as
   * YAML users do elsewhere (Compose files, CI configs). Jackson's tree read took an alias for its
   * anchor's name and the merge key for a field, so these failed or, worse, read wrongly.
   */
  @Test
  void shouldApplyAnchorsAliasesAndMergeKeys() {
    List<FeedSource> sources =
        parse(
            """
            sources:
              - &world
                id: trtworld-world
                name: TRT World
                agency: trtworld
                url: https://www.trtworld.com/feed/world.xml
                interval: 2m
                headers: &auth {Authorization: Bearer abc, X-Client: wire}
              - <<: *world
                id: trtworld-turkey
                url: https://www.trtworld.com/feed/turkey.xml
                headers:
                  <<: *auth
                  X-Client: wire-2
              - <<: [{interval: 10m, language: tr}, *world]
                id: trtworld-business
                url: https://www.trtworld.com/feed/business.xml
            """);

    assertThat(sources)
        .extracting(FeedSource::id, FeedSource::name, FeedSource::interval, FeedSource::language)
        .containsExactly(
            tuple("trtworld-world", "TRT World", Duration.ofMinutes(2), null),
            tuple("trtworld-turkey", "TRT World", Duration.ofMinutes(2), null),
            tuple("trtworld-business", "TRT World", Duration.ofMinutes(10), "tr"));
    assertThat(sources.get(1).headers())
        .isEqualTo(Map.of("Authorization", "Bearer abc", "X-Client", "wire-2"));
    assertThat(sources.get(2).url())
        .isEqualTo(URI.create("https://www.trtworld.com/feed/business.xml"));
    assertThat(sources.get(2).headers()).isEqualTo(sources.get(0).headers());
  }

  /**
   * Shared settings need a place that is not a source: top-level {@code x-} fields, as Compose
   * files have, are not read but can hold anchors. Any other top-level field is still an error.
   */
  @Test
  void shouldTakeSharedSettingsFromTopLevelExtensionFields() {
    List<FeedSource> sources =
        parse(
            """
            x-trt: &trt
              agency: trtworld
              interval: 2m
              headers: {X-Client: wire}
            sources:
              - <<: *trt
                id: trtworld-world
                name: TRT World
                url: https://www.trtworld.com/feed/world.xml
              - <<: *trt
                id: trtworld-turkey
                name: TRT World Turkey
                url: https://www.trtworld.com/feed/turkey.xml
            """);

    assertThat(sources)
        .extracting(FeedSource::agency, FeedSource::interval, FeedSource::headers)
        .containsOnly(tuple("trtworld", Duration.ofMinutes(2), Map.of("X-Client", "wire")));
    assertRejected("defaults: {}\n" + FIRST)
        .hasMessage(
            FILE
                + ": unknown top-level field 'defaults' (only 'sources' is known, and fields named"
                + " x-... for anchors)");
  }

  /** Regression: {@code agency: *ag} was read as the agency {@code ag}, silently. */
  @Test
  void shouldRejectAnAliasItCannotResolveRatherThanReadItsName() {
    assertRejected(withSecond("id: a", "name: A", "agency: *ag", "url: https://example.org/a.xml"))
        .hasMessage(
            FILE
                + ": not valid YAML (line 8): alias '*ag' names no anchor '&ag' on a mapping or"
                + " list before it (anchors on single values are not supported: write the value"
                + " out)");
  }

  @Test
  void shouldRejectAMergeKeyGivenSomethingOtherThanMappings() {
    assertRejected(withSecond("<<: [5]", "id: a", "name: A", "agency: trtworld", "url: x"))
        .hasMessage(
            FILE
                + ": not valid YAML (line 6): the merge key '<<' takes a mapping or a list of"
                + " mappings (e.g. '<<: *defaults')");
  }

  /** Each alias is a copy: ten levels repeating the one before would be ten billion values. */
  @Test
  void shouldRejectAliasesExpandingPastTheLimitBeforeBuildingThem() {
    StringBuilder bomb = new StringBuilder("sources:\n  - &l0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int level = 1; level <= 10; level++) {
      String previous = "*l" + (level - 1);
      bomb.append("  - &l")
          .append(level)
          .append(" [")
          .append(String.join(", ", Collections.nCopies(10, previous)))
          .append("]\n");
    }

    assertRejected(bomb.toString())
        .hasMessageContaining("its aliases expand to more than " + YamlTree.MAX_NODES + " values");
  }

  /** Jackson refuses nesting past 1,000 levels without a line: the message now gives it. */
  @Test
  void shouldSayOnWhichLineTheNestingIsTooDeep() {
    StringBuilder deep = new StringBuilder("sources:\n");
    for (int level = 1; level <= 1_001; level++) {
      deep.append("  ".repeat(level)).append("- \n");
    }

    assertRejected(deep.toString())
        .hasMessageStartingWith(FILE + ": not valid YAML (line 1001): ")
        .hasMessageContaining("nesting depth (1001) exceeds the maximum allowed (1000");
  }

  // Found in a review: a feed URL whose fault was in its password (a bad percent-escape, an '@'
  // not written %40) was refused as "not a URL (Malformed escape pair): http://example.org/feed":
  // the password is left out of the message, so the URL quoted showed nothing wrong.
  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://user:PW%zz-s3cret@example.org/feed",
        "http://user:PW s3cret@example.org/feed",
        "http://user:PW@s3cret@example.org/feed",
        // a '/', '?' or '#' in the password ends the authority early (RFC 3986 section 3.2): the
        // message quoted the URL from its 's3cret' on
        "http://user:PW/s3cret@example.org/feed",
        "http://user:PW?s3cret@example.org/feed",
        "http://user:PW#s3cret@example.org/feed",
      })
  void shouldSayTheFaultIsInTheCredentialsItDoesNotShow(String url) {
    assertThatThrownBy(() -> FeedsConfig.feedUrl(url, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("http://example.org/feed " + FeedsConfig.CREDENTIALS_HINT)
        .hasMessageNotContaining("s3cret");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://user:PW-s3cret@my_host.example/feed",
        "http://user:PW-s3cret@exa mple.org/feed",
        "http://user:PW-s3cret@127.0.0.1:99999/feed",
        "http://user:PW-s3cret@/feed",
        "http://exa mple.org/feed",
      })
  void shouldNotBlameTheCredentialsForAFaultElsewhere(String url) {
    assertThatThrownBy(() -> FeedsConfig.feedUrl(url, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining(FeedsConfig.CREDENTIALS_HINT);
  }

  // Found in a review: a file: URL with user-info was refused as "the file URL names host
  // 'user:PW-s3cret@localhost'", its password on the terminal and in the service's log.
  @ParameterizedTest
  @ValueSource(
      strings = {
        "file://user:PW-s3cret@localhost/tmp/feed.xml",
        "file://user:PW-s3cret@/tmp/feed.xml",
        "file://user:PW-s3cret@server/tmp/feed.xml",
        "file:///tmp/a%00b?token=s3cret",
      })
  void shouldNotQuoteTheCredentialsOfARefusedFileUrl(String url) {
    assertThatThrownBy(() -> FeedsConfig.feedUrl(url, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("s3cret");
  }

  // Found in a review: a feed name was taken with any characters and length, and names appear in
  // log lines, the status page and article events' source.name (no Kafka header carries them: the
  // message said so until 2026-12-07): an escape sequence or a right-to-left override garbled them
  // on a terminal.
  @ParameterizedTest
  @ValueSource(
      strings = {
        "DW \\e[31mred",
        "DW\\u0085",
        "DW\\x7F",
        "DW \\u202E dlroW",
        "DW\\u2066",
        "DW\\u2028x"
      })
  void shouldRefuseAFeedNameWithAControlOrTextDirectionCharacter(String escaped) {
    assertRejected(
            withSecond(
                "id: dw", "name: \"" + escaped + "\"", "agency: dw", "url: https://rss.dw.com/x"))
        .hasMessageStartingWith(FILE + ": source #2 (id 'dw'): field 'name': contains U+")
        .hasMessageContaining("a control or text-direction character")
        .hasMessageEndingWith(
            "(names appear in logs, the status page and article events' source.name)");
  }

  @Test
  void shouldRefuseAFeedNameOverTwoHundredCharacters() {
    assertRejected(
            withSecond(
                "id: dw", "name: " + "W".repeat(201), "agency: dw", "url: https://rss.dw.com/x"))
        .hasMessage(
            FILE + ": source #2 (id 'dw'): field 'name': must be at most 200 characters (got 201)");
  }

  @Test
  void shouldAcceptAFeedNameOfTwoHundredCharactersOfAnyScript() {
    String name =
        "\u0627\u0644\u062c\u0632\u064a\u0631\u0629 \u2014 ".repeat(20).substring(0, 199)
            + "\uD83D\uDCF0";
    List<FeedSource> sources =
        parse(
            withSecond(
                "id: aj", "name: '" + name + "'", "agency: aj", "url: https://aj.example/x"));

    assertThat(sources.get(1).name()).isEqualTo(name);
  }

  /**
   * Values the feeds list gets wrong are quoted in the error, which goes to a terminal or a log
   * line: an escape sequence or a text-direction override in an id, a key or a URL acted on the
   * terminal (or split the log line) instead of showing what was wrong. A URL is shown as the
   * feed's redacted URL, whose characters outside US-ASCII are percent-encoded (RFC 3986).
   */
  @Test
  void shouldQuoteRefusedValuesWithTheirControlCharactersEscaped() {
    assertRejected(withSecond("id: \"a\\e[2Jb\"", "name: A", "agency: trtworld", "url: x"))
        .hasMessageContaining("(id 'a\\u001B[2Jb')")
        .hasMessageNotContaining("\u001b");
    assertRejected(
            withSecond(
                "id: a", "name: A", "agency: trtworld", "url: \"https://exa\\u202Emple.org/\""))
        .hasMessageContaining("https://exa%E2%80%AEmple.org/")
        .hasMessageNotContaining("\u202E");
    assertRejected(withSecond("id: a", "\"na\\nme\": A", "agency: trtworld", "url: x"))
        .hasMessageContaining("field 'na\\u000Ame': unknown field");
  }
}
