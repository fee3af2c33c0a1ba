package org.wireingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The summary lines of {@code replay} and {@code replay --reparse} about {@code --source} ids
 * without records.
 */
class ReplaySummaryTest {

  private static ArticleReplayJob.Summary replay(boolean interrupted) {
    return new ArticleReplayJob.Summary(
        55,
        40,
        30,
        2,
        8,
        0,
        "wire.articles.replay.t",
        false,
        Set.of("dw-en", "aa-en"),
        interrupted,
        false);
  }

  private static ReparseJob.Summary reparse(boolean interrupted) {
    return new ReparseJob.Summary(
        12,
        12,
        10,
        Map.of(),
        0,
        0,
        25,
        "wire.raw-items.reparse.t",
        false,
        Set.of("dw-en", "aa-en"),
        Set.of(),
        Set.of(),
        true,
        interrupted);
  }

  @Test
  void shouldNameTheSourcesWithoutARecordInTheWholeRange() {
    assertThat(replay(false).line())
        .endsWith(
            " | target topic: wire.articles.replay.t | no record of source(s) aa-en, dw-en in the range (check --source)");
    assertThat(reparse(false).line())
        .endsWith(
            " | target topic: wire.raw-items.reparse.t | no record of source(s) aa-en, dw-en in the range (check --source)");
  }

  // Found in session 20: a replay stopped by Ctrl-C said these sources had no record "in the range"
  // and to check
  // --source, though their records may be in the part it never read.
  @Test
  void shouldClaimOnlyThePartReadWhenInterrupted() {
    for (String line : new String[] {replay(true).line(), reparse(true).line()}) {
      assertThat(line)
          .contains(
              " | no record of source(s) aa-en, dw-en in the part read | INTERRUPTED before the end of the range")
          .doesNotContain("in the range (check --source)");
    }
  }

  // Found in a new-user test: a replay stopped before its first write said the target topic was
  // not created, then advised deleting it. And in a replay test: one stopped by Ctrl-C while its
  // broker started said "nothing to write", as of an empty range, though it had read nothing.
  @Test
  void shouldNotAdviseDeletingATargetThatWasNeverCreated() {
    String line =
        new ArticleReplayJob.Summary(0, 0, 0, 0, 0, 0, "rp.3", false, Set.of(), true, true).line();

    assertThat(line)
        .endsWith(
            "nothing written yet to rp.3 (not created when missing) | INTERRUPTED before the end of the range");
    assertThat(
            new ArticleReplayJob.Summary(0, 0, 0, 0, 0, 0, "rp.4", false, Set.of(), false, true)
                .line())
        .endsWith("nothing to write to rp.4 (not created when missing)");
    assertThat(replay(true).line())
        .contains(
            "INTERRUPTED before the end of the range: the target holds what the records replayed so far gave");
  }

  // Found attacking replay: a SIGTERM 8 s into a replay of 10,000 raw items printed "records
  // read: 8500 | raw records replayed: 773 | ... | INTERRUPTED ...: the target holds what was read
  // so far", though the target held the events of the 773 only: the other records read were still
  // waiting in the merge for another partition's, and were never handed to the rules.
  @Test
  void shouldNotClaimTheTargetHoldsEveryRecordReadAfterAStop() {
    String line =
        new ArticleReplayJob.Summary(8500, 773, 773, 0, 0, 0, "rp.7", false, Set.of(), true, false)
            .line();

    assertThat(line)
        .contains("records read: 8500 | raw records replayed: 773")
        .contains("the target holds what the records replayed so far gave, not every record read")
        .doesNotContain("what was read so far");
  }

  // The replay said "nothing to write, target topic T not created" and
  // the reparse "nothing written to T (not created when missing)", for the same outcome.
  @Test
  void shouldSayAReparseWroteNothingInTheReplaysWords() {
    ReparseJob.Summary nothing =
        new ReparseJob.Summary(
            3, 3, 0, Map.of(), 0, 0, 0, "rp.5", false, Set.of(), Set.of(), Set.of(), true, false);
    ReparseJob.Summary stopped =
        new ReparseJob.Summary(
            3, 3, 0, Map.of(), 0, 0, 0, "rp.6", false, Set.of(), Set.of(), Set.of(), true, true);

    assertThat(nothing.line()).endsWith(" | nothing to write to rp.5 (not created when missing)");
    assertThat(stopped.line())
        .endsWith(
            " | nothing written yet to rp.6 (not created when missing) | INTERRUPTED before the end of the range");
  }

  @Test
  void shouldCountTheSourcesWhoseBodiesCameFromAnotherUrlThanListed() {
    ReparseJob.Summary moved =
        new ReparseJob.Summary(
            5,
            5,
            4,
            Map.of(),
            0,
            0,
            9,
            "rp.7",
            false,
            Set.of(),
            Set.of(),
            Set.of("dw-en", "aa-en"),
            true,
            false);

    assertThat(moved.line())
        .startsWith(
            "replay --reparse: records read: 5 | fetch-log records replayed: 5 | bodies re-parsed: 4 | sources at another URL: 2 | parse failed: 0 |");
    assertThat(reparse(false).line()).contains("| sources at another URL: 0 |");
  }

  // The count is of skipped fetch-log records, as the counts beside it are; it read "source not in
  // feeds list: 7" for one source polled seven times.
  @Test
  void shouldCallTheSkippedFetchesOfUnlistedSourcesFetches() {
    ReparseJob.Summary unlisted =
        new ReparseJob.Summary(
            9,
            9,
            2,
            Map.of(Reparser.Reason.UNKNOWN_SOURCE, 7L),
            0,
            0,
            4,
            "rp.8",
            false,
            Set.of(),
            Set.of("gone-feed"),
            Set.of(),
            true,
            false);

    assertThat(unlisted.line()).contains("| fetches of sources not in feeds list: 7 |");
  }
}
