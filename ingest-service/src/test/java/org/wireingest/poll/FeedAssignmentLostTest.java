package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;

/**
 * {@link FeedAssignment}: partitions lost (this poller's membership expired; another poller may
 * hold them already). Found in a review: their feeds' running polls were waited for, up to 90 s,
 * and wrote their states after the other poller had restored the partition, an older state that
 * could end up last in the compacted topic.
 */
class FeedAssignmentLostTest {

  private static final String TOPIC = "wire.feed-state.v1";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

  @TempDir Path dir;

  @Test
  void shouldNotWriteTheStatesOfRunningPollsOfLostPartitions() throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("one.xml"),
            "<rss version=\"2.0\"><channel><title>t</title><link>https://example.org/</link><description>d</description>"
                + "<item><title>One</title><link>https://example.org/1</link><guid>one-1</guid></item></channel></rss>");
    FeedSource feed = TestFeeds.feed("one").url(f.toUri()).interval(Duration.ofMinutes(10)).build();
    CountDownLatch publishing = new CountDownLatch(1);
    CountDownLatch letPublish = new CountDownLatch(1);
    List<FeedState> saved = new CopyOnWriteArrayList<>();
    PollSink sink =
        new PollSink() {
          @Override
          public int publish(List<RawWireItem> items) {
            publishing.countDown();
            try {
              letPublish.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return 0;
          }

          @Override
          public void saveState(FeedState state) {
            saved.add(state);
          }

          @Override
          public void logFetch(FetchLogRecord record) {}
        };
    BlockingQueue<PollResult> results = new LinkedBlockingQueue<>();
    AtomicReference<ConsumerRebalanceListener> listener = new AtomicReference<>();
    MockConsumer<String, byte[]> consumer =
        new MockConsumer<>("earliest") {
          @Override
          public synchronized void subscribe(
              Collection<String> topics, ConsumerRebalanceListener l) {
            listener.set(l);
            super.subscribe(topics, l);
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
                    sink,
                    Clock.systemUTC()),
                1,
                Clock.systemUTC(),
                results::add);
        FeedAssignment assignment =
            new FeedAssignment(
                Map.of("bootstrap.servers", "broker.invalid:9092"),
                TOPIC,
                "pollers",
                Duration.ofSeconds(6),
                List.of(feed),
                scheduler,
                p -> consumer)) {
      scheduler.start();
      assignment.start();
      assertThat(publishing.await(30, TimeUnit.SECONDS)).as("the feed's poll publishing").isTrue();

      CountDownLatch lost = new CountDownLatch(1);
      consumer.schedulePollTask(
          () -> {
            listener.get().onPartitionsLost(List.of(PARTITION));
            lost.countDown();
          });
      // the consumer thread is back from the lost partitions' release before the poll ends
      assertThat(lost.await(30, TimeUnit.SECONDS)).as("lost partitions released").isTrue();
      assertThat(scheduler.feeds()).isEmpty();
      letPublish.countDown();

      PollResult late = results.poll(30, TimeUnit.SECONDS);
      assertThat(late).isNotNull();
      assertThat(late.code()).isEqualTo(FeedPoller.HANDED_OVER);
      assertThat(saved).as("feed states written after the partition was lost").isEmpty();
    } finally {
      letPublish.countDown();
    }
  }
}
