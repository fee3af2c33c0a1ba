package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;
import org.wireingest.testing.Await;

/**
 * A step of the wall clock (an NTP correction, a virtual machine resumed) while the scheduler runs:
 * its waits are measured on the monotonic clock. Found in a review: the next poll was planned as
 * the state's next poll time less the wall clock after the poll, so a step back of an hour during a
 * poll made the feed wait an hour longer, and lateness was the wall clock less the planned time, so
 * a step forward counted as lateness of every poll planned before it.
 */
class PollSchedulerClockStepTest {

  @TempDir Path dir;

  private PollScheduler scheduler;

  /** A wall clock the test steps. */
  private static final class SteppedClock extends Clock {
    volatile Instant now = Instant.parse("2026-11-30T08:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @AfterEach
  void close() {
    if (scheduler != null) {
      scheduler.close();
    }
  }

  private FeedSource feed(String id) throws Exception {
    return TestFeeds.oneItemFile(dir, id);
  }

  /** A restored state whose next poll is {@code at}: the feed is planned for then. */
  private static FeedState dueAt(FeedSource s, Instant at) {
    return FeedState.initial(s.id(), s.url().toString()).toBuilder().nextPollAt(at).build();
  }

  @Test
  void shouldPlanTheNextPollOneIntervalAheadWhenTheWallClockStepsBackDuringAPoll()
      throws Exception {
    SteppedClock clock = new SteppedClock();
    PollSink steppingBack =
        new PollSink() {
          @Override
          public int publish(List<RawWireItem> items) {
            clock.now = clock.now.minus(Duration.ofHours(1)); // after the fetch, before the state
            return 0;
          }

          @Override
          public void saveState(FeedState state) {}

          @Override
          public void logFetch(FetchLogRecord record) {}
        };
    FeedSource one = feed("one");
    CountDownLatch polled = new CountDownLatch(1);
    scheduler =
        new PollScheduler(
            List.of(one),
            Map.of(),
            new FeedPoller(
                new FeedFetcher(FetchSettings.defaults()), new FeedParser(), steppingBack, clock),
            1,
            clock,
            r -> polled.countDown());
    Instant startedAt = clock.now;
    scheduler.start();
    assertThat(polled.await(30, TimeUnit.SECONDS)).isTrue();
    // The first poll is planned within the first-poll spread (at most 5 s) of the start. Not read
    // after start(): the first poll may come at once and the next be planned before that read.
    Await.until(
        "the next poll planned",
        Duration.ofSeconds(10),
        () -> {
          Instant planned = scheduler.plannedPoll("one");
          return planned.isBefore(startedAt) || planned.isAfter(startedAt.plusSeconds(5));
        });

    assertThat(Duration.between(clock.now, scheduler.plannedPoll("one")))
        .as("from the wall clock now")
        .isLessThanOrEqualTo(Duration.ofMinutes(11)); // the interval and its jitter
  }

  @Test
  void shouldNotCountAStepForwardOfTheWallClockAsLateness() throws Exception {
    SteppedClock clock = new SteppedClock();
    CountDownLatch firstSaving = new CountDownLatch(1);
    CountDownLatch letSave = new CountDownLatch(1);
    PollSink holding =
        new PollSink() {
          @Override
          public int publish(List<RawWireItem> items) {
            return 0;
          }

          @Override
          public void saveState(FeedState state) {
            firstSaving.countDown();
            try {
              letSave.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void logFetch(FetchLogRecord record) {}
        };
    List<Duration> lateness = new CopyOnWriteArrayList<>();
    CountDownLatch twoStarted = new CountDownLatch(2);
    FeedSource one = feed("one");
    FeedSource two = feed("two");
    Instant planned = clock.now.plusMillis(1);
    try {
      scheduler =
          new PollScheduler(
              List.of(one, two),
              Map.of("one", dueAt(one, planned), "two", dueAt(two, planned)),
              new FeedPoller(
                  new FeedFetcher(FetchSettings.defaults()),
                  new FeedParser(),
                  holding,
                  Clock.systemUTC()),
              1, // the first poll holds the worker; the second waits for it
              PollScheduler.DEFAULT_PER_HOST_CONCURRENCY,
              clock,
              r -> {},
              late -> {
                lateness.add(late);
                twoStarted.countDown();
              });
      scheduler.start();
      assertThat(firstSaving.await(30, TimeUnit.SECONDS)).isTrue();
      clock.now = clock.now.plus(Duration.ofHours(1));
    } finally {
      letSave.countDown();
    }

    assertThat(twoStarted.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(lateness.get(1))
        .as("the wait for the worker (seconds at most), not the step")
        .isLessThan(Duration.ofMinutes(30));
  }
}
