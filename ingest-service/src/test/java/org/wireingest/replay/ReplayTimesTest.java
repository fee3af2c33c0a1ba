package org.wireingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.wireingest.config.ConfigException;

class ReplayTimesTest {

  private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

  @Test
  void shouldReadAUtcInstant() {
    assertThat(ReplayTimes.parse("2026-11-01T06:30:00Z", NOW))
        .isEqualTo(Instant.parse("2026-11-01T06:30:00Z"));
  }

  @Test
  void shouldReadAnInstantWithAnOffsetAsUtc() {
    assertThat(ReplayTimes.parse("2026-11-30T11:00:00+03:00", NOW))
        .isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
  }

  @Test
  void shouldReadADateAsItsStartInUtc() {
    // found in a new-user test: replay --from 2026-12-03 was refused
    assertThat(ReplayTimes.parse("2026-11-29", NOW))
        .isEqualTo(Instant.parse("2026-11-29T00:00:00Z"));
  }

  @Test
  void shouldReadAShortDurationAsThatLongAgo() {
    assertThat(ReplayTimes.parse("30d", NOW)).isEqualTo(Instant.parse("2026-10-31T08:00:00Z"));
  }

  @Test
  void shouldReadAnIsoDurationAsThatLongAgo() {
    assertThat(ReplayTimes.parse("PT2H", NOW)).isEqualTo(Instant.parse("2026-11-30T06:00:00Z"));
  }

