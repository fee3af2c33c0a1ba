package org.wireingest.bench;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A load-tolerant cross-check of {@link ParseNormalizeBenchmark}: the same three operations, run in
 * turn (A, B, C, A, B, C, ...) on one thread and timed in <em>thread CPU time</em>, so that other
 * processes on a shared machine lengthen the wall time but barely the figures. Prints the median
 * CPU milliseconds per operation and the medians of the per-round ratios to {@code romeBare}, and
 * the bytes allocated per operation (garbage collection runs on other threads, so its cost shows
 * there rather than in the CPU time). JMH (wall time) stays the official figure; this one shows
 * whether a change helped when the machine is too busy for JMH to tell.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.wireingest.bench.ParseNormalizeCpu CORPUS_DIR [WARMUP_ROUNDS] [ROUNDS]
 * </pre>
 */
public final class ParseNormalizeCpu {

  private ParseNormalizeCpu() {}

  /**
   * @param args the corpus folder of real feeds, then optionally the warm-up rounds (default 8) and
   *     measured rounds (default 15)
   * @throws IOException when the corpus cannot be read
   */
  public static void main(String[] args) throws IOException {
    ParseNormalizeBenchmark bench = new ParseNormalizeBenchmark();
    bench.corpusDir = args.length > 0 ? args[0] : "";
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    bench.load();
    long[] sink = new long[1];
    Consumer<Object> consumer = o -> sink[0] += System.identityHashCode(o);
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    double[][] ms = new double[3][rounds];
    double[][] mb = new double[3][rounds];
    for (int round = -warmup; round < rounds; round++) {
      for (int op = 0; op < 3; op++) {
        long start = threads.getCurrentThreadCpuTime();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        switch (op) {
          case 0 -> bench.romeBare(consumer);
          case 1 -> bench.feedParser(consumer);
          default -> bench.parsePlanNormalize(consumer);
        }
        long cpu = threads.getCurrentThreadCpuTime() - start;
        long bytes = threads.getCurrentThreadAllocatedBytes() - allocated;
        if (round >= 0) {
          ms[op][round] = cpu / 1e6;
          mb[op][round] = bytes / 1e6;
        }
      }
    }
    String[] names = {"romeBare", "feedParser", "parsePlanNormalize"};
    for (int op = 0; op < 3; op++) {
      double[] ratios = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratios[r] = ms[op][r] / ms[0][r];
      }
      System.out.printf(
          Locale.ROOT,
          "%-20s median %8.1f ms CPU/op   x romeBare (median of rounds) %.2f   allocated %7.1f MB/op (x %.2f)%n",
          names[op],
          Medians.of(ms[op]),
          Medians.of(ratios),
          Medians.of(mb[op]),
          Medians.of(mb[op]) / Medians.of(mb[0]));
    }
    System.out.println("(sink " + sink[0] + ")");
  }
}
