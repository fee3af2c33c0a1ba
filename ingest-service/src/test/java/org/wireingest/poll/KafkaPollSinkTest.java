package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.kafka.Topics;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseResult;
import org.wireingest.parse.ParsedFeed;
import org.wireingest.testing.Await;
import org.wireingest.testing.LogCapture;

class KafkaPollSinkTest {

  /** Nothing listens here: building the sink must not need a broker. */
  private static final Map<String, Object> UNREACHABLE = Map.of("bootstrap.servers", "127.0.0.1:9");

  @Test
  void shouldAcceptAnAckTimeoutOfThirtySecondsOrLess() {
    // Regression: with an ack timeout of 30 s or less the constructor threw ConfigException
    // "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms":
    // delivery.timeout.ms was max(ackTimeout, 30 000), below linger.ms 5 + request.timeout.ms 30
    // 000.
    assertThatCode(
            () -> new KafkaPollSink(UNREACHABLE, Topics.defaults(), Duration.ofSeconds(30)).close())
        .doesNotThrowAnyException();
    assertThatCode(
            () -> new KafkaPollSink(UNREACHABLE, Topics.defaults(), Duration.ofSeconds(5)).close())
        .doesNotThrowAnyException();
  }

  @Test
  void shouldAcceptARequestTimeoutLongerThanTheAckTimeout() {
    Map<String, Object> slowCluster =
        Map.of("bootstrap.servers", "127.0.0.1:9", "request.timeout.ms", "90000");

    assertThatCode(
            () -> new KafkaPollSink(slowCluster, Topics.defaults(), Duration.ofSeconds(60)).close())
        .doesNotThrowAnyException();
  }

  @Test
  void shouldFailAPublishWithPublishExceptionWhenTheRawTopicsMetadataCannotBeHad() {
    // Raw items go to their uri's partition, so publishing first needs the topic's partition
    // count: without it the poll must fail like a failed send (publish-error, retried), not with
    // an exception the poll loop does not expect.
    List<RawWireItem> items = items();
    Map<String, Object> unreachable =
        Map.of("bootstrap.servers", "127.0.0.1:9", "max.block.ms", "300");

    try (KafkaPollSink sink =
        new KafkaPollSink(unreachable, Topics.defaults(), Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> sink.publish(items))
          .isInstanceOf(PollSink.PublishException.class)
          .hasMessageContaining("alpha-world")
          .hasMessageContaining("wire.raw-items.v1")
          // From an ops test: Kafka's "not present in metadata" read as a missing topic while the
          // broker was down.
          .hasMessageContaining("is Kafka reachable?")
          // Kafka's exception by its simple name (ErrorText), as the other write failures quote it
          .hasMessageContaining(": TimeoutException: ")
          .hasMessageNotContaining("org.apache.kafka");
    }
  }

  @Test
  void shouldSayTheBrokerMayBeUnreachableWhenAFeedStateCannotBeWrittenKeepingItsMaxBlockMs() {
    Map<String, Object> unreachable =
        Map.of("bootstrap.servers", "127.0.0.1:9", "max.block.ms", "300");

    try (KafkaPollSink sink =
        new KafkaPollSink(unreachable, Topics.defaults(), Duration.ofSeconds(5))) {
      assertThatThrownBy(
              () ->
                  sink.saveState(FeedState.initial("alpha-world", "https://alpha.example/rss.xml")))
          .isInstanceOf(PollSink.PublishException.class)
          .hasMessageContaining("feed state of alpha-world")
          .hasMessageContaining("is Kafka reachable?")
          // -K max.block.ms=... reaches every client: the sink bounds its own default, not the
          // user's
          .hasMessageContaining("not present in metadata after 300 ms");
    }
  }

  @Test
  void shouldFailAFeedStateWithinAboutTheAckTimeoutWhenNoBrokerAnswers() {
    // Regression: the wait for the feed-state topic's metadata was bounded by the producer's
    // max.block.ms, Kafka's default 60 s whatever the ack timeout: saveState blocked a poll thread
    // 60 s during a broker outage with a 2 s ack timeout.
    Duration ackTimeout = Duration.ofSeconds(2);

    try (KafkaPollSink sink = new KafkaPollSink(UNREACHABLE, Topics.defaults(), ackTimeout)) {
      assertTimeoutPreemptively(
          ackTimeout.multipliedBy(3),
          () ->
              assertThatThrownBy(
                      () ->
                          sink.saveState(
                              FeedState.initial("alpha-world", "https://alpha.example/rss.xml")))
                  .isInstanceOf(PollSink.PublishException.class)
                  .hasMessageContaining("feed state of alpha-world")
                  .hasMessageContaining("is Kafka reachable?"));
    }
  }

