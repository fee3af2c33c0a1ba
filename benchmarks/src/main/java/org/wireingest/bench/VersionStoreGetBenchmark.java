package org.wireingest.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompactionStyle;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * One {@code get} of the normaliser's version store as rocksdbjni serves it, for a key that is
 * there ({@link #hit}) and one that is not ({@link #miss}: what every new story's look-up is), in
 * µs per call. The store holds {@link #keys} {@code urn:wire:…} keys with 640-byte values (a
 * version state is 0.5–0.7 KB), written in batches of 20,000 and flushed after each, so a look-up
 * probes the memtable, the Bloom filters and several sorted files, under Kafka Streams' table
 * options (block-based table, 10-bit Bloom filter, universal compaction).
 *
 * <p>It isolates the rocksdbjni version: build the jar once per pinned {@code rocksdbjni.version}
 * and compare the {@code miss / hit} ratio between the builds. rocksdbjni before 10.x throws and
 * catches a C++ exception inside every missed {@code get} (facebook/rocksdb#13023, #14095).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar VersionStoreGetBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class VersionStoreGetBenchmark {

  private static final int BATCH = 20_000;
  private static final int VALUE_BYTES = 640;

  /** Keys in the store. */
  @Param({"200000"})
  public int keys;

  private Path dir;
  private Options options;
  private RocksDB db;
  private byte[][] present;
  private byte[][] absent;
  private int next;

  @Setup(Level.Trial)
  public void open() throws IOException, RocksDBException {
    RocksDB.loadLibrary();
    dir = Files.createTempDirectory("wire-bench-rocksdb");
    BlockBasedTableConfig table = new BlockBasedTableConfig();
    table.setFilterPolicy(new BloomFilter(10));
    options =
        new Options()
            .setCreateIfMissing(true)
            .setCompactionStyle(CompactionStyle.UNIVERSAL)
            .setTableFormatConfig(table);
    db = RocksDB.open(options, dir.toString());
    SplittableRandom random = new SplittableRandom(42);
    present = new byte[keys][];
    absent = new byte[keys][];
    byte[] value = new byte[VALUE_BYTES];
    try (WriteOptions write = new WriteOptions().setDisableWAL(true);
        FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      for (int i = 0; i < keys; i++) {
        present[i] = key(random);
        absent[i] = key(random);
        random.nextBytes(value);
        db.put(write, present[i], value);
        if ((i + 1) % BATCH == 0) {
          db.flush(flush);
        }
      }
    }
  }

  private static byte[] key(SplittableRandom random) {
    return String.format("urn:wire:agency:%016x%016x", random.nextLong(), random.nextLong())
        .getBytes(StandardCharsets.UTF_8);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    db.close();
    options.close();
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private int nextIndex() {
    int i = next;
    next = i + 1 == keys ? 0 : i + 1;
    return i;
  }

  /**
   * @return the stored value (640 bytes)
   * @throws RocksDBException on a RocksDB error
   */
  @Benchmark
  public byte[] hit() throws RocksDBException {
    return db.get(present[nextIndex()]);
  }

  /**
   * @return {@code null}: the key is not in the store
   * @throws RocksDBException on a RocksDB error
   */
  @Benchmark
  public byte[] miss() throws RocksDBException {
    return db.get(absent[nextIndex()]);
  }
}
