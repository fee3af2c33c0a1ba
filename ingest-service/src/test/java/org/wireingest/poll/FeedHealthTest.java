package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wireingest.normalize.EntryFixtures.entry;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.model.FeedState;
import org.wireingest.parse.ParsedEntry;
import org.wireingest.poll.FeedHealth.State;

class FeedHealthTest {

  private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
  private static final FeedSource SOURCE =
      TestFeeds.feed("dw-world")
          .name("DW — World")
          .agency("dw")
          .url("https://rss.dw.com/xml/rss-en-world")
          .build();

  private static FeedState state(
      Instant lastNewEntryAt, int errors, String lastError, Long cadenceSeconds) {
    return FeedState.initial(SOURCE.id(), SOURCE.url().toString()).toBuilder()
        .lastFetchAt(NOW)
        .lastSuccessAt(NOW)
        .lastNewEntryAt(lastNewEntryAt)
        .consecutiveErrors(errors)
        .lastError(lastError)
        .nextPollAt(NOW.plusSeconds(300))
        .cadenceSeconds(cadenceSeconds)
        .build();
  }

  // Found in a new-user test: run --once from cron polled a feed whose server had just answered
  // 429 with Retry-After: 120 again ten seconds later.
  @Test
  void shouldCallAFeedThrottledOnlyAfterA429UntilItsNextPollTime() {
    FeedState after429 =
        state(
            NOW,
            1,
            "too-many-requests: HTTP 429 from https://www.trtworld.com/feed/rss.xml",
            null); // next poll NOW + 300 s

    assertThat(FeedHealth.throttled(SOURCE, after429, NOW)).isTrue();
    assertThat(FeedHealth.throttled(SOURCE, after429, NOW.plusSeconds(299))).isTrue();
    assertThat(FeedHealth.throttled(SOURCE, after429, NOW.plusSeconds(300))).isFalse();
    assertThat(FeedHealth.throttled(SOURCE, state(NOW, 1, "server-error: HTTP 503", null), NOW))
        .isFalse();
    FeedState after503Then429 =
        FeedState.initial(SOURCE.id(), SOURCE.url().toString()).toBuilder()
            .lastFetchAt(NOW)
            .lastSuccessAt(NOW)
            .lastNewEntryAt(NOW)
            .consecutiveErrors(2)
            .lastError("too-many-requests: HTTP 429 (Retry-After: 3600 s)")
            .nextPollAt(NOW.plusSeconds(3600))
            .throttledErrors(1)
            .build();
    assertThat(FeedHealth.throttled(SOURCE, after503Then429, NOW))
        .as("a 429 after a 503 asks us to wait all the same")
        .isTrue();
    assertThat(FeedHealth.stateOf(SOURCE, after503Then429, NOW))
        .as("failing, for health and alerts")
        .isEqualTo(FeedHealth.State.FAILING);
    assertThat(FeedHealth.throttled(SOURCE, state(NOW, 0, null, null), NOW)).isFalse();
    assertThat(FeedHealth.throttled(SOURCE, null, NOW)).isFalse();
    FeedSource moved = TestFeeds.from(SOURCE).url("https://www.trtworld.com/feed/new.xml").build();
    assertThat(FeedHealth.throttled(moved, after429, NOW))
        .as("a 429 of the feed's old URL")
        .isFalse();
  }

  @Test
  void shouldBePendingBeforeTheFirstFetch() {
    assertThat(
            FeedHealth.stateOf(
                SOURCE, FeedState.initial(SOURCE.id(), SOURCE.url().toString()), NOW))
        .isEqualTo(State.PENDING);
  }

