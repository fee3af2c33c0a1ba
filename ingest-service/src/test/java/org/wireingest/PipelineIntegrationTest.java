package org.wireingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.dedup.ArticleUri;
import org.wireingest.dedup.Digests;
import org.wireingest.dedup.IdentityResolver;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.Topics;
import org.wireingest.kafka.UriPartitioner;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.FeedState;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.Normalizer;
import org.wireingest.parse.FeedParser;
import org.wireingest.poll.FeedPoller;
import org.wireingest.poll.FeedStateReader;
import org.wireingest.poll.KafkaPollSink;
import org.wireingest.poll.PollResult;
import org.wireingest.streams.NormalizerApp;
import org.wireingest.streams.NormalizerStats;
import org.wireingest.streams.NormalizerTopology;
import org.wireingest.testing.Await;
import org.wireingest.testing.KafkaBrokerExtension;
import org.wireingest.testing.SchemaAssert;

/**
 * The whole pipeline on a real broker and a real HTTP server: feed server ─▶ {@link FeedPoller}
 * (real fetcher, parser, {@link KafkaPollSink}) ─▶ raw items ─▶ {@link NormalizerApp} ─▶ articles
 * and dead letters. One broker serves the class; each test has its own topic prefix, Streams
 * application id and state dir, so tests never see each other's records.
 *
 * <p>Waiting is done by polling conditions, never by sleeping a fixed time. "Nothing more came" is
 * asserted after the normalizer has caught up: its consumer group has committed, to the
 * read-committed end, both the raw items and its repartition topic (which carries only items found
 * off their uri's partition) — under exactly-once the outputs of those records are committed in the
 * same transactions, so every article and dead letter they cause is then readable.
 *
 * <p>Every article read is validated against {@code article.schema.json} and its CloudEvents
 * headers; every raw item against {@code raw-item.schema.json}; every dead letter against {@code
 * dead-letter.schema.json}.
 */
