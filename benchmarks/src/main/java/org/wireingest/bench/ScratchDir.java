package org.wireingest.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The data directory of a benchmark run: the one named by {@code --data-dir}, kept as it is, or a
 * new temporary directory that is deleted with everything in it when the JVM exits (normal exit or
 * SIGTERM/SIGINT; not after kill -9). A 1,000,000-item {@link PipelineThroughput} run leaves several
 * GB of broker logs and state stores, so leaving them in {@code /tmp} fills the disk within a day.
 */
final class ScratchDir {

  private ScratchDir() {}

  /**
   * @param args the parsed options; {@code data-dir} is used when present
   * @param prefix the temporary directory's name prefix, e.g. {@code wire-bench}
   * @return the directory to use; exists
   * @throws IOException when the temporary directory cannot be created
   */
  static Path of(Map<String, String> args, String prefix) throws IOException {
    String given = args.get("data-dir");
    if (given != null) {
      return Files.createDirectories(Path.of(given));
    }
    Path dir = Files.createTempDirectory(prefix);
    System.out.println("data directory " + dir + " (deleted at exit; --data-dir DIR keeps one)");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "scratch-dir-cleanup"));
    return dir;
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // a file still held open by a closing broker thread; the rest is still removed
        }
      });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not remove the benchmark's data directory " + dir + ": " + e);
    }
  }
}
