package org.wireingest.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the feeds list for changes while the service runs: every {@code period} it compares the
 * file's modification time and size with the last seen, and re-reads it ({@link FeedsConfig#load})
 * when they differ. A valid list that differs from the one in use is handed to the listener; an
 * invalid one is refused with one error log line naming the problem, and the list in use stays
 * (until the file changes again). A file that cannot be read is treated the same way.
 *
 * <p>Polling the modification time, rather than a {@code WatchService}, also sees files replaced
 * through a symbolic link (a Kubernetes ConfigMap volume swaps a {@code ..data} link). Thread-safe.
 */
public final class FeedsFileWatcher implements AutoCloseable {

  /** Default time between two checks: 10 s. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(FeedsFileWatcher.class);

  private final Path file;
  private final Consumer<List<FeedSource>> listener;
  private final ScheduledExecutorService timer;
  private List<FeedSource> current;
  private String lastSeen;

  /**
   * @param file the feeds list file
   * @param current the list in use (as loaded from {@code file} at start)
   * @param listener told of each new valid list that differs from the one in use, on the watcher's
   *     thread; must not throw
   */
  public FeedsFileWatcher(Path file, List<FeedSource> current, Consumer<List<FeedSource>> listener) {
    this.file = Objects.requireNonNull(file, "file");
    this.current = List.copyOf(current);
    this.listener = listener;
    this.lastSeen = fingerprint();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "feeds-file-watcher");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts checking every {@code period}.
   *
   * @param period time between two checks; positive
   */
  public void start(Duration period) {
    timer.scheduleWithFixedDelay(this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Checks the file once, now.
   *
   * @return true when a new list was handed to the listener
   */
  public synchronized boolean check() {
    String seen = fingerprint();
    if (Objects.equals(seen, lastSeen)) {
      return false;
    }
    lastSeen = seen;
    List<FeedSource> loaded;
    try {
      loaded = FeedsConfig.load(file);
    } catch (ConfigException e) {
      LOG.error("feeds list {} changed but is not valid, still polling the {} feeds of the last valid list: {}", file, current.size(), e.getMessage());
      return false;
    }
    if (loaded.equals(current)) {
      return false;
    }
    LOG.info("feeds list {} changed: {} feeds (were {})", file, loaded.size(), current.size());
    current = loaded;
    listener.accept(loaded);
    return true;
  }

  /** Modification time and size, or the read error: what tells a change. */
  private String fingerprint() {
    try {
      FileTime mtime = Files.getLastModifiedTime(file);
      return mtime.toMillis() + "/" + Files.size(file);
    } catch (IOException e) {
      return "unreadable: " + e;
    }
  }

  /** Stops checking. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
