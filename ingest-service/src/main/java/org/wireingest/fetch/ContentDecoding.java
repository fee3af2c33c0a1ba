package org.wireingest.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Removes the content codings of RFC 9110 §8.4.1 ({@code gzip}, {@code x-gzip}, {@code deflate})
 * from a body while it streams, and reads a stream up to a byte cap. Thread-safe (stateless).
 */
final class ContentDecoding {

  private static final int BUFFER_SIZE = 8192;

  /**
   * Most bytes {@link #readAtMost} allocates for a body before its bytes arrive, whatever length
   * the server declares: {@value} (256 KiB); the buffer grows as the body comes, up to the cap.
   */
  static final int MAX_INITIAL_BUFFER_BYTES = 256 * 1024;

  /**
   * Largest chunk {@link #readAtMost} adds as a body grows: {@value} (256 KiB), what a body may
   * hold beyond its bytes while it is read.
   */
  static final int MAX_CHUNK_BYTES = 256 * 1024;

  /**
   * Most content codings one body may carry, {@value}, as curl allows (CVE-2022-32206): every
   * coding stacks one more decoder of its own buffers and zlib state (some 32 KiB each) and one
   * more pass over the bytes, so a {@code Content-Encoding} of thousands of {@code gzip}s in a
   * header section of the client's size held hundreds of MiB outside the heap. Real servers send
   * one.
   */
  static final int MAX_CODINGS = 5;

  private ContentDecoding() {}

  /**
   * @param contentEncoding the header value (codings separated by commas); null means none
   * @return how many codings other than {@code identity} it names
   */
  static int codingCount(String contentEncoding) {
    return codings(contentEncoding).size();
  }

