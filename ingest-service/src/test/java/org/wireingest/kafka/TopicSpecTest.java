package org.wireingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSpecTest {

  private static final TopicSpec FEED_STATE =
      new TopicSpec(
          "wire.feed-state.v1",
          3,
          (short) 1,
          Map.of("cleanup.policy", "compact"),
          "the feed assignment");

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
                "wire.feed-state.v1", TopicSpec.PARTITIONS, "3", "1", "the feed assignment"),
            new TopicSpec.Mismatch(
                "wire.feed-state.v1", "cleanup.policy", "compact", "delete", null));
    // a cluster that does not say its cleanup policy: only the partition count is compared
    assertThat(FEED_STATE.mismatches(3, Map.of())).isEmpty();
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
