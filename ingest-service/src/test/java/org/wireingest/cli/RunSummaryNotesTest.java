package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wireingest.model.FeedState;
import org.wireingest.poll.PollResult;
import org.wireingest.poll.PollResult.Outcome;

/**
 * Found in a new-user test: {@code run --once}, the cron path, said "ok" for a feed whose documents
 * came cut off and for one whose URL had moved; only a WARN on stderr told. The summary names both.
 */
class RunSummaryNotesTest {

  private static final Instant SINCE = Instant.parse("2026-12-04T14:08:07Z");

  private static PollResult ok(String id, FeedState state) {
    return new PollResult(id, Outcome.OK, "ok", null, 2, 2, 100, 5, state, 3, null);
  }

  private static FeedState state(String id) {
    return FeedState.initial(id, "https://example.org/" + id + ".xml");
  }

  @Test
  void shouldNameATruncatedFeedAndAMovedOne() {
    FeedState moved =
        FeedState.initial("moved", "https://example.org/moved.xml").toBuilder()
            .lastFetchAt(SINCE)
            .lastSuccessAt(SINCE)
            .lastNewEntryAt(SINCE)
            .nextPollAt(SINCE)
            .movedTo("https://feeds.example.org/moved.xml")
            .movedSince(SINCE)
            .build();

    List<String> notes =
        RunCommand.feedNotes(
            List.of(
                ok("whole", state("whole")),
                ok("cut", state("cut").withTruncatedSince(SINCE)),
                ok("moved", moved)));

    assertThat(notes)
        .containsExactly(
            "truncated feed cut: its document ends before its last element is closed (since"
                + " 2026-12-04T14:08:07Z); its complete entries were read, anything past the cut is"
                + " lost",
            "moved feed moved: its URL has moved permanently (301 / 308) to"
                + " https://feeds.example.org/moved.xml; give the new URL in the feeds list");
  }

  @Test
  void shouldLeaveAFailedPollToItsFailureLine() {
    PollResult failed =
        new PollResult(
            "cut",
            Outcome.FAILED,
            "timeout",
            "no response",
            0,
            0,
            0,
            5,
            state("cut").withTruncatedSince(SINCE),
            3,
            null);

    assertThat(RunCommand.feedNotes(List.of(failed))).isEmpty();
  }
}
