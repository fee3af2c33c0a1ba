package org.wireingest.kafka;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wireingest.testing.ChildJvm;

class DirectoryUseLockTest {

  @TempDir Path dir;

  @Test
  void shouldGrantTheExclusiveLockToTheLastHolderInThisJvmOnly() throws Exception {
    Path file = dir.resolve(".use.lock");
    DirectoryUseLock first = DirectoryUseLock.acquireShared(file).orElseThrow();
    DirectoryUseLock second = DirectoryUseLock.acquireShared(file).orElseThrow();
    AtomicBoolean ran = new AtomicBoolean();

    assertThat(first.closeExclusively(() -> ran.set(true))).isFalse();
    assertThat(ran).isFalse();
    assertThat(second.closeExclusively(() -> ran.set(true))).isTrue();
    assertThat(ran).isTrue();
  }

  /**
   * A directory or a FIFO where the lock file goes could not be locked, which was said at DEBUG
   * only: every start ran without the use lock, and each failed one left what it made. A symbolic
   * link to nothing was no lock file either, but "removed meanwhile": its callers looked again for
   * ever.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          directory    | a directory
          FIFO         | no regular file (a FIFO, a socket or a device)
          dangling link | a symbolic link to {real}/nothing
          looping link  | a symbolic link to .use.lock
          """)
  void shouldRefuseWhatIsNoRegularFileWhereTheLockFileGoes(String kind, String what)
      throws Exception {
    Path real = dir.toRealPath();
    Path file = real.resolve(".use.lock");
    switch (kind) {
      case "directory" -> Files.createDirectory(file);
      case "FIFO" ->
          assertThat(new ProcessBuilder("mkfifo", file.toString()).start().waitFor()).isZero();
      case "looping link" -> Files.createSymbolicLink(file, Path.of(".use.lock"));
      default -> Files.createSymbolicLink(file, real.resolve("nothing"));
    }

    assertThatThrownBy(() -> DirectoryUseLock.acquireShared(file))
        .isInstanceOf(DirectoryUseLock.NotALockFileException.class)
        .hasMessage(
            file
                + " is "
                + what.replace("{real}", real.toString())
                + ", not a lock file: no process can lock it to say that it uses "
                + real
                + "; remove it and start again");
  }

  /**
   * The opening of a lock file refuses a symbolic link itself, so one put in place after {@code
   * checkLockable} looked is refused as clearly, and the file it leads to left alone.
   */
  @Test
  void shouldRefuseToOpenASymbolicLinkAsALockFile() throws Exception {
    Path real = dir.toRealPath();
    Path elsewhere = Files.writeString(real.resolve("notes.txt"), "keep me");
    Path file = Files.createSymbolicLink(real.resolve(".use.lock"), elsewhere);

    assertThatThrownBy(
            () ->
                DirectoryUseLock.openLockFile(
                    file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        .isInstanceOf(DirectoryUseLock.NotALockFileException.class)
        .hasMessageStartingWith(file + " is a symbolic link to " + elsewhere + ", not a lock file");
    assertThat(elsewhere).hasContent("keep me");
  }

  /**
   * Regression: a symbolic link to a regular file elsewhere was taken for the lock file, and the
   * file it leads to was emptied and written with the record of uses (the first use truncates it):
   * what it held was lost. wire-ingest never makes a link there, so any link is refused, and the
   * file it leads to is not opened.
   */
  @Test
  void shouldRefuseASymbolicLinkToARegularFileAndLeaveThatFileAlone() throws Exception {
    Path real = dir.toRealPath();
    Path elsewhere = Files.writeString(real.resolve("notes.txt"), "keep me");
    Path file = Files.createSymbolicLink(real.resolve(".use.lock"), elsewhere);

    assertThatThrownBy(() -> DirectoryUseLock.acquireShared(file))
        .isInstanceOf(DirectoryUseLock.NotALockFileException.class)
        .hasMessageStartingWith(file + " is a symbolic link to " + elsewhere + ", not a lock file")
        .hasMessageEndingWith("; remove it and start again");
    assertThat(elsewhere).hasContent("keep me");
  }

  @Test
  void shouldRefuseTheExclusiveLockWhileAnotherProcessHoldsItShared() throws Exception {
    Path file = dir.resolve(".use.lock");
    Process holder = ChildJvm.start(Holder.class, file.toString());
    try {
      ChildJvm.awaitLine(holder, "locked");
      AtomicBoolean ran = new AtomicBoolean();

      DirectoryUseLock mine = DirectoryUseLock.acquireShared(file).orElseThrow(); // shared: granted
      assertThat(mine.closeExclusively(() -> ran.set(true))).isFalse();
      assertThat(ran).isFalse();

      holder.destroyForcibly(); // kill -9: the OS drops the lock with the process
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
      DirectoryUseLock again = DirectoryUseLock.acquireShared(file).orElseThrow();
      assertThat(again.closeExclusively(() -> ran.set(true))).isTrue();
      assertThat(ran).isTrue();
    } finally {
      holder.destroyForcibly();
    }
  }

  /**
   * A failed normalize on a new data dir removed the whole dir, with the topics a {@code run
   * --once} started beside it had written there and finished with: the remover found no other
   * holder at its end, so it took what that run made for its own.
   */
  @Test
  void shouldNotRunTheRemovalWhenAnotherProcessUsedTheDirectoryMeanwhile() throws Exception {
    Path file = dir.resolve(".use.lock");
    DirectoryUseLock mine = DirectoryUseLock.acquireShared(file).orElseThrow();
    Process other = ChildJvm.start(Holder.class, file.toString());
    try {
      ChildJvm.awaitLine(other, "locked");
    } finally {
      other.destroyForcibly(); // it ends before this holder's removal, its lock gone with it
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    AtomicBoolean ran = new AtomicBoolean();

    assertThat(mine.closeExclusively(() -> ran.set(true))).isFalse();
    assertThat(ran).isFalse();
  }

  @Test
  void shouldMarkALockFileItsExclusiveHolderRemovedSoThatAWaiterLooksAgain() throws Exception {
    Path file = dir.resolve(".use.lock");
    DirectoryUseLock lock = DirectoryUseLock.acquireShared(file).orElseThrow();
    Path kept = dir.resolve("kept.lock");
    Files.copy(file, kept); // what a process that opened the file before it went would read

    assertThat(lock.closeExclusively(() -> copyOver(file, kept))).isTrue();

    assertThat(Files.readString(kept, US_ASCII)).isEqualTo(DirectoryUseLock.RETIRED);
    assertThat(file).doesNotExist();
  }

  /**
   * A lock file still at its path that says removed (marked in place by a build before the remover
   * checked that the file was gone) hung every later start: each took the lock, found the mark and
   * looked again, for ever. The mark is cleared and the lock granted.
   */
  @Test
  void shouldGrantTheLockOnALockFileInPlaceThatSaysRemoved() throws Exception {
    Path file = dir.resolve(".use.lock");
    Files.writeString(file, DirectoryUseLock.RETIRED, US_ASCII);

    try (DirectoryUseLock lock = DirectoryUseLock.acquireShared(file).orElseThrow()) {
      assertThat(lock.file()).isEqualTo(dir.toRealPath().resolve(".use.lock"));
    }
    assertThat(Files.readString(file, US_ASCII)).isNotEqualTo(DirectoryUseLock.RETIRED);
  }

  /**
   * A removal that leaves the lock file where it was (it found the directory in use after all, or
   * could not delete everything) must not mark it removed: every later start would find the mark,
   * look again and find it again, for ever.
   */
  @Test
  void shouldNotMarkALockFileTheRemovalLeftInPlace() throws Exception {
    Path file = dir.resolve(".use.lock");
    DirectoryUseLock lock = DirectoryUseLock.acquireShared(file).orElseThrow();

    assertThat(lock.closeExclusively(() -> {})).isTrue();

    assertThat(Files.readString(file, US_ASCII)).isNotEqualTo(DirectoryUseLock.RETIRED);
    try (DirectoryUseLock again = DirectoryUseLock.acquireShared(file).orElseThrow()) {
      assertThat(again.file()).isEqualTo(lock.file());
    }
  }

  /** Replaces {@code kept} with a hard link to {@code file}, then removes {@code file}. */
  private static void copyOver(Path file, Path kept) {
    try {
      Files.delete(kept);
      Files.createLink(kept, file);
      Files.delete(file);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The child process: takes the lock shared, says so, and holds it until killed. */
  static final class Holder {
    public static void main(String[] args) throws Exception {
      DirectoryUseLock lock = DirectoryUseLock.acquireShared(Path.of(args[0])).orElseThrow();
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
      lock.close();
    }
  }
}
