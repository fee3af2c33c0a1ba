package org.wireingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShortenedTest {

  @Test
  void shouldKeepTextUpToTheLimitAndCutLongerTextSayingItsLength() {
    assertThat(Shortened.cut(null, 5)).isNull();
    assertThat(Shortened.cut("abcde", 5)).isEqualTo("abcde");
    assertThat(Shortened.cut("abcdef", 5)).isEqualTo("abcde…(6 characters)");
  }

  @Test
  void shouldNotSplitASurrogatePair() {
    String emoji = "\uD83D\uDE00";
    assertThat(Shortened.cut("abcd" + emoji + "x", 5)).isEqualTo("abcd…(7 characters)");
  }

  @Test
  void shouldPutTextOnOneLineWithoutControlCharactersBeforeCutting() {
    assertThat(
            Shortened.line("  Invalid header value \"ETag: abc\u0001def\"\r\nforged: line\t ", 100))
        .isEqualTo("Invalid header value \"ETag: abc def\" forged: line");
    assertThat(Shortened.line("a\n\n\nb" + "c".repeat(300_000), 10))
        .isEqualTo("a bccccccc…(300005 characters)");
    assertThat(Shortened.line(null, 10)).isNull();
  }

  @Test
  void shouldEscapeWhatGarblesALineAndKeepTheRest() {
    assertThat(Shortened.escaped("trt\u001b[2Jworld\u202Eabc\u2028d\u00A0é", 100))
        .isEqualTo("trt\\u001B[2Jworld\\u202Eabc\\u2028d\u00A0é");
    assertThat(Shortened.escaped("abcdef\n", 5)).isEqualTo("abcde…(7 characters)");
    assertThat(Shortened.escaped(null, 5)).isNull();
  }
}
