package org.wireingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.apache.kafka.common.security.auth.SslEngineFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wireingest.model.LongArguments;
import org.wireingest.testing.LogCapture;

class KafkaConnectionTest {

  private static final Map<String, String> SASL =
      Map.of(
          "security.protocol", "SASL_SSL",
          "sasl.jaas.config",
              "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cret\";");

  @TempDir Path dataDir;

  /**
   * A 100 KB {@code --bootstrap-servers} (or {@code -K} key) typed by mistake was logged whole in
   * the INFO line naming the cluster: a log line of 100 KB. Cut as the error lines cut it.
   */
  @Test
  void shouldCutAHugeBootstrapServersAndClientPropertyShortInItsLogLine() {
    String servers = "kafka-1:9093," + "k".repeat(100_000) + ":9093";
    String key = "linger." + "m".repeat(100_000);
    List<String> lines;
    try (LogCapture log = LogCapture.of(KafkaConnection.class);
        KafkaConnection connection = KafkaConnection.open(servers, Map.of(key, "5"), dataDir)) {
      lines = log.containing("Using Kafka at");
    }

    assertThat(lines)
        .singleElement()
        .asString()
        .startsWith("Using Kafka at " + servers.substring(0, LongArguments.MOST_SHOWN) + "…")
        .contains(key.substring(0, LongArguments.MOST_SHOWN) + "…")
        .hasSizeLessThan(1000);
  }

  @Test
  void shouldPassBootstrapServersAndClientPropertiesToEveryClient() {
    try (KafkaConnection connection =
        KafkaConnection.open("kafka-1:9093,kafka-2:9093", SASL, dataDir)) {
      assertThat(connection.bootstrapServers()).isEqualTo("kafka-1:9093,kafka-2:9093");
      assertThat(connection.clientProperties())
          .containsEntry("bootstrap.servers", "kafka-1:9093,kafka-2:9093")
          .contains(entry("security.protocol", "SASL_SSL"))
          .containsKey("sasl.jaas.config");
    }
  }

  @Test
  void shouldNotStartABrokerWhenBootstrapServersAreGiven() {
    try (KafkaConnection connection = KafkaConnection.open("localhost:9092", Map.of(), dataDir)) {
      assertThat(connection.embedded()).isFalse();
      assertThat(connection.where()).isEqualTo("localhost:9092");
    }
    assertThat(dataDir).isEmptyDirectory();
  }

  @Test
  void shouldShowClientPropertyKeysButNeverTheirValues() {
    try (KafkaConnection connection = KafkaConnection.open("localhost:9092", SASL, dataDir)) {
      assertThat(connection.toString()).contains("sasl.jaas.config").doesNotContain("s3cret");
    }
  }

