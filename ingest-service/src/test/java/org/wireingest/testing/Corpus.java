package org.wireingest.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.wireingest.parse.ParseFailure;

/**
 * The shared corpus of real agency feeds and peer parsers' edge cases, as the corpus suites see it:
 * where it is, which files python-expat found well-formed (its {@code SOURCES.tsv}), and which real
 * captures are known not to be feeds with items.
 *
 * <p>System properties: {@value #DIR_PROPERTY} (set by the POM; default {@code ../shared/corpus}),
 * {@value #OPTIONAL_PROPERTY}{@code =true} to skip a suite when the directory is missing instead of
 * failing it.
 */
public final class Corpus {

  /** System property naming the corpus directory. */
  public static final String DIR_PROPERTY = "corpus.dir";

  /** System property that, when {@code true}, lets a missing corpus skip the suites. */
  public static final String OPTIONAL_PROPERTY = "corpus.optional";

  /** Real captures that are well-formed XML but not feeds with items, and why. */
  public static final Map<String, String> NOT_FEEDS_WITH_ITEMS =
      Map.of(
          "real/ap_nitf34_wire_story_malawi_2019.xml", "IPTC NITF wire story, not RSS/Atom",
          "real/dailymail_worldnews_2017.xml", "channel with zero items");

  /** Real captures that are no feed documents at all, and how the parser must classify them. */
  public static final Map<String, ParseFailure> NOT_FEEDS =
      Map.of("real/ap_nitf34_wire_story_malawi_2019.xml", ParseFailure.UNSUPPORTED_FORMAT);

  /**
   * Captured ingestion quirks (file name prefix in {@code real/}) and the failure each must be
   * classified as.
   */
  public static final Map<String, ParseFailure> QUIRKS =
      Map.of(
          "quirk_empty_body_",
          ParseFailure.EMPTY_DOCUMENT,
          "quirk_html_404_",
          ParseFailure.NOT_A_FEED);

  private Corpus() {}

  /**
   * @return the corpus directory ({@value #DIR_PROPERTY}), absolute; it may not exist
   */
  public static Path dir() {
    return Path.of(System.getProperty(DIR_PROPERTY, "../shared/corpus"))
        .toAbsolutePath()
        .normalize();
  }

  /**
   * @return true when {@code corpus} has its {@code real/} folder
   */
  public static boolean isPresent(Path corpus) {
    return Files.isDirectory(corpus.resolve("real"));
  }

  /**
   * @param corpus the corpus directory, present ({@link #isPresent})
   * @return the files of its {@code real/} folder (the agencies' feeds), sorted by name
   * @throws IOException when the folder cannot be listed
   */
  public static List<Path> realFiles(Path corpus) throws IOException {
    try (Stream<Path> list = Files.list(corpus.resolve("real"))) {
      return list.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /**
   * @param corpus the corpus directory, found missing
   * @return a single test that fails, or is skipped when {@value #OPTIONAL_PROPERTY} is true,
   *     saying how to fix it
   */
  public static DynamicTest missing(Path corpus) {
    String message =
        "corpus directory "
            + corpus
            + " (system property "
            + DIR_PROPERTY
            + ") has no real/ folder;"
            + " set -D"
            + DIR_PROPERTY
            + "=... or -D"
            + OPTIONAL_PROPERTY
            + "=true to skip the corpus suite";
    if (Boolean.getBoolean(OPTIONAL_PROPERTY)) {
      return DynamicTest.dynamicTest("corpus missing", () -> Assumptions.abort(message));
    }
    return DynamicTest.dynamicTest("corpus missing", () -> fail(message));
  }

  /**
   * @param name a corpus file relative to the corpus directory, e.g. {@code
   *     real/quirk_html_404_x.xml}
   * @return the failure the parser must classify it as, when it is a capture known not to be a feed
   */
  public static Optional<ParseFailure> expectedFailure(String name) {
    if (NOT_FEEDS.containsKey(name)) {
      return Optional.of(NOT_FEEDS.get(name));
    }
    String fileName = name.substring(name.lastIndexOf('/') + 1);
    if (!name.startsWith("real/")) {
      return Optional.empty();
    }
    return QUIRKS.entrySet().stream()
        .filter(q -> fileName.startsWith(q.getKey()))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /**
   * The corpus files {@code SOURCES.tsv} records as well-formed by python-expat (its last column
   * holds {@code XML check (python expat): well-formed} or {@code OK (well-formed...)}).
   *
   * @param corpus the corpus directory
   * @return names relative to it ({@code real/...}, {@code peers/...}); empty when there is no
   *     {@code SOURCES.tsv}
   */
  public static Set<String> wellFormedFiles(Path corpus) {
    Path sources = corpus.resolve("SOURCES.tsv");
    if (!Files.isRegularFile(sources)) {
      return Set.of();
    }
    try (Stream<String> lines = Files.lines(sources, StandardCharsets.UTF_8)) {
      Map<String, String> checks = new HashMap<>();
      lines
          .skip(1)
          .map(line -> line.split("\t"))
          .filter(cols -> cols.length >= 5)
          .forEach(cols -> checks.put(cols[0], cols[cols.length - 1]));
      return checks.entrySet().stream()
          .filter(
              e ->
                  e.getValue().contains("(python expat): well-formed")
                      || e.getValue().contains("(python expat): OK (well-formed"))
          .map(Map.Entry::getKey)
          .collect(Collectors.toUnmodifiableSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
