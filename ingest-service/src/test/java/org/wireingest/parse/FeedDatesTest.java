package org.wireingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FeedDatesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock = """
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
        "Seg, 24 Set 2018 19:42:40 -0300",
        "Mon, 03 Nov 2025 09:15:00 XYZ",
        "Mon, 32 Nov 2025 09:15:00 GMT",
        "Sat, 30 Feb 2025 09:15:00 GMT",
        "2025-13-03T09:15:00Z",
        "2025-11-03T25:15:00Z",
        "Sat, Dec 16 2023 13:02:33 PM",
        "2025-11-03T09:15:00Z trailing"
      })
  void shouldGiveEmptyForUnparseableInput(String raw) {
    assertThat(FeedDates.parse(raw)).isEmpty();
  }
}
