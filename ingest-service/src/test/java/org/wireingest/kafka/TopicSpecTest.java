package org.wireingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSpecTest {

  private static final TopicSpec FEED_STATE =
      new TopicSpec(
          "wire.feed-state.v1",
          3,
          (short) 1,
          Map.of("cleanup.policy", "compact"),
          Topics.FEED_STATE_PARTITIONED_FOR);

  /**
   * A broker before Kafka 4 takes a cleanup.policy that names a policy twice; comparing it threw
   * "duplicate element" (start-up's cleanup.policy warning, wire-ingest topics).
   */
  @Test
  void shouldCompareACleanupPolicyThatNamesAPolicyTwice() {
    assertThat(FEED_STATE.differingConfigs(Map.of("cleanup.policy", "compact,compact"))).isEmpty();
    assertThat(FEED_STATE.differingConfigs(Map.of("cleanup.policy", "delete,delete")))
        .containsExactly("cleanup.policy");
    assertThat(FEED_STATE.differingConfigs(Map.of("cleanup.policy", "delete, compact")))
        .containsExactly("cleanup.policy");
    assertThat(TopicSpec.policies("compact, delete,compact")).containsExactly("compact", "delete");
  }

  @Test
  void shouldFindAMismatchInThePartitionCountAndTheCleanupPolicyOnly() {
    assertThat(
            FEED_STATE.mismatches(
                3, Map.of("cleanup.policy", "compact", "max.message.bytes", "1048588")))
        .isEmpty();
    assertThat(FEED_STATE.mismatches(1, Map.of("cleanup.policy", "delete")))
        .containsExactly(
            new TopicSpec.Mismatch(
                "wire.feed-state.v1",
                TopicSpec.PARTITIONS,
                "3",
                "1",
                Topics.FEED_STATE_PARTITIONED_FOR),
            new TopicSpec.Mismatch(
                "wire.feed-state.v1", "cleanup.policy", "compact", "delete", null));
    // a cluster that does not say its cleanup policy: only the partition count is compared
    assertThat(FEED_STATE.mismatches(3, Map.of())).isEmpty();
  }

  /**
   * The repair of a raw-items or feed-state topic with another partition count deletes it: the
   * advice said only "stop wire-ingest, delete the topic", silent on the raw items the normalizer
   * had not read, the replay history and the feeds' states going with it.
   */
  @Test
  void shouldSayWhatReCreatingATopicWithAnotherPartitionCountLoses() {
    List<TopicSpec> specs = new Topics("wire.").all(6);
    TopicSpec rawItems = specs.get(0);
    TopicSpec feedState = specs.get(2);

    assertThat(rawItems.mismatches(3, rawItems.configs()))
        .extracting(TopicSpec.Mismatch::message)
        .containsExactly(
            "topic wire.raw-items.v1 has 3 partitions, where wire-ingest creates it with 6"
                + " (--partitions): its keys go to other partitions than the normalizer's version"
                + " store was made for; repair: stop the pollers, let the normalizer catch up"
                + " (wire_normalizer_consumer_lag_records 0; the raw items it has not read would"
                + " be lost) and stop it, delete the topic and run wire-ingest topics --create (or"
                + " start wire-ingest again), which creates it with 6; the raw items go with the"
                + " old topic, so replay has no history from before, and a normalizer that ran on"
                + " it needs a new --application-id (README: \"Where raw items go\"); or give"
                + " --partitions 3 if the topics were made with 3 on purpose");
    assertThat(feedState.mismatches(3, feedState.configs()))
        .extracting(TopicSpec.Mismatch::message)
        .containsExactly(
            "topic wire.feed-state.v1 has 3 partitions, where wire-ingest creates it with 6"
                + " (--partitions): its keys go to other partitions than the feed assignment was"
                + " made for; repair: stop wire-ingest, delete the topic and run wire-ingest"
                + " topics --create (or start wire-ingest again), which creates it with 6; the"
                + " feeds' states go with the old topic, so every entry is published again (the"
                + " normalizer suppresses the unchanged ones); or give --partitions 3 if the"
                + " topics were made with 3 on purpose");
  }

  @Test
  void shouldNotCompareThePartitionCountOfATopicNothingPlacesKeysBy() {
    TopicSpec deadLetters =
        new TopicSpec("wire.dead-letters.v1", 3, (short) 1, Map.of("cleanup.policy", "delete"));

    assertThat(deadLetters.mismatches(8, Map.of("cleanup.policy", "delete"))).isEmpty();
  }

  @Test
  void shouldCompareNoCleanupPolicyWhenTheSpecSetsNone() {
    TopicSpec bare = new TopicSpec("bare", 2, (short) 1, Map.of());

    assertThat(bare.mismatches(2, Map.of("cleanup.policy", "compact"))).isEmpty();
  }
}
