package org.wireingest.bench;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.wireingest.text.StrictDecoding;

/**
 * The RFC 3629 check the normalizer runs on every raw item it reads ({@code
 * NormalizerSteps.requireUtf8}), per item, over {@link PipelineThroughput}'s first {@value #ITEMS}
 * raw items of the corpus (their JSON as the poller writes it; about 7 KB each, mostly ASCII).
 *
 * <ul>
 *   <li>{@link #firstInvalid}: {@link StrictDecoding#firstInvalid}, as the service checks;
 *   <li>{@link #jdkDecoder}: the check as it was until 2026-12-08, the same-run anchor: the JDK's
 *       reporting UTF-8 decoder into one reused buffer of 8,192 chars.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Utf8CheckBenchmark -p corpusDir=/work/shared/corpus/real
 * </pre>
 *
 * <p>Corpus folder: {@code -p corpusDir=DIR} (default as {@link ParseNormalizeBenchmark}'s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class Utf8CheckBenchmark {

  /** Raw items checked per invocation: {@value}. */
  static final int ITEMS = 1000;

  /** The corpus folder of real feeds; empty for the default. */
  @Param({""})
  public String corpusDir;

  /** The former check's decoder and buffer, reused as the service reused them. */
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  private final CharBuffer buffer = CharBuffer.allocate(8192);

  private byte[][] values;

  @Setup
  public void setUp() throws Exception {
    PipelineThroughput.Plan plan =
        PipelineThroughput.Plan.of(
            PipelineThroughput.templates(ParseNormalizeBenchmark.corpusFolder(corpusDir)), ITEMS);
    values = new byte[ITEMS][];
    for (int i = 0; i < ITEMS; i++) {
      values[i] = plan.value(i);
      if (StrictDecoding.firstInvalid(values[i], StandardCharsets.UTF_8) != -1
          || jdkFirstInvalid(values[i]) != -1) {
        throw new IllegalStateException("raw item " + i + " is no UTF-8");
      }
    }
  }

  /** The service's check. */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public int firstInvalid() {
    int sum = 0;
    for (byte[] value : values) {
      sum += StrictDecoding.firstInvalid(value, StandardCharsets.UTF_8);
    }
    return sum;
  }

  /** The former check: the JDK's decoder, decoding into chars only to find an error. */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public int jdkDecoder() {
    int sum = 0;
    for (byte[] value : values) {
      sum += jdkFirstInvalid(value);
    }
    return sum;
  }

  private int jdkFirstInvalid(byte[] bytes) {
    decoder.reset();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CoderResult result;
    do {
      buffer.clear();
      result = decoder.decode(in, buffer, true);
      if (result.isError()) {
        return in.position();
      }
    } while (result.isOverflow());
    buffer.clear();
    return decoder.flush(buffer).isError() ? in.position() : -1;
  }
}
