package org.wireingest.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HashesTest {

  /** SHA-256 of "abc", FIPS 180-2 appendix B.1. */
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void shouldHashBytesAsSha256InLowerCaseHex() {
    assertThat(Hashes.sha256Hex("abc".getBytes(UTF_8))).isEqualTo(ABC);
    assertThat(Hashes.sha256Hex("abc")).isEqualTo(ABC);
  }

  @Test
  void shouldGiveAHashMadeInsideAnotherADigestOfItsOwn() {
    String[] inner = new String[1];
    String outer =
        Hashes.sha256Hex(
            digest -> {
              digest.update("a".getBytes(UTF_8));
              inner[0] = Hashes.sha256Hex("abc");
              digest.update("bc".getBytes(UTF_8));
            });
    assertThat(outer).isEqualTo(ABC);
    assertThat(inner[0]).isEqualTo(ABC);
  }

  @Test
  void shouldNotLetAFailedHashLeaveItsInputInTheNextOne() {
    assertThatThrownBy(
            () ->
                Hashes.sha256Hex(
                    digest -> {
                      digest.update("partial".getBytes(UTF_8));
                      throw new IllegalStateException("input failed");
                    }))
        .hasMessage("input failed");
    assertThat(Hashes.sha256Hex("abc")).isEqualTo(ABC);
  }
}
