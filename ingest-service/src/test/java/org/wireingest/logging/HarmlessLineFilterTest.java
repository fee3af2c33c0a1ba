package org.wireingest.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

class HarmlessLineFilterTest {

  private static final String CONTROLLER_APIS = "kafka.server.ControllerApis";

  /**
   * As the embedded broker logged it on a start of an existing data dir (2026-12-02, shortened).
   */
  private static final String REGISTRATION =
      "[ControllerApis nodeId=1] Unexpected error handling request RequestHeader(apiKey=CONTROLLER_REGISTRATION, apiVersion=0, clientId=1,"
          + " correlationId=0, headerVersion=2) -- ControllerRegistrationRequestData(controllerId=1, incarnationId=F4bXQI-RSBaj2t1ylp6Plg)";

  private static final String OTHER_REQUEST =
      "[ControllerApis nodeId=1] Unexpected error handling request RequestHeader(apiKey=CREATE_TOPICS, apiVersion=7, clientId=admin-1)";
  private static final String DOUBLE_CLOSE =
      "[NodeToControllerChannelManager id=1 name=registration] Attempting to close NetworkClient that has already been closed.";

  private static final String REPLICA_MANAGER = "kafka.server.ReplicaManager";

  /** As the embedded broker logged it on a first poll of the corpus feeds (2026-12-06). */
  private static final String APPEND =
      "[ReplicaManager broker=1] Error processing append operation on partition wire.articles.v1-3";

  private static final String TRANSACTIONS_V2 =
      "Invalid sequence number for producer 2 at offset 58 in partition wire.articles.v1-3: 9"
          + " (incoming seq. number). Expected sequence 0 for transactions v2 idempotent producer"
          + " with no existing state.";
  private static final String OTHER_SEQUENCE =
      "Out of order sequence number for producer 2 at offset 58 in partition wire.articles.v1-3:"
          + " 9 (incoming seq. number), 7 (current end sequence number)";

  private static OutOfOrderSequenceException outOfOrder(String message) {
    return new OutOfOrderSequenceException(message);
  }

  private static CompletionException notController() {
    return new CompletionException(
        new NotControllerException("The active controller appears to be node 1."));
  }

