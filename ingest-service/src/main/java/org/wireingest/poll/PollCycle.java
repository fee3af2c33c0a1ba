package org.wireingest.poll;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.wireingest.model.Counted;
import org.wireingest.text.Shortened;

/**
 * The polls of one poll cycle (a minute of a continuous poller), counted for its log line: polls,
 * failures by their class ({@link PollResult#code()}: {@code publish-error}, {@code timeout}, ...)
 * and raw items published. The line says once why the cycle's polls failed, by quoting the latest
 * failure of the most frequent class: in a broker outage every poll fails {@code publish-error} for
 * the same reason, and a count alone ("4 failed") sent the operator through the per-feed lines to
 * learn that publishing timed out. Thread-safe.
 */
final class PollCycle {

  /** Characters kept of the failure message quoted. */
  static final int MAX_WHY_CHARS = 400;

  private int polls;
  private long published;
  private final Map<String, Integer> failures = new TreeMap<>();
  private final Map<String, PollResult> lastFailure = new TreeMap<>();

  /**
   * Counts one poll.
   *
   * @param r a finished poll's result; never null
   */
  synchronized void add(PollResult r) {
    polls++;
    published += r.published();
    if (!r.succeeded()) {
      failures.merge(r.code(), 1, Integer::sum);
      lastFailure.put(r.code(), r);
    }
  }

  /**
   * The cycle's log line: {@code poll cycle: 4 polls in the last 60s, 0 failed, 1 raw item
   * published}, and with failures {@code poll cycle: 5 polls in the last 60s, 5 failed (4
   * publish-error, 1 timeout), 0 raw items published; the last publish-error, feed dw-sample: could
   * not write feed state of dw-sample: TimeoutException: ...}: failure classes by count, most
   * frequent first (ties by name), then the message of the latest failure of the first one, on one
   * line and cut to {@value #MAX_WHY_CHARS} characters.
   *
   * @param seconds the cycle's length, seconds
   * @return the line; never null
   */
  synchronized String line(long seconds) {
    int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
    StringBuilder out =
        new StringBuilder("poll cycle: ")
            .append(Counted.of(polls, "poll", "polls"))
            .append(" in the last ")
            .append(seconds)
            .append("s, ")
            .append(failed)
            .append(" failed");
    List<Map.Entry<String, Integer>> byCount = new ArrayList<>(failures.entrySet());
    // TreeMap order is by name; a stable sort by count keeps it among equals
    byCount.sort(Comparator.comparing(Map.Entry<String, Integer>::getValue).reversed());
    if (!byCount.isEmpty()) {
      out.append(" (");
      for (int i = 0; i < byCount.size(); i++) {
        out.append(i == 0 ? "" : ", ")
            .append(byCount.get(i).getValue())
            .append(' ')
            .append(byCount.get(i).getKey());
      }
      out.append(')');
    }
    out.append(", ").append(Counted.of(published, "raw item", "raw items")).append(" published");
    if (!byCount.isEmpty()) {
      PollResult why = lastFailure.get(byCount.get(0).getKey());
      out.append("; the last ")
          .append(why.code())
          .append(", feed ")
          .append(why.sourceId())
          .append(": ")
          .append(
              why.message() == null
                  ? "(no message)"
                  : Shortened.line(why.message(), MAX_WHY_CHARS));
    }
    return out.toString();
  }
}
