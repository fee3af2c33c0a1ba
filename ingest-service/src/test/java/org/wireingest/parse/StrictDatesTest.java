package org.wireingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.rometools.rome.io.impl.DateParser;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StrictDatesTest {

  private static final DateTimeFormatter RFC_1123_ZERO_PADDED = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss", Locale.US);
  private static final DateTimeFormatter RFC_1123_ONE_DIGIT_DAY = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss", Locale.US);
  private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);

  /** The contract: for every string it reads, StrictDates gives what Rome gives. */
  @Test
  void shouldReadCommonShapesExactlyAsRomeDoes() {
    Random random = new Random(20261130L);
    int[] offsetMinutes = {0, 60, 120, 180, 330, 345, -300, -240, -480, 600, 765, -570};
    for (int n = 0; n < 3000; n++) {
      Instant instant = Instant.ofEpochSecond(631152000L + (long) (random.nextDouble() * 1_600_000_000L));
      ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetMinutes[random.nextInt(offsetMinutes.length)] * 60);
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
        assertThat(StrictDates.parse(sample)).as(sample).isEqualTo(instant).isEqualTo(DateParser.parseDate(sample, Locale.US).toInstant());
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
      "2026-01-10T08:00:00.123Z", // fractional seconds (Rome reads them as milliseconds whatever their length)
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
      "Thu, 31 Dec 2026 23:59:60 GMT", // a leap second: not read (see fieldsInRange)
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
    };
    for (String sample : impossible) {
      assertThat(DateParser.parseDate(sample, Locale.US)).as("Rome rolls it over: " + sample).isNotNull();
      assertThat(StrictDates.fieldsInRange(sample)).as(sample).isFalse();
      assertThat(StrictDates.parse(sample)).as(sample).isNull();
    }
  }
}
