package org.wireingest.ops;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts events per key over a sliding window (e.g. articles per feed in the last 24 h), in memory.
 * The window is cut into fixed buckets: a count covers the current, partly elapsed bucket plus the
 * {@code buckets − 1} before it, so it spans between {@code window − bucket} and {@code window}.
 * Memory: {@code buckets} longs per key. Counts start at zero when the process starts. Thread-safe.
 */
public final class RollingCounts {

  /** The window of the feed status page: 24 h in 96 buckets of 15 min. */
  public static final Duration DAY = Duration.ofHours(24);

  private static final int DAY_BUCKETS = 96;

  private final Clock clock;
  private final long bucketMillis;
  private final int buckets;
  private final Map<String, Ring> rings = new ConcurrentHashMap<>();

  /**
   * @param clock time source
   * @param window length of the window (positive)
   * @param buckets how many buckets it is cut into (at least 1, at most one per millisecond)
   * @throws IllegalArgumentException when the window or the bucket count is not positive
   */
  public RollingCounts(Clock clock, Duration window, int buckets) {
    if (window.isNegative() || window.isZero() || buckets < 1 || window.toMillis() < buckets) {
      throw new IllegalArgumentException("window " + window + " in " + buckets + " buckets");
    }
    this.clock = clock;
    this.bucketMillis = window.toMillis() / buckets;
    this.buckets = buckets;
  }

  /**
   * @param clock time source
   * @return counts over the last {@link #DAY}, at 15-minute resolution
   */
  public static RollingCounts lastDay(Clock clock) {
    return new RollingCounts(clock, DAY, DAY_BUCKETS);
  }

  /**
   * Adds {@code n} events of {@code key} now.
   *
   * @param key e.g. a source id; never null
   * @param n how many (0 is allowed and does nothing; negative is a bug)
   * @throws IllegalArgumentException when {@code n} is negative
   */
  public void add(String key, long n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative count " + n);
    }
    if (n > 0) {
      rings.computeIfAbsent(key, k -> new Ring(buckets)).add(epochBucket(), n);
    }
  }

  /**
   * @param key e.g. a source id
   * @return events of {@code key} within the window; 0 for a key never seen
   */
  public long count(String key) {
    Ring ring = rings.get(key);
    return ring == null ? 0 : ring.sum(epochBucket());
  }

  /**
   * @return every key with events within the window, and its count, sorted by key; keys whose
   *     events have all left the window are left out; a new map
   */
  public SortedMap<String, Long> counts() {
    long current = epochBucket();
    SortedMap<String, Long> out = new TreeMap<>();
    rings.forEach(
        (key, ring) -> {
          long n = ring.sum(current);
          if (n > 0) {
            out.put(key, n);
          }
        });
    return out;
  }

  private long epochBucket() {
    return Math.floorDiv(clock.millis(), bucketMillis);
  }

  /** One key's buckets, indexed by bucket number modulo their count. */
  private static final class Ring {
    private final long[] counts;
    private final long[] bucketOf;

    Ring(int size) {
      counts = new long[size];
      bucketOf = new long[size];
      Arrays.fill(bucketOf, Long.MIN_VALUE);
    }

    synchronized void add(long bucket, long n) {
      int i = (int) Math.floorMod(bucket, (long) counts.length);
      if (bucketOf[i] != bucket) {
        bucketOf[i] = bucket;
        counts[i] = 0;
      }
      counts[i] += n;
    }

    synchronized long sum(long current) {
      long total = 0;
      for (int i = 0; i < counts.length; i++) {
        if (bucketOf[i] > current - counts.length && bucketOf[i] <= current) {
          total += counts[i];
        }
      }
      return total;
    }
  }
}
