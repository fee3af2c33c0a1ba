package org.wireingest.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of the normalizer's RocksDB stores (Kafka Streams {@code
 * rocksdb.config.setter}), the way the Kafka Streams memory-management guide describes: every store
 * of the JVM shares one LRU block cache of {@value #MEMORY_BYTES} bytes, which also holds the
 * stores' index and filter blocks (at high priority, the top level pinned) and is charged for their
 * memtables through one {@link WriteBufferManager} (memtables up to half of it).
 *
 * <p>Without it each store (one per raw-items partition a process owns: 6 by default) opens its own
 * 50 MB block cache and up to three 16 MB memtables, with index and filter blocks outside any
 * cache: about 600 MB off-heap at most for six partitions, on top of the heap. Measured on a
 * normalizer with {@code -Xmx768m} after 1,000,000 raw items (docs/benchmarks.md, "Normaliser
 * memory: RocksDB"): resident memory 893 MB and still growing with the block caches, on the way to
 * an out-of-memory kill in a 1 GiB container.
 *
 * <p>It also keeps the Bloom filters of the bottom level, which Kafka Streams drops by default
 * ({@code optimize_filters_for_hits}): most of the version store's look-ups are for new stories and
 * miss, and a filter answers a miss without reading the file's blocks.
 *
 * <p>The bound covers the block cache, memtables and index/filter blocks; not RocksDB's own small
 * allocations (iterators, compaction buffers) nor the JVM. It is a soft bound, as in the guide: the
 * cache does not refuse inserts when full ({@code strict_capacity_limit} off), so pinned blocks and
 * memtables can take it briefly over. Each memtable is at most a quarter of the budget. Every
 * store's {@code block-cache-usage} and {@code block-cache-capacity} metrics then report the one
 * shared cache: do not add them up over stores. One cache per budget per JVM, created by the first
 * store that asks for it and never closed (it lives as long as the JVM, like the stores that share
 * it). Thread-safe.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

  /**
   * Streams property with the budget in bytes (a whole number, at least {@value
   * #MIN_MEMORY_BYTES}); default {@value #DEFAULT_MEMORY_BYTES}. The normalizer's {@code
   * --rocksdb-memory-mb} sets it.
   */
  public static final String MEMORY_BYTES = "wire.rocksdb.memory.bytes";

  /** Default budget: 64 MiB. */
  public static final long DEFAULT_MEMORY_BYTES = 64L << 20;

  /** Smallest budget accepted: 8 MiB. */
  public static final long MIN_MEMORY_BYTES = 8L << 20;

  /** Share of the cache that index and filter blocks may take at high priority. */
  static final double HIGH_PRIORITY_RATIO = 0.1;

  private static final Map<Long, Shared> SHARED = new ConcurrentHashMap<>();

  /** One budget's cache and write-buffer manager. */
  private record Shared(long budget, Cache cache, WriteBufferManager writeBufferManager) {
    static Shared of(long bytes) {
      Cache cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_RATIO);
      return new Shared(bytes, cache, new WriteBufferManager(bytes / 2, cache));
    }
  }

  /** Kafka Streams instantiates the setter by its class name. */
  public BoundedRocksDbMemory() {}

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Shared shared = SHARED.computeIfAbsent(memoryBytes(configs), Shared::of);
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(shared.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(shared.writeBufferManager());
    // A memtable no larger than a quarter of the budget (Kafka Streams' 16 MB when the budget is
    // 64 MiB or more), so that a small budget still holds a few before the manager flushes them.
    options.setWriteBufferSize(Math.min(options.writeBufferSize(), shared.budget() / 4));
    options.setTableFormatConfig(table);
    // Bloom filters on every level, the bottom one too. Kafka Streams turns
    // optimize_filters_for_hits
    // on since 4.2 (apache/kafka#19837; before, it called the getter and left it off), which drops
    // the bottom level's filter: right for stores whose look-ups find their key, wrong for the
    // version store, where three raw items in four are new stories whose look-up misses. Each miss
    // then read an index and a data block of the bottom level's file: measured on 300,000 items,
    // RocksDB.get took 65 % more of the stream threads' time under 4.3.2 than under 4.1.1.
    options.setOptimizeFiltersForHits(false);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write-buffer manager are shared by every store: they stay open.
  }

  /**
   * @param configs the Streams configuration
   * @return the budget, in bytes: {@value #MEMORY_BYTES} or {@value #DEFAULT_MEMORY_BYTES}
   * @throws ConfigException when the value is not a whole number of at least {@value
   *     #MIN_MEMORY_BYTES}
   */
  static long memoryBytes(Map<String, Object> configs) {
    Object value = configs.get(MEMORY_BYTES);
    if (value == null) {
      return DEFAULT_MEMORY_BYTES;
    }
    long bytes;
    try {
      bytes = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(MEMORY_BYTES, value, "not a whole number of bytes");
    }
    if (bytes < MIN_MEMORY_BYTES) {
      throw new ConfigException(
          MEMORY_BYTES, value, "at least " + MIN_MEMORY_BYTES + " bytes (8 MiB)");
    }
    return bytes;
  }
}
