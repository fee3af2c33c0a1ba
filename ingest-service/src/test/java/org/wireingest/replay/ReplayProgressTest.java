package org.wireingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayProgressTest {

  private final AtomicLong nanos = new AtomicLong();
  private final List<String> lines = new ArrayList<>();

  private ReplayProgress progress(long total) {
    return new ReplayProgress("replay", total, nanos::get, Duration.ofMillis(250), lines::add);
  }

  @Test
  void shouldShowCountPercentageRateAndEta() {
    assertThat(ReplayProgress.line("replay", 12_345, 50_000, Duration.ofSeconds(5)))
        .isEqualTo("replay: 12,345 / 50,000 records (24.7 %), 2,469 records/s, ETA 16s");
  }

  @Test
  void shouldShowNoPercentageWhenTheTotalIsUnknown() {
    assertThat(ReplayProgress.line("replay", 10, 0, Duration.ofSeconds(1)))
        .isEqualTo("replay: 10 records, 10 records/s");
  }

  @Test
  void shouldPrintAtMostOnceInAnInterval() {
    ReplayProgress p = progress(100);
    for (int i = 0; i < 10; i++) {
      nanos.addAndGet(Duration.ofMillis(100).toNanos());
      p.advance();
    }

    assertThat(lines).hasSize(3).allMatch(l -> l.startsWith("\r"));
  }

  @Test
  void shouldEndItsLineWhenFinishedAfterPrinting() {
    ReplayProgress p = progress(1);
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    p.advance();

    p.finish();

    assertThat(lines.get(lines.size() - 1)).endsWith(System.lineSeparator());
  }

  @Test
  void shouldPrintNothingForAReplayShorterThanTheInterval() {
    ReplayProgress p = progress(2);
    p.advance();
    p.advance();

    p.finish();

    assertThat(lines).isEmpty();
  }

  @Test
  void shouldBlankWhatAShorterLineDoesNotOverwrite() {
    ReplayProgress p = progress(100_000);
    for (int i = 0; i < 1_000; i++) {
      p.advance();
    }
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    p.advance();
    for (int i = 0; i < 998; i++) {
      p.advance();
    }
    nanos.addAndGet(Duration.ofSeconds(99).toNanos());
    p.advance();

    assertThat(lines)
        .containsExactly(
            "\rreplay: 1,001 / 100,000 records (1.0 %), 1,001 records/s, ETA 1m39s",
            "\rreplay: 2,000 / 100,000 records (2.0 %), 20 records/s, ETA 1h21m   ");
    p.finish();
    assertThat(lines.get(2))
        .isEqualTo(
            "\rreplay: 2,000 / 100,000 records (2.0 %), 20 records/s, ETA 1h21m"
                + System.lineSeparator());
  }
}
