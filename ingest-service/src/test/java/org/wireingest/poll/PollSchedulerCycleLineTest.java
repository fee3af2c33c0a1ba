package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.wireingest.model.FeedState;

/**
 * The poll-cycle log line. Found in a newcomer's test: it read "4 polls in the last 60s, 0 failed,
 * 1 raw items published"; one poll and one raw item now take the singular, as check-feed's and
 * story's counts do. Found in a broker outage: it read "poll cycle: 4 polls in the last 60s, 4
 * failed, 0 raw items published" and nothing said why: each failure's class was only in the
 * per-feed WARN lines.
 */
class PollSchedulerCycleLineTest {

  @Test
  void shouldCountOneRawItemAndOnePollInTheSingular() {
    assertThat(line(ok("a", 1), ok("b", 0), ok("c", 0), ok("d", 0)))
        .isEqualTo("poll cycle: 4 polls in the last 60s, 0 failed, 1 raw item published");
    assertThat(line(failed("a", "timeout", "read timed out after 30s")))
        .startsWith(
            "poll cycle: 1 poll in the last 60s, 1 failed (1 timeout), 0 raw items published");
    assertThat(new PollCycle().line(60))
        .isEqualTo("poll cycle: 0 polls in the last 60s, 0 failed, 0 raw items published");
  }

  @Test
  void shouldSayOnceWhyPublishingFailedInABrokerOutage() {
    String line =
        line(
            failed(
                "a",
                "publish-error",
                "feed state not stored: could not write feed state of a: TimeoutException: Topic wire.feed-state.v1 not present in metadata after 60000 ms."),
            failed("b", "timeout", "read timed out after 30s"),
            failed(
                "c",
                "publish-error",
                "could not write raw items of c: no acknowledgement within 60s"),
            ok("d", 2));

    assertThat(line)
        .isEqualTo(
            "poll cycle: 4 polls in the last 60s, 3 failed (2 publish-error, 1 timeout), 2 raw items"
                + " published; the last publish-error, feed c: could not write raw items of c: no"
                + " acknowledgement within 60s");
  }

  @Test
  void shouldNameTheFirstClassByNameWhenTwoFailedAsOften() {
    assertThat(line(failed("a", "timeout", "slow"), failed("b", "not-found", "HTTP 404")))
        .isEqualTo(
            "poll cycle: 2 polls in the last 60s, 2 failed (1 not-found, 1 timeout), 0 raw items"
                + " published; the last not-found, feed b: HTTP 404");
  }

  @Test
  void shouldQuoteALongFailureOnOneShortLine() {
    String line = line(failed("a", "publish-error", "x".repeat(5000) + "\nforged line"));

    assertThat(line).doesNotContain("\n").contains("…(5012 characters)");
    assertThat(line.length()).isLessThan(PollCycle.MAX_WHY_CHARS + 200);
  }

  private static String line(PollResult... results) {
    PollCycle cycle = new PollCycle();
    for (PollResult r : results) {
      cycle.add(r);
    }
    return cycle.line(60);
  }

  private static PollResult ok(String id, int published) {
    return new PollResult(
        id,
        PollResult.Outcome.OK,
        "ok",
        null,
        published,
        published,
        10,
        5,
        FeedState.initial(id, "file:/x"));
  }

  private static PollResult failed(String id, String code, String message) {
    return new PollResult(
        id, PollResult.Outcome.FAILED, code, message, 0, 0, 0, 5, FeedState.initial(id, "file:/x"));
  }
}
