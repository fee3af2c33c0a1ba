package org.wireingest.text;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.wireingest.testing.Corpus;

class StrictDecodingTest {

  /** The JDK's UTF-8 decoder, reporting every malformed sequence: the reference of the check. */
  private static final CharsetDecoder JDK_UTF_8 =
      UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  @Test
  void shouldDecodeValidUtf8() {
    String text = "Ankara’da “haber” — Ümit 🇹🇷";

    assertThat(StrictDecoding.decode(text.getBytes(UTF_8), UTF_8)).contains(text);
  }

  @Test
  void shouldDecodeAMultiByteCharacterAcrossTheCheckBuffersBoundary() {
    String text = "a".repeat(8191) + "é€😀".repeat(3000) + "z";

    assertThat(StrictDecoding.decode(text.getBytes(UTF_8), UTF_8)).contains(text);
  }

  @Test
  void shouldDecodeUtf16WithItsByteOrderMark() {
    assertThat(StrictDecoding.decode("<rss/>".getBytes(UTF_16), UTF_16)).contains("<rss/>");
  }

  @Test
  void shouldRefuseAMalformedSequenceFarIntoTheBytes() {
    byte[] bytes = ("x".repeat(100_000) + "é").getBytes(ISO_8859_1);

    assertThat(StrictDecoding.decode(bytes, UTF_8)).isEmpty();
  }

  @Test
  void shouldRefuseASequenceCutOffAtTheEnd() {
    byte[] whole = "ok €".getBytes(UTF_8);
    byte[] cut = Arrays.copyOf(whole, whole.length - 1);

    assertThat(StrictDecoding.decode(cut, UTF_8)).isEmpty();
  }

  @Test
  void shouldRefuseAnUnmappableByte() {
    assertThat(
            StrictDecoding.decode(new byte[] {'a', (byte) 0x81}, Charset.forName("windows-1252")))
        .isEmpty();
    assertThat(StrictDecoding.decode(new byte[] {'a', (byte) 0xE9}, US_ASCII)).isEmpty();
  }

