package org.wireingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wireingest.config.FeedSource;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.config.TestFeeds;
import org.wireingest.dedup.DedupState;
import org.wireingest.dedup.Versioning;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.kafka.Topics;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.NormalizationException;
import org.wireingest.normalize.Normalizer;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseFailure;
import org.wireingest.poll.FeedPoller;
import org.wireingest.poll.InMemoryPollSink;
import org.wireingest.poll.PollResult;
import org.wireingest.testing.Corpus;
import org.wireingest.testing.SchemaAssert;

/**
 * Runs every real capture of the shared corpus ({@code ${corpus.dir}/real}) through the path the
 * service takes, minus Kafka: {@link FeedPoller} on a {@code file:} URL ({@link FeedFetcher},
 * {@link FeedParser}, {@code RawItems}) into an in-memory sink, then {@link Normalizer} and {@link
 * Versioning} for every raw item, as the normalizer topology does. One dynamic test per file.
 *
 * <p>Every file: done within {@link #PER_FILE_BOUND}, no exception escapes; every raw item follows
 * {@code raw-item.schema.json}; every article has a headline and a {@code urn:wire:} uri and
 * follows {@code article.schema.json}. The captures known not to be feeds fail with their
 * classified code (see {@link Corpus}); the channel without items yields no article; every other
 * well-formed feed yields at least one article and has no entry rejected. Writes {@code
 * target/corpus-pipeline-report.tsv} and prints a one-line summary. Honours {@code
 * corpus.optional}.
 */
class CorpusPipelineTest {

  private static final Duration PER_FILE_BOUND = Duration.ofSeconds(20);
  private static final Path REPORT = Path.of("target", "corpus-pipeline-report.tsv");
  private static final Pattern URI = Pattern.compile("^urn:wire:[a-z0-9-]+:[0-9a-f]{32}$");
  private static final String RAW_ITEMS_TOPIC = Topics.defaults().rawItems();

  private static final Map<String, Outcome> OUTCOMES = new ConcurrentSkipListMap<>();

  /** One fetcher for every file, as the service has one for every feed (thread-safe). */
  private static final FeedFetcher FETCHER = new FeedFetcher(FetchSettings.defaults());

  /**
   * What the pipeline made of one file.
   *
   * @param poll the poll's result
   * @param rawItems the raw items published
   * @param articles the article events the dedup stage emitted
   * @param rejected messages of the raw items the normalizer rejected (dead letters in the service)
   */
  private record Outcome(
      PollResult poll,
      List<RawWireItem> rawItems,
      List<ArticleEvent> articles,
      List<String> rejected) {
    int warnings() {
      return articles.stream().mapToInt(a -> a.warnings().size()).sum();
    }

    String warningKinds() {
      return articles.stream()
          .flatMap(a -> a.warnings().stream())
          .distinct()
          .sorted()
          .collect(Collectors.joining(","));
    }
  }

  @TestFactory
  Stream<DynamicTest> realFeeds() throws IOException {
    Path corpus = Corpus.dir();
    if (!Corpus.isPresent(corpus)) {
      return Stream.of(Corpus.missing(corpus));
    }
    Set<String> wellFormed = Corpus.wellFormedFiles(corpus);
    List<Path> files = Corpus.realFiles(corpus);
    return files.stream()
        .map(
            file -> {
              String name = corpus.relativize(file).toString().replace('\\', '/');
              return DynamicTest.dynamicTest(
                  name, () -> check(name, file, wellFormed.contains(name)));
            });
  }

  /**
   * Regression (editorial read): Reuters' FeedBurner feed has no enclosures, so the images of its
   * descriptions become the story's pictures; those were a feedsportal.com and a FeedBurner 1x1
   * beacon and three FeedBurner share buttons per item (170 "pictures" for 20 items, none of the
   * story), all kept in bodyHtml too. (Two items also carry feedsportal.com advertisements, which
   * are neither sized nor marked: they stay, as images the agency's feed gave.)
   */
  @Test
  void shouldNotTakeTrackingPixelsOrShareButtonsForPictures() {
    List<ArticleEvent> articles = articlesOf("real/reuters_worldnews_feedburner_2015.xml");

    assertThat(articles).hasSize(20);
    assertThat(articles)
        .allSatisfy(
            article -> {
              assertThat(article.associations())
                  .extracting(ArticleEvent.Association::uri)
                  .noneMatch(uri -> uri.contains("feedburner.com") || uri.endsWith("/mf.gif"));
              assertThat(article.bodyHtml())
                  .doesNotContain("feedburner.com")
                  .doesNotContain("/mf.gif")
                  .doesNotContain("width=\"1\"");
            });
  }

