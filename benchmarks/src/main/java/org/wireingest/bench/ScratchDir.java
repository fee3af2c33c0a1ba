package org.wireingest.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * The data directory of a benchmark run: the one named by {@code --data-dir}, always kept, or a new
 * temporary directory that {@link #deleteAfterCompletedRun} removes once the run has finished and
 * closed its broker and child processes. A run that fails or is interrupted keeps it, with the
 * broker logs and the child's {@code stderr.log} that its error message points to. A 1,000,000-item
 * {@link PipelineThroughput} run leaves several GB of broker logs and state stores: left in {@code
 * /tmp}, the runs of one day filled the disk.
 */
final class ScratchDir {

  private final Path path;
  private final boolean temporary;

  private ScratchDir(Path path, boolean temporary) {
    this.path = path;
    this.temporary = temporary;
  }

  /**
   * @param args the parsed options; {@code data-dir} is used when present
   * @param prefix the temporary directory's name prefix, e.g. {@code wire-bench}
   * @return the run's directory; it exists
   * @throws IOException when the directory cannot be created
   */
  static ScratchDir of(Map<String, String> args, String prefix) throws IOException {
    String given = args.get("data-dir");
    if (given != null) {
      return new ScratchDir(Files.createDirectories(Path.of(given)), false);
    }
    Path dir = Files.createTempDirectory(prefix);
    System.out.println(
        "data directory "
            + dir
            + " (removed after a completed run, kept after a failed one; --data-dir DIR keeps it)");
    return new ScratchDir(dir, true);
  }

  /**
   * @return the directory
   */
  Path path() {
    return path;
  }

  /**
   * Removes the directory and everything in it when it is a temporary one; call it only after the
   * run completed and everything writing into it has stopped. Files that vanish meanwhile are
   * skipped; a failure is reported on stderr, not thrown (the run's results are already out).
   */
  void deleteAfterCompletedRun() {
    if (!temporary) {
      return;
    }
    try {
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              if (e != null && !(e instanceof NoSuchFileException)) {
                throw e;
              }
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      System.err.println("could not remove the benchmark's data directory " + path + ": " + e);
    }
  }
}
