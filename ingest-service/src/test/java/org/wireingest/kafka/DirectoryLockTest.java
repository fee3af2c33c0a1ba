package org.wireingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.testing.ChildJvm;

class DirectoryLockTest {

  @TempDir Path dir;

  @Test
  void shouldRefuseASecondHolderInThisJvmUntilTheFirstCloses() throws Exception {
    Path file = dir.resolve("state").resolve("app.lock");

    try (DirectoryLock first = DirectoryLock.tryAcquire(file).orElseThrow()) {
      assertThat(first.file()).isEqualTo(file.getParent().toRealPath().resolve(file.getFileName()));
      assertThat(DirectoryLock.tryAcquire(file)).isEmpty();
    }

    Optional<DirectoryLock> again = DirectoryLock.tryAcquire(file);
    assertThat(again).isPresent();
    again.get().close();
  }

  /**
   * Found in a lock test: "link/../dd" was locked as text ("dd" beside the link) while the system
   * opened the link's sibling.
   */
  @Test
  void shouldLockTheDirectoryTheSystemResolvesThroughASymbolicLink() throws Exception {
    Path real = Files.createDirectories(dir.resolve("s").resolve("real"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);

    try (DirectoryLock first =
        DirectoryLock.tryAcquire(dir.resolve("s").resolve("dd").resolve(".lock")).orElseThrow()) {
      Path viaLink = link.resolve("..").resolve("dd").resolve(".lock"); // the system's s/dd/.lock

      assertThat(DirectoryLock.tryAcquire(viaLink)).isEmpty();
      assertThat(first.file())
          .isEqualTo(dir.toRealPath().resolve("s").resolve("dd").resolve(".lock"));
    }
    assertThat(dir.resolve("dd")).as("nothing made beside the link").doesNotExist();
  }

  @Test
  void shouldWriteTheHoldersPidForTheRefusal() throws Exception {
    Path file = dir.resolve(".lock");
    Files.writeString(file, "999999999\n"); // a stale pid from a holder that died

    try (DirectoryLock lock = DirectoryLock.tryAcquire(file).orElseThrow()) {
      assertThat(DirectoryLock.ownerPid(file)).hasValue(ProcessHandle.current().pid());
      assertThat(DirectoryLock.describeHolder(file))
          .isEqualTo("lock file " + file + ", held by pid " + ProcessHandle.current().pid());
    }
  }

  @Test
  void shouldDescribeAHolderWithoutAPid() throws Exception {
    Path file = Files.writeString(dir.resolve(".lock"), "");

    assertThat(DirectoryLock.ownerPid(file)).isEmpty();
    assertThat(DirectoryLock.ownerPid(dir.resolve("missing.lock"))).isEmpty();
    assertThat(DirectoryLock.describeHolder(file)).isEqualTo("lock file " + file);
  }

  @Test
  void shouldThrowWhenTheLockFileCannotBeCreated() throws Exception {
    // Tests run as root here, so permissions cannot make a directory unwritable: a file in the path
    // can.
    Path notADirectory = Files.writeString(dir.resolve("data"), "a file");

    assertThatThrownBy(() -> DirectoryLock.tryAcquire(notADirectory.resolve(".lock")))
        .isInstanceOf(IOException.class);
  }

  /**
   * A {@code .lock} that is a symbolic link was followed: the file it led to was emptied and the
   * pid written into it. It is refused, the file it leads to left alone.
   */
  @Test
  void shouldRefuseASymbolicLinkAndLeaveTheFileItLeadsToAlone() throws Exception {
    Path elsewhere = Files.writeString(dir.resolve("notes.txt"), "keep me\n");
    Path file = Files.createSymbolicLink(dir.resolve(".lock"), elsewhere);

    assertThatThrownBy(() -> DirectoryLock.tryAcquire(file))
        .isInstanceOf(DirectoryUseLock.NotALockFileException.class)
        .hasMessageStartingWith(
            dir.toRealPath().resolve(".lock") + " is a symbolic link to " + elsewhere)
        .hasMessageEndingWith("; remove it and start again");
    assertThat(elsewhere).hasContent("keep me");
  }

  /**
   * Regression: the lock file was checked for a symbolic link, then opened following links, so a
   * link put there between the two was followed and the file it leads to emptied for the pid. The
   * OS now refuses the link at open time, with the refusal the check gives.
   */
  @Test
  void shouldRefuseASymbolicLinkPutInPlaceAfterTheCheck() throws Exception {
    Path elsewhere = Files.writeString(dir.resolve("notes.txt"), "keep me\n");
    Path file = dir.resolve(".lock");

    assertThatThrownBy(
            () ->
                DirectoryLock.tryAcquire(
                    file, checked -> Files.createSymbolicLink(checked, elsewhere)))
        .isInstanceOf(DirectoryUseLock.NotALockFileException.class)
        .hasMessageStartingWith(
            dir.toRealPath().resolve(".lock") + " is a symbolic link to " + elsewhere)
        .hasMessageEndingWith("; remove it and start again");
    assertThat(elsewhere).hasContent("keep me");
  }

  @Test
  void shouldExcludeAnotherProcessUntilItIsKilled() throws Exception {
    Path file = dir.resolve(".lock");
    Process holder = ChildJvm.start(Holder.class, file.toString());
    try {
      ChildJvm.awaitLine(holder, "locked");

      assertThat(DirectoryLock.tryAcquire(file)).isEmpty();
      assertThat(DirectoryLock.describeHolder(file)).endsWith(", held by pid " + holder.pid());

      holder.destroyForcibly(); // kill -9: the OS drops the lock with the process
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
      try (DirectoryLock lock = DirectoryLock.tryAcquire(file).orElseThrow()) {
        assertThat(DirectoryLock.ownerPid(file)).hasValue(ProcessHandle.current().pid());
      }
    } finally {
      holder.destroyForcibly();
    }
  }

  /**
   * The child process: takes the lock named by its argument, says so, and holds it until killed.
   */
  static final class Holder {
    public static void main(String[] args) throws Exception {
      DirectoryLock lock = DirectoryLock.tryAcquire(Path.of(args[0])).orElseThrow();
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
      lock.close();
    }
  }
}