  @Test
  void shouldWaitForTheRawItemsTopicsMetadataAtMostTheAckTimeout() {
    // the raw items' sends are bounded by the poll's deadline, as the feed state's: the producer's
    // max.block.ms (the ack timeout by default, Kafka's is 60 s) ends the wait at about the same
    // time, and whichever comes first words the failure
    Duration ackTimeout = Duration.ofSeconds(2);
    List<RawWireItem> items = items();

    try (KafkaPollSink sink = new KafkaPollSink(UNREACHABLE, Topics.defaults(), ackTimeout)) {
      assertTimeoutPreemptively(
          ackTimeout.multipliedBy(3),
          () ->
              assertThatThrownBy(() -> sink.publish(items))
                  .isInstanceOf(PollSink.PublishException.class)
                  .hasMessageContaining("could not write raw items of alpha-world")
                  .hasMessageContaining("is Kafka reachable? Or the topic is missing"));
    }
  }

  @Test
  void shouldWaitForTheRawItemsTopicsMetadataAtMostTheAckTimeoutWhateverMaxBlockMsSays() {
    // Regression: the raw items were sent on the poll's thread, so -K max.block.ms=60000 let one
    // send hold the poll a minute past a 2 s ack timeout; the feed state's send was bounded already
    Duration ackTimeout = Duration.ofSeconds(2);
    Map<String, Object> longBlock = new HashMap<>(UNREACHABLE);
    longBlock.put("max.block.ms", 60_000);
    List<RawWireItem> items = items();

    try (KafkaPollSink sink = new KafkaPollSink(longBlock, Topics.defaults(), ackTimeout)) {
      assertTimeoutPreemptively(
          ackTimeout.multipliedBy(3),
          () ->
              assertThatThrownBy(() -> sink.publish(items))
                  .isInstanceOf(PollSink.PublishException.class)
                  .hasMessageContaining("raw items of alpha-world: not all sent within 2s"));
    }
  }

  @Test
  void shouldStopSendingAFeedsItemsAtTheAckTimeout() {
    // A send may block up to max.block.ms (the producer's buffer full while no broker takes its
    // records): over a feed of many items those waits added up to many ack timeouts in one poll.
    MockProducer<String, byte[]> blocking = sendingIn400Ms();
    KafkaPollSink sink =
        new KafkaPollSink(() -> blocking, Topics.defaults(), Duration.ofSeconds(1));
    List<RawWireItem> tenItems = Collections.nCopies(10, items().get(0));

    assertTimeoutPreemptively(
        Duration.ofSeconds(3), // 10 sends of 400 ms took 4 s
        () ->
            assertThatThrownBy(() -> sink.publish(tenItems))
                .isInstanceOf(PollSink.PublishException.class)
                .hasMessageContaining("raw items of alpha-world: not all sent within 1s"));
  }

  // Regression: the ack timeout was printed in whole seconds, so one under a second read
  // "not all sent within 0s".
  @Test
  void shouldNameAnAckTimeoutUnderASecondInMilliseconds() {
    MockProducer<String, byte[]> blocking = sendingIn400Ms();
    KafkaPollSink sink =
        new KafkaPollSink(() -> blocking, Topics.defaults(), Duration.ofMillis(500));

    assertThatThrownBy(() -> sink.publish(Collections.nCopies(3, items().get(0))))
        .isInstanceOf(PollSink.PublishException.class)
        .hasMessageContaining("raw items of alpha-world: not all sent within 500ms");
  }

  @Test
  void shouldReportTheWritesOfAClosedProducerAsPublishExceptions() {
    // Regression: a closed KafkaProducer's send throws IllegalStateException at once (a poll still
    // under way during shutdown). It escaped FeedPoller.poll: the feed's failure was not counted,
    // no back-off, no poll listener. Every failure to write must take the PublishException path.
    KafkaPollSink sink = new KafkaPollSink(UNREACHABLE, Topics.defaults(), Duration.ofSeconds(5));
    sink.close();

    assertThatThrownBy(() -> sink.publish(items()))
        .isInstanceOf(PollSink.PublishException.class)
        .hasMessageContaining("alpha-world");
    assertThatThrownBy(
            () -> sink.saveState(FeedState.initial("alpha-world", "https://alpha.example/rss.xml")))
        .isInstanceOf(PollSink.PublishException.class)
        .hasMessageContaining("feed state of alpha-world: the poll sink is closed");
    try (LogCapture log = LogCapture.of(KafkaPollSink.class)) {
      assertThatCode(() -> sink.logFetch(fetchRecord())).doesNotThrowAnyException();
      assertThat(log.containing("fetch-log record not written: the poll sink is closed"))
          .hasSize(1);
    }
  }

