package org.wireingest.text;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StrictDecodingTest {

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
}
