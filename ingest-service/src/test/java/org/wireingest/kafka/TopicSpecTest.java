package org.wireingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSpecTest {

  private static final TopicSpec FEED_STATE =
      new TopicSpec("wire.feed-state.v1", 3, (short) 1, Map.of("cleanup.policy", "compact"));

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
}
