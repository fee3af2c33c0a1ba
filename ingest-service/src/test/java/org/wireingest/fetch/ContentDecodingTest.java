package org.wireingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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
}
