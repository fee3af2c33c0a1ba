package org.wireingest.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.wireingest.config.ConfigException;
import org.wireingest.kafka.Topics;

class NormalizerAppConfigTest {

  @TempDir Path dir;

  // Regression (fresh-eyes review): --application-id 'a b' made every stream thread fail at start,
  // replaced ~1,000 times a minute, and the process ignored SIGTERM; it is now refused up front.
  @Test
  void shouldRefuseAnApplicationIdKafkaCannotUse() {
    assertThatThrownBy(
            () ->
                new NormalizerApp(
                    Map.of("bootstrap.servers", "127.0.0.1:1"),
                    "a b",
                    dir,
                    Topics.defaults(),
                    NormalizerListener.NONE,
                    1))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--application-id")
        .hasMessageContaining("'a b'");
  }

  // Regression (ops test): -K num.stream.threads=abc, the README's knob for the stream threads,
  // failed with a NumberFormatException stack trace and exit 1; a bad client setting is Kafka's
  // ConfigException, which the CLI reports in one line with exit 2.
  @Test
  void shouldRefuseAStreamThreadCountThatIsNoNumberAsABadKafkaSetting() {
    assertThatThrownBy(
            () ->
                new NormalizerApp(
                    Map.of("bootstrap.servers", "127.0.0.1:1", "num.stream.threads", "abc"),
                    "threads-test",
                    dir,
                    Topics.defaults(),
                    NormalizerListener.NONE,
                    1))
        .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
        .hasMessageContaining("num.stream.threads")
        .hasMessageContaining("abc");
  }

  // Found following the README's Memory section: with -K rocksdb.config.setter=CLASS the normalizer
  // still logged "RocksDB version store bounded at 64 MiB (--rocksdb-memory-mb)" though its own
  // setter had replaced the bound, which the README says --rocksdb-memory-mb then does nothing to.
  @Test
  void shouldSayWhenARocksDbConfigSetterOfTheOperatorReplacesTheMemoryBound() {
    NormalizerApp bounded =
        new NormalizerApp(
            Map.of(
                "bootstrap.servers", "127.0.0.1:1", BoundedRocksDbMemory.MEMORY_BYTES, 96L << 20),
            "bounded-test",
            dir,
            Topics.defaults(),
            NormalizerListener.NONE,
            1);
    NormalizerApp replaced =
        new NormalizerApp(
            Map.of(
                "bootstrap.servers",
                "127.0.0.1:1",
                BoundedRocksDbMemory.MEMORY_BYTES,
                96L << 20,
                "rocksdb.config.setter",
                OwnSetter.class.getName()),
            "setter-test",
            dir,
            Topics.defaults(),
            NormalizerListener.NONE,
            1);
    try {
      assertThat(bounded.versionStoreMemory()).isEqualTo("bounded at 96 MiB (--rocksdb-memory-mb)");
      assertThat(replaced.versionStoreMemory())
          .isEqualTo(
              "configured by "
                  + OwnSetter.class.getName()
                  + " (-K rocksdb.config.setter), not bounded by wire-ingest:"
                  + " --rocksdb-memory-mb does not apply");
    } finally {
      bounded.close();
      replaced.close();
    }
  }

  /** An operator's own setter: changes nothing. */
  public static final class OwnSetter implements RocksDBConfigSetter {
    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {}

    @Override
    public void close(String storeName, Options options) {}
  }

  @Test
  void shouldNotIdleATaskForItsEmptyRepartitionPartitionUnlessTheOperatorSaysSo() {
    Properties defaults = new Properties();
    NormalizerApp.streamsProperties(defaults);
    assertThat(
            new StreamsConfig(withRequired(defaults))
                .getLong(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG))
        .isEqualTo(-1L);

    Properties operator = new Properties();
    operator.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0");
    NormalizerApp.streamsProperties(operator);
    assertThat(
            new StreamsConfig(withRequired(operator))
                .getLong(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG))
        .isZero();
  }

  // Found in a new-user test: every start logged Kafka Streams' WARN "Processing exception
  // handler is not enabled for the GlobalThread" three times, which the README does not list.
  @Test
  void shouldEnableTheProcessingExceptionHandlerForTheGlobalThread() {
    Properties defaults = new Properties();
    NormalizerApp.streamsProperties(defaults);
    assertThat(
            new StreamsConfig(withRequired(defaults))
                .getBoolean(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG))
        .isTrue();
  }

  @Test
  void shouldGiveTheStreamsProducersLargeBatchesUnlessTheOperatorSetsABatchSize() {
    Properties defaults = new Properties();
    NormalizerApp.streamsProperties(defaults);
    assertThat(defaults)
        .containsEntry("producer.batch.size", NormalizerApp.PRODUCER_BATCH_BYTES)
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    // and Kafka Streams hands it to its producers
    Map<String, Object> producer =
        new StreamsConfig(withRequired(defaults)).getProducerConfigs("client");
    assertThat(producer)
        .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, NormalizerApp.PRODUCER_BATCH_BYTES);

    // -K batch.size=16384 reaches the producers: a prefixed default would win over it
    Properties operator = new Properties();
    operator.put(ProducerConfig.BATCH_SIZE_CONFIG, 16_384);
    NormalizerApp.streamsProperties(operator);
    assertThat(operator).doesNotContainKey("producer.batch.size");
    assertThat(new StreamsConfig(withRequired(operator)).getProducerConfigs("client"))
        .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 16_384);
  }

  @Test
  void shouldLetAnUnprefixedSessionTimeoutReachTheStreamsConsumers() {
    Properties defaults = new Properties();
    NormalizerApp.streamsProperties(defaults);
    assertThat(new StreamsConfig(withRequired(defaults)).getMainConsumerConfigs("g", "c", 0))
        .containsEntry("session.timeout.ms", 10_000);

    Properties operator = new Properties();
    operator.put("session.timeout.ms", 30_000);
    NormalizerApp.streamsProperties(operator);
    assertThat(new StreamsConfig(withRequired(operator)).getMainConsumerConfigs("g", "c", 0))
        .containsEntry("session.timeout.ms", 30_000);
    // the producer-only form changes the Streams producers and leaves the rest at the default
    Properties producerOnly = new Properties();
    producerOnly.put("producer.batch.size", 65_536);
    NormalizerApp.streamsProperties(producerOnly);
    assertThat(new StreamsConfig(withRequired(producerOnly)).getProducerConfigs("client"))
        .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
  }

  private static Properties withRequired(Properties p) {
    Properties all = new Properties();
    all.putAll(p);
    all.put(StreamsConfig.APPLICATION_ID_CONFIG, "config-test");
    all.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    return all;
  }
}
