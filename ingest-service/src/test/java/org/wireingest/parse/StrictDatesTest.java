package org.wireingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.rometools.rome.io.impl.DateParser;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictDatesTest {

  private static final DateTimeFormatter RFC_1123_ZERO_PADDED =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss", Locale.US);
  private static final DateTimeFormatter RFC_1123_ONE_DIGIT_DAY =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss", Locale.US);
  private static final DateTimeFormatter RFC_3339 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);

  /** The contract: for every string it reads, StrictDates gives what Rome gives. */
  @Test
  void shouldReadCommonShapesExactlyAsRomeDoes() {
    Random random = new Random(20261130L);
    int[] offsetMinutes = {0, 60, 120, 180, 330, 345, -300, -240, -480, 600, 765, -570};
    for (int n = 0; n < 3000; n++) {
      Instant instant =
          Instant.ofEpochSecond(631152000L + (long) (random.nextDouble() * 1_600_000_000L));
      ZoneOffset offset =
          ZoneOffset.ofTotalSeconds(offsetMinutes[random.nextInt(offsetMinutes.length)] * 60);
      OffsetDateTime local = instant.atOffset(offset);
      String hhmm = offset.getId().equals("Z") ? "+0000" : offset.getId().replace(":", "");
      String hh_mm = offset.getId().equals("Z") ? "+00:00" : offset.getId();
      String[] samples = {
        local.format(RFC_1123_ZERO_PADDED) + " " + hhmm,
        local.format(RFC_1123_ONE_DIGIT_DAY) + " " + hhmm,
        instant.atOffset(ZoneOffset.UTC).format(RFC_1123_ZERO_PADDED) + " GMT",
        local.format(RFC_3339) + hh_mm,
        instant.atOffset(ZoneOffset.UTC).format(RFC_3339) + "Z",
      };
      for (String sample : samples) {
        assertThat(StrictDates.parse(sample))
            .as(sample)
            .isEqualTo(instant)
            .isEqualTo(DateParser.parseDate(sample, Locale.US).toInstant());
        assertThat(StrictDates.fieldsInRange(sample)).as(sample).isTrue();
      }
    }
  }

  @Test
  void shouldLeaveEveryOtherShapeToRome() {
    String[] others = {
      "Fri, 10 Jan 2026 08:00:00 GMT", // wrong weekday (10 January 2026 is a Saturday)
      "Sat, 10 Jan 2026 08:00 GMT", // no seconds
      "Sat, 10 Jan 2026 08:00:00 EST", // named zone
      "Sat, 10 Jan 2026 08:00:00 UT",
      "Sat, 10 Jan 26 08:00:00 GMT", // two-digit year
      "Sat, 10 jan 2026 08:00:00 GMT", // lower-case month
      "Sat, 10 Jan 2026 24:00:00 GMT", // out of range hour (Rome rolls over)
      "Sat, 31 Feb 2026 08:00:00 GMT",
      "Sat, 10 Jan 2026 08:00:00 +2400",
      "Sat,  10 Jan 2026 08:00:00 GMT",
      "10 Jan 2026 08:00:00 GMT", // no weekday
      "2026-01-10T08:00:00.123Z", // fractional seconds (Rome reads them as milliseconds whatever
      // their length)
      "2026-01-10T08:00:00+0100",
      "2026-01-10 08:00:00Z",
      "2026-01-10t08:00:00Z",
      "2026-01-10T08:00Z",
      "2026-02-30T08:00:00Z",
      "1899-12-31T23:59:59Z", // before 1900
      "3000-01-01T00:00:00Z",
      "2026-01-10",
      "",
    };
    for (String other : others) {
      assertThat(StrictDates.parse(other)).as(other).isNull();
    }
    assertThat(StrictDates.parse(null)).isNull();
  }

  /** Strings Rome reads as written: their fields are in range, whatever mask reads them. */
  @Test
  void shouldFindFieldsInRangeInEveryShapeRomeReadsAsWritten() {
    String[] valid = {
      "Sat, 10 Jan 2026 08:00:00 GMT",
      "Fri, 10 Jan 2026 08:00:00 GMT", // wrong weekday: Rome reads the date, so does the check
      "Sat, 10 Jan 2026 08:00 GMT",
      "10 Jan 2026 08:00:00 +0100",
      "Sat, 10 jan 26 23:59:59 EST",
      "10 January 2026 00:00 GMT",
      "Tue, 29 Feb 2028 08:00:00 GMT", // leap year
      "29 Feb 00 08:00:00 GMT", // 2000, a leap year
      "Sat, 31 Dec 2026 23:59:59 GMT",
      "2026-01-10T08:00:00.123Z",
      "2026-01-10T08:00:00+05:30",
      "2026-01-10T08:00Z",
      "2028-02-29T23:59:59Z",
      "2026-01-10",
      "2026-12",
      "2026",
    };
    for (String sample : valid) {
      assertThat(DateParser.parseDate(sample, Locale.US)).as(sample).isNotNull();
      assertThat(StrictDates.fieldsInRange(sample)).as(sample).isTrue();
    }
    assertThat(StrictDates.fieldsInRange(null)).isTrue();
  }

  /** Strings Rome reads by rolling a field over (31 November as 1 December): out of range. */
  @Test
  void shouldFindImpossibleFieldsRomeWouldRollOver() {
    String[] impossible = {
      "Tue, 31 Nov 2026 08:00:00 GMT",
      "Mon, 30 Feb 2026 08:00:00 GMT", // 2026 is not a leap year
      "Sun, 29 Feb 2026 08:00:00 +0100",
      "Thu, 32 Dec 2026 08:00:00 GMT",
      "Thu, 31 Dec 2026 25:61:00 GMT",
      "Thu, 31 Dec 2026 24:00:00 GMT",
      "Thu, 31 Dec 2026 08:60:00 GMT",
      "Thu, 31 Dec 2026 23:59:60 GMT", // a leap second: Rome reads the next minute
      "Sat, 0 Jan 2026 08:00:00 GMT",
      "Tue, 31 Nov 2026 08:00 GMT", // no seconds: a mask StrictDates does not read
      "31 nov 26 08:00 EST",
      "31 November 2026 08:00:00 GMT",
      "29 Feb 27 08:00:00 GMT",
      "2026-11-31T08:00:00Z",
      "2026-02-29T08:00:00.500+01:00",
      "2026-13-01T08:00:00Z",
      "2026-00-10T08:00:00Z",
      "2026-11-30T24:00:00Z",
      "2026-12-31T23:59:60Z",
      "2026-11-30T08:75Z",
      "2026-11-31",
      "2026-13",
      "2026-11-1234567890",
      "1762161300", // a Unix time: Rome reads the year 1762161300
      "1762161300123",
      "20251103",
    };
    for (String sample : impossible) {
      assertThat(DateParser.parseDate(sample, Locale.US))
          .as("Rome rolls it over: " + sample)
          .isNotNull();
      assertThat(StrictDates.fieldsInRange(sample)).as(sample).isFalse();
      assertThat(StrictDates.parse(sample)).as(sample).isNull();
    }
  }

  @Test
  void shouldLeaveAYearAloneToRome() {
    assertThat(StrictDates.fieldsInRange("2026")).isTrue();
    assertThat(StrictDates.fieldsInRange(" 2026\n")).isTrue();
    assertThat(DateParser.parseDate("2026", Locale.US).toInstant())
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * Rome's {@code ss.SSS} reads the fraction's digits as a whole number of milliseconds and drops a
   * comma fraction: each of these is a date Rome reads, and reads wrong (second column).
   */
  @ParameterizedTest(name = "{0} read by Rome as {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          2026-11-30T08:00:00.123456Z       | 2026-11-30T08:02:03.456Z
          2026-11-30T08:00:00.123456789Z    | 2026-12-01T18:17:36.789Z
          2026-11-30T08:00:00.1234567890Z   | 2026-12-14T14:56:07.890Z
          2026-11-30T08:00:00.5Z            | 2026-11-30T08:00:00.005Z
          2026-11-30T08:00:00.50Z           | 2026-11-30T08:00:00.050Z
          2026-11-30T08:00:00.12Z           | 2026-11-30T08:00:00.012Z
          2026-11-30T08:00:00.123456+03:00  | 2026-11-30T05:02:03.456Z
          2026-11-30T08:00:00.5+03:00       | 2026-11-30T05:00:00.005Z
          2013-09-13T23:45:36.972031-05:00  | 2013-09-14T05:01:48.031Z
          2026-11-30T08:00:00,5Z            | 2026-11-30T08:00:00Z
          2026-11-30T08:00:00,123+03:00     | 2026-11-30T05:00:00Z
          """)
  void shouldNotTakeRomesReadingOfAFractionThatIsNotThreeDigitsAfterADot(
      String raw, String romeReading) {
    assertThat(DateParser.parseDate(raw, Locale.US).toInstant())
        .isEqualTo(Instant.parse(romeReading));
    assertThat(StrictDates.fractionReadAsWritten(raw)).isFalse();
    assertThat(StrictDates.parse(raw)).isNull();
  }

  @Test
  void shouldTakeRomesReadingOfThreeFractionDigitsOrNoFraction() {
    String[] asWritten = {
      "2026-11-30T08:00:00.123Z",
      "2026-11-30T08:00:00.500+03:00",
      "2026-11-30T08:00:00.000-05:00",
      "2026-11-30T08:00:00Z",
      "2026-11-30T08:00Z",
      "2026-11-30",
      "Mon, 30 Nov 2026 08:00:00 GMT",
      "Mon, 30 Nov 2026 08:00 +0300",
    };
    for (String sample : asWritten) {
      assertThat(StrictDates.fractionReadAsWritten(sample)).as(sample).isTrue();
    }
    assertThat(DateParser.parseDate("2026-11-30T08:00:00.123Z", Locale.US).toInstant())
        .isEqualTo(Instant.parse("2026-11-30T08:00:00.123Z"));
    assertThat(DateParser.parseDate("2026-11-30T08:00:00.500+03:00", Locale.US).toInstant())
        .isEqualTo(Instant.parse("2026-11-30T05:00:00.500Z"));
    assertThat(StrictDates.fractionReadAsWritten(null)).isTrue();
  }

  /**
   * A pubDate of one long run of digits made the day-month-year search read the rest of the run
   * from each of its digits: 40,000 digits took 15 s to check, a megabyte hours. It takes
   * milliseconds now; the bound only keeps a regression from hanging the build.
   */
  @ParameterizedTest
  @CsvSource({"'', false", "' Jan', true"})
  void shouldCheckALongRunOfDigitsInLinearTime(String after, boolean expected) {
    String raw = "1".repeat(200_000) + after;

    boolean inRange =
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> StrictDates.fieldsInRange(raw));

    // only digits: Rome would read them all as the year; with a word after them, no field is read
    assertThat(inRange).isEqualTo(expected);
  }
}