  // Found in an ops test: --from 2026-12-06T21:00 (a local time, as people type one) was called
  // "neither an instant, a date nor a duration ago", which did not say what was missing.
  @Test
  void shouldAskForAZoneWhenADateAndTimeHasNone() {
    assertThatThrownBy(() -> ReplayTimes.parse("2026-11-30T08:00", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'2026-11-30T08:00' has no time zone: add Z for UTC (2026-11-30T08:00Z) or the offset of the local time meant (2026-11-30T08:00+01:00)");
    assertThatThrownBy(() -> ReplayTimes.parse("2026-11-30 08:00:30", NOW))
        .hasMessage(
            "'2026-11-30 08:00:30' has no time zone: add Z for UTC (2026-11-30T08:00:30Z) or the offset of the local time meant (2026-11-30T08:00:30+01:00)");
    assertThat(ReplayTimes.parse("2026-11-30T08:00Z", NOW))
        .isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
    assertThatThrownBy(() -> ReplayTimes.parse("yesterday", NOW))
        .hasMessageStartingWith("'yesterday' is neither an instant");
  }

  // Found attacking replay: --from "2026-12-07 22:47:00Z" (RFC 3339 section 5.6 allows a blank
  // for the T), --from 2026-12-07T22:47:00+0000 (date +%FT%T%z) and a pubDate copied from the
  // feed were each called "neither an instant, a date nor a duration ago": only Java's
  // OffsetDateTime form was read, not the date forms the project's own date parser reads.
  @Test
  void shouldReadTheInstantFormsFeedsAndShellsWrite() {
    Instant eight = Instant.parse("2026-11-30T08:00:00Z");
    assertThat(ReplayTimes.parse("2026-11-30 08:00:00Z", NOW)).isEqualTo(eight);
    assertThat(ReplayTimes.parse("2026-11-30 11:00:00+03:00", NOW)).isEqualTo(eight);
    assertThat(ReplayTimes.parse("2026-11-30T11:00:00+0300", NOW)).isEqualTo(eight);
    assertThat(ReplayTimes.parse("2026-11-30T08:00:00.000+0000", NOW)).isEqualTo(eight);
    assertThat(ReplayTimes.parse("Mon, 30 Nov 2026 08:00:00 GMT", NOW)).isEqualTo(eight);
    assertThat(ReplayTimes.parse("Mon, 30 Nov 2026 11:00:00 +0300", NOW)).isEqualTo(eight);
  }

  // The forms the project's date parser reads without a zone (as UTC, a guess) or as a Unix time
  // stay refused here: a bound read in the wrong zone is hours off, and a run of digits is more
  // likely a duration typed without its unit.
  @Test
  void shouldStillRefuseAnInstantWithoutZoneAndARunOfDigits() {
    assertThatThrownBy(() -> ReplayTimes.parse("Mon, 30 Nov 2026 08:00:00", NOW))
        .hasMessage(
            "'Mon, 30 Nov 2026 08:00:00' has no time zone: add one (GMT or +0000 for UTC, or the offset of the local time meant)");
    assertThatThrownBy(() -> ReplayTimes.parse("1764489600", NOW))
        .hasMessageStartingWith("'1764489600' is neither an instant");
  }

  // Found in a new-user test: --from "30 Nov 2026" was told "has no time zone: add one (GMT ...)",
  // and --from "30 Nov 2026 GMT" the same again, since the date parser skips a word after the
  // year: the text has no time of day, which the message now says, with the date form to give.
  @Test
  void shouldAskForATimeOfDayNotAZoneWhenAFeedStyleDateHasNoTime() {
    for (String text : new String[] {"30 Nov 2026", "30 Nov 2026 GMT", "Mon, 30 Nov 2026"}) {
      assertThatThrownBy(() -> ReplayTimes.parse(text, NOW))
          .hasMessage(
              "'"
                  + text
                  + "' has no time of day: for the day's start (00:00 UTC) give 2026-11-30, or add the time and its zone (08:00:00 GMT)");
    }
  }

  // --from 99999999999999d, or -5d, was called "neither an instant, a date nor a duration ago",
  // though it is written as a duration: it is too long, or negative, and the message now says so.
  @Test
  void shouldSayADurationIsTooLongOrNegativeRatherThanNoDuration() {
    assertThatThrownBy(() -> ReplayTimes.parse("99999999999999d", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'99999999999999d' is too long a duration (at most ");
    assertThatThrownBy(() -> ReplayTimes.parse("99999999999999999999s", NOW))
        .hasMessageStartingWith("'99999999999999999999s' is too long a duration");
    assertThatThrownBy(() -> ReplayTimes.parse("-5d", NOW)).hasMessage("negative duration '-5d'");
    assertThatThrownBy(() -> ReplayTimes.parse("5 days", NOW))
        .hasMessageStartingWith("'5 days' is neither an instant");
  }

  // Found in a replay test: --from 2030-01-01T00:00:00Z replayed nothing, created an empty target
  // and exited 0.
  @Test
  void shouldRefuseAFromInTheFuture() {
    assertThatThrownBy(() -> ReplayTimes.range("2030-01-01T00:00:00Z", null, NOW))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--from 2030-01-01T00:00:00Z is in the future");
    assertThat(ReplayTimes.range("0s", null, NOW).from()).isEqualTo(NOW);
  }

  // --from 1h --to 2h (meant as "the hour from two to one hours ago") was refused as
  // "--to ... must be after --from ...", two instants that did not show why: durations count back
  // from now, so the larger one is the earlier bound.
  @Test
  void shouldSayThatDurationsCountBackFromNowWhenTheRangeIsBackwards() {
    assertThatThrownBy(() -> ReplayTimes.range("1h", "2h", NOW))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "--to 2h must be after --from 1h: durations count back from now, so --from 1h --to 2h"
                + " means from 1h ago (2026-11-30T07:00:00Z) to 2h ago (2026-11-30T06:00:00Z),"
                + " which is backwards; give the longer duration to --from (--from 2h --to 1h)");
    assertThatThrownBy(() -> ReplayTimes.range("2026-11-29", "2d", NOW))
        .hasMessage(
            "--to 2026-11-28T08:00:00Z must be after --from 2026-11-29T00:00:00Z: durations count"
                + " back from now, so --from 2026-11-29T00:00:00Z --to 2d means from"
                + " 2026-11-29T00:00:00Z to 2d ago (2026-11-28T08:00:00Z), which is backwards");
    assertThat(ReplayTimes.range("2h", "1h", NOW))
        .isEqualTo(
            new ReplayTimes.Range(
                Instant.parse("2026-11-30T06:00:00Z"), Instant.parse("2026-11-30T07:00:00Z")));
  }

  // Found on a real run: replay --from 1h --to 1h said "--to 2026-12-05T10:50:21.654363368Z must
  // be after --from 2026-12-05T10:50:21.654363368Z: ...", and one date twice (the day meant) the
  // same of two midnights: raw instants, to the nanosecond, where the range the user typed is
  // empty.
  @Test
  void shouldCallAnEmptyRangeOfDurationsEmptyInTheWordsGiven() {
    Instant now = NOW.plusNanos(654_363_368);

    assertThatThrownBy(() -> ReplayTimes.range("1h", "1h", now))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "--from 1h --to 1h is an empty range: both mean 1h ago (2026-11-30T07:00:00Z), and --to"
                + " is exclusive; durations count back from now: give --from alone for everything"
                + " since then, or the longer duration to --from (--from 2h --to 1h is the hour"
                + " before the last)");
    assertThatThrownBy(() -> ReplayTimes.range("PT1H", "60m", now))
        .hasMessageStartingWith(
            "--from PT1H --to 60m is an empty range: --from PT1H and --to 60m both mean 1h ago"
                + " (2026-11-30T07:00:00Z), and --to is exclusive;");
  }

  @Test
  void shouldOfferTheNextDayForAnEmptyRangeOfOneDate() {
    assertThatThrownBy(() -> ReplayTimes.range("2026-11-29", "2026-11-29", NOW))
        .hasMessage(
            "--from 2026-11-29 --to 2026-11-29 is an empty range: both mean 2026-11-29T00:00:00Z,"
                + " and --to is exclusive (a date means its start, 00:00 UTC); for that day give"
                + " --to 2026-11-30");
    assertThatThrownBy(() -> ReplayTimes.range("2026-11-29T00:00:00Z", "2026-11-29", NOW))
        .hasMessage(
            "--from 2026-11-29T00:00:00Z --to 2026-11-29 is an empty range: --from"
                + " 2026-11-29T00:00:00Z and --to 2026-11-29 both mean 2026-11-29T00:00:00Z, and --to"
                + " is exclusive");
  }

  @Test
  void shouldKeepTheShortErrorForABackwardsRangeOfInstants() {
    assertThatThrownBy(() -> ReplayTimes.range("2026-11-30T07:00:00Z", "2026-11-29", NOW))
        .hasMessage("--to 2026-11-29T00:00:00Z must be after --from 2026-11-30T07:00:00Z");
  }

  @Test
  void shouldNameBothFormsWhenTheTextIsNeither() {
    assertThatThrownBy(() -> ReplayTimes.parse("yesterday", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("yesterday")
        .hasMessageContaining("30d");
  }
}