  private static LoggerContext context(HarmlessLineFilter... filters) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    for (HarmlessLineFilter filter : filters) {
      filter.setContext(context);
      filter.start();
      context.addTurboFilter(filter);
    }
    return context;
  }

  private static ListAppender<ILoggingEvent> lines(LoggerContext context) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
    return appender;
  }

  private static List<String> messages(ListAppender<ILoggingEvent> appender) {
    return appender.list.stream()
        .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
        .toList();
  }

  private static HarmlessLineFilter registrationFilter() {
    HarmlessLineFilter filter = new HarmlessLineFilter();
    filter.setLogger(CONTROLLER_APIS);
    filter.setLevel("ERROR");
    filter.setContains("apiKey=CONTROLLER_REGISTRATION");
    filter.setCause(NotControllerException.class.getName());
    return filter;
  }

  @Test
  void shouldDropOnlyTheLineItDescribes() {
    LoggerContext context = context(registrationFilter());
    ListAppender<ILoggingEvent> lines = lines(context);
    Logger apis = context.getLogger(CONTROLLER_APIS);

    apis.error(REGISTRATION, notController()); // dropped: the cause is two levels down
    apis.error(REGISTRATION, new NotControllerException("x")); // dropped: the throwable itself
    context
        .getLogger(CONTROLLER_APIS + ".Inner")
        .error(REGISTRATION, notController()); // dropped: a descendant
    apis.error(REGISTRATION, new IllegalStateException("disk full")); // kept: another cause
    apis.error(REGISTRATION); // kept: no throwable at all
    apis.error(OTHER_REQUEST, notController()); // kept: another request
    apis.warn(REGISTRATION, notController()); // kept: another level
    context
        .getLogger("kafka.server.ControllerApisX")
        .error(REGISTRATION, notController()); // kept: not a descendant
    context.getLogger("kafka.server").error(REGISTRATION, notController()); // kept: the parent

    assertThat(messages(lines))
        .containsExactly(
            "ERROR " + CONTROLLER_APIS + " " + REGISTRATION,
            "ERROR " + CONTROLLER_APIS + " " + REGISTRATION,
            "ERROR " + CONTROLLER_APIS + " " + OTHER_REQUEST,
            "WARN " + CONTROLLER_APIS + " " + REGISTRATION,
            "ERROR kafka.server.ControllerApisX " + REGISTRATION,
            "ERROR kafka.server " + REGISTRATION);
    assertThat(lines.list.get(0).getThrowableProxy().getClassName())
        .isEqualTo(IllegalStateException.class.getName());
  }

  @Test
  void shouldDropNothingWhenIncompleteOrAimedAtOurOwnLoggers() {
    HarmlessLineFilter noContains = new HarmlessLineFilter();
    noContains.setLogger(CONTROLLER_APIS);
    noContains.setLevel("ERROR");
    HarmlessLineFilter badLevel = registrationFilter();
    badLevel.setLevel("SEVERE");
    HarmlessLineFilter causeTextAlone = new HarmlessLineFilter();
    causeTextAlone.setLogger(CONTROLLER_APIS);
    causeTextAlone.setLevel("ERROR");
    causeTextAlone.setContains("apiKey");
    causeTextAlone.setCauseContains("active controller");
    HarmlessLineFilter own = new HarmlessLineFilter();
    own.setLogger("org.wireingest.poll");
    own.setLevel("WARN");
    own.setContains("failed");
    LoggerContext context = context(noContains, badLevel, causeTextAlone, own);
    ListAppender<ILoggingEvent> lines = lines(context);

    context.getLogger(CONTROLLER_APIS).error(REGISTRATION, notController());
    context.getLogger("org.wireingest.poll.FeedPoller").warn("feed x failed");

    assertThat(
            List.of(
                noContains.isStarted(),
                badLevel.isStarted(),
                causeTextAlone.isStarted(),
                own.isStarted()))
        .containsOnly(false);
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .filteredOn(s -> s.getLevel() == Status.ERROR)
        .hasSize(4);
    assertThat(messages(lines))
        .containsExactly(
            "ERROR " + CONTROLLER_APIS + " " + REGISTRATION,
            "WARN org.wireingest.poll.FeedPoller feed x failed");
  }

  @Test
  void shouldBeInstalledForTheFiveKafkaLinesByLogbackXml() throws Exception {
    try (ShippedLogback configured = new ShippedLogback()) {
      assertThat(configured.context.getTurboFilterList())
          .filteredOn(f -> f instanceof HarmlessLineFilter)
          .hasSize(5)
          .allMatch(f -> f.isStarted());

      configured.logger(CONTROLLER_APIS).error(REGISTRATION, notController());
      configured.logger("org.apache.kafka.clients.NetworkClient").warn(DOUBLE_CLOSE);
      // found in a new-user test: logged at every start though the normalizer sets the flag it
      // asks for
      configured
          .logger("org.apache.kafka.streams.StreamsConfig")
          .warn(
              "Processing exception handler is not enabled for the GlobalThread. It's recommended to set `processing.exception.handler.global.enabled` to true to enable it.");
      // the command's one line names the file and why (KafkaConnection)
      configured
          .logger("org.apache.kafka.common.config.provider.FileConfigProvider")
          .error(
              "Could not read properties from file /run/secrets/kafka.properties",
              new NoSuchFileException("/run/secrets/kafka.properties"));
      // KAFKA-18202, retried by the producer: only with the text that says so
      configured.logger(REPLICA_MANAGER).error(APPEND, outOfOrder(TRANSACTIONS_V2));
      configured.logger(REPLICA_MANAGER).error(APPEND, outOfOrder(OTHER_SEQUENCE));
      configured.logger(CONTROLLER_APIS).error(OTHER_REQUEST, notController());

      assertThat(messages(configured.lines))
          .containsExactly(
              "ERROR " + REPLICA_MANAGER + " " + APPEND,
              "ERROR " + CONTROLLER_APIS + " " + OTHER_REQUEST);
      assertThat(configured.lines.list.get(0).getThrowableProxy().getMessage())
          .isEqualTo(OTHER_SEQUENCE);
    }
  }
}