  /**
   * Regression: Reuters' FeedBurner feed links each item to a FeedBurner redirect that names the
   * feed ({@code feeds.reuters.com/~r/reuters/topNews/~3/...}) and gives the story's own URL as
   * {@code feedburner:origLink}; the article's url was the redirect. (The 2015 world-news feed's
   * origLink is itself a feedsportal.com redirect: taken as given.)
   */
  @Test
  void shouldGiveTheStoryOwnUrlOfAFeedBurnerFeed() {
    List<ArticleEvent> articles = articlesOf("real/reuters_topnews_feedburner_2018.xml");

    assertThat(articles).hasSize(10);
    assertThat(articles)
        .extracting(ArticleEvent::url)
        .allMatch(url -> url.startsWith("http://www.reuters.com/article/"), "a reuters.com URL");
    assertThat(articles)
        .extracting(ArticleEvent::originalUrl)
        .noneMatch(url -> url.contains("/~r/"), "a FeedBurner redirect");
  }

  /**
   * Regression: DW and Reuters name the section feed in their GUIDs ({@code
   * ?maca=en-rss-en-all-1573-rdf}, {@code &feedName=topNews}), heise in its links ({@code
   * ?wt_mc=rss.red.ho.ho.atom...}), so one story in two section feeds of the agency was two
   * articles: GUIDs were taken as given, and {@code feedName} and {@code wt_mc} were no tracking
   * parameters. The second section feed is the capture with its section named otherwise throughout
   * (DW's world feed is {@code maca=en-rss-en-world-4025-rdf}); both feeds' stories have the same
   * uris. heise's entries have GUIDs without the parameter, so it is read with {@code identity:
   * link}.
   */
  @ParameterizedTest
  @CsvSource({
    "real/dw_english_all_rdf_trimmed_2026.xml, en-rss-en-all-1573-rdf, en-rss-en-world-4025-rdf,"
        + " AUTO",
    "real/dw_english_all_rdf_2015.xml, en-rss-en-all-1573-rdf, en-rss-en-world-4025-rdf, AUTO",
    "real/reuters_topnews_feedburner_2018.xml, topNews, worldNews, AUTO",
    "real/reuters_worldnews_feedburner_2015.xml, worldNews, topNews, AUTO",
    "real/heise_online_atom_2026.xml, wt_mc=rss.red.ho.ho.atom, wt_mc=rss.developer.atom, LINK"
  })
  void shouldGiveAStoryInTwoSectionFeedsOfAnAgencyOneUri(
      String name, String section, String otherSection, IdentityPolicy policy, @TempDir Path dir)
      throws IOException {
    List<ArticleEvent> articles = articlesOf(name, policy);
    String capture = Files.readString(Corpus.dir().resolve(name), StandardCharsets.UTF_8);
    assertThat(capture).contains(section);
    String agency = Path.of(name).getFileName().toString().split("_")[0];
    Path other = dir.resolve(agency + "_" + otherSection.toLowerCase(Locale.ROOT) + ".xml");
    Files.writeString(other, capture.replace(section, otherSection), StandardCharsets.UTF_8);

    List<ArticleEvent> otherArticles = runPipeline(other, policy).articles();

    assertThat(articles).isNotEmpty();
    assertThat(otherArticles)
        .extracting(ArticleEvent::uri)
        .containsExactlyElementsOf(articles.stream().map(ArticleEvent::uri).toList());
  }

