package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.wireingest.config.ConfigException;
import org.wireingest.kafka.KafkaConnection;
import org.wireingest.model.ErrorText;
import org.wireingest.model.LongArguments;
import org.wireingest.testing.LogCapture;
import picocli.CommandLine;

class KafkaOptionsTest {

  private static final String SECRET = "s3cr3t-pa55word";

  @TempDir Path dir;

  private KafkaOptions parse(Map<String, String> env, String... args) {
    Holder holder = new Holder();
    new CommandLine(holder).parseArgs(args);
    KafkaOptions options = holder.options;
    options.environment = env;
    return options;
  }

  @Test
  void shouldTakeClientPropertiesFromTheFileTheEnvironmentAndTheCommandLineLaterWinning()
      throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("client.properties"),
            "security.protocol=SSL\nkafka.sasl.mechanism=PLAIN\nssl.truststore.location=/etc/ts.p12\n");
    KafkaOptions options =
        parse(
            Map.of(
                "WIRE_INGEST_KAFKA_SECURITY_PROTOCOL",
                "SASL_SSL",
                "WIRE_INGEST_KAFKA_SASL_JAAS_CONFIG",
                "jaas",
                "PATH",
                "/bin"),
            "--kafka-config",
            file.toString(),
            "-K",
            "sasl.mechanism=SCRAM-SHA-512");

    assertThat(options.clientProperties())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/etc/ts.p12",
                "sasl.jaas.config", "jaas"));
  }

  // Found in a review: a client properties file written for Kafka's own tools, which read it as
  // ISO-8859-1, failed with "MalformedInputException: Input length = 1" when it held an accent
  @Test
  void shouldReadAKafkaConfigThatIsNotUtf8AsKafkasToolsDo() throws Exception {
    Path latin1 = dir.resolve("latin1.properties");
    Files.write(
        latin1, "sasl.jaas.config=password=\"caf\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1));
    Path utf8 = dir.resolve("utf8.properties");
    Files.write(utf8, "sasl.jaas.config=password=\"caf\u00e9\"\n".getBytes(StandardCharsets.UTF_8));

    for (Path file : List.of(latin1, utf8)) {
      assertThat(parse(Map.of(), "--kafka-config", file.toString()).clientProperties())
          .containsExactly(Map.entry("sasl.jaas.config", "password=\"caf\u00e9\""));
    }
  }

  // Regression: a client properties file saved with a UTF-8 byte order mark (as Windows editors
  // do) gave its first key as U+FEFF + "security.protocol", an unknown setting, so the protocol
  // meant
  // was silently not set and a bootstrap.servers on the first line was not refused.
  @Test
  void shouldReadTheFirstKeyOfAKafkaConfigThatStartsWithAByteOrderMark() throws Exception {
    Path file = dir.resolve("bom.properties");
    // U+FEFF written as UTF-8 is the byte order mark EF BB BF
    Files.write(
        file,
        "\uFEFFsecurity.protocol=SSL\nsasl.jaas.config=password=\"caf\u00e9\"\n"
            .getBytes(StandardCharsets.UTF_8));

    assertThat(parse(Map.of(), "--kafka-config", file.toString()).clientProperties())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("security.protocol", "SSL", "sasl.jaas.config", "password=\"caf\u00e9\""));
  }

  @Test
  void shouldRefuseAnUnreadableKafkaConfigAsAConfigurationError() {
    KafkaOptions options =
        parse(Map.of(), "--kafka-config", dir.resolve("missing.properties").toString());

    assertThatThrownBy(options::clientProperties)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing.properties");
  }

  // Found in a new-user test: -K bootstrap.servers=... was refused only when the connection was
  // made, as a start-up failure (exit 1), naming kafka.bootstrap.servers, which the user had not
  // typed.
  @Test
  void shouldRefuseBootstrapServersAsAClientSettingAsAConfigurationError() {
    KafkaOptions options = parse(Map.of(), "-K", "bootstrap.servers=localhost:1");

    assertThatThrownBy(options::checkSettings)
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "the cluster is set with --bootstrap-servers, not as the Kafka client setting bootstrap.servers (given by -K, --kafka-config or"
                + " WIRE_INGEST_KAFKA_BOOTSTRAP_SERVERS)");
  }

  // Found in a new-user test: a mistyped key (-K max.poll.recordz=5) was taken without a word.
  @Test
  void shouldWarnOnceOfAKeyNoKafkaClientReads() {
    KafkaOptions options =
        parse(
            Map.of("WIRE_INGEST_KAFKA_MAX_POLL_RECORDZ", "5"),
            "-K",
            "max.poll.records=5",
            "-K",
            "producer.lingr.ms=5");
    Logger logger = (Logger) LoggerFactory.getLogger(KafkaOptions.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      options.checkSettings();
      options.checkSettings();
    } finally {
      logger.detachAppender(logs);
    }

    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "Kafka client setting max.poll.recordz is not a setting of Kafka's admin, producer, consumer or Streams clients: passed on, but none of them reads it (a typo?)",
            "Kafka client setting producer.lingr.ms is not a setting of Kafka's admin, producer, consumer or Streams clients: passed on, but none of them reads it (a typo?)");
  }

  /** A 100 KB key typed by mistake ({@code -K}) was echoed whole in its WARN line. */
  @Test
  void shouldCutAHugeUnknownKeyShortInItsWarning() {
    String key = "producer.lingr." + "m".repeat(100_000);
    KafkaOptions options = parse(Map.of(), "-K", key + "=5");
    List<String> lines;
    try (LogCapture log = LogCapture.of(KafkaOptions.class)) {
      options.checkSettings();
      lines = log.containing("is not a setting");
    }

    assertThat(lines)
        .singleElement()
        .asString()
        .startsWith(
            "Kafka client setting " + key.substring(0, LongArguments.MOST_SHOWN) + "… is not")
        .hasSizeLessThan(1000);
  }

  // Found in a new-user test: an unresolvable host ended with "cannot start: Failed to create new
  // KafkaAdminClient", the reason only in a Kafka WARN before it.
  @Test
  void shouldGiveTheRootCauseOfAFailure() {
    RuntimeException e =
        new KafkaException(
            "Failed to create new KafkaAdminClient",
            new org.apache.kafka.common.config.ConfigException(
                "No resolvable bootstrap urls given in bootstrap.servers"));

    assertThat(ErrorText.message(e))
        .isEqualTo(
            "Failed to create new KafkaAdminClient: No resolvable bootstrap urls given in bootstrap.servers");
    assertThat(ErrorText.message(new IllegalStateException("alone"))).isEqualTo("alone");
  }

  @Test
  void shouldNeverLogSecretValues() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("client.properties"), "ssl.keystore.password=" + SECRET + "\n");
    KafkaOptions options =
        parse(
            Map.of(
                "WIRE_INGEST_KAFKA_SASL_JAAS_CONFIG",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\""
                    + SECRET
                    + "\";"),
            "--bootstrap-servers",
            "127.0.0.1:9",
            "--kafka-config",
            file.toString(),
            "-K",
            "sasl.mechanism=PLAIN",
            "--data-dir",
            dir.toString());
    Logger logger = (Logger) LoggerFactory.getLogger(KafkaConnection.class);
    Level level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    String described;
    try (KafkaConnection conn = options.connect()) {
      described = conn.toString();
    } finally {
      logger.detachAppender(logs);
      logger.setLevel(level);
    }

    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .isNotEmpty()
        .noneMatch(m -> m.contains(SECRET));
    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(m -> m.contains("sasl.jaas.config"));
    assertThat(described).doesNotContain(SECRET);
  }

  @CommandLine.Command
  static final class Holder {
    @CommandLine.Mixin KafkaOptions options = new KafkaOptions();
  }
}
