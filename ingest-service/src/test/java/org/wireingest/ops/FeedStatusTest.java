package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.fetch.Redaction;
import org.wireingest.model.FeedState;

class FeedStatusTest {

  static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
  static final FeedSource SOURCE =
      TestFeeds.from(OpsFeeds.TRT_WORLD)
          .url("https://user:pw@www.trtworld.com/feed/rss.xml?api_key=s3cret")
          .build();

  static FeedState state(Instant lastSuccess, Instant lastNew, int errors, String lastError) {
    return FeedState.initial("trtworld-main", Redaction.url(SOURCE.url())).toBuilder()
        .lastFetchAt(NOW.minusSeconds(30))
        .lastSuccessAt(lastSuccess)
        .lastNewEntryAt(lastNew)
        .consecutiveErrors(errors)
        .lastError(lastError)
        .nextPollAt(NOW.plusSeconds(90))
        .build();
  }

  @Test
  void shouldBePendingBeforeTheFirstFetch() {
    assertThat(FeedStatus.stateOf(SOURCE, null, NOW)).isEqualTo(FeedStatus.State.PENDING);
  }

  @Test
  void shouldBeOkAfterASuccessWithARecentEntry() {
    assertThat(
            FeedStatus.stateOf(
                SOURCE, state(NOW.minusSeconds(30), NOW.minusSeconds(3600), 0, null), NOW))
        .isEqualTo(FeedStatus.State.OK);
  }

  @Test
  void shouldBeFailingAfterAFailedPoll() {
    assertThat(
            FeedStatus.stateOf(
                SOURCE,
                state(NOW.minusSeconds(600), NOW.minusSeconds(600), 1, "not-found: HTTP 404"),
                NOW))
        .isEqualTo(FeedStatus.State.FAILING);
  }

  @Test
  void shouldBeBackingOffWhenTheServerRateLimits() {
    assertThat(
            FeedStatus.stateOf(
                SOURCE,
                state(
                    NOW.minusSeconds(600), NOW.minusSeconds(600), 2, "too-many-requests: HTTP 429"),
                NOW))
        .isEqualTo(FeedStatus.State.BACKING_OFF);
  }

  @Test
  void shouldBeIdleWhenNoNewEntryForLongerThanADay() {
    Instant lastNew = NOW.minus(Duration.ofHours(25));
    assertThat(FeedStatus.stateOf(SOURCE, state(NOW.minusSeconds(30), lastNew, 0, null), NOW))
        .isEqualTo(FeedStatus.State.IDLE);
  }

  @Test
  void shouldBeIdleWhenTheFeedNeverHadAnEntry() {
    assertThat(FeedStatus.stateOf(SOURCE, state(NOW.minusSeconds(30), null, 0, null), NOW))
        .isEqualTo(FeedStatus.State.IDLE);
  }

  @Test
  void shouldMaskCredentialsInTheUrl() {
    FeedStatus status = FeedStatus.of(SOURCE, null, NOW, 0, 0);

    assertThat(status.url()).isEqualTo("https://www.trtworld.com/feed/rss.xml?api_key=***");
  }

  @Test
  void shouldCarryTheStateTimesAndCounts() {
    FeedStatus status =
        FeedStatus.of(
            SOURCE,
            state(NOW.minusSeconds(600), NOW.minusSeconds(700), 3, "timeout: no answer"),
            NOW,
            7,
            5);

    assertThat(status)
        .extracting(
            FeedStatus::state,
            FeedStatus::consecutiveErrors,
            FeedStatus::lastError,
            FeedStatus::entriesLast24h,
            FeedStatus::articlesLast24h,
            FeedStatus::interval,
            FeedStatus::lastSuccessAt)
        .containsExactly(
            FeedStatus.State.FAILING,
            3,
            "timeout: no answer",
            7L,
            5L,
            "PT2M",
            NOW.minusSeconds(600));
  }

  static FeedState moved(String feedUrl) {
    return FeedState.initial("trtworld-main", feedUrl).toBuilder()
        .lastFetchAt(NOW.minusSeconds(30))
        .lastSuccessAt(NOW.minusSeconds(30))
        .lastNewEntryAt(NOW.minusSeconds(30))
        .nextPollAt(NOW.plusSeconds(90))
        .movedTo("https://feeds.trtworld.com/rss.xml")
        .movedSince(NOW.minus(Duration.ofDays(2)))
        .build();
  }

  @Test
  void shouldSayWhereTheFeedMovedPermanentlyAndSinceWhen() {
    FeedStatus status =
        FeedStatus.of(
            SOURCE, moved("https://www.trtworld.com/feed/rss.xml?api_key=***"), NOW, 0, 0);

    assertThat(status.movedTo()).isEqualTo("https://feeds.trtworld.com/rss.xml");
    assertThat(status.movedSince()).isEqualTo(NOW.minus(Duration.ofDays(2)));
    assertThat(status.state())
        .as("a moved feed that still answers is not failing")
        .isEqualTo(FeedStatus.State.OK);
  }

  @Test
  void shouldNotReportTheMoveOfAnotherUrl() {
    FeedStatus status = FeedStatus.of(SOURCE, moved("https://www.trtworld.com/old.xml"), NOW, 0, 0);

    assertThat(status.movedTo()).isNull();
    assertThat(status.movedSince()).isNull();
  }

  // Found on a real run: after the feeds list moved a feed, its row read "pending" beside the old
  // URL's
  // errors, last error and next poll until the first poll at the new URL.
  @Test
  void shouldShowNothingOfTheStateOfTheFeedsOldUrl() {
    FeedState ofOldUrl =
        state(NOW.minusSeconds(600), NOW.minusSeconds(600), 4, "not-found: HTTP 404")
            .recordedAt("https://www.trtworld.com/old.xml");

    FeedStatus status = FeedStatus.of(SOURCE, ofOldUrl, NOW, 0, 0);

    assertThat(status.state()).isEqualTo(FeedStatus.State.PENDING);
    assertThat(status.consecutiveErrors()).isZero();
    assertThat(status.lastError()).isNull();
    assertThat(status.lastFetchAt()).isNull();
    assertThat(status.nextPollAt()).isNull();
  }
}
