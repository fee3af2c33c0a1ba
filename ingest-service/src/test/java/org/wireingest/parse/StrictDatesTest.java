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
}