  /**
   * Whether every coding named in a {@code Content-Encoding} value can be removed.
   *
   * @param contentEncoding the header value (codings separated by commas); null means none
   * @return true for none, {@code identity}, {@code gzip}, {@code x-gzip} and {@code deflate}
   */
  static boolean isSupported(String contentEncoding) {
    for (String coding : codings(contentEncoding)) {
      if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("deflate")) {
        return false;
      }
    }
    return true;
  }

  /**
   * @return whether the value names no coding other than {@code identity}
   */
  static boolean isIdentity(String contentEncoding) {
    return codings(contentEncoding).isEmpty();
  }

  /**
   * Wraps a body so that reading it yields the decoded bytes. Codings are removed in the reverse of
   * the order they are listed. An empty body stays empty. {@code deflate} is the zlib format (RFC
   * 1950) as RFC 9110 says, and also raw DEFLATE (RFC 1951), which some servers send instead.
   *
   * @param body the body as received; never null
   * @param contentEncoding the {@code Content-Encoding} value; must pass {@link #isSupported}
   * @return the decoding stream; closing it closes {@code body}
   * @throws IOException when the body cannot be read or a gzip header is malformed
   */
  static InputStream decode(InputStream body, String contentEncoding) throws IOException {
    List<String> codings = codings(contentEncoding);
    InputStream decoded = body;
    for (int i = codings.size() - 1; i >= 0; i--) {
      decoded = codings.get(i).equals("deflate") ? inflate(decoded) : gunzip(decoded);
    }
    return decoded;
  }

  /**
   * Reads a stream to its end, as long as it holds at most {@code maxBytes} bytes; stops reading as
   * soon as one more byte arrives.
   *
   * <p>Memory: the bytes are read into chunks of at most {@link #MAX_CHUNK_BYTES}, never copied
   * while the body grows, and no chunk reaches past the cap: a stream longer than the cap is
   * dropped having held the cap at most (a {@link java.io.ByteArrayOutputStream} doubling its
   * buffer held about 2.4 × the cap at its last doubling, and 2.6 × for a body of the cap with its
   * final copy). A body within the cap is joined into one array of its length at the end, twice its
   * size for that moment; when its length was declared and half of it has arrived, it is read on
   * into an array of that length instead, about 1.5 × its size at most, and returned without a
   * copy, as is a body that fits its first chunk exactly.
   *
   * @param in the stream; not closed here
   * @param maxBytes the cap, in bytes; at most {@code Integer.MAX_VALUE - 8}
   * @param expectedBytes the expected size (a {@code Content-Length}), in bytes, to size the first
   *     chunk, which is never larger than {@link #MAX_INITIAL_BUFFER_BYTES} (a declared length is
   *     the server's word, not bytes received), and the final array once half of it has arrived; -1
   *     when unknown. A stream longer or shorter than declared is read all the same.
   * @return the bytes, or empty when the stream is longer than {@code maxBytes}
   * @throws IOException when reading fails
   */
  static Optional<byte[]> readAtMost(InputStream in, long maxBytes, long expectedBytes)
      throws IOException {
    return readAtMost(in, maxBytes, expectedBytes, bytes -> Long.MAX_VALUE);
  }

  /**
   * Most bytes {@link #readAtMost(InputStream, long, long, Growth)} holds of a body before it asks
   * its {@link Growth}: {@value} (256 KiB), the first chunk's largest size.
   */
  static final int UNRESERVED_BYTES = MAX_INITIAL_BUFFER_BYTES;

  /**
   * Told before a body being read is given more than it may hold: its first {@link
   * #UNRESERVED_BYTES}, then what the last answer said.
   */
  @FunctionalInterface
  interface Growth {
    /**
     * @param bytes what the body's arrays will hold in all once the next one is allocated, in
     *     bytes; more than the last answer (or {@link #UNRESERVED_BYTES})
     * @return how many bytes the body's arrays may hold from now on, before it is told again;
     *     {@link Long#MAX_VALUE} for as many as the cap allows
     * @throws IOException to stop reading (the read then throws it)
     */
    long beforeGrowing(long bytes) throws IOException;
  }

  /**
   * As {@link #readAtMost(InputStream, long, long)}, telling {@code growth} before the body's
   * arrays reach past {@link #UNRESERVED_BYTES} in all, and again each time they would reach past
   * what it last answered: a body within its first {@link #UNRESERVED_BYTES} never tells it.
   *
   * @param growth told on the reading thread, before the array that would take the body's memory
   *     past what it may hold is allocated
   * @throws IOException when reading fails, or as {@code growth} throws
   */
  static Optional<byte[]> readAtMost(
      InputStream in, long maxBytes, long expectedBytes, Growth growth) throws IOException {
    long mayHold = UNRESERVED_BYTES;
    long declared = expectedBytes >= 0 && expectedBytes <= maxBytes ? expectedBytes : -1;
    long firstGuess = expectedBytes >= 0 ? expectedBytes : BUFFER_SIZE;
    byte[] chunk =
        new byte[(int) Math.min(maxBytes, Math.min(firstGuess, MAX_INITIAL_BUFFER_BYTES))];
    List<byte[]> filled = new ArrayList<>();
    int position = 0;
    long total = 0;
    while (true) {
      if (position < chunk.length) {
        int n = in.read(chunk, position, chunk.length - position);
        if (n == -1) {
          break;
        }
        position += n;
        total += n;
        continue;
      }
      // The chunk is full: whether the body goes on is one byte away, read before any new array.
      int next = in.read();
      if (next == -1) {
        break;
      }
      if (total == maxBytes) {
        return Optional.empty();
      }
      boolean whole = declared > total && 2 * total >= declared;
      long size =
          whole
              ? declared
              : Math.min(Math.min(Math.max(BUFFER_SIZE, total), MAX_CHUNK_BYTES), maxBytes - total);
      if (!whole && total < mayHold) {
        // fill what the body may hold before asking for more: a body of exactly its reservation
        // (an estimate) must not outgrow it by the unused end of its last array
        size = Math.min(size, mayHold - total);
      }
      if (total + size > mayHold) {
        mayHold = growth.beforeGrowing(total + size);
      }
      if (whole) {
        // Half of the declared length has arrived: read the rest into an array of that length.
        byte[] wholeBody = new byte[(int) declared];
        join(filled, chunk, position, wholeBody);
        filled.clear();
        chunk = wholeBody;
        position = (int) total;
      } else {
        filled.add(chunk);
        chunk = new byte[(int) size];
        position = 0;
      }
      chunk[position++] = (byte) next;
      total++;
    }
    if (filled.isEmpty() && position == chunk.length) {
      return Optional.of(chunk);
    }
    byte[] body = new byte[(int) total];
    join(filled, chunk, position, body);
    return Optional.of(body);
  }

  /**
   * Copies the full chunks and the first {@code position} bytes of {@code last} into {@code to}.
   */
  private static void join(List<byte[]> filled, byte[] last, int position, byte[] to) {
    int at = 0;
    for (byte[] full : filled) {
      System.arraycopy(full, 0, to, at, full.length);
      at += full.length;
    }
    System.arraycopy(last, 0, to, at, position);
  }

  private static List<String> codings(String contentEncoding) {
    List<String> codings = new ArrayList<>();
    if (contentEncoding == null) {
      return codings;
    }
    for (String token : contentEncoding.split(",")) {
      String coding = token.trim().toLowerCase(Locale.ROOT);
      if (!coding.isEmpty() && !coding.equals("identity")) {
        codings.add(coding);
      }
    }
    return codings;
  }

  private static InputStream gunzip(InputStream in) throws IOException {
    PushbackInputStream peekable = new PushbackInputStream(in, 1);
    int first = peekable.read();
    if (first == -1) {
      return peekable;
    }
    peekable.unread(first);
    return new GZIPInputStream(peekable, BUFFER_SIZE);
  }

  private static InputStream inflate(InputStream in) throws IOException {
    PushbackInputStream peekable = new PushbackInputStream(in, 2);
    byte[] header = new byte[2];
    int read = peekable.readNBytes(header, 0, 2);
    if (read == 0) {
      return peekable;
    }
    peekable.unread(header, 0, read);
    Inflater inflater = new Inflater(!(read == 2 && isZlibHeader(header[0], header[1])));
    return new InflaterInputStream(peekable, inflater, BUFFER_SIZE) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          inflater.end();
        }
      }
    };
  }

  /** RFC 1950 §2.2: compression method 8 (deflate) and a header checksum divisible by 31. */
  private static boolean isZlibHeader(byte cmf, byte flg) {
    int cmfBits = cmf & 0xff;
    int flgBits = flg & 0xff;
    return (cmfBits & 0x0f) == 8 && ((cmfBits << 8) | flgBits) % 31 == 0;
  }
}
