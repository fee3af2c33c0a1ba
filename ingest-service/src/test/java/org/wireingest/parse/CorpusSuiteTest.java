package org.wireingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.wireingest.testing.Corpus;

/**
 * Runs {@link FeedParser} over the shared corpus of real agency feeds and peer parsers' edge cases
 * ({@code ${corpus.dir}/real}, {@code ${corpus.dir}/peers}, described by {@code SOURCES.tsv}), one
 * dynamic test per file.
 *
 * <p>Every file: parsed within {@link #PER_FILE_BOUND}, no exception escapes, the result is a feed
 * or a classified failure with a one-line message. Every real feed that python-expat calls
 * well-formed (per {@code SOURCES.tsv}) and that is RSS/Atom/RDF with items: parsed, at least one
 * entry, each with a title or description and a GUID or link. The captured quirks get their
 * expected failure kind. Writes {@code target/corpus-report.tsv} (file, outcome, format, charset,
 * entries, warnings, warning kinds) and prints a one-line summary. A last test guards progress: the
 * number of files parsed into a feed must not fall below {@code parsed} in {@value #BASELINE} (a
 * note asks to raise it when more are parsed).
 *
 * <p>System properties: {@code corpus.dir} (set by the POM); {@code corpus.optional=true} skips the
 * suite when the directory is missing instead of failing it.
 */
class CorpusSuiteTest {

  private static final Duration PER_FILE_BOUND = Duration.ofSeconds(10);
  private static final Path REPORT = Path.of("target", "corpus-report.tsv");

  /** Classpath resource holding the fewest corpus files that must parse ({@code parsed=N}). */
  static final String BASELINE = "/corpus-baseline.properties";

  private static final Map<String, ParseResult> RESULTS = new ConcurrentSkipListMap<>();

  private final FeedParser parser = new FeedParser();

  @TestFactory
  Stream<DynamicTest> corpus() throws IOException {
    Path corpus = Corpus.dir();
    if (!Corpus.isPresent(corpus)) {
      return Stream.of(Corpus.missing(corpus));
    }
    Set<String> wellFormed = Corpus.wellFormedFiles(corpus);
    List<Path> files = new ArrayList<>();
    for (String folder : List.of("real", "peers")) {
      Path root = corpus.resolve(folder);
      if (Files.isDirectory(root)) {
        try (Stream<Path> walk = Files.walk(root)) {
          walk.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
      }
    }
    Stream<DynamicTest> perFile =
        files.stream()
            .map(
                file -> {
                  String name = corpus.relativize(file).toString().replace('\\', '/');
                  return DynamicTest.dynamicTest(
                      name, () -> check(name, file, wellFormed.contains(name)));
                });
    // dynamic tests of one factory run in order: this one sees every file's result
    return Stream.concat(
        perFile,
        Stream.of(
            DynamicTest.dynamicTest(
                "parsed files not below the baseline", () -> checkBaseline(files.size()))));
  }

  private static void checkBaseline(int files) throws IOException {
    Properties baseline = new Properties();
    try (InputStream in = CorpusSuiteTest.class.getResourceAsStream(BASELINE)) {
      assertThat(in).as("%s on the test classpath", BASELINE).isNotNull();
      baseline.load(in);
    }
    int expected = Integer.parseInt(baseline.getProperty("parsed").strip());
    long parsed = RESULTS.values().stream().filter(ParseResult.Parsed.class::isInstance).count();
    assertThat(RESULTS).as("every corpus file has a result").hasSize(files);
    assertThat(parsed)
        .as(
            "corpus files parsed into a feed (see %s); the baseline in %s must never go down",
            REPORT, BASELINE)
        .isGreaterThanOrEqualTo(expected);
    if (parsed > expected) {
      System.out.printf(
          Locale.ROOT,
          "corpus: %d files parsed, more than the baseline of %d: raise parsed= in %s%n",
          parsed,
          expected,
          BASELINE);
    }
  }

  private void check(String name, Path file, boolean wellFormed) throws IOException {
    byte[] body = Files.readAllBytes(file);

    ParseResult result =
        assertTimeoutPreemptively(PER_FILE_BOUND, () -> parser.parse(body, null), name);
    RESULTS.put(name, result);

    assertThat(result).isNotNull();
    if (result instanceof ParseResult.Failed failed) {
      assertThat(failed.kind()).isNotNull();
      assertThat(failed.message()).isNotBlank().doesNotContain("\n");
    }
    String fileName = file.getFileName().toString();
    for (Map.Entry<String, ParseFailure> quirk : Corpus.QUIRKS.entrySet()) {
      if (name.startsWith("real/") && fileName.startsWith(quirk.getKey())) {
        assertThat(result)
            .as("%s is a captured quirk", name)
            .isInstanceOf(ParseResult.Failed.class);
        assertThat(((ParseResult.Failed) result).kind()).isEqualTo(quirk.getValue());
        return;
      }
    }
    if (name.startsWith("real/") && wellFormed && !Corpus.NOT_FEEDS_WITH_ITEMS.containsKey(name)) {
      assertThat(result)
          .as("%s is a well-formed real feed", name)
          .isInstanceOf(ParseResult.Parsed.class);
      List<ParsedEntry> entries = ((ParseResult.Parsed) result).feed().entries();
      assertThat(entries).as("entries of %s", name).isNotEmpty();
      assertThat(entries)
          .as("every entry of %s has a title or description", name)
          .allSatisfy(
              e -> assertThat(isPresent(e.title()) || isPresent(e.descriptionHtml())).isTrue());
      assertThat(entries)
          .as("every entry of %s has a GUID or link", name)
          .allSatisfy(e -> assertThat(isPresent(e.guid()) || isPresent(e.link())).isTrue());
    }
  }

  @AfterAll
  static void writeReportAndSummary() throws IOException {
    if (RESULTS.isEmpty()) {
      return;
    }
    List<String> lines = new ArrayList<>();
    lines.add("file\toutcome\tformat\tcharset\tentries\twarnings\twarning_kinds");
    Map<String, Integer> failedByKind = new TreeMap<>();
    int parsed = 0;
    for (Map.Entry<String, ParseResult> e : RESULTS.entrySet()) {
      if (e.getValue() instanceof ParseResult.Parsed p) {
        parsed++;
        ParsedFeed feed = p.feed();
        String kinds =
            feed.warnings().stream()
                .map(ParseWarning::kind)
                .distinct()
                .sorted()
                .collect(Collectors.joining(","));
        lines.add(
            String.join(
                "\t",
                e.getKey(),
                "parsed",
                feed.format(),
                feed.charset(),
                Integer.toString(feed.entries().size()),
                Integer.toString(feed.warnings().stream().mapToInt(ParseWarning::count).sum()),
                kinds));
      } else {
        ParseResult.Failed f = (ParseResult.Failed) e.getValue();
        failedByKind.merge(f.kind().code(), 1, Integer::sum);
        lines.add(String.join("\t", e.getKey(), f.kind().code(), "", "", "0", "0", ""));
      }
    }
    Files.createDirectories(REPORT.getParent());
    Files.write(REPORT, lines, StandardCharsets.UTF_8);
    System.out.printf(
        Locale.ROOT,
        "corpus: %d files, %d parsed, %d failed %s (report: %s)%n",
        RESULTS.size(),
        parsed,
        RESULTS.size() - parsed,
        failedByKind,
        REPORT.toAbsolutePath());
  }

  private static boolean isPresent(String value) {
    return value != null && !value.isBlank();
  }
}
