package org.wireingest.fetch;

import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of response bodies a poller may hold at once, shared by all its polls: without it,
 * every poll thread may hold a body of up to {@link FetchSettings#maxBodyBytes()} and its parse at
 * the same time, so the peak grew with threads × cap (32 threads × 18 MiB feeds ran a 460 MiB heap
 * out of memory), not with what the heap holds.
 *
 * <p>A poll takes a {@link Claim} ({@link #claim()}), the fetcher reserves what the body needs in
 * it before the body outgrows its first chunk ({@link Claim#reserve}; {@link
 * FeedFetcher#fetch(FetchRequest, Claim)}), grows the reservation should the body outgrow it
 * ({@link Claim#growTo}: a body of unknown length reserves an estimate) and gives back what the
 * body turned out not to need ({@link Claim#shrinkTo}), and the poll closes it when the body and
 * its parse are no longer needed. A reservation is all or nothing, and a poll never waits while
 * holding part of the budget: a reservation grows only when the room is free at once, else the
 * claim gives all it holds back and waits for its larger reservation, all or nothing, as for its
 * first. So a poll waits at most twice (for its estimate, then for the cap), polls cannot hold the
 * budget between them while each waits for more (no deadlock), and the waiting ones are served in
 * arrival order (a fair {@link Semaphore}, which a growth without waiting does not overtake
 * either), so a large body is not overtaken for ever by small ones. A reservation larger than the
 * whole budget is clamped to the whole budget: that body waits until nothing else is reserved and
 * is then read alone, so no feed starves.
 *
 * <p>The budget counts body bytes in whole KiB (a reservation is rounded up to the next KiB), not
 * the parse's own objects, nor a body's first chunk (at most 256 KiB per poll thread), nor the
 * moment a body read without a declared length is joined into one array, nor the bytes a body
 * already holds while its claim, having given its outgrown reservation back, waits for a larger one
 * (at most the reservation given back, once per poll): size it well below the heap ({@link
 * #defaultLimitBytes}).
 *
 * <p>Plain Java (no HTTP, no Kafka). Thread-safe; a {@link Claim} is used by one poll's thread.
 */
public final class BodyBudget {

  /**
   * The default share of the heap's maximum ({@link Runtime#maxMemory()}) given to bodies: one
   * {@value}th. A poll's parse and the raw items it publishes hold several times its body beside
   * it: polls of 18 MiB feeds of 8,500 entries each peaked at about 130-200 MB each, so a 1 GiB
   * heap (910 MiB usable) ran out of memory with an eighth (six bodies at once) and not with a
   * sixteenth (three).
   */
  public static final int DEFAULT_HEAP_DIVISOR = 16;

  /** The smallest budget accepted, in bytes: {@value} (1 MiB). */
  public static final long MIN_LIMIT_BYTES = 1L << 20;

  private static final long UNIT = 1024;

  private final long limitBytes;

  /** One permit per whole KiB of the limit; null when unlimited. */
  private final Semaphore permits;

  private final int totalPermits;

  private final AtomicLong reservedBytes = new AtomicLong();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicLong waits = new AtomicLong();
  private final AtomicLong waitNanos = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();
  private final AtomicLong outgrown = new AtomicLong();

  /**
   * @param limitBytes the most body bytes reserved at once; at least {@link #MIN_LIMIT_BYTES}, at
   *     most 2 TiB
   * @throws IllegalArgumentException when {@code limitBytes} is out of that range
   */
  public BodyBudget(long limitBytes) {
    if (limitBytes < MIN_LIMIT_BYTES || limitBytes / UNIT > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "a body budget must be between 1 MiB and 2 TiB, was " + limitBytes + " bytes");
    }
    this.limitBytes = limitBytes;
    this.totalPermits = (int) (limitBytes / UNIT);
    this.permits = new Semaphore(totalPermits, true);
  }

  private BodyBudget() {
    this.limitBytes = Long.MAX_VALUE;
    this.totalPermits = Integer.MAX_VALUE;
    this.permits = null;
  }

  /**
   * @return a budget that never waits (it still counts what is reserved): for {@code check-feed}
   *     and for fetches outside a poller
   */
  public static BodyBudget unlimited() {
    return new BodyBudget();
  }

  /**
   * The default budget for a heap of {@code maxHeapBytes}: {@code 1/}{@value #DEFAULT_HEAP_DIVISOR}
   * of it, at least {@link #MIN_LIMIT_BYTES}. With a 1 GiB heap (910 MiB usable), 57 MiB: three 18
   * MiB bodies at once.
   *
   * @param maxHeapBytes the heap's maximum, {@link Runtime#maxMemory()}, in bytes
   * @return the budget's size, in bytes
   */
  public static long defaultLimitBytes(long maxHeapBytes) {
    return Math.max(MIN_LIMIT_BYTES, maxHeapBytes / DEFAULT_HEAP_DIVISOR);
  }

  /**
   * @return the most bytes reserved at once; {@link Long#MAX_VALUE} when unlimited
   */
  public long limitBytes() {
    return limitBytes;
  }

  /**
   * @return whether this budget never waits ({@link #unlimited()})
   */
  public boolean isUnlimited() {
    return permits == null;
  }

  /**
   * @return the bytes reserved now, by all claims (a clamped reservation counts as the whole
   *     budget)
   */
  public long reservedBytes() {
    return reservedBytes.get();
  }

  /**
   * @return how many polls wait for their reservation now
   */
  public int waiting() {
    return waiting.get();
  }

  /**
   * How many threads the budget's fair queue holds now: a poll counts in {@link #waiting()} a
   * moment before it joins the queue, and only from then on does a growth without waiting stay
   * behind it. For tests that need that order.
   *
   * @return the threads queued for permits now (an estimate, as {@link
   *     Semaphore#getQueueLength()}); 0 when unlimited
   */
  int queuedPolls() {
    return permits == null ? 0 : permits.getQueueLength();
  }

  /**
   * @return how many reservations had to wait (not granted at once) since start, the ones that gave
   *     up included
   */
  public long waits() {
    return waits.get();
  }

  /**
   * @return the time those reservations waited since start, in nanoseconds
   */
  public long waitNanos() {
    return waitNanos.get();
  }

  /**
   * @return how many reservations gave up at their deadline since start (not those interrupted)
   */
  public long timeouts() {
    return timeouts.get();
  }

  /**
   * @return how many times a body outgrew its reservation since start ({@link Claim#growTo}):
   *     needed more whole KiB than its reservation held, which then grew at once, or was given back
   *     for a larger one, waited for (a growth within the KiB already held is not counted)
   */
  public long outgrown() {
    return outgrown.get();
  }

  /**
   * @return a new, empty claim for one poll; close it when the poll is done with its body
   */
  public Claim claim() {
    return new Claim();
  }

  /**
   * @return e.g. {@code 57 MiB}, or {@code unlimited}
   */
  @Override
  public String toString() {
    return isUnlimited() ? "unlimited" : mebibytes(limitBytes);
  }

  /**
   * @return {@code bytes} in MiB for messages, e.g. {@code 57 MiB} or {@code 0.3 MiB}
   */
  static String mebibytes(long bytes) {
    double mib = bytes / (double) (1L << 20);
    return (mib >= 10
            ? String.format(Locale.ROOT, "%.0f", mib)
            : String.format(Locale.ROOT, "%.1f", mib))
        + " MiB";
  }

  /**
   * One poll's share of the budget: empty when taken, then holding one reservation (taken once with
   * {@link #reserve}, grown with {@link #growTo}, cut with {@link #shrinkTo}), given back when
   * closed. Used by one thread; closing it is idempotent.
   */
  public final class Claim implements AutoCloseable {
    private long bytes;
    private int held;
    private boolean reserved;
    private boolean closed;

    private Claim() {}

    /**
     * Reserves {@code bytes} (clamped to the whole budget), waiting for other polls to give theirs
     * back until {@code deadlineNanos} at the latest. A claim reserves once: a larger reservation
     * later is {@link #growTo}'s.
     *
     * @param bytes the body's size, or the most it may be, in bytes; not negative
     * @param deadlineNanos the {@link System#nanoTime()} after which the reservation is given up
     * @return true when reserved; false when the deadline came first (nothing is reserved then)
     * @throws InterruptedException when the thread is interrupted while waiting (nothing reserved)
     * @throws IllegalStateException when this claim has already reserved or is closed
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public boolean reserve(long bytes, long deadlineNanos) throws InterruptedException {
      requireNotNegative(bytes);
      if (reserved || closed) {
        throw new IllegalStateException("a claim reserves once: this one has reserved");
      }
      reserved = take(bytes, deadlineNanos);
      return reserved;
    }

    /**
     * Grows the reservation to {@code bytes} (clamped to the whole budget) for a body that outgrew
     * it, never waiting while it holds part of the budget: when the budget has the room now and no
     * poll waits before this one, the reservation grows at once; else the claim gives its whole
     * reservation back and reserves {@code fallbackBytes} (clamped), all or nothing, waiting as
     * {@link #reserve} does until {@code deadlineNanos}. While it waits, the bytes its body already
     * holds are not counted. Does nothing when the reservation holds {@code bytes} already, or the
     * whole budget; within the whole KiB it holds (a reservation is rounded up to them) it grows
     * without asking the budget for any. Each growth that asks the budget for more KiB is counted
     * ({@link BodyBudget#outgrown()}), whether it got them at once or waited.
     *
     * @param bytes the reservation wanted, in bytes; not negative
     * @param fallbackBytes reserved in its place when {@code bytes} is not free at once, in bytes
     *     (the cap: the most the body may need, so it waits at most once this way); at least {@code
     *     bytes}
     * @param deadlineNanos the {@link System#nanoTime()} after which the fallback's wait is given
     *     up
     * @return true when the claim holds {@code bytes} or {@code fallbackBytes} (clamped: {@link
     *     #bytes()} says which); false when the deadline came first: the claim then holds nothing
     * @throws InterruptedException when the thread is interrupted while waiting (the claim then
     *     holds nothing)
     * @throws IllegalStateException when this claim has not reserved, or is closed
     * @throws IllegalArgumentException when {@code bytes} is negative or {@code fallbackBytes}
     *     below it
     */
    public boolean growTo(long bytes, long fallbackBytes, long deadlineNanos)
        throws InterruptedException {
      requireNotNegative(bytes);
      if (fallbackBytes < bytes) {
        throw new IllegalArgumentException(
            "fallbackBytes must be at least bytes (" + bytes + "), was " + fallbackBytes);
      }
      if (!reserved || closed) {
        throw new IllegalStateException("only a claim holding a reservation grows it");
      }
      long counted = Math.min(bytes, limitBytes);
      if (counted <= this.bytes) {
        return true;
      }
      int wanted = Math.min(permitsFor(counted), totalPermits);
      int more = wanted - held;
      if (more <= 0) {
        // within the whole KiB it holds already (a reservation is rounded up to them): nothing is
        // asked of the budget, so nothing outgrew it
        reservedBytes.addAndGet(counted - this.bytes);
        this.bytes = counted;
        return true;
      }
      outgrown.incrementAndGet();
      // the timed form with no wait keeps the fair order: it does not overtake waiting polls
      if (permits == null || tryAcquireNow(more)) {
        reservedBytes.addAndGet(counted - this.bytes);
        this.bytes = counted;
        this.held = wanted;
        return true;
      }
      giveBack(this.bytes, held);
      this.bytes = 0;
      this.held = 0;
      return take(fallbackBytes, deadlineNanos);
    }

    /**
     * {@code count} permits if free now and no poll waits before this one. The timed form throws
     * {@link InterruptedException} on an interrupted thread even with the permits free: the claim
     * then gives all it holds back first, as {@link #growTo} promises.
     */
    private boolean tryAcquireNow(int count) throws InterruptedException {
      try {
        return permits.tryAcquire(count, 0, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        giveBack(this.bytes, held);
        this.bytes = 0;
        this.held = 0;
        throw e;
      }
    }

    /**
     * Takes {@code bytes} (clamped to the whole budget) into this claim, which holds nothing,
     * waiting until {@code deadlineNanos}; all or nothing.
     */
    private boolean take(long bytes, long deadlineNanos) throws InterruptedException {
      long counted = Math.min(bytes, limitBytes);
      int wanted = Math.min(permitsFor(counted), totalPermits);
      if (permits != null && !permits.tryAcquire(wanted, 0, TimeUnit.NANOSECONDS)) {
        waiting.incrementAndGet();
        long start = System.nanoTime();
        boolean acquired;
        try {
          acquired = permits.tryAcquire(wanted, deadlineNanos - start, TimeUnit.NANOSECONDS);
        } finally {
          waiting.decrementAndGet();
          waits.incrementAndGet();
          waitNanos.addAndGet(System.nanoTime() - start);
        }
        if (!acquired) {
          // an interrupted wait (the poller stopping) did not reach its deadline: not counted
          timeouts.incrementAndGet();
          return false;
        }
      }
      this.bytes = counted;
      this.held = wanted;
      reservedBytes.addAndGet(counted);
      return true;
    }

    /**
     * Gives back what the reservation holds beyond {@code bytes}, once the body's size is known (a
     * body without a declared length reserves an estimate or the cap). Does nothing when it holds
     * no more.
     *
     * @param bytes what the body needs, in bytes; not negative
     */
    public void shrinkTo(long bytes) {
      if (bytes >= this.bytes) {
        return;
      }
      int keep = Math.min(permitsFor(bytes), held);
      giveBack(this.bytes - bytes, held - keep);
      this.bytes = bytes;
      this.held = keep;
    }

    /**
     * @return whether this claim is as {@link BodyBudget#claim()} gave it: it has not reserved and
     *     is not closed
     */
    public boolean isEmpty() {
      return !reserved && !closed;
    }

    /**
     * @param bytes a body's size, in bytes
     * @return whether a body of {@code bytes} fits this claim's reservation: it holds at least
     *     {@code bytes}, or the whole budget (a reservation clamped to it)
     */
    public boolean covers(long bytes) {
      return bytes <= this.bytes || (this.bytes > 0 && held >= totalPermits);
    }

    /**
     * @return the budget this claim reserves in
     */
    public BodyBudget budget() {
      return BodyBudget.this;
    }

    /**
     * @return the bytes this claim holds now (clamped to the budget)
     */
    public long bytes() {
      return bytes;
    }

    /** Gives the whole reservation back; idempotent. */
    @Override
    public void close() {
      closed = true;
      giveBack(bytes, held);
      bytes = 0;
      held = 0;
    }

    private void giveBack(long byteCount, int permitCount) {
      reservedBytes.addAndGet(-byteCount);
      if (permits != null && permitCount > 0) {
        permits.release(permitCount);
      }
    }
  }

  private static void requireNotNegative(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative, was " + bytes);
    }
  }

  private static int permitsFor(long bytes) {
    return (int) Math.min(Integer.MAX_VALUE, (bytes + UNIT - 1) / UNIT);
  }
}
