package org.wireingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpHeaderValuesTest {

  private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

  @Test
  void shouldReadRetryAfterSeconds() {
    assertThat(HttpHeaderValues.retryAfter(" 120 ", NOW)).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void shouldReadRetryAfterHttpDateRelativeToNow() {
    assertThat(HttpHeaderValues.retryAfter("Mon, 30 Nov 2026 08:05:00 GMT", NOW))
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void shouldClampRetryAfterDateInThePastToZero() {
    assertThat(HttpHeaderValues.retryAfter("Mon, 30 Nov 2026 07:00:00 GMT", NOW))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void shouldSaturateHugeRetryAfterSeconds() {
    assertThat(HttpHeaderValues.retryAfter("99999999999999999999", NOW))
        .isEqualTo(Duration.ofSeconds(Integer.MAX_VALUE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "-5", "1.5", "30 Nov 2026"})
  void shouldIgnoreMalformedRetryAfter(String value) {
    assertThat(HttpHeaderValues.retryAfter(value, NOW)).isNull();
  }

  @Test
  void shouldReadMaxAgeAmongOtherDirectives() {
    assertThat(HttpHeaderValues.maxAge("public, MAX-AGE=300, must-revalidate"))
        .isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void shouldReadQuotedMaxAge() {
    assertThat(HttpHeaderValues.maxAge("max-age=\"60\"")).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void shouldNotTakeSharedMaxAgeForMaxAge() {
    assertThat(HttpHeaderValues.maxAge("s-maxage=600")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"no-cache", "max-age=", "max-age=abc", "max-age=-1"})
  void shouldIgnoreMissingOrMalformedMaxAge(String value) {
    assertThat(HttpHeaderValues.maxAge(value)).isNull();
  }

  @Test
  void shouldFormatImfFixdateWithTwoDigitDay() {
    assertThat(HttpHeaderValues.imfFixdate(Instant.parse("2026-06-03T08:05:09.750Z")))
        .isEqualTo("Wed, 03 Jun 2026 08:05:09 GMT");
  }

  @Test
  void shouldParseWhatItFormats() {
    Instant instant = Instant.parse("2026-06-03T08:05:09Z");

    assertThat(HttpHeaderValues.httpDate(HttpHeaderValues.imfFixdate(instant))).contains(instant);
  }

  @Test
  void shouldLeaveOfMaxAgeWhatTheResponsesAgeHasNotUsed() {
    assertThat(HttpHeaderValues.freshFor(Duration.ofSeconds(300), "280"))
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(HttpHeaderValues.freshFor(Duration.ofSeconds(300), "900")).isEqualTo(Duration.ZERO);
    assertThat(HttpHeaderValues.freshFor(Duration.ofSeconds(300), null))
        .isEqualTo(Duration.ofSeconds(300));
    assertThat(HttpHeaderValues.freshFor(Duration.ofSeconds(300), "soon"))
        .isEqualTo(Duration.ofSeconds(300));
    assertThat(HttpHeaderValues.freshFor(null, "10")).isNull();
  }
}
