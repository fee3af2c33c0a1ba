package org.wireingest.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.kafka.DirectoryUseLock;
import org.wireingest.kafka.EmbeddedBroker;
import org.wireingest.model.ErrorText;

/**
 * The data dir's part in a start of {@code run}, {@code poll} or {@code normalize}: notes what of
 * the data dir is not there yet, holds the data dir's use lock ({@value #USE_LOCK_FILE}, shared by
 * every process using the data dir, see {@link DirectoryUseLock}) from before the start makes
 * anything there until the command ends, and, when the start fails, removes what it made, with the
 * lock taken exclusively: only while no other process uses the data dir.
 *
 * <p>What a failed start removes: the data dir itself when it did not exist (and then its parents
 * that this start made, while empty); in a data dir that existed, each of {@code .lock}, {@code
 * kafka}, {@code broker.address}, {@value #USE_LOCK_FILE} and {@code streams} (or, when {@code
 * streams} existed, the normalizer's {@code streams/<application id>.lock} and {@code
 * streams/<application id>}) that was not there when this start took the use lock. Nothing else of
 * a data dir that existed is ever removed, and nothing at all when another process held the lock
 * when this start took it or took it since, even one that has ended.
 *
 * <p>Not thread-safe: one per start.
 */
final class DataDirStart implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DataDirStart.class);

  /** The data dir's use lock: held shared by every process using the data dir. */
  static final String USE_LOCK_FILE = EmbeddedBroker.USE_LOCK_FILE;

  /** The normalizer's state directory in the data dir. */
  static final String STREAMS_DIR = "streams";

  private final Path dataDir;
  private final List<Path> parentsMissing;
  private final boolean dataDirMissing;
  private final List<Path> entriesMissing;
  private final DirectoryUseLock lock;

  private DataDirStart(
      Path dataDir,
      List<Path> parentsMissing,
      boolean dataDirMissing,
      List<Path> entriesMissing,
      DirectoryUseLock lock) {
    this.dataDir = dataDir;
    this.parentsMissing = parentsMissing;
    this.dataDirMissing = dataDirMissing;
    this.entriesMissing = entriesMissing;
    this.lock = lock;
  }

  /**
   * Notes what of {@code dataDir} is missing, creates the data dir (and its parents) and takes its
   * use lock shared, before the start makes anything else there. When another process removed the
   * data dir meanwhile (its own failed start), looks again.
   *
   * @param dataDir the {@code --data-dir}; never null
   * @param applicationId the normalizer's application id; null when the command runs no normalizer
   * @return the start's hold on the data dir; when the data dir cannot be created or locked (a
   *     file, no permission), one that holds and removes nothing: the start's own checks say why
   * @throws StartupException (one line, exit 1) when something that is no regular file (a
   *     directory, a symbolic link, a FIFO) is where the use lock file goes: no process can take
   *     the lock, or none should
   */
  static DataDirStart begin(Path dataDir, String applicationId) {
    while (true) {
      List<Path> parentsMissing = missingParents(dataDir);
      boolean dataDirMissing = !exists(dataDir);
      Optional<DirectoryUseLock> lock;
      try {
        Files.createDirectories(dataDir);
        lock = DirectoryUseLock.acquireShared(dataDir.resolve(USE_LOCK_FILE));
      } catch (DirectoryUseLock.NotALockFileException e) {
        // no process could take the lock there: each start would leave what it made
        throw new StartupException("cannot start: " + e.getMessage(), e);
      } catch (IOException | RuntimeException e) {
        LOG.debug("no use lock on {}: {}", dataDir, ErrorText.message(e));
        return new DataDirStart(dataDir, List.of(), false, List.of(), null);
      }
      if (lock.isPresent()) {
        if (!lock.get().createdFile()) {
          // another process made the data dir, or used it, before this start took the lock
          dataDirMissing = false;
          parentsMissing = List.of();
        }
        // noted while holding the lock: what another process made before is not taken for ours
        List<Path> entriesMissing =
            dataDirMissing
                ? List.of()
                : missingEntries(dataDir, applicationId, lock.get().createdFile());
        return new DataDirStart(
            dataDir, parentsMissing, dataDirMissing, entriesMissing, lock.get());
      }
      LOG.debug("{} was removed by another process's failed start: looking again", dataDir);
    }
  }

  /**
   * After a failed start: removes what this start made of the data dir (see the class), when no
   * other process uses the data dir (none holds its use lock, nor an older wire-ingest its embedded
   * broker's lock); else leaves it all, logging why at DEBUG. A failure to remove is logged at
   * WARN, never thrown: the start's own error is the one to report. Releases the lock.
   */
  void failed() {
    if (lock == null) {
      return;
    }
    boolean ran =
        lock.closeExclusively(
            () -> {
              if (brokerLockHeld()) {
                return;
              }
              if (dataDirMissing) {
                if (remove(dataDir)) {
                  removeEmpty(parentsMissing);
                }
              } else {
                entriesMissing.forEach(DataDirStart::remove);
              }
            });
    if (!ran) {
      LOG.debug("{} left as it is: another process uses it", dataDir);
    }
  }

  /** Releases the use lock. Idempotent. */
  @Override
  public void close() {
    if (lock != null) {
      lock.close();
    }
  }

  /**
   * @return the parents of the data dir (made absolute) that were missing, the innermost first
   */
  List<Path> parentsMissing() {
    return parentsMissing;
  }

  /**
   * @return whether the data dir was missing
   */
  boolean dataDirMissing() {
    return dataDirMissing;
  }

  /**
   * @return the entries of a data dir that existed that were missing, in the order they are removed
   */
  List<Path> entriesMissing() {
    return entriesMissing;
  }

  /**
   * Another process's embedded broker (a wire-ingest that takes no use lock) holds the data dir.
   */
  private boolean brokerLockHeld() {
    // no process holds a .lock that is no regular file (a link, a directory, a FIFO): asked, the
    // broker would refuse it, which is no sign of another process
    if (!Files.isRegularFile(
        dataDir.resolve(EmbeddedBroker.LOCK_FILE), LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      EmbeddedBroker.checkNotInUse(dataDir);
      return false;
    } catch (RuntimeException inUse) {
      LOG.debug("{} left as it is: {}", dataDir, ErrorText.message(inUse));
      return true;
    }
  }

  private static List<Path> missingEntries(
      Path dataDir, String applicationId, boolean createdUseLock) {
    List<Path> candidates = new ArrayList<>();
    candidates.add(dataDir.resolve(EmbeddedBroker.LOG_DIR));
    candidates.add(dataDir.resolve(EmbeddedBroker.ADDRESS_FILE));
    candidates.add(dataDir.resolve(EmbeddedBroker.LOCK_FILE));
    Path streams = dataDir.resolve(STREAMS_DIR);
    if (applicationId == null || !exists(streams)) {
      candidates.add(streams);
    } else {
      candidates.add(streams.resolve(applicationId));
      candidates.add(streams.resolve(applicationId + ".lock"));
    }
    List<Path> missing = new ArrayList<>(candidates.stream().filter(p -> !exists(p)).toList());
    if (createdUseLock) {
      missing.add(dataDir.resolve(USE_LOCK_FILE)); // last: the lock held while removing
    }
    return List.copyOf(missing);
  }

  /**
   * @return the parents of {@code dir} (made absolute) that do not exist now, the innermost first
   */
  private static List<Path> missingParents(Path dir) {
    List<Path> missing = new ArrayList<>();
    for (Path parent = dir.toAbsolutePath().getParent();
        parent != null && !exists(parent);
        parent = parent.getParent()) {
      missing.add(parent);
    }
    return missing;
  }

  /**
   * Removes {@code dirs} in the order given while each is an empty directory; stops at the first
   * that is not (another process may have put something there since), logging why at DEBUG.
   */
  private static void removeEmpty(List<Path> dirs) {
    for (Path dir : dirs) {
      try {
        Files.delete(dir);
      } catch (IOException e) {
        LOG.debug("{} left as it is: {}", dir, ErrorText.message(e));
        return;
      }
    }
  }

  /**
   * @return whether {@code path} is gone now (removed, or never made)
   */
  private static boolean remove(Path path) {
    if (!exists(path)) {
      return true;
    }
    try {
      Utils.delete(path.toFile());
      LOG.debug("removed {}, which this failed start created", path);
      return true;
    } catch (IOException e) {
      LOG.warn(
          "could not remove {}, which this failed start created: {}", path, ErrorText.message(e));
      return false;
    }
  }

  private static boolean exists(Path path) {
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
  }
}
