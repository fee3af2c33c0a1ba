package org.wireingest.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.kafka.DirectoryLock;
import org.wireingest.kafka.EmbeddedBroker;
import org.wireingest.testing.ChildJvm;

class DataDirStartTest {

  @TempDir Path dir;

  @Test
  void shouldNoteANewDataDirAndTheParentsItsStartMakes() {
    Path dataDir = dir.resolve("a").resolve("b").resolve("data");

    try (DataDirStart start = DataDirStart.begin(dataDir, "app")) {
      assertThat(start.dataDirMissing()).isTrue();
      assertThat(start.parentsMissing())
          .containsExactly(dir.resolve("a").resolve("b"), dir.resolve("a"));
      assertThat(dataDir.resolve(DataDirStart.USE_LOCK_FILE)).exists();
    }
  }

  /**
   * A directory where the use lock file goes meant a start without the lock, said at DEBUG only:
   * the start is refused, naming the path and what to do, so the lock is never silently off.
   */
  @Test
  void shouldRefuseToStartWhenTheUseLockFileIsADirectory() throws IOException {
    Path dataDir = Files.createDirectory(dir.resolve("data"));
    Path useLock = Files.createDirectory(dataDir.resolve(DataDirStart.USE_LOCK_FILE));

    assertThatThrownBy(() -> DataDirStart.begin(dataDir, "app"))
        .isInstanceOf(StartupException.class)
        .hasMessageStartingWith("cannot start: " + useLock.toRealPath() + " is a directory")
        .hasMessageEndingWith("; remove it and start again");
    assertThat(names(dataDir)).containsExactly(DataDirStart.USE_LOCK_FILE);
  }

  @Test
  void shouldRemoveANewDataDirAndTheParentsItMadeWhenItsStartFails() throws IOException {
    Path dataDir = dir.resolve("a").resolve("data");
    DataDirStart start = DataDirStart.begin(dataDir, "app");
    Files.createDirectories(dataDir.resolve("streams").resolve("app"));

    start.failed();
    start.close();

    assertThat(dir.resolve("a")).doesNotExist();
    assertThat(dir).exists();
  }

  @Test
  void shouldRemoveOnlyWhatItsStartMadeInADataDirThatExisted() throws IOException {
    Path dataDir = Files.createDirectory(dir.resolve("data"));
    Files.writeString(dataDir.resolve("notes.txt"), "the user's own file", UTF_8);
    DataDirStart start = DataDirStart.begin(dataDir, "app");
    // what a run's start makes there before it fails
    Files.writeString(dataDir.resolve(EmbeddedBroker.LOCK_FILE), "123\n", UTF_8);
    Files.createDirectories(dataDir.resolve(EmbeddedBroker.LOG_DIR));
    Files.writeString(dataDir.resolve("kafka").resolve("meta.properties"), "node.id=1\n", UTF_8);
    Files.createDirectories(dataDir.resolve("streams").resolve("app"));
    Files.writeString(dataDir.resolve("streams").resolve("app.lock"), "123\n", UTF_8);

    start.failed();
    start.close();

    assertThat(names(dataDir)).containsExactly("notes.txt");
  }

  @Test
  void shouldKeepWhatWasThereBeforeItsStartInADataDirThatExisted() throws IOException {
    Path dataDir = Files.createDirectories(dir.resolve("data").resolve("streams").resolve("other"));
    dataDir = dataDir.getParent().getParent();
    Files.writeString(dataDir.resolve(EmbeddedBroker.LOCK_FILE), "", UTF_8);
    DataDirStart start = DataDirStart.begin(dataDir, "app");
    Files.createDirectories(dataDir.resolve("streams").resolve("app"));
    Files.writeString(dataDir.resolve("streams").resolve("app.lock"), "123\n", UTF_8);

    start.failed();
    start.close();

    // its own use lock goes too: this start made it
    assertThat(names(dataDir)).containsExactlyInAnyOrder(EmbeddedBroker.LOCK_FILE, "streams");
    assertThat(names(dataDir.resolve("streams"))).containsExactly("other");
  }

