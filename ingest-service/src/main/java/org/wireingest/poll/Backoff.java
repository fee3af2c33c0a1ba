package org.wireingest.poll;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to poll a feed next: its interval while it is healthy, stretched within bounds by the feed's
 * own refresh hint ({@link #healthyDelay}); after failures, exponential back-off (interval ×
 * 2^(failures−1)), capped at {@link #MAX_BACKOFF}, never giving up; a server's Retry-After is
 * honoured when longer (up to the cap). Jitter spreads feeds of one interval apart. Pure.
 */
public final class Backoff {

  /** Longest wait between two polls of a failing feed. */
  public static final Duration MAX_BACKOFF = Duration.ofHours(6);

  /** A refresh hint stretches a healthy feed's delay to at most this many intervals... */
  public static final int MAX_HINT_INTERVALS = 4;

  /** ...and to at most this long, whichever is shorter. */
  public static final Duration MAX_HINT_DELAY = Duration.ofHours(1);

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
   * The delay before the next poll of a healthy feed, honouring the feed's refresh hint (HTTP
   * {@code Cache-Control: max-age}, RFC 9111 §5.2.2.1, and RSS 2.0 {@code <ttl>}) within bounds:
   * never shorter than the configured interval (a hint never makes us poll faster), and never
   * longer than {@link #MAX_HINT_INTERVALS} × interval nor {@link #MAX_HINT_DELAY} (a newsroom
   * cannot wait hours because a CMS says so), nor longer than needed when the interval itself is
   * longer.
   *
   * @param interval the feed's configured interval (positive)
   * @param hint the longest of the response's max-age and the feed's ttl; null when neither was
   *     given
   * @return {@code max(interval, min(hint, 4 × interval, 1 h))}
   */
  public static Duration healthyDelay(Duration interval, Duration hint) {
    if (hint == null || hint.compareTo(interval) <= 0) {
      return interval;
    }
    Duration byIntervals = interval.multipliedBy(MAX_HINT_INTERVALS);
    Duration ceiling = byIntervals.compareTo(MAX_HINT_DELAY) < 0 ? byIntervals : MAX_HINT_DELAY;
    Duration stretched = hint.compareTo(ceiling) < 0 ? hint : ceiling;
    return stretched.compareTo(interval) > 0 ? stretched : interval;
  }

  /**
   * @param delay a delay
   * @param fraction jitter as a fraction of the delay, e.g. 0.1 for ±10 %
   * @return {@code delay} moved by a uniformly random amount within ±fraction
   */
  public static Duration jitter(Duration delay, double fraction) {
    return jitter(delay, fraction, -1);
  }

  /**
   * Jitter that only ever delays: for the poll after a failure, whose delay may be the server's
   * {@code Retry-After} (RFC 9110 §10.2.3), which a poll must not come before.
   *
   * @param delay a delay, at least as long as any Retry-After it honours
   * @param fraction jitter as a fraction of the delay, e.g. 0.1 for 0 to +10 %
   * @return {@code delay} plus a uniformly random amount from 0 to {@code fraction × delay}; never
   *     shorter
   */
  public static Duration jitterLater(Duration delay, double fraction) {
    return jitter(delay, fraction, 0);
  }

  /**
   * @param from the lowest multiple of the span to move by: -1 (earlier too) or 0 (only later)
   */
  private static Duration jitter(Duration delay, double fraction, int from) {
    long span = (long) (delay.toMillis() * fraction);
    if (span <= 0) {
      return delay;
    }
    return delay.plusMillis(ThreadLocalRandom.current().nextLong(from * span, span + 1));
  }
}
