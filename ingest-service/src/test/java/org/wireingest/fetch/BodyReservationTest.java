package org.wireingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wireingest.fetch.FetchResult.Failed;

/**
 * {@link BodyReservation} on its own: the first estimate's bounds, and a wait for room cut short by
 * an interrupt (what {@link FeedFetcherBodyBudgetTest} does not reach over HTTP).
 */
@Timeout(30)
class BodyReservationTest {

  private static final long MIB = 1L << 20;
  private static final URI URL = URI.create("https://reader:secret@example.com/feed.xml");

  private static final FetchSettings SETTINGS =
      new FetchSettings(
          Duration.ofSeconds(2),
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          (int) (20 * MIB),
          3,
          "test/1",
          true,
          true);

  @Test
  void shouldEstimateTwiceTheLastBodyAtLeastOneMebibyteAndAtMostTheCap() {
    long cap = 20 * MIB;

    assertThat(BodyReservation.estimatedBodyBytes(0L, cap)).isEqualTo(MIB);
    assertThat(BodyReservation.estimatedBodyBytes(100_000L, cap)).isEqualTo(MIB);
    assertThat(BodyReservation.estimatedBodyBytes(3 * MIB, cap)).isEqualTo(6 * MIB);
    assertThat(BodyReservation.estimatedBodyBytes(10 * MIB - 1, cap)).isEqualTo(20 * MIB - 2);
    assertThat(BodyReservation.estimatedBodyBytes(10 * MIB, cap)).isEqualTo(cap);
    // twice a huge last body would overflow: the cap, not a negative estimate
    assertThat(BodyReservation.estimatedBodyBytes(Long.MAX_VALUE, cap)).isEqualTo(cap);
    // a cap under the floor wins over it
    assertThat(BodyReservation.estimatedBodyBytes(1_000L, MIB / 2)).isEqualTo(MIB / 2);
  }

  /**
   * Without a last body (a feed's first fetch since its poller started) the estimate was the cap,
   * so every feed's first large gzip body after a restart took 20 MiB of the budget: it is the 1
   * MiB floor, grown as the body is read, and never more than the cap.
   */
  @Test
  void shouldEstimateTheFloorNotTheCapWithoutALastBody() {
    assertThat(BodyReservation.estimatedBodyBytes(null, 20 * MIB)).isEqualTo(MIB);
    assertThat(BodyReservation.estimatedBodyBytes(null, MIB / 2)).isEqualTo(MIB / 2);
  }

  @Test
  void shouldFailAsAnIoErrorKeepingTheInterruptWhenInterruptedWhileWaitingForRoom()
      throws InterruptedException {
    BodyBudget budget = new BodyBudget(MIB);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try (BodyBudget.Claim other = budget.claim();
        BodyBudget.Claim claim = budget.claim()) {
      assertThat(other.reserve(MIB, deadline)).isTrue();
      BodyReservation reservation =
          new BodyReservation(
              claim,
              deadline,
              SETTINGS,
              null,
              (outcome, message, status) ->
                  new Failed(outcome, message, status, Duration.ZERO, null));
      ContentDecoding.Growth growth = reservation.knownLength(MIB, URL, 200);

      Thread.currentThread().interrupt();
      try {
        assertThatThrownBy(() -> growth.beforeGrowing(MIB))
            .isInstanceOfSatisfying(
                BodyReservation.NoRoom.class,
                e -> {
                  assertThat(e.failure().outcome()).isEqualTo(FetchOutcome.IO_ERROR);
                  assertThat(e.failure().status()).isEqualTo(200);
                  assertThat(e.failure().message())
                      .isEqualTo(
                          "interrupted while waiting for room in the body memory budget for "
                              + Redaction.url(URL))
                      .doesNotContain("secret");
                });
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
      assertThat(claim.isEmpty()).isTrue();
      assertThat(budget.reservedBytes()).isEqualTo(MIB);
    }
  }
}
