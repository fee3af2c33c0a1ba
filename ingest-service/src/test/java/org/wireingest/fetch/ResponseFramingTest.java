package org.wireingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link ResponseFraming} on its own: repeated {@code Content-Length} values compared by decimal
 * value (RFC 9110 §8.6, RFC 9112 §6.3), whatever their length.
 */
class ResponseFramingTest {

  private static Optional<String> unreadable(String... contentLengths) {
    HttpHeaders headers =
        HttpHeaders.of(Map.of("Content-Length", List.of(contentLengths)), (name, value) -> true);
    return ResponseFraming.unreadable(headers, 200, "http://wire.example/feed");
  }

  @Test
  void shouldReadContentLengthValuesOfOneDecimalValueAsThatValue() {
    assertThat(unreadable("010", "10")).isEmpty();
    assertThat(unreadable("10", "010", "0010")).isEmpty();
    assertThat(unreadable("0", "000")).isEmpty();
  }

  /** Values past a {@code long} are compared digit for digit, neither overflowing nor parsed. */
  @Test
  void shouldCompareContentLengthValuesTooLongForALongByTheirDigits() {
    assertThat(unreadable("99999999999999999999", "099999999999999999999")).isEmpty();
    assertThat(unreadable("99999999999999999999", "99999999999999999998"))
        .hasValueSatisfying(
            reason -> assertThat(reason).contains("has Content-Length values that differ ("));
    // 2^64 + 10 wraps to 10 in a long's arithmetic: still a value that differs
    assertThat(unreadable("18446744073709551626", "10")).isPresent();
  }

  @Test
  void shouldRefuseContentLengthValuesThatDifferOrAreNotAllDigits() {
    assertThat(unreadable("20", "10"))
        .hasValueSatisfying(reason -> assertThat(reason).contains("values that differ (20, 10)"));
    assertThat(unreadable("+10", "10"))
        .hasValueSatisfying(
            reason -> assertThat(reason).contains("are not all decimal numbers (+10, 10)"));
    assertThat(unreadable("10", "")).isPresent();
    // a list's members must all be valid (RFC 9112 §6.3), the same spelling repeated included
    assertThat(unreadable("1e1", "1e1"))
        .hasValueSatisfying(
            reason -> assertThat(reason).contains("are not all decimal numbers (1e1)"));
  }

  @Test
  void shouldLeaveASingleContentLengthToTheClient() {
    assertThat(unreadable("010")).isEmpty();
  }
}
