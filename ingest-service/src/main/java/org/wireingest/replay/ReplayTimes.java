package org.wireingest.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;
import org.wireingest.config.ConfigException;
import org.wireingest.config.Durations;
import org.wireingest.parse.FeedDates;

/**
 * Reads the time bounds of {@code replay} and {@code story}: an instant (ISO-8601 / RFC 3339, e.g.
 * {@code 2026-11-30T08:00:00Z} or {@code 2026-11-30T11:00:00+03:00}; also in the other forms of
 * {@link FeedDates} that state a zone: a blank for the {@code T} as RFC 3339 section 5.6 allows, an
 * offset without colon, {@code +0300}, or an RFC 822 date as a feed's {@code pubDate} writes it,
 * {@code Mon, 30 Nov 2026 08:00:00 GMT}), a date (ISO-8601 {@code 2026-11-30}: its start, 00:00
 * UTC) or a duration ago in the forms of {@link Durations} ({@code 30d}, {@code 2h}, {@code P30D}).
 * A date and time without a zone, or a run of digits (a Unix time to {@link FeedDates}, more likely
 * a duration without its unit here), is refused. Pure.
 */
public final class ReplayTimes {

  /** A date, then blanks: a date and time written with a blank for the {@code T}. */
  private static final Pattern LOCAL_WITH_BLANK = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}) +");

  /** A time of day, {@code 8:00} or {@code 08:00:00}, as every dated form with a time has one. */
  private static final Pattern TIME_OF_DAY = Pattern.compile("\\d:\\d{2}");

  private ReplayTimes() {}

  /**
   * @param text an instant, a date or a duration; surrounding blanks ignored
   * @param now the reference for durations (UTC)
   * @return the instant, the date's start (UTC), or {@code now} minus the duration
   * @throws IllegalArgumentException when {@code text} is neither; the message shows both forms
   */
  public static Instant parse(String text, Instant now) {
    return read(text, now).at();
  }

  /**
   * A time as read: the instant, and what the text gave it as.
   *
   * @param at the instant (UTC)
   * @param ago the duration given, counted back from {@code now}; null when the text was an instant
   *     or a date
   * @param date the date given; null when the text was an instant or a duration
   * @param text the text as given, stripped
   */
  private record Read(Instant at, Duration ago, LocalDate date, String text) {}

  private static Read read(String text, Instant now) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "empty time (use an instant such as 2026-11-30T08:00:00Z or a duration ago such as 30d)");
    }
    String t = text.strip();
    try {
      return new Read(OffsetDateTime.parse(t).toInstant(), null, null, t);
    } catch (DateTimeParseException notAnInstant) {
      try {
        LocalDate date = LocalDate.parse(t);
        return new Read(date.atStartOfDay(ZoneOffset.UTC).toInstant(), null, date, t);
      } catch (DateTimeParseException notADate) {
        try {
          Duration ago = Durations.parse(t);
          return new Read(now.minus(ago), ago, null, t);
        } catch (IllegalArgumentException notADuration) {
          if (Durations.isDurationForm(t)) {
            throw notADuration; // a duration, negative or too long: the message says which
          }
          Optional<Instant> written = FeedDates.parse(t);
          boolean digitsOnly = t.chars().allMatch(c -> c >= '0' && c <= '9');
          if (written.isPresent() && !digitsOnly && !FeedDates.statesNoZone(t)) {
            return new Read(written.get(), null, null, t);
          }
          LocalDateTime local = localDateTime(t);
          if (local != null) {
            throw new IllegalArgumentException(
                "'"
                    + text
                    + "' has no time zone: add Z for UTC ("
                    + local
                    + "Z) or the offset of the local time meant ("
                    + local
                    + "+01:00)");
          }
          if (written.isPresent() && !digitsOnly && !TIME_OF_DAY.matcher(t).find()) {
            // "30 Nov 2026 GMT": the date parser skips a word after the year, so a zone written
            // there is no zone to it; asking for one would ask for what was given
            throw new IllegalArgumentException(
                "'"
                    + text
                    + "' has no time of day: for the day's start (00:00 UTC) give "
                    + LocalDate.ofInstant(written.get(), ZoneOffset.UTC)
                    + ", or add the time and its zone (08:00:00 GMT)");
          }
          if (written.isPresent() && !digitsOnly) {
            throw new IllegalArgumentException(
                "'"
                    + text
                    + "' has no time zone: add one (GMT or +0000 for UTC, or the offset of the local time meant)");
          }
          throw new IllegalArgumentException(
              "'"
                  + text
                  + "' is neither an instant (2026-11-30T08:00:00Z), a date (2026-11-30, from 00:00 UTC) nor a duration ago (30d, 2h, P30D)");
        }
      }
    }
  }

  /**
   * A date and time without a zone, as people type one: ISO-8601 ({@code 2026-11-30T08:00}, with or
   * without seconds) or with a blank for the {@code T} ({@code 2026-11-30 08:00}).
   *
   * @return it, or null when {@code t} is not one
   */
  private static LocalDateTime localDateTime(String t) {
    try {
      return LocalDateTime.parse(LOCAL_WITH_BLANK.matcher(t).replaceFirst("$1T"));
    } catch (DateTimeParseException notOne) {
      return null;
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
   *     {@code --from} (the commands' usage error, exit 2; when a bound is a duration the message
   *     says that durations count back from now, so {@code --from 1h --to 2h} is backwards; an
   *     empty range, {@code --from 1h --to 1h} or one date twice, is called empty in the words
   *     given)
   */
  public static Range range(String from, String to, Instant now) {
    Read fromAt = bound("--from", from, now);
    Read toAt = bound("--to", to, now);
    if (fromAt != null && fromAt.at().isAfter(now)) {
      throw new ConfigException(
          "--from "
              + fromAt.at()
              + " is in the future (now "
              + now
              + "): no record is that new; give a past instant or a duration ago (30d)");
    }
    if (fromAt != null && toAt != null && toAt.at().equals(fromAt.at())) {
      throw new ConfigException(empty(fromAt, toAt));
    }
    if (fromAt != null && toAt != null && !toAt.at().isAfter(fromAt.at())) {
      throw new ConfigException(backwards(fromAt, toAt));
    }
    return new Range(fromAt == null ? null : fromAt.at(), toAt == null ? null : toAt.at());
  }

  /**
   * The error of a {@code --to} equal to {@code --from}, in the words given: {@code --from 1h --to
   * 1h} was refused with two raw instants, to the nanosecond, that said nothing of why. {@code
   * --to} is exclusive, so the range holds no record; the message says how to ask for what was
   * probably meant: a date's whole day, or a span of durations.
   */
  private static String empty(Read from, Read to) {
    String range = "--from " + from.text() + " --to " + to.text() + " is an empty range: ";
    String both =
        from.text().equals(to.text())
            ? "both mean " + when(from)
            : "--from " + from.text() + " and --to " + to.text() + " both mean " + when(from);
    String why = range + both + ", and --to is exclusive";
    if (from.date() != null && to.date() != null) {
      return why
          + " (a date means its start, 00:00 UTC); for that day give --to "
          + to.date().plusDays(1);
    }
    if (from.ago() != null || to.ago() != null) {
      return why
          + "; durations count back from now: give --from alone for everything since then, or"
          + " the longer duration to --from (--from 2h --to 1h is the hour before the last)";
    }
    return why;
  }

  /**
   * The error of a {@code --to} not after {@code --from}. When a bound is a duration it says that
   * durations count back from now: {@code --from 1h --to 2h} reads as from 1 hour ago to 2 hours
   * ago, which is backwards, and people who think of a duration as a length trip over it.
   */
  private static String backwards(Read from, Read to) {
    String plain = "--to " + to.at() + " must be after --from " + from.at();
    if (from.ago() == null && to.ago() == null) {
      return plain;
    }
    String fromText = from.ago() == null ? from.at().toString() : Durations.format(from.ago());
    String toText = to.ago() == null ? to.at().toString() : Durations.format(to.ago());
    String means =
        "durations count back from now, so --from "
            + fromText
            + " --to "
            + toText
            + " means from "
            + when(from)
            + " to "
            + when(to)
            + ", which is backwards";
    if (from.ago() != null && to.ago() != null) {
      return "--to "
          + toText
          + " must be after --from "
          + fromText
          + ": "
          + means
          + "; give the longer duration to --from (--from "
          + toText
          + " --to "
          + fromText
          + ")";
    }
    return plain + ": " + means;
  }

  /** {@code 2h ago (2026-11-30T06:00:00Z)} for a duration, the instant otherwise. */
  private static String when(Read time) {
    return time.ago() == null
        ? time.at().toString()
        : Durations.format(time.ago())
            + " ago ("
            + time.at().truncatedTo(ChronoUnit.SECONDS)
            + ")"; // to the second: now's nanoseconds say nothing
  }

  private static Read bound(String option, String text, Instant now) {
    if (text == null) {
      return null;
    }
    try {
      return read(text, now);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(option + ": " + e.getMessage());
    }
  }
}
