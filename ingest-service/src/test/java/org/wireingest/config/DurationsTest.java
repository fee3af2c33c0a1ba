package org.wireingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({"500ms, PT0.5S", "20s, PT20S", "5m, PT5M", "2h, PT2H", "30d, P30D", "0s, PT0S", "20S, PT20S", "10 s, PT10S"})
  void shouldParseShortForm(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
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

  @ParameterizedTest
  @ValueSource(strings = {"xyz", "5 minutes", "5w", "1.5h", "-5m", "PT"})
  void shouldRejectTextThatIsNoDurationQuotingItAndTheAcceptedForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("20s")
        .hasMessageContaining("PT20S");
  }

  @Test
  void shouldRejectNegativeIsoDuration() {
    assertThatThrownBy(() -> Durations.parse("PT-5M"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative duration 'PT-5M'");
  }
}
