package org.wireingest.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.ConfigException;
import org.wireingest.kafka.EmbeddedBroker;
import org.wireingest.kafka.KafkaConnection;
import org.wireingest.model.ErrorText;
import org.wireingest.model.LongArguments;
import picocli.CommandLine.Option;

/**
 * How every command reaches Kafka: an existing cluster, or the embedded broker under --data-dir;
 * and the client properties every client gets (TLS, SASL, ...), from three sources, later ones
 * winning: a properties file ({@code --kafka-config}), environment variables {@value #ENV_PREFIX}
 * {@code <KEY>} (upper case, dots as underscores: {@code WIRE_INGEST_KAFKA_SASL_JAAS_CONFIG} sets
 * {@code sasl.jaas.config}), and {@code -K KEY=VALUE}. Values may be secrets: they are passed to
 * the clients and never logged or printed (only the keys are).
 */
final class KafkaOptions {

  /** Prefix of the environment variables that set Kafka client properties. */
  static final String ENV_PREFIX = "WIRE_INGEST_KAFKA_";

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description =
          "Kafka cluster to use. Without it, a single-node broker runs embedded in this process with its data under --data-dir.")
  String bootstrapServers;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "./data",
      description =
          "Directory for the embedded broker's log (without --bootstrap-servers) and, for run and normalize, the normalizer's state (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "Kafka client properties file (Java properties, UTF-8 or ISO-8859-1 as Kafka's tools read it: security.protocol, sasl.*, ssl.*, ...) for every client; a 'kafka.' prefix is accepted. "
              + "WIRE_INGEST_KAFKA_<KEY> environment variables (e.g. WIRE_INGEST_KAFKA_SASL_JAAS_CONFIG) override it, -K overrides both. Values are never logged.")
  Path kafkaConfig;

  @Option(
      names = {"-K", "--kafka"},
      paramLabel = "KEY=VALUE",
      description =
          "Kafka client property passed to every client, e.g. -K security.protocol=SASL_SSL (a 'kafka.' prefix is accepted and removed). Repeatable. Values are never logged.")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  /** The environment read for {@value #ENV_PREFIX} variables (replaced in tests). */
  Map<String, String> environment = System.getenv();

  /**
   * @return the client properties from --kafka-config, the environment and -K, later sources
   *     winning; may hold secrets
   * @throws ConfigException when the --kafka-config file cannot be read
   */
  Map<String, String> clientProperties() {
    Map<String, String> out = new LinkedHashMap<>();
    if (kafkaConfig != null) {
      Properties file = new Properties();
      try {
        file.load(new StringReader(text(Files.readAllBytes(kafkaConfig))));
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigException(
            "--kafka-config " + kafkaConfig + ": cannot read: " + ErrorText.describe(e));
      }
      new TreeMap<>(file).forEach((k, v) -> out.put(withoutPrefix((String) k), (String) v));
    }
    new TreeMap<>(environment)
        .forEach(
            (k, v) -> {
              if (k.startsWith(ENV_PREFIX) && k.length() > ENV_PREFIX.length()) {
                out.put(
                    k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
              }
            });
    kafkaProperties.forEach((k, v) -> out.put(withoutPrefix(k), v));
    return out;
  }

  /**
   * A properties file's text: UTF-8, else ISO-8859-1, as Kafka's own tools read a client properties
   * file ({@code Properties.load(InputStream)}), so a file written for them (a password with a
   * Latin-1 accent, say) reads the same here. Any bytes are ISO-8859-1 text. A UTF-8 byte order
   * mark at the start (as Windows editors write one) is left out: {@link Properties} would read it
   * as part of the first key, so the key {@code security.protocol} with U+FEFF before it was passed
   * on as an unknown setting and the one meant was not set.
   */
  private static String text(byte[] bytes) {
    int start = startsWithUtf8Bom(bytes) ? UTF8_BOM.length : 0;
    ByteBuffer content = ByteBuffer.wrap(bytes, start, bytes.length - start);
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(content).toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, start, bytes.length - start, StandardCharsets.ISO_8859_1);
    }
  }

  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private static boolean startsWithUtf8Bom(byte[] bytes) {
    return bytes.length >= UTF8_BOM.length
        && bytes[0] == UTF8_BOM[0]
        && bytes[1] == UTF8_BOM[1]
        && bytes[2] == UTF8_BOM[2];
  }

  /**
   * @param servers the {@code --bootstrap-servers} value; null (the embedded broker) passes
   * @throws ConfigException naming the first entry that is not {@code HOST:PORT} with a port in
   *     1–65535 (Kafka's own parsing, {@link Utils#getHost}/{@link Utils#getPort}; IPv6 hosts in
   *     brackets; empty entries skipped, as Kafka does), or when no entry is left
   */
  static void checkBootstrapServers(String servers) {
    if (servers == null) {
      return;
    }
    boolean any = false;
    for (String entry : servers.split(",", -1)) {
      String s = entry.strip();
      if (s.isEmpty()) {
        continue; // Kafka skips empty entries too
      }
      Integer port = Utils.getPort(s);
      if (Utils.getHost(s) == null || port == null || port < 1 || port > 65535) {
        throw new ConfigException(
            "--bootstrap-servers: '"
                + s
                + "' is not HOST:PORT (give a comma-separated list such as kafka-1:9092,kafka-2:9092)");
      }
      any = true;
    }
    if (!any) {
      throw new ConfigException(
          "--bootstrap-servers: no HOST:PORT given (give a comma-separated list such as kafka-1:9092,kafka-2:9092)");
    }
  }

  /**
   * Checks {@code --bootstrap-servers} and every client setting ({@code --kafka-config}, the
   * environment, {@code -K}) without contacting anything, so a bad one is refused before the ops
   * server, a broker or a topic is started or made.
   *
   * @throws ConfigException (exit 2) for a bad {@code --bootstrap-servers} or an unreadable {@code
   *     --kafka-config}
   * @throws org.apache.kafka.common.config.ConfigException (exit 2) for a setting a Kafka client
   *     would refuse ({@link KafkaConnection#checkClientProperties})
   */
  void checkSettings() {
    if (settingsChecked) {
      return;
    }
    checkBootstrapServers(bootstrapServers);
    Map<String, String> properties = clientProperties();
    if (properties.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new ConfigException(
          "the cluster is set with --bootstrap-servers, not as the Kafka client setting bootstrap.servers (given by -K, --kafka-config or "
              + ENV_PREFIX
              + "BOOTSTRAP_SERVERS)");
    }
    for (String key : KafkaConnection.checkClientProperties(properties)) {
      LOG.warn(
          "Kafka client setting {} is not a setting of Kafka's admin, producer, consumer or Streams clients: passed on, but none of them reads it (a typo?)",
          LongArguments.shown(key));
    }
    settingsChecked = true;
  }

  /** Whether {@link #checkSettings} has passed: it checks and warns once per command. */
  private boolean settingsChecked;

  private static final Logger LOG = LoggerFactory.getLogger(KafkaOptions.class);

  private static String withoutPrefix(String key) {
    return key.startsWith("kafka.") ? key.substring("kafka.".length()) : key;
  }

  /**
   * Without {@code --bootstrap-servers}: refuses a {@code --data-dir} another process's embedded
   * broker holds, as {@link #connect()} would, but before a command starts its ops server.
   *
   * @throws StartupException (one line, exit 1) when the data dir is in use or not writable
   */
  void checkDataDirFree() {
    if (bootstrapServers != null) {
      return;
    }
    try {
      EmbeddedBroker.checkNotInUse(dataDir);
    } catch (RuntimeException e) {
      throw new StartupException(failed(CANNOT_START, e), e);
    }
  }

  /** What a start that failed on Kafka says first: {@value}. */
  private static final String CANNOT_START = "cannot start: ";

  /**
   * What a command that reads the embedded broker's topics ({@link #connectReachableToExisting})
   * says first when it failed on the data dir (another process holds it): {@value}.
   */
  private static final String CANNOT_READ_DATA_DIR = "cannot read the data dir: ";

  /**
   * Connects: to {@code --bootstrap-servers}, or an embedded broker on {@code --data-dir}.
   *
   * @throws StartupException (one line, exit 1, {@value #CANNOT_START} first) when the embedded
   *     broker cannot start or the data dir cannot be used; configuration errors stay {@link
   *     org.wireingest.config.ConfigException} (exit 2)
   */
  KafkaConnection connect() {
    return connect(CANNOT_START);
  }

  /**
   * @param failing what the failure's line says first, e.g. {@value #CANNOT_START}
   * @throws StartupException (one line, exit 1) when the embedded broker cannot start or the data
   *     dir cannot be used; configuration errors stay {@link org.wireingest.config.ConfigException}
   *     (exit 2)
   */
  private KafkaConnection connect(String failing) {
    checkSettings();
    try {
      return KafkaConnection.open(bootstrapServers, clientProperties(), dataDir);
    } catch (org.wireingest.config.ConfigException
        | org.apache.kafka.common.config.ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StartupException(failed(failing, e), e);
    }
  }

  /**
   * The one line of a start that failed on Kafka: {@code failing} ({@value #CANNOT_START}, {@value
   * #CANNOT_READ_DATA_DIR}) and the failure, then the {@code --bootstrap-servers} given when the
   * failure does not name it already (Kafka's "No resolvable bootstrap urls given in
   * bootstrap.servers" names no host).
   */
  private String failed(String failing, RuntimeException e) {
    String line = failing + ErrorText.message(e);
    return bootstrapServers == null || line.contains(bootstrapServers)
        ? line
        : line + " (--bootstrap-servers " + bootstrapServers + ")";
  }

  /**
   * {@link #connectReachable()} for a command that reads what {@code run} (or {@code poll}) wrote
   * ({@code tail}, {@code story}, {@code replay}): with the embedded broker, the data dir must hold
   * that broker's log already. A mistyped or forgotten {@code --data-dir} started a new, empty
   * broker there (making the directory), and the command then blamed {@code --bootstrap-servers}
   * for the missing topics, or {@code tail} waited for ever.
   *
   * @throws ConfigException (exit 2) when no {@code --bootstrap-servers} is given and {@code
   *     --data-dir} is a file or holds no embedded broker's log; nothing is created
   * @throws StartupException as {@link #connectReachable()}, its line starting {@value
   *     #CANNOT_READ_DATA_DIR} rather than {@value #CANNOT_START} with the embedded broker
   */
  KafkaConnection connectReachableToExisting() {
    if (bootstrapServers == null && Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
      throw new ConfigException(
          "--data-dir "
              + dataDir
              + " is a file, not a directory: give the --data-dir of the run that wrote the topics, or --bootstrap-servers for your own Kafka");
    }
    if (bootstrapServers == null && !EmbeddedBroker.hasLog(dataDir)) {
      throw new ConfigException(
          "--data-dir "
              + dataDir
              + " holds no wire-ingest data (no embedded Kafka broker's log in "
              + dataDir.resolve(EmbeddedBroker.LOG_DIR)
              // the default ./data is read from the working directory: a newcomer in another
              // directory otherwise sees only "./data" and not which one was looked at
              + (dataDir.isAbsolute()
                  ? ""
                  : ", read relative to the working directory " + Path.of("").toAbsolutePath())
              + "): give the --data-dir of the run that wrote the topics, or --bootstrap-servers for your own Kafka");
    }
    // the embedded broker's data dir is all these commands need: a refusal there is a failure to
    // read it, not to start something
    return connectReachable(bootstrapServers == null ? CANNOT_READ_DATA_DIR : CANNOT_START);
  }

  /**
   * Connects (an embedded broker on {@code --data-dir} when no {@code --bootstrap-servers} is
   * given), then waits until the cluster answers, at most {@link
   * ServiceCommand#BROKER_CONTACT_TIMEOUT}: every command that uses Kafka ({@code run}, {@code
   * poll}, {@code normalize}, {@code story}, {@code replay}, {@code tail}) fails alike on a wrong
   * or unreachable {@code --bootstrap-servers} ("cannot start: no Kafka broker answered at
   * HOST:PORT within 10s"), not after 30 s with a message about the offsets of some topic.
   *
   * @throws StartupException (one line, exit 1) when no broker answered
   * @throws org.apache.kafka.common.config.ConfigException (exit 2) when a client setting ({@code
   *     -K}, {@code --kafka-config}) is invalid: the first client is made here
   */
  KafkaConnection connectReachable() {
    return connectReachable(CANNOT_START);
  }

  private KafkaConnection connectReachable(String failing) {
    KafkaConnection conn = connect(failing);
    try {
      conn.awaitReachable(ServiceCommand.BROKER_CONTACT_TIMEOUT);
    } catch (org.apache.kafka.common.config.ConfigException e) {
      conn.close();
      throw e; // the first client is made here: a bad -K setting is a configuration error (exit 2)
    } catch (RuntimeException e) {
      conn.close();
      throw new StartupException(failed(failing, e), e);
    }
    return conn;
  }
}
