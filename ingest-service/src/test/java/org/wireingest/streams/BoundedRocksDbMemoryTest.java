package org.wireingest.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedRocksDbMemoryTest {

  @TempDir Path stateDir;

  /**
   * Two RocksDB stores opened by Kafka Streams with the normalizer's tuning, one of them used:
   *
   * @return block-cache capacity and usage by store
   */
  private Map<String, Map<String, Double>> cacheMetrics(Map<String, Object> extra) {
    return withTwoStores(
        extra,
        driver -> {
          Map<String, Map<String, Double>> byStore = new TreeMap<>();
          for (Map.Entry<MetricName, ? extends Metric> e : driver.metrics().entrySet()) {
            String metric = e.getKey().name();
            String store = e.getKey().tags().get("rocksdb-state-id");
            if (store != null
                && (metric.equals("block-cache-capacity") || metric.equals("block-cache-usage"))
                && e.getValue().metricValue() instanceof Number n) {
              byStore.computeIfAbsent(store, s -> new TreeMap<>()).put(metric, n.doubleValue());
            }
          }
          return byStore;
        });
  }

  /**
   * Opens stores a and b with the normalizer's tuning, writes and reads 200 keys of a, then applies
   * {@code check}.
   */
  private <T> T withTwoStores(Map<String, Object> extra, Function<TopologyTestDriver, T> check) {
    StreamsBuilder b = new StreamsBuilder();
    for (String name : List.of("a", "b")) {
      b.table(
          name,
          Consumed.with(Serdes.String(), Serdes.String()),
          Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("store-" + name));
    }
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bounded-rocksdb-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(
        StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG,
        NormalizerApp.streamsTuning().get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
    p.putAll(extra);
    try (TopologyTestDriver driver = new TopologyTestDriver(b.build(), p)) {
      // Only store a is written and read: with one shared cache, b reports the same usage.
      var in = driver.createInputTopic("a", new StringSerializer(), new StringSerializer());
      for (int i = 0; i < 200; i++) {
        in.pipeInput("k" + i, "v".repeat(100));
      }
      KeyValueStore<String, String> a = driver.getKeyValueStore("store-a");
      for (int i = 0; i < 200; i++) {
        assertThat(a.get("k" + i)).isNotNull();
      }
      return check.apply(driver);
    }
  }

  /**
   * Kafka Streams 4.2+ turns {@code optimize_filters_for_hits} on before the config setter runs;
   * RocksDB writes the options each database was opened with into its {@code OPTIONS-*} file.
   */
  @Test
  void shouldKeepTheBottomLevelsBloomFiltersForTheMissesOfNewStories() {
    List<String> optionsFiles =
        withTwoStores(
            Map.of(),
            driver -> {
              try (var files = Files.walk(stateDir)) {
                return files
                    .filter(f -> f.getFileName().toString().startsWith("OPTIONS-"))
                    .map(
                        f -> {
                          try {
                            return Files.readString(f);
                          } catch (IOException e) {
                            throw new UncheckedIOException(e);
                          }
                        })
                    .toList();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });

    assertThat(optionsFiles).hasSizeGreaterThanOrEqualTo(2); // one per store at least
    // The data column family of each store ([CFOptions "default"]) is the one the setter
    // configures.
    assertThat(optionsFiles)
        .allSatisfy(
            text -> {
              String section = text.substring(text.indexOf("[CFOptions \"default\"]"));
              section = section.substring(0, section.indexOf("\n[", 1));
              assertThat(section).contains("optimize_filters_for_hits=false");
            });
  }

  @Test
  void shouldGiveEveryStoreOneSharedCacheOfTheDefaultBudget() {
    Map<String, Map<String, Double>> stores = cacheMetrics(Map.of());

    assertThat(stores).containsOnlyKeys("store-a", "store-b");
    assertThat(stores.values())
        .allSatisfy(
            m ->
                assertThat(m.get("block-cache-capacity"))
                    .isEqualTo((double) BoundedRocksDbMemory.DEFAULT_MEMORY_BYTES));
    assertThat(stores.get("store-a").get("block-cache-usage"))
        .isPositive()
        .isEqualTo(stores.get("store-b").get("block-cache-usage"));
  }

  @Test
  void shouldTakeTheBudgetFromTheStreamsConfiguration() {
    Map<String, Map<String, Double>> stores =
        cacheMetrics(Map.of(BoundedRocksDbMemory.MEMORY_BYTES, String.valueOf(24L << 20)));

    assertThat(stores.values())
        .allSatisfy(m -> assertThat(m.get("block-cache-capacity")).isEqualTo((double) (24L << 20)));
  }

  @Test
  void shouldRefuseABudgetThatIsNotAWholeNumberOfAtLeast8MiB() {
    assertThat(BoundedRocksDbMemory.memoryBytes(Map.of())).isEqualTo(64L << 20);
    assertThat(
            BoundedRocksDbMemory.memoryBytes(Map.of(BoundedRocksDbMemory.MEMORY_BYTES, 33554432L)))
        .isEqualTo(32L << 20);
    assertThat(
            BoundedRocksDbMemory.memoryBytes(
                Map.of(BoundedRocksDbMemory.MEMORY_BYTES, " 33554432 ")))
        .isEqualTo(32L << 20);
    assertThatThrownBy(
            () ->
                BoundedRocksDbMemory.memoryBytes(Map.of(BoundedRocksDbMemory.MEMORY_BYTES, "64MB")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not a whole number of bytes");
    assertThatThrownBy(
            () -> BoundedRocksDbMemory.memoryBytes(Map.of(BoundedRocksDbMemory.MEMORY_BYTES, 1024)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("at least 8388608 bytes");
  }
}
