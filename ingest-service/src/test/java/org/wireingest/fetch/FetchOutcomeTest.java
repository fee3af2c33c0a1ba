package org.wireingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FetchOutcomeTest {

  @Test
  void shouldGiveLowerCaseDashCodes() {
    assertThat(FetchOutcome.TOO_MANY_REQUESTS.code()).isEqualTo("too-many-requests");
    assertThat(FetchOutcome.OK.code()).isEqualTo("ok");
    assertThat(FetchOutcome.NOT_MODIFIED.code()).isEqualTo("not-modified");
  }

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
    "200, OK",
    "203, OK",
    "204, OK",
    "304, NOT_MODIFIED",
    "401, UNAUTHORIZED",
    "403, UNAUTHORIZED",
    "404, NOT_FOUND",
    "410, NOT_FOUND",
    "429, TOO_MANY_REQUESTS",
    "400, CLIENT_ERROR",
    "451, CLIENT_ERROR",
    "500, SERVER_ERROR",
    "503, SERVER_ERROR",
    "599, SERVER_ERROR",
    "100, IO_ERROR",
    "300, IO_ERROR",
    "302, IO_ERROR",
    "600, IO_ERROR"
  })
  void shouldClassifyStatus(int status, FetchOutcome expected) {
    assertThat(FetchOutcome.forStatus(status)).isEqualTo(expected);
  }
}
