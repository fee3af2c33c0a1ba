package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.Topics;
import org.wireingest.model.FeedState;
import org.wireingest.parse.FeedParser;
import org.wireingest.testing.Await;
import org.wireingest.testing.KafkaBrokerExtension;

/**
 * Two pollers in one consumer group on a real broker share the feeds, and hand them over with their
 * states.
 */
class FeedAssignmentIntegrationTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final AtomicInteger RUN = new AtomicInteger();
  private static final int PARTITIONS = 4;
  private static final int FEEDS = 16;

  @TempDir Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();

  /** Polls per source id, by poller name. */
  private final Map<String, Map<String, AtomicInteger>> polls = new ConcurrentHashMap<>();

  /** The state each feed had after its last poll, whoever polled it. */
  private final Map<String, FeedState> lastState = new ConcurrentHashMap<>();

  private Topics topics;
  private String group;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void shouldPollEveryFeedByExactlyOnePoller() throws Exception {
    List<FeedSource> feeds = setUp(FEEDS);
    Poller a = poller("a", feeds);
    Poller b = poller("b", feeds);

    await(
        () ->
            a.assignment.ownedPartitions().size() + b.assignment.ownedPartitions().size()
                    == PARTITIONS
                && !a.assignment.ownedPartitions().isEmpty()
                && !b.assignment.ownedPartitions().isEmpty()
                && polledIds().size() == FEEDS);

    assertThat(Set.copyOf(a.assignment.ownedPartitions()))
        .doesNotContainAnyElementsOf(b.assignment.ownedPartitions());
    assertThat(totalPolls())
        .as("polls per feed")
        .containsOnlyKeys(ids(feeds))
        .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    assertThat(ids(a.scheduler.feeds())).doesNotContainAnyElementsOf(ids(b.scheduler.feeds()));
    assertThat(a.scheduler.feeds().size() + b.scheduler.feeds().size()).isEqualTo(FEEDS);
  }

  // Found in an ops test: the consumer threw a non-Kafka exception (a
  // CorrelationIdMismatchException
  // after a TCP self-connect while the broker was down); the assignment loop ended, and the poller
  // stayed up polling no feed, for good.
  @Test
  void shouldJoinTheGroupAgainAndPollItsFeedsAfterTheConsumerFails() throws Exception {
    List<FeedSource> feeds = setUp(4);
    AtomicBoolean fail = new AtomicBoolean();
    AtomicInteger consumers = new AtomicInteger();
    Poller a =
        poller(
            "a",
            feeds,
            true,
            p -> {
              consumers.incrementAndGet();
              return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer()) {
                @Override
                public ConsumerRecords<String, byte[]> poll(Duration timeout) {
                  if (fail.compareAndSet(true, false)) {
                    throw new IllegalStateException(
                        "Correlation id for response (1) does not match request (2)");
                  }
                  return super.poll(timeout);
                }
              };
            });
    await(() -> a.assignment.ownedPartitions().size() == PARTITIONS && polledIds().size() == 4);

    fail.set(true);
    await(() -> consumers.get() == 2);
    await(
        () ->
            a.assignment.joined()
                && a.assignment.ownedPartitions().size() == PARTITIONS
                && a.scheduler.feeds().size() == 4);

    assertThat(ids(a.scheduler.feeds())).containsExactlyInAnyOrderElementsOf(ids(feeds));
    for (FeedSource f : feeds) {
      assertThat(a.scheduler.state(f.id()))
          .as("state of %s restored on rejoining", f.id())
          .isEqualTo(lastState.get(f.id()));
    }
    assertThat(totalPolls())
        .as("restored feeds are not due again yet")
        .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
  }

  @Test
  void shouldHandAClosedPollersFeedsToTheOtherWithTheirStates() throws Exception {
    List<FeedSource> feeds = setUp(FEEDS);
    Poller a = poller("a", feeds);
    Poller b = poller("b", feeds);
    await(
        () ->
            !a.assignment.ownedPartitions().isEmpty()
                && !b.assignment.ownedPartitions().isEmpty()
                && polledIds().size() == FEEDS);
    List<String> fromA = ids(a.scheduler.feeds());
    assertThat(fromA).isNotEmpty();

    a.close();
    // the membership names the partitions a moment before the scheduler is given their feeds
    await(
        () ->
            b.assignment.ownedPartitions().size() == PARTITIONS
                && b.scheduler.feeds().size() == feeds.size());

    assertThat(ids(b.scheduler.feeds())).containsExactlyInAnyOrderElementsOf(ids(feeds));
    for (String id : fromA) {
      assertThat(b.scheduler.state(id))
          .as("state of %s taken over", id)
          .isEqualTo(lastState.get(id));
      assertThat(b.scheduler.state(id).bodySha256()).isNotNull();
    }
    assertThat(totalPolls())
        .as("taken-over feeds are not due again yet")
        .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
  }

  // Found in a new-user test: a poller stopped with SIGTERM while a fetch was running lost its
  // group
  // membership (the classic consumer stops heartbeating before it revokes) once the fetch outlasted
  // the session timeout, so another poller took the feed, fetched and published it again.
  @Test
  void shouldFinishARunningPollBeforeAClosedPollerHandsItsFeedOver() throws Exception {
    List<FeedSource> feeds = setUp(3);
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/slow.xml",
        exchange -> {
          requests.incrementAndGet();
          mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          try {
            Thread.sleep(10_000); // longer than the 6 s session timeout
            byte[] body = Files.readAllBytes(writeFeed("slow"));
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          } catch (Exception e) {
            exchange.sendResponseHeaders(500, -1);
          } finally {
            inFlight.decrementAndGet();
            exchange.close();
          }
        });
    server.start();
    open.add(() -> server.stop(0));
    List<FeedSource> withSlow = new ArrayList<>(feeds);
    withSlow.add(
        TestFeeds.feed("slow")
            .url("http://127.0.0.1:" + server.getAddress().getPort() + "/slow.xml")
            .interval(Duration.ofMinutes(10))
            .build());
    Poller a = poller("a", feeds);
    Poller b = poller("b", feeds);
    await(
        () ->
            !a.assignment.ownedPartitions().isEmpty()
                && !b.assignment.ownedPartitions().isEmpty()
                && polledIds().size() == feeds.size());
    a.assignment.updateFeeds(
        withSlow); // added once the group has settled: no rebalance moves it mid-poll
    b.assignment.updateFeeds(withSlow);
    await(() -> requests.get() == 1 && inFlight.get() == 1);
    Poller slowOwner = ids(a.scheduler.feeds()).contains("slow") ? a : b;
    Poller other = slowOwner == a ? b : a;

    Thread closing = new Thread(slowOwner::close);
    closing.start();
    await(() -> other.assignment.ownedPartitions().size() == PARTITIONS);
    closing.join(60_000);
    await(() -> other.scheduler.plannedPoll("slow") != null);

    // Taken over without its state, the feed would be due at once (within 5 s), and polled again.
    assertThat(other.scheduler.plannedPoll("slow"))
        .as("the taken-over feed's next poll, after its 10 min interval")
        .isAfter(Instant.now().plus(Duration.ofMinutes(5)));
    assertThat(mostAtOnce.get()).as("requests for the slow feed at once").isEqualTo(1);
    assertThat(requests.get()).as("requests for the slow feed").isEqualTo(1);
    assertThat(other.scheduler.state("slow"))
        .as("the slow poll's state, handed over")
        .isEqualTo(lastState.get("slow"));
    assertThat(other.scheduler.state("slow").bodySha256()).isNotNull();
  }

  @Test
  void shouldGiveAFeedAddedToTheListToExactlyOnePoller() throws Exception {
    List<FeedSource> feeds = setUp(FEEDS);
    Poller a = poller("a", feeds);
    Poller b = poller("b", feeds);
    await(
        () ->
            !a.assignment.ownedPartitions().isEmpty()
                && !b.assignment.ownedPartitions().isEmpty()
                && polledIds().size() == FEEDS);

    List<FeedSource> more = new ArrayList<>(feeds);
    more.add(feed("added", writeFeed("added")));
    a.assignment.updateFeeds(more);
    b.assignment.updateFeeds(more);
    await(() -> polledIds().contains("added"));

    assertThat(ids(a.scheduler.feeds()).contains("added"))
        .isNotEqualTo(ids(b.scheduler.feeds()).contains("added"));
    assertThat(totalPolls()).containsEntry("added", 1);
  }

  @Test
  void shouldHoldNoCopyOfTheStatesOfTheFeedsItPolls() throws Exception {
    List<FeedSource> feeds = setUp(FEEDS);
    Poller a = poller("a", feeds);
    await(() -> a.assignment.ownedPartitions().size() == PARTITIONS && polledIds().size() == FEEDS);
    // a second cycle of state writes, read back by the assignment consumer
    a.scheduler.pollOnce();
    // each state write was acknowledged; the producer is not transactional: one offset a record
    long written =
        TopicAdmin.offsetCount(KAFKA.admin(), topics.feedState(), Duration.ofSeconds(30))
            .orElseThrow();
    await(() -> a.assignment.recordsRead() >= written);

    assertThat(written).as("two cycles of state writes").isEqualTo(2L * FEEDS);
    assertThat(a.assignment.statesKept()).isZero();
  }

  @Test
  void shouldRestoreTheStateOfAFeedRemovedFromTheListAndAddedBack() throws Exception {
    List<FeedSource> feeds = setUp(4);
    Poller a = poller("a", feeds);
    await(() -> a.assignment.ownedPartitions().size() == PARTITIONS && polledIds().size() == 4);
    FeedState last = lastState.get("feed-0");

    a.assignment.updateFeeds(feeds.subList(1, 4));
    await(() -> !ids(a.scheduler.feeds()).contains("feed-0"));
    assertThat(a.scheduler.state("feed-0")).isNull();
    await(() -> a.assignment.statesKept() == 1);
    a.assignment.updateFeeds(feeds);
    await(() -> ids(a.scheduler.feeds()).contains("feed-0"));

    assertThat(a.scheduler.state("feed-0")).isEqualTo(last);
    await(() -> a.assignment.statesKept() == 0);
    assertThat(totalPolls())
        .as("the feed came back with its next poll time: not due again yet")
        .containsEntry("feed-0", 1);
  }

  @Test
  void shouldApplyAFeedsListChangeMadeBeforeTheFirstAssignment() throws Exception {
    // Regression: a feeds-list change applied before the poller had any partition computed
    // partitionOf(id, 0) (a division by zero), which stopped the feed assignment for good.
    List<FeedSource> feeds = setUp(4);
    Poller a = poller("a", feeds.subList(0, 2), false);
    a.assignment.updateFeeds(feeds);
    a.assignment.start();

    await(() -> polledIds().size() == 4);

    assertThat(ids(a.scheduler.feeds())).containsExactlyInAnyOrderElementsOf(ids(feeds));
  }

  @Test
  void shouldPlaceAFeedInThePartitionTheProducerWritesItsStateTo() {
    // The producer's default partitioner for a keyed record: toPositive(murmur2(key)) % partitions.
    for (String id : List.of("trtworld-main", "aa-en", "dw-top", "x")) {
      byte[] key = id.getBytes(StandardCharsets.UTF_8);
      assertThat(FeedAssignment.partitionOf(id, 7))
          .isEqualTo(BuiltInPartitioner.partitionForKey(key, 7));
    }
  }

  private List<FeedSource> setUp(int n) throws Exception {
    int run = RUN.incrementAndGet();
    topics = new Topics("fa" + run + ".");
    group = "pollers-" + run;
    TopicAdmin.ensureTopics(KAFKA.admin(), topics.all(PARTITIONS), Duration.ofSeconds(30));
    List<FeedSource> feeds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      feeds.add(feed("feed-" + i, writeFeed("feed-" + i)));
    }
    return feeds;
  }

  private Path writeFeed(String id) throws Exception {
    Path f = dir.resolve(id + ".xml");
    Files.writeString(
        f,
        "<rss version=\"2.0\"><channel><title>"
            + id
            + "</title><link>https://example.org/</link><description>d</description>"
            + "<item><title>Story of "
            + id
            + "</title><link>https://example.org/"
            + id
            + "/1</link><guid>"
            + id
            + "-1</guid>"
            + "<pubDate>Mon, 30 Nov 2026 06:00:00 GMT</pubDate></item></channel></rss>",
        StandardCharsets.UTF_8);
    return f;
  }

  private static FeedSource feed(String id, Path file) {
    return TestFeeds.feed(id).url(file.toUri()).interval(Duration.ofMinutes(10)).build();
  }

  private Poller poller(String name, List<FeedSource> feeds) {
    return poller(name, feeds, true);
  }

  private Poller poller(String name, List<FeedSource> feeds, boolean start) {
    return poller(
        name,
        feeds,
        start,
        p -> new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer()));
  }

  private Poller poller(
      String name,
      List<FeedSource> feeds,
      boolean start,
      Function<Map<String, Object>, Consumer<String, byte[]>> consumers) {
    Map<String, Object> client = Map.of("bootstrap.servers", KAFKA.bootstrapServers());
    KafkaPollSink sink = new KafkaPollSink(client, topics, Duration.ofSeconds(30));
    FeedPoller feedPoller =
        new FeedPoller(
            new FeedFetcher(FetchSettings.defaults().withAllowPrivateAddresses(true)),
            new FeedParser(),
            sink,
            Clock.systemUTC());
    PollScheduler scheduler =
        new PollScheduler(
            List.of(),
            Map.of(),
            feedPoller,
            4,
            Clock.systemUTC(),
            r -> {
              polls
                  .computeIfAbsent(name, k -> new ConcurrentHashMap<>())
                  .computeIfAbsent(r.sourceId(), k -> new AtomicInteger())
                  .incrementAndGet();
              lastState.put(r.sourceId(), r.state());
            });
    scheduler.start();
    FeedAssignment assignment =
        new FeedAssignment(
            client, topics.feedState(), group, Duration.ofSeconds(6), feeds, scheduler, consumers);
    if (start) {
      assignment.start();
    }
    Poller p = new Poller(scheduler, assignment, sink);
    open.add(p);
    return p;
  }

  private Set<String> polledIds() {
    return totalPolls().keySet();
  }

  private Map<String, Integer> totalPolls() {
    return polls.values().stream()
        .flatMap(m -> m.entrySet().stream())
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(), Integer::sum));
  }

  private static List<String> ids(List<FeedSource> feeds) {
    return feeds.stream().map(FeedSource::id).toList();
  }

  /** Waits for a condition that the group protocol reaches in a few seconds; fails after 60 s. */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    Await.until("the group's condition", Duration.ofSeconds(60), condition);
  }

  private record Poller(PollScheduler scheduler, FeedAssignment assignment, KafkaPollSink sink)
      implements AutoCloseable {
    @Override
    public void close() {
      assignment.close();
      scheduler.close();
      sink.close();
    }
  }
}
