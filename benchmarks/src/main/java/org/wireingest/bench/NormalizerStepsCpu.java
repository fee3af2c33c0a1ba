package org.wireingest.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.wireingest.dedup.DedupState;
import org.wireingest.model.Json;
import org.wireingest.normalize.Normalizer;
import org.wireingest.streams.NormalizerListener;
import org.wireingest.streams.NormalizerSteps;

/**
 * The normaliser's per-item work without Kafka, on one thread, timed in <em>thread CPU time</em>:
 * what a stream thread does for each raw record of {@link PipelineThroughput}'s replay (the same
 * mix: 75 % new stories, 20 % exact duplicates, 5 % updates), minus consuming, producing and
 * committing. Per item: {@link NormalizerSteps#route} (read the raw JSON, {@code uri}, input hash),
 * the stored {@link DedupState} read back from JSON, {@link NormalizerSteps#decide} (normalise,
 * version), and for an emitted article its JSON and the new state's JSON, as the serdes write them.
 * The store is a map of JSON bytes. Every item is decided with the item its route step read, as in
 * the task that read it (the poller places raw items on their {@code uri}'s partition), so the
 * second JSON read of an item that takes the repartition hop is not measured. Another process on
 * the machine lengthens the wall time much more than these figures (it still moves them: two such
 * JVMs at once cost each ~15 % more), so two builds are best compared by running them alternately:
 *
 * <pre>
 * for r in 1 2 3; do for jar in before.jar after.jar; do
 *   java -Xms1g -Xmx1g -cp $jar org.wireingest.bench.NormalizerStepsCpu /work/shared/corpus/real
 * done; done
 * </pre>
 *
 * <p>Prints the median CPU µs and allocated bytes per item over the measured rounds (each round a
 * fresh store over the same items, so every round decides the same outcomes). Each round also times
 * {@link LibraryFloor}'s work over the same items, on the same thread right after: the least any
 * normaliser built on Jackson and jsoup pays (a map of CRC32Cs as the store; the work only for an
 * item whose key is new or whose bytes changed, as {@link PipelineThroughput}'s {@code floor}
 * topology does).
 */
public final class NormalizerStepsCpu {

  private NormalizerStepsCpu() {}

  /**
   * @param args the corpus folder of real feeds, then optionally the items per round (default
   *     20,000), warm-up rounds (default 15) and measured rounds (default 15)
   * @throws Exception when the corpus cannot be read
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: NormalizerStepsCpu CORPUS_DIR [ITEMS] [WARMUP_ROUNDS] [ROUNDS]");
      System.exit(2);
    }
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
    PipelineThroughput.Plan plan =
        PipelineThroughput.Plan.of(PipelineThroughput.templates(Path.of(args[0])), n);
    byte[][] values = new byte[n][];
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      values[i] = plan.value(i);
      keys[i] = plan.key(i);
    }
    NormalizerSteps steps =
        new NormalizerSteps(
            new Normalizer(Clock.systemUTC()), NormalizerListener.NONE, Clock.systemUTC());
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    double[] us = new double[rounds];
    double[] bytes = new double[rounds];
    double[] floorUs = new double[rounds];
    double[] floorBytes = new double[rounds];
    int floorWritten = 0;
    long sink = 0;
    int emitted = 0;
    for (int round = -warmup; round < rounds; round++) {
      Map<String, byte[]> store = new HashMap<>();
      emitted = 0;
      long start = threads.getCurrentThreadCpuTime();
      long allocated = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < n; i++) {
        NormalizerSteps.Routing routing =
            steps.route(new NormalizerSteps.Position("raw", 0, i, keys[i]), values[i]);
        if (!(routing instanceof NormalizerSteps.Routing.Routed routed)) {
          throw new IllegalStateException("item " + i + " was not routed: " + routing);
        }
        byte[] stored = store.get(routed.uri());
        DedupState previous =
            stored == null ? null : Json.MAPPER.readValue(stored, DedupState.class);
        NormalizerSteps.Dedup outcome = steps.decide(previous, routed);
        if (outcome instanceof NormalizerSteps.Dedup.Emit emit) {
          sink += Json.MAPPER.writeValueAsBytes(emit.event()).length;
          store.put(routed.uri(), Json.MAPPER.writeValueAsBytes(emit.state()));
          emitted++;
        } else if (outcome instanceof NormalizerSteps.Dedup.Suppressed suppressed
            && suppressed.state() != null) {
          store.put(routed.uri(), Json.MAPPER.writeValueAsBytes(suppressed.state()));
        }
      }
      long cpu = threads.getCurrentThreadCpuTime() - start;
      long alloc = threads.getCurrentThreadAllocatedBytes() - allocated;
      if (round >= 0) {
        us[round] = cpu / 1e3 / n;
        bytes[round] = (double) alloc / n;
      }
      Map<String, Long> sums = new HashMap<>();
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      floorWritten = 0;
      start = threads.getCurrentThreadCpuTime();
      allocated = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < n; i++) {
        crc.reset();
        crc.update(values[i]);
        if (!Long.valueOf(crc.getValue()).equals(sums.put(keys[i], crc.getValue()))) {
          sink += LibraryFloor.article(values[i]).length;
          floorWritten++;
        }
      }
      cpu = threads.getCurrentThreadCpuTime() - start;
      alloc = threads.getCurrentThreadAllocatedBytes() - allocated;
      if (round >= 0) {
        floorUs[round] = cpu / 1e3 / n;
        floorBytes[round] = (double) alloc / n;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "normalizerSteps  median %7.1f µs CPU/item (min %.1f, max %.1f)   allocated %8.0f B/item   %d items/round, %d emitted (sink %d)%n",
        Medians.of(us),
        Arrays.stream(us).min().orElse(0),
        Arrays.stream(us).max().orElse(0),
        Medians.of(bytes),
        n,
        emitted,
        sink);
    System.out.printf(
        Locale.ROOT,
        "libraryFloor     median %7.1f µs CPU/item (min %.1f, max %.1f)   allocated %8.0f B/item   %d items/round, %d written%n",
        Medians.of(floorUs),
        Arrays.stream(floorUs).min().orElse(0),
        Arrays.stream(floorUs).max().orElse(0),
        Medians.of(floorBytes),
        n,
        floorWritten);
  }
}
