package org.wireingest.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;
import org.wireingest.poll.FeedPoller;
import org.wireingest.poll.PollResult;
import org.wireingest.poll.PollSink;

class LogFormatTest {

  private final LoggerContext context = newContext();

  private static LoggerContext newContext() {
    LoggerContext c = new LoggerContext();
    c.setMDCAdapter(new LogbackMDCAdapter());
    return c;
  }

  private String encode(LogFormat format, String message, Object... args) {
    var encoder = format.encoder(context);
    LoggingEvent event =
        new LoggingEvent(
            "org.wireingest.poll.FeedPoller",
            context.getLogger("org.wireingest.poll.FeedPoller"),
            Level.WARN,
            message,
            null,
            args);
    event.setThreadName("poller-1");
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void shouldWriteOneJsonObjectPerLine() throws Exception {
    String line =
        encode(LogFormat.JSON, "feed {} failed ({}), attempt {}", "trtworld-main", "timeout", 2);

    assertThat(line).endsWith("\n").doesNotContain("\n{");
    JsonNode json = Json.MAPPER.readTree(line);
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("loggerName").asText()).isEqualTo("org.wireingest.poll.FeedPoller");
    assertThat(json.get("threadName").asText()).isEqualTo("poller-1");
    assertThat(json.get("formattedMessage").asText())
        .isEqualTo("feed trtworld-main failed (timeout), attempt 2");
    assertThat(json.get("timestamp").isNumber()).isTrue();
  }

  @Test
  void shouldRedactCredentialsInJsonLines() throws Exception {
    String line =
        encode(
            LogFormat.JSON,
            "fetching {} with Authorization: {}",
            "https://wire:hunter2@feeds.example.org/rss?token=t0k",
            "Bearer abc.def");

    assertThat(line).doesNotContain("hunter2").doesNotContain("t0k").doesNotContain("abc.def");
    assertThat(Json.MAPPER.readTree(line).get("formattedMessage").asText())
        .isEqualTo("fetching https://feeds.example.org/rss?token=*** with Authorization: ***");
  }

  @Test
  void shouldRedactQuotedCredentialValuesInJsonLinesAsInTextLines() throws Exception {
    String message = "settings {\"Authorization\":\"Bearer abc.def\"} password=\"hunter2\"";

    String text = encode(LogFormat.TEXT, message);
    String json = encode(LogFormat.JSON, message);

    assertThat(text).doesNotContain("abc.def").doesNotContain("hunter2");
    assertThat(json).doesNotContain("abc.def").doesNotContain("hunter2");
    assertThat(Json.MAPPER.readTree(json).get("formattedMessage").asText())
        .isEqualTo("settings {\"Authorization\":\"***\"} password=\"***\"");
  }

