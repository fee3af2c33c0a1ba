package org.wireingest.cli;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.wireingest.config.ConfigException;
import org.wireingest.config.Durations;
import org.wireingest.kafka.Topics;
import org.wireingest.streams.BoundedRocksDbMemory;
import org.wireingest.streams.NormalizerApp;
import org.wireingest.streams.NormalizerTopology;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of the normalizer role ({@code run}, {@code normalize}). */
final class NormalizerOptions {

  @Option(
      names = "--application-id",
      paramLabel = "ID",
      description =
          "Kafka Streams application id of the normalizer (default: "
              + NormalizerApp.DEFAULT_APPLICATION_ID
              + "; required with a --topic-prefix other than "
              + Topics.DEFAULT_PREFIX
              + "). It names the normalizer's consumer group, version store and internal topics; normalizer processes with one id share the raw-items partitions.")
  String applicationId;

  @Option(
      names = "--rocksdb-memory-mb",
      paramLabel = "MiB",
      defaultValue = "64",
      description =
          "Off-heap memory of the normalizer's version store, in MiB (default: ${DEFAULT-VALUE}): one RocksDB block cache shared by all its partitions, holding their index and filter blocks and charged for their memtables. At least 8, at most this machine's memory (or its container's limit) less the heap's maximum. Count it beside the heap when sizing a container.")
  int rocksdbMemoryMb;

  /**
   * The memory of this machine, or its container's limit when the JVM runs under one, in bytes; 0
   * when the JVM does not say (replaced in tests).
   */
  long machineMemoryBytes = machineMemory();

  /** The heap's maximum, in bytes (replaced in tests). */
  long maxHeapBytes = Runtime.getRuntime().maxMemory();

  @Option(
      names = "--version-retention",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Forget a story in the version store once no raw item of it has arrived for this long (e.g. 400d; at least 1d). Default: keep every story for ever (about 0.4 KB each on disk and in the changelog). A copy of a forgotten story that arrives later is published again as version 1.")
  Duration versionRetention;

  @Mixin ClusterOptions cluster;

  /**
   * Settles {@link #applicationId}: as given, else {@value NormalizerApp#DEFAULT_APPLICATION_ID}
   * for the default topic prefix. Another prefix needs an id of its own: the default id's consumer
   * group, version store and internal topics belong to the normalizer of the default topics, and
   * sharing them would deduplicate this prefix's stories against theirs (dropping them as
   * duplicates) and mix the two normalizers' partitions.
   *
   * @param topicPrefix the {@code --topic-prefix} in force; never null
   * @throws ConfigException when the prefix is not the default one and no id was given, or the id
   *     given cannot name the normalizer's topics and state directory ({@link
   *     NormalizerApp#checkApplicationId})
   */
  void resolveApplicationId(String topicPrefix) {
    if (applicationId != null) {
      NormalizerApp.checkApplicationId(
          applicationId); // before anything: it names the state directory and its lock file
      return;
    }
    if (!Topics.DEFAULT_PREFIX.equals(topicPrefix)) {
      String suggestion =
          topicPrefix.replaceAll("[^A-Za-z0-9]+$", "").replaceAll("[^A-Za-z0-9._-]", "-");
      throw new ConfigException(
          "--topic-prefix '"
              + topicPrefix
              + "' needs its own --application-id: the default, "
              + NormalizerApp.DEFAULT_APPLICATION_ID
              + ", is the normalizer of the "
              + Topics.DEFAULT_PREFIX
              + " topics, and its version store would drop this prefix's stories as duplicates of theirs."
              + " Give one, e.g. --application-id "
              + (suggestion.isEmpty() ? "my" : suggestion)
              + "-normalizer, and keep it: it names the normalizer's consumer group, version store and internal topics."
              + " A normalizer that already ran on these topics with the default id must keep it (--application-id "
              + NormalizerApp.DEFAULT_APPLICATION_ID
              + "): a new id starts with an empty version store and publishes every story in the raw topic again as version 1");
    }
    applicationId = NormalizerApp.DEFAULT_APPLICATION_ID;
  }

  /**
   * @return the Streams properties that carry {@code --rocksdb-memory-mb} to {@link
   *     BoundedRocksDbMemory} and {@code --version-retention} to the version store ({@link
   *     NormalizerTopology#VERSION_RETENTION_MS}, absent when not given) and {@code
   *     --cluster-window} and {@code --cluster-index-size} to the near-duplicate index ({@link
   *     NormalizerTopology#CLUSTER_WINDOW_MS}, {@link NormalizerTopology#CLUSTER_INDEX_SIZE})
   * @throws ConfigException when the memory is below 8 MiB or above {@link #machineMemoryBytes}
   *     less {@link #maxHeapBytes}, the retention below a day, the cluster window below a minute or
   *     the index size below 1
   */
  Map<String, Object> streamsProperties() {
    if (rocksdbMemoryMb < BoundedRocksDbMemory.MIN_MEMORY_BYTES >> 20) {
      throw new ConfigException(
          "--rocksdb-memory-mb must be at least "
              + (BoundedRocksDbMemory.MIN_MEMORY_BYTES >> 20)
              + " (got "
              + rocksdbMemoryMb
              + ")");
    }
    long machineMb = machineMemoryBytes >> 20;
    long heapMb = maxHeapBytes >> 20;
    long maxMb = heapMb < machineMb ? machineMb - heapMb : machineMb;
    if (maxMb > 0 && rocksdbMemoryMb > maxMb) {
      // the cache grows to its bound, beside the heap: one larger than the memory left ends in
      // swapping or an out-of-memory kill, not in a bound
      throw new ConfigException(
          "--rocksdb-memory-mb must be at most "
              + maxMb
              + " (got "
              + rocksdbMemoryMb
              + "): this machine's memory (or its container's limit), "
              + machineMb
              + " MiB, less the heap's maximum, "
              + heapMb
              + " MiB; the version store's cache grows to its bound beside the heap");
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put(BoundedRocksDbMemory.MEMORY_BYTES, (long) rocksdbMemoryMb << 20);
    if (versionRetention != null) {
      if (versionRetention.compareTo(NormalizerTopology.MIN_VERSION_RETENTION) < 0) {
        throw new ConfigException(
            "--version-retention must be at least 1d (got "
                + Durations.format(versionRetention)
                + "): shorter, stories still in their feeds would be published again as version 1");
      }
      p.put(NormalizerTopology.VERSION_RETENTION_MS, versionRetention.toMillis());
    }
    p.put(NormalizerTopology.CLUSTER_INDEX_SIZE, cluster.indexSize());
    p.put(NormalizerTopology.CLUSTER_WINDOW_MS, cluster.window().toMillis());
    return p;
  }

  private static long machineMemory() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
        ? Math.max(0, os.getTotalMemorySize())
        : 0;
  }
}
