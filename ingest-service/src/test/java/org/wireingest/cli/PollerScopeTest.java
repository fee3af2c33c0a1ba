package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.wireingest.poll.FeedAssignment;

/** The scope line a grouped poller shows on its status page and in {@code /api/feeds}. */
class PollerScopeTest {

  // Found in a review: with several topic prefixes, "feed-state partitions [0, 3]" did not say
  // which topic's; the poller-group readiness detail names it, and so does the scope.
  @Test
  void shouldNameTheShareOfAPollerInItsGroup() {
    assertThat(
            ServiceCommand.pollerScope(
                member(Set.of(3, 0), Set.of()),
                "wire-ingest-pollers",
                "wire.feed-state.v1",
                Path.of("feeds.yaml"),
                null))
        .isEqualTo(
            "This poller's share of the feeds list: the feeds of partitions [0, 3] of wire.feed-state.v1, in consumer group wire-ingest-pollers.");
    assertThat(
            ServiceCommand.pollerScope(
                FeedAssignment.Membership.NONE,
                "wire-ingest-pollers",
                "wire.feed-state.v1",
                Path.of("feeds.yaml"),
                null))
        .isEqualTo("Joining consumer group wire-ingest-pollers: no feeds assigned yet.");
  }

  // Found on a real run: a poller given no partition, or still reading the states of those it was
  // given, showed "the feeds of feed-state partitions []".
  @Test
  void shouldSayAPollerWithoutPartitionsPollsNoFeed() {
    assertThat(
            ServiceCommand.pollerScope(
                member(Set.of(), Set.of(2, 1)),
                "g",
                "wire.feed-state.v1",
                Path.of("feeds.yaml"),
                null))
        .isEqualTo(
            "In consumer group g: reading the feed states of partitions [1, 2] of wire.feed-state.v1"
                + " before polling their feeds.");
    assertThat(
            ServiceCommand.pollerScope(
                member(Set.of(), Set.of()), "g", "wire.feed-state.v1", Path.of("feeds.yaml"), null))
        .isEqualTo(
            "In consumer group g, this poller holds no partition of wire.feed-state.v1 now, so it"
                + " polls no feed (see /health/ready: a standby, or a rebalance under way).");
  }

  private static FeedAssignment.Membership member(Set<Integer> owned, Set<Integer> restoring) {
    return new FeedAssignment.Membership(true, "m-1", owned, restoring, 6);
  }

  // Found in a new-user test: a refused feeds-list change showed only in the log. A review found
  // that its message may quote a URL with credentials, which the log redacts and a page must too.
  @Test
  void shouldNameARefusedFeedsListChangeWithoutItsCredentials() {
    String problem =
        "source #2 (id 'one'): field 'url': scheme must be http, https or file (got 'ftp://alice:s3cr3t@example.org/one?token=abc123')";

    String scope =
        ServiceCommand.pollerScope(
            member(Set.of(1), Set.of()),
            "g",
            "wire.feed-state.v1",
            Path.of("/etc/wire/feeds.yaml"),
            problem);

    assertThat(scope)
        .startsWith(
            "This poller's share of the feeds list: the feeds of partitions [1] of wire.feed-state.v1, in consumer group g. ")
        .contains(
            "The feeds list /etc/wire/feeds.yaml was changed but is not valid, so its last valid version is still polled: source #2 (id 'one')")
        .doesNotContain("s3cr3t")
        .doesNotContain("abc123");
  }
}
