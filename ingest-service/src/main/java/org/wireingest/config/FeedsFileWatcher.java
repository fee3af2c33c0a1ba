package org.wireingest.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.model.ErrorText;
import org.wireingest.model.Hashes;

/**
 * Watches the feeds list for changes while the service runs: every {@code period} it compares a
 * digest of the file's bytes with the last seen, and re-reads it ({@link FeedsConfig#load}) when
 * they differ. A valid list that differs from the one in use is handed to the listener; an invalid
 * one is refused with one error log line naming the problem, and the list in use stays (until the
 * file changes again); {@link #problem()} says so until a valid version is read, which is logged
 * too. A file that cannot be read is treated the same way. A change is logged with the ids of the
 * feeds added, removed and changed.
 *
 * <p>Polling the file, rather than a {@code WatchService}, also sees files replaced through a
 * symbolic link (a Kubernetes ConfigMap volume swaps a {@code ..data} link). Thread-safe.
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
  private volatile String problem;

  /**
   * @param file the feeds list file
   * @param current the list in use (as loaded from {@code file} at start); the first check reads
   *     the file and hands on its list when it differs from this one, however long ago it was read
   * @param listener told of each new valid list that differs from the one in use, on the watcher's
   *     thread; must not throw
   */
  public FeedsFileWatcher(
      Path file, List<FeedSource> current, Consumer<List<FeedSource>> listener) {
    this.file = Objects.requireNonNull(file, "file");
    this.current = List.copyOf(current);
    this.listener = listener;
    // Nothing seen yet: the first check reads the file, so an edit saved after `current` was read
    // (while the service reached Kafka, say) is applied; an unchanged list is not handed on.
    this.lastSeen = null;
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
    timer.scheduleWithFixedDelay(
        this::checkOnTimer, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * {@link #check} for the timer, which never runs a task again once it has thrown: whatever goes
   * wrong (the listener failing, say) is logged, and the next check comes as planned.
   */
  private void checkOnTimer() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.error("checking the feeds list {} failed; checking again in the next period", file, e);
    }
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
    } catch (RuntimeException e) {
      // Any other RuntimeException is a gap in FeedsConfig's checks: refused like an invalid list.
      problem = e instanceof ConfigException ? e.getMessage() : ErrorText.describe(e);
      LOG.error(
          "feeds list {} changed but is not valid, still polling the {} feeds of the last valid list: {}",
          file,
          current.size(),
          problem);
      return false;
    }
    if (problem != null) {
      problem = null;
      LOG.info("feeds list {} is valid again: {} feeds", file, loaded.size());
    }
    if (loaded.equals(current)) {
      return false;
    }
    LOG.info(
        "feeds list {} changed: {} feeds (were {}){}",
        file,
        loaded.size(),
        current.size(),
        changes(current, loaded));
    current = loaded;
    listener.accept(loaded);
    return true;
  }

  /**
   * @return why the file's last change was refused (the {@link ConfigException} message), while the
   *     last valid list is still in use; null when the file read last was valid
   */
  public String problem() {
    return problem;
  }

  /**
   * {@code ": added [a], removed [b], changed [c]"}, naming the feeds by id; empty when only their
   * order changed.
   */
  static String changes(List<FeedSource> before, List<FeedSource> after) {
    Map<String, FeedSource> was = new LinkedHashMap<>();
    before.forEach(f -> was.put(f.id(), f));
    Map<String, FeedSource> now = new LinkedHashMap<>();
    after.forEach(f -> now.put(f.id(), f));
    List<String> added = now.keySet().stream().filter(id -> !was.containsKey(id)).toList();
    List<String> removed = was.keySet().stream().filter(id -> !now.containsKey(id)).toList();
    List<String> changed =
        now.keySet().stream()
            .filter(id -> was.containsKey(id) && !was.get(id).equals(now.get(id)))
            .toList();
    StringBuilder b = new StringBuilder();
    for (var part :
        List.of(
            Map.entry("added", added),
            Map.entry("removed", removed),
            Map.entry("changed", changed))) {
      if (!part.getValue().isEmpty()) {
        b.append(b.length() == 0 ? ": " : ", ")
            .append(part.getKey())
            .append(' ')
            .append(part.getValue());
      }
    }
    return b.toString();
  }

  /**
   * The SHA-256 of the file's bytes, or the read error: what tells a change. The bytes, not the
   * modification time and size: an edit of the same size within the file system's timestamp
   * resolution (a second on some) left both as they were, and was never applied. A feeds list is
   * small (about 120 bytes a feed), so reading it every period costs little; a file larger than
   * {@link FeedsConfig} reads is told by its size and modification time, unread.
   */
  private String fingerprint() {
    try {
      long size = Files.size(file);
      if (size > FeedsConfig.MAX_BYTES) {
        // too large to read (FeedsConfig refuses it unread): a size over 2 GiB was an
        // OutOfMemoryError, which ended the timer's task for good
        return "too large: " + size + " bytes, modified " + Files.getLastModifiedTime(file);
      }
      return Hashes.sha256Hex(Files.readAllBytes(file));
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
