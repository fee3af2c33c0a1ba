package org.wireingest.fetch;

import static java.util.Arrays.copyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ContentDecoding#readAtMost}: the cap, and what a declared length may cost. */
class ContentDecodingTest {

  private static final long MAX_BYTES = 20L * 1024 * 1024;

  // Found in a review: the buffer was sized from the server's Content-Length, so a server declaring
  // 20 MiB and dripping a few bytes made each fetch hold 20 MiB for its whole deadline (32 poll
  // threads: over 640 MiB) before a byte had arrived.
  @Test
  void shouldNotAllocateTheDeclaredLengthBeforeTheBytesArrive() throws Exception {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported(), "allocation counting");
    threads.setThreadAllocatedMemoryEnabled(true);
    byte[] body = "<rss/>".getBytes(StandardCharsets.US_ASCII);
    ContentDecoding.readAtMost(new ByteArrayInputStream(body), MAX_BYTES, 1024); // warm up
    long before = threads.getCurrentThreadAllocatedBytes();

    Optional<byte[]> read =
        ContentDecoding.readAtMost(new ByteArrayInputStream(body), MAX_BYTES, MAX_BYTES);

    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(read).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(body));
    assertThat(allocated)
        .as("bytes allocated to read %s bytes declared as %s", body.length, MAX_BYTES)
        .isLessThan(2L * ContentDecoding.MAX_INITIAL_BUFFER_BYTES);
  }

  /**
   * Regression: the body was read into a {@code ByteArrayOutputStream}, whose buffer doubles: a
   * body over the 20 MiB cap had allocated 8 KiB + 16 KiB + ... + 32 MiB (64 MiB, and held 16 + 32
   * MiB, 2.4 × the cap, at the last doubling) before it was dropped as too large.
   */
  @Test
  void shouldAllocateNoMoreThanTheCapForABodyOverTheCap() {
    long allocated =
        allocatedWhileReading(
            () -> assertThat(readAtMost(new Zeros(Long.MAX_VALUE), MAX_BYTES, -1)).isEmpty());

    assertThat(allocated).as("bytes allocated").isLessThan(MAX_BYTES + SLACK);
  }

  /**
   * A chunked or decoded body has no declared length: the chunks grow without copies and are joined
   * once, at the end (before: 64 MiB of doubling buffers and a 20 MiB copy, 4.2 × the cap).
   */
  @Test
  void shouldAllocateTwiceABodyOfTheCapWithoutADeclaredLength() {
    long allocated =
        allocatedWhileReading(
            () ->
                assertThat(readAtMost(new Zeros(MAX_BYTES), MAX_BYTES, -1))
                    .hasValueSatisfying(bytes -> assertThat(bytes).hasSize((int) MAX_BYTES)));

    assertThat(allocated).as("bytes allocated").isLessThan(2 * MAX_BYTES + SLACK);
  }

  /** A declared length, once half of it has arrived, sizes the array the rest is read into. */
  @Test
  void shouldAllocateOneAndAHalfTimesABodyOfTheCapOfADeclaredLength() {
    long allocated =
        allocatedWhileReading(
            () ->
                assertThat(readAtMost(new Zeros(MAX_BYTES), MAX_BYTES, MAX_BYTES))
                    .hasValueSatisfying(bytes -> assertThat(bytes).hasSize((int) MAX_BYTES)));

    assertThat(allocated).as("bytes allocated").isLessThan(MAX_BYTES * 3 / 2 + SLACK);
  }

  @ParameterizedTest(name = "{0} bytes, declared {1}")
  @CsvSource({
    "0, -1",
    "0, 0",
    "1, -1",
    "8191, -1",
    "8192, -1",
    "8193, -1",
    "100000, -1",
    "100000, 100000",
    "100000, 99999",
    "100000, 100001",
    "100000, 1000",
    "100000, 5000000",
    "300000, 300000",
    "1048576, 1048576",
    "1048576, -1",
  })
  void shouldReadEveryByteOfABodyWithinTheCapWhateverItsDeclaredLength(int length, long declared)
      throws IOException {
    byte[] body = new byte[length];
    new Random(length).nextBytes(body);

    Optional<byte[]> read =
        ContentDecoding.readAtMost(new Trickle(new ByteArrayInputStream(body)), 1 << 20, declared);

    assertThat(read).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(body));
  }

  @ParameterizedTest(name = "cap {0}, declared {1}")
  @CsvSource({"1, -1", "1, 1", "1000, -1", "1000, 1000", "262144, -1", "262144, 262144"})
  void shouldAcceptABodyOfTheCapAndRefuseOneByteMore(int cap, long declared) throws IOException {
    byte[] body = new byte[cap + 1];
    new Random(cap).nextBytes(body);

    Optional<byte[]> atCap =
        ContentDecoding.readAtMost(
            new Trickle(new ByteArrayInputStream(body, 0, cap)), cap, declared);
    Optional<byte[]> overCap =
        ContentDecoding.readAtMost(new Trickle(new ByteArrayInputStream(body)), cap, declared);

    assertThat(atCap).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(copyOf(body, cap)));
    assertThat(overCap).isEmpty();
  }

  @Test
  void shouldStopADecompressionBombOneByteOverTheCap() throws IOException {
    int cap = 1 << 20;
    byte[] atCap = gzip(cap);
    byte[] overCap = gzip(cap + 1);
    byte[] bomb = gzip(64 * cap);
    assertThat(bomb.length).isLessThan(cap / 10);

    assertThat(readDecoded(atCap, cap)).hasValueSatisfying(bytes -> assertThat(bytes).hasSize(cap));
    assertThat(readDecoded(overCap, cap)).isEmpty();
    assertThat(readDecoded(bomb, cap)).isEmpty();
  }

  private static Optional<byte[]> readDecoded(byte[] gzipped, int cap) throws IOException {
    try (InputStream decoded =
        ContentDecoding.decode(new Trickle(new ByteArrayInputStream(gzipped)), "gzip")) {
      return ContentDecoding.readAtMost(decoded, cap, -1);
    }
  }

  private static byte[] gzip(int zeros) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(new byte[zeros]);
    }
    return out.toByteArray();
  }

  /**
   * Regression: a body of unknown length exactly as long as what its growth last allowed (2,000,000
   * bytes, its estimate) was told to grow again, because its arrays grow 256 KiB at a time and the
   * last one reached past 2,000,000 unused; a busy budget then made it give its estimate back and
   * wait for the cap. The arrays now fill what the body may hold before asking for more.
   */
  @Test
  void shouldNotAskToGrowPastWhatTheBodyMayHoldForABodyOfExactlyThat() throws IOException {
    byte[] body = new byte[2_000_000];
    new Random(3).nextBytes(body);
    List<Long> told = new ArrayList<>();

    Optional<byte[]> read =
        ContentDecoding.readAtMost(
            new ByteArrayInputStream(body),
            MAX_BYTES,
            -1,
            bytes -> {
              told.add(bytes);
              return 2_000_000;
            });

    assertThat(read).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(body));
    assertThat(told).hasSize(1);
  }

  @Test
  void shouldAskToGrowOnceTheBodyGoesOnPastWhatItMayHold() throws IOException {
    byte[] body = new byte[2_000_001];
    List<Long> told = new ArrayList<>();

    Optional<byte[]> read =
        ContentDecoding.readAtMost(
            new ByteArrayInputStream(body),
            MAX_BYTES,
            -1,
            bytes -> {
              told.add(bytes);
              return told.size() == 1 ? 2_000_000 : Long.MAX_VALUE;
            });

    assertThat(read).hasValueSatisfying(bytes -> assertThat(bytes).hasSize(2_000_001));
    assertThat(told).hasSize(2);
    assertThat(told.get(1)).isGreaterThan(2_000_000);
  }

  /** Room for the small objects a read allocates beside the body's arrays (and TLAB rounding). */
  private static final long SLACK = 1024 * 1024;

  private static Optional<byte[]> readAtMost(InputStream in, long maxBytes, long expectedBytes) {
    try {
      return ContentDecoding.readAtMost(in, maxBytes, expectedBytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes this thread allocated while {@code read} ran (after one warm-up run). */
  private static long allocatedWhileReading(Runnable read) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported(), "allocation counting");
    threads.setThreadAllocatedMemoryEnabled(true);
    read.run();
    long before = threads.getCurrentThreadAllocatedBytes();
    read.run();
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    System.out.printf(
        Locale.ROOT,
        "allocated %,d bytes (%.2f x the cap)%n",
        allocated,
        allocated / (double) MAX_BYTES);
    return allocated;
  }

  /** {@code length} zero bytes, at most 8 KiB a read as from a socket, allocating nothing. */
  private static final class Zeros extends InputStream {
    private long left;

    Zeros(long length) {
      this.left = length;
    }

    @Override
    public int read() {
      if (left == 0) {
        return -1;
      }
      left--;
      return 0;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(Math.min(length, 8192), left);
      Arrays.fill(target, offset, offset + n, (byte) 0);
      left -= n;
      return n;
    }
  }

  /** Hands out at most 1,000 bytes a read, so reads end off every chunk boundary. */
  private static final class Trickle extends FilterInputStream {
    Trickle(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      return super.read(target, offset, Math.min(length, 1000));
    }
  }
}
