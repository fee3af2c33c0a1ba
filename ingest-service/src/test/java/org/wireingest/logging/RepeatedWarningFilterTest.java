package org.wireingest.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.read.ListAppender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wireingest.ops.MutableClock;

class RepeatedWarningFilterTest {

  private static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";

  /** As the Kafka clients log it through Logback: formatted, with the client's prefix. */
  private static final String REFUSED =
      "[Producer clientId=wire-ingest-poller] Connection to node -1 (localhost/127.0.0.1:19392) could not be established. Node may not be available.";

  private static final String REFUSED_BY_CONSUMER =
      "[Consumer clientId=feed-assignment, groupId=wire-ingest-pollers] Connection to node -1 (localhost/127.0.0.1:19392) could not be established. Node may not be available.";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
  private final LoggerContext context = new LoggerContext();
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  RepeatedWarningFilterTest() {
    context.setMDCAdapter(new LogbackMDCAdapter());
    RepeatedWarningFilter filter = new RepeatedWarningFilter(clock);
    filter.setContext(context);
    filter.addLogger(NETWORK_CLIENT);
    filter.start();
    context.addTurboFilter(filter);
    attach(context, lines);
  }

  private static void attach(LoggerContext c, ListAppender<ILoggingEvent> appender) {
    appender.setContext(c);
    appender.start();
    Logger root = c.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
  }

  private List<String> messages() {
    return messages(lines);
  }

  private static List<String> messages(ListAppender<ILoggingEvent> appender) {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /**
   * Found in a review: two client threads reach the end of a window together. Thread A reads the
   * clock (t), thread B reads it a millisecond later (t+1) and is first into the map: B's reminder
   * restarts the window at t+1. A's now (t) is then before the window's start, which the filter
   * takes for "a clock set back": A's line passes too. Simulated on one thread with a clock that
   * lets "thread B" log between A's clock read and A's compute.
   */
  @Test
  void shouldPassOneLineWhenTwoThreadsEndAWindowTogether() {
    LoggerContext c = new LoggerContext();
    c.setMDCAdapter(new LogbackMDCAdapter());
    long[] now = {Instant.parse("2026-12-01T08:00:00Z").toEpochMilli()};
    Runnable[] between = {null};
    Clock racing =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(millis());
          }

          @Override
          public long millis() {
            long t = now[0];
            Runnable r = between[0];
            if (r != null) {
              between[0] = null;
              now[0] = t + 1;
              r.run(); // "thread B" logs after A read t
            }
            return t;
          }
        };
    RepeatedWarningFilter f = new RepeatedWarningFilter(racing);
    f.setContext(c);
    f.addLogger(NETWORK_CLIENT);
    f.start();
    c.addTurboFilter(f);
    ListAppender<ILoggingEvent> out = new ListAppender<>();
    attach(c, out);
    Logger log = c.getLogger(NETWORK_CLIENT);
    log.warn(REFUSED);
    for (int i = 0; i < 5; i++) {
      now[0] += 1_000;
      log.warn(REFUSED);
    }
    now[0] += 56_000; // 61 s after the first
    between[0] = () -> log.warn(REFUSED_BY_CONSUMER);

    log.warn(REFUSED);

