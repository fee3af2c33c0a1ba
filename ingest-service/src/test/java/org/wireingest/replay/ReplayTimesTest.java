package org.wireingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayTimesTest {

  private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

  @Test
  void shouldReadAUtcInstant() {
    assertThat(ReplayTimes.parse("2026-11-01T06:30:00Z", NOW))
        .isEqualTo(Instant.parse("2026-11-01T06:30:00Z"));
  }

  @Test
  void shouldReadAnInstantWithAnOffsetAsUtc() {
    assertThat(ReplayTimes.parse("2026-11-30T11:00:00+03:00", NOW))
        .isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
  }

  @Test
  void shouldReadADateAsItsStartInUtc() {
    // found in a new-user trial: replay --from 2026-12-03 was refused
    assertThat(ReplayTimes.parse("2026-11-29", NOW))
        .isEqualTo(Instant.parse("2026-11-29T00:00:00Z"));
  }

  @org.junit.jupiter.api.Test
  void shouldReadAShortDurationAsThatLongAgo() {
    assertThat(ReplayTimes.parse("30d", NOW)).isEqualTo(Instant.parse("2026-10-31T08:00:00Z"));
  }

  @Test
  void shouldReadAnIsoDurationAsThatLongAgo() {
    assertThat(ReplayTimes.parse("PT2H", NOW)).isEqualTo(Instant.parse("2026-11-30T06:00:00Z"));
  }

  // Found in a replay trial: --from 2030-01-01T00:00:00Z replayed nothing, created an empty target
  // and exited 0.
  @Test
  void shouldRefuseAFromInTheFuture() {
    assertThatThrownBy(() -> ReplayTimes.range("2030-01-01T00:00:00Z", null, NOW))
        .isInstanceOf(org.wireingest.config.ConfigException.class)
        .hasMessageContaining("--from 2030-01-01T00:00:00Z is in the future");
    assertThat(ReplayTimes.range("0s", null, NOW).from()).isEqualTo(NOW);
  }

  @Test
  void shouldNameBothFormsWhenTheTextIsNeither() {
    assertThatThrownBy(() -> ReplayTimes.parse("yesterday", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("yesterday")
        .hasMessageContaining("30d");
  }
}
