package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.wireingest.poll.FeedAssignment;

/**
 * The {@code poller-group} readiness probe of a continuous poller, where it needs no broker (the
 * standby case asks the group's description: {@link PollerGroupReadinessKafkaTest}).
 */
class KafkaProbesPollerGroupTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private static Readiness.Probe probe(FeedAssignment.Membership m) {
    // the admin client is asked only when the poller holds no partition
    return KafkaProbes.pollerGroup(
        null, "wire-ingest-pollers", "wire.feed-state.v1", () -> m, TIMEOUT);
  }

  @Test
  void shouldBeDownUntilThePollerHasJoinedItsGroup() {
    Readiness.Probe probe = probe(FeedAssignment.Membership.NONE);

    assertThat(probe.name()).isEqualTo("poller-group");
    assertThat(probe.check())
        .isEqualTo(new Readiness.Check("poller-group", false, "joining group wire-ingest-pollers"));
  }

  @Test
  void shouldSayWhyItIsStillJoiningAfterAFailure() {
    Readiness.Check check =
        probe(
                FeedAssignment.Membership.notJoined(
                    "GroupAuthorizationException: Not authorized to access group: wire-ingest-pollers"))
            .check();

    assertThat(check)
        .isEqualTo(
            new Readiness.Check(
                "poller-group",
                false,
                "joining group wire-ingest-pollers; the last attempt failed:"
                    + " GroupAuthorizationException: Not authorized to access group: wire-ingest-pollers"));
  }

  // An operator with several topic prefixes could not tell from "feed-state partitions [0, 3, 5]"
  // which topic's partitions the poller held: the detail names the topic.
  @Test
  void shouldNameTheFeedStatePartitionsItOwnsInOrderWithTheirTopic() {
    Readiness.Check check =
        probe(new FeedAssignment.Membership(true, "m-1", Set.of(5, 0, 3), Set.of(), 6)).check();

    assertThat(check)
        .isEqualTo(
            new Readiness.Check(
                "poller-group",
                true,
                "in group wire-ingest-pollers, partitions [0, 3, 5] of wire.feed-state.v1"));
  }

  // Found on a real poll process: /health/ready said up, "in group
  // wire-ingest-pollers, feed-state partitions []", while the poller was still reading the states
  // of the six partitions it had just been given and polled no feed.
  @Test
  void shouldBeDownWhileItsFirstPartitionsAreRestored() {
    Readiness.Check check =
        probe(new FeedAssignment.Membership(true, "m-1", Set.of(), Set.of(4, 1), 6)).check();

    assertThat(check)
        .isEqualTo(
            new Readiness.Check(
                "poller-group",
                false,
                "in group wire-ingest-pollers, restoring the feed states of partitions [1, 4] of"
                    + " wire.feed-state.v1: polling no feed yet"));
  }

  @Test
  void shouldStayUpWhileRestoringPartitionsAddedToThoseItPolls() {
    Readiness.Check check =
        probe(new FeedAssignment.Membership(true, "m-1", Set.of(0), Set.of(3), 6)).check();

    assertThat(check)
        .isEqualTo(
            new Readiness.Check(
                "poller-group",
                true,
                "in group wire-ingest-pollers, partitions [0] of wire.feed-state.v1, restoring the"
                    + " feed states of [3]"));
  }
}
