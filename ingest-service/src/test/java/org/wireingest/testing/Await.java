package org.wireingest.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition instead of sleeping for a guessed time: a test that sleeps passes or fails
 * with the machine's load, and can pass without the thing it waits for having happened.
 */
public final class Await {

  private static final long POLL_MS = 20;

  private Await() {}

  /**
   * Asks {@code condition} every 20 ms until it holds.
   *
   * @param what what is awaited, for the failure message
   * @param timeout longest wait
   * @param condition asked on the calling thread; must not block
   * @throws AssertionError when {@code condition} does not hold within {@code timeout}
   * @throws InterruptedException when interrupted while waiting
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(what + ": not within " + timeout);
      }
      Thread.sleep(POLL_MS);
    }
  }
}
