package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.Topics;
import org.wireingest.model.FeedState;
import org.wireingest.testing.KafkaBrokerExtension;

/**
 * On a real broker: the state of a feed listing tens of thousands of entries is stored, or refused
 * with a clear reason; a sink whose producer failed fatally goes on writing through a new one.
 */
class KafkaPollSinkIntegrationTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final AtomicInteger RUN = new AtomicInteger();

  @Test
  void shouldStoreAndReadBackTheStateOfAFeedListingFiftyThousandEntries() throws Exception {
    Topics topics = topics();
    FeedState state = stateWithEntries("huge-archive", 50_000);
    try (KafkaPollSink sink =
        new KafkaPollSink(KAFKA.clientProperties(), topics, Duration.ofSeconds(30))) {
      sink.saveState(state);
    }

    Map<String, FeedState> read =
        FeedStateReader.readAll(
            KAFKA.clientProperties(), topics.feedState(), Duration.ofSeconds(30));

    assertThat(read.get("huge-archive").entries()).hasSize(50_000).isEqualTo(state.entries());
    assertThat(read.get("huge-archive").firstSeen()).isEqualTo(state.firstSeen());
  }

  @Test
  void shouldNameTheSizeAndTheEntriesOfAStateOverTheLimit() throws Exception {
    Topics topics = topics();
    FeedState state = stateWithEntries("too-huge", 110_000);
    try (KafkaPollSink sink =
        new KafkaPollSink(KAFKA.clientProperties(), topics, Duration.ofSeconds(30))) {
      assertThatThrownBy(() -> sink.saveState(state))
          .isInstanceOf(PollSink.PublishException.class)
          .hasMessageContaining("feed state of too-huge")
          .hasMessageContaining("110000 entries")
          .hasMessageContaining(
              "over the "
                  + KafkaPollSink.MAX_STATE_BYTES
                  + "-byte limit of feed states in "
                  + topics.feedState());
    }
  }

  // From a review: a state just under the topic's limit passed the check, then the producer
  // refused it for the key and headers, and the error said to raise a limit already at 16 MiB.
  @Test
  void shouldRefuseAStateJustUnderTheTopicsLimitWithTheSizeNotTheTopicHint() throws Exception {
    Topics topics = topics();
    FeedState state = stateWithEntries("edge", 1);
    String padding = "x".repeat(Topics.FEED_STATE_MAX_MESSAGE_BYTES - 1_000);
    FeedState large =
        FeedState.initial(state.sourceId(), state.feedUrl()).toBuilder()
            .etag(state.etag())
            .lastModified(state.lastModified())
            .bodySha256(state.bodySha256())
            .entries(state.entries())
            .firstSeen(state.firstSeen())
            .lastFetchAt(state.lastFetchAt())
            .lastSuccessAt(state.lastSuccessAt())
            .lastNewEntryAt(state.lastNewEntryAt())
            .lastError(padding)
            .nextPollAt(state.nextPollAt())
            .build();
    try (KafkaPollSink sink =
        new KafkaPollSink(KAFKA.clientProperties(), topics, Duration.ofSeconds(30))) {
      assertThatThrownBy(() -> sink.saveState(large))
          .isInstanceOf(PollSink.PublishException.class)
          .hasMessageContaining("-byte limit of feed states in")
          .hasMessageNotContaining("kafka-configs");
    }
  }

  @Test
  void shouldSayHowToRaiseTheLimitOfAFeedStateTopicCreatedWithTheFormerTwoMebibytes()
      throws Exception {
    Topics topics = new Topics("old" + RUN.incrementAndGet() + ".");
    createFeedStateTopicOfTwoMebibytes(topics);
    FeedState state = stateWithEntries("grown", 20_000);
    try (KafkaPollSink sink =
        new KafkaPollSink(KAFKA.clientProperties(), topics, Duration.ofSeconds(30))) {
      assertThatThrownBy(() -> sink.saveState(state))
          .isInstanceOf(PollSink.PublishException.class)
          .hasCauseInstanceOf(RecordTooLargeException.class)
          .hasMessageContaining("20000 entries")
          .hasMessageContaining(
              "--entity-name "
                  + topics.feedState()
                  + " --add-config max.message.bytes="
                  + Topics.FEED_STATE_MAX_MESSAGE_BYTES);
    }
  }

  @Test
  void shouldSayWritesAreFailingWhileTheBrokerRefusesThemUntilItTakesOne() throws Exception {
    // the broker refuses a state over its feed-state topic's max.message.bytes (2 MiB, as topics
    // created before 2026-12 have it) and takes a small one
    Topics topics = new Topics("refusing" + RUN.incrementAndGet() + ".");
    createFeedStateTopicOfTwoMebibytes(topics);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaPollSink sink =
            new KafkaPollSink(KAFKA.clientProperties(), topics, Duration.ofSeconds(30));
        AutoCloseable metrics = sink.bindMetrics(registry)) {
      assertThatThrownBy(() -> sink.saveState(stateWithEntries("grown", 20_000)))
          .hasCauseInstanceOf(RecordTooLargeException.class);
      assertThat(registry.get("wire.poller.kafka.write.failing").gauge().value()).isEqualTo(1);

      sink.saveState(stateWithEntries("small", 3));
      assertThat(registry.get("wire.poller.kafka.write.failing").gauge().value()).isZero();
      assertThat(registry.get("wire.poller.kafka.write.failure.streaks").functionCounter().count())
          .isEqualTo(1);
    }
  }

  @Test
  void shouldKeepWritingAfterItsProducerFailedFatally() throws Exception {
    Topics topics = topics();
    Supplier<Producer<String, byte[]>> real =
        KafkaPollSink.producers(
            KafkaPollSink.producerProperties(KAFKA.clientProperties(), Duration.ofSeconds(30)));
    List<Producer<String, byte[]>> made = new CopyOnWriteArrayList<>();
    Supplier<Producer<String, byte[]>> producers =
        () -> {
          Producer<String, byte[]> p = real.get();
          made.add(p);
          return p;
        };
    FeedState before = stateWithEntries("before", 3);
    FeedState after = stateWithEntries("after", 3);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaPollSink sink = new KafkaPollSink(producers, topics, Duration.ofSeconds(30))) {
      sink.bindMetrics(registry);
      sink.saveState(before);
      failFatally(
          made.get(0), new ClusterAuthorizationException("Cluster authorization failed (test)."));

      // the write that meets the fatal state fails its poll; the poll's retry is written
      assertThatThrownBy(() -> sink.saveState(after))
          .isInstanceOf(PollSink.PublishException.class)
          .hasRootCauseInstanceOf(ClusterAuthorizationException.class);
      KafkaPollSinkTest.awaitNewProducers(registry, 1);
      sink.saveState(after);
    }

    Map<String, FeedState> read =
        FeedStateReader.readAll(
            KAFKA.clientProperties(), topics.feedState(), Duration.ofSeconds(30));
    assertThat(read).containsOnlyKeys("before", "after");
    assertThat(read.get("after").entries()).isEqualTo(after.entries());
    assertThat(made).hasSize(2);
  }

  /**
   * Regression: the new producer has the failed one's {@code client.id}, so the same JMX names
   * ({@code kafka.producer:type=app-info,id=...}, {@code type=producer-metrics,client-id=...}).
   * Made while the failed one still closed in the background, it found them taken (kafka-clients
   * 4.3 logs "already exists, so skipping" for app-info) and the failed one's close then removed
   * them by name: the producer in use had no JMX beans left for as long as it ran.
   */
  @Test
  void shouldKeepTheNewProducersJmxBeansOnceTheFailedOneIsClosed() throws Exception {
    Topics topics = topics();
    String clientId = "wire-ingest-poller-jmx-" + RUN.incrementAndGet();
    Map<String, Object> client = new HashMap<>(KAFKA.clientProperties());
    client.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    Supplier<Producer<String, byte[]>> real =
        KafkaPollSink.producers(KafkaPollSink.producerProperties(client, Duration.ofSeconds(30)));
    List<Producer<String, byte[]>> made = new CopyOnWriteArrayList<>();
    CountDownLatch firstClosed = new CountDownLatch(1);
    Supplier<Producer<String, byte[]>> producers =
        () -> {
          Producer<String, byte[]> p = real.get();
          made.add(p);
          return closing(p, made.size() == 1 ? firstClosed : new CountDownLatch(1));
        };
    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    ObjectName appInfo = new ObjectName("kafka.producer:type=app-info,id=" + clientId);
    ObjectName metrics =
        new ObjectName("kafka.producer:type=producer-metrics,client-id=" + clientId);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaPollSink sink = new KafkaPollSink(producers, topics, Duration.ofSeconds(30))) {
      sink.bindMetrics(registry);
      sink.saveState(stateWithEntries("before", 1));
      failFatally(
          made.get(0), new ClusterAuthorizationException("Cluster authorization failed (test)."));
      assertThatThrownBy(() -> sink.saveState(stateWithEntries("after", 1)))
          .isInstanceOf(PollSink.PublishException.class);
      assertThat(firstClosed.await(30, TimeUnit.SECONDS)).isTrue();
      KafkaPollSinkTest.awaitNewProducers(registry, 1);

      sink.saveState(stateWithEntries("after", 1));

      assertThat(made).hasSize(2);
      assertThat(jmx.isRegistered(appInfo)).as("app-info of the producer in use").isTrue();
      assertThat(jmx.isRegistered(metrics)).as("metrics of the producer in use").isTrue();
    }
  }

  /** {@code producer}, counting {@code closed} down once a close of it has returned. */
  @SuppressWarnings("unchecked")
  private static Producer<String, byte[]> closing(
      Producer<String, byte[]> producer, CountDownLatch closed) {
    return (Producer<String, byte[]>)
        Proxy.newProxyInstance(
            Producer.class.getClassLoader(),
            new Class<?>[] {Producer.class},
            (proxy, method, args) -> {
              try {
                return method.invoke(producer, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              } finally {
                if (method.getName().equals("close")) {
                  closed.countDown();
                }
              }
            });
  }

  /**
   * Puts a {@link KafkaProducer} in the fatal state its idempotence bookkeeping enters when the
   * broker refuses its producer id (no {@code IdempotentWrite} ACL: this broker has no authorizer),
   * as kafka-clients 4.3 does it: every later send throws.
   */
  private static void failFatally(Producer<String, byte[]> producer, RuntimeException error)
      throws ReflectiveOperationException {
    Field field = KafkaProducer.class.getDeclaredField("transactionManager");
    field.setAccessible(true);
    Object transactionManager = field.get(producer);
    Method transition =
        transactionManager
            .getClass()
            .getDeclaredMethod("transitionToFatalError", RuntimeException.class);
    transition.setAccessible(true);
    transition.invoke(transactionManager, error);
  }

  private static Topics topics() {
    Topics topics = new Topics("big" + RUN.incrementAndGet() + ".");
    TopicAdmin.ensureTopics(KAFKA.admin(), topics.all(1), Duration.ofSeconds(30));
    return topics;
  }

  /**
   * A state as the poller writes it for a feed of {@code n} entries: 32-hex item keys, SHA-256
   * entry hashes, first-seen times.
   */
  private static FeedState stateWithEntries(String sourceId, int n) {
    Random random = new Random(n);
    Map<String, String> entries = new HashMap<>();
    Map<String, Instant> firstSeen = new HashMap<>();
    Instant start = Instant.parse("2026-11-30T06:00:00.123Z");
    for (int i = 0; i < n; i++) {
      byte[] key = new byte[16];
      byte[] hash = new byte[32];
      random.nextBytes(key);
      random.nextBytes(hash);
      String itemKey = HexFormat.of().formatHex(key);
      entries.put(itemKey, HexFormat.of().formatHex(hash));
      firstSeen.put(itemKey, start.plusMillis(37L * i));
    }
    FeedState initial = FeedState.initial(sourceId, "https://archive.example/" + sourceId + ".xml");
    return FeedState.initial(initial.sourceId(), initial.feedUrl()).toBuilder()
        .etag("\"v1\"")
        .bodySha256(HexFormat.of().formatHex(new byte[32]))
        .entries(entries)
        .firstSeen(firstSeen)
        .lastFetchAt(start)
        .lastSuccessAt(start)
        .lastNewEntryAt(start)
        .nextPollAt(start.plusSeconds(60))
        .build();
  }

  /**
   * Creates {@code topics}' feed-state topic as topics created before 2026-12 have it: compacted,
   * records of at most 2 MiB.
   */
  private static void createFeedStateTopicOfTwoMebibytes(Topics topics) throws Exception {
    KAFKA
        .admin()
        .createTopics(
            List.of(
                new NewTopic(topics.feedState(), 1, (short) 1)
                    .configs(
                        Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                            Integer.toString(2 * 1024 * 1024)))))
        .all()
        .get();
  }
}
