package org.wireingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wireingest.testing.Await;

/** {@link BodyBudget}: reservations, their release, the clamp and the bounded wait. */
@Timeout(30)
class BodyBudgetTest {

  private static final long MIB = 1L << 20;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static long inSeconds(long seconds) {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
  }

  /** Reserves {@code bytes} in a new claim on another thread, waiting up to 20 s. */
  private static CompletableFuture<BodyBudget.Claim> reserveElsewhere(
      BodyBudget budget, long bytes) {
    return CompletableFuture.supplyAsync(
        () -> {
          BodyBudget.Claim claim = budget.claim();
          try {
            assertThat(claim.reserve(bytes, inSeconds(20))).isTrue();
          } catch (InterruptedException e) {
            throw new CompletionException(e);
          }
          return claim;
        });
  }

  @Test
  void shouldCountAReservationUntilItsClaimIsClosed() throws InterruptedException {
    BodyBudget budget = new BodyBudget(4 * MIB);

    BodyBudget.Claim claim = budget.claim();
    assertThat(claim.reserve(MIB, inSeconds(1))).isTrue();
    assertThat(budget.reservedBytes()).isEqualTo(MIB);
    assertThat(claim.bytes()).isEqualTo(MIB);

    claim.close();
    assertThat(budget.reservedBytes()).isZero();
    claim.close(); // idempotent: released once
    assertThat(budget.reservedBytes()).isZero();
    assertThat(budget.waits()).isZero();
  }

  @Test
  void shouldGiveBackWhatABodyDidNotNeed() throws InterruptedException {
    BodyBudget budget = new BodyBudget(4 * MIB);
    BodyBudget.Claim capped = budget.claim();
    capped.reserve(4 * MIB, inSeconds(1));

    capped.shrinkTo(300_000);

    assertThat(budget.reservedBytes()).isEqualTo(300_000);
    // the rest of the budget is free again: a second 3.5 MiB body is reserved without waiting
    BodyBudget.Claim other = budget.claim();
    assertThat(other.reserve(3 * MIB + MIB / 2, System.nanoTime())).isTrue();
    capped.close();
    other.close();
    assertThat(budget.reservedBytes()).isZero();
  }

  @Test
  void shouldClampABodyLargerThanTheWholeBudgetSoItIsReadAlone() throws Exception {
    BodyBudget budget = new BodyBudget(2 * MIB + 100); // not a whole number of KiB
    BodyBudget.Claim small = budget.claim();
    small.reserve(MIB, inSeconds(1));

    CompletableFuture<BodyBudget.Claim> huge = reserveElsewhere(budget, 50 * MIB);
    Await.until("the huge body waits for the whole budget", WAIT, () -> budget.waiting() == 1);
    small.close();

    BodyBudget.Claim hugeClaim = huge.get(20, TimeUnit.SECONDS);
    assertThat(hugeClaim.bytes()).isEqualTo(budget.limitBytes());
    assertThat(budget.reservedBytes()).isEqualTo(budget.limitBytes());
    hugeClaim.close();
    assertThat(budget.reservedBytes()).isZero();
  }

  @Test
  void shouldMakeAPollWaitUntilAnotherGivesItsBytesBack() throws Exception {
    BodyBudget budget = new BodyBudget(4 * MIB);
    BodyBudget.Claim first = budget.claim();
    first.reserve(3 * MIB, inSeconds(1));

    CompletableFuture<BodyBudget.Claim> second = reserveElsewhere(budget, 3 * MIB);
    Await.until("the second poll waits", WAIT, () -> budget.waiting() == 1);
    assertThat(second).isNotDone();
    assertThat(budget.reservedBytes()).isEqualTo(3 * MIB);

    first.close();
    BodyBudget.Claim secondClaim = second.get(20, TimeUnit.SECONDS);
    assertThat(budget.reservedBytes()).isEqualTo(3 * MIB);
    assertThat(budget.waits()).isEqualTo(1);
    assertThat(budget.timeouts()).isZero();
    secondClaim.close();
  }

  @Test
  void shouldGiveUpAtTheDeadlineHoldingNothing() throws InterruptedException {
    BodyBudget budget = new BodyBudget(2 * MIB);
    BodyBudget.Claim holder = budget.claim();
    holder.reserve(2 * MIB, inSeconds(1));

    BodyBudget.Claim late = budget.claim();
    boolean reserved = late.reserve(MIB, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));