  @Test
  void shouldReportASendThatThrowsAtOnceAsAPublishException() {
    // A fatal producer error is thrown by send itself, not reported through its future.
    KafkaException fatal = new KafkaException("fatal producer error (test)");
    MockProducer<String, byte[]> throwing =
        new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
          @Override
          public synchronized Future<RecordMetadata> send(
              ProducerRecord<String, byte[]> record, Callback callback) {
            throw fatal;
          }

          @Override
          public List<PartitionInfo> partitionsFor(String topic) {
            return List.of(new PartitionInfo(topic, 0, null, null, null));
          }
        };
    KafkaPollSink sink =
        new KafkaPollSink(() -> throwing, Topics.defaults(), Duration.ofSeconds(5));

    assertThatThrownBy(() -> sink.publish(items()))
        .isInstanceOf(PollSink.PublishException.class)
        .hasMessageContaining("raw items of alpha-world")
        .hasCause(fatal);
    assertThatThrownBy(
            () -> sink.saveState(FeedState.initial("alpha-world", "https://alpha.example/rss.xml")))
        .isInstanceOf(PollSink.PublishException.class)
        .hasCause(fatal);
    assertThatCode(() -> sink.logFetch(fetchRecord())).doesNotThrowAnyException();
  }

  @Test
  void shouldLogAFetchWithoutWaitingForASendThatBlocks() throws InterruptedException {
    // Regression: logFetch sent on the poll thread, and a send waits up to max.block.ms for the
    // fetch-log topic's metadata: during a broker outage every poll waited that long once more
    // after its failed publish or feed state.
    CountDownLatch brokerBack = new CountDownLatch(1);
    MockProducer<String, byte[]> blocking = blockingProducer(brokerBack);
    KafkaPollSink sink =
        new KafkaPollSink(() -> blocking, Topics.defaults(), Duration.ofSeconds(5));
    long before = System.currentTimeMillis();

    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> sink.logFetch(fetchRecord()));
    long after = System.currentTimeMillis();
    brokerBack.countDown();
    sink.close();

    assertThat(blocking.history())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.topic()).isEqualTo("wire.fetch-log.v1");
              assertThat(r.key()).isEqualTo("alpha-world");
              // the time of the poll's call, not of the background send
              assertThat(r.timestamp()).isBetween(before, after);
            });
  }

  @Test
  void shouldDropFetchLogRecordsOverTheBacklogWhileKafkaTakesNone() {
    CountDownLatch brokerBack = new CountDownLatch(1);
    MockProducer<String, byte[]> blocking = blockingProducer(brokerBack);
    KafkaPollSink sink =
        new KafkaPollSink(() -> blocking, Topics.defaults(), Duration.ofSeconds(5));
    // records of about 2 MB: 16 fit in the 32 MiB backlog, the 17th does not
    FetchLogRecord.Body body =
        new FetchLogRecord.Body("zstd+base64", 1, false, "A".repeat(2_000_000));
    FetchLogRecord large = fetchRecord("application/rss+xml", "ab".repeat(32), body);

    try (LogCapture log = LogCapture.of(KafkaPollSink.class)) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () -> {
            for (int i = 0; i < 20; i++) {
              sink.logFetch(large);
            }
          });
      brokerBack.countDown();
      sink.close();

      assertThat(log.containing("already wait for Kafka, at most 33554432")).hasSize(4);
    }
    assertThat(blocking.history()).hasSize(16);
  }

  @Test
  void shouldPublishThroughANewProducerAfterTheProducerFailedFatally() throws Exception {
    // Regression: the sink made its producer once; after a fatal error (here a missing
    // IdempotentWrite ACL: the producer-id request refused) kafka-clients fails every later send
    // of that producer, so every poll failed publish-error until the poller was restarted.
    List<MockProducer<String, byte[]>> made = new CopyOnWriteArrayList<>();
    Supplier<Producer<String, byte[]>> producers =
        () -> {
          MockProducer<String, byte[]> p = producer();
          made.add(p);
          // the records each producer sent, in its client metrics: 1 for the first, 2 for the next
          MetricName sent =
              new MetricName(
                  "record-send-total", "producer-metrics", "", Map.of("client-id", "poller"));
          double value = made.size();
          p.setMockMetrics(
              sent,
              new Metric() {
                @Override
                public MetricName metricName() {
                  return sent;
                }

                @Override
                public Object metricValue() {
                  return value;
                }
              });
          return p;
        };
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KafkaPollSink sink = new KafkaPollSink(producers, Topics.defaults(), Duration.ofSeconds(5));

    try (LogCapture log = LogCapture.of(KafkaPollSink.class);
        AutoCloseable metrics = sink.bindMetrics(registry)) {
      // an error of one write (a topic's missing ACL, a timeout) leaves the producer as it is
      made.get(0).sendException = new TopicAuthorizationException("Not authorized (test)");
      assertThatThrownBy(() -> sink.publish(items())).isInstanceOf(PollSink.PublishException.class);
      assertThat(made).hasSize(1);
      made.get(0).sendException =
          fatalState(new ClusterAuthorizationException("Cluster authorization failed."));

      // the poll that met the error fails, as any failed write, and is retried
      assertThatThrownBy(() -> sink.publish(items()))
          .isInstanceOf(PollSink.PublishException.class)
          .hasMessageContaining("raw items of alpha-world")
          .hasRootCauseInstanceOf(ClusterAuthorizationException.class);
      awaitNewProducers(registry, 1);
      // the count moves before the new producer's client metrics take the old one's place; the
      // WARN comes once the replacement is done
      Await.until(
          "the replacement logged",
          Duration.ofSeconds(5),
          () -> !log.containing("closed it and writing through a new one").isEmpty());
      // its retry, the feed state and the fetch log go through the new producer
      assertThat(sink.publish(items())).isZero();
      sink.saveState(FeedState.initial("alpha-world", "https://alpha.example/rss.xml"));
      sink.logFetch(fetchRecord());
      Await.until("the broken producer closed", Duration.ofSeconds(5), made.get(0)::closed);
      assertThat(registry.get("wire.poller.producer.recreations").functionCounter().count())
          .isEqualTo(1);
      // the client metrics are the new producer's
      assertThat(registry.get("kafka.producer.record.send.total").functionCounter().count())
          .isEqualTo(2);
      sink.close();

      assertThat(made).hasSize(2);
      assertThat(made.get(1).history())
          .extracting(ProducerRecord::topic)
          .containsExactly("wire.raw-items.v1", "wire.feed-state.v1", "wire.fetch-log.v1");
      assertThat(log.containing("Kafka producer failed fatally"))
          .singleElement()
          .asString()
          .contains("ClusterAuthorizationException: Cluster authorization failed.")
          .contains("1 made since start, at most one every 10s");
    }
  }

  @Test
  void shouldReplaceAProducerFencedInAWritesFutureToo() throws Exception {
    // kafka-clients reports a ProducerFencedException in the write's future and callback, not by
    // throwing from send
    ProducerFencedException fenced = new ProducerFencedException("fenced (test)");
    List<MockProducer<String, byte[]>> made = new CopyOnWriteArrayList<>();
    Supplier<Producer<String, byte[]>> producers =
        () -> {
          MockProducer<String, byte[]> p = made.isEmpty() ? failingInItsFuture(fenced) : producer();
          made.add(p);
          return p;
        };
    KafkaPollSink sink = new KafkaPollSink(producers, Topics.defaults(), Duration.ofSeconds(5));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    sink.bindMetrics(registry);
    FeedState state = FeedState.initial("alpha-world", "https://alpha.example/rss.xml");

    assertThatThrownBy(() -> sink.saveState(state))
        .isInstanceOf(PollSink.PublishException.class)
        .hasCause(fenced);
    awaitNewProducers(registry, 1);
    sink.saveState(state);
    sink.close();

    assertThat(made).hasSize(2);
    assertThat(made.get(1).history())
        .extracting(ProducerRecord::topic)
        .containsExactly("wire.feed-state.v1");
  }

  @Test
  void shouldMakeAtMostOneNewProducerPerIntervalWhileTheFatalErrorComesBack() throws Exception {
    // every producer fails fatally (the ACL stays missing): one new producer per 10 s at most, not
    // one per write
    AtomicLong nanos = new AtomicLong();
    List<MockProducer<String, byte[]>> made = new CopyOnWriteArrayList<>();
    Supplier<Producer<String, byte[]>> producers =
        () -> {
          MockProducer<String, byte[]> p = producer();
          p.sendException =
              fatalState(new ClusterAuthorizationException("Cluster authorization failed."));
          made.add(p);
          return p;
        };
    KafkaPollSink sink =
        new KafkaPollSink(producers, Topics.defaults(), Duration.ofSeconds(5), nanos::get);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    sink.bindMetrics(registry);
    FeedState state = FeedState.initial("alpha-world", "https://alpha.example/rss.xml");

    try (LogCapture log = LogCapture.of(KafkaPollSink.class)) {
      assertThatThrownBy(() -> sink.saveState(state)).isInstanceOf(PollSink.PublishException.class);
      awaitNewProducers(registry, 1);
      assertThat(made).as("the first fatal error makes a new producer at once").hasSize(2);
      for (int i = 0; i < 5; i++) {
        assertThatThrownBy(() -> sink.saveState(state))
            .isInstanceOf(PollSink.PublishException.class);
      }
      nanos.addAndGet(Duration.ofSeconds(9).toNanos());
      assertThatThrownBy(() -> sink.saveState(state)).isInstanceOf(PollSink.PublishException.class);
      assertThat(made).as("none within 10 s of the last").hasSize(2);

      nanos.addAndGet(Duration.ofSeconds(1).toNanos());
      assertThatThrownBy(() -> sink.saveState(state)).isInstanceOf(PollSink.PublishException.class);
      awaitNewProducers(registry, 2);
      assertThat(made).as("the next after 10 s").hasSize(3);
      sink.close();
      assertThat(log.containing("Kafka producer failed fatally")).hasSize(2);
    }
    assertThat(made).allSatisfy(p -> assertThat(p.closed()).isTrue());
  }

  @Test
  void shouldTryAgainToMakeANewProducerAfterTheBrokenOneWasClosedWithoutOne() throws Exception {
    // the broken producer is closed before the new one is made: when that one cannot be made, the
    // writes fail as closed, not as fatal, and must still bring the next attempt
    AtomicLong nanos = new AtomicLong();
    List<MockProducer<String, byte[]>> made = new CopyOnWriteArrayList<>();
    AtomicLong attempts = new AtomicLong();
    Supplier<Producer<String, byte[]>> producers =
        () -> {
          if (attempts.incrementAndGet() == 2) {
            throw new KafkaException("Failed to construct kafka producer (test)");
          }
          MockProducer<String, byte[]> p = producer();
          made.add(p);
          return p;
        };
    KafkaPollSink sink =
        new KafkaPollSink(producers, Topics.defaults(), Duration.ofSeconds(5), nanos::get);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    sink.bindMetrics(registry);
    FeedState state = FeedState.initial("alpha-world", "https://alpha.example/rss.xml");
    made.get(0).sendException =
        fatalState(new ClusterAuthorizationException("Cluster authorization failed."));

    try (LogCapture log = LogCapture.of(KafkaPollSink.class)) {
      assertThatThrownBy(() -> sink.saveState(state)).isInstanceOf(PollSink.PublishException.class);
      // the attempt is made under the sink's lock, which the next write's failure takes too
      Await.until("a new producer tried", Duration.ofSeconds(5), () -> attempts.get() == 2);
      assertThat(made.get(0).closed()).isTrue();
      assertThatThrownBy(() -> sink.saveState(state))
          .isInstanceOf(PollSink.PublishException.class)
          .hasRootCauseMessage("MockProducer is already closed.");

      nanos.addAndGet(KafkaPollSink.MIN_RECREATE_INTERVAL.toNanos());
      assertThatThrownBy(() -> sink.saveState(state)).isInstanceOf(PollSink.PublishException.class);
      awaitNewProducers(registry, 1);
      sink.saveState(state);
      sink.close();
      assertThat(log.containing("a new one could not be made")).hasSize(1);
    }

    assertThat(attempts).hasValue(3);
    assertThat(made.get(1).history())
        .extracting(ProducerRecord::topic)
        .containsExactly("wire.feed-state.v1");
  }

  @Test
  void shouldFailTheWriteThatMetAFatalErrorWithoutWaitingForTheBrokenProducersClose()
      throws Exception {
    // Regression: the write that met the fatal error closed the broken producer on its own thread,
    // and KafkaProducer.close(Duration.ZERO) there force-closes it, then joins its I/O thread
    // without a bound (that thread may be in a blocking DNS lookup of a broker's host): the poll
    // waited for the join until its deadline and failed as "not sent" instead of with the error.
    CountDownLatch closing = new CountDownLatch(1);
    CountDownLatch closeMayEnd = new CountDownLatch(1);
    List<MockProducer<String, byte[]>> made = new CopyOnWriteArrayList<>();
    Supplier<Producer<String, byte[]>> producers =
        () -> {
          MockProducer<String, byte[]> p =
              made.isEmpty() ? closingWhen(closing, closeMayEnd) : producer();
          made.add(p);
          return p;
        };
    KafkaPollSink sink = new KafkaPollSink(producers, Topics.defaults(), Duration.ofSeconds(2));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    sink.bindMetrics(registry);
    FeedState state = FeedState.initial("alpha-world", "https://alpha.example/rss.xml");
    made.get(0).sendException =
        fatalState(new ClusterAuthorizationException("Cluster authorization failed."));

    assertThatThrownBy(() -> sink.saveState(state))
        .isInstanceOf(PollSink.PublishException.class)
        .hasRootCauseInstanceOf(ClusterAuthorizationException.class);
    assertThat(closeMayEnd.getCount()).as("the close still blocked").isEqualTo(1);
    assertThat(closing.await(5, TimeUnit.SECONDS)).as("the broken producer closing").isTrue();
    assertThat(made).as("no new producer before the broken one is closed").hasSize(1);

    closeMayEnd.countDown();
    awaitNewProducers(registry, 1);
    sink.saveState(state);
    sink.close();
    assertThat(made.get(1).history())
        .extracting(ProducerRecord::topic)
        .containsExactly("wire.feed-state.v1");
  }

  @Test
  void shouldSayWritesAreFailingFromAFailedWriteUntilTheNextOneSucceeds() throws Exception {
    // Regression: WirePollerCannotWrite alerted on the 15-minute increase of publish-error polls,
    // so a few seconds of failed writes (a broker's rolling restart) paged 5 minutes after the
    // poller had recovered and stayed firing 10 more: nothing said whether writes fail now.
    MockProducer<String, byte[]> kafka = producer();
    KafkaPollSink sink = new KafkaPollSink(() -> kafka, Topics.defaults(), Duration.ofSeconds(5));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FeedState state = FeedState.initial("alpha-world", "https://alpha.example/rss.xml");

    try (AutoCloseable metrics = sink.bindMetrics(registry)) {
      assertThat(registry.get("wire.poller.kafka.write.failing").gauge().value()).isZero();
      assertThat(registry.get("wire.poller.kafka.write.last.success.timestamp").gauge().value())
          .isNaN();

      kafka.sendException = new NotEnoughReplicasException("Not enough in-sync replicas (test)");
      assertThatThrownBy(() -> sink.publish(items())).isInstanceOf(PollSink.PublishException.class);
      assertThat(registry.get("wire.poller.kafka.write.failing").gauge().value()).isEqualTo(1);
      assertThatThrownBy(() -> sink.saveState(state)).isInstanceOf(PollSink.PublishException.class);
      assertThat(registry.get("wire.poller.kafka.write.failure.streaks").functionCounter().count())
          .as("two failed writes in a row are one streak")
          .isEqualTo(1);

      kafka.sendException = null;
      long before = System.currentTimeMillis();
      sink.saveState(state);
      long after = System.currentTimeMillis();
      assertThat(registry.get("wire.poller.kafka.write.failing").gauge().value()).isZero();
      assertThat(registry.get("wire.poller.kafka.write.last.success.timestamp").gauge().value())
          .isBetween(before / 1000.0, after / 1000.0);

      kafka.sendException = new NotEnoughReplicasException("Not enough in-sync replicas (test)");
      assertThatThrownBy(() -> sink.saveState(state)).isInstanceOf(PollSink.PublishException.class);
      assertThat(registry.get("wire.poller.kafka.write.failing").gauge().value()).isEqualTo(1);
      assertThat(registry.get("wire.poller.kafka.write.failure.streaks").functionCounter().count())
          .as("a failure after a success starts a streak")
          .isEqualTo(2);
      kafka.sendException = null;
      sink.publish(items());
      assertThat(registry.get("wire.poller.kafka.write.failing").gauge().value()).isZero();
    }
    sink.close();
  }

  @Test
  void shouldNotCountFetchLogWritesAsTheWritesThatFailOrSucceed() throws Exception {
    // the fetch log is best effort and never fails a poll: its record queued behind an outage may
    // fail after the polls' writes succeed again, or be taken while they still fail
    MockProducer<String, byte[]> kafka = producer();
    KafkaPollSink sink = new KafkaPollSink(() -> kafka, Topics.defaults(), Duration.ofSeconds(5));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FeedState state = FeedState.initial("alpha-world", "https://alpha.example/rss.xml");

    try (LogCapture log = LogCapture.of(KafkaPollSink.class);
        AutoCloseable metrics = sink.bindMetrics(registry)) {
      kafka.sendException = new NotEnoughReplicasException("Not enough in-sync replicas (test)");
      assertThatThrownBy(() -> sink.saveState(state)).isInstanceOf(PollSink.PublishException.class);
      kafka.sendException = null;
      sink.logFetch(fetchRecord());
      Await.until(
          "the fetch-log record sent", Duration.ofSeconds(5), () -> !kafka.history().isEmpty());
      assertThat(registry.get("wire.poller.kafka.write.failing").gauge().value()).isEqualTo(1);

      sink.saveState(state);
      kafka.sendException = new NotEnoughReplicasException("Not enough in-sync replicas (test)");
      sink.logFetch(fetchRecord());
      Await.until(
          "the fetch-log record refused",
          Duration.ofSeconds(5),
          () -> !log.containing("fetch-log record not written").isEmpty());
      assertThat(registry.get("wire.poller.kafka.write.failing").gauge().value()).isZero();
      assertThat(registry.get("wire.poller.kafka.write.failure.streaks").functionCounter().count())
          .isEqualTo(1);
    }
    sink.close();
  }

  /**
   * Many poll threads at once, the writes of some feeds refused (a broker's partitions unreachable)
   * while the others are taken: whatever the interleaving, once every thread's last write has been
   * taken the gauge says writes succeed, and the streaks counted are at least one and at most the
   * failed writes.
   */
  @Test
  void shouldSayWritesSucceedOnceEveryThreadsLastWriteIsTakenWhateverTheInterleaving()
      throws Exception {
    NotEnoughReplicasException refused = new NotEnoughReplicasException("Not enough (test)");
    MockProducer<String, byte[]> kafka =
        new OnePartitionProducer() {
          @Override
          public synchronized Future<RecordMetadata> send(
              ProducerRecord<String, byte[]> record, Callback callback) {
            if (record.key() != null && record.key().startsWith("down-")) {
              if (callback != null) {
                callback.onCompletion(null, refused);
              }
              return CompletableFuture.failedFuture(refused);
            }
            return super.send(record, callback);
          }
        };
    KafkaPollSink sink = new KafkaPollSink(() -> kafka, Topics.defaults(), Duration.ofSeconds(5));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicLong failed = new AtomicLong();
    int threads = 8;
    int rounds = 200;

    try (AutoCloseable metrics = sink.bindMetrics(registry)) {
      List<CompletableFuture<Void>> polls = new CopyOnWriteArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        int thread = t;
        polls.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                  for (int round = 0; round < rounds; round++) {
                    String feed = (round + thread) % 3 == 0 ? "down-" + thread : "up-" + thread;
                    try {
                      sink.saveState(FeedState.initial(feed, "https://example.org/" + feed));
                    } catch (PollSink.PublishException e) {
                      failed.incrementAndGet();
                    }
                  }
                  sink.saveState(
                      FeedState.initial("up-" + thread, "https://example.org/up-" + thread));
                }));
      }
      start.countDown();
      CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get();

      assertThat(failed.get()).isPositive();
      assertThat(registry.get("wire.poller.kafka.write.failing").gauge().value()).isZero();
      assertThat(registry.get("wire.poller.kafka.write.failure.streaks").functionCounter().count())
          .isBetween(1.0, (double) failed.get());
    }
    sink.close();
  }

  /** The exception a KafkaProducer in its fatal state throws from send, after {@code fatal}. */
  private static KafkaException fatalState(RuntimeException fatal) {
    return new KafkaException(
        "Cannot execute transactional method because we are in an error state", fatal);
  }

  /** A producer that completes its sends at once, its topics of one partition. */
  private static MockProducer<String, byte[]> producer() {
    return new OnePartitionProducer();
  }

  /**
   * A producer that fails each send with {@code error} in its future and callback, as KafkaProducer
   * reports an {@code ApiException} from send.
   */
  private static MockProducer<String, byte[]> failingInItsFuture(RuntimeException error) {
    return new OnePartitionProducer() {
      @Override
      public synchronized Future<RecordMetadata> send(
          ProducerRecord<String, byte[]> record, Callback callback) {
        if (callback != null) {
          callback.onCompletion(null, error);
        }
        return CompletableFuture.failedFuture(error);
      }
    };
  }

  /**
   * Waits until the sink whose meters are in {@code registry} has made {@code n} producers anew
   * after fatal errors, and writes through the last: the replacement runs on a thread of its own.
   */
  static void awaitNewProducers(SimpleMeterRegistry registry, int n) throws InterruptedException {
    Await.until(
        n + " new producers",
        Duration.ofSeconds(5),
        () -> registry.get("wire.poller.producer.recreations").functionCounter().count() >= n);
  }

  /**
   * A producer whose {@code close(Duration)} counts {@code closing} down, then blocks until {@code
   * mayEnd} is counted down, as a KafkaProducer's close joining an I/O thread held in a DNS lookup.
   */
  private static MockProducer<String, byte[]> closingWhen(
      CountDownLatch closing, CountDownLatch mayEnd) {
    return new OnePartitionProducer() {
      @Override
      public void close(Duration timeout) {
        closing.countDown();
        try {
          mayEnd.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptException(e);
        }
        super.close(timeout);
      }
    };
  }

  /** A {@link MockProducer} completing its sends at once, whose topics have one partition. */
  private static class OnePartitionProducer extends MockProducer<String, byte[]> {
    OnePartitionProducer() {
      super(true, null, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
      return List.of(new PartitionInfo(topic, 0, null, null, null));
    }
  }

  /** A producer whose sends wait for {@code brokerBack}, as for a topic's metadata. */
  private static MockProducer<String, byte[]> blockingProducer(CountDownLatch brokerBack) {
    return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
      @Override
      public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
        try {
          brokerBack.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptException(e);
        }
        return super.send(record, callback);
      }
    };
  }

  /** The raw items of a one-entry feed of source {@code alpha-world}. */
  private static List<RawWireItem> items() {
    FeedSource source =
        TestFeeds.feed("alpha-world")
            .name("Alpha")
            .agency("alpha")
            .url("https://alpha.example/rss.xml")
            .build();
    String rss =
        "<rss version=\"2.0\"><channel><title>A</title><link>https://alpha.example/</link>"
            + "<item><guid>alpha-1</guid><title>Harbour reopens</title><link>https://alpha.example/1</link></item></channel></rss>";
    ParsedFeed feed =
        ((ParseResult.Parsed)
                new FeedParser().parse(rss.getBytes(StandardCharsets.UTF_8), "application/rss+xml"))
            .feed();
    Instant now = Instant.parse("2026-11-30T09:00:00Z");
    RawWireItem.Fetch fetch =
        new RawWireItem.Fetch(
            now, source.url().toString(), 200, null, null, "application/rss+xml", "ab".repeat(32));
    return RawItems.plan(
            source, fetch, feed, FeedState.initial(source.id(), source.url().toString()), now)
        .toPublish();
  }

  private static FetchLogRecord fetchRecord() {
    return fetchRecord(null, null, null);
  }

  /** A fetch-log record of {@code alpha-world}'s 200 with that content type, hash and body. */
  private static FetchLogRecord fetchRecord(
      String contentType, String bodySha256, FetchLogRecord.Body body) {
    return new FetchLogRecord(
        "alpha-world",
        "https://alpha.example/rss.xml",
        Instant.parse("2026-11-30T09:00:00Z"),
        12,
        200,
        "ok",
        100,
        1,
        1,
        null,
        contentType,
        bodySha256,
        body);
  }

  /**
   * A producer whose every send blocks 400 ms first, as one waiting on {@code max.block.ms} while
   * its buffer is full, and never completes.
   */
  private static MockProducer<String, byte[]> sendingIn400Ms() {
    return new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer()) {
      @Override
      public synchronized Future<RecordMetadata> send(
          ProducerRecord<String, byte[]> record, Callback callback) {
        try {
          Thread.sleep(400);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.send(record, callback);
      }

      @Override
      public List<PartitionInfo> partitionsFor(String topic) {
        return List.of(new PartitionInfo(topic, 0, null, null, null));
      }
    };
  }
}
