package org.wireingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedsFileWatcherTest {

  @TempDir Path dir;

  private final List<List<FeedSource>> delivered = new ArrayList<>();

  private Path write(String yaml, int secondsAfterEpochDay) throws Exception {
    Path f = dir.resolve("feeds.yaml");
    Files.writeString(f, yaml);
    // explicit, distinct modification times: no dependence on the file system's clock granularity
    Files.setLastModifiedTime(
        f, FileTime.from(Instant.parse("2026-11-30T00:00:00Z").plusSeconds(secondsAfterEpochDay)));
    return f;
  }

  private static String feeds(String... ids) {
    StringBuilder b = new StringBuilder("sources:\n");
    for (String id : ids) {
      b.append("  - {id: ")
          .append(id)
          .append(", name: N, agency: a, url: 'https://example.org/")
          .append(id)
          .append("'}\n");
    }
    return b.toString();
  }

  @Test
  void shouldDeliverTheNewListWhenTheFileChanges() throws Exception {
    Path f = write(feeds("one"), 1);
    FeedsFileWatcher watcher = new FeedsFileWatcher(f, FeedsConfig.load(f), delivered::add);

    write(feeds("one", "two"), 2);

    assertThat(watcher.check()).isTrue();
    assertThat(delivered)
        .singleElement()
        .satisfies(l -> assertThat(l).extracting(FeedSource::id).containsExactly("one", "two"));
  }

  // Found in a review: a change was told by modification time and size, so an edit of the same size
  // within the file system's timestamp resolution (a second on some) was never applied
  @Test
  void shouldSeeAnEditOfTheSameSizeAndModificationTime() throws Exception {
    Path f = write(feeds("one", "two"), 1);
    FeedsFileWatcher watcher = new FeedsFileWatcher(f, FeedsConfig.load(f), delivered::add);
    assertThat(watcher.check()).isFalse();

    write(feeds("one", "six"), 1);

    assertThat(watcher.check()).isTrue();
    assertThat(delivered)
        .singleElement()
        .satisfies(l -> assertThat(l).extracting(FeedSource::id).containsExactly("one", "six"));
  }

  // From a code review: an exception out of a check ended the timer's task for good (a scheduled
  // executor never runs a task again once it has thrown), so no later edit was ever picked up.
  @Test
  void shouldKeepCheckingOnItsTimerAfterACheckFailed() throws Exception {
    Path f = write(feeds("one"), 1);
    List<List<FeedSource>> accepted = new CopyOnWriteArrayList<>();
    AtomicBoolean failNext = new AtomicBoolean(true);
    try (FeedsFileWatcher watcher =
        new FeedsFileWatcher(
            f,
            FeedsConfig.load(f),
            list -> {
              if (failNext.getAndSet(false)) {
                throw new IllegalStateException("listener failed");
              }
              accepted.add(list);
            })) {
      watcher.start(Duration.ofMillis(20));
      write(feeds("one", "two"), 2);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (failNext.get() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      write(feeds("one", "three"), 3);
      while (accepted.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }

    assertThat(failNext).isFalse();
    assertThat(accepted)
        .singleElement()
        .satisfies(l -> assertThat(l).extracting(FeedSource::id).containsExactly("one", "three"));
  }

  // Regression: the watcher took the file's modification time and size when it was made, not when
  // the list in use was read: `run` reads the list, then starts the embedded broker or reaches the
  // cluster and creates topics (seconds, up to a minute), and only then makes the watcher, so an
  // edit saved meanwhile was never applied (until the file changed again).
  @Test
  void shouldDeliverAChangeSavedBetweenReadingTheListAndMakingTheWatcher() throws Exception {
    Path f = write(feeds("one"), 1);
    List<FeedSource> inUse = FeedsConfig.load(f);
    write(feeds("one", "two"), 2);
    FeedsFileWatcher watcher = new FeedsFileWatcher(f, inUse, delivered::add);

    assertThat(watcher.check()).isTrue();
    assertThat(delivered)
        .singleElement()
        .satisfies(l -> assertThat(l).extracting(FeedSource::id).containsExactly("one", "two"));
  }

  @Test
  void shouldNotReloadAnUnchangedFile() throws Exception {
    Path f = write(feeds("one"), 1);
    FeedsFileWatcher watcher = new FeedsFileWatcher(f, FeedsConfig.load(f), delivered::add);

    assertThat(watcher.check()).isFalse();
    assertThat(delivered).isEmpty();
  }

  @Test
  void shouldKeepTheListInUseWhenTheNewContentIsInvalid() throws Exception {
    Path f = write(feeds("one"), 1);
    FeedsFileWatcher watcher = new FeedsFileWatcher(f, FeedsConfig.load(f), delivered::add);

    write("sources:\n  - {id: BAD ID, name: N}\n", 2);
    assertThat(watcher.check()).isFalse();
    write(feeds("one", "three"), 3);

    assertThat(watcher.check()).isTrue();
    assertThat(delivered)
        .singleElement()
        .satisfies(l -> assertThat(l).extracting(FeedSource::id).containsExactly("one", "three"));
  }

  // Found in a new-user test: a broken feeds list showed only in the log, and restoring the last
  // valid content logged nothing, so the error stayed the last word.
  @Test
  void shouldReportTheProblemUntilTheFileIsValidAgain() throws Exception {
    Path f = write(feeds("one"), 1);
    FeedsFileWatcher watcher = new FeedsFileWatcher(f, FeedsConfig.load(f), delivered::add);
    assertThat(watcher.problem()).isNull();

    write("sources:\n  - {id: BAD ID, name: N}\n", 2);
    watcher.check();
    assertThat(watcher.problem()).contains("BAD ID");

    write(feeds("one"), 3); // the last valid content again: nothing to deliver, but valid
    assertThat(watcher.check()).isFalse();
    assertThat(watcher.problem()).isNull();
    assertThat(delivered).isEmpty();
  }

  @Test
  void shouldNameTheFeedsAddedRemovedAndChanged() throws Exception {
    Path f = write(feeds("one", "two", "three"), 1);
    List<FeedSource> before = FeedsConfig.load(f);
    write(feeds("one", "three", "four").replace("example.org/three", "example.org/three-moved"), 2);
    List<FeedSource> after = FeedsConfig.load(f);

    assertThat(FeedsFileWatcher.changes(before, after))
        .isEqualTo(": added [four], removed [two], changed [three]");
    assertThat(FeedsFileWatcher.changes(before, before)).isEmpty();
  }

  // Found in a review: a feeds list over 2 GiB (a log written to the wrong path, say) was read
  // whole at every check: an OutOfMemoryError, which ended the timer's task, so no later edit was
  // ever applied; FeedsConfig.load failed the same way at start-up
  @Test
  void shouldRefuseAFeedsListTooLargeToReadAndApplyTheNextEdit() throws Exception {
    Path f = write(feeds("one"), 1);
    FeedsFileWatcher watcher = new FeedsFileWatcher(f, FeedsConfig.load(f), delivered::add);
    try (RandomAccessFile huge = new RandomAccessFile(f.toFile(), "rw")) {
      huge.setLength(3L << 30); // sparse: takes no disk space
    }

    assertThat(watcher.check()).isFalse();
    assertThat(watcher.problem()).contains("feeds list too large: 3221225472 bytes");

    Files.delete(f);
    write(feeds("one", "two"), 2);
    assertThat(watcher.check()).isTrue();
    assertThat(watcher.problem()).isNull();
  }
}