  /**
   * The README says the polls that published nothing are logged at DEBUG, but nothing let an
   * operator see DEBUG lines short of replacing logback.xml (and its redaction with it).
   */
  /**
   * Logback takes a level name it does not know for DEBUG: WIRE_INGEST_LOG_LEVEL=WARNING (or a
   * typo) logged every DEBUG line of wire-ingest, without a word, where fewer lines were asked for.
   */
  @Test
  void shouldWarnOfAWireIngestLogLevelThatIsNoLevelAndKeepInfo() throws Exception {
    for (String given : List.of("WARNING", "verbose", "INF")) {
      LoggerContext context = new LoggerContext();
      try {
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putProperty("WIRE_INGEST_LOG_LEVEL", given);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));

        assertThat(context.getLogger("org.wireingest.poll.FeedPoller").getEffectiveLevel())
            .as(given)
            .isEqualTo(Level.INFO);
        // No Logback status warning: Logback would print its whole status on standard output,
        // where check-feed and tail write their JSON. The command line logs the problem instead.
        assertThat(context.getStatusManager().getCopyOfStatusList())
            .as(given)
            .noneMatch(st -> st.getLevel() >= Status.WARN);
        assertThat(OwnLogLevel.problem(given))
            .as(given)
            .hasValue(
                "WIRE_INGEST_LOG_LEVEL="
                    + given
                    + " is no log level (one of TRACE, DEBUG, INFO, WARN, ERROR, OFF):"
                    + " wire-ingest's lines are logged at INFO");
      } finally {
        context.stop();
      }
    }
    assertThat(OwnLogLevel.problem(" warn ")).isEmpty();
    assertThat(OwnLogLevel.problem(null)).isEmpty();
    try (ShippedLogback lower = new ShippedLogback(Map.of("WIRE_INGEST_LOG_LEVEL", " warn "))) {
      assertThat(lower.logger("org.wireingest.poll.FeedPoller").getEffectiveLevel())
          .isEqualTo(Level.WARN);
    }
  }

  @Test
  void shouldTakeTheLevelOfItsOwnLinesFromWireIngestLogLevel() throws Exception {
    try (ShippedLogback byDefault = new ShippedLogback();
        ShippedLogback debug = new ShippedLogback(Map.of("WIRE_INGEST_LOG_LEVEL", "DEBUG"))) {
      assertThat(byDefault.logger("org.wireingest.poll.FeedPoller").getEffectiveLevel())
          .isEqualTo(Level.INFO);
      assertThat(debug.logger("org.wireingest.poll.FeedPoller").getEffectiveLevel())
          .isEqualTo(Level.DEBUG);
      assertThat(debug.logger("org.apache.kafka.clients.NetworkClient").getEffectiveLevel())
          .isEqualTo(Level.WARN);
    }
  }

  @Test
  void shouldRedactCredentialsInTextLines() {
    String line =
        encode(LogFormat.TEXT, "fetching {}", "https://wire:hunter2@feeds.example.org/rss");

    assertThat(line)
        .contains(
            "WARN  [poller-1] org.wireingest.poll.FeedPoller - fetching https://feeds.example.org/rss")
        .doesNotContain("hunter2");
  }

  @Test
  void shouldConfigureTheConsoleWithARedactingEncoderFromLogbackXml() throws Exception {
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));

    assertThat(context.getStatusManager().getCopyOfStatusList())
        .noneMatch(s -> s.getLevel() >= Status.WARN);
    var appender =
        (ConsoleAppender<ILoggingEvent>)
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
    assertThat(appender.getEncoder()).isInstanceOf(RedactingEncoder.class);
  }

  @Test
  void shouldLogAFailedPollWithItsSourceIdAndNoCredentials() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          ex.sendResponseHeaders(500, -1);
          ex.close();
        });
    server.start();
    LoggerContext global = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger logger = global.getLogger("org.wireingest.poll.FeedPoller");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(global);
    appender.setEncoder(LogFormat.JSON.encoder(global));
    appender.setOutputStream(out);
    appender.start();
    logger.addAppender(appender);
    try {
      URI url =
          URI.create(
              "http://wire:hunter2@127.0.0.1:"
                  + server.getAddress().getPort()
                  + "/feed.xml?api_key=k-123456");
      FeedSource source =
          TestFeeds.feed("secret-feed")
              .name("Secret")
              .agency("partner")
              .url(url)
              .language(null)
              .headers(Map.of("Authorization", "Bearer tok-778899"))
              .build();
      PollResult result =
          new FeedPoller(
                  new FeedFetcher(FetchSettings.defaults().withAllowPrivateAddresses(true)),
                  new FeedParser(),
                  new NoSink(),
                  Clock.systemUTC())
              .poll(source, null);
      assertThat(result.succeeded()).isFalse();
    } finally {
      logger.detachAppender(appender);
      appender.stop();
      server.stop(0);
    }

    String log = out.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("secret-feed").contains("failed");
    assertThat(log)
        .doesNotContain("hunter2")
        .doesNotContain("k-123456")
        .doesNotContain("tok-778899");
  }

  /** Discards everything. */
  private static final class NoSink implements PollSink {
    @Override
    public int publish(List<RawWireItem> items) {
      return 0;
    }

    @Override
    public void saveState(FeedState state) {}

    @Override
    public void logFetch(FetchLogRecord record) {}
  }
}
