package org.wireingest.text;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.wireingest.testing.Corpus;

/**
 * {@link LazyImages#mayHaveLazyImages}, the text scan that spares most bodies the lazy-image walk,
 * gives the answer of the scan it replaced (every char tried as the start of {@code data-}, {@code
 * srcset} or {@code noscript}) on every input.
 */
class LazyImagesTest {

  /**
   * The letters of the three words in both cases, letters matching them ignoring case, and more.
   */
  private static final String ALPHABET =
      "dataDATA-srcetSRCETnoiptNOIPT\u017F\u0131\u0130\u212A x<>=\"";

  @Test
  void shouldFindEachWordInAnyCaseAnywhere() {
    for (String word : List.of("data-", "srcset", "noscript", "DaTa-", "SRCSET", "NoScRiPt")) {
      for (String text : List.of(word, "x" + word, word + "x", "<img " + word + "=\"a.jpg\">")) {
        assertThat(LazyImages.mayHaveLazyImages(text)).as(text).isTrue();
      }
    }
    for (String text : List.of("", "data", "ata-", "srcse", "rcset", "noscrip", "oscript", "d-")) {
      assertThat(LazyImages.mayHaveLazyImages(text)).as(text).isFalse();
    }
  }

  @Test
  void shouldAnswerAsTheCharByCharScanOnRandomText() {
    Random random = new Random(20261208L);
    for (int n = 0; n < 300_000; n++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(24); i > 0; i--) {
        text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      assertSameAsCharByChar(text.toString());
    }
  }

  /**
   * The lowercase long s (U+017F) and the Turkish dotless and dotted i match {@code s} and {@code
   * i} ignoring case: inside a word they matched, as its first letter they did not.
   */
  @Test
  void shouldMatchNonAsciiLettersAsTheCharByCharScanDid() {
    for (String text :
        List.of(
            "src\u017Fet",
            "\u017Frcset",
            "no\u017Fcript",
            "noscr\u0131pt",
            "noscr\u0130pt",
            "\u0130noscript")) {
      assertSameAsCharByChar(text);
    }
    assertThat(LazyImages.mayHaveLazyImages("no\u017Fcript")).isTrue();
    assertThat(LazyImages.mayHaveLazyImages("\u017Frcset")).isFalse();
  }

  @Test
  void shouldAnswerAsTheCharByCharScanOnEveryCorpusFile() throws IOException {
    Path corpus = Corpus.dir();
    assertThat(Corpus.isPresent(corpus)).as("corpus at %s", corpus).isTrue();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(corpus)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    int found = 0;
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      for (String text : List.of(new String(bytes, UTF_8), new String(bytes, ISO_8859_1))) {
        assertSameAsCharByChar(text);
        found += LazyImages.mayHaveLazyImages(text) ? 1 : 0;
        // every line too: a title or a description is one fragment, not a whole feed
        text.lines().forEach(LazyImagesTest::assertSameAsCharByChar);
      }
    }
    assertThat(found).as("files holding a word, read both ways").isPositive();
  }

  private static void assertSameAsCharByChar(String text) {
    assertThat(LazyImages.mayHaveLazyImages(text)).as(text).isEqualTo(charByChar(text));
  }

  /** The scan as it was before it looked only where the words' rarest letter is. */
  private static boolean charByChar(String html) {
    int last = html.length() - 5;
    for (int i = 0; i <= last; i++) {
      char c = (char) (html.charAt(i) | 0x20);
      if (c == 'd' && html.regionMatches(true, i, "data-", 0, 5)
          || c == 's' && html.regionMatches(true, i, "srcset", 0, 6)
          || c == 'n' && html.regionMatches(true, i, "noscript", 0, 8)) {
        return true;
      }
    }
    return false;
  }
}
