package org.wireingest.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.TopicSpec;
import org.wireingest.kafka.Topics;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.replay.Feeds;
import org.wireingest.testing.KafkaBrokerExtension;
import org.wireingest.testing.LogCapture;

/**
 * The normalizer on a cluster whose brokers' {@code message.max.bytes} is below the 1 MiB records
 * it writes (set here to 524288 for the whole class, and restored after it).
 */
@Tag("integration")
class NormalizerRecordLimitsTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String SMALL_LIMIT = "524288";
  private static final FeedSource WORLD =
      TestFeeds.feed("trtworld-world")
          .name("TRT World")
          .agency("trtworld")
          .url("https://www.trtworld.com/feed/rss.xml")
          .interval(Duration.ofMinutes(2))
          .build();

  @TempDir Path stateDir;

  @BeforeAll
  static void lowerTheBrokersLimit() throws Exception {
    KAFKA.setClusterDefault("message.max.bytes", SMALL_LIMIT);
  }

  @AfterAll
  static void restoreTheBrokersLimit() throws Exception {
    KAFKA.setClusterDefault("message.max.bytes", null);
  }

  /**
   * Found on a cluster with {@code message.max.bytes=524288}: Kafka Streams created the repartition
   * topic with the brokers' default, so a raw item of ~700 KB (which the raw-items topic, made with
   * 1 MiB, took) read from another partition than its uri's was refused by the repartition topic
   * (RecordTooLargeException). Under exactly-once the transaction was aborted, the stream thread
   * failed and was replaced, at every try, until the normalizer stopped (ERROR), the items behind
   * it never decided. The internal topics are now created with the size their records need.
   */
  @Test
  void shouldCarryARawItemOverTheBrokersDefaultThroughTheRepartitionTopic() throws Exception {
    Topics topics = new Topics("repartition-limit.");
    TopicAdmin.ensureTopics(KAFKA.admin(), topics.all(2), TIMEOUT);
    RawWireItem item = story("Türkiye and Iraq sign Development Road deal");
    // ~700 KB of raw item: within the raw-items topic's 1 MiB, over the brokers' default
    byte[] large =
        withContent(item, "<p>" + "Lorem ipsum dolor sit amet. ".repeat(25_000) + "</p>");
    assertThat(large.length).isBetween(600_000, 900_000);
    // one copy on each partition: one of them is not its uri's, and takes the repartition hop
    produce(topics.rawItems(), 0, key(item), large);
    produce(topics.rawItems(), 1, key(item), large);
    RawWireItem next = story("Ankara hosts trade talks");
    produce(topics.rawItems(), 0, key(next), Json.MAPPER.writeValueAsBytes(next));

    try (NormalizerApp app = app(topics, "repartition-limit")) {
      app.start();
      Outputs out = read(topics, 2, 1);

      assertThat(maxMessageBytes(NormalizerApp.internalTopics("repartition-limit").get(0)))
          .isEqualTo("1048576");

      // both copies reached the dedup stage, the remote one through the repartition topic: each
      // is decided there (its article event is over the normalizer's own 1,000,000 bytes)
      assertThat(out.letters())
          .hasSize(2)
          .allSatisfy(
              d -> {
                assertThat(d.errorClass()).isEqualTo(DeadLetter.RECORD_TOO_LARGE);
                assertThat(d.errorMessage()).startsWith("article event of ");
              });
      assertThat(out.articles()).hasSize(1);
      assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
  }

  @Test
  void shouldLeaveAMaxMessageBytesGivenForTheInternalTopics() {
    Map<String, Object> given = new HashMap<>(KAFKA.clientProperties());
    given.put("topic.max.message.bytes", "2000000");

    assertThat(NormalizerApp.withInternalTopicSizes(KAFKA.admin(), "given-size", given, TIMEOUT))
        .containsEntry("topic.max.message.bytes", "2000000")
        .doesNotContainKey(NormalizerTopology.REPARTITION_MAX_BYTES);
    given.put("topic.max.message.bytes", "600000");
    assertThat(NormalizerApp.withInternalTopicSizes(KAFKA.admin(), "given-size", given, TIMEOUT))
        .containsEntry("topic.max.message.bytes", "600000")
        .containsEntry(NormalizerTopology.REPARTITION_MAX_BYTES, "598976");
    assertThat(
            NormalizerApp.withInternalTopicSizes(
                KAFKA.admin(), "given-size", KAFKA.clientProperties(), TIMEOUT))
        .containsEntry("topic.max.message.bytes", "1048576");
  }

  /**
   * Regression: {@code -K topic.max.message.bytes=0} passed the check of -K values (Kafka's topic
   * configs allow 0) and said nothing, then every raw item taking the repartition hop was a dead
   * letter. A value below what the repartition records need is still taken (it may be meant), with
   * one WARN naming it and that size. The WARN also names the changelog: Kafka Streams creates it
   * with the same limit, and at 0 its first version-store record failed the stream threads.
   */
  @Test
  void shouldWarnOfAMaxMessageBytesGivenBelowWhatRawItemsNeed() {
    Map<String, Object> given = new HashMap<>(KAFKA.clientProperties());
    given.put("topic.max.message.bytes", "0");

    try (LogCapture log = LogCapture.of(NormalizerApp.class)) {
      assertThat(NormalizerApp.withInternalTopicSizes(KAFKA.admin(), "given-zero", given, TIMEOUT))
          .containsEntry("topic.max.message.bytes", "0")
          .containsEntry(NormalizerTopology.REPARTITION_MAX_BYTES, "1");

      assertThat(log.containing("topic.max.message.bytes"))
          .singleElement()
          .asString()
          .startsWith(
              "-K topic.max.message.bytes=0 is below the 1048576 bytes the normalizer's"
                  + " repartition topic given-zero-raw-items-by-uri-repartition needs")
          .contains("so every raw item that takes the repartition hop becomes a dead letter")
          // found in a review: with 100, the article-versions changelog refused its records, the
          // stream threads failed ten times and the normalizer stopped; the WARN said dead letters
          .contains(
              "the version store's changelog given-zero-article-versions-changelog gets it too,"
                  + " and a version-store record over it (a few kilobytes at most) fails the"
                  + " stream thread at every try until the normalizer stops")
          .endsWith("give at least 1048576");
    }
    given.put("topic.max.message.bytes", "2000000");
    try (LogCapture log = LogCapture.of(NormalizerApp.class)) {
      NormalizerApp.withInternalTopicSizes(KAFKA.admin(), "given-zero", given, TIMEOUT);

      assertThat(log.containing("topic.max.message.bytes")).isEmpty();
    }
  }

  /**
   * A repartition topic Streams made before with the brokers' small default stays as it is: a raw
   * item over its limit that must take the repartition hop was refused by it, and the stream thread
   * failed at every try until the normalizer stopped. It is a dead letter saying so instead, and
   * the items behind it are decided.
   */
  @Test
  void shouldDeadLetterARawItemOverAnExistingRepartitionTopicsLimitAndGoOn() throws Exception {
    Topics topics = new Topics("existing-repartition.");
    TopicAdmin.ensureTopics(KAFKA.admin(), topics.all(2), TIMEOUT);
    String applicationId = "existing-repartition";
    TopicAdmin.ensureTopics(
        KAFKA.admin(),
        NormalizerApp.internalTopics(applicationId).stream()
            .map(name -> new TopicSpec(name, 2, TopicSpec.CLUSTER_REPLICATION_FACTOR, Map.of()))
            .toList(),
        TIMEOUT);
    RawWireItem item = story("Türkiye and Iraq sign Development Road deal");
    byte[] large =
        withContent(item, "<p>" + "Lorem ipsum dolor sit amet. ".repeat(25_000) + "</p>");
    produce(topics.rawItems(), 0, key(item), large);
    produce(topics.rawItems(), 1, key(item), large);
    RawWireItem next = story("Ankara hosts trade talks");
    produce(topics.rawItems(), 0, key(next), Json.MAPPER.writeValueAsBytes(next));
    produce(topics.rawItems(), 1, key(next), Json.MAPPER.writeValueAsBytes(next));

    try (NormalizerApp app = app(topics, applicationId)) {
      app.start();
      Outputs out = read(topics, 2, 1);

      assertThat(out.letters()).hasSize(2);
      // the copy on its uri's partition is decided there; the other is over the topic's limit
      assertThat(out.letters())
          .filteredOn(d -> d.errorMessage().contains("repartition topic"))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.errorClass()).isEqualTo(DeadLetter.RECORD_TOO_LARGE);
                assertThat(d.errorMessage())
                    .contains("exceeds the repartition topic's limit of 523264 bytes");
                assertThat(d.valueBytes()).isEqualTo(large.length);
              });
      assertThat(out.articles()).isNotEmpty();
      assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
  }

  /**
   * A dead-letter topic made with a limit below the normalizer's dead letters (Kafka Streams cannot
   * make a refused dead letter a dead letter: under exactly-once the refusal dooms the transaction,
   * and the stream thread failed at every try until the normalizer stopped). A dead letter over it
   * leaves out its copy of the input, which stays at its coordinates, and the items behind it are
   * decided.
   */
  @Test
  void shouldFitADeadLetterToASmallerDeadLetterTopicAndGoOn() throws Exception {
    Topics topics = new Topics("dead-letter-limit.");
    TopicAdmin.ensureTopics(
        KAFKA.admin(),
        List.of(
            new TopicSpec(
                topics.deadLetters(),
                2,
                TopicSpec.CLUSTER_REPLICATION_FACTOR,
                Map.of("max.message.bytes", SMALL_LIMIT))),
        TIMEOUT);
    TopicAdmin.ensureTopics(KAFKA.admin(), topics.all(2), TIMEOUT);
    // 600,000 bytes that are no raw item: a dead letter with them as Base64 is ~800 KB
    byte[] notJson = "x".repeat(600_000).getBytes(UTF_8);
    produce(topics.rawItems(), 0, "trtworld-world/00", notJson);
    RawWireItem next = story("Ankara hosts trade talks");
    produce(topics.rawItems(), 0, key(next), Json.MAPPER.writeValueAsBytes(next));
    produce(topics.rawItems(), 1, key(next), Json.MAPPER.writeValueAsBytes(next));

    try (NormalizerApp app = app(topics, "dead-letter-limit")) {
      app.start();
      Outputs out = read(topics, 1, 1);

      assertThat(out.letters())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.stage()).isEqualTo(NormalizerSteps.STAGE_DESERIALIZE);
                assertThat(d.sourceTopic()).isEqualTo(topics.rawItems());
                assertThat(d.sourceOffset()).isZero();
                assertThat(d.valueBytes()).isEqualTo(notJson.length);
                assertThat(d.valueBase64()).isNull();
              });
      assertThat(out.articles()).isNotEmpty();
      assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
  }

  /**
   * An articles topic made with a limit below the normalizer's article events: an event of ~600 KB
   * was refused by it, and under exactly-once the stream thread failed at every try until the
   * normalizer stopped. It is a dead letter instead, as an event over 1,000,000 bytes is.
   */
  @Test
  void shouldDeadLetterAnArticleOverASmallerArticlesTopicAndGoOn() throws Exception {
    Topics topics = new Topics("articles-limit.");
    TopicAdmin.ensureTopics(
        KAFKA.admin(),
        List.of(
            new TopicSpec(
                topics.articles(),
                2,
                TopicSpec.CLUSTER_REPLICATION_FACTOR,
                Map.of("max.message.bytes", SMALL_LIMIT))),
        TIMEOUT);
    TopicAdmin.ensureTopics(KAFKA.admin(), topics.all(2), TIMEOUT);
    RawWireItem item = story("Türkiye and Iraq sign Development Road deal");
    // ~300 KB of raw item: its event carries the body as HTML and as text, ~600 KB
    byte[] large =
        withContent(item, "<p>" + "Lorem ipsum dolor sit amet. ".repeat(11_000) + "</p>");
    produce(topics.rawItems(), 0, key(item), large);
    produce(topics.rawItems(), 1, key(item), large);
    RawWireItem next = story("Ankara hosts trade talks");
    produce(topics.rawItems(), 0, key(next), Json.MAPPER.writeValueAsBytes(next));
    produce(topics.rawItems(), 1, key(next), Json.MAPPER.writeValueAsBytes(next));

    try (NormalizerApp app = app(topics, "articles-limit")) {
      app.start();
      Outputs out = read(topics, 2, 1);

      assertThat(out.letters())
          .hasSize(2)
          .allSatisfy(
              d -> {
                assertThat(d.errorClass()).isEqualTo(DeadLetter.RECORD_TOO_LARGE);
                assertThat(d.errorMessage())
                    .startsWith("article event of ")
                    .contains("exceeds the normalizer's limit of 516096 bytes");
              });
      assertThat(out.articles()).isNotEmpty();
      assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
  }

  /**
   * A repartition topic Streams made before, with the small default, is not changed (wire-ingest
   * changes none of its existing topics) but named at start, with the repair; the changelog, whose
   * states are a few kilobytes, is not.
   */
  @Test
  void shouldWarnAtStartOfARepartitionTopicBelowItsLargestRecords() {
    List<String> internal = NormalizerApp.internalTopics("made-small");
    TopicAdmin.ensureTopics(
        KAFKA.admin(),
        internal.stream()
            .map(name -> new TopicSpec(name, 2, TopicSpec.CLUSTER_REPLICATION_FACTOR, Map.of()))
            .toList(),
        TIMEOUT);

    try (LogCapture log = LogCapture.of(NormalizerApp.class)) {
      NormalizerApp.checkInternalTopics(KAFKA.admin(), "made-small", 2, TIMEOUT);

      assertThat(log.messages())
          .singleElement()
          .asString()
          .startsWith(
              "topic "
                  + internal.get(0)
                  + " has max.message.bytes=524288, below the 1048576 wire-ingest needs")
          .contains(
              "repair: kafka-configs.sh --alter --entity-type topics --entity-name "
                  + internal.get(0)
                  + " --add-config max.message.bytes=1048576");
    }
  }

  private record Outputs(List<DeadLetter> letters, List<String> articles) {}

  /** Reads the dead letters and articles until at least {@code letters} and {@code articles}. */
  private static Outputs read(Topics topics, int letters, int articles) throws Exception {
    Outputs out = new Outputs(new ArrayList<>(), new ArrayList<>());
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (KafkaConsumer<String, String> consumer = consumer()) {
      consumer.subscribe(List.of(topics.deadLetters(), topics.articles()));
      while (System.nanoTime() < deadline
          && (out.letters.size() < letters || out.articles.size() < articles)) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.topic().equals(topics.articles())) {
            out.articles.add(r.key());
          } else {
            out.letters.add(Json.MAPPER.readValue(r.value(), DeadLetter.class));
          }
        }
      }
    }
    return out;
  }

  private NormalizerApp app(Topics topics, String applicationId) {
    Map<String, Object> props = new HashMap<>(KAFKA.clientProperties());
    props.put("num.stream.threads", 1);
    return new NormalizerApp(
        NormalizerApp.withTopicSizes(
            KAFKA.admin(),
            topics,
            NormalizerApp.withInternalTopicSizes(KAFKA.admin(), applicationId, props, TIMEOUT),
            TIMEOUT),
        applicationId,
        stateDir,
        topics,
        NormalizerListener.NONE,
        2);
  }

  private static String maxMessageBytes(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return KAFKA
        .admin()
        .describeConfigs(List.of(resource))
        .all()
        .get()
        .get(resource)
        .get("max.message.bytes")
        .value();
  }

  private static KafkaConsumer<String, String> consumer() {
    Map<String, Object> props = new HashMap<>(KAFKA.clientProperties());
    props.put("group.id", "reader-" + System.nanoTime());
    props.put("auto.offset.reset", "earliest");
    props.put("isolation.level", "read_committed");
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }

  private static void produce(String topic, int partition, String key, byte[] value)
      throws Exception {
    Map<String, Object> props = new HashMap<>(KAFKA.clientProperties());
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
    try (var producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
    }
  }

  private static RawWireItem story(String title) {
    String rss =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel>
          <title>TRT World</title><link>https://www.trtworld.com</link><language>en</language>
          <item>
            <guid isPermaLink="true">https://www.trtworld.com/article/%d</guid>
            <title>%s</title>
            <link>https://www.trtworld.com/article/%d</link>
            <description>Ankara and Baghdad agree on a trade corridor.</description>
            <pubDate>Mon, 30 Nov 2026 08:00:00 GMT</pubDate>
          </item>
        </channel></rss>
        """
            .formatted(title.hashCode(), title, title.hashCode());
    return Feeds.rawItems(WORLD, rss, Instant.parse("2026-11-30T08:30:00Z")).get(0);
  }

  private static String key(RawWireItem item) {
    return item.source().id() + "/" + item.itemKey();
  }

  private static byte[] withContent(RawWireItem item, String html) throws Exception {
    ObjectNode tree = Json.MAPPER.valueToTree(item);
    ((ObjectNode) tree.get("entry")).put("contentHtml", html);
    return Json.MAPPER.writeValueAsBytes(tree);
  }
}
