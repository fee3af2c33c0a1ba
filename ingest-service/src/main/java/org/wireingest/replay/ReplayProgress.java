package org.wireingest.replay;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Progress of a replay on a terminal: one line, rewritten in place ({@code \r}, padded with spaces
 * to the length of the line it overwrites), at most once per {@code minInterval}: {@code replay:
 * 12,345 / 50,000 records (24.7 %), 8,100 records/s, ETA 4s}. It also carries the reader's stop
 * request ({@link #stopRequested}: Ctrl-C / SIGTERM), as a progress monitor does. Not thread-safe,
 * but for the stop request: the reading thread calls it.
 */
public final class ReplayProgress {

  /** A progress that prints nothing (not a terminal). */
  public static final ReplayProgress SILENT = silent(() -> false);

  private final String label;
  private final long total;
  private final LongSupplier nanoTime;
  private final long minIntervalNanos;
  private final Consumer<String> out;
  private final BooleanSupplier stopRequested;
  private final long startedAt;
  private long done;
  private long lastPrinted;
  private boolean printed;
  private int lastLength;

  /**
   * @param label what is counted, e.g. {@code replay}
   * @param total records in the range (0 when unknown)
   * @param nanoTime monotonic clock, nanoseconds ({@code System::nanoTime})
   * @param minInterval least time between two lines
   * @param out receives each line, starting with {@code \r}, without a line feed
   */
  public ReplayProgress(
      String label, long total, LongSupplier nanoTime, Duration minInterval, Consumer<String> out) {
    this(label, total, nanoTime, minInterval, out, () -> false);
  }

  /**
   * @param label what is counted, e.g. {@code replay}
   * @param total records in the range (0 when unknown)
   * @param nanoTime monotonic clock, nanoseconds ({@code System::nanoTime})
   * @param minInterval least time between two lines
   * @param out receives each line, starting with {@code \r}, without a line feed
   * @param stopRequested whether the reader should stop before the end of its range; read by the
   *     reading thread, set by another (a shutdown hook)
   */
  public ReplayProgress(
      String label,
      long total,
      LongSupplier nanoTime,
      Duration minInterval,
      Consumer<String> out,
      BooleanSupplier stopRequested) {
    this.stopRequested = Objects.requireNonNull(stopRequested);
    this.label = label;
    this.total = total;
    this.nanoTime = Objects.requireNonNull(nanoTime);
    this.minIntervalNanos = minInterval.toNanos();
    this.out = Objects.requireNonNull(out);
    this.startedAt = nanoTime.getAsLong();
    this.lastPrinted = startedAt;
  }

  /**
   * @param stopRequested whether the reader should stop before the end of its range
   * @return a progress that prints nothing (not a terminal) but carries the stop request
   */
  public static ReplayProgress silent(BooleanSupplier stopRequested) {
    return new ReplayProgress(
        "", 0, System::nanoTime, Duration.ofDays(1), line -> {}, stopRequested);
  }

  /**
   * @return whether the reader should stop before the end of its range (Ctrl-C / SIGTERM)
   */
  public boolean stopRequested() {
    return stopRequested.getAsBoolean();
  }

  /** Counts one record; prints a line when the last one is older than the interval. */
  public void advance() {
    done++;
    long now = nanoTime.getAsLong();
    if (now - lastPrinted >= minIntervalNanos) {
      lastPrinted = now;
      printed = true;
      out.accept("\r" + overwriting(line(label, done, total, Duration.ofNanos(now - startedAt))));
    }
  }

  /** Ends the line if one was printed (a line feed), so the summary starts on its own line. */
  public void finish() {
    if (printed) {
      out.accept(
          "\r"
              + overwriting(
                  line(label, done, total, Duration.ofNanos(nanoTime.getAsLong() - startedAt)))
              + System.lineSeparator());
    }
  }

  /**
   * The line padded with spaces to the length of the one printed before it, so a shorter line
   * ({@code ETA 9s} after {@code ETA 10s}) leaves none of the longer one's characters behind.
   */
  private String overwriting(String line) {
    int padding = lastLength - line.length();
    lastLength = line.length();
    return padding > 0 ? line + " ".repeat(padding) : line;
  }

  /**
   * @param label what is counted
   * @param done records done
   * @param total records in all (0 when unknown: no percentage, no ETA)
   * @param elapsed time since the start
   * @return the progress text
   */
  static String line(String label, long done, long total, Duration elapsed) {
    double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
    double rate = done / seconds;
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s: %,d", label, done));
    if (total > 0) {
      b.append(String.format(Locale.ROOT, " / %,d records (%.1f %%)", total, 100.0 * done / total));
    } else {
      b.append(" records");
    }
    b.append(String.format(Locale.ROOT, ", %,.0f records/s", rate));
    if (total > 0 && rate > 0) {
      long etaSeconds = (long) Math.ceil(Math.max(0, total - done) / rate);
      b.append(", ETA ").append(eta(etaSeconds));
    }
    return b.toString();
  }

  private static String eta(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }
}