  // Found in a review: stateOf read any state it was given, while the poller ignores a state
  // recorded for another URL (FeedPoller.atCurrentUrl). A feed given a new URL in the feeds list
  // showed its old URL's health (failing, backing-off, truncated, idle) until its first poll.
  @Test
  void shouldBePendingWhenTheStateWasRecordedForTheFeedsFormerUrl() {
    FeedSource newUrl = source(URI.create("https://rss.dw.com/xml/rss-en-all"));
    FeedState failing = state(NOW, 3, "not-found: HTTP 404", 600L);
    FeedState throttled = state(NOW, 1, "too-many-requests: HTTP 429", 600L);
    FeedState truncated = state(NOW, 0, null, 600L).withTruncatedSince(NOW);
    FeedState quiet = state(NOW.minus(Duration.ofDays(3)), 0, null, 6 * 3600L);

    assertThat(FeedHealth.stateOf(SOURCE, failing, NOW)).isEqualTo(State.FAILING);
    for (FeedState old : List.of(failing, throttled, truncated, quiet)) {
      assertThat(FeedHealth.stateOf(newUrl, old, NOW))
          .as("%s of the former URL", FeedHealth.stateOf(SOURCE, old, NOW))
          .isEqualTo(State.PENDING);
    }
    assertThat(FeedHealth.idle(newUrl, quiet, NOW)).isFalse();
  }

  @Test
  void shouldKeepTheHealthOfAStateTheFeedsListFollowedToWhereItMoved() {
    // the one exception: the feeds list now gives where the old URL moved permanently, and the
    // state carries over to it
    FeedState movedAndFailing =
        moved(SOURCE.url().toString(), "https://rss.dw.com/xml/new").withFailure(2, "timeout: x");

    assertThat(
            FeedHealth.stateOf(
                source(URI.create("https://rss.dw.com/xml/new")), movedAndFailing, NOW))
        .isEqualTo(State.FAILING);
  }

  @Test
  void shouldBeOkWhenAnEntryArrivedWithinTheUsualCadence() {
    assertThat(
            FeedHealth.stateOf(SOURCE, state(NOW.minus(Duration.ofHours(2)), 0, null, 1200L), NOW))
        .isEqualTo(State.OK);
  }

  @Test
  void shouldBeIdleNotFailingWhenSilentForTenCadencesPastTheFloor() {
    FeedState quiet = state(NOW.minus(Duration.ofDays(3)), 0, null, 6 * 3600L);

    assertThat(FeedHealth.stateOf(SOURCE, quiet, NOW)).isEqualTo(State.IDLE);
  }

  @Test
  void shouldNotCallAQuietNightIdle() {
    FeedState night = state(NOW.minus(Duration.ofHours(9)), 0, null, 600L);

    assertThat(FeedHealth.stateOf(SOURCE, night, NOW)).isEqualTo(State.OK);
  }

  @Test
  void shouldBeFailingAfterAFailedPoll() {
    assertThat(FeedHealth.stateOf(SOURCE, state(NOW, 1, "timeout: no response", 600L), NOW))
        .isEqualTo(State.FAILING);
  }

  @Test
  void shouldBeBackingOffWhenTheServerAskedToSlowDown() {
    assertThat(FeedHealth.stateOf(SOURCE, state(NOW, 2, "too-many-requests: HTTP 429", 600L), NOW))
        .isEqualTo(State.BACKING_OFF);
  }

  @Test
  void shouldBeFailingWhenA429EndsARunOfOtherFailures() {
    FeedState mixed = state(NOW, 5, "too-many-requests: HTTP 429", 600L);
    FeedState counted = mixed.toBuilder().throttledErrors(1).build();
    FeedState allThrottled = mixed.toBuilder().throttledErrors(5).build();

    assertThat(FeedHealth.stateOf(SOURCE, counted, NOW)).isEqualTo(State.FAILING);
    assertThat(FeedHealth.stateOf(SOURCE, allThrottled, NOW)).isEqualTo(State.BACKING_OFF);
    assertThat(FeedHealth.stateOf(SOURCE, mixed, NOW))
        .as("a state stored before the count")
        .isEqualTo(State.BACKING_OFF);
  }

  @Test
  void shouldBeIdleWhenNoEntryWasEverPublished() {
    assertThat(FeedHealth.stateOf(SOURCE, state(null, 0, null, null), NOW)).isEqualTo(State.IDLE);
  }

