package org.wireingest.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.network.ConnectionMode;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;
import org.apache.kafka.common.security.ssl.SslFactory;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.storage.internals.log.LogConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.Durations;
import org.wireingest.model.ErrorText;
import org.wireingest.model.LongArguments;

/**
 * How every wire-ingest command reaches Kafka: either the cluster named by {@code
 * --bootstrap-servers}, or, when none is given, an {@link EmbeddedBroker} on the data dir.
 *
 * <p>Client properties are the user's {@code kafka.*} settings with the {@code kafka.} prefix
 * removed (e.g. {@code security.protocol}, {@code sasl.jaas.config}, {@code
 * ssl.truststore.location}) and are passed to every producer, consumer, admin and Streams client.
 * Their values may be secrets: they are never logged, and {@link #toString()} shows only their
 * keys.
 *
 * <p>Thread-safe. Close it once, when the command ends: it closes the admin client, then stops the
 * embedded broker if there is one.
 */
public final class KafkaConnection implements AutoCloseable {

  /** How long {@link #close()} waits for the admin client's pending requests: 5 s. */
  public static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);

  private final String bootstrapServers;
  private final Map<String, Object> clientProperties;
  private final EmbeddedBroker broker;
  private Admin admin;
  private boolean closed;

  /**
   * @param passThrough the client settings, config-provider references resolved ({@link
   *     #resolveConfigProviders})
   */
  private KafkaConnection(
      String bootstrapServers, Map<String, Object> passThrough, EmbeddedBroker broker) {
    this.bootstrapServers = bootstrapServers;
    Map<String, Object> properties = new LinkedHashMap<>(passThrough);
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.clientProperties = Map.copyOf(properties);
    this.broker = broker;
  }

  /**
   * Connects to the given cluster, or starts an embedded broker on {@code dataDir} when {@code
   * bootstrapServersOrNull} is null. Nothing is contacted yet in the first case.
   *
   * @param bootstrapServersOrNull {@code host:port[,host:port...]}; null for the embedded broker;
   *     never blank
   * @param clientProperties pass-through client settings without the {@code kafka.} prefix; never
   *     null; must not contain {@code bootstrap.servers}
   * @param dataDir the embedded broker's data dir; unused when bootstrap servers are given; never
   *     null
   * @return the open connection
   * @throws IllegalArgumentException when the bootstrap servers are blank, or the client properties
   *     set {@code bootstrap.servers}
   * @throws KafkaSetupException when the embedded broker cannot start (see {@link
   *     EmbeddedBroker#start})
   * @throws ConfigException when a config provider the client properties name cannot read its
   *     source ({@link #checkClientProperties} refuses that first)
   */
  public static KafkaConnection open(
      String bootstrapServersOrNull, Map<String, String> clientProperties, Path dataDir) {
    Objects.requireNonNull(clientProperties, "clientProperties");
    Objects.requireNonNull(dataDir, "dataDir");
    if (clientProperties.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException(
          "set the cluster with --bootstrap-servers, not with kafka."
              + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }
    // Before the embedded broker starts: a provider that cannot read its source leaves none behind.
    Map<String, Object> resolved = resolveConfigProviders(clientProperties);
    if (bootstrapServersOrNull != null) {
      if (bootstrapServersOrNull.isBlank()) {
        throw new IllegalArgumentException(
            "bootstrap servers must not be blank; omit them to use the embedded broker");
      }
      KafkaConnection connection =
          new KafkaConnection(bootstrapServersOrNull.strip(), resolved, null);
      LOG.info(
          "Using Kafka at {}{}",
          LongArguments.shown(connection.bootstrapServers),
          connection.describeKeys());
      return connection;
    }
    EmbeddedBroker broker = EmbeddedBroker.start(dataDir);
    KafkaConnection connection = new KafkaConnection(broker.bootstrapServers(), resolved, broker);
    LOG.info(
        "Using the embedded Kafka broker at {} (data dir {}){}",
        broker.bootstrapServers(),
        broker.dataDir(),
        connection.describeKeys());
    return connection;
  }

  /**
   * The definitions of the Kafka clients wire-ingest makes, each under the prefix with which Kafka
   * Streams passes a setting to that client alone ({@code StreamsConfig.PRODUCER_PREFIX}, ...);
   * Kafka Streams' own under the empty prefix, and the topic configs ({@code
   * StreamsConfig.TOPIC_PREFIX}, e.g. {@code topic.max.message.bytes}) Kafka Streams applies to the
   * internal topics it creates, checked against the broker's own definition of them.
   */
  private static final Map<String, ConfigDef> CLIENT_CONFIGS =
      Map.of(
          StreamsConfig.ADMIN_CLIENT_PREFIX,
          AdminClientConfig.configDef(),
          StreamsConfig.PRODUCER_PREFIX,
          ProducerConfig.configDef(),
          StreamsConfig.CONSUMER_PREFIX,
          ConsumerConfig.configDef(),
          StreamsConfig.MAIN_CONSUMER_PREFIX,
          ConsumerConfig.configDef(),
          StreamsConfig.RESTORE_CONSUMER_PREFIX,
          ConsumerConfig.configDef(),
          StreamsConfig.GLOBAL_CONSUMER_PREFIX,
          ConsumerConfig.configDef(),
          StreamsConfig.TOPIC_PREFIX,
          LogConfig.configDefCopy(),
          "",
          StreamsConfig.configDef());

  /**
   * Checks each pass-through client setting as the clients that read it will when they are made: a
   * plain key against every client that defines it (admin, producer, consumer, Kafka Streams), a
   * key with one of Kafka Streams' client prefixes ({@code producer.batch.size}, {@code
   * main.consumer.max.poll.records}, ...) against that client's definition, a {@code topic.} key
   * (Kafka Streams' internal topics) against the topic configs. Each value's type ({@code
   * max.task.idle.ms=abc}), its allowed values ({@code security.protocol=SSL2}) and the class a
   * class-valued setting names ({@code partitioner.class}) are checked. Nothing is contacted, so a
   * bad setting is refused before a broker starts or a topic is made. A value holding
   * config-provider references ({@code config.providers}) is checked as the providers resolve it,
   * as the clients do; a provider named without its class, or a reference its provider leaves
   * unresolved, is refused. With {@code security.protocol} {@code SSL} or {@code SASL_SSL} the key
   * and trust stores are loaded, and with {@code SASL_*} the JAAS login is read, as the clients
   * will ({@link #checkSecurity}). Keys no client defines are passed on and returned, and settings
   * that only conflict with each other, or name classes in a list ({@code interceptor.classes}),
   * are still left to the clients.
   *
   * @param clientProperties pass-through client settings without the {@code kafka.} prefix; never
   *     null
   * @return the keys no client defines (a typo such as {@code max.poll.recordz}, or a plugin's own
   *     setting), in key order; passed on all the same
   * @throws ConfigException for the first setting, in key order, that a client would refuse, with
   *     Kafka's message (it names the key and the value; a prefixed key is also named as given);
   *     then for a store or a JAAS login that cannot be loaded, naming its setting
   */
  public static List<String> checkClientProperties(Map<String, String> clientProperties) {
    List<String> providers = configProviders(clientProperties);
    Map<String, Object> resolved = resolveConfigProviders(clientProperties);
    List<String> unknown = new ArrayList<>();
    for (String given : new TreeSet<>(clientProperties.keySet())) {
      if (providers.stream().anyMatch(p -> given.startsWith(CONFIG_PROVIDERS_PREFIX + p + "."))) {
        continue; // the provider's own class and parameters: read by the client, defined by none
      }
      String value = String.valueOf(resolved.get(given));
      Matcher reference = PROVIDER_REFERENCE.matcher(value);
      while (reference.find()) {
        if (providers.contains(reference.group(1))) {
          throw new ConfigException(
              given
                  + " refers to config provider "
                  + reference.group(1)
                  + ", which did not resolve the reference (no such key in its source?)");
        }
      }
      String prefix =
          CLIENT_CONFIGS.keySet().stream()
              .filter(p -> !p.isEmpty() && given.startsWith(p))
              .findFirst()
              .orElse("");
      String key = given.substring(prefix.length());
      List<ConfigDef> readers =
          prefix.isEmpty()
              ? CLIENT_CONFIGS.entrySet().stream()
                  .filter(e -> !e.getKey().equals(StreamsConfig.TOPIC_PREFIX))
                  .map(Map.Entry::getValue)
                  .toList()
              : List.of(CLIENT_CONFIGS.get(prefix));
      if (readers.stream().noneMatch(d -> d.names().contains(key))) {
        unknown.add(given);
      }
      for (ConfigDef definition : readers) {
        if (!definition.names().contains(key)) {
          continue;
        }
        ConfigValue checked = definition.validateAll(Collections.singletonMap(key, value)).get(key);
        if (!checked.errorMessages().isEmpty()) {
          throw new ConfigException(
              checked.errorMessages().get(0)
                  + (prefix.isEmpty() ? "" : " (given as " + given + ")"));
        }
      }
    }
    checkSecurity(resolved);
    return unknown;
  }

  /** Kafka's message when it cannot load a TLS store; group 1: the path, group 2: the type. */
  private static final Pattern UNLOADABLE_STORE =
      Pattern.compile("Failed to load SSL keystore (.+) of type (\\S+)");

  /**
   * Loads what a TLS or SASL client loads when it is made, as it does: the key and trust stores
   * ({@code ssl.keystore.location}, {@code ssl.truststore.location}, their passwords and types, or
   * the PEM settings, through Kafka's own {@link SslFactory}) when {@code security.protocol} is
   * {@code SSL} or {@code SASL_SSL}, and the JAAS login ({@code sasl.jaas.config}, or the file of
   * {@code -Djava.security.auth.login.config}, through Kafka's {@link JaasContext}) when it is
   * {@code SASL_PLAINTEXT} or {@code SASL_SSL}. Without this, the first client made failed with
   * "cannot start: Failed to create new KafkaAdminClient: ..." (exit 1), the same text for a wrong
   * trust-store password as for a wrong key-store one, and a missing store added an ERROR with a
   * stack trace.
   *
   * @param resolved the client settings, config-provider references resolved
   * @throws ConfigException naming the setting: a store file that is missing, a directory or not
   *     readable; a store that cannot be loaded (wrong password, another type, not a store); TLS
   *     settings Kafka refuses otherwise; a missing or malformed JAAS login. Values are not quoted,
   *     paths excepted
   */
  private static void checkSecurity(Map<String, Object> resolved) {
    String protocol =
        String.valueOf(
                resolved.getOrDefault(
                    CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                    CommonClientConfigs.DEFAULT_SECURITY_PROTOCOL))
            .strip()
            .toUpperCase(Locale.ROOT);
    boolean tls = protocol.equals("SSL") || protocol.equals("SASL_SSL");
    boolean sasl = protocol.startsWith("SASL_");
    if (!tls && !sasl) {
      return;
    }
    Map<String, Object> parsed =
        new ConfigDef().withClientSslSupport().withClientSaslSupport().parse(resolved);
    if (tls) {
      checkStores(resolved, parsed);
    }
    if (sasl) {
      try {
        JaasContext.loadClientContext(parsed);
      } catch (IllegalArgumentException | SecurityException e) {
        String where =
            resolved.containsKey(SaslConfigs.SASL_JAAS_CONFIG)
                ? " (" + SaslConfigs.SASL_JAAS_CONFIG + ")"
                : ": set " + SaslConfigs.SASL_JAAS_CONFIG;
        throw new ConfigException(
            "security.protocol "
                + protocol
                + " needs a JAAS login, which could not be read: "
                + ErrorText.message(e)
                + where);
      }
    }
  }

  private static void checkStores(Map<String, Object> resolved, Map<String, Object> parsed) {
    Object engineFactory = resolved.get(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG);
    boolean ownEngineFactory =
        engineFactory != null
            && !String.valueOf(engineFactory).isBlank()
            && !String.valueOf(engineFactory)
                .strip()
                .equals(DefaultSslEngineFactory.class.getName());
    // An ssl.engine.factory.class of its own reads the store settings as it likes (a directory, a
    // vault reference): Kafka's clients leave them to it, and so does this check.
    for (String store :
        ownEngineFactory ? List.<String>of() : List.of("ssl.keystore", "ssl.truststore")) {
      Object location = resolved.get(store + ".location");
      if (location == null || String.valueOf(location).isBlank()) {
        continue;
      }
      Path file;
      try {
        file = Path.of(String.valueOf(location).strip());
      } catch (InvalidPathException e) {
        throw new ConfigException(store + ".location", location, "not a file path");
      }
      String why =
          !Files.exists(file)
              ? "no such file"
              : Files.isDirectory(file)
                  ? "a directory, not a store file"
                  : !Files.isReadable(file) ? "not readable" : null;
      if (why != null) {
        throw new ConfigException(store + ".location", location, why);
      }
    }
    try (SslFactory factory = new SslFactory(ConnectionMode.CLIENT)) {
      factory.configure(parsed);
    } catch (KafkaException e) {
      throw unloadableStore(resolved, e);
    }
  }

  /**
   * @return an exception naming the store setting whose file Kafka could not load, with Kafka's
   *     reason ("keystore password was incorrect", "Invalid keystore format"); one quoting {@code
   *     failure} when it names no store file of the settings
   */
  private static ConfigException unloadableStore(
      Map<String, Object> resolved, KafkaException failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      Matcher unloadable = UNLOADABLE_STORE.matcher(String.valueOf(t.getMessage()));
      if (!unloadable.matches() || t.getCause() == null) {
        continue;
      }
      String path = unloadable.group(1);
      List<String> stores =
          List.of("ssl.keystore", "ssl.truststore").stream()
              .filter(s -> path.equals(String.valueOf(resolved.get(s + ".location")).strip()))
              .toList();
      if (stores.isEmpty()) {
        break;
      }
      String reason = t.getCause().getMessage();
      if (reason == null || reason.isBlank()) {
        reason = ErrorText.message(t.getCause());
      }
      String store = stores.get(stores.size() - 1);
      return new ConfigException(
          store + ".location",
          path,
          "cannot be loaded as a "
              + unloadable.group(2)
              + " store: "
              + reason
              + " (check "
              + String.join(
                  " and ", stores.stream().map(s -> s + ".password, " + s + ".type").toList())
              + ")");
    }
    return new ConfigException("TLS settings (ssl.*) refused: " + ErrorText.message(failure));
  }

  /**
   * The config providers {@code config.providers} names, each with its class set: Kafka's clients
   * instantiate a named provider only when {@code config.providers.NAME.class} is set, and
   * otherwise pass its {@code ${NAME:path:key}} references on as they are (a JAAS reference then
   * failed with "Login module control flag is not available in the JAAS config").
   *
   * @return the provider names, in the order given; empty when {@code config.providers} is not set
   * @throws ConfigException when a named provider has no class, or a name has white space around it
   *     ({@code file, env}: Kafka's clients do not strip it, and resolve no {@code ${env:...}})
   */
  private static List<String> configProviders(Map<String, String> clientProperties) {
    String names = clientProperties.get(AbstractConfig.CONFIG_PROVIDERS_CONFIG);
    List<String> providers = new ArrayList<>();
    if (names == null) {
      return providers;
    }
    for (String name : names.split(",")) {
      String provider = name.strip();
      if (provider.isEmpty()) {
        continue;
      }
      if (!provider.equals(name)) {
        // Kafka's clients take each name as written between the commas, spaces and all
        throw new ConfigException(
            AbstractConfig.CONFIG_PROVIDERS_CONFIG
                + " names \""
                + name
                + "\", with white space that Kafka's clients keep: they would look for "
                + CONFIG_PROVIDERS_PREFIX
                + name
                + ".class and leave ${"
                + provider
                + ":...} references unresolved (write the names without spaces: "
                + String.join(",", names.strip().split("\\s*,\\s*"))
                + ")");
      }
      String classKey = CONFIG_PROVIDERS_PREFIX + provider + ".class";
      if (clientProperties.getOrDefault(classKey, "").isBlank()) {
        throw new ConfigException(
            AbstractConfig.CONFIG_PROVIDERS_CONFIG
                + " names "
                + provider
                + " but "
                + classKey
                + " is not set: Kafka's clients would leave ${"
                + provider
                + ":...} references unresolved (for files: "
                + classKey
                + "=org.apache.kafka.common.config.provider.FileConfigProvider)");
      }
      providers.add(provider);
    }
    return providers;
  }

  private static final String CONFIG_PROVIDERS_PREFIX =
      AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".";

  /**
   * A reference a config provider resolves, {@code ${provider:[path:]key}}, as Kafka's {@code
   * ConfigTransformer} finds them; group 1 is the provider.
   */
  private static final Pattern PROVIDER_REFERENCE = Pattern.compile("\\$\\{([^}:]*):[^}]*}");

  /** Kafka's message when its {@code FileConfigProvider} cannot read a file; group 1: the path. */
  private static final Pattern UNREADABLE_FILE =
      Pattern.compile("Could not read properties from file (.+)");

  /**
   * The settings with their config-provider references ({@code ${file:path:key}}) replaced by the
   * values the providers give, as each Kafka client does when it is made, so that the settings
   * wire-ingest reads itself ({@code request.timeout.ms}, {@code num.stream.threads}, {@code
   * security.protocol}) are values too. A reference its provider cannot resolve is left as it is,
   * as Kafka does.
   *
   * @return a modifiable copy, in the order given; the settings themselves when {@code
   *     config.providers} is not set
   * @throws ConfigException when a provider cannot be made (its class cannot be loaded, is no
   *     {@link ConfigProvider}, or has no public no-argument constructor), or cannot read its
   *     source (Kafka's message), or its source is malformed (a properties file with a bad escape)
   */
  private static Map<String, Object> resolveConfigProviders(Map<String, ?> settings) {
    if (!settings.containsKey(AbstractConfig.CONFIG_PROVIDERS_CONFIG)) {
      return new LinkedHashMap<>(settings);
    }
    Map<String, Object> resolved = new LinkedHashMap<>(settings);
    try {
      resolved.putAll(new AbstractConfig(new ConfigDef(), settings, false).originals());
    } catch (ConfigException e) {
      throw new ConfigException(withUnreadableFileReason(e.getMessage()));
    } catch (KafkaException | ClassCastException e) {
      // Kafka turns only a provider class it cannot load into a ConfigException: one that is no
      // ConfigProvider, or has no public no-argument constructor, escaped with a stack trace
      throw unmadeProvider(settings, e);
    } catch (IllegalArgumentException e) {
      // FileConfigProvider turns only an IOException into a ConfigException: a file Properties
      // cannot read (a backslash and u not starting a \\uXXXX escape) escaped with a stack trace
      throw new ConfigException(
          "a config provider could not read its source: " + ErrorText.message(e));
    }
    return resolved;
  }

  /**
   * Kafka's {@code FileConfigProvider} says which file it could not read but not why: it logs the
   * why as an ERROR with a stack trace, which {@code logback.xml} drops, since the command's one
   * line says it. This adds the why to that line.
   *
   * @param message Kafka's message; never null
   * @return {@code message} plus {@code " (no such file)"}, {@code " (a directory)"} or {@code "
   *     (not readable)"} when it names a file in that state; else {@code message}
   */
  static String withUnreadableFileReason(String message) {
    Matcher unreadable = UNREADABLE_FILE.matcher(message);
    if (!unreadable.matches()) {
      return message;
    }
    Path file;
    try {
      file = Path.of(unreadable.group(1));
    } catch (InvalidPathException e) {
      return message;
    }
    String why =
        !Files.exists(file)
            ? "no such file"
            : Files.isDirectory(file)
                ? "a directory"
                : !Files.isReadable(file) ? "not readable" : null;
    return why == null ? message : message + " (" + why + ")";
  }

  /**
   * The setting of the config provider Kafka could not make, found by making each provider {@code
   * config.providers} names in turn (and closing it at once, unconfigured).
   *
   * @param failure what Kafka threw
   * @return an exception naming the provider's {@code config.providers.NAME.class} setting and its
   *     value, a class name; one quoting {@code failure} when every provider can be made alone
   */
  private static ConfigException unmadeProvider(Map<String, ?> settings, RuntimeException failure) {
    String names = String.valueOf(settings.get(AbstractConfig.CONFIG_PROVIDERS_CONFIG));
    for (String name : names.split(",")) {
      String key = CONFIG_PROVIDERS_PREFIX + name + ".class";
      Object className = settings.get(key);
      if (className == null) {
        continue;
      }
      try {
        Utils.newInstance(String.valueOf(className).strip(), ConfigProvider.class).close();
      } catch (ClassCastException e) {
        return new ConfigException(key, className, "not a " + ConfigProvider.class.getName());
      } catch (KafkaException | ClassNotFoundException | IOException e) {
        return new ConfigException(key, className, e.getMessage());
      }
    }
    return new ConfigException(
        AbstractConfig.CONFIG_PROVIDERS_CONFIG
            + ": a config provider could not be made: "
            + ErrorText.message(failure));
  }

  /**
   * @return {@code host:port[,host:port...]}; never null
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * @return the properties every client starts from: {@code bootstrap.servers} plus the
   *     pass-through settings; unmodifiable (copy it to add client-specific settings); may hold
   *     secrets
   */
  public Map<String, Object> clientProperties() {
    return clientProperties;
  }

  /**
   * @return the shared admin client, created on first use; closed by {@link #close()}, never by the
   *     caller
   * @throws IllegalStateException when the connection is closed
   */
  public synchronized Admin admin() {
    if (closed) {
      throw new IllegalStateException("the Kafka connection to " + bootstrapServers + " is closed");
    }
    if (admin == null) {
      admin = Admin.create(clientProperties);
    }
    return admin;
  }

  /**
   * Checks that the cluster answers (Admin {@code describeCluster}), so that a wrong or unreachable
   * address fails start-up quickly and clearly instead of after the longer deadlines of the calls
   * that follow (topic creation waits up to 60 s).
   *
   * @param timeout the longest wait; positive
   * @throws KafkaSetupException when no broker answered within {@code timeout} (message names the
   *     bootstrap servers and the wait), or the call failed (e.g. not authorised)
   * @throws IllegalStateException when the connection is closed
   */
  public void awaitReachable(Duration timeout) {
    try {
      admin()
          .describeCluster(
              new DescribeClusterOptions()
                  .timeoutMs((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())))
          .clusterId()
          .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KafkaSetupException(
          "no Kafka broker answered at "
              + bootstrapServers
              + " within "
              + Durations.format(timeout)
              + ": "
              + ErrorText.message(e)
              + connectionsHint(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaSetupException(
          "no Kafka broker answered at "
              + bootstrapServers
              + " within "
              + Durations.format(timeout)
              + connectionsHint(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaSetupException("interrupted while contacting Kafka at " + bootstrapServers, e);
    }
  }

  /**
   * What the admin client's own connection counts tell of a cluster that did not answer: its {@code
   * connection-creation-total}, {@code connection-close-total} and {@code response-total} (Kafka's
   * selector metrics, group {@code admin-client-metrics}). Kafka's exception is the same timeout
   * whatever happened, so an SSL client at a PLAINTEXT listener (a TLS handshake the broker drops:
   * "terminated during authentication", logged once), or the reverse (a request the TLS listener
   * drops, nothing logged), read as a network problem.
   *
   * @return {@link #connectionsHint} of the counts; empty when the metrics cannot be read
   */
  private String connectionsHint() {
    double opened = 0;
    double closed = 0;
    double answered = 0;
    try {
      for (var e : admin().metrics().entrySet()) {
        if (!e.getKey().group().equals("admin-client-metrics")
            || !(e.getValue().metricValue() instanceof Double value)) {
          continue;
        }
        switch (e.getKey().name()) {
          case "connection-creation-total" -> opened += value;
          case "connection-close-total" -> closed += value;
          case "response-total" -> answered += value;
          default -> {
            // not a count read here
          }
        }
      }
    } catch (RuntimeException e) {
      return "";
    }
    Object protocol = clientProperties.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
    return connectionsHint(
        (long) opened,
        (long) closed,
        (long) answered,
        protocol == null ? null : protocol.toString());
  }

  /**
   * The hint added to "no Kafka broker answered", from the admin client's connection counts. No
   * connection opened (a refused or failed connect counts as closed, never as opened): nothing
   * listens there, so the user checks the broker and {@code --bootstrap-servers}. Connections
   * opened and closed without a response: what a listener of another security protocol does (TLS
   * bytes at a PLAINTEXT listener, or a Kafka request at a TLS one). A broker that hangs keeps its
   * connections open and gets no hint.
   *
   * @param opened TCP connections the client completed
   * @param closed connections closed again, failed connects included
   * @param answered responses received
   * @param securityProtocol the client's {@code security.protocol} as configured; null for the
   *     default, PLAINTEXT. An enumerated setting, never a secret, so it may be quoted
   * @return {@code "; no connection to it could be opened: is the broker running, and does
   *     --bootstrap-servers name its listener?"} when none opened; {@code "; 8 connections to it
   *     opened and were closed without an answer: probably a security.protocol mismatch (this
   *     client uses SSL, the listener there another protocol): check -K security.protocol,
   *     --kafka-config and WIRE_INGEST_KAFKA_SECURITY_PROTOCOL"} when some opened, some closed and
   *     none answered; else empty
   */
  static String connectionsHint(long opened, long closed, long answered, String securityProtocol) {
    if (answered > 0) {
      return "";
    }
    if (opened == 0) {
      return "; no connection to it could be opened: is the broker running, and does"
          + " --bootstrap-servers name its listener?";
    }
    if (closed == 0) {
      return "";
    }
    String protocol =
        securityProtocol == null
            ? "PLAINTEXT, the default"
            : securityProtocol.strip().toUpperCase(Locale.ROOT);
    return "; "
        + (opened == 1
            ? "a connection to it opened and was"
            : opened + " connections to it opened and were")
        + " closed without an answer: probably a security.protocol mismatch (this client uses "
        + protocol
        + ", the listener there another protocol): check -K security.protocol, --kafka-config and"
        + " WIRE_INGEST_KAFKA_SECURITY_PROTOCOL";
  }

  /**
   * The cluster as a message to a person should name it: the bootstrap servers, or for the embedded
   * broker, whose port is new at every start, {@code the embedded broker of --data-dir DIR}.
   *
   * @return a short description; never null
   */
  public String where() {
    return broker == null
        ? bootstrapServers
        : "the embedded broker of --data-dir " + broker.dataDir();
  }

  /**
   * @return true when this connection runs its own embedded broker
   */
  public boolean embedded() {
    return broker != null;
  }

  /**
   * Closes the admin client (waiting at most {@link #ADMIN_CLOSE_TIMEOUT}), then stops the embedded
   * broker. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (admin != null) {
        admin.close(ADMIN_CLOSE_TIMEOUT);
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  @Override
  public String toString() {
    return "KafkaConnection["
        + bootstrapServers
        + (embedded() ? ", embedded" : "")
        + describeKeys()
        + "]";
  }

  private String describeKeys() {
    TreeSet<String> keys = new TreeSet<>(clientProperties.keySet());
    keys.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    // a key typed by mistake (-K) may be of any length
    return keys.isEmpty()
        ? ""
        : " with client properties " + keys.stream().map(LongArguments::shown).toList();
  }
}
