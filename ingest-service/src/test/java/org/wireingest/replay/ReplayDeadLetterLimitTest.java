package org.wireingest.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wireingest.cli.CliRun;
import org.wireingest.config.FeedSource;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.TopicSpec;
import org.wireingest.kafka.Topics;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.streams.DeadLetters;
import org.wireingest.streams.NormalizerSteps;
import org.wireingest.testing.KafkaBrokerExtension;

/**
 * {@code wire-ingest replay} on a real broker whose dead-letter topic was made with a {@code
 * max.message.bytes} below the 1 MiB records the dead letters may need.
 */
@Tag("integration")
class ReplayDeadLetterLimitTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String SMALL_LIMIT = "524288";
  private static final FeedSource TRT = Feeds.source("trt-world", "trtworld");

  /**
   * Found in a review: the live normalizer fits a dead letter to a smaller dead-letter topic's
   * limit, but replay wrote its own dead letters with their fixed 1,000,000-byte cap. A dead letter
   * of a 450,000-byte record that is no raw item (its Base64 copy ~600 KB, which LZ4 cannot shrink)
   * was refused by a dead-letter topic of 524288 bytes, and the run failed ({@code a replayed
   * record was not written: ... RecordTooLargeException}, exit 1) with its target holding part of
   * it. The dead letter now leaves out its copy of the input, which stays at its source
   * coordinates, and the run ends.
   */
  @Test
  void shouldFitADeadLetterToASmallerDeadLetterTopicAndFinishTheRun() throws Exception {
    Topics topics = new Topics("replay-dead-letter-limit.");
    TopicAdmin.ensureTopics(
        KAFKA.admin(),
        List.of(
            new TopicSpec(
                topics.deadLetters(),
                1,
                TopicSpec.CLUSTER_REPLICATION_FACTOR,
                Map.of("max.message.bytes", SMALL_LIMIT))),
        TIMEOUT);
    TopicAdmin.ensureTopics(KAFKA.admin(), topics.all(1), TIMEOUT);
    RawWireItem item =
        Feeds.rawItem(
            TRT,
            Feeds.rss(
                Feeds.item(
                    "trt-100", "Talks resume in Doha", "Mon, 30 Nov 2026 06:00:00 GMT", null)),
            Instant.now().minus(Duration.ofHours(1)));
    byte[] notARawItem = new byte[450_000];
    new Random(200).nextBytes(notARawItem);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            KAFKA.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  topics.rawItems(), 0, TRT.id() + "/" + item.itemKey(), Feeds.json(item)))
          .get(30, TimeUnit.SECONDS);
      producer
          .send(new ProducerRecord<>(topics.rawItems(), 0, TRT.id() + "/broken", notARawItem))
          .get(30, TimeUnit.SECONDS);
    }
    String target = "replay-dead-letter-limit.articles.replay.small";

    CliRun run =
        CliRun.execute(
            "replay",
            "--from",
            "1d",
            "--topic-prefix",
            "replay-dead-letter-limit.",
            "--target-topic",
            target,
            "--bootstrap-servers",
            KAFKA.bootstrapServers());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("articles created: 1, updated: 0")
        .contains("dead letters: 1 | target topic: " + target);
    assertThat(TopicAdmin.offsetCount(KAFKA.admin(), topics.deadLetters(), TIMEOUT)).hasValue(1);
    List<ConsumerRecord<String, String>> letters = readAll(topics.deadLetters(), 1);
    assertThat(letters)
        .singleElement()
        .satisfies(
            r -> {
              DeadLetter d = Json.MAPPER.readValue(r.value(), DeadLetter.class);
              assertThat(d.stage()).isEqualTo(NormalizerSteps.STAGE_DESERIALIZE);
              assertThat(d.sourceTopic()).isEqualTo(topics.rawItems());
              assertThat(d.sourceOffset()).isEqualTo(1);
              assertThat(d.valueBytes()).isEqualTo(notARawItem.length);
              assertThat(d.valueBase64()).isNull();
              assertThat(
                      new String(
                          r.headers().lastHeader(DeadLetters.REPLAY_TARGET_HEADER).value(), UTF_8))
                  .isEqualTo(target);
            });
  }

  /**
   * Found in a review: with a dead-letter topic smaller than even a dead letter without its copy of
   * the input (100 bytes), the broker refused the dead letter, and the run failed naming its target
   * topic ({@code could not write to ...articles.replay...: The request included a message larger
   * than the max message size}): the producer's failure came back with a later send, and the
   * message named that send's topic. The operator looked at the wrong topic's size. The failure
   * names the topic of the record that was refused.
   */
  @Test
  void shouldNameTheDeadLetterTopicThatRefusedADeadLetter() throws Exception {
    Topics topics = new Topics("replay-dead-letter-tiny.");
    TopicAdmin.ensureTopics(
        KAFKA.admin(),
        List.of(
            new TopicSpec(
                topics.deadLetters(),
                1,
                TopicSpec.CLUSTER_REPLICATION_FACTOR,
                Map.of("max.message.bytes", "100"))),
        TIMEOUT);
    TopicAdmin.ensureTopics(KAFKA.admin(), topics.all(1), TIMEOUT);
    Instant at = Instant.now().minus(Duration.ofHours(1));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            KAFKA.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(topics.rawItems(), 0, TRT.id() + "/broken", new byte[] {1}))
          .get(30, TimeUnit.SECONDS);
      for (int i = 0; i < 20; i++) {
        RawWireItem item =
            Feeds.rawItem(
                TRT,
                Feeds.rss(
                    Feeds.item(
                        "trt-" + i,
                        "Talks resume in Doha " + i,
                        "Mon, 30 Nov 2026 06:00:00 GMT",
                        null)),
                at);
        producer
            .send(
                new ProducerRecord<>(
                    topics.rawItems(), 0, TRT.id() + "/" + item.itemKey(), Feeds.json(item)))
            .get(30, TimeUnit.SECONDS);
      }
    }
    String target = "replay-dead-letter-tiny.articles.replay.tiny";

    CliRun run =
        CliRun.execute(
            "replay",
            "--from",
            "1d",
            "--topic-prefix",
            "replay-dead-letter-tiny.",
            "--target-topic",
            target,
            "--bootstrap-servers",
            KAFKA.bootstrapServers());

    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains(" to " + topics.deadLetters() + ": ")
        .contains("larger than the max message size")
        .doesNotContain("could not write to " + target);
  }

  /** Reads {@code topic} from its start until it has given {@code count} records, or a minute. */
  private static List<ConsumerRecord<String, String>> readAll(String topic, int count) {
    Map<String, Object> props = new HashMap<>(KAFKA.clientProperties());
    props.put("group.id", "reader-" + System.nanoTime());
    props.put("auto.offset.reset", "earliest");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (out.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
