package org.wireingest.poll;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.Hashes;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;
import org.wireingest.testing.SchemaAssert;

/**
 * What {@link FeedPoller} writes to the fetch log: the body when it is new, only its hash when it
 * is not.
 */
class FeedPollerFetchLogTest {

  private static final String RSS =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>
        <item><guid>https://wire.example/a/1</guid><title>Ceasefire talks resume in Doha</title>
          <link>https://wire.example/a/1</link><pubDate>Mon, 30 Nov 2026 06:12:00 GMT</pubDate></item>
      </channel></rss>
      """;

  @TempDir Path dir;

  private final List<FetchLogRecord> log = new CopyOnWriteArrayList<>();
  private final FeedFetcher fetcher = new FeedFetcher(FetchSettings.defaults());
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-30T08:00:00Z"), ZoneOffset.UTC);

  private final PollSink sink =
      new PollSink() {
        @Override
        public int publish(List<RawWireItem> items) {
          return 0;
        }

        @Override
        public void saveState(FeedState state) {}

        @Override
        public void logFetch(FetchLogRecord record) {
          log.add(record);
        }
      };

  @AfterEach
  void closeFetcher() {
    fetcher.close();
  }

  private FeedSource source(Path file) {
    return TestFeeds.feed("wire-world").name("Wire").agency("wire").url(file.toUri()).build();
  }

  private Path feed(String content, String mtime) throws IOException {
    Path file = Files.writeString(dir.resolve("feed.xml"), content, UTF_8);
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse(mtime)));
    return file;
  }

  @Test
  void shouldStoreTheBodyOfANewDocument() throws IOException {
    Path file = feed(RSS, "2026-11-30T07:00:00Z");

    new FeedPoller(fetcher, new FeedParser(), sink, clock).poll(source(file), null);

    FetchLogRecord record = log.get(0);
    assertThat(record.outcome()).isEqualTo("ok");
    assertThat(record.bodySha256()).isEqualTo(Hashes.sha256Hex(RSS.getBytes(UTF_8)));
    assertThat(FetchLogBodies.restore(record.body()))
        .isInstanceOfSatisfying(
            FetchLogBodies.Restored.Bytes.class,
            b -> assertThat(new String(b.bytes(), UTF_8)).isEqualTo(RSS));
    SchemaAssert.assertValid("fetch-log", record);
  }

  @Test
  void shouldNotStoreABodyEqualToTheLastOne() throws IOException {
    Path file = feed(RSS, "2026-11-30T07:00:00Z");
    FeedPoller poller = new FeedPoller(fetcher, new FeedParser(), sink, clock);
    FeedState after = poller.poll(source(file), null).state();
    feed(RSS, "2026-11-30T07:30:00Z"); // touched, same bytes

    poller.poll(source(file), after);

    FetchLogRecord second = log.get(1);
    assertThat(second.outcome()).isEqualTo("unchanged");
    assertThat(second.body()).isNull();
    assertThat(second.bodySha256()).isEqualTo(log.get(0).bodySha256());
  }

  @Test
  void shouldStoreANewBodyEvenWhenItsParseFailed() throws IOException {
    Path file = feed(RSS, "2026-11-30T07:00:00Z");

    new FeedPoller(fetcher, new FeedParser(64), sink, clock).poll(source(file), null);

    FetchLogRecord record = log.get(0);
    assertThat(record.outcome()).isEqualTo("too-large");
    assertThat(FetchLogBodies.restore(record.body()))
        .isInstanceOf(FetchLogBodies.Restored.Bytes.class);
  }

  @Test
  void shouldFlagABodyOverTheCapAsOmitted() throws IOException {
    Path file = feed(RSS, "2026-11-30T07:00:00Z");

    new FeedPoller(fetcher, new FeedParser(), sink, clock, 16).poll(source(file), null);

    assertThat(log.get(0).body().omitted()).isTrue();
    assertThat(log.get(0).body().data()).isNull();
  }

  @Test
  void shouldRecordNoBodyFactsForAFailedFetch() {
    new FeedPoller(fetcher, new FeedParser(), sink, clock)
        .poll(source(dir.resolve("missing.xml")), null);

    FetchLogRecord record = log.get(0);
    assertThat(record.outcome()).isNotEqualTo("ok");
    assertThat(record.body()).isNull();
    assertThat(record.bodySha256()).isNull();
    assertThat(record.contentType()).isNull();
  }

  /**
   * A wall clock that reads {@code start} once, then {@code step} later ever after: a step (an NTP
   * correction, a virtual machine resumed) during the poll's fetch.
   */
  private static Clock steppingAfterFirstReading(Instant start, Duration step) {
    AtomicInteger readings = new AtomicInteger();
    return reading(() -> readings.getAndIncrement() == 0 ? start : start.plus(step));
  }

  /** A UTC clock whose every reading is the next of {@code readings}. */
  private static Clock reading(Supplier<Instant> readings) {
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return readings.get();
      }
    };
  }

  /**
   * A sink that adds the raw items it is given to {@code items} and the fetch-log records to {@link
   * #log}.
   */
  private PollSink recording(List<RawWireItem> items) {
    return new PollSink() {
      @Override
      public int publish(List<RawWireItem> batch) {
        items.addAll(batch);
        return 0;
      }

      @Override
      public void saveState(FeedState state) {}

      @Override
      public void logFetch(FetchLogRecord record) {
        log.add(record);
      }
    };
  }

  // Found in a review: the fetch's duration was the wall clock's after the fetch less before it, so
  // a step back of an hour during a fetch gave the fetch log (whose schema says at least 0) and the
  // fetch-duration metric -3,600,000 ms, and a step forward an hour's fetch.
  @ParameterizedTest
  @ValueSource(strings = {"-PT1H", "PT1H"})
  void shouldMeasureTheFetchOnTheMonotonicClockWhenTheWallClockStepsDuringIt(String step)
      throws IOException {
    Path file = feed(RSS, "2026-11-30T07:00:00Z");
    Instant start = Instant.parse("2026-11-30T08:00:00Z");
    List<RawWireItem> items = new CopyOnWriteArrayList<>();
    PollSink recording = recording(items);

    PollResult result =
        new FeedPoller(
                fetcher,
                new FeedParser(),
                recording,
                steppingAfterFirstReading(start, Duration.parse(step)))
            .poll(source(file), null);

    FetchLogRecord record = log.get(0);
    assertThat(record.startedAt()).isEqualTo(start);
    assertThat(record.durationMs())
        .as("a local file's fetch, without the step")
        .isBetween(0L, Duration.ofMinutes(1).toMillis());
    assertThat(result.fetchMs()).isEqualTo(record.durationMs());
    assertThat(result.durationMs()).isBetween(0L, Duration.ofMinutes(1).toMillis());
    assertThat(items)
        .singleElement()
        .satisfies(i -> assertThat(i.fetch().fetchedAt()).isEqualTo(record.endedAt()));
    SchemaAssert.assertValid("fetch-log", record);
  }

  // Found in a review: replay --reparse rebuilt items with the fetch log's end time (start + whole
  // ms) while live items had the clock's exact time, so undated versions' times differed by µs.
  @Test
  void shouldGiveTheRawItemsTheFetchTimeTheFetchLogKeeps() throws IOException {
    Path file = feed(RSS, "2026-11-30T07:00:00Z");
    Instant[] tick = {Instant.parse("2026-11-30T08:00:00.000300Z")};
    Clock ticking =
        reading(
            () -> {
              Instant now = tick[0];
              tick[0] = now.plusNanos(1_700_123); // 1.7 ms per reading: never whole milliseconds
              return now;
            });
    List<RawWireItem> items = new CopyOnWriteArrayList<>();
    PollSink recording = recording(items);

    new FeedPoller(fetcher, new FeedParser(), recording, ticking).poll(source(file), null);

    assertThat(items)
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.fetch().fetchedAt()).isEqualTo(log.get(0).endedAt());
              assertThat(item.firstSeenAt()).isEqualTo(log.get(0).endedAt());
            });
  }
}
