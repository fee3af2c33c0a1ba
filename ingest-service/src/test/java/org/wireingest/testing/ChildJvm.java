package org.wireingest.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Another process for a test that needs one (a file lock is the process's, so a second holder in
 * the same JVM proves nothing): a new JVM, this JVM's {@code java} with the test run's class path,
 * running one class's {@code main}.
 */
public final class ChildJvm {

  private ChildJvm() {}

  /**
   * Starts {@code main} in a new JVM, its standard error merged into its standard output. The
   * caller destroys the process (in a {@code finally}).
   *
   * @param main a class with {@code public static void main(String[])}, on the test class path
   * @param args its arguments
   * @return the running process; never null
   * @throws IOException when the JVM cannot be started
   */
  public static Process start(Class<?> main, String... args) throws IOException {
    String[] command = new String[4 + args.length];
    command[0] = ProcessHandle.current().info().command().orElse("java");
    command[1] = "-cp";
    command[2] = System.getProperty("java.class.path");
    command[3] = main.getName();
    System.arraycopy(args, 0, command, 4, args.length);
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /**
   * Reads {@code child}'s output until a line equals {@code line} (past any logging set-up lines
   * before it): the child says it is ready.
   *
   * @throws AssertionError when the output ends first (the child failed), naming what it wrote
   */
  public static void awaitLine(Process child, String line) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder before = new StringBuilder();
    String read;
    while ((read = out.readLine()) != null && !read.equals(line)) {
      before.append(read).append('\n');
    }
    assertThat(read).as("the child process's output after:%n%s", before).isEqualTo(line);
  }
}