  @Test
  void shouldWaitTenCadencesButAtLeastTwelveHoursBeforeIdle() {
    assertThat(FeedHealth.idleAfter(Duration.ofMinutes(5), 600L)).isEqualTo(Duration.ofHours(12));
    assertThat(FeedHealth.idleAfter(Duration.ofMinutes(5), 7200L)).isEqualTo(Duration.ofHours(20));
  }

  @Test
  void shouldFallBackToTwentyIntervalsButAtLeastOneDayWithoutACadence() {
    assertThat(FeedHealth.idleAfter(Duration.ofMinutes(5), null)).isEqualTo(Duration.ofHours(24));
    assertThat(FeedHealth.idleAfter(Duration.ofHours(2), null)).isEqualTo(Duration.ofHours(40));
  }

  @Test
  void shouldTakeTheMedianGapBetweenDistinctEntryDatesAsCadence() {
    List<ParsedEntry> entries =
        List.of(
            entry().published("2026-11-30T07:00:00Z").build(),
            entry().published("2026-11-30T07:10:00Z").build(),
            entry().published("2026-11-30T07:10:00Z").build(),
            entry().updated("2026-11-30T07:30:00Z").build(),
            entry().published("2026-11-30T04:30:00Z").build(),
            entry().build());

    assertThat(FeedHealth.cadence(entries)).contains(Duration.ofMinutes(20));
  }

  @Test
  void shouldHaveNoCadenceWithFewerThanTwoDistinctDates() {
    assertThat(
            FeedHealth.cadence(
                List.of(entry().published("2026-11-30T07:00:00Z").build(), entry().build())))
        .isEmpty();
  }

  // Found in a review: FeedHealth.movedTo matched a state to its feed by the stored URL alone,
  // while
  // the poller (FeedPoller.recordedFor) also takes a state stored before the URL's redaction
  // changed: for such a feed the status page, /api/feeds and wire_poller_feed_moved said nothing
  // of a move the poller had found.
  @Test
  void shouldNameTheMoveOfAStateStoredBeforeItsUrlsRedactionChanged() {
    FeedSource withSession = source(URI.create("https://rss.dw.com/xml/rss;jsessionid=ABC123"));
    FeedState storedBefore =
        moved("https://rss.dw.com/xml/rss;jsessionid=ABC123", "https://rss.dw.com/xml/new");

    assertThat(FeedPoller.recordedFor(withSession, storedBefore)).isTrue();
    assertThat(FeedHealth.movedTo(withSession, storedBefore))
        .contains("https://rss.dw.com/xml/new");
  }

  @Test
  void shouldNameNoMoveOnceTheFeedsListGivesTheUrlMovedTo() {
    FeedState movedState = moved(SOURCE.url().toString(), "https://rss.dw.com/xml/new");

    FeedSource adopted = source(URI.create("https://rss.dw.com/xml/new"));
    FeedSource elsewhere = source(URI.create("https://rss.dw.com/xml/other"));

    assertThat(FeedHealth.movedTo(SOURCE, movedState)).contains("https://rss.dw.com/xml/new");
    assertThat(FeedPoller.recordedFor(adopted, movedState)).isTrue();
    assertThat(FeedHealth.movedTo(adopted, movedState)).isEmpty();
    assertThat(FeedPoller.recordedFor(elsewhere, movedState)).isFalse();
    assertThat(FeedHealth.movedTo(elsewhere, movedState)).isEmpty();
  }

  private static FeedSource source(URI url) {
    return TestFeeds.from(SOURCE).url(url).build();
  }

  private static FeedState moved(String feedUrl, String movedTo) {
    return FeedState.initial(SOURCE.id(), feedUrl).toBuilder()
        .lastFetchAt(NOW)
        .lastSuccessAt(NOW)
        .lastNewEntryAt(NOW)
        .nextPollAt(NOW.plusSeconds(300))
        .movedTo(movedTo)
        .movedSince(NOW.minusSeconds(3600))
        .build();
  }
}
