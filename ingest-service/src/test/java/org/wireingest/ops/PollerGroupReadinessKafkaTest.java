package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.Topics;
import org.wireingest.parse.FeedParser;
import org.wireingest.poll.FeedAssignment;
import org.wireingest.poll.FeedPoller;
import org.wireingest.poll.KafkaPollSink;
import org.wireingest.poll.PollScheduler;
import org.wireingest.testing.Await;
import org.wireingest.testing.KafkaBrokerExtension;

/**
 * The {@code poller-group} readiness of a poller that holds no feed-state partition, on a real
 * broker: a standby in a group with more pollers than partitions is ready; a poller given nothing
 * while partitions are held by no one (the first round of a cooperative rebalance) is not.
 */
@Tag("integration")
class PollerGroupReadinessKafkaTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final AtomicInteger RUN = new AtomicInteger();
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  // Found on a real run: a poller with an empty assignment was "up, feed-state partitions []"
  // whether it was a standby or still waiting for its share.
  @Test
  void shouldBeReadyAsAStandbyWhenTheOtherPollersHoldEveryPartition() throws Exception {
    int run = RUN.incrementAndGet();
    Topics topics = new Topics("prg" + run + ".");
    String group = "prg-pollers-" + run;
    // one feed-state partition: the second poller of the group has nothing to poll
    TopicAdmin.ensureTopics(KAFKA.admin(), topics.all(1), Duration.ofSeconds(30));
    FeedAssignment a = poller(topics, group);
    Readiness.Probe probeA = probe(group, topics, a);
    Await.until("poller a ready", Duration.ofSeconds(60), () -> probeA.check().up());
    assertThat(probeA.check().detail())
        .isEqualTo("in group " + group + ", partitions [0] of " + topics.feedState());

    FeedAssignment b = poller(topics, group);
    Readiness.Probe probeB = probe(group, topics, b);
    Await.until(
        "poller b ready as a standby",
        Duration.ofSeconds(60),
        () -> b.joined() && probeB.check().up());

    assertThat(b.ownedPartitions()).isEmpty();
    assertThat(probeB.check().detail())
        .isEqualTo(
            "in group "
                + group
                + ", a standby: its 1 other poller holds all 1 partition of "
                + topics.feedState());
  }

  @Test
  void shouldNotBeReadyWithNoPartitionWhileOthersHoldNotEveryPartition() {
    int run = RUN.incrementAndGet();
    String group = "prg-nobody-" + run;
    // a member given nothing, in a group whose coordinator lists no assignment (a rebalance)
    FeedAssignment.Membership m = new FeedAssignment.Membership(true, "m-1", Set.of(), Set.of(), 3);

    Readiness.Check check =
        KafkaProbes.pollerGroup(KAFKA.admin(), group, "prg.feed-state.v1", () -> m, TIMEOUT)
            .check();

    assertThat(check)
        .isEqualTo(
            new Readiness.Check(
                "poller-group",
                false,
                "in group "
                    + group
                    + ", no partition of prg.feed-state.v1 assigned yet: [0, 1, 2] of the 3 are"
                    + " held by no other poller (a rebalance is under way)"));
  }

  private Readiness.Probe probe(String group, Topics topics, FeedAssignment a) {
    return KafkaProbes.pollerGroup(
        KAFKA.admin(), group, topics.feedState(), a::membership, TIMEOUT);
  }

  private FeedAssignment poller(Topics topics, String group) {
    Map<String, Object> client = Map.of("bootstrap.servers", KAFKA.bootstrapServers());
    KafkaPollSink sink = new KafkaPollSink(client, topics, Duration.ofSeconds(30));
    open.add(sink);
    PollScheduler scheduler =
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
            r -> {});
    open.add(scheduler);
    scheduler.start();
    FeedAssignment a =
        new FeedAssignment(
            client, topics.feedState(), group, Duration.ofSeconds(6), List.of(), scheduler);
    open.add(a);
    a.start();
    return a;
  }
}
