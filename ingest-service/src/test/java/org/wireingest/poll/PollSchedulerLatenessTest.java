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

/**
 * The scheduler's lateness listener: a poll that waits for a worker reports the wait, measured on
 * the scheduler's monotonic clock (moved by hand here, so nothing depends on how fast the machine
 * is).
 */
class PollSchedulerLatenessTest {

  @TempDir Path dir;

  /** A clock the test moves. */
  private static final class HandClock extends Clock {
    volatile Instant now = Instant.parse("2026-11-30T08:00:00Z");

    /** The monotonic time, moved with {@link #now} here. */
    volatile long nanos = 1_000_000_000L;

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

  private final CountDownLatch firstSaving = new CountDownLatch(1);
  private final CountDownLatch letSave = new CountDownLatch(1);
  private final List<Duration> lateness = new CopyOnWriteArrayList<>();
  private final CountDownLatch twoStarted = new CountDownLatch(2);
  private PollScheduler scheduler;

  /** Holds every poll's state write until the test lets them go. */
  private final PollSink sink =
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

  @AfterEach
  void close() {
    letSave.countDown();
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
  void shouldReportHowLongAPollWaitedForAWorker() throws Exception {
    HandClock clock = new HandClock();
    FeedSource one = feed("one");
    FeedSource two = feed("two");
    Instant planned = clock.now.plusMillis(1);
    FeedPoller poller =
        new FeedPoller(
            new FeedFetcher(FetchSettings.defaults()), new FeedParser(), sink, Clock.systemUTC());
    scheduler =
        new PollScheduler(
            List.of(one, two),
            Map.of("one", dueAt(one, planned), "two", dueAt(two, planned)),
            poller,
            1,
            PollScheduler.DEFAULT_PER_HOST_CONCURRENCY,
            clock,
            () -> clock.nanos,
            r -> {},
            late -> {
              lateness.add(late);
              twoStarted.countDown();
            });

    scheduler.start();
    // one worker: the first poll holds it (in its state write), the second waits for it
    assertThat(firstSaving.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(lateness).hasSize(1);
    clock.now = planned.plus(Duration.ofMinutes(3));
    clock.nanos += Duration.ofMillis(1).plus(Duration.ofMinutes(3)).toNanos();
    letSave.countDown();

    assertThat(twoStarted.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(lateness.get(0))
        .isEqualTo(Duration.ZERO); // started before its plan on this clock: never negative
    assertThat(lateness.get(1)).isEqualTo(Duration.ofMinutes(3));
  }
}
