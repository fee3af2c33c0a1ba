package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code poller-group} readiness probe of a continuous poller. */
class KafkaProbesPollerGroupTest {

  @Test
  void shouldBeDownUntilThePollerHasJoinedItsGroup() {
    Readiness.Probe probe = KafkaProbes.pollerGroup("wire-ingest-pollers", () -> false, Set::of);

    assertThat(probe.name()).isEqualTo("poller-group");
    assertThat(probe.check())
        .isEqualTo(new Readiness.Check("poller-group", false, "joining group wire-ingest-pollers"));
  }

  @Test
  void shouldNameTheFeedStatePartitionsItOwnsInOrder() {
    Readiness.Check check =
        KafkaProbes.pollerGroup("wire-ingest-pollers", () -> true, () -> Set.of(5, 0, 3)).check();

    assertThat(check)
        .isEqualTo(
            new Readiness.Check(
                "poller-group",
                true,
                "in group wire-ingest-pollers, feed-state partitions [0, 3, 5]"));
  }
}
