package org.wireingest.poll;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
 * host's other feeds back. Thread-safe.
 */
final class HostLimiter {

  private final Executor executor;
  private final int perHost;

  /** Per host: how many of its tasks run, and those waiting. Guarded by {@code this}. */
  private final Map<String, Lane> lanes = new HashMap<>();

  private static final class Lane {
    int running;
    final Queue<Consumer<Runnable>> waiting = new ArrayDeque<>();
  }

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
   * @return completes with the task's result, or exceptionally with what it threw
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
   * @return completes with the task's result, or exceptionally with what it threw
   */
  <T> CompletableFuture<T> submit(String host, Function<Runnable, T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    execute(
        host,
        release -> {
          try {
            result.complete(task.apply(release));
          } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  /**
   * @param host the host the task contacts, lower-case; null when it contacts none
   * @param task the work; runs on the executor once fewer than {@code perHost} tasks of its host
   *     run
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
   *     it again, or not at all, is harmless (the slot is freed when the task ends)
   * @throws RejectedExecutionException when the executor refuses a task that could start at once
   */
  void execute(String host, Consumer<Runnable> task) {
    if (host == null) {
      executor.execute(() -> task.accept(() -> {}));
      return;
    }
    synchronized (this) {
      Lane lane = lanes.computeIfAbsent(host, h -> new Lane());
      if (lane.running >= perHost) {
        lane.waiting.add(task);
        return;
      }
      lane.running++;
    }
    try {
      dispatch(host, task);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        Lane lane = lanes.get(host);
        if (--lane.running == 0 && lane.waiting.isEmpty()) {
          lanes.remove(host);
        }
      }
      throw e;
    }
  }

  private void dispatch(String host, Consumer<Runnable> task) {
    AtomicBoolean released = new AtomicBoolean();
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            finished(host);
          }
        };
    executor.execute(
        () -> {
          try {
            task.accept(release);
          } finally {
            release.run();
          }
        });
  }

  /** One task of {@code host} ended or gave its slot back: start its next waiting task, if any. */
  private void finished(String host) {
    Consumer<Runnable> next;
    synchronized (this) {
      Lane lane = lanes.get(host);
      next = lane.waiting.poll();
      if (next == null && --lane.running == 0) {
        lanes.remove(host);
      }
    }
    if (next != null) {
      try {
        dispatch(host, next);
      } catch (RejectedExecutionException e) {
        // The executor is shutting down: the host's waiting tasks go with it, and the slot handed
        // to the refused one is free again. Its other running tasks still end here, so the lane
        // stays until they have (removing it at once made them fail with a NullPointerException).
        synchronized (this) {
          Lane lane = lanes.get(host);
          lane.waiting.clear();
          if (--lane.running == 0) {
            lanes.remove(host);
          }
        }
      }
    }
  }
}
