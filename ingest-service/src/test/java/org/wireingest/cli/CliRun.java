package org.wireingest.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * One in-process execution of the {@code wire-ingest} command line, as {@code bin/wire-ingest}
 * would run it, with what it printed: the tests' single way to run a command to its end.
 *
 * @param exit the exit status ({@code 0} done, {@code 1} could not start or run, {@code 2} bad
 *     usage)
 * @param out what it printed on standard output
 * @param err what it printed on standard error
 */
public record CliRun(int exit, String out, String err) {

  /** Runs {@code args} (the command first) to its end on a fresh command line. */
  public static CliRun execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = WireIngest.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** Runs {@code args} (the command first) to its end on a fresh command line. */
  public static CliRun execute(List<String> args) {
    return execute(args.toArray(String[]::new));
  }

  /**
   * @return the lines printed on standard output
   */
  public List<String> outLines() {
    return out.lines().toList();
  }
}
