package org.wireingest.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive OS lock ({@link FileChannel#tryLock()}) on one lock file, held while this object is
 * open: one process at a time on a directory (the embedded broker's data dir, a normalizer's Kafka
 * Streams state directory). The file holds the holder's pid (ASCII decimal and a newline) so that a
 * second process can name it in its refusal. The OS drops the lock when its process ends, even by
 * {@code kill -9}, so a lock file left behind never blocks a restart.
 *
 * <p>Thread-safe; {@link #close()} may be called from a shutdown hook.
 */
public final class DirectoryLock implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DirectoryLock.class);

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock on {@code lockFile} without waiting, creating the file (and its parent
   * directories) when missing, and writes this process's pid into it.
   *
   * @param lockFile the lock file; never null
   * @return the held lock; empty when another process, or another holder in this JVM, holds it
   * @throws DirectoryUseLock.NotALockFileException when something that is no regular file (a
   *     symbolic link, whatever it leads to, a directory, a FIFO) is at {@code lockFile}: it is
   *     neither followed nor opened
   * @throws IOException when the file or its directories cannot be created, opened for writing or
   *     locked (e.g. a read-only directory, a path through a regular file)
   */
  public static Optional<DirectoryLock> tryAcquire(Path lockFile) throws IOException {
    return tryAcquire(lockFile, file -> {});
  }

  /**
   * {@link #tryAcquire(Path)}, running {@code beforeOpen} between the check of what is at the lock
   * file and its opening: where a test puts what another process could put there meanwhile.
   *
   * @param beforeOpen given the lock file in its directory's real path; never null
   */
  static Optional<DirectoryLock> tryAcquire(Path lockFile, BeforeOpen beforeOpen)
      throws IOException {
    Path given = Objects.requireNonNull(lockFile, "lockFile").toAbsolutePath();
    // The directory as the system resolves it (symbolic links followed), not as text: "link/../x"
    // is where "link" points, then up, which is what every other user of the path opens.
    Path file =
        Files.createDirectories(given.getParent()).toRealPath().resolve(given.getFileName());
    // a symbolic link there would be followed, and the file it leads to emptied for the pid: the
    // check names what is there; the opening refuses a link put there since
    DirectoryUseLock.checkLockable(file);
    beforeOpen.run(file);
    FileChannel channel =
        DirectoryUseLock.openLockFile(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held in this JVM already
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
    if (lock == null) {
      closeQuietly(channel);
      return Optional.empty();
    }
    try {
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      channel.force(false);
    } catch (IOException e) {
      LOG.debug(
          "Could not write the pid into {}: {}", file, e.toString()); // the lock holds all the same
    }
    return Optional.of(new DirectoryLock(file, channel, lock));
  }

  /**
   * The pid its holder wrote into {@code lockFile}. The file is not locked to read it, so a holder
   * that has just taken the lock may not have written its pid yet.
   *
   * @param lockFile a lock file; never null
   * @return the pid; empty when the file is missing, unreadable, empty or holds no decimal number
   */
  public static OptionalLong ownerPid(Path lockFile) {
    try {
      return OptionalLong.of(
          Long.parseLong(Files.readString(lockFile, StandardCharsets.US_ASCII).strip()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * @param lockFile a lock file; never null
   * @return {@code "lock file <path>, held by pid <pid>"} for a refusal message, without the pid
   *     part when {@link #ownerPid(Path)} finds none; never null
   */
  public static String describeHolder(Path lockFile) {
    OptionalLong pid = ownerPid(lockFile);
    return "lock file " + lockFile + (pid.isPresent() ? ", held by pid " + pid.getAsLong() : "");
  }

  /**
   * @return the lock file, in its directory's real path (symbolic links resolved); never null
   */
  public Path file() {
    return file;
  }

  /** Releases the lock and closes the file (which stays on disk). Idempotent; never throws. */
  @Override
  public void close() {
    closeQuietly(lock);
    closeQuietly(channel);
  }

  @Override
  public String toString() {
    return "DirectoryLock[" + file + "]";
  }

  /**
   * Closes {@code closeable}, logging a failure at DEBUG on {@code log} instead of throwing: for
   * the lock files, channels and sockets of this package, whose close at clean-up has nothing left
   * to do on failure.
   *
   * @param closeable what to close; null does nothing
   * @param log the caller's logger
   */
  static void closeQuietly(AutoCloseable closeable, Logger log) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("Ignored failure closing {}: {}", closeable, e.toString());
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    closeQuietly(closeable, LOG);
  }

  /** What {@link #tryAcquire(Path, BeforeOpen)} runs between its check and its opening. */
  @FunctionalInterface
  interface BeforeOpen {
    void run(Path file) throws IOException;
  }
}
