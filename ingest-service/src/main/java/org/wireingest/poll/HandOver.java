package org.wireingest.poll;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Which feeds' polls run and for which schedule: what {@link PollScheduler#assign} waits for when
 * it hands feeds over to another poller, and what a running poll asks before it writes.
 *
 * <p>Each feed polled has one current <em>schedule</em> (an identity token, compared with {@code
 * ==}): a scheduled poll runs, and plans the next, only while its schedule is still the feed's
 * current one. A feed released and listed again (its partition moved away and back), or listed with
 * a changed definition, starts a new schedule ({@link #newSchedule}), and the old one's pending
 * poll ends instead of polling beside it. A feed no longer listed here has its schedule ended
 * ({@link #endSchedule}).
 *
 * <p>The hand-over rules:
 *
 * <ul>
 *   <li>A running poll carries its schedule ({@link #start}). While that schedule is its feed's
 *       current one, the feed is still the poll's own: it writes (raw items, feed state, fetch log)
 *       and its state is kept as any poll's.
 *   <li>A release waits for the feed's running poll to finish ({@link #drain}), up to a timeout, so
 *       its last state is written before another poller takes the feed over. A drain waits only for
 *       a poll of the feed's current schedule.
 *   <li>Once a drain has ended without it, the poll's schedule is no longer current (its feed is
 *       dropped, or given a new schedule): it writes nothing more ({@link #handedOver}), its state
 *       is not kept, and no later drain waits for it again. The feed's next owner starts from the
 *       state stored before; an older one written or kept after it would replace the newer.
 *   <li>A new schedule's poll still never starts beside a poll of an earlier schedule of the same
 *       feed that outlived its drain: its start is put off until that poll ends ({@link
 *       #takeDeferred}), so a feed is never polled twice at once.
 * </ul>
 *
 * <p>Not thread-safe on its own: it is guarded by the lock it is given (the scheduler's), which
 * callers hold around every call but {@link #handedOver}, whose check takes the lock itself each
 * time it is asked. {@link #ended} signals the lock, and {@link #drain} waits on it.
 */
final class HandOver {

  /** The lock that guards this bookkeeping; signalled when a poll ends. */
  private final Object lock;

  /**
   * The polls running now: source id to the schedule ({@link #schedules}) each belongs to. One
   * whose schedule is no longer its feed's current one was handed over (it writes nothing more): no
   * drain waits for it, but a new schedule's poll still starts only after it.
   */
  private final Map<String, Object> polling = new HashMap<>();

  /**
   * Starts of polls put off because an earlier schedule's poll of the same feed still runs (it
   * outlived the drain of its release), by source id: run as that poll ends, so a feed is never
   * polled twice at once.
   */
  private final Map<String, Runnable> deferred = new HashMap<>();

  /** The current schedule of each feed, by source id. */
  private final Map<String, Object> schedules = new HashMap<>();

  /**
   * @param lock guards this bookkeeping: held by every caller, waited on by drains; never null
   */
  HandOver(Object lock) {
    this.lock = lock;
  }

  /**
   * Starts a new schedule for the feed, ending any earlier one of its id; the caller holds the
   * lock.
   *
   * @param id the feed's source id
   * @return the new schedule: a token compared by identity
   */
  Object newSchedule(String id) {
    Object schedule = new Object();
    schedules.put(id, schedule);
    return schedule;
  }

  /**
   * Ends the feed's schedule, as the feed is no longer listed here: its pending poll does not run,
   * and a running one is handed over; the caller holds the lock.
   *
   * @param id the feed's source id
   */
  void endSchedule(String id) {
    schedules.remove(id);
  }

  /**
   * @param id the feed's source id
   * @param schedule a schedule of the feed
   * @return whether {@code schedule} is still the feed's current schedule; the caller holds the
   *     lock
   */
  boolean isCurrent(String id, Object schedule) {
    return schedules.get(id) == schedule;
  }

  /**
   * What a running poll asks before each write: takes the lock itself, so the caller need not hold
   * it.
   *
   * @param id the feed's source id
   * @param schedule the schedule the poll belongs to
   * @return true once {@code schedule} is no longer the feed's current one (the poll was handed
   *     over); never null
   */
  BooleanSupplier handedOver(String id, Object schedule) {
    return () -> {
      synchronized (lock) {
        return schedules.get(id) != schedule;
      }
    };
  }

  /**
   * Marks a poll of the feed as running for {@code schedule}, unless a poll of the feed still runs
   * (one of an earlier schedule, which outlived the drain of its release): then {@code later} is
   * kept, to be run as that poll ends ({@link #takeDeferred}). The caller holds the lock and has
   * checked that {@code schedule} is current.
   *
   * @param id the feed's source id
   * @param schedule the schedule the poll belongs to
   * @param later starts the poll again; run under the lock by whoever ends the running poll
   * @return true when the poll may run now; false when its start was put off
   */
  boolean start(String id, Object schedule, Runnable later) {
    if (polling.containsKey(id)) {
      deferred.put(id, later);
      return false;
    }
    polling.put(id, schedule);
    return true;
  }

  /**
   * The feed's running poll has ended: drains waiting for it are woken. The caller holds the lock.
   *
   * @param id the feed's source id
   */
  void ended(String id) {
    polling.remove(id);
    lock.notifyAll();
  }

  /**
   * @param id the feed's source id
   * @return the start put off while the feed's poll ran ({@link #start}), now removed; null when
   *     none. The caller holds the lock, and runs it.
   */
  Runnable takeDeferred(String id) {
    return deferred.remove(id);
  }

  /**
   * Waits until no poll of the given feeds runs that still writes, at most {@code timeout}
   * (measured on {@link System#nanoTime()}). The caller holds the lock, which the wait releases.
   *
   * @param ids source ids of the feeds released
   * @param timeout longest wait
   * @return those of {@code ids} whose poll of their current schedule still runs (normally empty)
   * @throws InterruptedException when interrupted while waiting
   */
  Set<String> drain(Set<String> ids, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (anyOwnPollRunning(ids)) {
      long waitMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (waitMs <= 0) {
        break;
      }
      lock.wait(waitMs);
    }
    Set<String> stillRunning = new HashSet<>();
    ids.stream().filter(this::ownPollRunning).forEach(stillRunning::add);
    return stillRunning;
  }

  /**
   * @return whether a poll of {@code id} runs that still writes: one of its current schedule, not
   *     one an earlier drain gave up on; the caller holds the lock
   */
  private boolean ownPollRunning(String id) {
    Object running = polling.get(id);
    return running != null && schedules.get(id) == running;
  }

  private boolean anyOwnPollRunning(Set<String> ids) {
    return ids.stream().anyMatch(this::ownPollRunning);
  }
}
