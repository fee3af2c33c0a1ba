package org.wireingest.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reader-writer OS lock ({@link FileChannel#lock(long, long, boolean)}) on one lock file in a
 * directory: every process that uses the directory holds it <em>shared</em>, and a process that
 * wants to remove something from the directory takes it <em>exclusively</em>, which it gets only
 * when no other process uses the directory. Kafka's {@code FileLock} (its log dirs) and Kafka
 * Streams' {@code StateDirectory} take exclusive locks only; this is their pattern with the shared
 * mode added, as {@code flock(1)}'s {@code -s}/{@code -x}.
 *
 * <p>The holder of the exclusive lock may delete the lock file (with the directory). Another
 * process may then be waiting on the deleted file: when the file it locked is no longer the one at
 * its path, the remover writes {@value #RETIRED} into it before releasing, and a shared lock taken
 * on a file that says so is refused ({@link #acquireShared} returns empty), so that the caller
 * looks at the directory again and takes the lock on the file that is there now. A lock file still
 * in place is never marked: a later start would find the mark, and look again, for ever; a mark
 * found on the file that is still at its path (the same file before it was opened and once locked:
 * one a build before that rule left, or text written there by hand) is cleared, not obeyed.
 *
 * <p>A process that finds no other using the directory when it takes the lock (it gets the lock
 * exclusively for a moment) starts the file afresh with its own use record; every process that
 * takes the lock beside others appends one. A removal runs only for a holder that started the
 * record and finds it unchanged: a process that used the directory meanwhile and has ended may have
 * made there what the remover would take for its own.
 *
 * <p>The OS lock belongs to the process, and the JDK refuses a second lock on the same file in the
 * same JVM: holders in one JVM share one OS lock, counted here, and the exclusive lock is tried
 * only when no other holder in this JVM remains. Thread-safe.
 */
public final class DirectoryUseLock implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DirectoryUseLock.class);

  /** What a removed lock file says: a lock on it guards nothing any more. */
  static final String RETIRED = "removed\n";

  /** What each process appends to the lock file when it starts using the directory. */
  private static final byte[] USE = {'u'};

  /** The held OS locks of this JVM, by lock file (its directory's real path). */
  private static final Map<Path, Held> HELD = new HashMap<>();

  private static final class Held {
    final FileChannel channel;
    final Object fileKey;

    /** The lock file's size once this JVM recorded its use alone, -1 when others used it then. */
    final long usesAtStart;

    FileLock lock;
    int holders;

    Held(FileChannel channel, Object fileKey, FileLock lock, long usesAtStart) {
      this.channel = channel;
      this.fileKey = fileKey;
      this.lock = lock;
      this.usesAtStart = usesAtStart;
    }
  }

  /**
   * Something that is no regular file (a directory, a FIFO, a socket, a device, a symbolic link,
   * whatever it leads to) is where the lock file goes: no process can lock it, or none should (the
   * file a link leads to would be overwritten), so none can tell others that it uses the directory
   * until it is removed. Never made by this class, so removing it loses nothing. The message names
   * the path, what is there and what to do.
   */
  public static final class NotALockFileException extends IOException {

    private static final long serialVersionUID = 1L;

    NotALockFileException(Path file, String what) {
      super(
          file
              + " is "
              + what
              + ", not a lock file: no process can lock it to say that it uses "
              + file.getParent()
              + "; remove it and start again");
    }
  }

  private final Path file;
  private final boolean createdFile;
  private boolean closed;

  private DirectoryUseLock(Path file, boolean createdFile) {
    this.file = file;
    this.createdFile = createdFile;
  }

  /**
   * Takes the shared lock on {@code lockFile}, creating the file when missing (its directory must
   * exist), waiting while another process holds it exclusively (it is removing from the directory:
   * a short wait).
   *
   * @param lockFile the lock file; never null
   * @return the held lock; empty when the file was removed by the exclusive holder this call waited
   *     for: look at the directory again (it may be gone) and call again
   * @throws NotALockFileException when something that is no regular file is at {@code lockFile} (a
   *     directory, a symbolic link, a FIFO, ...): it is not opened
   * @throws IOException when the file cannot be created, opened or locked (a read-only or missing
   *     directory, a path through a regular file)
   */
  public static Optional<DirectoryUseLock> acquireShared(Path lockFile) throws IOException {
    Path given = Objects.requireNonNull(lockFile, "lockFile").toAbsolutePath();
    Path file = given.getParent().toRealPath().resolve(given.getFileName());
    synchronized (HELD) {
      Held held = HELD.get(file);
      boolean created = false;
      if (held == null) {
        checkLockable(file);
        Object before = fileKeyIfThere(file);
        FileChannel channel;
        try {
          channel =
              openLockFile(
                  file,
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE);
          created = true;
        } catch (FileAlreadyExistsException exists) {
          try {
            channel = openLockFile(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
          } catch (NoSuchFileException removedMeanwhile) {
            return Optional.empty();
          }
        }
        FileLock lock;
        Object fileKey;
        long usesAtStart = -1;
        try {
          FileLock alone = channel.tryLock(0, Long.MAX_VALUE, false);
          if (alone != null) {
            // no other process uses the directory: start the record of uses with this one
            if (retired(channel) && !inPlace(before, file)) {
              alone.release();
              channel.close();
              return Optional.empty();
            }
            channel.truncate(0); // also clears a mark no remover of this file wrote (see the class)
            channel.write(ByteBuffer.wrap(USE), 0);
            usesAtStart = channel.size();
            alone.release(); // the JDK cannot turn an exclusive lock into a shared one in place
          }
          lock = channel.lock(0, Long.MAX_VALUE, true);
          if (retired(channel)) {
            if (!inPlace(before, file)) {
              lock.release();
              channel.close();
              return Optional.empty();
            }
            LOG.debug("{} says removed but is still in place: not obeyed", file);
          }
          if (usesAtStart < 0) {
            channel.write(ByteBuffer.wrap(USE), channel.size());
          }
          // the file at the path now is the one locked: a remover marks a file only once it is gone
          fileKey = fileKey(file);
        } catch (IOException | RuntimeException e) {
          closeQuietly(channel);
          throw e;
        }
        held = new Held(channel, fileKey, lock, usesAtStart);
        HELD.put(file, held);
      }
      held.holders++;
      return Optional.of(new DirectoryUseLock(file, created));
    }
  }

  /**
   * @return whether taking this hold created the lock file: no process had used the directory
   *     through it before (or the file had been removed)
   */
  public boolean createdFile() {
    return createdFile;
  }

  /**
   * Releases this hold and, when it was the last one, runs {@code removal} while holding the lock
   * exclusively: only when no other holder, in this JVM or in another process, holds it at that
   * moment, and no other process took it since this JVM did (nor held it then). The exclusive lock
   * is released once {@code removal} returns or throws; when the lock file is no longer at its path
   * then (the removal deleted it, or its directory), it is marked retired first, so that a process
   * waiting for it looks again.
   *
   * @param removal what to do while no other process uses the directory; may delete the lock file;
   *     never null
   * @return whether {@code removal} ran
   */
  public boolean closeExclusively(Runnable removal) {
    Objects.requireNonNull(removal, "removal");
    synchronized (HELD) {
      Held held = HELD.get(file);
      if (closed || held == null) {
        return false;
      }
      if (held.holders > 1) {
        close();
        return false;
      }
      closed = true;
      HELD.remove(file);
      FileLock exclusive = null;
      try {
        held.lock.release(); // the JDK cannot turn a shared lock into an exclusive one in place
        exclusive = held.channel.tryLock(0, Long.MAX_VALUE, false);
        if (exclusive == null) {
          return false; // another process uses the directory
        }
        if (held.usesAtStart < 0 || held.channel.size() != held.usesAtStart) {
          LOG.debug("{}: another process used the directory since this one took it", file);
          return false; // what it made there may be taken for this process's
        }
        try {
          removal.run();
        } finally {
          if (!isAtItsPath(file, held.fileKey)) {
            retire(held.channel);
          }
        }
        return true;
      } catch (IOException e) {
        LOG.debug("Could not take {} exclusively: {}", file, e.toString());
        return false;
      } finally {
        closeQuietly(exclusive);
        closeQuietly(held.channel);
      }
    }
  }

  /** Releases this hold (the OS lock once no holder in this JVM remains). Idempotent. */
  @Override
  public void close() {
    synchronized (HELD) {
      if (closed) {
        return;
      }
      closed = true;
      Held held = HELD.get(file);
      if (held != null && --held.holders == 0) {
        HELD.remove(file);
        closeQuietly(held.lock);
        closeQuietly(held.channel);
      }
    }
  }

  /**
   * @return the lock file, in its directory's real path; never null
   */
  public Path file() {
    return file;
  }

  @Override
  public String toString() {
    return "DirectoryUseLock[" + file + "]";
  }

  /**
   * Refuses what no process can lock at {@code file}, or should not, before opening it: a directory
   * failed the opening ("Is a directory") and a FIFO its first read ("Illegal seek"), which callers
   * took for a lock that cannot be had, said at DEBUG only; a symbolic link to nothing, there to
   * create but not to open, was taken for a file removed meanwhile, and its callers looked again
   * for ever; a symbolic link to a regular file elsewhere was locked, and the first use emptied
   * that file and wrote the record of uses into it. This class never makes a link, so any link is
   * refused, whatever it leads to. {@link DirectoryLock} checks its lock files the same way.
   *
   * @throws NotALockFileException when something that is no regular file is there: a directory, a
   *     symbolic link, a FIFO, a socket or a device
   */
  static void checkLockable(Path file) throws NotALockFileException {
    BasicFileAttributes there;
    try {
      there = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException none) {
      return; // nothing there (it is created), or what fails here fails the opening too
    }
    if (there.isRegularFile()) {
      return;
    }
    String what;
    if (there.isSymbolicLink()) {
      what = "a symbolic link" + linkTarget(file);
    } else if (there.isDirectory()) {
      what = "a directory";
    } else {
      what = "no regular file (a FIFO, a socket or a device)";
    }
    throw new NotALockFileException(file, what);
  }

  /**
   * Opens the lock file {@code file} with {@code options} and {@link LinkOption#NOFOLLOW_LINKS}:
   * the OS refuses a symbolic link at open time ({@code O_NOFOLLOW}), so a link put there after
   * {@link #checkLockable} looked is not followed either, and the refusal is the same {@link
   * NotALockFileException} the check gives.
   *
   * @param file the lock file, in its directory's real path; never null
   * @param options how to open it (e.g. {@code CREATE}, {@code WRITE}); never null
   * @return the open channel; never null
   * @throws NotALockFileException when the opening failed because something that is no regular file
   *     is at {@code file} now
   * @throws IOException when it cannot be opened otherwise ({@link NoSuchFileException}, {@link
   *     FileAlreadyExistsException} for {@code CREATE_NEW}, a read-only directory, ...)
   */
  static FileChannel openLockFile(Path file, OpenOption... options) throws IOException {
    Set<OpenOption> all = new HashSet<>(Arrays.asList(options));
    all.add(LinkOption.NOFOLLOW_LINKS);
    try {
      return FileChannel.open(file, all);
    } catch (NoSuchFileException | FileAlreadyExistsException e) {
      throw e;
    } catch (IOException e) {
      // "Too many levels of symbolic links (NOFOLLOW_LINKS specified)" says less than the check
      checkLockable(file);
      throw e;
    }
  }

  /**
   * @return {@code " to "} and the target of the symbolic link {@code link} as written in it (a
   *     relative one is relative to the link's directory); empty when it cannot be read
   */
  private static String linkTarget(Path link) {
    try {
      return " to " + Files.readSymbolicLink(link);
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }

  /**
   * The identity of the file at {@code file} (its device and inode on Unix), null when the file
   * system gives none.
   */
  private static Object fileKey(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }

  /**
   * The identity of the file at {@code file}, null when there is none or the file system gives
   * none.
   */
  private static Object fileKeyIfThere(Path file) throws IOException {
    try {
      return fileKey(file);
    } catch (NoSuchFileException gone) {
      return null;
    }
  }

  /**
   * Whether the file locked, which was {@code before} at {@code file} before it was opened (null:
   * none was), is still the one there: the same identity before and after.
   */
  private static boolean inPlace(Object before, Path file) throws IOException {
    return before != null && before.equals(fileKeyIfThere(file));
  }

  /**
   * Whether the lock file whose identity was {@code fileKey} is still the file at {@code file};
   * without an identity, whether a file is there.
   */
  private static boolean isAtItsPath(Path file, Object fileKey) {
    try {
      Object now = fileKey(file);
      return fileKey == null || now == null || fileKey.equals(now);
    } catch (NoSuchFileException gone) {
      return false;
    } catch (IOException e) {
      return true; // not known to be gone: a mark on a file still in place would stop every start
    }
  }

  private static boolean retired(FileChannel channel) throws IOException {
    ByteBuffer content = ByteBuffer.allocate(RETIRED.length());
    while (content.hasRemaining() && channel.read(content, content.position()) > 0) {
      // read what the file holds, up to the marker's length
    }
    return new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII)
        .equals(RETIRED);
  }

  private static void retire(FileChannel channel) {
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(RETIRED.getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(false);
    } catch (IOException e) {
      LOG.warn("Could not mark the removed lock file as removed: {}", e.toString());
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    DirectoryLock.closeQuietly(closeable, LOG);
  }
}
