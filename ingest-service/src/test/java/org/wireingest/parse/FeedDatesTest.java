package org.wireingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FeedDatesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # RFC 822 / RFC 1123
          Sat, 07 Sep 2002 00:00:01 GMT        | 2002-09-07T00:00:01Z
          Sat, 07 Sep 2002 00:00:01 UT         | 2002-09-07T00:00:01Z
          Sat, 07 Sep 2002 00:00:01 UTC        | 2002-09-07T00:00:01Z
          Tue, 15 Nov 2022 20:15:04 Z          | 2022-11-15T20:15:04Z
          Sat, 23 Jun 2018 15:39 GMT           | 2018-06-23T15:39:00Z
          07 Sep 2002 00:00:01 GMT             | 2002-09-07T00:00:01Z
          Thu, 5 Jan 2017 08:03:00 +0000       | 2017-01-05T08:03:00Z
          Mon, 03 Nov 2025 09:15:00 +0100      | 2025-11-03T08:15:00Z
          Mon, 03 Nov 2025 09:15:00 +01:00     | 2025-11-03T08:15:00Z
          Mon, 03 Nov 2025 09:15:00 -0330      | 2025-11-03T12:45:00Z
          Mon, 03 Nov 2025 09:15:00 EST        | 2025-11-03T14:15:00Z
          Mon, 03 Nov 2025 09:15:00 EDT        | 2025-11-03T13:15:00Z
          Mon, 03 Nov 2025 09:15:00 CST        | 2025-11-03T15:15:00Z
          Mon, 03 Nov 2025 09:15:00 CDT        | 2025-11-03T14:15:00Z
          Mon, 03 Nov 2025 09:15:00 MST        | 2025-11-03T16:15:00Z
          Mon, 03 Nov 2025 09:15:00 MDT        | 2025-11-03T15:15:00Z
          Mon, 03 Nov 2025 09:15:00 PST        | 2025-11-03T17:15:00Z
          Mon, 03 Nov 2025 09:15:00 PDT        | 2025-11-03T16:15:00Z
          Mon, 03 Nov 2025 09:15:00 CET        | 2025-11-03T08:15:00Z
          Mon, 03 Nov 2025 09:15:00 CEST       | 2025-11-03T07:15:00Z
          mon, 03 nov 2025 09:15:00 gmt        | 2025-11-03T09:15:00Z
          Mon, 03 Nov 2025 09:15:00            | 2025-11-03T09:15:00Z
          Monday, 03 November 2025 09:15 GMT   | 2025-11-03T09:15:00Z
          Mon, 03 Nov 25 09:15:00 GMT          | 2025-11-03T09:15:00Z
          Fri, 31 Dec 99 23:59:59 GMT          | 1999-12-31T23:59:59Z
          '  Mon,  03 Nov 2025  09:15:00  GMT '| 2025-11-03T09:15:00Z
          Sat, Dec 16 2023 02:02:33 PM         | 2023-12-16T14:02:33Z
          Sat, Dec 16 2023 12:02 AM EST        | 2023-12-16T05:02:00Z
          Sat, 07 Sept 2002 00:00:01 GMT       | 2002-09-07T00:00:01Z
          Sat, 07 Sept. 2002 00:00:01 GMT      | 2002-09-07T00:00:01Z
          Sat, 07 Sep 2002                     | 2002-09-07T00:00:00Z
          Tue, 29 Feb 2028 08:00:00 GMT        | 2028-02-29T08:00:00Z
          2028-02-29T08:00:00Z                 | 2028-02-29T08:00:00Z
          # offsets and zones written oddly
          Mon, 03 Nov 2025 09:15:00 +01        | 2025-11-03T08:15:00Z
          Mon, 03 Nov 2025 09:15:00 GMT+3      | 2025-11-03T06:15:00Z
          Mon, 03 Nov 2025 09:15:00 UTC+03:00  | 2025-11-03T06:15:00Z
          Mon, 03 Nov 2025 09:15:00 GMT-0330   | 2025-11-03T12:45:00Z
          Mon, 03 Nov 2025 09:15:00 MESZ       | 2025-11-03T07:15:00Z
          Mon, 03 Nov 2025 09:15:00 MEZ        | 2025-11-03T08:15:00Z
          Mon, 03 Nov 2025 09:15:00 TRT        | 2025-11-03T06:15:00Z
          Mon, 03 Nov 2025 09:15:00 EEST       | 2025-11-03T06:15:00Z
          Mon, 03 Nov 2025 09:15:00 BST        | 2025-11-03T08:15:00Z
          # an RFC 5322 comment after the zone (section 3.2.2), ignored
          Mon, 30 Nov 2026 11:00:00 +0300 (TRT)          | 2026-11-30T08:00:00Z
          Mon, 30 Nov 2026 11:00:00 +0300(TRT)           | 2026-11-30T08:00:00Z
          Mon, 30 Nov 2026 03:00:00 -0500 (EST)          | 2026-11-30T08:00:00Z
          Mon, 30 Nov 2026 08:00:00 GMT (Greenwich Mean Time) | 2026-11-30T08:00:00Z
          Mon, 30 Nov 2026 08:00:00 +0000 (a \\) quoted) | 2026-11-30T08:00:00Z
          Mon, 30 Nov 2026 11:00 +0300 ()                | 2026-11-30T08:00:00Z
          # German, Turkish, Portuguese, French, Spanish, Italian
          Mo, 30 Nov 2026 08:00:00 +0100       | 2026-11-30T07:00:00Z
          Do, 01 Okt 2026 08:00:00 MESZ        | 2026-10-01T06:00:00Z
          Mi, 04 März 2026 08:00:00 +0100      | 2026-03-04T07:00:00Z
          Mi, 04 Mär 2026 08:00:00 +0100       | 2026-03-04T07:00:00Z
          Di, 15 Dez. 2026 10:30 +0100         | 2026-12-15T09:30:00Z
          Pzt, 30 Kas 2026 08:00:00 +0300      | 2026-11-30T05:00:00Z
          Çar, 12 Ağu 2026 14:00:00 TRT        | 2026-08-12T11:00:00Z
          Cum, 12 Agu 2026 14:00:00 +0300      | 2026-08-12T11:00:00Z
          30 Kasım 2026 Pazartesi 08:00        | 2026-11-30T08:00:00Z
          30 Kasım 2026 Pazartesi 08:00 TRT    | 2026-11-30T05:00:00Z
          Seg, 30 Nov 2026                     | 2026-11-30T00:00:00Z
          Seg, 24 Set 2018 19:42:40 -0300      | 2018-09-24T22:42:40Z
          Sáb, 05 Dez 2026 10:00:00 -0300      | 2026-12-05T13:00:00Z
          lun., 30 nov. 2026 08:00:00 +0100    | 2026-11-30T07:00:00Z
          mar., 10 févr. 2026 08:00:00 +0100   | 2026-02-10T07:00:00Z
          ven., 17 juil. 2026 08:00:00 +0200   | 2026-07-17T06:00:00Z
          sam., 15 août 2026 08:00:00 +0200    | 2026-08-15T06:00:00Z
          Lun, 12 Ene 2026 08:00:00 +0100      | 2026-01-12T07:00:00Z
          Jue, 31 Dic 2026 23:00:00 +0100      | 2026-12-31T22:00:00Z
          mer, 14 ott 2026 08:00:00 +0200      | 2026-10-14T06:00:00Z
          gio, 07 gen 2026 08:00:00 +0100      | 2026-01-07T07:00:00Z
          venerdì, 5 giugno 2026 08:00 +0200   | 2026-06-05T06:00:00Z
          # RFC 3339 / ISO-8601
          2025-11-03T09:15:00Z                 | 2025-11-03T09:15:00Z
          2025-11-03t09:15:00z                 | 2025-11-03T09:15:00Z
          2025-11-03T09:15:00.123Z             | 2025-11-03T09:15:00.123Z
          2025-11-03T09:15:00.123456789+02:00  | 2025-11-03T07:15:00.123456789Z
          2025-11-03T09:15:00+0200             | 2025-11-03T07:15:00Z
          2025-11-03T09:15:00+02               | 2025-11-03T07:15:00Z
          2025-11-03T09:15:00-05:00            | 2025-11-03T14:15:00Z
          2025-11-03T09:15:00                  | 2025-11-03T09:15:00Z
          2025-11-03T09:15                     | 2025-11-03T09:15:00Z
          2025-11-03 09:15:00                  | 2025-11-03T09:15:00Z
          2025-11-03 09:15:00 +01:00           | 2025-11-03T08:15:00Z
          2025-11-03                           | 2025-11-03T00:00:00Z
          # fractions of a second: any number of digits, a decimal fraction (Rome's DateParser read
          # .123456 as 123456 ms, 2 min 3.456 s late, and .5 as 5 ms); past nine digits truncated
          2026-11-30T08:00:00.123456Z          | 2026-11-30T08:00:00.123456Z
          2026-11-30T08:00:00.123456789Z       | 2026-11-30T08:00:00.123456789Z
          2026-11-30T08:00:00.5Z               | 2026-11-30T08:00:00.500Z
          2026-11-30T08:00:00.12Z              | 2026-11-30T08:00:00.120Z
          2026-11-30T08:00:00.123456+03:00     | 2026-11-30T05:00:00.123456Z
          2026-11-30T08:00:00.5+03:00          | 2026-11-30T05:00:00.500Z
          2013-09-13T23:45:36.972031-05:00     | 2013-09-14T04:45:36.972031Z
          2026-11-30T08:00:00,5Z               | 2026-11-30T08:00:00.500Z
          2026-11-30 08:00:00.123456           | 2026-11-30T08:00:00.123456Z
          2026-11-30T08:00:00.1234567891Z      | 2026-11-30T08:00:00.123456789Z
          2026-11-30T23:59:59.99999999999Z     | 2026-11-30T23:59:59.999999999Z
          Mon, 30 Nov 2026 08:00:00.123456 GMT | 2026-11-30T08:00:00.123456Z
          Mon, 30 Nov 2026 08:00:00.5 +0300    | 2026-11-30T05:00:00.500Z
          # a named zone after an ISO-8601 time (Rome read .5GMT as 5 ms)
          2026-11-30T08:00:00.5GMT             | 2026-11-30T08:00:00.500Z
          2026-11-30T08:00:00.123456 UTC       | 2026-11-30T08:00:00.123456Z
          2026-11-30T08:00:00.123456EST        | 2026-11-30T13:00:00.123456Z
          2026-11-30T08:00:00 TRT              | 2026-11-30T05:00:00Z
          """)
  void shouldParseToExactInstant(String raw, String expected) {
    assertThat(FeedDates.parse(raw)).contains(Instant.parse(expected));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "   ",
        "yesterday",
        "Mon, 03 Jui 2025 09:15:00 GMT",
        "Mon, 03 Nov 2025 09:15:00 IST",
        "Mon, 03 Nov 2025 09:15:00 XYZ",
        "Mon, 32 Nov 2025 09:15:00 GMT",
        "Sat, 30 Feb 2025 09:15:00 GMT",
        "2025-13-03T09:15:00Z",
        "2025-11-03T25:15:00Z",
        "Sat, Dec 16 2023 13:02:33 PM",
        "2025-11-03T09:15:00Z trailing",
        "2025-11-03T09:15:00 trailing",
        "2025-11-03T09:15:00.5 IST",
        "2025-11-03T09:15:00 XYZ",
        // impossible dates, which Rome's lenient parser rolls over
        "Tue, 31 Nov 2026 08:00:00 GMT",
        "Tue, 31 Nov 2026 08:00 GMT",
        "Mon, 30 Feb 2026 08:00:00 GMT",
        "Sun, 29 Feb 2026 08:00:00 GMT",
        "Thu, 32 Dec 2026 25:61:00 GMT",
        "Thu, 31 Dec 2026 25:61:00 GMT",
        "Thu, 31 Dec 2026 23:59:61 GMT",
        // second 60 where no leap second is: only after 23:59:59 UTC
        "Thu, 31 Dec 2026 12:34:60 GMT",
        "Thu, 31 Dec 2026 23:59:60 +0300",
        "2026-11-31T08:00:00Z",
        "2026-11-31",
        "2026-11-30T24:00:00Z",
        "2026-12-31T12:34:60Z",
        "2026-12-31T23:59:60+03:00",
        "2026-12-31T23:58:60Z",
        // a comment only after an RFC 822 zone, and nothing but a comment
        "Mon, 30 Nov 2026 11:00:00 +0300 (TRT) trailing",
        "Mon, 30 Nov 2026 11:00:00 +0300 trailing",
        "Mon, 30 Nov 2026 11:00:00 +0300 (TRT",
        "Mon, 30 Nov 2026 11:00:00 +0300 (TRT) (Istanbul)",
        "Mon, 30 Nov 2026 11:00:00 +0300 (a (nested) comment)",
        "Mon, 30 Nov 2026 11:00:00 (TRT)",
        "2026-11-30T11:00:00+03:00 (TRT)"
      })
  void shouldGiveEmptyForUnparseableInput(String raw) {
    assertThat(FeedDates.parse(raw)).isEmpty();
  }

  /**
   * A leap second (RFC 3339 §5.6-5.7, RFC 5322 §3.3) is the second before it, as Instant.parse
   * reads it; it only ever follows 23:59:59 UTC, so an offset moves where it may be written.
   */
  @ParameterizedTest
  @CsvSource({
    "2016-12-31T23:59:60Z, 2016-12-31T23:59:59Z",
    "2016-12-31T23:59:60.5Z, 2016-12-31T23:59:59.500Z",
    "'2016-12-31T23:59:60,25Z', 2016-12-31T23:59:59.250Z",
    "2017-01-01T02:59:60+03:00, 2016-12-31T23:59:59Z",
    "2016-12-31T18:59:60-0500, 2016-12-31T23:59:59Z",
    "2016-12-31T23:59:60, 2016-12-31T23:59:59Z",
    "'Sat, 31 Dec 2016 23:59:60 GMT', 2016-12-31T23:59:59Z",
    "'Sun, 01 Jan 2017 02:59:60 +0300', 2016-12-31T23:59:59Z",
    "'Jul 1, 2015 01:59:60 AM GMT+2', 2015-06-30T23:59:59Z",
    "'30 Haziran 2015 23:59:60 UTC', 2015-06-30T23:59:59Z"
  })
  void shouldReadALeapSecondAsTheSecondBefore(String raw, String expected) {
    assertThat(FeedDates.parse(raw)).contains(Instant.parse(expected));
  }

  /** A Unix time, as PHP's time() (seconds) and JavaScript's Date.now() (milliseconds) give it. */
  @ParameterizedTest
  @CsvSource({
    "1762161300, 2025-11-03T09:15:00Z",
    "' 1762161300 ', 2025-11-03T09:15:00Z",
    "1762161300123, 2025-11-03T09:15:00.123Z",
    "999999999, 2001-09-09T01:46:39Z",
    "100000000, 1973-03-03T09:46:40Z",
    "9999999999, 2286-11-20T17:46:39Z"
  })
  void shouldReadAUnixTime(String raw, String expected) {
    assertThat(FeedDates.parse(raw)).contains(Instant.parse(expected));
    assertThat(FeedDates.statesNoZone(raw)).isFalse();
  }

  /** Runs of digits that are no Unix time this reads: ISO 8601's basic date, too short or long. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "20251103",
        "12345678",
        "17621613001",
        "176216130012",
        "17621613001234",
        "-1762161300",
        "+1762161300",
        "1762161300.5",
        "1762161300 GMT",
        "１７６２１６１３００"
      })
  void shouldNotReadOtherDigitsAsAUnixTime(String raw) {
    assertThat(FeedDates.parse(raw)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "'Sun, 17 Dec 2023 00:58:40 -0500', -05:00",
    "'Sat, 07 Sep 2002 00:00:01 GMT', Z",
    "'Tue, 15 Nov 2022 20:15:04 Z', Z",
    "'Mon, 30 Nov 2026 08:00:00 EST', -05:00",
    "'30 Kasım 2026 Pazartesi 08:00 GMT+3', +03:00",
    "'Sat, Dec 16 2023 02:02:33 PM EDT', -04:00",
    "2026-11-30T08:00:00+05:30, +05:30",
    "2026-11-30T08:00:00.5 CEST, +02:00",
    "2026-11-30T08:00:00z, Z",
    "'Mon, 30 Nov 2026 11:00:00 +0300 (TRT)', +03:00"
  })
  void shouldTellTheOffsetADateStates(String raw, String offset) {
    assertThat(FeedDates.statedOffset(raw)).contains(ZoneOffset.of(offset));
    assertThat(FeedDates.statesNoZone(raw)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Sat, Dec 16 2023 02:02:33 PM",
        "Sat, 16 Dec 2023 14:02:33",
        "2026-11-30T08:00:00",
        "2026-11-30 08:00",
        "2026-11-30"
      })
  void shouldTellADateThatStatesNoZone(String raw) {
    assertThat(FeedDates.statesNoZone(raw)).isTrue();
    assertThat(FeedDates.statedOffset(raw)).isEmpty();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"soon", "Tue, 31 Nov 2026 08:00:00 GMT", "2025-11-03T09:15:00 XYZ"})
  void shouldNeitherStateAZoneNorLackOneWhenNoDate(String raw) {
    assertThat(FeedDates.statesNoZone(raw)).isFalse();
    assertThat(FeedDates.statedOffset(raw)).isEmpty();
  }
}
