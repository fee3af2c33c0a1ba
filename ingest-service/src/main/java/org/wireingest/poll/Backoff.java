package org.wireingest.poll;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to poll a feed next: its interval while it is healthy; after failures, exponential back-off
 * (interval × 2^(failures−1)), capped at {@link #MAX_BACKOFF}, never giving up; a server's
 * Retry-After is honoured when longer (up to the cap). Jitter spreads feeds of one interval apart.
 */
public final class Backoff {

  /** Longest wait between two polls of a failing feed. */
  public static final Duration MAX_BACKOFF = Duration.ofHours(6);

  private Backoff() {}

  /**
   * @param interval the feed's configured interval (positive)
   * @param consecutiveErrors failures since the last success (0 when healthy)
   * @param retryAfter the server's Retry-After; null when none
   * @return the delay before the next poll, without jitter
   */
  public static Duration delay(Duration interval, int consecutiveErrors, Duration retryAfter) {
    Duration d = interval;
    if (consecutiveErrors > 0) {
      int shift = Math.min(consecutiveErrors - 1, 20);
      long millis = interval.toMillis() << shift;
      d = millis <= 0 || millis > MAX_BACKOFF.toMillis() ? MAX_BACKOFF : Duration.ofMillis(millis);
      d = d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }
    if (retryAfter != null && retryAfter.compareTo(d) > 0) {
      d = retryAfter.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : retryAfter;
    }
    return d;
  }

  /**
   * @param delay a delay
   * @param fraction jitter as a fraction of the delay, e.g. 0.1 for ±10 %
   * @return {@code delay} moved by a uniformly random amount within ±fraction
   */
  public static Duration jitter(Duration delay, double fraction) {
    long span = (long) (delay.toMillis() * fraction);
    if (span <= 0) {
      return delay;
    }
    return delay.plusMillis(ThreadLocalRandom.current().nextLong(-span, span + 1));
  }
}
