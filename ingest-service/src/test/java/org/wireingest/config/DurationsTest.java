package org.wireingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "20s, PT20S",
    "5m, PT5M",
    "2h, PT2H",
    "30d, P30D",
    "0s, PT0S",
    "20S, PT20S",
    "10 s, PT10S",
    // sums, as Go and Kubernetes write them: 1h30m was "not a duration"
    "1h30m, PT1H30M",
    "1d12h, P1DT12H",
    "2m30s, PT2M30S",
    "1h 30m, PT1H30M",
    "1s500ms, PT1.5S",
    "1d2h3m4s5ms, P1DT2H3M4.005S"
  })
  void shouldParseShortForm(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"30m1h", "1h1h", "1h30", "h30m", "1h30mm", "5s5m"})
  void shouldRejectASumOutOfOrderOrWithAPartWithoutItsUnit(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "' is not a duration (use e.g. 20s, 5m, 1h30m");
  }

  // A run of blanks between optional parts could be split among them every way: "1d", 320 blanks
  // and "x" took 12 s to be refused, and the time grew with the fourth power of the run, so 3,000
  // blanks would take days. Not a speed test: a guard against the matcher never returning.
  @Test
  void shouldRefuseALongRunOfBlanksWithoutHanging() {
    String text = "1d" + " ".repeat(3000) + "x";
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a duration"));
    assertThat(Durations.parse("1d" + " ".repeat(2000) + "12h")).isEqualTo(Duration.ofHours(36));
  }

  @ParameterizedTest
  @CsvSource({"PT20S, PT20S", "pt2m, PT2M", "P30D, P30D", "PT1H30M, PT1H30M"})
  void shouldParseIso8601(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @Test
  void shouldIgnoreSurroundingBlanks() {
    assertThat(Durations.parse("  5m \t")).isEqualTo(Duration.ofMinutes(5));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   "})
  void shouldRejectMissingDuration(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty duration");
  }

  // From a code review: these escaped as NumberFormatException, ArithmeticException
  // (Duration.ofDays
  // overflowing) or later from toMillis(), which killed the feeds-file watcher's timer for good.
  @ParameterizedTest
  @ValueSource(
      strings = {
        "106751991167301d",
        "99999999999999999999s",
        "9223372036854775808ms",
        "P999999999999D"
      })
  void shouldRejectADurationTooLongForMillisecondsQuotingIt(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "' is too long a duration");
  }

  @Test
  void shouldTakeTheLongestDurationThatMillisecondsHold() {
    assertThat(Durations.parse(Long.MAX_VALUE + "ms").toMillis()).isEqualTo(Long.MAX_VALUE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"xyz", "5 minutes", "5w", "1.5h", "PT"})
  void shouldRejectTextThatIsNoDurationQuotingItAndTheAcceptedForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("20s")
        .hasMessageContaining("PT20S");
  }

  // Range errors quoted the value as ISO-8601 (PT30S) when the user had typed 30s.
  @ParameterizedTest
  @CsvSource({
    "30s, 30s",
    "PT30S, 30s",
    "90s, 90s",
    "2m, 2m",
    "120s, 2m",
    "PT1H30M, 90m",
    "36h, 36h",
    "3d, 3d",
    "P30D, 30d",
    "48h, 2d",
    "500ms, 500ms",
    "1500ms, 1500ms",
    "0s, 0s",
    "PT0S, 0s",
    "106751991166d, 106751991166d"
  })
  void shouldFormatInTheShortFormTheHelpUses(String text, String formatted) {
    assertThat(Durations.format(Durations.parse(text))).isEqualTo(formatted);
    assertThat(Durations.parse(Durations.format(Durations.parse(text))))
        .isEqualTo(Durations.parse(text));
  }

  @Test
  void shouldFormatWhatTheShortFormCannotWriteAsIso8601() {
    assertThat(Durations.format(Duration.ofNanos(1500))).isEqualTo("PT0.0000015S");
    assertThat(Durations.format(Duration.ofSeconds(-30))).isEqualTo("PT-30S");
    assertThat(Durations.format(Duration.ofSeconds(Long.MAX_VALUE, 5_000_000)))
        .isEqualTo(Duration.ofSeconds(Long.MAX_VALUE, 5_000_000).toString());
  }

  @Test
  void shouldRejectNegativeIsoDuration() {
    assertThatThrownBy(() -> Durations.parse("PT-5M"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative duration 'PT-5M'");
  }

  // Found in a review: "-5s" was "not a duration (use e.g. 20s, ...)", which reads as a syntax
  // error, not as the sign being the problem
  @ParameterizedTest
  @ValueSource(strings = {"-5s", " -5m", "-PT5S", "-P1D"})
  void shouldCallADurationWithAMinusSignNegative(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("negative duration '" + text + "'");
  }

  // Found in a review: any text starting with a minus sign was a "negative duration", "-" and
  // "-abc" included, which are not durations at all
  @ParameterizedTest
  @ValueSource(strings = {"-", "-abc", "--5s", "-5"})
  void shouldNotCallATextWithAMinusSignThatIsNoDurationNegative(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a duration");
  }
}
