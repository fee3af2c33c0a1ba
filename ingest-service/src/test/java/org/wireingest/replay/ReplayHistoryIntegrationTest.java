package org.wireingest.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.cli.CliRun;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.dedup.ArticleUri;
import org.wireingest.dedup.NearDuplicates;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.Topics;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.model.StorySignature;
import org.wireingest.parse.FeedParser;
import org.wireingest.poll.FeedPoller;
import org.wireingest.poll.KafkaPollSink;
import org.wireingest.streams.DeadLetters;
import org.wireingest.streams.NormalizerApp;
import org.wireingest.streams.NormalizerListener;
import org.wireingest.streams.NormalizerSteps;
import org.wireingest.testing.Await;
import org.wireingest.testing.KafkaBrokerExtension;
import org.wireingest.testing.SchemaAssert;

/**
 * Feed history on a real broker: a poller fetches a sequence of feed snapshots from a local HTTP
 * server (edits, a new entry, a removed entry, a copy in a section feed), the live normalizer
 * (Kafka Streams, exactly-once) turns them into article events, and then replay, re-parse and story
 * run over what the topics hold.
 */
@Tag("integration")
class ReplayHistoryIntegrationTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Topics TOPICS = new Topics("it-replay.");
  private static final String AGENCY = "itwire";
  private static final Duration WAIT = Duration.ofSeconds(90);

  private static final Map<String, String> served = new ConcurrentHashMap<>();
  private static HttpServer server;
  private static FeedSource world;
  private static FeedSource section;
  private static FeedSource broken;
  private static Instant startedAt;
  private static Instant beforeThirdSnapshot;
  private static List<ConsumerRecord<String, String>> live;

  // ---- feed snapshots ----

  private static String item(String guid, String title, String pubDate, String updated) {
    return """
        <item><guid isPermaLink="false">%s</guid><title>%s</title><link>https://itwire.example/a/%s?utm_source=rss</link>
          <description>&lt;p&gt;%s, officials said on Monday.&lt;/p&gt;</description>
          <pubDate>%s</pubDate>%s</item>
        """
        .formatted(
            guid,
            title,
            guid,
            title,
            pubDate,
            updated == null ? "" : "<atom:updated>" + updated + "</atom:updated>");
  }

  private static String rss(String... items) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>IT Wire</title><link>https://itwire.example/</link>
        <language>en</language>
        %s</channel></rss>
        """
        .formatted(String.join("", items));
  }

  private static final String TALKS =
      item("a1", "Ceasefire talks resume in Doha", "Mon, 30 Nov 2026 06:00:00 GMT", null);
  private static final String TALKS_EDITED =
      item(
          "a1",
          "Ceasefire talks resume in Doha as mediators push for exchange",
          "Mon, 30 Nov 2026 06:00:00 GMT",
          "2026-11-30T07:00:00Z");
  private static final String TALKS_EDITED_AGAIN =
      item(
          "a1",
          "Ceasefire talks in Doha end with prisoner exchange deal",
          "Mon, 30 Nov 2026 06:00:00 GMT",
          "2026-11-30T07:30:00Z");
  private static final String MARKETS =
      item("a2", "Markets rally after rate decision", "Mon, 30 Nov 2026 06:10:00 GMT", null);
  private static final String STORM =
      item("a3", "Storm reaches the coast", "Mon, 30 Nov 2026 06:20:00 GMT", null);
  private static final String ELECTION =
      item("a4", "Early elections called for March", "Mon, 30 Nov 2026 07:05:00 GMT", null);

  // ---- set-up: poll the snapshots, run the live normalizer ----

  @BeforeAll
  static void pollSnapshotsAndRunTheLiveNormalizer(@TempDir Path stateDir) throws Exception {
    TopicAdmin.ensureTopics(KAFKA.admin(), TOPICS.all(3), Duration.ofSeconds(60));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String body = served.get(exchange.getRequestURI().getPath());
            if (body == null) {
              exchange.sendResponseHeaders(404, -1);
              return;
            }
            byte[] bytes = body.getBytes(UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/rss+xml; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          }
        });
    server.start();
    world = source("it-world", AGENCY, "/world");
    section = source("it-section", AGENCY, "/section");
    broken = source("it-broken", "itother", "/broken");

    startedAt = Instant.now();
    Map<String, FeedState> states = new HashMap<>();
    try (KafkaPollSink sink =
            new KafkaPollSink(KAFKA.clientProperties(), TOPICS, Duration.ofSeconds(60));
        FeedFetcher fetcher =
            new FeedFetcher(FetchSettings.defaults().withAllowPrivateAddresses(true))) {
      FeedPoller poller = new FeedPoller(fetcher, new FeedParser(), sink, Clock.systemUTC());
      poll(poller, world, rss(TALKS, MARKETS, STORM), states);
      poll(poller, section, rss(MARKETS), states); // the same story in a section feed: a duplicate
      poll(poller, world, rss(TALKS_EDITED, MARKETS, ELECTION), states); // edit, removal, new entry
      beforeThirdSnapshot = nextMillisecond();
      poll(poller, world, rss(TALKS_EDITED_AGAIN, MARKETS, ELECTION), states);
      // "the old parser": a size limit that this body exceeds, so its first parse failed
      FeedPoller oldParser = new FeedPoller(fetcher, new FeedParser(300), sink, Clock.systemUTC());
      served.put(
          "/broken",
          rss(
              item("b1", "Port reopens after strike", "Mon, 30 Nov 2026 06:00:00 GMT", null),
              item("b2", "Bridge closed for repairs", "Mon, 30 Nov 2026 06:05:00 GMT", null)));
      assertThat(oldParser.poll(broken, null).code()).isEqualTo("too-large");
    }

    long rawRecords = endOffsets(TOPICS.rawItems());
    Counting counts = new Counting();
    try (NormalizerApp normalizer =
        new NormalizerApp(
            KAFKA.clientProperties(), "it-replay-normalizer", stateDir, TOPICS, counts, 3)) {
      normalizer.start();
      await(
          "the normalizer decides every raw record",
          () -> counts.consumed.get() >= rawRecords && counts.decided.get() == counts.drafts.get());
      await(
          "the live events are committed",
          () -> readAll(TOPICS.articles()).size() == counts.emitted.get());
      live = readAll(TOPICS.articles());
    }
  }

  /** Counts what the live normalizer did (no transaction aborts in this test, so exact). */
  private static final class Counting implements NormalizerListener {
    final AtomicLong consumed = new AtomicLong();
    final AtomicLong drafts = new AtomicLong();
    final AtomicLong decided = new AtomicLong();
    final AtomicLong emitted = new AtomicLong();

    @Override
    public void rawRecordConsumed(int partition, long offset) {
      consumed.incrementAndGet();
    }

    @Override
    public void itemRouted() {
      drafts.incrementAndGet();
    }

    @Override
    public void articleEmitted(ArticleEvent event) {
      emitted.incrementAndGet();
    }

    @Override
    public void duplicateSuppressed(String reason) {}

    @Override
    public void normalizationSkipped() {}

    @Override
    public void deadLettered(String stage, String errorClass) {}

    @Override
    public void itemDecided() {
      decided.incrementAndGet();
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Await.until(what, WAIT, condition);
  }

  private static long endOffsets(String topic) throws Exception {
    var parts =
        KAFKA.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
    Map<TopicPartition, OffsetSpec> request =
        parts.stream()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
    return KAFKA.admin().listOffsets(request).all().get().values().stream()
        .mapToLong(o -> o.offset())
        .sum();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static FeedSource source(String id, String agency, String path) {
    return TestFeeds.feed(id)
        .name("IT " + id)
        .agency(agency)
        .url("http://127.0.0.1:" + server.getAddress().getPort() + path)
        .build();
  }

  private static void poll(
      FeedPoller poller, FeedSource source, String body, Map<String, FeedState> states) {
    served.put(source.url().getPath(), body);
    var result = poller.poll(source, states.get(source.id()));
    assertThat(result.code()).as(result.message()).isEqualTo("ok");
    states.put(source.id(), result.state());
  }

  /**
   * @return an instant strictly after every record written so far and before every later one
   *     (record times are ms)
   */
  private static Instant nextMillisecond() {
    long now = System.currentTimeMillis();
    while (System.currentTimeMillis() <= now) {
      Thread.onSpinWait();
    }
    Instant mark = Instant.ofEpochMilli(System.currentTimeMillis());
    while (System.currentTimeMillis() <= mark.toEpochMilli()) {
      Thread.onSpinWait();
    }
    return mark;
  }

  /** Every committed record of {@code topic}, read up to its end offsets. */
  private static List<ConsumerRecord<String, String>> readAll(String topic) {
    Map<String, Object> p = new HashMap<>(KAFKA.clientProperties());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
        assertThat(System.nanoTime()).as("reading " + topic).isLessThan(deadline);
      }
      return out;
    }
  }

  private static ArticleEvent event(ConsumerRecord<String, String> r) {
    try {
      return Json.MAPPER.readValue(r.value(), ArticleEvent.class);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** (uri, version, fingerprint) of every event. */
  private static Set<String> versions(List<ConsumerRecord<String, String>> records) {
    return records.stream()
        .map(ReplayHistoryIntegrationTest::event)
        .map(e -> e.uri() + " v" + e.version() + " " + e.fingerprint())
        .collect(Collectors.toSet());
  }

  // Found in session 17: Ctrl-C during a replay ended the JVM mid-record, unsent events lost, no
  // summary. The job now stops between records when its progress says so, and says it stopped.
  @Test
  void shouldStopBetweenRecordsWhenAskedAndSaySo() {
    ArticleReplayJob.Summary whole =
        replay("it-replay.articles.replay.whole", Instant.EPOCH, Set.of(), true);
    ArticleReplayJob.Summary stopped =
        ArticleReplayJob.run(
            KAFKA.clientProperties(),
            new ArticleReplayJob.Request(
                TOPICS.rawItems(),
                Instant.EPOCH,
                null,
                Set.of(),
                "it-replay.articles.replay.stopped",
                TOPICS.deadLetters(),
                true),
            Clock.systemUTC(),
            total -> ReplayProgress.silent(() -> true));
    ReparseJob.Summary reparse =
        ReparseJob.run(
            KAFKA.clientProperties(),
            new ReparseJob.Request(
                TOPICS.fetchLog(),
                null,
                null,
                Set.of(),
                "it-replay.raw-items.reparse.stopped",
                TOPICS.deadLetters(),
                true),
            Map.of(broken.id(), broken),
            new FeedParser(),
            total -> ReplayProgress.silent(() -> true),
            () -> {});

    assertThat(whole.interrupted()).isFalse();
    assertThat(whole.recordsRead()).isPositive();
    assertThat(whole.line()).doesNotContain("INTERRUPTED");
    assertThat(stopped.interrupted()).isTrue();
    assertThat(stopped.recordsRead()).isZero();
    assertThat(stopped.line()).endsWith(" | INTERRUPTED before the end of the range");
    assertThat(reparse.interrupted()).isTrue();
    assertThat(reparse.recordsRead()).isZero();
    assertThat(reparse.noSourceInFeedsList()).isFalse();
    assertThat(reparse.line()).endsWith(" | INTERRUPTED before the end of the range");
  }

  // Found in a replay review: a replay stopped by Ctrl-C said "raw records read: 0" after its
  // progress line had shown 5,000 read: the summary counted the records handed to the rules (of the
  // sources asked, and out of the merge), the progress line every record read from the range.
  @Test
  void shouldCountTheRecordsReadAsTheProgressLineDidWhenStopped() {
    AtomicLong shown = new AtomicLong(-1);
    ReplayProgress progress = stoppedOnceShown(2, "replay", shown);
    Map<String, Object> oneRecordPerPoll = new HashMap<>(KAFKA.clientProperties());
    oneRecordPerPoll.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1); // the stop comes mid-range

    ArticleReplayJob.Summary stopped =
        ArticleReplayJob.run(
            oneRecordPerPoll,
            new ArticleReplayJob.Request(
                TOPICS.rawItems(),
                Instant.EPOCH,
                null,
                Set.of(section.id()),
                "it-replay.articles.replay.counted",
                TOPICS.deadLetters(),
                true),
            Clock.systemUTC(),
            total -> progress);

    assertThat(stopped.interrupted()).isTrue();
    assertThat(shown.get()).isGreaterThanOrEqualTo(2);
    assertThat(stopped.recordsReplayed()).isLessThan(shown.get());
    assertThat(stopped.line()).startsWith("replay: records read: " + shown.get() + " | ");
  }

  // The same for replay --reparse: its "fetch-log records read" counted the records handed on to
  // be re-parsed, not those the progress line had shown.
  @Test
  void shouldCountTheRecordsReadAsTheProgressLineDidWhenAReparseIsStopped() {
    AtomicLong shown = new AtomicLong(-1);
    ReplayProgress progress = stoppedOnceShown(2, "replay --reparse", shown);
    Map<String, Object> oneRecordPerPoll = new HashMap<>(KAFKA.clientProperties());
    oneRecordPerPoll.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1); // the stop comes mid-range

    ReparseJob.Summary stopped =
        ReparseJob.run(
            oneRecordPerPoll,
            new ReparseJob.Request(
                TOPICS.fetchLog(),
                null,
                null,
                Set.of(section.id()),
                "it-replay.raw-items.reparse.counted",
                TOPICS.deadLetters(),
                true),
            Map.of(world.id(), world, section.id(), section),
            new FeedParser(),
            total -> progress,
            () -> {});

    assertThat(stopped.interrupted()).isTrue();
    assertThat(shown.get()).isGreaterThanOrEqualTo(2);
    assertThat(stopped.fetchesReplayed()).isLessThan(shown.get());
    assertThat(stopped.line()).startsWith("replay --reparse: records read: " + shown.get() + " | ");
  }

  /**
   * A progress display that keeps in {@code shown} the record count its last line showed, and asks
   * to stop (as Ctrl-C does) once that count reaches {@code records}.
   */
  private static ReplayProgress stoppedOnceShown(long records, String label, AtomicLong shown) {
    Pattern count = Pattern.compile(Pattern.quote(label) + ": ([0-9,]+)");
    return new ReplayProgress(
        label,
        0,
        System::nanoTime,
        Duration.ZERO,
        line -> {
          Matcher m = count.matcher(line);
          if (m.find()) {
            shown.set(Long.parseLong(m.group(1).replace(",", "")));
          }
        },
        () -> shown.get() >= records);
  }

  // Found in a replay test: a replay whose broker went away half-way printed only Kafka's error
  // ("could not write to T: Topic T not present in metadata after 60000 ms"), no summary: nothing
  // said that T held part of the replay (1,445 of 30,200 events), as an interrupted one's summary
  // does.
  @Test
  void shouldSayThatTheTargetMayHoldPartOfTheRunWhenItsWritesFail() throws Exception {
    String articles = "it-replay.articles.replay.refused";
    String rawItems = "it-replay.raw-items.reparse.refused";
    String deadLetters = "it-replay.dead-letters.refused";
    // Every batch is over these topics' limit: the broker refuses each write, as a broker gone away
    // fails it.
    Map<String, String> tiny = Map.of("max.message.bytes", "64");
    KAFKA
        .admin()
        .createTopics(
            List.of(
                new NewTopic(articles, 1, (short) 1).configs(tiny),
                new NewTopic(rawItems, 1, (short) 1).configs(tiny),
                new NewTopic(deadLetters, 1, (short) 1)))
        .all()
        .get(30, TimeUnit.SECONDS);

    assertThatThrownBy(
            () ->
                ArticleReplayJob.run(
                    KAFKA.clientProperties(),
                    new ArticleReplayJob.Request(
                        TOPICS.rawItems(),
                        Instant.EPOCH,
                        null,
                        Set.of(),
                        articles,
                        deadLetters,
                        false),
                    Clock.systemUTC(),
                    total -> ReplayProgress.SILENT))
        .isInstanceOf(HistoryReadException.class)
        .hasMessageMatching(
            "(?s).* \\(after [1-9][0-9]* records read: "
                + articles
                + " may hold part of the run; to finish, replay into a new --target-topic, or delete this one and run again\\)");
    assertThatThrownBy(
            () ->
                ReparseJob.run(
                    KAFKA.clientProperties(),
                    new ReparseJob.Request(
                        TOPICS.fetchLog(), null, null, Set.of(), rawItems, deadLetters, false),
                    Map.of(world.id(), world, section.id(), section),
                    new FeedParser(),
                    total -> ReplayProgress.SILENT,
                    () -> {}))
        .isInstanceOf(HistoryReadException.class)
        .hasMessageMatching(
            "(?s).* \\(after [1-9][0-9]* records read: "
                + rawItems
                + " may hold part of the run; to finish, replay into a new --target-topic, or delete this one and run again\\)");
  }

  private static ArticleReplayJob.Summary replay(
      String target, Instant from, Set<String> sources, boolean dryRun) {
    if (!dryRun) {
      TopicAdmin.ensureTopics(
          KAFKA.admin(), List.of(TOPICS.articlesReplaySpec(target, 3)), Duration.ofSeconds(30));
    }
    return ArticleReplayJob.run(
        KAFKA.clientProperties(),
        new ArticleReplayJob.Request(
            TOPICS.rawItems(), from, null, sources, target, TOPICS.deadLetters(), dryRun),
        Clock.systemUTC(),
        total -> ReplayProgress.SILENT);
  }

  private static String uriOf(String headline) {
    return live.stream()
        .map(ReplayHistoryIntegrationTest::event)
        .filter(e -> e.headline().equals(headline))
        .findFirst()
        .orElseThrow()
        .uri();
  }

  // ---- replay ----

  @Test
  void shouldReplayTheSameUrisVersionsAndFingerprintsAsTheLiveTopic() {
    ArticleReplayJob.Summary summary =
        replay("it-replay.articles.replay.full", startedAt.minusSeconds(60), Set.of(), false);

    assertThat(live)
        .extracting(r -> event(r).version())
        .containsExactlyInAnyOrder(1, 2, 3, 1, 1, 1);
    assertThat(versions(readAll("it-replay.articles.replay.full"))).isEqualTo(versions(live));
    assertThat(summary.line())
        .contains("articles created: 4, updated: 2")
        .contains("duplicates suppressed: 1")
        .contains("dead letters: 0");
  }

  @Test
  void shouldGiveReplayedEventsTheLiveKeysAndCloudEventHeaders() {
    replay("it-replay.articles.replay.headers", startedAt.minusSeconds(60), Set.of(), false);

    assertThat(keysAndHeaders(readAll("it-replay.articles.replay.headers")))
        .isEqualTo(keysAndHeaders(live));
  }

  /** key → the CloudEvents headers that do not depend on which feed's copy came first. */
  private static Map<String, Map<String, String>> keysAndHeaders(
      List<ConsumerRecord<String, String>> records) {
    Map<String, Map<String, String>> out = new HashMap<>();
    for (ConsumerRecord<String, String> r : records) {
      Map<String, String> h = new LinkedHashMap<>();
      for (Header header : r.headers()) {
        if (!header.key().equals("ce_source")) {
          h.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
      }
      out.put(r.key() + "#" + event(r).version(), h);
    }
    return out;
  }

  @Test
  void shouldValidateEveryReplayedEventAgainstTheArticleSchema() throws IOException {
    replay("it-replay.articles.replay.schema", startedAt.minusSeconds(60), Set.of(), false);

    for (ConsumerRecord<String, String> r : readAll("it-replay.articles.replay.schema")) {
      SchemaAssert.assertValid("article", Json.MAPPER.readTree(r.value()));
    }
  }

  @Test
  void shouldWriteNothingOnADryRun() throws Exception {
    ArticleReplayJob.Summary summary =
        replay("it-replay.articles.replay.dry", startedAt.minusSeconds(60), Set.of(), true);

    assertThat(summary.created()).isEqualTo(4);
    assertThat(KAFKA.admin().listTopics().names().get())
        .doesNotContain("it-replay.articles.replay.dry");
  }

  // Found in a replay test: --from 36500d (before 1970) ended in offsetsForTimes'
  // IllegalArgumentException and a stack trace.
  @Test
  void shouldReadEverythingFromATimeBeforeTheEpochToOnePastTheLastEpochMilli() {
    ArticleReplayJob.Summary summary =
        ArticleReplayJob.run(
            KAFKA.clientProperties(),
            new ArticleReplayJob.Request(
                TOPICS.rawItems(),
                Instant.parse("1926-12-02T00:00:00Z"),
                Instant.MAX,
                Set.of(),
                "it-replay.articles.replay.epoch",
                TOPICS.deadLetters(),
                true),
            Clock.systemUTC(),
            total -> ReplayProgress.SILENT);

    assertThat(summary.created())
        .isEqualTo(replay("it-replay.articles.replay.epoch", null, Set.of(), true).created())
        .isPositive();
    CliRun dryRun = cli("replay", "--from", "36500d", "--dry-run");
    assertThat(dryRun.exit()).as(dryRun.err()).isZero();
    assertThat(dryRun.err()).isEmpty();
  }

  @Test
  void shouldStartAtTheOffsetsOfTheFromTime() {
    ArticleReplayJob.Summary summary =
        replay("it-replay.articles.replay.late", beforeThirdSnapshot, Set.of(), false);

    // only the third snapshot's one changed entry; with a fresh state it is a new article
    assertThat(summary.recordsReplayed()).isEqualTo(1);
    assertThat(readAll("it-replay.articles.replay.late"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(event(r).headline())
                    .isEqualTo("Ceasefire talks in Doha end with prisoner exchange deal"));
  }

  @Test
  void shouldReplayOnlyTheSourcesAsked() {
    ArticleReplayJob.Summary summary =
        replay(
            "it-replay.articles.replay.section",
            startedAt.minusSeconds(60),
            Set.of(section.id()),
            true);

    assertThat(summary.recordsReplayed()).isEqualTo(1);
    assertThat(summary.created()).isEqualTo(1);
    assertThat(summary.sourcesNotFound()).isEmpty();
    assertThat(summary.line()).doesNotContain("no record of source");
  }

  // Found in a new-user test: a mistyped --source read 0 records and said nothing more.
  @Test
  void shouldNameTheAskedSourcesThatHadNoRecord() {
    ArticleReplayJob.Summary summary =
        replay(
            "it-replay.articles.replay.typo",
            startedAt.minusSeconds(60),
            Set.of(section.id(), "trtworld-mian", "another-typo"),
            true);
    ReparseJob.Summary reparse =
        ReparseJob.run(
            KAFKA.clientProperties(),
            new ReparseJob.Request(
                TOPICS.fetchLog(),
                null,
                null,
                Set.of("trtworld-mian"),
                "it-replay.raw-items.reparse.typo",
                TOPICS.deadLetters(),
                true),
            Map.of(),
            new FeedParser(),
            total -> ReplayProgress.SILENT,
            () -> {});

    assertThat(summary.recordsReplayed()).isEqualTo(1);
    assertThat(summary.line())
        .endsWith(
            " | no record of source(s) another-typo, trtworld-mian in the range (check --source)");
    assertThat(reparse.fetchesReplayed()).isZero();
    assertThat(reparse.line())
        .endsWith(" | no record of source(s) trtworld-mian in the range (check --source)");
  }

  // Found in a new-user test: replay --reparse with the default feeds list, not the poller's,
  // re-parsed nothing and exited 0; the summary now tells the command to fail and names the
  // sources.
  @Test
  void shouldSayWhenNoStoredBodyCameFromASourceOfTheFeedsList() {
    ReparseJob.Summary wrongList =
        ReparseJob.run(
            KAFKA.clientProperties(),
            new ReparseJob.Request(
                TOPICS.fetchLog(),
                null,
                null,
                Set.of(),
                "it-replay.raw-items.reparse.wrong-list",
                TOPICS.deadLetters(),
                true),
            Map.of("trtworld-main", broken),
            new FeedParser(),
            total -> ReplayProgress.SILENT,
            () -> {});
    ReparseJob.Summary rightList =
        ReparseJob.run(
            KAFKA.clientProperties(),
            new ReparseJob.Request(
                TOPICS.fetchLog(),
                null,
                null,
                Set.of(),
                "it-replay.raw-items.reparse.right-list",
                TOPICS.deadLetters(),
                true),
            Map.of(broken.id(), broken),
            new FeedParser(),
            total -> ReplayProgress.SILENT,
            () -> {});

    assertThat(wrongList.bodiesParsed()).isZero();
    assertThat(wrongList.noSourceInFeedsList()).isTrue();
    assertThat(wrongList.sourcesNotInFeedsList()).contains(broken.id(), section.id());
    assertThat(rightList.bodiesParsed()).isPositive();
    assertThat(rightList.noSourceInFeedsList()).isFalse();
    assertThat(rightList.sourcesNotInFeedsList())
        .doesNotContain(broken.id())
        .contains(section.id());
  }

  @Test
  void shouldExitOneFromTheCommandWhenTheFeedsListNamesNoSourceOfTheHistory(@TempDir Path dir)
      throws IOException {
    Path otherList =
        Files.writeString(
            dir.resolve("feeds.yaml"),
            "sources:\n  - {id: trtworld-main, name: TRT World, agency: trtworld, url: 'https://www.trtworld.com/feed/rss.xml'}\n");
    CliRun run =
        cli("replay", "--reparse", "--from", "30d", "--dry-run", "--feeds", otherList.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("no stored body came from a source of the feeds list " + otherList)
        .contains(broken.id())
        .contains("pass --feeds with the feeds list the poller used");
  }

  // Found in session 16: a reparse that had nothing to write still created its (empty) target
  // topic.
  @Test
  void shouldNotCreateTheTargetWhenTheReparseWritesNothing(@TempDir Path dir) throws Exception {
    Path otherList =
        Files.writeString(
            dir.resolve("feeds.yaml"),
            "sources:\n  - {id: trtworld-main, name: TRT World, agency: trtworld, url: 'https://www.trtworld.com/feed/rss.xml'}\n");
    String target = "it-replay.raw-items.reparse.nothing";

    CliRun run =
        cli(
            "replay",
            "--reparse",
            "--from",
            "30d",
            "--feeds",
            otherList.toString(),
            "--target-topic",
            target);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("no stored body came from a source of the feeds list " + otherList)
        .contains(": nothing to write to " + target + " (not created when missing); pass --feeds");
    assertThat(KAFKA.admin().listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(target);
  }

  // Found in a consumer test: a replay of a mistyped --raw-topic said it does not exist (exit 2)
  // but
  // had already created its empty default target topic.
  @Test
  void shouldNotCreateTheTargetWhenTheRawTopicDoesNotExist() throws Exception {
    String target = "it-replay.articles.replay.no-raw-topic";

    CliRun run =
        cli(
            "replay",
            "--from",
            "30d",
            "--raw-topic",
            "it-replay.raw-items.mistyped",
            "--target-topic",
            target);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("topic 'it-replay.raw-items.mistyped' does not exist");
    assertThat(KAFKA.admin().listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(target);
  }

  // Found in a CLI review: a mistyped --raw-topic said only "topic 'x' does not exist", naming
  // neither
  // the option nor the cluster asked, nor a topic to read instead.
  @Test
  void shouldNameTheOptionTheClusterAndTheRawItemsTopicsOfAMissingTopicToRead(@TempDir Path dir)
      throws IOException {
    Path feeds =
        Files.writeString(
            dir.resolve("feeds.yaml"),
            "sources:\n  - {id: "
                + broken.id()
                + ", name: Broken, agency: itother, url: '"
                + broken.url()
                + "'}\n");
    CliRun given = cli("replay", "--from", "30d", "--raw-topic", "it-replay.nosuch", "--dry-run");
    CliRun byPrefix = cliWithPrefix("it-nothing.", "replay", "--from", "30d", "--dry-run");
    CliRun reparse =
        cliWithPrefix(
            "it-nothing.",
            "replay",
            "--reparse",
            "--from",
            "30d",
            "--dry-run",
            "--feeds",
            feeds.toString());

    String on = " does not exist on " + KAFKA.bootstrapServers() + " (";
    assertThat(given.exit()).isEqualTo(2);
    assertThat(given.err().lines())
        .singleElement()
        .asString()
        .startsWith(
            "wire-ingest: --raw-topic: topic 'it-replay.nosuch'" + on + "its raw-items topics: ")
        .contains(TOPICS.rawItems())
        .endsWith(")");
    assertThat(byPrefix.exit()).isEqualTo(2);
    assertThat(byPrefix.err().lines())
        .singleElement()
        .asString()
        .startsWith(
            "wire-ingest: raw-items topic 'it-nothing.raw-items.v1'"
                + on
                + "its raw-items topics: ")
        .contains(TOPICS.rawItems())
        .endsWith("; check --topic-prefix, or name one with --raw-topic)");
    assertThat(reparse.exit()).isEqualTo(2);
    assertThat(reparse.err().lines())
        .singleElement()
        .isEqualTo(
            "wire-ingest: fetch-log topic 'it-nothing.fetch-log.v1'"
                + on
                + "check --bootstrap-servers and --topic-prefix)");
    assertThat(List.of(given.out(), byPrefix.out(), reparse.out()))
        .as("no summary")
        .containsOnly("");
  }

  // Found in session 17's review: a replay of a --source without records in the range wrote nothing
  // but still created its (empty) target topic, which then refused the corrected run's name.
  @Test
  void shouldNotCreateTheTargetWhenTheReplayWritesNothing() throws Exception {
    String target = "it-replay.articles.replay.nothing";

    CliRun run =
        cli("replay", "--from", "30d", "--source", "trtworld-mian", "--target-topic", target);

    assertThat(run.exit())
        .as("nothing replayed: exit 1, see shouldExitOneWhenNoSourceAskedHasARecordInTheRange")
        .isEqualTo(1);
    assertThat(run.out())
        .contains("raw records replayed: 0 |")
        .contains(
            "| nothing to write to "
                + target
                + " (not created when missing) | no record of source(s) trtworld-mian");
    assertThat(KAFKA.admin().listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(target);
  }

  // Found in a CLI review: a replay whose every --source had no record in the range did nothing and
  // exited 0, where story of a uri without raw items exits 1. Now exit 1, the summary printed as
  // ever;
  // a run where some of the sources had records still exits 0 and names the others.
  @Test
  void shouldExitOneWhenNoSourceAskedHasARecordInTheRange(@TempDir Path dir) throws IOException {
    Path feeds =
        Files.writeString(
            dir.resolve("feeds.yaml"),
            "sources:\n  - {id: "
                + broken.id()
                + ", name: Broken, agency: itother, url: '"
                + broken.url()
                + "'}\n");
    CliRun none =
        cli(
            "replay",
            "--from",
            "30d",
            "--source",
            "trtworld-mian",
            "--source",
            "another-typo",
            "--dry-run");
    CliRun some =
        cli("replay", "--from", "30d", "--source", section.id() + ",trtworld-mian", "--dry-run");
    CliRun reparseNone =
        cli(
            "replay",
            "--reparse",
            "--from",
            "30d",
            "--source",
            "trtworld-mian",
            "--dry-run",
            "--feeds",
            feeds.toString());
    CliRun reparseSome =
        cli(
            "replay",
            "--reparse",
            "--from",
            "30d",
            "--source",
            broken.id() + ",trtworld-mian",
            "--dry-run",
            "--feeds",
            feeds.toString());

    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.out())
        .contains("raw records replayed: 0 |")
        .contains(
            " | no record of source(s) another-typo, trtworld-mian in the range (check --source)");
    assertThat(none.err().lines())
        .singleElement()
        .isEqualTo(
            "wire-ingest: replay: none of the sources asked (another-typo, trtworld-mian) has a record in the range of "
                + TOPICS.rawItems()
                + ": nothing to replay; check --source");
    assertThat(some.exit()).isEqualTo(0);
    assertThat(some.err()).isEmpty();
    assertThat(some.out())
        .contains("raw records replayed: 1 |")
        .contains(" | no record of source(s) trtworld-mian in the range (check --source)");
    assertThat(reparseNone.exit()).isEqualTo(1);
    assertThat(reparseNone.err().lines())
        .singleElement()
        .isEqualTo(
            "wire-ingest: replay --reparse: none of the sources asked (trtworld-mian) has a record in the range of "
                + TOPICS.fetchLog()
                + ": nothing to re-parse; check --source");
    assertThat(reparseSome.exit()).isEqualTo(0);
    assertThat(reparseSome.out())
        .contains("bodies re-parsed: 1 |")
        .contains(" | no record of source(s) trtworld-mian in the range (check --source)");
  }

  /** Runs the command line on this class's topics. */
  private static CliRun cli(String... args) {
    return cliWithPrefix("it-replay.", args);
  }

  /** Runs the command line with {@code --topic-prefix prefix} on this class's broker. */
  private static CliRun cliWithPrefix(String prefix, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--topic-prefix", prefix, "--bootstrap-servers", KAFKA.bootstrapServers()));
    return CliRun.execute(all);
  }

  // Found in a replay test: an interrupted replay run again into its topic wrote its first events
  // twice.
  @Test
  void shouldRefuseATargetThatHoldsRecordsUnlessAskedToAppend() throws Exception {
    String target = "it-replay.articles.replay.again";
    CliRun first = cli("replay", "--from", "30d", "--target-topic", target);
    long written = endOffsets(target);

    CliRun again = cli("replay", "--from", "30d", "--target-topic", target);
    CliRun dryRun = cli("replay", "--from", "30d", "--target-topic", target, "--dry-run");

    assertThat(first.exit()).isEqualTo(0);
    assertThat(written).isPositive();
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err())
        .contains("--target-topic " + target + " already holds records")
        .contains("would write its first article events twice;")
        .contains("pass --append");
    assertThat(endOffsets(target)).as("nothing written by the refused replay").isEqualTo(written);
    assertThat(dryRun.exit()).as("a dry run says what the real run would do").isEqualTo(2);

    CliRun appended = cli("replay", "--from", "30d", "--target-topic", target, "--append");

    assertThat(appended.exit()).isEqualTo(0);
    assertThat(endOffsets(target)).isGreaterThan(written);
  }

  // A --reparse refused for a target that holds records said its run
  // again would write "its first events twice"; it writes raw items, not events.
  @Test
  void shouldSayARefusedReparseWouldWriteItsFirstRawItemsTwice(@TempDir Path dir) throws Exception {
    String target = rawTopicWithBrokenFirst("it-replay.raw-items.reparse.again", 0);
    Path feeds = brokenFeeds(dir);

    CliRun again =
        cli(
            "replay",
            "--reparse",
            "--from",
            "30d",
            "--feeds",
            feeds.toString(),
            "--target-topic",
            target);

    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err().lines())
        .singleElement()
        .asString()
        .contains("--target-topic " + target + " already holds records")
        .contains("would write its first raw items twice;")
        .doesNotContain("events");
  }

  /** A feeds list of the broken source, for a --reparse that is refused before it reads. */
  private static Path brokenFeeds(Path dir) throws IOException {
    return Files.writeString(
        dir.resolve("feeds.yaml"),
        "sources:\n  - {id: "
            + broken.id()
            + ", name: Broken, agency: itother, url: '"
            + broken.url()
            + "'}\n");
  }

  // --append let a replay add article events to a topic of raw items (and a reparse raw items to a
  // topic of article events): one topic then held two kinds of record that its readers cannot
  // tell apart.
  @Test
  void shouldRefuseToAppendArticleEventsToATopicOfRawItems(@TempDir Path dir) throws Exception {
    String target = rawTopicWithBrokenFirst("it-replay.raw.append-target", 0);
    long held = endOffsets(target);
    String empty = "it-replay.articles.replay.append-empty";
    KAFKA.admin().createTopics(List.of(new NewTopic(empty, 1, (short) 1))).all().get();

    CliRun replay = cli("replay", "--from", "30d", "--target-topic", target, "--append");
    CliRun reparse = reparseAppendingDryRun(dir, target);
    CliRun intoEmpty =
        cli("replay", "--from", "30d", "--target-topic", empty, "--append", "--dry-run");

    assertThat(replay.exit()).isEqualTo(2);
    assertThat(replay.err().lines())
        .singleElement()
        .isEqualTo(
            "wire-ingest: --append: --target-topic "
                + target
                + " holds raw items, and replay writes article events: a topic's readers expect"
                + " one kind of record; name another --target-topic");
    assertThat(replay.out()).isEmpty();
    assertThat(endOffsets(target)).as("nothing written").isEqualTo(held);
    assertThat(reparse.exit()).as("raw items onto raw items").isEqualTo(0);
    assertThat(intoEmpty.exit()).as("an empty target holds no kind").isEqualTo(0);
  }

  /** {@code replay --reparse --append --dry-run} over the whole history into {@code target}. */
  private static CliRun reparseAppendingDryRun(Path dir, String target) throws IOException {
    return cli(
        "replay",
        "--reparse",
        "--from",
        "30d",
        "--feeds",
        brokenFeeds(dir).toString(),
        "--target-topic",
        target,
        "--append",
        "--dry-run");
  }

  @Test
  void shouldRefuseToAppendRawItemsToATopicOfArticleEventsBehindAbortedTransactions(
      @TempDir Path dir) throws Exception {
    String target = "it-replay.articles.append-target";
    KAFKA.admin().createTopics(List.of(new NewTopic(target, 1, (short) 1))).all().get();
    ConsumerRecord<String, String> raw = readAll(TOPICS.rawItems()).get(0);
    Map<String, Object> p = new HashMap<>(KAFKA.clientProperties());
    p.put("transactional.id", "it-replay-append-target");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (ConsumerRecord<String, String> event : live) {
        producer.send(new ProducerRecord<>(target, event.key(), event.value()));
      }
      producer.commitTransaction();
      // more aborted records and markers than the first look back reads (8 offsets)
      for (int i = 0; i < 10; i++) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(target, raw.key(), raw.value())).get();
        producer.abortTransaction();
      }
    }

    CliRun reparse = reparseAppendingDryRun(dir, target);
    CliRun replay =
        cli("replay", "--from", "30d", "--target-topic", target, "--append", "--dry-run");

    assertThat(endOffsets(target)).isGreaterThan(live.size() + 20L);
    assertThat(reparse.exit()).isEqualTo(2);
    assertThat(reparse.err().lines())
        .singleElement()
        .isEqualTo(
            "wire-ingest: --append: --target-topic "
                + target
                + " holds article events, and replay --reparse writes raw items: a topic's readers"
                + " expect one kind of record; name another --target-topic");
    assertThat(replay.exit())
        .as("article events onto article events; the aborted raw items are not the topic's")
        .isEqualTo(0);
  }

  // Found in a replay test: a mistyped --raw-topic turned each of its records into a dead letter,
  // exit 0.
  @Test
  void shouldStopWithoutDeadLettersWhenTheRawTopicHoldsNoRawItems() throws Exception {
    long deadLetters = endOffsets(TOPICS.deadLetters());

    CliRun result =
        cli(
            "replay",
            "--from",
            "30d",
            "--raw-topic",
            TOPICS.articles(),
            "--target-topic",
            "it-replay.articles.replay.wrong-raw");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .contains(TOPICS.articles() + " does not hold raw wire items")
        .contains("check --raw-topic");
    assertThat(endOffsets(TOPICS.deadLetters())).isEqualTo(deadLetters);
    assertThat(KAFKA.admin().listTopics().names().get(30, TimeUnit.SECONDS))
        .as("no target created")
        .doesNotContain("it-replay.articles.replay.wrong-raw");
  }

  // Found in a CLI review: the refusal came after one "dead letter from stage deserialize" WARN per
  // record read, though no dead letter was written (nor on a dry run); the refusal says it alone.
  @Test
  void shouldRefuseATopicOfOtherRecordsWithOneMessageAndNoDeadLetterWarnings() throws Exception {
    String manyBroken =
        rawTopicWithBrokenFirst(
            "it-replay.raw.twelve-broken-first", ArticleReplayJob.PROBE_RECORDS + 2);
    for (String rawTopic : List.of(TOPICS.articles(), TOPICS.fetchLog(), manyBroken)) {
      for (boolean dryRun : new boolean[] {false, true}) {
        String target = "it-replay.articles.replay.refused" + (dryRun ? "-dry" : "");
        CliRun[] result = new CliRun[1];
        List<String> warnings =
            ownWarnings(
                () ->
                    result[0] =
                        dryRun
                            ? cli(
                                "replay",
                                "--from",
                                "30d",
                                "--raw-topic",
                                rawTopic,
                                "--target-topic",
                                target,
                                "--dry-run")
                            : cli(
                                "replay",
                                "--from",
                                "30d",
                                "--raw-topic",
                                rawTopic,
                                "--target-topic",
                                target));

        String run = rawTopic + (dryRun ? ", dry run" : "");
        assertThat(result[0].exit()).as(run).isEqualTo(1);
        assertThat(result[0].err().lines())
            .as(run)
            .singleElement()
            .asString()
            .startsWith("wire-ingest: " + rawTopic + " does not hold raw wire items: none of the ")
            .contains("(nothing was written, no dead letters)");
        assertThat(warnings).as(run).isEmpty();
      }
    }
  }

  /**
   * Runs {@code action}; @return the lines wire-ingest's own loggers logged at WARN or above
   * meanwhile
   */
  private static List<String> ownWarnings(Runnable action) {
    ch.qos.logback.classic.Logger own =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.wireingest");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    own.addAppender(logs);
    try {
      action.run();
    } finally {
      own.detachAppender(logs);
    }
    return logs.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
        .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
        .toList();
  }

  // Found in a replay test: bodies of sources missing from the feeds list were skipped without
  // their names.
  @Test
  void shouldNameTheSourcesWhoseBodiesWereSkipped(@TempDir Path dir) throws IOException {
    Path onlyBroken =
        Files.writeString(
            dir.resolve("feeds.yaml"),
            "sources:\n  - {id: "
                + broken.id()
                + ", name: Broken, agency: itother, url: '"
                + broken.url()
                + "'}\n");

    CliRun result =
        cli("replay", "--reparse", "--from", "30d", "--dry-run", "--feeds", onlyBroken.toString());

    assertThat(result.exit()).isEqualTo(0);
    assertThat(result.err().lines().filter(l -> l.contains("skipped the stored bodies")))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .contains("not in the feeds list " + onlyBroken + ": ")
                    .contains(section.id())
                    .contains(world.id())
                    .doesNotContain(broken.id()));
  }

  /**
   * A one-partition raw-items topic: {@code broken} records that are no raw items, then a copy of
   * the live raw items.
   */
  private static String rawTopicWithBrokenFirst(String topic, int broken) throws Exception {
    return rawTopicWithBrokenFirst(topic, broken, List.of());
  }

  /** As {@link #rawTopicWithBrokenFirst(String, int)}, each broken record with {@code headers}. */
  private static String rawTopicWithBrokenFirst(String topic, int broken, Iterable<Header> headers)
      throws Exception {
    KAFKA.admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    List<HistoryRecord> raw = new ArrayList<>();
    try (TopicHistory h =
        TopicHistory.open(KAFKA.clientProperties(), TOPICS.rawItems(), null, null)) {
      h.forEach(k -> true, raw::add, ReplayProgress.SILENT);
    }
    long first = raw.stream().mapToLong(HistoryRecord::timestampMs).min().orElseThrow();
    try (var producer =
        new KafkaProducer<String, byte[]>(
            KAFKA.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < broken; i++) {
        producer
            .send(
                new ProducerRecord<>(
                    topic,
                    0,
                    first - 10_000 + i,
                    "itsrc/broken-" + i,
                    "{\"truncated\": ".getBytes(UTF_8),
                    headers))
            .get();
      }
      for (HistoryRecord r : raw) {
        producer.send(new ProducerRecord<>(topic, 0, r.timestampMs(), r.key(), r.value())).get();
      }
    }
    return topic;
  }

  private static ArticleReplayJob.Summary replayOf(String rawTopic, String target, boolean dryRun) {
    if (!dryRun) {
      TopicAdmin.ensureTopics(
          KAFKA.admin(), List.of(TOPICS.articlesReplaySpec(target, 3)), Duration.ofSeconds(30));
    }
    return ArticleReplayJob.run(
        KAFKA.clientProperties(),
        new ArticleReplayJob.Request(
            rawTopic, null, null, Set.of(), target, TOPICS.deadLetters(), dryRun),
        Clock.systemUTC(),
        total -> ReplayProgress.SILENT);
  }

  // Found in a review: the probe's stop sits after the dry run's early return, so a dry run reads
  // on past the
  // first 10 records and succeeds where the real run of the same range stops with exit 1.
  @Test
  void shouldGiveADryRunTheOutcomeOfTheRealRun() throws Exception {
    String topic =
        rawTopicWithBrokenFirst("it-replay.raw.ten-broken-first", ArticleReplayJob.PROBE_RECORDS);

    Throwable dry =
        Assertions.catchThrowable(
            () -> replayOf(topic, "it-replay.articles.replay.ten-broken-dry", true));
    Throwable real =
        Assertions.catchThrowable(
            () -> replayOf(topic, "it-replay.articles.replay.ten-broken", false));

    assertThat(dry == null)
        .as("dry run succeeded (%s) as the real run (%s)", dry, real)
        .isEqualTo(real == null);
  }

  // Held-back dead letters of broken first records: written once, in record order, before the rest.
  @Test
  void shouldWriteTheHeldBackDeadLettersOnceAndInOrder() throws Exception {
    String topic = rawTopicWithBrokenFirst("it-replay.raw.three-broken-first", 3);
    long before = endOffsets(TOPICS.deadLetters());
    ArticleReplayJob.Summary[] replayed = new ArticleReplayJob.Summary[1];

    List<String> warnings =
        ownWarnings(
            () -> replayed[0] = replayOf(topic, "it-replay.articles.replay.three-broken", false));

    ArticleReplayJob.Summary summary = replayed[0];
    assertThat(warnings)
        .as("each held-back dead letter is logged once it is written, in order")
        .filteredOn(w -> w.contains("dead letter from stage deserialize: " + topic + "-0@"))
        .extracting(w -> w.replaceAll(".*" + topic + "-0@(\\d+) .*", "$1"))
        .containsExactly("0", "1", "2");

    assertThat(endOffsets(TOPICS.deadLetters()) - before).isEqualTo(summary.deadLetters());
    List<Long> offsets =
        readAll(TOPICS.deadLetters()).stream()
            .map(
                r -> {
                  try {
                    return Json.MAPPER.readValue(r.value(), DeadLetter.class);
                  } catch (IOException e) {
                    throw new AssertionError(e);
                  }
                })
            .filter(d -> d.sourceTopic().equals(topic) && d.stage().equals("deserialize"))
            .map(d -> d.sourceOffset())
            .toList();
    assertThat(offsets).containsExactly(0L, 1L, 2L);
  }

  // Found in a review: the live normalizer's dead letters keep the raw record's headers
  // (RouteProcessor), but replay never read a raw record's headers, so its dead letters had none.
  @Test
  void shouldKeepTheRawRecordsHeadersOnADeadLetterAsLive() throws Exception {
    List<Header> headers =
        List.of(
            new RecordHeader(
                "traceparent", "00-4bf92f3577b34da6-00f067aa0ba902b7-01".getBytes(UTF_8)),
            new RecordHeader("origin", new byte[] {0, (byte) 0xff, 7}), // not UTF-8: kept as bytes
            new RecordHeader("origin", "again".getBytes(UTF_8))); // a name twice: both kept
    String topic = rawTopicWithBrokenFirst("it-replay.raw.broken-with-headers", 1, headers);

    String target = "it-replay.articles.replay.broken-with-headers";
    replayOf(topic, target, false);

    List<ConsumerRecord<String, String>> letters =
        readAll(TOPICS.deadLetters()).stream()
            .filter(r -> topic.equals(read(r.value(), DeadLetter.class).sourceTopic()))
            .toList();
    assertThat(letters)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.headers().toArray())
                    .extracting(h -> h.key() + "=" + HexFormat.of().formatHex(h.value()))
                    .containsExactlyElementsOf(
                        Stream.concat(
                                headers.stream(),
                                // and what tells it from the live normalizer's dead letter
                                Stream.of(
                                    new RecordHeader(
                                        DeadLetters.REPLAY_TARGET_HEADER, target.getBytes(UTF_8))))
                            .map(h -> h.key() + "=" + HexFormat.of().formatHex(h.value()))
                            .toList()));
  }

  // ---- story ----

  // Found in session 17: Ctrl-C during `story` ended the JVM mid-read. The job now stops between
  // records when asked (StoryCommand then prints nothing and says it stopped).
  @Test
  void shouldStopReadingAStoryWhenAsked() {
    String uri = uriOf("Ceasefire talks resume in Doha");

    Story stopped =
        StoryJob.run(
            KAFKA.clientProperties(),
            TOPICS.rawItems(),
            TOPICS.fetchLog(),
            TOPICS.storySignatures(),
            uri,
            null,
            null,
            Clock.systemUTC(),
            () -> true);
    Story whole =
        StoryJob.run(
            KAFKA.clientProperties(),
            TOPICS.rawItems(),
            TOPICS.fetchLog(),
            TOPICS.storySignatures(),
            uri,
            null,
            null,
            Clock.systemUTC(),
            () -> false);

    assertThat(stopped.versions()).isEmpty();
    assertThat(whole.versions()).hasSize(3);
  }

  // Found in a CLI review: story of a mistyped --raw-topic said only "topic 'x' does not exist",
  // naming neither the option nor the cluster asked, where replay's refusal names both and the
  // cluster's raw-items topics; a --topic-prefix without a fetch log said the same once the story
  // was found.
  @Test
  void shouldNameTheOptionTheClusterAndTheRawItemsTopicsOfAStorysMissingTopic() throws Exception {
    String uri = uriOf("Ceasefire talks resume in Doha");
    String rawItemsTopics =
        abbreviated(
            KAFKA.admin().listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(name -> name.contains(Topics.RAW_ITEMS) && !name.endsWith("-repartition"))
                .toList());

    CliRun given = cli("story", uri, "--raw-topic", "it-replay.nosuch");
    CliRun byPrefix = cliWithPrefix("it-nothing.", "story", uri);
    CliRun noFetchLog =
        cliWithPrefix("it-nothing.", "story", uri, "--raw-topic", TOPICS.rawItems());

    String on = " does not exist on " + KAFKA.bootstrapServers() + " (";
    assertThat(given.exit()).isEqualTo(2);
    assertThat(given.err().lines())
        .singleElement()
        .asString()
        // then, when the raw-items topic closest to the one given is not among the five listed,
        // "; did you mean ...?" (MissingTopicTest)
        .startsWith(
            "wire-ingest: --raw-topic: topic 'it-replay.nosuch'"
                + on
                + "its raw-items topics: "
                + rawItemsTopics)
        .endsWith(")");
    // The normalizer's internal raw-items-by-uri-repartition topic (on this broker) is no topic to
    // offer.
    assertThat(KAFKA.admin().listTopics().names().get(30, TimeUnit.SECONDS))
        .anyMatch(name -> name.endsWith("raw-items-by-uri-repartition"));
    assertThat(given.err()).doesNotContain("-repartition");
    assertThat(byPrefix.exit()).isEqualTo(2);
    assertThat(byPrefix.err().lines())
        .singleElement()
        .asString()
        .startsWith(
            "wire-ingest: raw-items topic 'it-nothing.raw-items.v1'"
                + on
                + "its raw-items topics: "
                + rawItemsTopics)
        .endsWith("; check --topic-prefix, or name one with --raw-topic)");
    assertThat(noFetchLog.exit()).isEqualTo(2);
    assertThat(noFetchLog.err().lines())
        .singleElement()
        .isEqualTo(
            "wire-ingest: fetch-log topic 'it-nothing.fetch-log.v1'"
                + on
                + "check --bootstrap-servers and --topic-prefix)");
  }

  /**
   * @return the names sorted, the first five of them and how many more, as the CLI's refusals list
   *     them
   */
  private static String abbreviated(List<String> names) {
    List<String> sorted = names.stream().sorted().toList();
    return sorted.size() <= 5
        ? String.join(", ", sorted)
        : String.join(", ", sorted.subList(0, 5)) + " and " + (sorted.size() - 5) + " more";
  }

  @Test
  void shouldShowEveryVersionOfAnEditedEntryWithItsLineage() {
    String uri = uriOf("Ceasefire talks resume in Doha");

    Story story =
        StoryJob.run(
            KAFKA.clientProperties(),
            TOPICS.rawItems(),
            TOPICS.fetchLog(),
            TOPICS.storySignatures(),
            uri,
            null,
            null,
            Clock.systemUTC());

    assertThat(story.versions())
        .extracting(v -> v.event().version() + " " + v.event().headline())
        .containsExactly(
            "1 Ceasefire talks resume in Doha",
            "2 Ceasefire talks resume in Doha as mediators push for exchange",
            "3 Ceasefire talks in Doha end with prisoner exchange deal");
    assertThat(story.versions())
        .allSatisfy(
            v -> {
              Story.RawItem made = v.rawItems().get(0);
              assertThat(made.key()).startsWith("it-world/");
              assertThat(made.topic()).isEqualTo(TOPICS.rawItems());
              assertThat(made.fetch()).isNotNull();
              assertThat(made.fetch().outcome()).isEqualTo("ok");
              assertThat(made.fetch().body().omitted()).isFalse();
            });
  }

  @Test
  void shouldMatchTheLiveVersionsInTheStory() {
    String uri = uriOf("Ceasefire talks resume in Doha");

    Story story =
        StoryJob.run(
            KAFKA.clientProperties(),
            TOPICS.rawItems(),
            TOPICS.fetchLog(),
            TOPICS.storySignatures(),
            uri,
            null,
            null,
            Clock.systemUTC());

    Set<String> liveOfUri = versions(live.stream().filter(r -> r.key().equals(uri)).toList());
    assertThat(
            story.versions().stream()
                .map(
                    v ->
                        v.event().uri()
                            + " v"
                            + v.event().version()
                            + " "
                            + v.event().fingerprint())
                .collect(Collectors.toSet()))
        .isEqualTo(liveOfUri);
  }

  @Test
  void shouldListTheSectionFeedsCopyAsADuplicateOfItsVersion() {
    String uri = uriOf("Markets rally after rate decision");

    Story story =
        StoryJob.run(
            KAFKA.clientProperties(),
            TOPICS.rawItems(),
            TOPICS.fetchLog(),
            TOPICS.storySignatures(),
            uri,
            null,
            null,
            Clock.systemUTC());

    assertThat(story.versions())
        .singleElement()
        .satisfies(
            v ->
                assertThat(v.rawItems())
                    .extracting(Story.RawItem::sourceId, Story.RawItem::decision)
                    .containsExactly(
                        tuple("it-world", "created"),
                        tuple("it-section", "duplicate:same-fingerprint")));
  }

  @Test
  void shouldShowTheLiveNearDuplicateClusterWithTheOtherAgenciesCopies() throws Exception {
    String uri = uriOf("Storm reaches the coast");
    Story alone =
        StoryJob.run(
            KAFKA.clientProperties(),
            TOPICS.rawItems(),
            TOPICS.fetchLog(),
            TOPICS.storySignatures(),
            uri,
            null,
            null,
            Clock.systemUTC());
    // the live normalizer started the story's cluster; another agency's copy joins it (written
    // here as the normalizer would), and a record that is not a signature is passed over
    StoryCluster live = alone.cluster();
    String copy = "urn:wire:otheragency:" + "c".repeat(32);
    StorySignature joined =
        new StorySignature(
            copy,
            live.id(),
            new byte[NearDuplicates.SIGNATURE_BYTES],
            Instant.parse("2026-11-30T06:25:00Z"),
            uri,
            0.771);
    try (var producer =
        new KafkaProducer<String, byte[]>(
            KAFKA.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  TOPICS.storySignatures(), copy, Json.MAPPER.writeValueAsBytes(joined)))
          .get();
      producer
          .send(new ProducerRecord<>(TOPICS.storySignatures(), "junk", "not json".getBytes(UTF_8)))
          .get();
    }

    Story story =
        StoryJob.run(
            KAFKA.clientProperties(),
            TOPICS.rawItems(),
            TOPICS.fetchLog(),
            TOPICS.storySignatures(),
            uri,
            null,
            null,
            Clock.systemUTC());

    assertThat(live.id()).isEqualTo(NearDuplicates.clusterIdOf(uri));
    assertThat(live.members()).extracting(StoryCluster.Member::uri).containsExactly(uri);
    assertThat(story.cluster().members())
        .extracting(
            StoryCluster.Member::uri,
            StoryCluster.Member::nearDuplicateOf,
            StoryCluster.Member::similarity)
        .containsExactly(tuple(uri, null, null), tuple(copy, uri, 0.771));
    assertThat(story.versions())
        .allSatisfy(v -> assertThat(v.event().cluster()).isEqualTo(live.own()));
    assertThat(StoryFormat.text(story))
        .contains(
            "near-duplicate cluster " + live.id() + ": 2 stories",
            "   "
                + copy
                + " first created 2026-11-30T06:25:00Z, near-duplicate of "
                + uri
                + " (similarity 0.771)");
  }

  @Test
  void shouldTellAStoryWithoutARecordedClusterFromOneAlone() {
    String uri = uriOf("Markets rally after rate decision");

    Story story =
        StoryJob.run(
            KAFKA.clientProperties(),
            TOPICS.rawItems(),
            TOPICS.fetchLog(),
            "it-replay.no-such-topic",
            uri,
            null,
            null,
            Clock.systemUTC());

    assertThat(story.cluster()).isNull();
    assertThat(story.versions()).isNotEmpty();
    assertThat(story.versions())
        .as("unknown, not the cluster of its own a replay of it alone would give")
        .allSatisfy(v -> assertThat(v.event().cluster()).isNull());
    assertThat(StoryFormat.text(story))
        .contains(
            "near-duplicate cluster: none recorded in the story-signatures topic (it keeps 7 days; a text under 12 words has no signature)");
  }

  // Found in a replay test: story of a story whose raw item the rules reject (its article event
  // over the size limit) logged "WARN ... dead letter from stage normalize: ... nothing published
  // for this raw item", as the normalizer does when it writes one, beside its own "rejected:" line,
  // though story writes nothing.
  @Test
  void shouldShowARejectedRawItemInAStoryWithoutLoggingADeadLetter() throws Exception {
    String rawTopic = "it-replay.raw-items.story-rejected";
    KAFKA
        .admin()
        .createTopics(List.of(new NewTopic(rawTopic, 1, (short) 1)))
        .all()
        .get(30, TimeUnit.SECONDS);
    String body = "<p>" + "The council met again to discuss the budget. ".repeat(12_000) + "</p>";
    RawWireItem item =
        Feeds.rawItem(
            world,
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Wire</title><link>https://wire.example/</link>
            <item><guid isPermaLink="false">council-1</guid><title>Council passes the budget</title><link>https://wire.example/a/council-1</link>
              <description>The council passed the budget.</description><content:encoded><![CDATA[%s]]></content:encoded>
              <pubDate>Mon, 30 Nov 2026 06:00:00 GMT</pubDate></item>
            </channel></rss>
            """
                .formatted(body),
            Instant.now());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            KAFKA.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(rawTopic, world.id() + "/" + item.itemKey(), Feeds.json(item)))
          .get(30, TimeUnit.SECONDS);
    }
    String uri = ArticleUri.of(world.agency(), item.identity());
    ch.qos.logback.classic.Logger steps =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(NormalizerSteps.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
        new ch.qos.logback.core.read.ListAppender<>();
    logged.start();
    steps.addAppender(logged);
    Story story;
    try {
      story =
          StoryJob.run(
              KAFKA.clientProperties(),
              rawTopic,
              TOPICS.fetchLog(),
              null,
              uri,
              null,
              null,
              Clock.systemUTC());
    } finally {
      steps.detachAppender(logged);
    }

    assertThat(story.versions()).isEmpty();
    assertThat(story.rejected())
        .singleElement()
        .satisfies(r -> assertThat(r.deadLetter().errorClass()).isEqualTo("RecordTooLarge"));
    assertThat(logged.list)
        .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m.startsWith("dead letter from stage"));
  }

  // ---- re-parse ----

  @Test
  void shouldTurnAStoredBodyWhoseFirstParseFailedIntoItems() throws IOException {
    String reparsed = "it-replay.raw-items.reparse.broken";
    FetchLogRecord failedFetch =
        readAll(TOPICS.fetchLog()).stream()
            .map(r -> read(r.value(), FetchLogRecord.class))
            .filter(f -> f.sourceId().equals(broken.id()))
            .findFirst()
            .orElseThrow();
    int[] created = {0};

    ReparseJob.Summary summary =
        ReparseJob.run(
            KAFKA.clientProperties(),
            new ReparseJob.Request(
                TOPICS.fetchLog(),
                null,
                null,
                Set.of(broken.id()),
                reparsed,
                TOPICS.deadLetters(),
                false),
            Map.of(broken.id(), broken),
            new FeedParser(),
            total -> ReplayProgress.SILENT,
            () -> {
              created[0]++;
              TopicAdmin.ensureTopics(
                  KAFKA.admin(),
                  List.of(TOPICS.rawItemsReparseSpec(reparsed, 3)),
                  Duration.ofSeconds(30));
            });

    assertThat(failedFetch.outcome()).isEqualTo("too-large");
    assertThat(summary.bodiesParsed()).isEqualTo(1);
    assertThat(created[0])
        .as("the target is created once, before the first of its two items")
        .isEqualTo(1);
    assertThat(summary.line()).endsWith("| raw items: 2 | target topic: " + reparsed);
    List<ConsumerRecord<String, String>> items = readAll(reparsed);
    assertThat(items)
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.key()).startsWith("it-broken/");
              SchemaAssert.assertValid("raw-item", Json.MAPPER.readTree(r.value()));
            });
  }

  // Found in a review: the reparse wrote re-parsed raw items without the poller's size check, so
  // one entry over 1 MiB as a raw item (which the poller had dead-lettered) failed the whole run.
  @Test
  void shouldDeadLetterAnEntryTooLargeForTheRawItemsTopicAsThePollerDoes() throws Exception {
    Topics own = new Topics("it-replay-large.");
    TopicAdmin.ensureTopics(KAFKA.admin(), own.all(1), Duration.ofSeconds(60));
    FeedSource large = source("it-large", AGENCY, "/large");
    String huge =
        item(
            "g1",
            "Budget passes " + "after a long night of votes ".repeat(40_000),
            "Mon, 30 Nov 2026 06:00:00 GMT",
            null);
    try (KafkaPollSink sink = new KafkaPollSink(KAFKA.clientProperties(), own, WAIT);
        FeedFetcher fetcher =
            new FeedFetcher(FetchSettings.defaults().withAllowPrivateAddresses(true))) {
      served.put("/large", rss(huge, STORM));
      var polled =
          new FeedPoller(fetcher, new FeedParser(), sink, Clock.systemUTC()).poll(large, null);
      assertThat(polled.warnings()).containsEntry(FeedPoller.ENTRY_TOO_LARGE, 1);
    }
    String reparsed = "it-replay-large.raw-items.reparse";

    ReparseJob.Summary summary =
        ReparseJob.run(
            KAFKA.clientProperties(),
            new ReparseJob.Request(
                own.fetchLog(), null, null, Set.of(), reparsed, own.deadLetters(), false),
            Map.of(large.id(), large),
            new FeedParser(),
            total -> ReplayProgress.SILENT,
            () ->
                TopicAdmin.ensureTopics(
                    KAFKA.admin(),
                    List.of(own.rawItemsReparseSpec(reparsed, 1)),
                    Duration.ofSeconds(30)));

    assertThat(summary.line())
        .contains("| entries too large: 1 | raw items: 1 | target topic: " + reparsed);
    assertThat(readAll(reparsed))
        .extracting(r -> read(r.value(), RawWireItem.class).entry().title())
        .containsExactly("Storm reaches the coast");
    List<DeadLetter> letters =
        readAll(own.deadLetters()).stream().map(r -> read(r.value(), DeadLetter.class)).toList();
    assertThat(letters)
        .as("the poller's dead letter, then the reparse's: alike but for the topic named")
        .hasSize(2)
        .allSatisfy(
            d -> {
              assertThat(d.stage()).isEqualTo("poll");
              assertThat(d.errorClass()).isEqualTo(DeadLetter.RECORD_TOO_LARGE);
              assertThat(d.key()).isEqualTo(letters.get(0).key()).startsWith(large.id() + "/");
            })
        .extracting(d -> d.errorMessage().replace(reparsed, own.rawItems()))
        .containsOnly(letters.get(0).errorMessage());
  }

  // The feeds list names a source at another URL than the one its stored bodies were fetched
  // from (the feed moved, or the list was edited): its items are re-parsed with the listed
  // source's agency, language and identity, which may not be the old feed's. Said once per
  // source, not once per stored body, and counted.
  @Test
  void shouldWarnOncePerSourceWhoseBodiesCameFromAnotherUrlAndCountIt() {
    FeedSource moved = source(world.id(), AGENCY, "/world-moved");
    ReparseJob.Summary[] summary = new ReparseJob.Summary[1];

    List<String> warnings =
        ownWarnings(
            () ->
                summary[0] =
                    ReparseJob.run(
                        KAFKA.clientProperties(),
                        new ReparseJob.Request(
                            TOPICS.fetchLog(),
                            null,
                            null,
                            Set.of(world.id(), section.id()),
                            "it-replay.raw-items.reparse.moved",
                            TOPICS.deadLetters(),
                            true),
                        Map.of(moved.id(), moved, section.id(), section),
                        new FeedParser(),
                        total -> ReplayProgress.SILENT,
                        () -> {}));

    assertThat(summary[0].bodiesParsed())
        .as("three stored bodies of the moved source, one of the other")
        .isEqualTo(4);
    assertThat(summary[0].sourcesAtOtherUrl()).containsExactly(world.id());
    assertThat(summary[0].line()).contains("| sources at another URL: 1 |");
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains(
            "source "
                + world.id()
                + ": its stored bodies were fetched from "
                + world.url()
                + ", but the feeds list gives "
                + moved.url()
                + " (the feed moved, its entry changed, or this is not the feeds list the poller"
                + " used: give replay --feeds that list)");
  }

  @Test
  void shouldNormaliseReparsedItemsWithANormalReplayOfTheirTopic() {
    String reparsed = "it-replay.raw-items.reparse.then-replay";
    String target = "it-replay.articles.replay.reparsed";
    TopicAdmin.ensureTopics(
        KAFKA.admin(),
        List.of(TOPICS.rawItemsReparseSpec(reparsed, 1), TOPICS.articlesReplaySpec(target, 1)),
        Duration.ofSeconds(30));
    ReparseJob.run(
        KAFKA.clientProperties(),
        new ReparseJob.Request(
            TOPICS.fetchLog(),
            null,
            null,
            Set.of(broken.id()),
            reparsed,
            TOPICS.deadLetters(),
            false),
        Map.of(broken.id(), broken),
        new FeedParser(),
        total -> ReplayProgress.SILENT,
        () -> {});

    ArticleReplayJob.Summary summary =
        ArticleReplayJob.run(
            KAFKA.clientProperties(),
            new ArticleReplayJob.Request(
                reparsed, null, null, Set.of(), target, TOPICS.deadLetters(), false),
            Clock.systemUTC(),
            total -> ReplayProgress.SILENT);

    assertThat(summary.created()).isEqualTo(2);
    assertThat(readAll(target))
        .extracting(r -> event(r).headline())
        .containsExactlyInAnyOrder("Port reopens after strike", "Bridge closed for repairs");
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return Json.MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
