package org.wireingest.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.wireingest.config.ConfigException;
import org.wireingest.config.Durations;

/**
 * Reads the time bounds of {@code replay} and {@code story}: an instant (ISO-8601 / RFC 3339, e.g.
 * {@code 2026-11-30T08:00:00Z} or {@code 2026-11-30T11:00:00+03:00}), a date (ISO-8601 {@code
 * 2026-11-30}: its start, 00:00 UTC) or a duration ago in the forms of {@link Durations} ({@code
 * 30d}, {@code 2h}, {@code P30D}). Pure.
 */
public final class ReplayTimes {

  private ReplayTimes() {}

  /**
   * @param text an instant, a date or a duration; surrounding blanks ignored
   * @param now the reference for durations (UTC)
   * @return the instant, the date's start (UTC), or {@code now} minus the duration
   * @throws IllegalArgumentException when {@code text} is neither; the message shows both forms
   */
  public static Instant parse(String text, Instant now) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "empty time (use an instant such as 2026-11-30T08:00:00Z or a duration ago such as 30d)");
    }
    String t = text.strip();
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException notAnInstant) {
      try {
        return java.time.LocalDate.parse(t).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADate) {
        try {
          Duration ago = Durations.parse(t);
          return now.minus(ago);
        } catch (IllegalArgumentException notADuration) {
          throw new IllegalArgumentException(
              "'"
                  + text
                  + "' is neither an instant (2026-11-30T08:00:00Z), a date (2026-11-30, from 00:00 UTC) nor a duration ago (30d, 2h, P30D)");
        }
      }
    }
  }

  /**
   * The {@code --from} / {@code --to} range of {@code replay} and {@code story}.
   *
   * @param from the oldest record's time (inclusive, UTC); null for the oldest retained
   * @param to the end (exclusive, UTC); null when not given: the topic's end when the command
   *     starts ({@code replay}), now ({@code story})
   */
  public record Range(Instant from, Instant to) {}

  /**
   * @param from {@code --from}'s text; null when not given
   * @param to {@code --to}'s text; null when not given
   * @param now the reference for durations (UTC)
   * @return both bounds read by {@link #parse}
   * @throws ConfigException naming the option: a bound that is neither form, a {@code --from} after
   *     {@code now} (no record is that new: a mistyped year, say), or a {@code --to} not after
   *     {@code --from} (the commands' usage error, exit 2)
   */
  public static Range range(String from, String to, Instant now) {
    Instant fromAt = bound("--from", from, now);
    Instant toAt = bound("--to", to, now);
    if (fromAt != null && fromAt.isAfter(now)) {
      throw new ConfigException(
          "--from "
              + fromAt
              + " is in the future (now "
              + now
              + "): no record is that new; give a past instant or a duration ago (30d)");
    }
    if (fromAt != null && toAt != null && !toAt.isAfter(fromAt)) {
      throw new ConfigException("--to " + toAt + " must be after --from " + fromAt);
    }
    return new Range(fromAt, toAt);
  }

  private static Instant bound(String option, String text, Instant now) {
    if (text == null) {
      return null;
    }
    try {
      return parse(text, now);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(option + ": " + e.getMessage());
    }
  }
}
