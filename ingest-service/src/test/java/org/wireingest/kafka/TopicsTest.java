package org.wireingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void shouldNameTheTopicsWithTheDefaultPrefix() {
    Topics topics = Topics.defaults();

    assertThat(List.of(topics.rawItems(), topics.articles(), topics.feedState(), topics.fetchLog(), topics.deadLetters()))
        .containsExactly(
            "wire.raw-items.v1", "wire.articles.v1", "wire.feed-state.v1", "wire.fetch-log.v1", "wire.dead-letters.v1");
  }

  @Test
  void shouldPutAConfiguredPrefixBeforeEveryName() {
    assertThat(new Topics("staging.wire.").all(1)).extracting(TopicSpec::name).allMatch(name -> name.startsWith("staging.wire."));
  }

  @Test
  void shouldRejectAPrefixWithCharactersKafkaDoesNotAllow() {
    assertThatThrownBy(() -> new Topics("wire/")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wire/");
  }

  @Test
  void shouldKeepRawItemsForNinetyDays() {
    assertThat(spec(Topics.defaults().rawItems()).configs())
        .containsOnly(entry("cleanup.policy", "delete"), entry("retention.ms", "7776000000"));
  }

  @Test
  void shouldCompactArticlesAndDeleteThoseUnchangedForAYear() {
    assertThat(spec(Topics.defaults().articles()).configs())
        .containsOnly(entry("cleanup.policy", "compact,delete"), entry("retention.ms", "31536000000"));
  }

  @Test
  void shouldCompactFeedStateWithoutRetention() {
    assertThat(spec(Topics.defaults().feedState()).configs()).containsOnly(entry("cleanup.policy", "compact"));
  }

  @Test
  void shouldKeepFetchLogAndDeadLettersForThirtyDays() {
    assertThat(List.of(spec(Topics.defaults().fetchLog()).configs(), spec(Topics.defaults().deadLetters()).configs()))
        .allSatisfy(configs -> assertThat(configs).containsOnly(entry("cleanup.policy", "delete"), entry("retention.ms", "2592000000")));
  }

  @Test
  void shouldLeaveTheReplicationFactorToTheCluster() {
    assertThat(Topics.defaults().all(6))
        .allSatisfy(spec -> {
          assertThat(spec.partitions()).isEqualTo(6);
          assertThat(spec.replicationFactor()).isEqualTo(TopicSpec.CLUSTER_REPLICATION_FACTOR);
        });
  }

  private static TopicSpec spec(String name) {
    return Topics.defaults().all(3).stream().filter(spec -> spec.name().equals(name)).findFirst().orElseThrow();
  }
}
