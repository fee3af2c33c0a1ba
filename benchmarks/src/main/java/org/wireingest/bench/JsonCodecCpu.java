package org.wireingest.bench;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * A load-tolerant cross-check of {@link JsonCodecBenchmark}: its four operations for one {@code
 * mapper}, run in turn (a block of each, round after round) on one thread and timed in <em>thread
 * CPU time</em>, so that other processes on a shared machine lengthen the wall time but barely the
 * figures. Prints the median CPU microseconds and allocated bytes per operation. One mapper per JVM
 * (so one's classes do not spoil the other's JIT profile): compare them by running them
 * alternately, e.g.
 *
 * <pre>
 * for r in 1 2 3; do for v in plain wire; do
 *   java -Xms512m -Xmx512m -cp benchmarks/target/benchmarks.jar org.wireingest.bench.JsonCodecCpu /work/shared/corpus/real $v
 * done; done
 * </pre>
 */
public final class JsonCodecCpu {

  private static final int OPS_PER_BLOCK = 20_000;
  private static final String[] NAMES = {
    "readRawItem", "writeArticle", "writeDedupState", "readDedupState"
  };

  private JsonCodecCpu() {}

  /**
   * @param args the corpus folder of real feeds, {@code plain|wire}, then optionally the warm-up
   *     rounds (default 10) and measured rounds (default 15)
   * @throws IOException when the corpus cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: JsonCodecCpu CORPUS_DIR plain|wire [WARMUP_ROUNDS] [ROUNDS]");
      System.exit(2);
    }
    JsonCodecBenchmark bench = new JsonCodecBenchmark();
    bench.corpusDir = args[0];
    bench.mapper = args[1];
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
    bench.load();
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    double[][] us = new double[NAMES.length][rounds];
    double[][] bytes = new double[NAMES.length][rounds];
    long sink = 0;
    for (int round = -warmup; round < rounds; round++) {
      for (int op = 0; op < NAMES.length; op++) {
        long start = threads.getCurrentThreadCpuTime();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < OPS_PER_BLOCK; i++) {
          sink +=
              System.identityHashCode(
                  switch (op) {
                    case 0 -> bench.readRawItem();
                    case 1 -> bench.writeArticle();
                    case 2 -> bench.writeDedupState();
                    default -> bench.readDedupState();
                  });
        }
        long cpu = threads.getCurrentThreadCpuTime() - start;
        long alloc = threads.getCurrentThreadAllocatedBytes() - allocated;
        if (round >= 0) {
          us[op][round] = cpu / 1e3 / OPS_PER_BLOCK;
          bytes[op][round] = (double) alloc / OPS_PER_BLOCK;
        }
      }
    }
    for (int op = 0; op < NAMES.length; op++) {
      System.out.printf(
          Locale.ROOT,
          "%-6s %-16s median %7.2f us CPU/op   allocated %7.0f B/op%n",
          bench.mapper,
          NAMES[op],
          Medians.of(us[op]),
          Medians.of(bytes[op]));
    }
    System.out.println("(sink " + sink + ")");
  }
}
