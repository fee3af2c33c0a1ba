package org.wireingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseHeadersTest {

  private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

  @Test
  void shouldReadRetryAfterSeconds() {
    assertThat(ResponseHeaders.retryAfter(" 120 ", NOW)).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void shouldReadRetryAfterHttpDateRelativeToNow() {
    assertThat(ResponseHeaders.retryAfter("Mon, 30 Nov 2026 08:05:00 GMT", NOW))
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void shouldClampRetryAfterDateInThePastToZero() {
    assertThat(ResponseHeaders.retryAfter("Mon, 30 Nov 2026 07:00:00 GMT", NOW))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void shouldSaturateHugeRetryAfterSeconds() {
    assertThat(ResponseHeaders.retryAfter("99999999999999999999", NOW))
        .isEqualTo(Duration.ofSeconds(Integer.MAX_VALUE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "-5", "1.5", "30 Nov 2026"})
  void shouldIgnoreMalformedRetryAfter(String value) {
    assertThat(ResponseHeaders.retryAfter(value, NOW)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "SUNDAY, 06-NOV-94 08:49:37 GMT"
      })
  void shouldReadAnHttpDateInEachOfTheThreeFormsRecipientsMustAccept(String value) {
    // Regression: only the IMF-fixdate was read; RFC 9110 section 5.6.7 says recipients MUST also
    // accept the obsolete RFC 850 and asctime forms, which old servers still send.
    assertThat(ResponseHeaders.httpDate(value, NOW))
        .contains(Instant.parse("1994-11-06T08:49:37Z"));
  }

  @Test
  void shouldReadAnAsctimeDateWithATwoDigitDay() {
    assertThat(ResponseHeaders.httpDate("Mon Nov 30 08:05:00 2026", NOW))
        .contains(Instant.parse("2026-11-30T08:05:00Z"));
  }

  @Test
  void shouldReadAnRfc850YearMoreThanFiftyYearsAheadAsThePastCentury() {
    // now is 2026: '76 is 2076, 50 years ahead; '77 would be 51 years ahead, so it is 1977
    assertThat(ResponseHeaders.httpDate("Monday, 30-Nov-76 08:00:00 GMT", NOW))
        .contains(Instant.parse("2076-11-30T08:00:00Z"));
    assertThat(ResponseHeaders.httpDate("Wednesday, 15-Jun-77 08:00:00 GMT", NOW))
        .contains(Instant.parse("1977-06-15T08:00:00Z"));
    assertThat(ResponseHeaders.httpDate("Monday, 30-Nov-26 08:05:00 GMT", NOW))
        .contains(Instant.parse("2026-11-30T08:05:00Z"));
  }

  @Test
  void shouldReadAnRfc850DateJustOverFiftyYearsAheadInThePastCenturyThoughItsYearIsFiftyAhead() {
    // Regression: the cut-off was by calendar year (2026 + 50 = 2076 read as '76 all year), where
    // RFC 9110 §5.6.7 speaks of the timestamp: one second more than 50 years after now is 1976.
    // The day name is that of the date in 1976 (a Tuesday; 30 November 2076 is a Monday).
    assertThat(ResponseHeaders.httpDate("Tuesday, 30-Nov-76 08:00:01 GMT", NOW))
        .contains(Instant.parse("1976-11-30T08:00:01Z"));
    assertThat(ResponseHeaders.httpDate("Friday, 31-Dec-76 00:00:00 GMT", NOW))
        .contains(Instant.parse("1976-12-31T00:00:00Z"));
    assertThat(ResponseHeaders.httpDate("Monday, 30-Nov-76 08:00:01 GMT", NOW)).isEmpty();
    assertThat(ResponseHeaders.httpDate("Tuesday, 30-Nov-76 08:00:00 GMT", NOW)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Monday, 06-Nov-94 08:49:37 GMT", // 6 November 1994 was a Sunday
        "Sunday, 31-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994", // asctime pads a one-digit day with a space
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08:49:37 1994 GMT"
      })
  void shouldRefuseMalformedObsoleteHttpDates(String value) {
    assertThat(ResponseHeaders.httpDate(value, NOW)).isEmpty();
  }

  @Test
  void shouldReadRetryAfterInTheObsoleteHttpDateForms() {
    assertThat(ResponseHeaders.retryAfter("Monday, 30-Nov-26 08:05:00 GMT", NOW))
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(ResponseHeaders.retryAfter("Mon Nov 30 08:05:00 2026", NOW))
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void shouldReadMaxAgeAmongOtherDirectives() {
    assertThat(ResponseHeaders.maxAgeDirective("public, MAX-AGE=300, must-revalidate"))
        .isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void shouldReadQuotedMaxAge() {
    assertThat(ResponseHeaders.maxAgeDirective("max-age=\"60\"")).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void shouldNotTakeSharedMaxAgeForMaxAge() {
    assertThat(ResponseHeaders.maxAgeDirective("s-maxage=600")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"no-cache", "max-age=", "max-age=abc", "max-age=-1"})
  void shouldIgnoreMissingOrMalformedMaxAge(String value) {
    assertThat(ResponseHeaders.maxAgeDirective(value)).isNull();
  }

  @Test
  void shouldFormatImfFixdateWithTwoDigitDay() {
    assertThat(ResponseHeaders.imfFixdate(Instant.parse("2026-06-03T08:05:09.750Z")))
        .isEqualTo("Wed, 03 Jun 2026 08:05:09 GMT");
  }

  @Test
  void shouldParseWhatItFormats() {
    Instant instant = Instant.parse("2026-06-03T08:05:09Z");

    assertThat(ResponseHeaders.httpDate(ResponseHeaders.imfFixdate(instant), NOW))
        .contains(instant);
  }

  @Test
  void shouldLeaveOfMaxAgeWhatTheResponsesAgeHasNotUsed() {
    assertThat(ResponseHeaders.freshForAtAge(Duration.ofSeconds(300), "280"))
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(ResponseHeaders.freshForAtAge(Duration.ofSeconds(300), "900"))
        .isEqualTo(Duration.ZERO);
    assertThat(ResponseHeaders.freshForAtAge(Duration.ofSeconds(300), null))
        .isEqualTo(Duration.ofSeconds(300));
    assertThat(ResponseHeaders.freshForAtAge(Duration.ofSeconds(300), "soon"))
        .isEqualTo(Duration.ofSeconds(300));
    assertThat(ResponseHeaders.freshForAtAge(null, "10")).isNull();
  }

  /**
   * Regression: {@code Age: 280, 280} (two caches each adding the field, or one header line per
   * cache joined into a list) was not a number, so the whole Age was ignored and a CDN copy 280 s
   * into its max-age=300 counted as fresh for 300 s more. RFC 9111 §5.1: a recipient of a
   * list-based Age uses its first member; empty list elements are ignored (RFC 9110 §5.6.1).
   */
  @ParameterizedTest
  @ValueSource(strings = {"280, 280", "280,280", " 280 , 30", ", 280", "280,", "280, soon"})
  void shouldReadTheFirstMemberOfAListBasedAge(String age) {
    assertThat(ResponseHeaders.freshForAtAge(Duration.ofSeconds(300), age))
        .isEqualTo(Duration.ofSeconds(20));
  }

  /** RFC 9111 §5.1: a first member that is not delta-seconds makes the whole field ignored. */
  @ParameterizedTest
  @ValueSource(strings = {"soon, 280", "-1, 280", "28 0", ",", ""})
  void shouldIgnoreAnAgeWhoseFirstMemberIsInvalid(String age) {
    assertThat(ResponseHeaders.freshForAtAge(Duration.ofSeconds(300), age))
        .isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void shouldReadTheFreshnessLifetimeOfExpiresAgainstTheResponsesDate() {
    Instant date = Instant.parse("2026-11-30T08:00:00Z");

    assertThat(ResponseHeaders.expiresLifetime("Mon, 30 Nov 2026 08:10:00 GMT", date))
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(ResponseHeaders.expiresLifetime(" Monday, 30-Nov-26 08:01:00 GMT ", date))
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(ResponseHeaders.expiresLifetime("Mon, 30 Nov 2026 07:00:00 GMT", date))
        .as("in the past")
        .isEqualTo(Duration.ZERO);
    for (String invalid : new String[] {"0", "-1", "never"}) {
      assertThat(ResponseHeaders.expiresLifetime(invalid, date))
          .as("RFC 9111 section 5.3: '%s' is a time in the past", invalid)
          .isEqualTo(Duration.ZERO);
    }
    assertThat(ResponseHeaders.expiresLifetime(null, date)).isNull();
    assertThat(ResponseHeaders.expiresLifetime(" ", date)).isNull();
  }
}
