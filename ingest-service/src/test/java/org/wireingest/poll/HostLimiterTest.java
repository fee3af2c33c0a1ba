package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HostLimiterTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void shouldRunAtMostTheLimitOfOneHostAtOnce() throws Exception {
    HostLimiter limiter = new HostLimiter(pool, 2);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch twoStarted = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    List<CompletableFuture<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int n = i;
      results.add(
          limiter.submit(
              "agency.example",
              () -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                twoStarted.countDown();
                await(release);
                running.decrementAndGet();
                return n;
              }));
    }
    twoStarted.await();
    release.countDown();

    for (int i = 0; i < 6; i++) {
      assertThat(results.get(i).get()).isEqualTo(i);
    }
    assertThat(most.get()).isEqualTo(2);
  }

  @Test
  void shouldLetOtherHostsRunWhileOneHostIsAtItsLimit() throws Exception {
    HostLimiter limiter = new HostLimiter(pool, 1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> busy =
        limiter.submit(
            "slow.example",
            () -> {
              await(release);
              return "slow";
            });
    CompletableFuture<String> queued = limiter.submit("slow.example", () -> "slow again");

    String other = limiter.submit("fast.example", () -> "fast").get(5, TimeUnit.SECONDS);

    assertThat(other).isEqualTo("fast");
    assertThat(queued).isNotDone();
    release.countDown();
    assertThat(busy.get()).isEqualTo("slow");
    assertThat(queued.get()).isEqualTo("slow again");
  }

  @Test
  void shouldStartTheHostsNextTaskOnceARunningOneGivesItsSlotBack() throws Exception {
    HostLimiter limiter = new HostLimiter(pool, 1);
    CountDownLatch firstMayEnd = new CountDownLatch(1);
    CountDownLatch secondRan = new CountDownLatch(1);
    AtomicInteger runningAtOnce = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    limiter.execute(
        "agency.example",
        release -> {
          release.run(); // done with the host (its fetch), not with its work
          release.run(); // twice is harmless
          await(firstMayEnd);
        });
    for (int i = 0; i < 2; i++) {
      limiter.execute(
          "agency.example",
          () -> {
            most.accumulateAndGet(runningAtOnce.incrementAndGet(), Math::max);
            runningAtOnce.decrementAndGet();
            secondRan.countDown();
          });
    }

    assertThat(secondRan.await(5, TimeUnit.SECONDS)).as("ran while the first still ran").isTrue();
    firstMayEnd.countDown();
    assertThat(most.get()).as("tasks holding the host's one slot at once").isEqualTo(1);
  }

  @Test
  void shouldNotLimitTasksWithoutAHost() throws Exception {
    HostLimiter limiter = new HostLimiter(pool, 1);
    CountDownLatch bothRunning = new CountDownLatch(2);
    CompletableFuture<Boolean> first = limiter.submit(null, () -> awaitBoolean(bothRunning));
    CompletableFuture<Boolean> second = limiter.submit(null, () -> awaitBoolean(bothRunning));

    assertThat(first.get()).isTrue();
    assertThat(second.get()).isTrue();
  }

  @Test
  void shouldPassOnWhatATaskThrowsAndGoOn() throws Exception {
    HostLimiter limiter = new HostLimiter(pool, 1);

    CompletableFuture<String> failing =
        limiter.submit(
            "agency.example",
            () -> {
              throw new IllegalStateException("bug");
            });
    CompletableFuture<String> next = limiter.submit("agency.example", () -> "next");

    assertThatThrownBy(failing::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(next.get()).isEqualTo("next");
  }

  // Found in a test: stopping a poller while one host had a poll waiting and two running made the
  // second running poll's worker fail with a NullPointerException ("lane" is null).
  @Test
  void shouldLetTheHostsOtherRunningTasksEndWhenTheExecutorRefusesItsNextTask() throws Exception {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    ExecutorService workers =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r);
              t.setUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
              return t;
            });
    HostLimiter limiter = new HostLimiter(workers, 2);
    CountDownLatch bothRunning = new CountDownLatch(2);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    CountDownLatch releaseSecond = new CountDownLatch(1);
    limiter.execute(
        "a.example",
        () -> {
          bothRunning.countDown();
          await(releaseFirst);
        });
    limiter.execute(
        "a.example",
        () -> {
          bothRunning.countDown();
          await(releaseSecond);
        });
    limiter.execute("a.example", () -> {}); // waits for a slot
    await(bothRunning);

    workers.shutdown(); // the waiting task's dispatch is refused when the first ends
    releaseFirst.countDown();
    Thread.sleep(200);
    releaseSecond.countDown();

    assertThat(workers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(uncaught).isEmpty();
  }

  // Regression: a task waiting for its host's slot was dropped when the executor refused it once
  // the slot freed (the poller stopping), and its future never completed: run --once waited for
  // ever on a feed that would never be polled.
  @Test
  void shouldFailAWaitingTasksFutureWhenTheExecutorRefusesItOnceItsHostIsFree() throws Exception {
    RefusingExecutor executor = new RefusingExecutor(pool);
    HostLimiter limiter = new HostLimiter(executor, 1);
    CountDownLatch firstMayEnd = new CountDownLatch(1);
    CompletableFuture<String> first =
        limiter.submit(
            "agency.example",
            () -> {
              await(firstMayEnd);
              return "first";
            });
    CompletableFuture<String> waiting = limiter.submit("agency.example", () -> "second");
    CompletableFuture<String> waitingToo = limiter.submit("agency.example", () -> "third");

    executor.refusing = true;
    firstMayEnd.countDown();

    assertThat(first.get()).isEqualTo("first");
    assertThat(waiting)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(RejectedExecutionException.class);
    assertThat(waitingToo)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void shouldFailAWaitingTasksFutureWhenTheExecutorRefusesItOnceASlotIsGivenBack()
      throws Exception {
    RefusingExecutor executor = new RefusingExecutor(pool);
    HostLimiter limiter = new HostLimiter(executor, 1);
    CountDownLatch firstMayRelease = new CountDownLatch(1);
    CountDownLatch firstMayEnd = new CountDownLatch(1);
    CompletableFuture<String> first =
        limiter.submit(
            "agency.example",
            release -> {
              await(firstMayRelease);
              release.run(); // done with the host, not with its work
              await(firstMayEnd);
              return "first";
            });
    CompletableFuture<String> waiting = limiter.submit("agency.example", () -> "second");

    executor.refusing = true;
    firstMayRelease.countDown();

    assertThat(waiting)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(RejectedExecutionException.class);
    firstMayEnd.countDown();
    assertThat(first.get()).isEqualTo("first");
  }

  @Test
  void shouldFailATaskQueuedBehindOneTheExecutorRefusesAtOnce() {
    // The first task takes the host's one slot, and while the executor refuses it another task of
    // the host queues behind it: no running task would ever free a slot for that one.
    RefusingExecutor executor = new RefusingExecutor(pool);
    HostLimiter limiter = new HostLimiter(executor, 1);
    List<CompletableFuture<String>> queuedMeanwhile = new ArrayList<>();
    executor.refusing = true;
    executor.onRefusing =
        () -> queuedMeanwhile.add(limiter.submit("agency.example", () -> "queued"));

    CompletableFuture<String> refused = limiter.submit("agency.example", () -> "refused");

    assertThat(refused)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(RejectedExecutionException.class);
    assertThat(queuedMeanwhile)
        .singleElement()
        .satisfies(
            f ->
                assertThat(f)
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(RejectedExecutionException.class));
  }

  @Test
  void shouldFailTheFutureRatherThanThrowWhenTheExecutorRefusesATaskAtOnce() {
    RefusingExecutor executor = new RefusingExecutor(pool);
    executor.refusing = true;
    HostLimiter limiter = new HostLimiter(executor, 1);

    for (String host : Arrays.asList("agency.example", null)) {
      assertThat(limiter.submit(host, () -> "refused"))
          .as("host %s", host)
          .failsWithin(Duration.ofSeconds(5))
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(RejectedExecutionException.class);
    }
    // execute has no future: it throws, as before
    assertThatThrownBy(() -> limiter.execute("agency.example", () -> {}))
        .isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> limiter.execute(null, () -> {}))
        .isInstanceOf(RejectedExecutionException.class);
  }

  // A task the executor accepted and then dropped unrun (shutdownNow returns it) never ran: its
  // future never completed, nor did that of the task waiting behind it for its host's slot.
  @Test
  void shouldFailTheFuturesOfTasksTheExecutorDroppedAndOfThoseWaitingBehindThem() throws Exception {
    ExecutorService one = Executors.newSingleThreadExecutor();
    HostLimiter limiter = new HostLimiter(one, 1);
    CountDownLatch slowRunning = new CountDownLatch(1);
    CompletableFuture<String> slow =
        limiter.submit(
            "slow.example",
            () -> {
              slowRunning.countDown();
              await(new CountDownLatch(1)); // until interrupted
              return "slow";
            });
    await(slowRunning);
    CompletableFuture<String> queuedWithoutHost = limiter.submit(null, () -> "no host");
    CompletableFuture<String> queued = limiter.submit("agency.example", () -> "queued");
    CompletableFuture<String> waiting = limiter.submit("agency.example", () -> "waiting");

    List<Runnable> dropped = new ArrayList<>(one.shutdownNow());
    dropped.add(() -> {}); // not the limiter's: ignored
    limiter.refuseDropped(dropped);

    assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo("slow");
    for (CompletableFuture<String> f : List.of(queuedWithoutHost, queued, waiting)) {
      assertThat(f)
          .failsWithin(Duration.ofSeconds(5))
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(RejectedExecutionException.class);
    }
  }

  /**
   * Runs tasks on {@code delegate} until {@code refusing}, then refuses them as a shut-down
   * executor does, after running {@code onRefusing} (once) on the refused caller's thread.
   */
  private static final class RefusingExecutor implements Executor {
    private final Executor delegate;
    volatile boolean refusing;
    volatile Runnable onRefusing;

    RefusingExecutor(Executor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
      if (refusing) {
        Runnable hook = onRefusing;
        onRefusing = null;
        if (hook != null) {
          hook.run();
        }
        throw new RejectedExecutionException("refused (test)");
      }
      delegate.execute(task);
    }
  }

  @Test
  void shouldRefuseALimitBelowOne() {
    assertThatThrownBy(() -> new HostLimiter(pool, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean awaitBoolean(CountDownLatch latch) {
    latch.countDown();
    try {
      return latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
