package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scope line a grouped poller shows on its status page and in {@code /api/feeds}. */
class PollerScopeTest {

  @Test
  void shouldNameTheShareOfAPollerInItsGroup() {
    assertThat(
            ServiceCommand.pollerScope(
                true, Set.of(3, 0), "wire-ingest-pollers", Path.of("feeds.yaml"), null))
        .isEqualTo(
            "This poller's share of the feeds list: the feeds of feed-state partitions [0, 3], in consumer group wire-ingest-pollers.");
    assertThat(
            ServiceCommand.pollerScope(
                false, Set.of(), "wire-ingest-pollers", Path.of("feeds.yaml"), null))
        .isEqualTo("Joining consumer group wire-ingest-pollers: no feeds assigned yet.");
  }

  // Found in a new-user trial: a refused feeds-list change showed only in the log. A review found
  // that its message may quote a URL with credentials, which the log redacts and a page must too.
  @Test
  void shouldNameARefusedFeedsListChangeWithoutItsCredentials() {
    String problem =
        "source #2 (id 'one'): field 'url': scheme must be http, https or file (got 'ftp://alice:s3cr3t@example.org/one?token=abc123')";

    String scope =
        ServiceCommand.pollerScope(true, Set.of(1), "g", Path.of("/etc/wire/feeds.yaml"), problem);

    assertThat(scope)
        .startsWith(
            "This poller's share of the feeds list: the feeds of feed-state partitions [1], in consumer group g. ")
        .contains(
            "The feeds list /etc/wire/feeds.yaml was changed but is not valid, so its last valid version is still polled: source #2 (id 'one')")
        .doesNotContain("s3cr3t")
        .doesNotContain("abc123");
  }
}