  /**
   * A start refused because the embedded broker's {@code .lock} is a symbolic link left the use
   * lock file it made: the clean-up asked whether another process held {@code .lock}, and took the
   * link's refusal for "in use". No process can hold a {@code .lock} that is no regular file.
   */
  @Test
  void shouldRemoveItsUseLockWhenTheBrokerLockFileIsASymbolicLink() throws IOException {
    Path dataDir = Files.createDirectory(dir.resolve("data"));
    Path elsewhere = Files.writeString(dir.resolve("notes.txt"), "keep me\n", UTF_8);
    Files.createSymbolicLink(dataDir.resolve(EmbeddedBroker.LOCK_FILE), elsewhere);
    DataDirStart start = DataDirStart.begin(dataDir, "app");

    start.failed();
    start.close();

    assertThat(names(dataDir)).containsExactly(EmbeddedBroker.LOCK_FILE);
    assertThat(elsewhere).hasContent("keep me");
  }

  /**
   * A clean-up that leaves a new data dir (an older wire-ingest's embedded broker, which takes no
   * use lock, holds it) must leave its use lock file unmarked: marked "removed" while still in
   * place, it sent every later start on the data dir round its loop for ever.
   */
  @Test
  void shouldLetALaterStartGoAheadAfterACleanUpThatLeftTheDataDir() throws Exception {
    Path dataDir = dir.resolve("data");
    DataDirStart start = DataDirStart.begin(dataDir, "app");
    try (DirectoryLock olderBroker =
        DirectoryLock.tryAcquire(dataDir.resolve(EmbeddedBroker.LOCK_FILE)).orElseThrow()) {
      start.failed();
    }
    assertThat(dataDir).isDirectory();

    ExecutorService later =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "later-start");
              t.setDaemon(true); // left spinning if the start never returns
              return t;
            });
    try {
      Future<DataDirStart> again = later.submit(() -> DataDirStart.begin(dataDir, "app"));
      try (DataDirStart started = again.get(60, TimeUnit.SECONDS)) {
        assertThat(started.dataDirMissing()).isFalse();
      }
    } finally {
      later.shutdownNow();
    }
  }

  /**
   * The race of two starts on one new data dir: this start made the data dir, another process
   * started on it before this one failed (it found the data dir there, so it will never remove it);
   * this start's clean-up removed the data dir from under the other, because the only guard was the
   * embedded broker's lock, which the other did not hold yet (or ever, with {@code
   * --bootstrap-servers}).
   */
  @Test
  void shouldKeepANewDataDirThatAnotherProcessStartedOnBeforeThisStartFailed() throws Exception {
    Path dataDir = dir.resolve("data");
    DataDirStart start = DataDirStart.begin(dataDir, "app");
    Process other = startOther(dataDir);
    try {
      start.failed();
      start.close();

      assertThat(dataDir.resolve("streams").resolve("other")).isDirectory();

      other.destroyForcibly(); // its lock goes with it
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
      DataDirStart again = DataDirStart.begin(dataDir, "app");
      assertThat(again.dataDirMissing()).isFalse();
      again.failed(); // made nothing: leaves the data dir the other made
      again.close();
      assertThat(dataDir.resolve("streams").resolve("other")).isDirectory();
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void shouldKeepANewDataDirThatAnotherStartInThisJvmUses() throws IOException {
    Path dataDir = dir.resolve("data");
    DataDirStart first = DataDirStart.begin(dataDir, "app");
    DataDirStart second = DataDirStart.begin(dataDir, "app");

    first.failed(); // the second uses the data dir
    first.close();
    assertThat(dataDir).isDirectory();
    second.close();

    assertThat(dataDir).isDirectory(); // the second found it there: not its to remove
  }

  /** Starts {@link OtherStart} on {@code dataDir} and waits until it holds the data dir. */
  static Process startOther(Path dataDir) throws IOException {
    Process other = ChildJvm.start(OtherStart.class, dataDir.toString());
    ChildJvm.awaitLine(other, "started");
    return other;
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).toList();
    }
  }

  /**
   * The other process: starts on the data dir named by its argument, makes its streams dir there,
   * says so, and runs until killed.
   */
  static final class OtherStart {
    public static void main(String[] args) throws Exception {
      Path dataDir = Path.of(args[0]);
      DataDirStart start = DataDirStart.begin(dataDir, "other");
      Files.createDirectories(dataDir.resolve("streams").resolve("other"));
      System.out.println("started");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
      start.close();
    }
  }
}
