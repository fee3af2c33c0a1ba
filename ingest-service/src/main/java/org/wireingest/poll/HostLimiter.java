package org.wireingest.poll;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs tasks on an executor with at most {@code perHost} of them running for one host at a time;
 * the others wait, in submission order, in a queue of their host, without holding a worker thread,
 * so feeds of other hosts keep flowing. Tasks without a host (e.g. {@code file:} feeds) are not
 * limited. A task may give its slot back before it ends ({@link #execute(String, Consumer)}): a
 * poll is done with its host once its fetch is, and its wait for Kafka afterwards must not hold the
 * host's other feeds back.
 *
 * <p>When the executor refuses a task (it is shutting down), the host's waiting tasks are refused
 * with it, since they would be too: a {@link #submit} future then completes exceptionally with the
 * {@link RejectedExecutionException}, whether its task was refused at once or later, when a slot of
 * its host freed, so no caller waits for a task that will never run. The same holds for a task the
 * executor accepted and then dropped unrun, once its owner hands it to {@link #refuseDropped}.
 * Thread-safe.
 */
final class HostLimiter {

  private final Executor executor;
  private final int perHost;

  /** Per host: how many of its tasks run, and those waiting. Guarded by {@code this}. */
  private final Map<String, Lane> lanes = new HashMap<>();

  private static final class Lane {
    int running;
    final Queue<Waiting> waiting = new ArrayDeque<>();
  }

  /**
   * A task waiting for a slot of its host.
   *
   * @param task the work, given {@code release}
   * @param refused told when the executor refuses the task, on the thread that found it out
   */
  private record Waiting(Consumer<Runnable> task, Consumer<RejectedExecutionException> refused) {}

  /**
   * @param executor where tasks run
   * @param perHost most tasks of one host running at once; at least 1
   * @throws IllegalArgumentException when {@code perHost} is below 1
   */
  HostLimiter(Executor executor, int perHost) {
    if (perHost < 1) {
      throw new IllegalArgumentException("per-host concurrency must be at least 1, was " + perHost);
    }
    this.executor = executor;
    this.perHost = perHost;
  }

  /**
   * @param host the host the task contacts, lower-case; null when it contacts none
   * @param task the work; runs on the executor
   * @return completes with the task's result, or exceptionally with what it threw, or with {@link
   *     RejectedExecutionException} when the executor refused the task, at once or once a slot of
   *     its host freed; never null
   */
  <T> CompletableFuture<T> submit(String host, Supplier<T> task) {
    return submit(host, release -> task.get());
  }

  /**
   * As {@link #submit(String, Supplier)}, for a task that is done with its host before it ends: it
   * is given {@code release}, as by {@link #execute(String, Consumer)}.
   *
   * @param host the host the task contacts, lower-case; null when it contacts none
   * @param task the work, given {@code release}; runs on the executor
   * @return as {@link #submit(String, Supplier)}; never null
   */
  <T> CompletableFuture<T> submit(String host, Function<Runnable, T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      execute(
          host,
          release -> {
            try {
              result.complete(task.apply(release));
            } catch (RuntimeException | Error e) {
              result.completeExceptionally(e);
            }
          },
          result::completeExceptionally);
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  /**
   * @param host the host the task contacts, lower-case; null when it contacts none
   * @param task the work; runs on the executor once fewer than {@code perHost} tasks of its host
   *     run; a task that waited for its host and is then refused by the executor is dropped (use
   *     {@link #submit} to learn of it)
   * @throws RejectedExecutionException when the executor refuses a task that could start at once
   */
  void execute(String host, Runnable task) {
    execute(host, release -> task.run());
  }

  /**
   * As {@link #execute(String, Runnable)}, for a task that is done with its host before it ends.
   *
   * @param host the host the task contacts, lower-case; null when it contacts none
   * @param task the work, given {@code release}: run it once the task no longer contacts the host,
   *     and the host's slot goes to its next waiting task at once, while this one goes on; running
   *     it again, or not at all, is harmless (the slot is freed when the task ends); dropped as by
   *     {@link #execute(String, Runnable)} when refused after waiting
   * @throws RejectedExecutionException when the executor refuses a task that could start at once
   */
  void execute(String host, Consumer<Runnable> task) {
    execute(host, task, e -> {});
  }

  /**
   * As {@link #execute(String, Consumer)}, telling {@code refused} when the executor refuses the
   * task after it waited for its host.
   */
  private void execute(
      String host, Consumer<Runnable> task, Consumer<RejectedExecutionException> refused) {
    if (host == null) {
      executor.execute(new Dispatched(task, () -> {}, refused));
      return;
    }
    synchronized (this) {
      Lane lane = lanes.computeIfAbsent(host, h -> new Lane());
      if (lane.running >= perHost) {
        lane.waiting.add(new Waiting(task, refused));
        return;
      }
      lane.running++;
    }
    try {
      dispatch(host, task, refused);
    } catch (RejectedExecutionException e) {
      // a task queued behind this one meanwhile would wait for a slot that no running task frees
      refuseWaiting(host, e);
      throw e;
    }
  }

  private void dispatch(
      String host, Consumer<Runnable> task, Consumer<RejectedExecutionException> refused) {
    AtomicBoolean released = new AtomicBoolean();
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            finished(host);
          }
        };
    executor.execute(new Dispatched(task, release, refused));
  }

  /**
   * A task as handed to the executor: run, it is given {@code release} and frees its host's slot
   * when it ends; dropped unrun ({@link #refuseDropped}), it is refused as the executor's refusal
   * would have it, and frees the slot as well.
   *
   * @param task the work, given {@code release}
   * @param release gives the task's slot of its host back; idempotent; a no-op for a task without a
   *     host
   * @param refused told when the task is dropped unrun
   */
  private record Dispatched(
      Consumer<Runnable> task, Runnable release, Consumer<RejectedExecutionException> refused)
      implements Runnable {

    @Override
    public void run() {
      try {
        task.accept(release);
      } finally {
        release.run();
      }
    }

    void drop(RejectedExecutionException e) {
      try {
        refused.accept(e);
      } finally {
        release.run(); // the host's next waiting task is dispatched, and refused in turn
      }
    }
  }

  /**
   * Refuses the tasks of this limiter among {@code dropped}: tasks the executor accepted and will
   * never run, as {@link ExecutorService#shutdownNow()} returns them. Each is refused as though the
   * executor had refused it: a {@link #submit} future completes exceptionally with a {@link
   * RejectedExecutionException}, and its host's slot is freed, so the host's waiting tasks are
   * dispatched and, the executor refusing them, refused too.
   *
   * @param dropped the executor's unrun tasks; others than this limiter's are ignored; never null
   */
  void refuseDropped(Collection<Runnable> dropped) {
    RejectedExecutionException e =
        new RejectedExecutionException("dropped unrun: the executor was shut down");
    for (Runnable r : dropped) {
      if (r instanceof Dispatched d) {
        d.drop(e);
      }
    }
  }

  /** One task of {@code host} ended or gave its slot back: start its next waiting task, if any. */
  private void finished(String host) {
    Waiting next;
    synchronized (this) {
      Lane lane = lanes.get(host);
      next = lane.waiting.poll();
      if (next == null && --lane.running == 0) {
        lanes.remove(host);
      }
    }
    if (next != null) {
      try {
        dispatch(host, next.task(), next.refused());
      } catch (RejectedExecutionException e) {
        next.refused().accept(e);
        refuseWaiting(host, e);
      }
    }
  }

  /**
   * The executor refused a task of {@code host} given a slot (it is shutting down): the slot is
   * free again, and the host's waiting tasks are refused too, each told so (a caller of {@link
   * #submit} waiting on its future must not wait for ever; the executor would refuse them as well).
   * Its other running tasks still end here, so the lane stays until they have (removing it at once
   * made them fail with a NullPointerException).
   */
  private void refuseWaiting(String host, RejectedExecutionException e) {
    List<Waiting> refused;
    synchronized (this) {
      Lane lane = lanes.get(host);
      refused = new ArrayList<>(lane.waiting);
      lane.waiting.clear();
      if (--lane.running == 0) {
        lanes.remove(host);
      }
    }
    for (Waiting w : refused) {
      w.refused().accept(e);
    }
  }
}
