package org.wireingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link BodyBudget} under many claims at once, each reserving, growing, shrinking and closing in
 * random order with random deadlines while other threads interrupt them: whatever the interleaving,
 * nothing is reserved once every claim is closed, every permit is back (and no more), the reserved
 * bytes never leave {@code [0, limit]}, and no thread is left waiting. A third of the claims
 * reserve the 1 MiB floor (a feed's first body of unknown length), and half the growths stay within
 * the whole KiB already held, which move the bytes counted without taking permits.
 */
@Timeout(120)
class BodyBudgetStressTest {

  private static final long KIB = 1L << 10;
  private static final long MIB = 1L << 20;
  private static final long LIMIT = 8 * MIB;
  private static final int THREADS = 12;
  private static final int ROUNDS = 1_000;

  @Test
  void shouldGiveEveryByteAndPermitBackWhateverTheInterleavingAndInterrupts() throws Exception {
    BodyBudget budget = new BodyBudget(LIMIT);
    Queue<String> broken = new ConcurrentLinkedQueue<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      long seed = 1000L + t;
      workers.add(new Thread(() -> poll(budget, new SplittableRandom(seed), broken), "claim-" + t));
    }
    AtomicBoolean done = new AtomicBoolean();
    Thread watcher =
        new Thread(
            () -> {
              SplittableRandom random = new SplittableRandom(7);
              while (!done.get()) {
                long reserved = budget.reservedBytes();
                if (reserved < 0 || reserved > LIMIT) {
                  broken.add("reserved bytes out of [0, limit]: " + reserved);
                }
                workers.get(random.nextInt(THREADS)).interrupt();
                try {
                  Thread.sleep(0, 200_000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "interrupter");
    workers.forEach(Thread::start);
    watcher.start();

    for (Thread worker : workers) {
      worker.join(TimeUnit.SECONDS.toMillis(90));
    }
    done.set(true);
    watcher.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(workers).noneMatch(Thread::isAlive);
    assertThat(broken).isEmpty();
    assertThat(budget.reservedBytes()).isZero();
    assertThat(budget.waiting()).isZero();
    BodyBudget.Claim whole = budget.claim();
    assertThat(whole.reserve(LIMIT, System.nanoTime())).as("every permit back").isTrue();
    assertThat(budget.claim().reserve(1, System.nanoTime())).as("no permit twice").isFalse();
    whole.close();
    assertThat(budget.reservedBytes()).isZero();
  }

  /** One poll thread: claims in a loop, checking what each step's contract promises. */
  private static void poll(BodyBudget budget, SplittableRandom random, Queue<String> broken) {
    for (int round = 0; round < ROUNDS; round++) {
      BodyBudget.Claim claim = budget.claim();
      try {
        // a third reserve the 1 MiB floor, as a feed's first body of unknown length does
        long first = random.nextInt(3) == 0 ? MIB : random.nextLong(6 * MIB);
        if (!claim.reserve(first, deadline(random))) {
          expectEmpty(claim, "a reservation past its deadline", broken);
          continue;
        }
        int steps = random.nextInt(4);
        for (int step = 0; step < steps; step++) {
          if (random.nextBoolean()) {
            long held = claim.bytes();
            long heldKib = (held + KIB - 1) / KIB * KIB;
            // half the growths stay within the whole KiB the reservation holds (it asks the
            // budget for none), where there is room left in them; the others go past them
            long bytes =
                held < heldKib && random.nextBoolean()
                    ? held + 1 + random.nextLong(heldKib - held)
                    : held + 1 + random.nextLong(4 * MIB);
            long fallback = bytes + random.nextLong(12 * MIB);
            boolean grown;
            try {
              grown = claim.growTo(bytes, fallback, deadline(random));
            } catch (InterruptedException e) {
              expectEmpty(claim, "an interrupted growth", broken);
              break;
            }
            if (!grown) {
              expectEmpty(claim, "a growth past its deadline", broken);
              break;
            }
            if (!claim.covers(bytes) && claim.bytes() < Math.min(bytes, LIMIT)) {
              broken.add("a growth to " + bytes + " holds only " + claim.bytes());
            }
          } else {
            claim.shrinkTo(random.nextLong(claim.bytes() + 1));
          }
        }
      } catch (InterruptedException e) {
        expectEmpty(claim, "an interrupted reservation", broken);
      } finally {
        Thread.interrupted();
        claim.close();
        claim.close();
      }
    }
  }

  private static void expectEmpty(BodyBudget.Claim claim, String after, Queue<String> broken) {
    if (claim.bytes() != 0) {
      broken.add(after + " left the claim holding " + claim.bytes() + " bytes");
    }
  }

  /** Now (already past, often), or up to 5 ms ahead. */
  private static long deadline(SplittableRandom random) {
    return System.nanoTime() + random.nextLong(-1_000_000, 5_000_000);
  }
}