@Tag("integration")
class PipelineIntegrationTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int PARTITIONS = 3;
  private static final AtomicInteger TEST_NUMBER = new AtomicInteger();

  /** RFC 822 / RFC 9110 IMF-fixdate form, for RSS {@code pubDate} and {@code Last-Modified}. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private static final Instant T0 = Instant.parse("2025-11-03T08:00:00Z");

  private static final Story HARBOUR =
      new Story(
          "alpha-1001",
          "https://alpha.example/world/harbour-lane-reopens",
          "Harbour authority reopens northern shipping lane after storm",
          "<p>Pilots guided the first container ship through the lane at dawn.</p>",
          T0);
  private static final Story NIGHT_BUS =
      new Story(
          "alpha-1002",
          "https://alpha.example/world/night-bus-pilot",
          "City council approves night-bus pilot for three districts",
          "<p>The six-month trial starts in January and runs until 4 a.m.</p>",
          T0.plusSeconds(600));
  private static final Story GLACIER =
      new Story(
          "alpha-1003",
          "https://alpha.example/world/glacier-survey",
          "Glacier survey finds faster spring melt in eastern valleys",
          "<p>Researchers measured the ice from April to June.</p>",
          T0.plusSeconds(1200));

  @TempDir Path stateDir;

  private Topics topics;
  private String applicationId;
  private FeedServer server;
  private FeedFetcher fetcher;

  /** Closed after each test, last opened first. */
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    int n = TEST_NUMBER.incrementAndGet();
    topics = new Topics("it" + n + ".");
    applicationId = "it" + n + "-normalizer";
    TopicAdmin.ensureTopics(KAFKA.admin(), topics.all(PARTITIONS), TIMEOUT);
    server = new FeedServer();
    // the feed server listens on 127.0.0.1, which the SSRF guard refuses by default
    fetcher = new FeedFetcher(FetchSettings.defaults().withAllowPrivateAddresses(true));
  }

  @AfterEach
  void tearDown() throws Exception {
    Collections.reverse(opened);
    for (AutoCloseable c : opened) {
      c.close();
    }
    fetcher.close();
    server.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Poller

  @Test
  void shouldSendTheETagAndPublishNothingWhenTheServerAnswersNotModified() {
    FeedSource world = source("alpha-world", "alpha", "/alpha/world.xml");
    server.serve("/alpha/world.xml", rss(HARBOUR, NIGHT_BUS), "\"w1\"", HTTP_DATE.format(T0));
    FeedPoller poller = newPoller(newSink());
    PollResult first = poller.poll(world, null);
    long rawAfterFirst = rawItemCount();

    PollResult second = poller.poll(world, first.state());

    assertThat(first.published()).isEqualTo(2);
    assertThat(server.exchanges()).hasSize(2);
    assertThat(server.exchanges().get(1).ifNoneMatch()).isEqualTo("\"w1\"");
    assertThat(server.exchanges().get(1).ifModifiedSince()).isEqualTo(HTTP_DATE.format(T0));
    assertThat(server.exchanges().get(1).status()).isEqualTo(304);
    assertThat(second.outcome()).isEqualTo(PollResult.Outcome.NOT_MODIFIED);
    assertThat(second.published()).isZero();
    assertThat(rawItemCount()).isEqualTo(rawAfterFirst);
  }

  @Test
  void shouldNotRepublishUnchangedEntriesWhenTheFeedOnlyChangedItsChannel() {
    // Feeds rewrite lastBuildDate on every request: the body hash changes, the entries do not.
    FeedSource world = source("alpha-world", "alpha", "/alpha/world.xml");
    server.serve("/alpha/world.xml", rss(T0, List.of(HARBOUR, NIGHT_BUS)), "\"w1\"", null);
    FeedPoller poller = newPoller(newSink());
    PollResult first = poller.poll(world, null);
    long rawAfterFirst = rawItemCount();
    server.serve(
        "/alpha/world.xml", rss(T0.plusSeconds(60), List.of(HARBOUR, NIGHT_BUS)), "\"w2\"", null);

    PollResult second = poller.poll(world, first.state());

    assertThat(second.outcome()).isEqualTo(PollResult.Outcome.OK);
    assertThat(second.entriesSeen()).isEqualTo(2);
    assertThat(second.published()).isZero();
    assertThat(rawItemCount()).isEqualTo(rawAfterFirst);
  }

  // ---------------------------------------------------------------------------------------------
  // Poller + normalizer

  @Test
  void shouldPublishOnlyTheAddedEntryAndCreateOneArticleForIt() throws Exception {
    RunningNormalizer normalizer = startNormalizer();
    FeedSource world = source("alpha-world", "alpha", "/alpha/world.xml");
    FeedPoller poller = newPoller(newSink());
    server.serve("/alpha/world.xml", rss(HARBOUR, NIGHT_BUS), "\"w1\"", null);
    PollResult first = poller.poll(world, null);
    awaitRecords(topics.articles(), 2);
    server.serve("/alpha/world.xml", rss(GLACIER, HARBOUR, NIGHT_BUS), "\"w2\"", null);

    PollResult second = poller.poll(world, first.state());

    assertThat(second.published()).isEqualTo(1);
    assertThat(rawItems())
        .extracting(item -> item.entry().guid())
        .containsExactlyInAnyOrder(HARBOUR.guid(), NIGHT_BUS.guid(), GLACIER.guid());
    normalizer.awaitCaughtUp();
    List<ArticleEvent> articles = articles();
    assertThat(articles)
        .hasSize(3)
        .allSatisfy(a -> assertThat(a.changeType()).isEqualTo("created"));
    assertThat(articles)
        .filteredOn(a -> a.url().equals(GLACIER.link()))
        .singleElement()
        .satisfies(a -> assertThat(a.headline()).isEqualTo(GLACIER.title()));
  }

  @Test
  void shouldPublishOneUpdatedVersionWhenAnEntryIsEdited() throws Exception {
    RunningNormalizer normalizer = startNormalizer();
    FeedSource world = source("alpha-world", "alpha", "/alpha/world.xml");
    FeedPoller poller = newPoller(newSink());
    server.serve("/alpha/world.xml", rss(HARBOUR, NIGHT_BUS), "\"w1\"", null);
    PollResult first = poller.poll(world, null);
    ArticleEvent created =
        awaitRecords(topics.articles(), 2).stream()
            .map(PipelineIntegrationTest::validArticle)
            .filter(a -> a.url().equals(HARBOUR.link()))
            .findFirst()
            .orElseThrow();
    // The agency adds a paragraph and moves pubDate forward, as wires do on an update.
    Story edited =
        HARBOUR
            .withDescription(HARBOUR.description() + "<p>A second ship followed at noon.</p>")
            .withPubDate(T0.plusSeconds(7200));
    server.serve("/alpha/world.xml", rss(edited, NIGHT_BUS), "\"w2\"", null);

    PollResult second = poller.poll(world, first.state());

    assertThat(second.published()).isEqualTo(1);
    normalizer.awaitCaughtUp();
    List<ArticleEvent> harbour =
        articles().stream().filter(a -> a.uri().equals(created.uri())).toList();
    assertThat(harbour).hasSize(2);
    ArticleEvent updated = harbour.get(1);
    assertThat(updated.changeType()).isEqualTo("updated");
    assertThat(updated.version()).isEqualTo(2);
    assertThat(updated.fingerprint()).isNotEqualTo(created.fingerprint());
    assertThat(updated.firstCreated()).isEqualTo(created.firstCreated()).isEqualTo(T0);
    assertThat(updated.versionCreated()).isEqualTo(T0.plusSeconds(7200));
    assertThat(articles()).filteredOn(a -> !a.uri().equals(created.uri())).hasSize(1);
  }

  @Test
  void shouldTellApartEntriesSharingAGuidByTheirLinksAndMergeThoseSharingGuidAndLink()
      throws Exception {
    RunningNormalizer normalizer = startNormalizer();
    FeedSource world = source("alpha-world", "alpha", "/alpha/world.xml");
    // A CMS that reuses one GUID for two different stories...
    Story markets =
        new Story(
            "alpha-2001",
            "https://alpha.example/markets/opening-bell",
            "Markets open higher on export data",
            "<p>Shares rose.</p>",
            T0);
    Story cupFinal =
        new Story(
            "alpha-2001",
            "https://alpha.example/sport/cup-final",
            "Cup final moves to the coastal stadium",
            "<p>Tickets stay valid.</p>",
            T0);
    // ...and one story listed twice, an older and a newer version.
    Story ferryOld =
        new Story(
            "alpha-2002",
            "https://alpha.example/world/ferry-timetable",
            "Ferry timetable changes for winter",
            "<p>Two sailings a day.</p>",
            T0);
    Story ferryNew =
        ferryOld.withDescription("<p>Three sailings a day.</p>").withPubDate(T0.plusSeconds(3600));
    server.serve("/alpha/world.xml", rss(markets, cupFinal, ferryOld, ferryNew), "\"w1\"", null);

    PollResult result = newPoller(newSink()).poll(world, null);

    assertThat(result.published()).isEqualTo(3);
    awaitRecords(topics.articles(), 3);
    normalizer.awaitCaughtUp();
    List<ArticleEvent> articles = articles();
    assertThat(articles).hasSize(3);
    assertThat(articles).extracting(ArticleEvent::uri).doesNotHaveDuplicates();
    assertThat(articles)
        .extracting(ArticleEvent::url)
        .containsExactlyInAnyOrder(markets.link(), cupFinal.link(), ferryOld.link());
    assertThat(articles)
        .filteredOn(a -> a.url().equals(ferryOld.link()))
        .singleElement()
        .satisfies(a -> assertThat(a.bodyText()).isEqualTo("Three sailings a day."));
  }

  @Test
  void shouldPublishOneArticlePerAgencyForTheSameStoryInSeveralFeeds() throws Exception {
    RunningNormalizer normalizer = startNormalizer();
    FeedSource alphaWorld = source("alpha-world", "alpha", "/alpha/world.xml");
    FeedSource alphaEurope = source("alpha-europe", "alpha", "/alpha/europe.xml");
    FeedSource betaWorld = source("beta-world", "beta", "/beta/world.xml");
    server.serve("/alpha/world.xml", rss(HARBOUR, NIGHT_BUS), "\"aw1\"", null);
    server.serve("/alpha/europe.xml", rss(HARBOUR), "\"ae1\"", null);
    server.serve("/beta/world.xml", rss(HARBOUR), "\"bw1\"", null);
    FeedPoller poller = newPoller(newSink());

    List<PollResult> results =
        List.of(
            poller.poll(alphaWorld, null),
            poller.poll(alphaEurope, null),
            poller.poll(betaWorld, null));

    assertThat(results).extracting(PollResult::published).containsExactly(2, 1, 1);
    awaitRecords(topics.articles(), 3);
    normalizer.awaitCaughtUp();
    List<ArticleEvent> harbour =
        articles().stream().filter(a -> a.headline().equals(HARBOUR.title())).toList();
    assertThat(harbour)
        .extracting(ArticleEvent::uri)
        .hasSize(2)
        .doesNotHaveDuplicates()
        .anySatisfy(uri -> assertThat(uri).startsWith("urn:wire:alpha:"))
        .anySatisfy(uri -> assertThat(uri).startsWith("urn:wire:beta:"));
    assertThat(normalizer.stats().duplicates()).isEqualTo(1);
  }

  @Test
  void shouldPutAnotherAgencysCopyInTheClusterOfTheFirstThroughTheIndexTopicAfterARestart()
      throws Exception {
    FeedSource alpha = source("alpha-world", "alpha", "/alpha/world.xml");
    FeedSource beta = source("beta-world", "beta", "/beta/world.xml");
    server.serve("/alpha/world.xml", rss(HARBOUR), "\"a1\"", null);
    server.serve("/beta/world.xml", rss(HARBOUR), "\"b1\"", null);
    FeedPoller poller = newPoller(newSink());
    RunningNormalizer first = startNormalizer();
    poller.poll(alpha, null);
    awaitRecords(topics.articles(), 1);
    first.awaitCaughtUp();
    first.close();

    // A normalizer with an empty state dir rebuilds the near-duplicate index from the
    // story-signatures topic (through its global processor) before it decides anything.
    startNormalizer(Files.createDirectories(stateDir.resolve("second")));
    poller.poll(beta, null);

    List<ArticleEvent> events =
        awaitRecords(topics.articles(), 2).stream()
            .map(PipelineIntegrationTest::validArticle)
            .toList();
    ArticleEvent fromAlpha =
        events.stream()
            .filter(e -> e.uri().startsWith("urn:wire:alpha:"))
            .findFirst()
            .orElseThrow();
    ArticleEvent fromBeta =
        events.stream().filter(e -> e.uri().startsWith("urn:wire:beta:")).findFirst().orElseThrow();
    assertThat(fromAlpha.cluster().nearDuplicateOf()).isNull();
    assertThat(fromBeta.cluster())
        .isEqualTo(new ArticleEvent.Cluster(fromAlpha.cluster().id(), fromAlpha.uri(), 1.0));
    List<ConsumerRecord<String, byte[]>> signatures = awaitRecords(topics.storySignatures(), 2);
    assertThat(signatures)
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder(fromAlpha.uri(), fromBeta.uri());
    signatures.forEach(r -> SchemaAssert.assertValid("story-signature", readTree(r.value())));
  }

  @Test
  void shouldNotRepublishAfterAPollerRestartWhenTheServerIgnoresConditionalRequests()
      throws Exception {
    RunningNormalizer normalizer = startNormalizer();
    FeedSource world = source("alpha-world", "alpha", "/alpha/world.xml");
    server.serve("/alpha/world.xml", rss(HARBOUR, NIGHT_BUS), "\"w1\"", HTTP_DATE.format(T0));
    try (KafkaPollSink firstSink = new KafkaPollSink(KAFKA.clientProperties(), topics, TIMEOUT)) {
      assertThat(newPoller(firstSink).poll(world, null).published()).isEqualTo(2);
    }
    awaitRecords(topics.articles(), 2);
    long rawBefore = rawItemCount();
    server.ignoreConditionalRequests();

    Map<String, FeedState> restored =
        FeedStateReader.readAll(KAFKA.clientProperties(), topics.feedState(), TIMEOUT);
    PollResult afterRestart = newPoller(newSink()).poll(world, restored.get(world.id()));

    FeedServer.Exchange last = server.exchanges().get(server.exchanges().size() - 1);
    assertThat(last.ifNoneMatch()).isEqualTo("\"w1\"");
    assertThat(last.status()).isEqualTo(200);
    assertThat(afterRestart.succeeded()).isTrue();
    assertThat(afterRestart.published()).isZero();
    assertThat(rawItemCount()).isEqualTo(rawBefore);
    normalizer.awaitCaughtUp();
    assertThat(articles()).hasSize(2);
  }

  @Test
  void shouldNotEmitAgainWhenARestartedNormalizerSeesTheSameRawItems() throws Exception {
    FeedSource world = source("alpha-world", "alpha", "/alpha/world.xml");
    server.serve("/alpha/world.xml", rss(HARBOUR, NIGHT_BUS), "\"w1\"", null);
    try (RunningNormalizer first = startNormalizer()) {
      assertThat(newPoller(newSink()).poll(world, null).published()).isEqualTo(2);
      awaitRecords(topics.articles(), 2);
      first.awaitCaughtUp();
    }
    RunningNormalizer second = startNormalizer();

    // The same raw item bytes again, as a second poller without feed state would send them.
    List<ConsumerRecord<String, byte[]>> raw = awaitRecords(topics.rawItems(), 2);
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (ConsumerRecord<String, byte[]> r : raw) {
        producer.send(new ProducerRecord<>(topics.rawItems(), r.key(), r.value())).get();
      }
    }

    second.awaitCaughtUp();
    assertThat(second.stats().duplicates()).isEqualTo(2);
    assertThat(articles()).hasSize(2);
  }

  @Test
  void shouldDecideCopiesOfAStoryOnEveryRawPartitionInTheOneTaskOwningItsUri() throws Exception {
    RunningNormalizer normalizer = startNormalizer();
    FeedSource world = source("alpha-world", "alpha", "/alpha/world.xml");
    server.serve("/alpha/world.xml", rss(HARBOUR), "\"w1\"", null);
    assertThat(newPoller(newSink()).poll(world, null).published()).isEqualTo(1);
    ConsumerRecord<String, byte[]> polled = awaitRecords(topics.rawItems(), 1).get(0);
    RawWireItem item = Json.MAPPER.readValue(polled.value(), RawWireItem.class);
    assertThat(polled.partition())
        .as("the poller's placement")
        .isEqualTo(UriPartitioner.partition(Normalizer.uriOf(item), PARTITIONS));

    // The same story under other keys on every partition, as pollers that place items by key
    // (before 2026-11-30) or a hand-written record would put it: all but the copy on the uri's
    // partition take the repartition hop, and all meet the one version store of the uri. And 40
    // more stories (same content, other GUIDs: other uris, spread over the partitions and the
    // normalizer's stream threads), each written to every partition.
    int stories = 40;
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int p = 0; p < PARTITIONS; p++) {
        producer
            .send(new ProducerRecord<>(topics.rawItems(), p, "alpha-world/c0" + p, polled.value()))
            .get();
      }
      for (int i = 0; i < stories; i++) {
        RawWireItem story =
            new RawWireItem(
                item.schemaVersion(),
                item.source(),
                Integer.toHexString(0x1000 + i * 16),
                new RawWireItem.Identity(IdentityResolver.GUID, "alpha-story-" + i),
                item.fetch(),
                item.feed(),
                item.entry(),
                item.entryHash(),
                item.firstSeenAt());
        byte[] value = Json.MAPPER.writeValueAsBytes(story);
        for (int p = 0; p < PARTITIONS; p++) {
          producer.send(
              new ProducerRecord<>(
                  topics.rawItems(),
                  p,
                  "alpha-world/" + Integer.toHexString(0x1000 + i * 16 + p),
                  value));
        }
      }
      producer.flush();
    }

    awaitRecords(topics.articles(), 1 + stories);
    normalizer.awaitCaughtUp();
    List<ArticleEvent> articles = articles();
    assertThat(articles)
        .hasSize(1 + stories)
        .extracting(ArticleEvent::uri)
        .doesNotHaveDuplicates()
        .contains(Normalizer.uriOf(item));
    assertThat(articles).extracting(ArticleEvent::version).containsOnly(1);
    assertThat(normalizer.stats().duplicates())
        .isEqualTo(PARTITIONS + (long) stories * (PARTITIONS - 1));
  }

  @Test
  void shouldDeadLetterMalformedRawRecordsAndStillNormalizeTheItemBehindThem() throws Exception {
    RunningNormalizer normalizer = startNormalizer();
    FeedSource world = source("alpha-world", "alpha", "/alpha/world.xml");
    // Under the key the poller will give HARBOUR and on the partition it will write HARBOUR to
    // (its uri's), so all three records share one partition and the valid item queues behind the
    // broken ones.
    RawWireItem.Identity identity = new RawWireItem.Identity(IdentityResolver.GUID, HARBOUR.guid());
    String key = world.id() + "/" + Digests.identityHash(identity);
    int harbourPartition = UriPartitioner.partition(ArticleUri.of("alpha", identity), PARTITIONS);
    byte[] notJson = "<item>not a raw item</item>".getBytes(UTF_8);
    byte[] noEntry =
        ("{\"schemaVersion\":1,\"source\":{\"id\":\"alpha-world\",\"agency\":\"alpha\"},"
                + "\"itemKey\":\"x\",\"identity\":{\"basis\":\"guid\",\"value\":\"alpha-1001\"}}")
            .getBytes(UTF_8);
    Map<Long, byte[]> sentByOffset = new HashMap<>();
    int partition;
    try (KafkaProducer<String, byte[]> producer = producer()) {
      RecordMetadata a =
          producer
              .send(new ProducerRecord<>(topics.rawItems(), harbourPartition, key, notJson))
              .get();
      RecordMetadata b =
          producer
              .send(new ProducerRecord<>(topics.rawItems(), harbourPartition, key, noEntry))
              .get();
      sentByOffset.put(a.offset(), notJson);
      sentByOffset.put(b.offset(), noEntry);
      partition = a.partition();
    }
    server.serve("/alpha/world.xml", rss(HARBOUR), "\"w1\"", null);

    assertThat(newPoller(newSink()).poll(world, null).published()).isEqualTo(1);

    awaitRecords(topics.deadLetters(), 2);
    awaitRecords(topics.articles(), 1);
    normalizer.awaitCaughtUp();
    assertThat(awaitRecords(topics.rawItems(), 3))
        .allSatisfy(
            r -> {
              assertThat(r.key()).isEqualTo(key);
              assertThat(r.partition())
                  .as("the poller writes an item to its uri's partition")
                  .isEqualTo(harbourPartition);
            });
    List<ConsumerRecord<String, byte[]>> deadLetters = readAll(topics.deadLetters());
    assertThat(deadLetters)
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.key()).isEqualTo(key);
              DeadLetter d = validDeadLetter(r);
              assertThat(d.stage()).isEqualTo("deserialize");
              assertThat(d.sourceTopic()).isEqualTo(topics.rawItems());
              assertThat(d.sourcePartition()).isEqualTo(partition);
              assertThat(sentByOffset).containsKey(d.sourceOffset());
              assertThat(Base64.getDecoder().decode(d.valueBase64()))
                  .isEqualTo(sentByOffset.get(d.sourceOffset()));
              assertThat(d.errorMessage()).isNotBlank();
            });
    assertThat(deadLetters)
        .extracting(r -> validDeadLetter(r).sourceOffset())
        .doesNotHaveDuplicates();
    assertThat(articles())
        .singleElement()
        .satisfies(a -> assertThat(a.url()).isEqualTo(HARBOUR.link()));
  }

  // ---------------------------------------------------------------------------------------------
  // Pipeline pieces

  private FeedSource source(String id, String agency, String path) {
    return TestFeeds.feed(id).name(id + " feed").agency(agency).url(server.uri(path)).build();
  }

  private KafkaPollSink newSink() {
    KafkaPollSink sink = new KafkaPollSink(KAFKA.clientProperties(), topics, TIMEOUT);
    opened.add(sink);
    return sink;
  }

  private FeedPoller newPoller(KafkaPollSink sink) {
    return new FeedPoller(fetcher, new FeedParser(), sink, Clock.systemUTC());
  }

  /** Starts a normalizer on this test's application id and state dir and waits until it runs. */
  private RunningNormalizer startNormalizer() throws InterruptedException {
    return startNormalizer(stateDir);
  }

  /**
   * Starts a normalizer on this test's application id, with its state in {@code dir}, and waits
   * until it runs.
   */
  private RunningNormalizer startNormalizer(Path dir) throws InterruptedException {
    NormalizerStats stats = new NormalizerStats(new SimpleMeterRegistry());
    NormalizerApp app =
        new NormalizerApp(KAFKA.clientProperties(), applicationId, dir, topics, stats, PARTITIONS);
    RunningNormalizer normalizer = new RunningNormalizer(app, stats, applicationId, topics);
    opened.add(normalizer);
    app.start();
    assertThat(app.awaitRunning(TIMEOUT))
        .as("normalizer %s running within %s", applicationId, TIMEOUT)
        .isTrue();
    return normalizer;
  }

  /** A running normalizer and its counts. Closing it twice is harmless. */
  private record RunningNormalizer(
      NormalizerApp app, NormalizerStats stats, String applicationId, Topics topics)
      implements AutoCloseable {

    /**
     * Waits until the consumer group has committed the raw items, then the raw items of its
     * repartition topic, up to their read-committed ends (see the class comment).
     */
    void awaitCaughtUp() {
      String repartition = applicationId + "-" + NormalizerTopology.REPARTITION + "-repartition";
      awaitTrue(
          "normalizer " + applicationId + " to commit every raw item and draft",
          () ->
              committedToEnd(applicationId, topics.rawItems())
                  && committedToEnd(applicationId, repartition));
    }

    @Override
    public void close() {
      app.close();
    }
  }

  private static boolean committedToEnd(String group, String topic) {
    try {
      int partitions =
          KAFKA
              .admin()
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get()
              .get(topic)
              .partitions()
              .size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      var ends =
          KAFKA
              .admin()
              .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
              .all()
              .get();
      Map<TopicPartition, OffsetAndMetadata> committed =
          KAFKA.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      return ends.entrySet().stream()
          .allMatch(
              e -> {
                OffsetAndMetadata c = committed.get(e.getKey());
                return e.getValue().offset() == 0
                    || c != null && c.offset() >= e.getValue().offset();
              });
    } catch (ExecutionException e) {
      return false; // e.g. the repartition topic is not there yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * @return records ever written to this test's raw items topic (it is written without
   *     transactions)
   */
  private long rawItemCount() {
    return readAll(topics.rawItems()).size();
  }

  private List<RawWireItem> rawItems() {
    return readAll(topics.rawItems()).stream().map(PipelineIntegrationTest::validRawItem).toList();
  }

  /**
   * @return every article event of this test, each validated, in partition order
   */
  private List<ArticleEvent> articles() {
    return readAll(topics.articles()).stream().map(PipelineIntegrationTest::validArticle).toList();
  }

  private static KafkaProducer<String, byte[]> producer() {
    Map<String, Object> p = new HashMap<>(KAFKA.clientProperties());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  // ---------------------------------------------------------------------------------------------
  // Reading and checking topics

  /**
   * @return the records of {@code topic} once it holds at least {@code atLeast}; fails after {@link
   *     #TIMEOUT}
   */
  private static List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, int atLeast) {
    return readRecords(topic, atLeast);
  }

  /**
   * @return every record of {@code topic} up to its current read-committed end
   */
  private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    return readRecords(topic, 0);
  }

  /**
   * Reads {@code topic} read_committed from the beginning until it holds at least {@code atLeast}
   * records and the consumer has reached the end offsets; fails after {@link #TIMEOUT}.
   *
   * @return the records, partition by partition in offset order
   */
  private static List<ConsumerRecord<String, byte[]>> readRecords(String topic, int atLeast) {
    Map<String, Object> p = new HashMap<>(KAFKA.clientProperties());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic, TIMEOUT).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (true) {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
        if (out.size() >= atLeast) {
          Map<TopicPartition, Long> ends = consumer.endOffsets(parts, TIMEOUT);
          if (parts.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp))) {
            break;
          }
        }
        if (System.nanoTime() > deadline) {
          fail(
              "expected at least %d records in %s within %s, read %d: %s",
              atLeast, topic, TIMEOUT, out.size(), out.stream().map(ConsumerRecord::key).toList());
        }
      }
    }
    out.sort(
        (a, b) ->
            a.partition() != b.partition()
                ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
    return out;
  }

  /**
   * Checks an article record against its schema, key and CloudEvents headers; returns its value.
   */
  private static ArticleEvent validArticle(ConsumerRecord<String, byte[]> record) {
    JsonNode json = readTree(record.value());
    SchemaAssert.assertValid("article", json);
    ArticleEvent a = treeToValue(json, ArticleEvent.class);
    assertThat(record.key()).isEqualTo(a.uri());
    assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
    assertThat(header(record, "ce_id")).isEqualTo(a.uri() + "#" + a.version());
    assertThat(header(record, "ce_type")).isEqualTo("org.wireingest.article." + a.changeType());
    assertThat(header(record, "ce_source")).isEqualTo("urn:wire-ingest:source:" + a.source().id());
    assertThat(Instant.parse(header(record, "ce_time"))).isEqualTo(a.versionCreated());
    assertThat(header(record, "content-type")).isEqualTo("application/json");
    return a;
  }

  private static RawWireItem validRawItem(ConsumerRecord<String, byte[]> record) {
    JsonNode json = readTree(record.value());
    SchemaAssert.assertValid("raw-item", json);
    RawWireItem item = treeToValue(json, RawWireItem.class);
    assertThat(record.key()).isEqualTo(item.source().id() + "/" + item.itemKey());
    return item;
  }

  private static DeadLetter validDeadLetter(ConsumerRecord<String, byte[]> record) {
    JsonNode json = readTree(record.value());
    SchemaAssert.assertValid("dead-letter", json);
    return treeToValue(json, DeadLetter.class);
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    assertThat(h).as("header %s of %s", name, record.key()).isNotNull();
    return new String(h.value(), UTF_8);
  }

  private static JsonNode readTree(byte[] value) {
    try {
      return Json.MAPPER.readTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T treeToValue(JsonNode json, Class<T> type) {
    try {
      return Json.MAPPER.treeToValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls {@code condition} every 50 ms until it holds; fails after {@link #TIMEOUT}. */
  private static void awaitTrue(String what, BooleanSupplier condition) {
    try {
      Await.until(what, TIMEOUT, condition);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Feeds

  /** One RSS 2.0 {@code <item>}: invented stories, written for these tests. */
  private record Story(
      String guid, String link, String title, String description, Instant pubDate) {
    Story withDescription(String d) {
      return new Story(guid, link, title, d, pubDate);
    }

    Story withPubDate(Instant p) {
      return new Story(guid, link, title, description, p);
    }
  }

  private static String rss(Story... items) {
    return rss(T0.plusSeconds(3600), List.of(items));
  }

  /** An RSS 2.0 document with a fixed channel, {@code lastBuildDate}, and the items in order. */
  private static String rss(Instant lastBuildDate, List<Story> items) {
    StringBuilder xml = new StringBuilder(512);
    xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\n")
        .append("<title>Alpha Wire</title><link>https://alpha.example/</link>")
        .append("<description>Invented stories for tests</description><language>en</language>\n")
        .append("<lastBuildDate>")
        .append(HTTP_DATE.format(lastBuildDate))
        .append("</lastBuildDate>\n");
    for (Story s : items) {
      xml.append("<item><guid isPermaLink=\"false\">")
          .append(escape(s.guid()))
          .append("</guid>")
          .append("<link>")
          .append(escape(s.link()))
          .append("</link>")
          .append("<title>")
          .append(escape(s.title()))
          .append("</title>")
          .append("<description>")
          .append(escape(s.description()))
          .append("</description>")
          .append("<pubDate>")
          .append(HTTP_DATE.format(s.pubDate()))
          .append("</pubDate></item>\n");
    }
    return xml.append("</channel></rss>\n").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * A feed server on the loopback interface (the JDK's {@code com.sun.net.httpserver}): serves the
   * snapshot set per path with its ETag and Last-Modified, answers a matching {@code If-None-Match}
   * with 304 (RFC 9110 §13.1.2: exact match of the one ETag we send) unless told to ignore
   * conditional requests, and records every exchange.
   */
  private static final class FeedServer implements AutoCloseable {

    record Snapshot(byte[] body, String etag, String lastModified) {}

    /** One request and the status it got. */
    record Exchange(String path, String ifNoneMatch, String ifModifiedSince, int status) {}

    private final HttpServer http;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Snapshot> feeds = new ConcurrentHashMap<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private volatile boolean honourConditional = true;

    FeedServer() throws IOException {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.setExecutor(executor);
      http.createContext("/", this::handle);
      http.start();
    }

    /** Serves {@code body} at {@code path} from now on; {@code lastModified} may be null. */
    void serve(String path, String body, String etag, String lastModified) {
      feeds.put(path, new Snapshot(body.getBytes(UTF_8), etag, lastModified));
    }

    /** From now on every request gets 200 and the full body, validators or not. */
    void ignoreConditionalRequests() {
      honourConditional = false;
    }

    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + path);
    }

    List<Exchange> exchanges() {
      return exchanges;
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        String path = exchange.getRequestURI().getPath();
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        String ifModifiedSince = exchange.getRequestHeaders().getFirst("If-Modified-Since");
        Snapshot feed = feeds.get(path);
        int status =
            feed == null
                ? 404
                : honourConditional && feed.etag() != null && feed.etag().equals(ifNoneMatch)
                    ? 304
                    : 200;
        exchanges.add(new Exchange(path, ifNoneMatch, ifModifiedSince, status));
        if (status == 404) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        exchange.getResponseHeaders().set("ETag", feed.etag());
        if (feed.lastModified() != null) {
          exchange.getResponseHeaders().set("Last-Modified", feed.lastModified());
        }
        if (status == 304) {
          exchange.sendResponseHeaders(304, -1);
          return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/rss+xml; charset=utf-8");
        exchange.sendResponseHeaders(200, feed.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(feed.body());
        }
      }
    }

    @Override
    public void close() {
      http.stop(0);
      executor.shutdownNow();
    }
  }
}
