package org.wireingest.cli;

import java.util.Map;
import org.wireingest.config.ConfigException;
import org.wireingest.streams.BoundedRocksDbMemory;
import org.wireingest.streams.NormalizerApp;
import picocli.CommandLine.Option;

/** Options of the normalizer role ({@code run}, {@code normalize}). */
final class NormalizerOptions {

  @Option(names = "--application-id", paramLabel = "ID", defaultValue = NormalizerApp.DEFAULT_APPLICATION_ID, description = "Kafka Streams application id of the normalizer (default: ${DEFAULT-VALUE}); normalizer processes with one id share the raw-items partitions.")
  String applicationId;

  @Option(names = "--rocksdb-memory-mb", paramLabel = "MiB", defaultValue = "64", description = "Off-heap memory of the normalizer's version store, in MiB (default: ${DEFAULT-VALUE}): one RocksDB block cache shared by all its partitions, holding their index and filter blocks and charged for their memtables. At least 8. Count it beside the heap when sizing a container.")
  int rocksdbMemoryMb;

  /**
   * @return the Streams property that carries {@code --rocksdb-memory-mb} to {@link BoundedRocksDbMemory}
   * @throws ConfigException when it is below 8 MiB
   */
  Map<String, Object> streamsProperties() {
    if (rocksdbMemoryMb < BoundedRocksDbMemory.MIN_MEMORY_BYTES >> 20) {
      throw new ConfigException("--rocksdb-memory-mb must be at least " + (BoundedRocksDbMemory.MIN_MEMORY_BYTES >> 20) + " (got " + rocksdbMemoryMb + ")");
    }
    return Map.of(BoundedRocksDbMemory.MEMORY_BYTES, (long) rocksdbMemoryMb << 20);
  }
}
