package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.wireingest.config.ConfigException;
import org.wireingest.streams.BoundedRocksDbMemory;
import picocli.CommandLine;

class NormalizerOptionsTest {

  private static NormalizerOptions onMachine(long machineMiB, long heapMiB, String... args) {
    Holder holder = new Holder();
    new CommandLine(holder).parseArgs(args);
    holder.options.machineMemoryBytes = machineMiB << 20;
    holder.options.maxHeapBytes = heapMiB << 20;
    return holder.options;
  }

  // Found in a review: --rocksdb-memory-mb had no upper bound, and it bounds a cache that grows to
  // it beside the heap: 64000 on a 16 GiB machine was taken, a bound that bounds nothing.
  @Test
  void shouldRefuseARocksDbBudgetOverTheMemoryLeftBesideTheHeap() {
    NormalizerOptions options = onMachine(16_384, 4_096, "--rocksdb-memory-mb", "12289");

    assertThatThrownBy(options::streamsProperties)
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "--rocksdb-memory-mb must be at most 12288 (got 12289): this machine's memory (or its"
                + " container's limit), 16384 MiB, less the heap's maximum, 4096 MiB; the version"
                + " store's cache grows to its bound beside the heap");
  }

  @Test
  void shouldTakeARocksDbBudgetUpToTheMemoryLeftBesideTheHeap() {
    NormalizerOptions options = onMachine(16_384, 4_096, "--rocksdb-memory-mb", "12288");

    assertThat(options.streamsProperties())
        .containsEntry(BoundedRocksDbMemory.MEMORY_BYTES, 12_288L << 20);
  }

  @Test
  void shouldTakeAnyRocksDbBudgetWhenTheMachinesMemoryIsUnknown() {
    NormalizerOptions options = onMachine(0, 4_096, "--rocksdb-memory-mb", "100000");

    assertThat(options.streamsProperties())
        .containsEntry(BoundedRocksDbMemory.MEMORY_BYTES, 100_000L << 20);
  }

  static final class Holder {
    @CommandLine.Mixin NormalizerOptions options = new NormalizerOptions();
  }
}
