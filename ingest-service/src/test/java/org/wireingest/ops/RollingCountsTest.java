package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollingCountsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T08:00:00Z"));
  private final RollingCounts counts = RollingCounts.lastDay(clock);

  @Test
  void shouldSumEventsWithinTheLastDay() {
    counts.add("trtworld-main", 3);
    clock.advance(Duration.ofHours(12));
    counts.add("trtworld-main", 2);

    assertThat(counts.count("trtworld-main")).isEqualTo(5);
  }

  @Test
  void shouldListTheKeysWithEventsInTheWindowSortedByKey() {
    counts.add("dw-top", 1);
    clock.advance(Duration.ofHours(12));
    counts.add("trtworld-main", 2);
    counts.add("aa-live", 4);
    counts.add("dw-top", 1);
    clock.advance(Duration.ofHours(13));
    counts.add("bbc-world", 0);

    assertThat(counts.counts())
        .containsExactly(
            Map.entry("aa-live", 4L), Map.entry("dw-top", 1L), Map.entry("trtworld-main", 2L));
    clock.advance(Duration.ofHours(12));
    assertThat(counts.counts()).isEmpty();
  }

  @Test
  void shouldForgetEventsOlderThanTheWindow() {
    counts.add("trtworld-main", 3);
    clock.advance(Duration.ofHours(12));
    counts.add("trtworld-main", 2);
    clock.advance(Duration.ofHours(13));

    assertThat(counts.count("trtworld-main")).isEqualTo(2);
  }

  @Test
  void shouldNotCountOldEventsWhenTheirBucketIsReused() {
    counts.add("trtworld-main", 3);
    clock.advance(Duration.ofHours(24));
    counts.add("trtworld-main", 1);

    assertThat(counts.count("trtworld-main")).isEqualTo(1);
  }

  @Test
  void shouldKeepKeysApart() {
    counts.add("trtworld-main", 3);
    counts.add("dw-all", 1);

    assertThat(counts.count("dw-all")).isEqualTo(1);
  }

  @Test
  void shouldCountZeroForAKeyNeverSeen() {
    assertThat(counts.count("never")).isZero();
  }

  @Test
  void shouldRejectANegativeCount() {
    assertThatThrownBy(() -> counts.add("trtworld-main", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