    assertThat(reserved).isFalse();
    assertThat(late.bytes()).isZero();
    assertThat(budget.reservedBytes()).isEqualTo(2 * MIB);
    assertThat(budget.waits()).isEqualTo(1);
    assertThat(budget.timeouts()).isEqualTo(1);
    assertThat(budget.waiting()).isZero();
    late.close(); // gives back nothing it did not take
    holder.close();
    assertThat(budget.reservedBytes()).isZero();
  }

  /**
   * A poll interrupted while it waits (the poller stopping) did not give up at its deadline: the
   * timeouts counter ({@code wire.poller.body.budget.timeouts}, "failed as timeout") counted it,
   * though its fetch fails as io-error.
   */
  @Test
  void shouldNotCountAnInterruptedWaitAsATimeout() throws Exception {
    BodyBudget budget = new BodyBudget(2 * MIB);
    BodyBudget.Claim holder = budget.claim();
    holder.reserve(2 * MIB, inSeconds(1));
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                budget.claim().reserve(MIB, inSeconds(60));
                outcome.complete(null);
              } catch (Throwable t) {
                outcome.complete(t);
              }
            });
    waiter.start();
    Await.until("the poll waits for room", WAIT, () -> budget.waiting() == 1);

    waiter.interrupt();

    assertThat(outcome.get(20, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(budget.waits()).isEqualTo(1);
    assertThat(budget.timeouts()).isZero();
    assertThat(budget.waiting()).isZero();
    holder.close();
  }

  @Test
  void shouldNotWaitAtAllWhenUnlimited() throws InterruptedException {
    BodyBudget budget = BodyBudget.unlimited();
    BodyBudget.Claim a = budget.claim();
    BodyBudget.Claim b = budget.claim();

    assertThat(a.reserve(Long.MAX_VALUE / 2, System.nanoTime())).isTrue();
    assertThat(b.reserve(Long.MAX_VALUE / 4, System.nanoTime())).isTrue();

    assertThat(budget.waits()).isZero();
    a.close();
    b.close();
    assertThat(budget.reservedBytes()).isZero();
  }

  @Test
  void shouldRefuseASecondReservationInOneClaim() throws InterruptedException {
    BodyBudget.Claim claim = new BodyBudget(2 * MIB).claim();
    claim.reserve(1, inSeconds(1));

    assertThatThrownBy(() -> claim.reserve(1, inSeconds(1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldGrowAReservationAtOnceWhenTheBudgetHasRoom() throws InterruptedException {
    BodyBudget budget = new BodyBudget(4 * MIB);
    BodyBudget.Claim other = budget.claim();
    other.reserve(MIB, inSeconds(1));
    BodyBudget.Claim claim = budget.claim();
    claim.reserve(MIB, inSeconds(1));

    // a deadline already past: the growth must not wait at all
    assertThat(claim.growTo(2 * MIB, 4 * MIB, System.nanoTime())).isTrue();

    assertThat(claim.bytes()).isEqualTo(2 * MIB);
    assertThat(budget.reservedBytes()).isEqualTo(3 * MIB);
    assertThat(budget.outgrown()).isEqualTo(1);
    assertThat(budget.waits()).isZero();
    // the grown permits are held: 1 MiB left, not 2
    assertThat(budget.claim().reserve(MIB + 1, System.nanoTime())).isFalse();
    claim.close();
    other.close();
    assertThat(budget.reservedBytes()).isZero();
    assertThat(budget.claim().reserve(4 * MIB, System.nanoTime())).isTrue();
  }

  /**
   * Regression: a growth within the whole KiB a reservation already holds (1,000,000 bytes are 977
   * KiB, 1,000,448 bytes) asks the budget for nothing, but was counted as a body outgrowing its
   * reservation, as if it had grown or waited.
   */
  @Test
  void shouldNotCountAGrowthWithinTheKibibytesAlreadyHeldAsOutgrown() throws InterruptedException {
    BodyBudget budget = new BodyBudget(4 * MIB);
    BodyBudget.Claim claim = budget.claim();
    claim.reserve(1_000_000, inSeconds(1));

    assertThat(claim.growTo(1_000_448, 4 * MIB, System.nanoTime())).isTrue();

    assertThat(claim.bytes()).isEqualTo(1_000_448);
    assertThat(budget.reservedBytes()).isEqualTo(1_000_448);
    assertThat(budget.outgrown()).isZero();
    // one byte past them asks for one KiB more: counted
    assertThat(claim.growTo(1_000_449, 4 * MIB, System.nanoTime())).isTrue();
    assertThat(budget.outgrown()).isEqualTo(1);
    assertThat(budget.waits()).isZero();
    claim.close();
    assertThat(budget.reservedBytes()).isZero();
    assertThat(budget.claim().reserve(4 * MIB, System.nanoTime())).isTrue();
  }

  /**
   * A claim that cannot grow at once gives what it holds back before it waits for the cap: while it
   * waits it holds nothing, and once the other closes it gets the cap (clamped to the budget).
   */
  @Test
  void shouldGiveTheReservationBackAndWaitForTheCapWhenThereIsNoRoomToGrow() throws Exception {
    BodyBudget budget = new BodyBudget(4 * MIB);
    BodyBudget.Claim other = budget.claim();
    other.reserve(2 * MIB + MIB / 2, inSeconds(1));
    BodyBudget.Claim claim = budget.claim();
    claim.reserve(MIB, inSeconds(1));

    CompletableFuture<Boolean> grown =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return claim.growTo(2 * MIB, 20 * MIB, inSeconds(20));
              } catch (InterruptedException e) {
                throw new CompletionException(e);
              }
            });
    Await.until("the claim waits for the cap", WAIT, () -> budget.waiting() == 1);
    assertThat(budget.reservedBytes()).isEqualTo(2 * MIB + MIB / 2);

    other.close();

    assertThat(grown.get(20, TimeUnit.SECONDS)).isTrue();
    assertThat(claim.bytes()).isEqualTo(4 * MIB);
    assertThat(claim.covers(20 * MIB)).isTrue();
    assertThat(budget.reservedBytes()).isEqualTo(4 * MIB);
    assertThat(budget.outgrown()).isEqualTo(1);
    assertThat(budget.waits()).isEqualTo(1);
    claim.close();
    assertThat(budget.reservedBytes()).isZero();
  }

  /**
   * Two claims that each hold part of the budget and both outgrow it: were each to wait for more
   * while holding its part, neither would ever get it. Each gives its part back before waiting, so
   * one gets the cap, and the other gets it once the first closes.
   */
  @Test
  void shouldNotDeadlockWhenTwoClaimsBothOutgrowTheirReservations() throws Exception {
    BodyBudget budget = new BodyBudget(4 * MIB);
    BodyBudget.Claim first = budget.claim();
    BodyBudget.Claim second = budget.claim();
    first.reserve(2 * MIB, inSeconds(1));
    second.reserve(2 * MIB, inSeconds(1));

    CompletableFuture<Boolean> firstGrown = growElsewhere(first, 3 * MIB, 20 * MIB);
    // queued, not only counted as waiting: a growth that came before it joined the queue would take
    // the room it gave back
    Await.until("the first waits for the cap", WAIT, () -> budget.queuedPolls() == 1);
    CompletableFuture<Boolean> secondGrown = growElsewhere(second, 3 * MIB, 20 * MIB);

    assertThat(firstGrown.get(20, TimeUnit.SECONDS)).isTrue();
    assertThat(first.bytes()).isEqualTo(4 * MIB);
    Await.until("the second waits for the cap", WAIT, () -> budget.waiting() == 1);
    assertThat(secondGrown).isNotDone();
    first.close();
    assertThat(secondGrown.get(20, TimeUnit.SECONDS)).isTrue();
    assertThat(second.bytes()).isEqualTo(4 * MIB);
    assertThat(budget.reservedBytes()).isEqualTo(4 * MIB);
    assertThat(budget.timeouts()).isZero();
    second.close();
    assertThat(budget.reservedBytes()).isZero();
  }

  @Test
  void shouldHoldNothingWhenTheWaitForTheCapRunsOut() throws InterruptedException {
    BodyBudget budget = new BodyBudget(4 * MIB);
    BodyBudget.Claim other = budget.claim();
    other.reserve(3 * MIB, inSeconds(1));
    BodyBudget.Claim claim = budget.claim();
    claim.reserve(MIB, inSeconds(1));

    boolean grown =
        claim.growTo(2 * MIB, 20 * MIB, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));

    assertThat(grown).isFalse();
    assertThat(claim.bytes()).isZero();
    assertThat(budget.reservedBytes()).isEqualTo(3 * MIB);
    assertThat(budget.timeouts()).isEqualTo(1);
    claim.close(); // gives back nothing more
    other.close();
    assertThat(budget.reservedBytes()).isZero();
  }

  /**
   * Regression: growTo on an interrupted thread, with the room free, threw InterruptedException
   * from the fair semaphore's no-wait acquire while the claim still held its reservation, though
   * its contract says an interrupted growth leaves the claim holding nothing (the timed tryAcquire
   * checks the interrupt before it looks at the permits).
   */
  @Test
  void shouldHoldNothingWhenAGrowthIsInterruptedEvenWithRoomFree() throws InterruptedException {
    BodyBudget budget = new BodyBudget(4 * MIB);
    BodyBudget.Claim claim = budget.claim();
    claim.reserve(MIB, inSeconds(1));

    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> claim.growTo(2 * MIB, 4 * MIB, inSeconds(1)))
          .isInstanceOf(InterruptedException.class);
    } finally {
      Thread.interrupted();
    }

    assertThat(claim.bytes()).isZero();
    assertThat(budget.reservedBytes()).isZero();
    assertThat(budget.claim().reserve(4 * MIB, System.nanoTime())).isTrue();
  }

  /**
   * A growth that finds the room free but a poll waiting before it does not take the room: it gives
   * its reservation back and queues behind, so the waiting poll is served first.
   */
  @Test
  void shouldNotLetAGrowthOvertakeAPollAlreadyWaiting() throws Exception {
    BodyBudget budget = new BodyBudget(4 * MIB);
    BodyBudget.Claim first = budget.claim();
    first.reserve(MIB, inSeconds(1));
    BodyBudget.Claim second = budget.claim();
    second.reserve(MIB, inSeconds(1));
    CompletableFuture<BodyBudget.Claim> waiting = reserveElsewhere(budget, 3 * MIB);
    Await.until("a poll waits for 3 MiB", WAIT, () -> budget.queuedPolls() == 1);

    // 2 MiB are free, enough to grow to 2 MiB, but the waiting poll came first
    CompletableFuture<Boolean> grown = growElsewhere(first, 2 * MIB, 4 * MIB);

    BodyBudget.Claim served = waiting.get(20, TimeUnit.SECONDS);
    assertThat(served.bytes()).isEqualTo(3 * MIB);
    Await.until("the growth waits for the cap", WAIT, () -> budget.waiting() == 1);
    assertThat(grown).isNotDone();
    assertThat(budget.reservedBytes()).isEqualTo(4 * MIB);
    second.close();
    served.close();
    assertThat(grown.get(20, TimeUnit.SECONDS)).isTrue();
    assertThat(first.bytes()).isEqualTo(4 * MIB);
    first.close();
    assertThat(budget.reservedBytes()).isZero();
  }

  /** Grows {@code claim} to {@code bytes} on another thread, else to {@code fallback}. */
  private static CompletableFuture<Boolean> growElsewhere(
      BodyBudget.Claim claim, long bytes, long fallback) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return claim.growTo(bytes, fallback, inSeconds(20));
          } catch (InterruptedException e) {
            throw new CompletionException(e);
          }
        });
  }

  @Test
  void shouldRefuseABudgetBelowOneMebibyte() {
    assertThatThrownBy(() -> new BodyBudget(MIB - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1 MiB and 2 TiB");
  }

  @Test
  void shouldDeriveTheDefaultFromTheHeap() {
    assertThat(BodyBudget.defaultLimitBytes(460 * MIB))
        .isEqualTo(460 * MIB / BodyBudget.DEFAULT_HEAP_DIVISOR);
    assertThat(BodyBudget.defaultLimitBytes(2 * MIB)).isEqualTo(BodyBudget.MIN_LIMIT_BYTES);
  }
}