  /**
   * Each client reads the settings it defines: a key only Kafka Streams defines, one only the
   * producer or the consumer defines, one all of them define, and one with a Kafka Streams client
   * prefix are all checked before any client is made.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "max.task.idle.ms | abc | Invalid value abc for configuration max.task.idle.ms: Not a number of type LONG",
        "linger.ms | soon | Invalid value soon for configuration linger.ms: Not a number of type LONG",
        "max.poll.records | 0 | Invalid value 0 for configuration max.poll.records: Value must be at least 1",
        "security.protocol | SSL2 | Invalid value SSL2 for configuration security.protocol: String must be one of",
        "partitioner.class | com.example.NoSuchPartitioner | Invalid value com.example.NoSuchPartitioner for configuration partitioner.class: Class com.example.NoSuchPartitioner could not be found",
        "producer.batch.size | big | Invalid value big for configuration batch.size: Not a number of type INT (given as producer.batch.size)",
        "main.consumer.fetch.max.bytes | -1 | Invalid value -1 for configuration fetch.max.bytes: Value must be at least 0 (given as main.consumer.fetch.max.bytes)",
      })
  void shouldRefuseAClientSettingThatAClientWouldRefuse(String key, String value, String message) {
    Map<String, String> settings = Map.of("client.rack", "rack-1", key, value);

    assertThatThrownBy(() -> KafkaConnection.checkClientProperties(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void shouldAcceptValidClientSettingsAndLeaveUnknownKeysToTheClients() {
    KafkaConnection.checkClientProperties(
        Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cret\";",
            "max.task.idle.ms", "-1",
            "producer.compression.type", "zstd",
            "main.consumer.max.poll.records", "500",
            "no.such.setting", "anything"));
  }

  // Found by running normalize -K topic.max.message.bytes=600000, as the README advises for a
  // cluster whose message.max.bytes is small: Kafka Streams applies topic.-prefixed settings to
  // the internal topics it creates, yet the key was returned as one no client reads, and the
  // command warned "(a typo?)" of the very setting the README gives.
  @Test
  void shouldTakeTopicPrefixedSettingsAsTheInternalTopicsOfKafkaStreamsAndCheckThem() {
    assertThat(
            KafkaConnection.checkClientProperties(
                Map.of(
                    "topic.max.message.bytes", "600000",
                    "topic.segment.ms", "3600000",
                    "topic.no.such.setting", "1",
                    "retention.ms", "1")))
        .containsExactly("retention.ms", "topic.no.such.setting");
    assertThatThrownBy(
            () -> KafkaConnection.checkClientProperties(Map.of("topic.max.message.bytes", "big")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("max.message.bytes")
        .hasMessageContaining("(given as topic.max.message.bytes)");
  }

  // Found in a test of the README's secured-cluster notes: -K config.providers=file with
  // -K 'request.timeout.ms=${file:...}' (or security.protocol) was refused at start-up ("Not a
  // number of type INT"), the reference checked as if it were the value, though every client
  // resolves it first.
  @Test
  void shouldLeaveAConfigProviderReferenceToTheClientThatResolvesIt() throws Exception {
    Path secrets = dataDir.resolve("kafka.properties");
    Files.writeString(secrets, "protocol=SSL\ntimeout=45000\n");
    Map<String, String> settings =
        withFileProvider(
            "security.protocol",
            "${file:" + secrets + ":protocol}",
            "request.timeout.ms",
            "${file:" + secrets + ":timeout}");

    assertThat(KafkaConnection.checkClientProperties(settings)).isEmpty();
    Map<String, Object> client = new HashMap<>(settings);
    client.put("bootstrap.servers", "localhost:9092");
    AdminClientConfig resolved = new AdminClientConfig(client);
    assertThat(resolved.getString("security.protocol")).isEqualTo("SSL");
    assertThat(resolved.getInt("request.timeout.ms")).isEqualTo(45000);
  }

  // Found in the same run: with config.providers=file alone, as the README said, Kafka's clients
  // make no provider and pass ${file:...} on as it is; a JAAS reference then failed at the first
  // client with "Login module control flag is not available in the JAAS config".
  @Test
  void shouldRefuseAConfigProviderWithoutItsClass() {
    Map<String, String> settings =
        Map.of(
            "config.providers", "file",
            "sasl.jaas.config", "${file:/run/secrets/kafka.properties:sasl.jaas.config}");

    assertThatThrownBy(() -> KafkaConnection.checkClientProperties(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "config.providers names file but config.providers.file.class is not set")
        .hasMessageContaining(FileConfigProvider.class.getName());
  }

  // config.providers=file, env (a space after the comma) with both classes set: Kafka's clients
  // made
  // no provider " env", and ${env:...} was refused as "did not resolve the reference (no such key
  // in its source?)", though the variable was set.
  @Test
  void shouldRefuseAConfigProviderNameWithWhiteSpaceThatKafkaKeeps() {
    Map<String, String> settings = withFileProvider("security.protocol", "${env:PATH}");
    settings.put("config.providers", "file, env");
    settings.put("config.providers.env.class", EnvVarConfigProvider.class.getName());

    assertThatThrownBy(() -> KafkaConnection.checkClientProperties(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config.providers names \" env\", with white space that Kafka's clients keep: they"
                + " would look for config.providers. env.class and leave ${env:...} references"
                + " unresolved (write the names without spaces: file,env)");
  }

  @Test
  void shouldRefuseAReferenceItsConfigProviderLeavesUnresolvedNamingTheKeyOnly() throws Exception {
    Path secrets = dataDir.resolve("kafka.properties");
    Files.writeString(secrets, "protocol=SASL_SSL\n");
    Map<String, String> settings =
        withFileProvider("sasl.jaas.config", "${file:" + secrets + ":sasl.jaas.config}");

    assertThatThrownBy(() -> KafkaConnection.checkClientProperties(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "sasl.jaas.config refers to config provider file, which did not resolve the reference (no such key in its source?)");
  }

  // The poller reads request.timeout.ms itself (its delivery timeout): given as a reference, it
  // failed with a NumberFormatException and a stack trace once the check let it through.
  @Test
  void shouldGiveEveryClientTheValuesTheConfigProvidersResolve() throws Exception {
    Path secrets = dataDir.resolve("kafka.properties");
    Files.writeString(secrets, "timeout=45000\n");
    Map<String, String> settings =
        withFileProvider("request.timeout.ms", "${file:" + secrets + ":timeout}");

    try (KafkaConnection connection = KafkaConnection.open("localhost:9092", settings, dataDir)) {
      assertThat(connection.clientProperties()).containsEntry("request.timeout.ms", "45000");
    }
  }

  @Test
  void shouldStartNoEmbeddedBrokerWhenAConfigProviderCannotReadItsSource() {
    Map<String, String> settings =
        withFileProvider(
            "sasl.jaas.config", "${file:" + dataDir.resolve("missing.properties") + ":jaas}");

    assertThatThrownBy(() -> KafkaConnection.open(null, settings, dataDir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing.properties");
    assertThat(dataDir).isEmptyDirectory();
  }

  // Kafka's message names the file but not why it could not be read; its ERROR line with the why
  // and a stack trace is dropped by logback.xml, so the one line says it.
  @Test
  void shouldSayWhyAConfigProviderCouldNotReadItsFile() throws Exception {
    Path missing = dataDir.resolve("missing.properties");
    Path directory = Files.createDirectory(dataDir.resolve("secrets"));

    assertThatThrownBy(
            () ->
                KafkaConnection.checkClientProperties(
                    withFileProvider("sasl.jaas.config", "${file:" + missing + ":jaas}")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Could not read properties from file " + missing + " (no such file)");
    assertThatThrownBy(
            () ->
                KafkaConnection.checkClientProperties(
                    withFileProvider("sasl.jaas.config", "${file:" + directory + ":jaas}")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Could not read properties from file " + directory + " (a directory)");
    assertThat(KafkaConnection.withUnreadableFileReason("Invalid value x for configuration y"))
        .isEqualTo("Invalid value x for configuration y");
  }

  // A provider's file with a backslash-u that starts no escape (a Windows path, C:\\users\\x)
  // escaped from Properties.load as an IllegalArgumentException with a stack trace, exit 1.
  @Test
  void shouldRefuseAConfigProviderFileThatIsNoPropertiesFileInOneLine() throws Exception {
    Path file = Files.writeString(dataDir.resolve("secrets.properties"), "jaas=C:\\users\\x\n");
    Map<String, String> settings =
        withFileProvider("sasl.jaas.config", "${file:" + file + ":jaas}");

    assertThatThrownBy(() -> KafkaConnection.open(null, settings, dataDir))
        .isInstanceOf(ConfigException.class)
        .hasMessage("a config provider could not read its source: Malformed \\uxxxx encoding.");
    assertThat(dataDir).isDirectoryNotContaining(p -> !p.equals(file));
  }

  // config.providers.file.class=java.lang.String escaped from Kafka's AbstractConfig as a
  // ClassCastException ("class java.lang.String") with a stack trace, exit 1: Kafka turns only a
  // provider class it cannot load into a ConfigException.
  @Test
  void shouldRefuseAConfigProviderClassThatIsNoConfigProviderNamingItsSetting() {
    Map<String, String> settings = withFileProvider("sasl.jaas.config", "${file:/x:jaas}");
    settings.put("config.providers.file.class", String.class.getName());

    assertThatThrownBy(() -> KafkaConnection.checkClientProperties(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value java.lang.String for configuration config.providers.file.class: not a "
                + ConfigProvider.class.getName());
  }

  // The ConfigProvider interface itself (or any provider without a public no-argument
  // constructor) escaped as a KafkaException with a stack trace, exit 1.
  @Test
  void shouldRefuseAConfigProviderClassKafkaCannotMake() {
    Map<String, String> settings = withFileProvider("sasl.jaas.config", "${file:/x:jaas}");
    settings.put("config.providers.file.class", ConfigProvider.class.getName());

    assertThatThrownBy(() -> KafkaConnection.open(null, settings, dataDir))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value "
                + ConfigProvider.class.getName()
                + " for configuration config.providers.file.class: Could not find a public"
                + " no-argument constructor for "
                + ConfigProvider.class.getName());
    assertThat(dataDir).isEmptyDirectory();
  }

  @Test
  void shouldCheckAReferenceAsAValueWhenNoConfigProviderIsSet() {
    Map<String, String> settings = Map.of("security.protocol", "${file:/x.properties:protocol}");

    assertThatThrownBy(() -> KafkaConnection.checkClientProperties(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("String must be one of");
  }

  @Test
  void shouldRejectBootstrapServersSetAsAClientProperty() {
    assertThatThrownBy(
            () ->
                KafkaConnection.open(null, Map.of("bootstrap.servers", "localhost:9092"), dataDir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--bootstrap-servers");
  }

  @Test
  void shouldStartAnEmbeddedBrokerOnTheDataDirWithoutBootstrapServers() throws Exception {
    try (KafkaConnection connection = KafkaConnection.open(null, Map.of(), dataDir)) {
      assertThat(connection.embedded()).isTrue();
      assertThat(connection.admin().describeCluster().nodes().get()).hasSize(1);
      assertThat(dataDir.resolve(EmbeddedBroker.LOG_DIR).resolve("meta.properties")).exists();
    }
  }

  // Found on a real run: a wrong trust-store password and a wrong key-store password both read
  // "cannot start: Failed to create new KafkaAdminClient: failed to decrypt safe contents entry:
  // ..." (exit 1), naming neither setting nor file, and a missing store added an ERROR with a
  // stack trace. The stores are loaded with the other settings now, as the clients load them.
  @Test
  void shouldNameTheStoreSettingWhoseStoreCannotBeLoaded() throws Exception {
    Path store = trustStore("right-password");

    assertThatThrownBy(
            () ->
                KafkaConnection.checkClientProperties(
                    Map.of(
                        "security.protocol", "SSL",
                        "ssl.truststore.location", store.toString(),
                        "ssl.truststore.password", "wrong-password")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value "
                + store
                + " for configuration ssl.truststore.location: cannot be loaded as a JKS store:"
                + " keystore password was incorrect (check ssl.truststore.password,"
                + " ssl.truststore.type)");
    assertThatThrownBy(
            () ->
                KafkaConnection.checkClientProperties(
                    Map.of(
                        "security.protocol",
                        "SASL_SSL",
                        "sasl.jaas.config",
                        SASL.get("sasl.jaas.config"),
                        "ssl.keystore.location",
                        store.toString(),
                        "ssl.keystore.password",
                        "wrong-password")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("for configuration ssl.keystore.location: cannot be loaded")
        .hasMessageNotContaining("wrong-password");
    Path notAStore = Files.writeString(dataDir.resolve("client.properties"), "a=b\n");
    assertThatThrownBy(
            () ->
                KafkaConnection.checkClientProperties(
                    Map.of(
                        "security.protocol", "SSL",
                        "ssl.truststore.location", notAStore.toString(),
                        "ssl.truststore.password", "right-password")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ssl.truststore.location: cannot be loaded as a JKS store: ");
  }

  @Test
  void shouldRefuseAMissingStoreFileInOneLine() {
    Path missing = dataDir.resolve("missing.p12");

    assertThatThrownBy(
            () ->
                KafkaConnection.checkClientProperties(
                    Map.of(
                        "security.protocol", "SSL", "ssl.truststore.location", missing.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value "
                + missing
                + " for configuration ssl.truststore.location: no such file");
    assertThatThrownBy(
            () ->
                KafkaConnection.checkClientProperties(
                    Map.of(
                        "security.protocol", "SASL_SSL",
                        "sasl.jaas.config", SASL.get("sasl.jaas.config"),
                        "ssl.keystore.location", dataDir.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value "
                + dataDir
                + " for configuration ssl.keystore.location: a directory, not a store file");
  }

  @Test
  void shouldAcceptALoadableStoreAndIgnoreStoresWithoutTls() throws Exception {
    Path store = trustStore("right-password");

    assertThat(
            KafkaConnection.checkClientProperties(
                Map.of(
                    "security.protocol", "SSL",
                    "ssl.truststore.location", store.toString(),
                    "ssl.truststore.password", "right-password",
                    "ssl.truststore.type", "PKCS12")))
        .isEmpty();
    // a PLAINTEXT client never opens its stores: nor does the check
    assertThat(
            KafkaConnection.checkClientProperties(
                Map.of("ssl.truststore.location", dataDir.resolve("missing.p12").toString())))
        .isEmpty();
  }

  // SASL without a JAAS login read "cannot start: Failed to create new KafkaAdminClient: Could not
  // find a 'KafkaClient' entry in the JAAS configuration..." (exit 1).
  @Test
  void shouldRefuseASaslClientWithoutAReadableJaasLoginNamingTheSetting() {
    assertThatThrownBy(
            () ->
                KafkaConnection.checkClientProperties(
                    Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("security.protocol SASL_PLAINTEXT needs a JAAS login")
        .hasMessageEndingWith(": set sasl.jaas.config");
    assertThatThrownBy(
            () ->
                KafkaConnection.checkClientProperties(
                    Map.of(
                        "security.protocol",
                        "SASL_SSL",
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule password=\"s3cret\";")))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("(sasl.jaas.config)")
        .hasMessageNotContaining("s3cret");
    assertThat(KafkaConnection.checkClientProperties(SASL)).isEmpty();
  }

  /**
   * @return a PKCS12 trust store under the temporary directory holding one certificate (taken from
   *     the running JDK's own trust store), protected by {@code password}
   */
  private Path trustStore(String password) throws Exception {
    KeyStore jdk = KeyStore.getInstance(KeyStore.getDefaultType());
    Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    try (InputStream in = Files.newInputStream(cacerts)) {
      jdk.load(in, null);
    }
    String alias = Collections.list(jdk.aliases()).get(0);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", jdk.getCertificate(alias));
    Path file = dataDir.resolve("truststore.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }

  /**
   * @param keysAndValues client settings, key then value
   * @return them with {@code config.providers=file} and its class, Kafka's {@link
   *     FileConfigProvider}
   */
  private static Map<String, String> withFileProvider(String... keysAndValues) {
    Map<String, String> settings = new HashMap<>();
    settings.put("config.providers", "file");
    settings.put("config.providers.file.class", FileConfigProvider.class.getName());
    for (int i = 0; i < keysAndValues.length; i += 2) {
      settings.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return settings;
  }

  /**
   * A TLS engine factory of its own ({@code ssl.engine.factory.class}) reads the store settings
   * itself, and Kafka's clients pass them to it unread: a key-store location that is no file for
   * Kafka's default factory (a vault reference, a directory of PEM files) was refused at start-up
   * as "no such file".
   */
  @Test
  void shouldLeaveTheStoreSettingsToAnSslEngineFactoryOfItsOwn() throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("security.protocol", "SSL");
    settings.put("ssl.engine.factory.class", OwnSslEngineFactory.class.getName());
    settings.put("ssl.keystore.location", "vault:kafka/client-keystore");
    settings.put("ssl.truststore.location", dataDir.toString());

    assertThat(KafkaConnection.checkClientProperties(settings)).isEmpty();
    assertThat(OwnSslEngineFactory.configured).as("the factory was made and configured").isTrue();
  }

  /** A TLS engine factory that reads no store: it uses the JVM's default TLS context. */
  public static final class OwnSslEngineFactory implements SslEngineFactory {
    static volatile boolean configured;

    @Override
    public SSLEngine createClientSslEngine(String host, int port, String identification) {
      try {
        return SSLContext.getDefault().createSSLEngine(host, port);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public SSLEngine createServerSslEngine(String host, int port) {
      throw new UnsupportedOperationException("client only");
    }

    @Override
    public boolean shouldBeRebuilt(Map<String, Object> nextConfigs) {
      return false;
    }

    @Override
    public Set<String> reconfigurableConfigs() {
      return Set.of();
    }

    @Override
    public KeyStore keystore() {
      return null;
    }

    @Override
    public KeyStore truststore() {
      return null;
    }

    @Override
    public void configure(Map<String, ?> configs) {
      configured = true;
    }

    @Override
    public void close() {}
  }
}