  @Test
  void shouldGiveTheOffsetOfTheFirstSequenceThatIsNoUtf8() {
    byte[] overlong = {'a', 'b', (byte) 0xC0, (byte) 0xAF, 'c'};
    byte[] surrogate = {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
    byte[] far = ("x".repeat(100_000) + "é").getBytes(ISO_8859_1);
    byte[] cut = Arrays.copyOf("ok €".getBytes(UTF_8), 5);

    assertThat(StrictDecoding.firstInvalid(overlong, UTF_8)).isEqualTo(2);
    assertThat(StrictDecoding.firstInvalid(surrogate, UTF_8)).isEqualTo(1);
    assertThat(StrictDecoding.firstInvalid(far, UTF_8)).isEqualTo(100_000);
    assertThat(StrictDecoding.firstInvalid(cut, UTF_8)).isEqualTo(3);
    assertThat(StrictDecoding.firstInvalid("Ümit 🇹🇷".getBytes(UTF_8), UTF_8)).isEqualTo(-1);
  }

  /**
   * Regression: CharsetDecoder.decode(ByteBuffer) filled a char buffer of two bytes a byte before
   * the String was made of it, so a 19 MB feed took 58 MB beside its body while decoded, the
   * largest single step of its parse.
   */
  @Test
  void shouldAllocateLittleMoreThanTheTextItself() {
    byte[] bytes =
        "<item>A wire story's text, in plain ASCII.</item>\n".repeat(160_000).getBytes(UTF_8);
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();

    Optional<String> text = StrictDecoding.decode(bytes, UTF_8);

    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(text).hasValueSatisfying(t -> assertThat(t).hasSize(bytes.length));
    assertThat(allocated).isLessThan(bytes.length + bytes.length / 2L);
  }

  /**
   * RFC 3629's edges, each alone, after an ASCII prefix of every length up to 9 (so the sequence
   * falls at each place of the check's eight-byte ASCII runs), and before nothing, ASCII or a
   * second sequence: every 2-byte pair, and every lead from C0 to FF with every second byte and a
   * few third and fourth bytes (a tail's ends 80 and BF, ASCII, a lead, and none: cut off).
   */
  @Test
  void shouldGiveTheJdkDecodersOffsetOnEveryEdgeOfTheUtf8Table() {
    byte[] others = {0x41, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xE0, (byte) 0xFF};
    int checked = 0;
    for (int prefix = 0; prefix <= 9; prefix++) {
      for (int lead = 0x80; lead <= 0xFF; lead++) {
        for (int second = 0; second <= 0xFF; second++) {
          assertSameAsJdk(sequence(prefix, lead, second));
          checked++;
          if (lead < 0xE0) {
            continue;
          }
          for (byte third : others) {
            assertSameAsJdk(sequence(prefix, lead, second, third));
            for (byte fourth : others) {
              assertSameAsJdk(sequence(prefix, lead, second, third, fourth));
              assertSameAsJdk(sequence(prefix, lead, second, third, fourth, 'z'));
              checked += 2;
            }
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(1_000_000);
  }

  @Test
  void shouldGiveTheJdkDecodersOffsetOnRandomBytes() {
    Random random = new Random(20261208L);
    // bytes drawn mostly from the interesting ranges: ASCII, tails, and each kind of lead
    byte[][] ranges = {
      range(0x00, 0x7F), range(0x80, 0xBF), range(0xC0, 0xDF), range(0xE0, 0xEF), range(0xF0, 0xFF)
    };
    for (int n = 0; n < 300_000; n++) {
      byte[] bytes = new byte[random.nextInt(40)];
      for (int i = 0; i < bytes.length; i++) {
        byte[] range = ranges[random.nextInt(ranges.length)];
        bytes[i] = range[random.nextInt(range.length)];
      }
      assertSameAsJdk(bytes);
    }
  }

  @Test
  void shouldGiveTheJdkDecodersOffsetOnValidTextWithOneByteChanged() {
    Random random = new Random(3629L);
    for (int n = 0; n < 100_000; n++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(30); i > 0; i--) {
        // ASCII, 2-, 3- and 4-byte characters; no lone surrogate (String.getBytes replaces it)
        int codePoint =
            switch (random.nextInt(4)) {
              case 0 -> random.nextInt(0x80);
              case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
              case 2 -> 0x800 + random.nextInt(0xD800 - 0x800);
              default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
            };
        text.appendCodePoint(codePoint);
      }
      byte[] bytes = text.toString().getBytes(UTF_8);
      assertSameAsJdk(bytes);
      if (bytes.length > 0) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        assertSameAsJdk(bytes);
        assertSameAsJdk(Arrays.copyOf(bytes, random.nextInt(bytes.length)));
      }
    }
  }

  @Test
  void shouldGiveTheJdkDecodersOffsetOnEveryCorpusFile() throws IOException {
    Path corpus = Corpus.dir();
    assertThat(Corpus.isPresent(corpus)).as("corpus at %s", corpus).isTrue();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(corpus)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(100);
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      assertSameAsJdk(bytes);
      // each file again with a byte that is no UTF-8 in its middle and with its end cut
      byte[] changed = bytes.clone();
      if (changed.length > 0) {
        changed[changed.length / 2] = (byte) 0xC0;
        assertSameAsJdk(changed);
        assertSameAsJdk(Arrays.copyOf(bytes, bytes.length - 1));
      }
    }
  }

  private static void assertSameAsJdk(byte[] bytes) {
    int expected = jdkFirstInvalid(bytes);
    int actual = StrictDecoding.firstInvalid(bytes, UTF_8);
    if (actual != expected) {
      // the bytes formatted only when they differ: the edge test checks millions of them
      assertThat(actual).as("first invalid byte of %s", Arrays.toString(bytes)).isEqualTo(expected);
    }
  }

  /** The JDK's reporting UTF-8 decoder: where it stops with an error, or -1. */
  private static int jdkFirstInvalid(byte[] bytes) {
    CharsetDecoder decoder = JDK_UTF_8.reset();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 2);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      return in.position();
    }
    assertThat(result.isUnderflow()).isTrue();
    return decoder.flush(out).isError() ? in.position() : -1;
  }

  /** The ASCII prefix {@code xx...}, then {@code tail} as bytes. */
  private static byte[] sequence(int prefix, int... tail) {
    byte[] bytes = new byte[prefix + tail.length];
    Arrays.fill(bytes, 0, prefix, (byte) 'x');
    for (int i = 0; i < tail.length; i++) {
      bytes[prefix + i] = (byte) tail[i];
    }
    return bytes;
  }

  private static byte[] range(int first, int last) {
    byte[] bytes = new byte[last - first + 1];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (first + i);
    }
    return bytes;
  }
}