  /**
   * Regression (editorial read): CNN gives each story's picture as a {@code <media:group>} of ten
   * crops (one listed twice); each crop became a picture of its own, 490 "pictures" for 50 items
   * (49 with a group). A group is one media object in several representations (Media RSS 1.5.1):
   * one ninjs association with a rendition per crop.
   */
  @Test
  void shouldMakeEachMediaGroupOnePictureWithARenditionPerCrop() {
    List<ArticleEvent> articles = articlesOf("real/cnn_intl_edition_2021.xml");

    assertThat(articles).hasSize(50);
    assertThat(articles)
        .filteredOn(article -> !article.associations().isEmpty())
        .hasSize(49)
        .allSatisfy(
            article ->
                assertThat(article.associations())
                    .singleElement()
                    .satisfies(
                        picture -> {
                          assertThat(picture.type()).isEqualTo("picture");
                          assertThat(picture.uri()).contains("-super-169.");
                          assertThat(picture.renditions()).hasSize(10);
                        }));
  }

  /**
   * Regression (editorial read): NBC New York dates its item {@code Sat, Dec 16 2023 02:02:33 PM},
   * without a zone, in a channel dated {@code -0500}; the story was published at 14:02 UTC, five
   * hours before New York's 2:02 PM.
   */
  @Test
  void shouldDateAZonelessItemInItsPublishersOffset() {
    List<ArticleEvent> articles = articlesOf("real/nbcnewyork_2023.xml");

    assertThat(articles).hasSize(1);
    assertThat(articles.get(0).firstCreated()).isEqualTo(Instant.parse("2023-12-16T19:02:33Z"));
    assertThat(articles.get(0).versionCreated()).isEqualTo(Instant.parse("2023-12-16T19:02:33Z"));
  }

  /**
   * The articles the pipeline makes of one real capture; without the corpus the test fails, or is
   * skipped when {@code corpus.optional} is true (as the suites do).
   */
  private static List<ArticleEvent> articlesOf(String name) {
    return articlesOf(name, IdentityPolicy.AUTO);
  }

  /** As {@link #articlesOf(String)}, with the source listed with {@code policy}. */
  private static List<ArticleEvent> articlesOf(String name, IdentityPolicy policy) {
    Path corpus = Corpus.dir();
    Assumptions.assumeTrue(
        Corpus.isPresent(corpus) || !Boolean.getBoolean(Corpus.OPTIONAL_PROPERTY),
        "no corpus at " + corpus);
    assertThat(Corpus.isPresent(corpus)).as("corpus at %s has real/", corpus).isTrue();
    return runPipeline(corpus.resolve(name), policy).articles();
  }

  private static void check(String name, Path file, boolean wellFormed) {
    Outcome outcome = assertTimeoutPreemptively(PER_FILE_BOUND, () -> runPipeline(file), name);
    OUTCOMES.put(name, outcome);

    assertThat(outcome.rawItems()).allSatisfy(item -> SchemaAssert.assertValid("raw-item", item));
    assertThat(outcome.articles())
        .allSatisfy(
            article -> {
              assertThat(article.headline()).as("headline of %s", article.uri()).isNotBlank();
              assertThat(article.uri()).matches(URI);
              SchemaAssert.assertValid("article", article);
            });

    PollResult poll = outcome.poll();
    Optional<ParseFailure> expectedFailure = Corpus.expectedFailure(name);
    if (expectedFailure.isPresent()) {
      assertThat(poll.outcome()).as("%s is no feed", name).isEqualTo(PollResult.Outcome.FAILED);
      assertThat(poll.code()).isEqualTo(expectedFailure.get().code());
      assertThat(poll.message()).isNotBlank().doesNotContain("\n");
      assertThat(outcome.rawItems()).isEmpty();
    } else if (Corpus.NOT_FEEDS_WITH_ITEMS.containsKey(name)) {
      assertThat(poll.outcome())
          .as("%s: %s", name, Corpus.NOT_FEEDS_WITH_ITEMS.get(name))
          .isEqualTo(PollResult.Outcome.OK);
      assertThat(outcome.articles()).isEmpty();
    } else if (wellFormed) {
      assertThat(poll.outcome())
          .as("%s is a well-formed feed (%s)", name, poll.message())
          .isEqualTo(PollResult.Outcome.OK);
      assertThat(outcome.articles()).as("articles of %s", name).isNotEmpty();
      assertThat(outcome.rejected()).as("entries of %s the normalizer rejected", name).isEmpty();
    }
  }

