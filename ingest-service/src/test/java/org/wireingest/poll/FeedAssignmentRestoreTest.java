package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.parse.FeedParser;
import org.wireingest.testing.Await;

/** {@link FeedAssignment}: the feed states of an assigned partition are restored, then polled. */
class FeedAssignmentRestoreTest {

  private static final String TOPIC = "wire.feed-state.v1";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

  // Found in a review: the consumer rethrows what the assignment callback throws (here the end
  // offsets' TimeoutException while a broker does not answer) after the assignment has taken
  // effect. The poll loop retried the poll, but the partition was never restored, so its feeds went
  // unpolled until the next rebalance, with the poller still a member holding it.
  @Test
  void shouldRestoreAPartitionWhoseEndOffsetsFailedWhenItWasAssigned() throws Exception {
    FeedSource feed = TestFeeds.feed("one").build();
    AtomicInteger endOffsetCalls = new AtomicInteger();
    MockConsumer<String, byte[]> consumer =
        new MockConsumer<>("earliest") {
          @Override
          public synchronized Map<TopicPartition, Long> endOffsets(
              Collection<TopicPartition> partitions) {
            if (endOffsetCalls.incrementAndGet() == 1) {
              throw new TimeoutException("Failed to get offsets by times in 60000ms");
            }
            return super.endOffsets(partitions);
          }
        };
    consumer.updatePartitions(
        TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0])));
    consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    consumer.updateEndOffsets(Map.of(PARTITION, 0L));
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(PARTITION)));
    try (PollScheduler scheduler =
            new PollScheduler(
                List.of(),
                Map.of(),
                new FeedPoller(
                    new FeedFetcher(FetchSettings.defaults()),
                    new FeedParser(),
                    new InMemoryPollSink(),
                    Clock.systemUTC()),
                1,
                Clock.systemUTC(),
                r -> {});
        FeedAssignment assignment =
            new FeedAssignment(
                Map.of("bootstrap.servers", "broker.invalid:9092"),
                TOPIC,
                "pollers",
                Duration.ofSeconds(6),
                List.of(feed),
                scheduler,
                p -> consumer)) {
      assignment.start();

      // the loop waits 1 s after the failed poll, then polls again
      Await.until(
          "the feed polled here", Duration.ofSeconds(20), () -> !scheduler.feeds().isEmpty());
      assertThat(scheduler.feeds()).containsExactly(feed);
      assertThat(assignment.ownedPartitions()).containsExactly(0);
      assertThat(endOffsetCalls.get()).isEqualTo(2);
    }
  }
}