    assertThat(messages(out)).as("the first line, then one reminder").hasSize(2);
  }

  @Test
  void shouldPassTheFirstWarningUnchanged() {
    context.getLogger(NETWORK_CLIENT).warn(REFUSED);

    assertThat(messages()).containsExactly(REFUSED);
    assertThat(lines.list.get(0).getLevel()).isEqualTo(Level.WARN);
    assertThat(lines.list.get(0).getLoggerName()).isEqualTo(NETWORK_CLIENT);
  }

  @Test
  void shouldDropRepeatsWithinTheWindowAndCountThemOnTheNextLine() {
    Logger log = context.getLogger(NETWORK_CLIENT);
    log.warn(REFUSED);
    for (int i = 0; i < 40; i++) {
      clock.advance(Duration.ofMillis(1_400));
      log.warn(REFUSED);
    }
    assertThat(messages()).containsExactly(REFUSED); // 56 s: all 40 repeats dropped

    clock.advance(Duration.ofSeconds(5)); // 61 s after the first
    log.warn(REFUSED);

    assertThat(messages())
        .containsExactly(REFUSED, REFUSED + " (40 more like this suppressed in the last 61 s)");
    ILoggingEvent reminder = lines.list.get(1);
    assertThat(reminder.getLevel()).isEqualTo(Level.WARN);
    assertThat(reminder.getLoggerName()).isEqualTo(NETWORK_CLIENT);
    assertThat(reminder.getThreadName()).isEqualTo(Thread.currentThread().getName());

    clock.advance(Duration.ofSeconds(30));
    log.warn(REFUSED);
    clock.advance(Duration.ofSeconds(30)); // a new window began with the reminder
    log.warn(REFUSED);
    assertThat(messages())
        .hasSize(3)
        .last()
        .isEqualTo(REFUSED + " (1 more like this suppressed in the last 60 s)");
  }

  @Test
  void shouldTakeMetadataWarningsThatDifferOnlyInTheirCorrelationIdForOneKind() {
    Logger log = context.getLogger(NETWORK_CLIENT);
    String warning =
        "[Consumer clientId=c-1, groupId=g] The metadata response from the cluster reported a recoverable issue with correlation id %d : {wire.raw-items.v1=LEADER_NOT_AVAILABLE}";
    for (int id = 7; id < 47; id++) {
      log.warn(String.format(warning, id));
      clock.advance(Duration.ofMillis(500));
    }
    log.warn(
        "[Consumer clientId=c-1, groupId=g] The metadata response from the cluster reported a recoverable issue with correlation id 48 : {wire.articles.v1=LEADER_NOT_AVAILABLE}");

    assertThat(messages())
        .containsExactly(
            String.format(warning, 7),
            "[Consumer clientId=c-1, groupId=g] The metadata response from the cluster reported a recoverable issue with correlation id 48 : {wire.articles.v1=LEADER_NOT_AVAILABLE}");
  }

  @Test
  void shouldPassALaterWarningUnchangedWhenNoneWasDropped() {
    Logger log = context.getLogger(NETWORK_CLIENT);
    log.warn(REFUSED);
    clock.advance(Duration.ofMinutes(10));
    log.warn(REFUSED);

    assertThat(messages()).containsExactly(REFUSED, REFUSED);
  }

  @Test
  void shouldEndTheWindowWhenTheClockIsSetBack() {
    Logger log = context.getLogger(NETWORK_CLIENT);
    log.warn(REFUSED);
    log.warn(REFUSED);
    clock.advance(Duration.ofHours(-1));
    log.warn(REFUSED);

    assertThat(messages())
        .containsExactly(REFUSED, REFUSED + " (1 more like this suppressed in the last 0 s)");
  }

  @Test
  void shouldForgetEndedWindowsBeyondTheLimitOfKinds() {
    Logger log = context.getLogger(NETWORK_CLIENT);
    for (int node = 0; node < RepeatedWarningFilter.MAX_KINDS; node++) {
      log.warn("Connection to node " + node + " could not be established.");
    }
    log.warn("Connection to node 0 could not be established."); // dropped, counted
    clock.advance(Duration.ofSeconds(60));
    log.warn(
        "Connection to node -1 could not be established."); // one kind too many: the ended windows
    // go
    log.warn("Connection to node 0 could not be established."); // a new kind again: its count was
    // forgotten

    assertThat(messages())
        .hasSize(RepeatedWarningFilter.MAX_KINDS + 2)
        .last()
        .isEqualTo("Connection to node 0 could not be established.");
  }

  @Test
  void shouldTreatTheSameWarningFromAnotherClientAsARepeat() {
    Logger log = context.getLogger(NETWORK_CLIENT);
    log.warn(REFUSED);
    log.warn(REFUSED_BY_CONSUMER);
    clock.advance(Duration.ofSeconds(60));
    log.warn(REFUSED_BY_CONSUMER);

    assertThat(messages())
        .containsExactly(
            REFUSED, REFUSED_BY_CONSUMER + " (1 more like this suppressed in the last 60 s)");
  }

  @Test
  void shouldKeepDifferentNodesApart() {
    Logger log = context.getLogger(NETWORK_CLIENT);
    String node1 = REFUSED.replace("node -1", "node 1");
    log.warn(REFUSED);
    log.warn(node1);
    log.warn(REFUSED);
    log.warn(node1);

    assertThat(messages()).containsExactly(REFUSED, node1);
  }

  @Test
  void shouldKeySlf4jArgumentsByTheirFormattedMessage() {
    Logger log = context.getLogger(NETWORK_CLIENT);
    log.warn(
        "Connection to node {} ({}) could not be established.", -1, "localhost/127.0.0.1:19392");
    log.warn(
        "Connection to node {} ({}) could not be established.", -1, "localhost/127.0.0.1:19392");
    log.warn("Connection to node {} ({}) could not be established.", 2, "kafka-2/10.0.0.2:9092");

    assertThat(messages())
        .containsExactly(
            "Connection to node -1 (localhost/127.0.0.1:19392) could not be established.",
            "Connection to node 2 (kafka-2/10.0.0.2:9092) could not be established.");
  }

  @Test
  void shouldNeverTouchErrors() {
    Logger log = context.getLogger(NETWORK_CLIENT);
    for (int i = 0; i < 3; i++) {
      log.error(REFUSED);
    }
    assertThat(messages()).containsExactly(REFUSED, REFUSED, REFUSED);
  }

  @Test
  void shouldNeverTouchOtherLevelsOfTheLogger() {
    Logger log = context.getLogger(NETWORK_CLIENT);
    log.warn(REFUSED);
    log.info(REFUSED);
    log.info(REFUSED);

    assertThat(messages()).containsExactly(REFUSED, REFUSED, REFUSED);
  }

  @Test
  void shouldNeverTouchOtherLoggers() {
    Logger ours = context.getLogger("org.wireingest.poll.FeedPoller");
    Logger otherKafka =
        context.getLogger("org.apache.kafka.clients.consumer.internals.ConsumerCoordinator");
    for (int i = 0; i < 3; i++) {
      ours.warn("feed trtworld-main failed (timeout)");
      otherKafka.warn(REFUSED);
    }
    assertThat(messages()).hasSize(6);
  }

  @Test
  void shouldNeverTouchOwnLoggersEvenWhenConfigured() {
    RepeatedWarningFilter filter = new RepeatedWarningFilter(clock);
    filter.addLogger("org.wireingest");
    filter.addLogger("org");
    filter.start();

    Logger ours = context.getLogger("org.wireingest.poll.FeedPoller");
    assertThat(filter.decide(null, ours, Level.WARN, "feed failed", null, null))
        .isEqualTo(ch.qos.logback.core.spi.FilterReply.NEUTRAL);
    assertThat(filter.decide(null, ours, Level.WARN, "feed failed", null, null))
        .isEqualTo(ch.qos.logback.core.spi.FilterReply.NEUTRAL);
  }

  @Test
  void shouldApplyToDescendantsOfAConfiguredLoggerOnly() {
    context.getLogger(NETWORK_CLIENT + ".Inner").warn(REFUSED);
    context.getLogger(NETWORK_CLIENT + ".Inner").warn(REFUSED);
    context.getLogger(NETWORK_CLIENT + "Extra").warn(REFUSED);
    context.getLogger(NETWORK_CLIENT + "Extra").warn(REFUSED);

    assertThat(messages()).containsExactly(REFUSED, REFUSED, REFUSED);
  }

  @Test
  void shouldNotCountWarningsTheLoggerLevelDrops() {
    Logger log = context.getLogger(NETWORK_CLIENT);
    log.setLevel(Level.ERROR);
    log.warn(REFUSED);
    log.warn(REFUSED);
    log.setLevel(null);
    log.warn(REFUSED);

    assertThat(messages()).containsExactly(REFUSED);
  }

  @Test
  void shouldBeInstalledForTheKafkaNetworkClientByLogbackXml() throws Exception {
    try (ShippedLogback configured = new ShippedLogback()) {
      assertThat(configured.context.getTurboFilterList())
          .filteredOn(f -> f instanceof RepeatedWarningFilter)
          .hasSize(1);

      Logger networkClient = configured.logger(NETWORK_CLIENT);
      networkClient.warn(REFUSED);
      networkClient.warn(REFUSED);
      networkClient.error(REFUSED);
      configured.logger("org.wireingest.poll.FeedPoller").warn("feed x failed");
      configured.logger("org.wireingest.poll.FeedPoller").warn("feed x failed");

      assertThat(messages(configured.lines))
          .containsExactly(REFUSED, REFUSED, "feed x failed", "feed x failed");
    }
  }

  /**
   * Found in an ops test (kill -9 of deploy/kafka's broker, restarted after 7 minutes): the
   * poller's producer logged 12 Sender WARN lines in one second, a pair per retry of one
   * partition's batch, each with a new correlation id and one attempt fewer left, while the
   * restarted broker became the partitions' leader again. Per partition, only the first pair is
   * shown now.
   */
  @Test
  void shouldShowOnePairOfTheProducersRetryWarningsPerPartitionWhenInstalledByLogbackXml()
      throws Exception {
    ShippedLogback configured = new ShippedLogback();
    Logger sender = configured.logger("org.apache.kafka.clients.producer.internals.Sender");
    String retry =
        "[Producer clientId=wire-ingest-poller] Got error produce response with correlation id %d on topic-partition %s,"
            + " retrying (%d attempts left). Error: NOT_LEADER_OR_FOLLOWER";
    String invalid =
        "[Producer clientId=wire-ingest-poller] Received invalid metadata error in produce request on partition %s due to"
            + " org.apache.kafka.common.errors.NotLeaderOrFollowerException: For requests intended only for the leader, this error indicates"
            + " that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not"
            + " a replica of the topic partition.. Going to request metadata update now";

    for (int i = 0; i < 5; i++) {
      sender.warn(String.format(retry, 183 + i, "wire.feed-state.v1-1", 2147483646 - i));
      sender.warn(String.format(invalid, "wire.feed-state.v1-1"));
    }
    sender.warn(String.format(retry, 190, "wire.fetch-log.v1-2", 2147483646));
    sender.warn(String.format(invalid, "wire.fetch-log.v1-2"));

    assertThat(messages(configured.lines))
        .containsExactly(
            String.format(retry, 183, "wire.feed-state.v1-1", 2147483646),
            String.format(invalid, "wire.feed-state.v1-1"),
            String.format(retry, 190, "wire.fetch-log.v1-2", 2147483646),
            String.format(invalid, "wire.fetch-log.v1-2"));
    configured.close();
  }
}
