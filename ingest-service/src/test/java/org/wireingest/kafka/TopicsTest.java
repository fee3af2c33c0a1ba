package org.wireingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.wireingest.dedup.SignatureIndex;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.Json;
import org.wireingest.streams.DeadLetters;
import org.wireingest.streams.NormalizerSteps;

class TopicsTest {

  @Test
  void shouldNameTheTopicsWithTheDefaultPrefix() {
    Topics topics = Topics.defaults();

    assertThat(
            List.of(
                topics.rawItems(),
                topics.articles(),
                topics.feedState(),
                topics.fetchLog(),
                topics.deadLetters(),
                topics.storySignatures()))
        .containsExactly(
            "wire.raw-items.v1",
            "wire.articles.v1",
            "wire.feed-state.v1",
            "wire.fetch-log.v1",
            "wire.dead-letters.v1",
            "wire.story-signatures.v1");
    assertThat(topics.all(1)).extracting(TopicSpec::name).endsWith("wire.story-signatures.v1");
  }

  @Test
  void shouldPutAConfiguredPrefixBeforeEveryName() {
    assertThat(new Topics("staging.wire.").all(1))
        .extracting(TopicSpec::name)
        .allMatch(name -> name.startsWith("staging.wire."));
  }

  @Test
  void shouldRejectAPrefixWithCharactersKafkaDoesNotAllow() {
    assertThatThrownBy(() -> new Topics("wire/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("wire/");
  }

  @Test
  void shouldKeepRawItemsForNinetyDays() {
    assertThat(spec(Topics.defaults().rawItems()).configs())
        .containsOnly(entry("cleanup.policy", "delete"), entry("retention.ms", "7776000000"));
  }

  @Test
  void shouldKeepStorySignaturesForAWeekLongerThanTheNearDuplicateWindow() {
    assertThat(spec(Topics.defaults().storySignatures()).configs())
        .containsOnly(entry("cleanup.policy", "delete"), entry("retention.ms", "604800000"));
    assertThat(Topics.STORY_SIGNATURES_RETENTION).isGreaterThan(SignatureIndex.DEFAULT_WINDOW);
  }

  /**
   * The topic catalogue consumers read (schemas/topics.json) says what the code creates: it had
   * left out the articles' ce_subject header and three topics' retention.
   */
  @Test
  void shouldBeDescribedByTheTopicCatalogue() throws Exception {
    Map<String, JsonNode> byName = catalogueTopics();
    for (TopicSpec spec : Topics.defaults().all(1)) {
      JsonNode topic = byName.get(spec.name());
      assertThat(topic).as(spec.name()).isNotNull();
      assertThat(topic.get("cleanupPolicy").asText())
          .as(spec.name())
          .isEqualTo(spec.configs().get("cleanup.policy"));
      String retention = spec.configs().get("retention.ms");
      assertThat(
              topic.has("retention")
                  ? Duration.parse(topic.get("retention").asText()).toMillis() + ""
                  : null)
          .as(spec.name() + " retention")
          .isEqualTo(retention);
    }
    assertThat(byName).hasSize(Topics.defaults().all(1).size());
    ArticleEvent event =
        new ArticleEvent(
            "urn:wire:a:" + "0".repeat(32),
            1,
            "created",
            "usable",
            "text",
            Instant.EPOCH,
            Instant.EPOCH,
            null,
            "h",
            null,
            null,
            null,
            null,
            List.of(),
            List.of(),
            null,
            null,
            null,
            new ArticleEvent.Source("a", "A", "a", "https://a.example/"),
            null,
            null,
            List.of());
    List<String> headers = new ArrayList<>();
    byName.get(Topics.defaults().articles()).get("headers").forEach(h -> headers.add(h.asText()));
    assertThat(headers)
        .containsExactlyElementsOf(NormalizerSteps.cloudEventHeaders(event).keySet());
  }

  /**
   * The catalogue listed headers for the articles topic only, while a dead letter's record carries
   * its input record's headers: it says that the writers add none, copy the input's as they are,
   * and drop them all over maxBytes, counted as {@link DeadLetters#headers} counts them.
   */
  @Test
  void shouldDescribeTheHeadersADeadLetterCopiesInTheTopicCatalogue() throws Exception {
    JsonNode deadLetters = catalogueTopics().get(Topics.defaults().deadLetters());
    assertThat(deadLetters.get("headers")).as("headers a dead letter's writer adds").isEmpty();
    assertThat(deadLetters.at("/inputHeaders/description").asText()).isNotBlank();
    int maxBytes = deadLetters.at("/inputHeaders/maxBytes").asInt();
    assertThat(maxBytes).isEqualTo(DeadLetters.MAX_DEAD_LETTER_HEADER_BYTES);

    RecordHeaders input = new RecordHeaders();
    input.add("trace", "a".getBytes(StandardCharsets.UTF_8));
    input.add("trace", new byte[] {(byte) 0xff});
    // each name at 3 bytes a character, each value at its length: (15 + 1) + (15 + 1) + 3 = 35
    input.add("k", new byte[maxBytes - 35]); // exactly maxBytes: kept
    assertThat(DeadLetters.headers(input).toArray()).containsExactly(input.toArray());

    input.add("", new byte[1]); // one byte over
    assertThat(DeadLetters.headers(input).toArray()).isEmpty();
  }

  @Test
  void shouldCompactArticlesAndDeleteThoseUnchangedForAYear() {
    assertThat(spec(Topics.defaults().articles()).configs())
        .containsOnly(
            entry("cleanup.policy", "compact,delete"), entry("retention.ms", "31536000000"));
  }

  @Test
  void shouldCompactFeedStateWithoutRetention() {
    // max.message.bytes: regression (fresh-eyes review): a 10,000-entry feed's 1.7 MB state was
    // refused at the 1 MiB default, and one of ~12,000 entries at the former 2 MiB.
    // segment.*: regression (soak run): a state written at every poll stayed uncompacted in the
    // active segment for the broker's default 7 days or 1 GiB per partition
    assertThat(spec(Topics.defaults().feedState()).configs())
        .containsOnly(
            entry("cleanup.policy", "compact"),
            entry("max.message.bytes", "16777216"),
            entry("segment.ms", "3600000"),
            entry("segment.bytes", "67108864"));
  }

  @Test
  void shouldKeepDeadLettersForThirtyDays() {
    assertThat(spec(Topics.defaults().deadLetters()).configs())
        .containsOnly(entry("cleanup.policy", "delete"), entry("retention.ms", "2592000000"));
  }

  @Test
  void shouldKeepFetchLogForThirtyDaysWithRoomForAStoredBody() {
    assertThat(spec(Topics.defaults().fetchLog()).configs())
        .containsOnly(
            entry("cleanup.policy", "delete"),
            entry("retention.ms", "2592000000"),
            entry("max.message.bytes", "2097152"));
  }

  @Test
  void shouldLeaveTheReplicationFactorToTheCluster() {
    assertThat(Topics.defaults().all(6))
        .allSatisfy(
            spec -> {
              assertThat(spec.partitions()).isEqualTo(6);
              assertThat(spec.replicationFactor()).isEqualTo(TopicSpec.CLUSTER_REPLICATION_FACTOR);
            });
  }

  @Test
  void shouldCreateRawItemsWithAConfiguredRetention() {
    Topics topics = Topics.defaults().withRetention(Topics.RAW_ITEMS, Duration.ofDays(180));

    assertThat(topics.all(3).get(0).configs()).containsEntry("retention.ms", "15552000000");
  }

  @Test
  void shouldKeepTheOtherRetentionsWhenOneIsConfigured() {
    Topics topics = Topics.defaults().withRetention(Topics.FETCH_LOG, Duration.ofDays(7));

    assertThat(topics.retention(Topics.RAW_ITEMS)).isEqualTo(Topics.RAW_ITEMS_RETENTION);
  }

  @Test
  void shouldRejectARetentionForTheCompactedFeedState() {
    assertThatThrownBy(() -> Topics.defaults().withRetention("feed-state", Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("raw-items");
  }

  @Test
  void shouldNameReplayTopicsAfterTheUtcStartTime() {
    Instant at = Instant.parse("2026-11-30T08:31:43.412Z");

    assertThat(List.of(Topics.defaults().articlesReplay(at), Topics.defaults().rawItemsReparse(at)))
        .containsExactly(
            "wire.articles.replay.20261130083143", "wire.raw-items.reparse.20261130083143");
  }

  @Test
  void shouldKeepEveryReplayedVersionInsteadOfCompactingThem() {
    assertThat(Topics.defaults().articlesReplaySpec("wire.articles.replay.x", 3).configs())
        .containsOnly(entry("cleanup.policy", "delete"), entry("retention.ms", "31536000000"));
  }

  /**
   * @return the topics of the catalogue consumers read (schemas/topics.json) by default name
   */
  private static Map<String, JsonNode> catalogueTopics() throws Exception {
    JsonNode catalogue;
    try (var in = TopicsTest.class.getResourceAsStream("/schemas/topics.json")) {
      catalogue = Json.MAPPER.readTree(in);
    }
    Map<String, JsonNode> byName = new HashMap<>();
    catalogue.get("topics").forEach(t -> byName.put(t.get("defaultName").asText(), t));
    return byName;
  }

  private static TopicSpec spec(String name) {
    return Topics.defaults().all(3).stream()
        .filter(spec -> spec.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