  /** The poller and the normalizer's two stages on one file, without Kafka. */
  private static Outcome runPipeline(Path file) {
    return runPipeline(file, IdentityPolicy.AUTO);
  }

  private static Outcome runPipeline(Path file, IdentityPolicy policy) {
    FeedSource source = sourceFor(file, policy);
    Clock clock = Clock.systemUTC();
    InMemoryPollSink sink = new InMemoryPollSink();
    PollResult poll = new FeedPoller(FETCHER, new FeedParser(), sink, clock).poll(source, null);
    Normalizer normalizer = new Normalizer(clock, Normalizer.DEFAULT_FUTURE_SKEW);
    Map<String, DedupState> versions = new HashMap<>();
    List<ArticleEvent> articles = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    List<RawWireItem> items = sink.items();
    for (int offset = 0; offset < items.size(); offset++) {
      RawWireItem item = items.get(offset);
      ArticleEvent draft;
      try {
        Instant ingestedAt = clock.instant();
        draft =
            normalizer
                .normalize(item)
                .withIngestion(
                    ingestedAt,
                    new ArticleEvent.Lineage(
                        RAW_ITEMS_TOPIC, 0, offset, item.source().id() + "/" + item.itemKey()));
      } catch (NormalizationException e) {
        rejected.add(e.getMessage());
        continue;
      }
      Versioning.Decision decision = Versioning.decide(versions.get(draft.uri()), draft);
      versions.put(draft.uri(), decision.state());
      Versioning.apply(decision, draft).ifPresent(articles::add);
    }
    return new Outcome(poll, items, articles, rejected);
  }

  /** A source named after the file: id from the file name, agency from its first word. */
  private static FeedSource sourceFor(Path file, IdentityPolicy policy) {
    String base =
        file.getFileName().toString().replaceFirst("\\.[^.]*$", "").toLowerCase(Locale.ROOT);
    String id = base.replaceAll("[^a-z0-9-]+", "-");
    String agency = id.contains("-") ? id.substring(0, id.indexOf('-')) : id;
    return TestFeeds.feed(id)
        .name(base)
        .agency(agency)
        .url(file.toUri())
        .language(null)
        .identity(policy)
        .build();
  }

  @AfterAll
  static void writeReportAndSummary() throws IOException {
    FETCHER.close();
    if (OUTCOMES.isEmpty()) {
      return;
    }
    List<String> lines = new ArrayList<>();
    lines.add("file\toutcome\tentries\traw_items\tarticles\twarnings\twarning_kinds\trejected");
    Map<String, Integer> byCode = new TreeMap<>();
    long entries = 0;
    long rawItems = 0;
    long articles = 0;
    long rejected = 0;
    for (Map.Entry<String, Outcome> e : OUTCOMES.entrySet()) {
      Outcome o = e.getValue();
      byCode.merge(o.poll().code(), 1, Integer::sum);
      entries += o.poll().entriesSeen();
      rawItems += o.rawItems().size();
      articles += o.articles().size();
      rejected += o.rejected().size();
      lines.add(
          String.join(
              "\t",
              e.getKey(),
              o.poll().code(),
              Integer.toString(o.poll().entriesSeen()),
              Integer.toString(o.rawItems().size()),
              Integer.toString(o.articles().size()),
              Integer.toString(o.warnings()),
              o.warningKinds(),
              Integer.toString(o.rejected().size())));
    }
    Files.createDirectories(REPORT.getParent());
    Files.write(REPORT, lines, StandardCharsets.UTF_8);
    System.out.printf(
        Locale.ROOT,
        "corpus pipeline: %d files %s, %d entries, %d raw items, %d articles, %d rejected (report: %s)%n",
        OUTCOMES.size(),
        byCode,
        entries,
        rawItems,
        articles,
        rejected,
        REPORT.toAbsolutePath());
  }
}
