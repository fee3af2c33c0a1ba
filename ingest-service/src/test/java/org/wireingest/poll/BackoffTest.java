package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

  private static final Duration INTERVAL = Duration.ofMinutes(2);

  @Test
  void shouldWaitTheIntervalWhileHealthy() {
    assertThat(Backoff.delay(INTERVAL, 0, null)).isEqualTo(INTERVAL);
  }

  @ParameterizedTest
  @CsvSource({"1, PT2M", "2, PT4M", "3, PT8M", "4, PT16M", "7, PT2H8M", "8, PT4H16M"})
  void shouldDoubleTheDelayWithEachConsecutiveFailure(int failures, String expected) {
    assertThat(Backoff.delay(INTERVAL, failures, null)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @CsvSource({"9", "20", "21", "63", "64", "1000", "2147483647"})
  void shouldCapTheDelayAtSixHoursHoweverManyFailures(int failures) {
    assertThat(Backoff.delay(INTERVAL, failures, null))
        .isEqualTo(Backoff.MAX_BACKOFF)
        .isEqualTo(Duration.ofHours(6));
  }

  @Test
  void shouldCapAnIntervalLongerThanTheMaximumOnceFailing() {
    assertThat(Backoff.delay(Duration.ofHours(12), 1, null)).isEqualTo(Backoff.MAX_BACKOFF);
  }

  @Test
  void shouldHonourRetryAfterLongerThanTheBackoff() {
    assertThat(Backoff.delay(INTERVAL, 1, Duration.ofMinutes(30)))
        .isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void shouldIgnoreRetryAfterShorterThanTheBackoff() {
    assertThat(Backoff.delay(INTERVAL, 3, Duration.ofSeconds(5))).isEqualTo(Duration.ofMinutes(8));
  }

  @Test
  void shouldCapRetryAfterAtSixHours() {
    assertThat(Backoff.delay(INTERVAL, 1, Duration.ofDays(2))).isEqualTo(Backoff.MAX_BACKOFF);
  }

  @Test
  void shouldKeepJitterWithinTheFraction() {
    Duration delay = Duration.ofSeconds(100);

    assertThat(IntStream.range(0, 500).mapToObj(i -> Backoff.jitter(delay, 0.1)))
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(90), Duration.ofSeconds(110)));
  }

  @Test
  void shouldOnlyEverDelayWithJitterLater() {
    Duration delay = Duration.ofSeconds(120);

    List<Duration> jittered =
        IntStream.range(0, 2_000).mapToObj(i -> Backoff.jitterLater(delay, 0.1)).toList();

    assertThat(jittered).allSatisfy(d -> assertThat(d).isBetween(delay, Duration.ofSeconds(132)));
    assertThat(jittered).anySatisfy(d -> assertThat(d).isGreaterThan(Duration.ofSeconds(126)));
  }

  @Test
  void shouldLeaveDelayUnchangedWhenJitterSpanIsBelowOneMillisecond() {
    assertThat(Backoff.jitter(Duration.ofMillis(5), 0.1)).isEqualTo(Duration.ofMillis(5));
    assertThat(Backoff.jitter(Duration.ofSeconds(10), 0.0)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void shouldKeepTheIntervalWithoutARefreshHint() {
    assertThat(Backoff.healthyDelay(INTERVAL, null)).isEqualTo(INTERVAL);
  }

  @Test
  void shouldNeverPollFasterThanTheIntervalWhateverTheHint() {
    assertThat(Backoff.healthyDelay(INTERVAL, Duration.ofSeconds(30))).isEqualTo(INTERVAL);
  }

  @Test
  void shouldWaitForARefreshHintWithinFourIntervals() {
    assertThat(Backoff.healthyDelay(INTERVAL, Duration.ofMinutes(5)))
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void shouldCapARefreshHintAtFourIntervals() {
    assertThat(Backoff.healthyDelay(INTERVAL, Duration.ofMinutes(60)))
        .isEqualTo(Duration.ofMinutes(8));
  }

  @Test
  void shouldCapARefreshHintAtOneHour() {
    assertThat(Backoff.healthyDelay(Duration.ofMinutes(30), Duration.ofHours(3)))
        .isEqualTo(Duration.ofHours(1));
  }

  @Test
  void shouldKeepAnIntervalLongerThanTheHintCap() {
    assertThat(Backoff.healthyDelay(Duration.ofHours(2), Duration.ofHours(6)))
        .isEqualTo(Duration.ofHours(2));
  }
}
