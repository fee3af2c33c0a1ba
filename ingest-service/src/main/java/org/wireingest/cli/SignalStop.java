package org.wireingest.cli;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C / SIGTERM for a command that runs until its work is done ({@code tail}, {@code replay},
 * {@code story}): from its creation to its {@link #close}, a JVM shutdown sets {@link #requested},
 * runs the wake action (to interrupt a blocking call, e.g. a consumer's {@code wakeup()}), and
 * holds the JVM's exit until the command has closed what it opened (its clients; the embedded
 * broker) and called {@link #close}, at most {@link #WAIT}. Without it the JVM ends mid-call: a
 * producer's unsent records are lost and an embedded broker stops uncleanly.
 */
final class SignalStop implements AutoCloseable {

  /** Longest a shutdown waits for the command to close. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private final Runnable wake;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean requested;

  /**
   * Installs the shutdown hook.
   *
   * @param command the command's name, for the hook thread's name
   * @param wake run once a stop is requested, from the requesting thread; must not throw, and may
   *     run before the command has anything to wake
   */
  SignalStop(String command, Runnable wake) {
    this.wake = Objects.requireNonNull(wake, "wake");
    this.hook =
        new Thread(
            () -> {
              request();
              try {
                closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "wire-ingest-" + command + "-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Asks the command to stop: what a shutdown does first; also for tests. */
  void request() {
    requested = true;
    wake.run();
  }

  /**
   * @return whether a stop was requested
   */
  boolean requested() {
    return requested;
  }

  /**
   * The command has closed what it opened: a waiting shutdown goes on; the hook is removed
   * otherwise.
   */
  @Override
  public void close() {
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs: it was waiting for closed, counted down above
    }
  }
}
