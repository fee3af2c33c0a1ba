package org.wireingest.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import org.wireingest.config.ConfigException;
import org.wireingest.logging.LogFormat;
import org.wireingest.logging.OwnLogLevel;
import org.wireingest.model.LongArguments;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code wire-ingest} command line. Exit status: 0 success, 1 the work failed (a feed failed, a
 * check found problems), 2 bad usage or configuration (one clear message on stderr), 130 / 143
 * stopped by SIGINT / SIGTERM (the shell's 128 + the signal's number).
 */
@Command(
    name = "wire-ingest",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Ingests news-agency RSS/Atom feeds into Apache Kafka as deduplicated, versioned article events.",
    subcommands = {
      RunCommand.class,
      PollCommand.class,
      NormalizeCommand.class,
      CheckFeedCommand.class,
      TailCommand.class,
      ReplayCommand.class,
      StoryCommand.class,
      TopicsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class WireIngest implements Runnable {

  /** Exit status for bad usage or configuration. */
  static final int EXIT_CONFIG = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "a command is required (run, poll, normalize, check-feed, tail, replay, story, topics)");
  }

  /**
   * @return a command line with wire-ingest's error handling, writing to picocli's default out and
   *     err (replace them with {@link CommandLine#setOut} / {@link CommandLine#setErr})
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new WireIngest());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // One line and where to look, not the whole usage (a bad --poll-threads value printed 138
    // lines, the error at the top).
    cl.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine failed = e.getCommandLine();
          PrintWriter err = failed.getErr();
          CommandLine.ParameterException shown = typoFirst(e);
          List<String> given = List.of(args);
          err.println(LongArguments.shortened("wire-ingest: " + shown.getMessage(), given));
          Suggestions.print(shown, err);
          Optional<MisplacedOptions.Hint> hint = MisplacedOptions.hint(shown, given);
          hint.map(h -> LongArguments.shortened(h.line(), given)).ifPresent(err::println);
          // after a hint about one command, that command's help: where its options are listed
          CommandLine helpOf = hint.map(MisplacedOptions.Hint::command).orElse(failed);
          err.println("see: " + helpOf.getCommandSpec().qualifiedName() + " --help");
          return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
    CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
    cl.setExecutionStrategy(
        parsed -> {
          startLogging(parsed);
          refuseHelpOfMoreThanOneCommand(parsed);
          return runLast.execute(parsed);
        });
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          List<String> given = parseResult.originalArgs();
          if (e instanceof org.apache.kafka.common.config.ConfigException) {
            err.println(
                LongArguments.shortened(
                    "wire-ingest: invalid Kafka client setting: " + e.getMessage(), given));
            return EXIT_CONFIG;
          }
          if (e instanceof ConfigException) {
            err.println(LongArguments.shortened("wire-ingest: " + e.getMessage(), given));
            return EXIT_CONFIG;
          }
          if (e instanceof StartupException) {
            err.println(LongArguments.shortened("wire-ingest: " + e.getMessage(), given));
            return 1;
          }
          throw e;
        });
    return cl;
  }

  /**
   * The error to show for {@code e}: when a required option or parameter is missing and the command
   * line also held arguments no option took, one of them option-like ({@code -} first), those
   * arguments (a mistyped option: {@code replay --frm 1d} misses {@code --from} because of {@code
   * --frm}), so the message names the typo and the closest options; the same when those arguments
   * came before the command, on the command line above ({@code --topic t tail} misses {@code
   * --topic} because it was given to {@code wire-ingest}); when a command's argument is unmatched
   * and the command line above also held an option-like argument no option took, that one, typed
   * first ({@code --data-dir run run}: the second {@code run} is left over because {@code
   * --data-dir} was given to {@code wire-ingest}); otherwise {@code e} itself.
   *
   * @param e the parse error picocli raised, not null
   * @return {@code e}, or an {@link CommandLine.UnmatchedArgumentException} naming the unmatched
   *     arguments of {@code e}'s command line or, when it has none option-like, of the nearest
   *     command line above with some; never null
   */
  static CommandLine.ParameterException typoFirst(CommandLine.ParameterException e) {
    CommandLine failed = e.getCommandLine();
    CommandLine from;
    if (e instanceof CommandLine.UnmatchedArgumentException) {
      from = failed.getParent(); // its own unmatched arguments are already what e names
    } else if (e instanceof CommandLine.MissingParameterException) {
      from = failed;
    } else {
      return e;
    }
    // only an option-like one is a typo: a value alone ("replay 1d") is one whose option is missing
    for (CommandLine c = from; c != null; c = c.getParent()) {
      if (c.getUnmatchedArguments().stream().anyMatch(a -> a.startsWith("-"))) {
        return new CommandLine.UnmatchedArgumentException(c, c.getUnmatchedArguments());
      }
    }
    return e;
  }

  /**
   * Refuses {@code help} given more than a command ({@code help run extra}): picocli's help command
   * leaves what follows the command unmatched, allowed, and showed the command's help with exit 0,
   * as if the extra argument had meant something.
   *
   * @param parsed the parsed command line, not null
   * @throws CommandLine.ParameterException (exit 2) naming the arguments left over, when the
   *     command run is {@code help} and some are
   */
  static void refuseHelpOfMoreThanOneCommand(CommandLine.ParseResult parsed) {
    if (!parsed.hasSubcommand() || !parsed.subcommand().commandSpec().helpCommand()) {
      return;
    }
    CommandLine help = parsed.subcommand().commandSpec().commandLine();
    List<String> extra = help.getUnmatchedArguments();
    if (!extra.isEmpty()) {
      throw new CommandLine.ParameterException(
          help,
          "help shows the help of one command: "
              + extra.stream().map(a -> "'" + a + "'").collect(Collectors.joining(", "))
              + (extra.size() == 1 ? " is" : " are")
              + " left over");
    }
  }

  /**
   * Sets the log format the command to run was given ({@code --log-format}; the commands without
   * it, and a command line without it, keep {@code logback.xml}'s text lines), then logs at WARN a
   * {@value OwnLogLevel#VARIABLE} that names no level ({@link OwnLogLevel#problem}), so that under
   * {@code --log-format json} that line too is a JSON object, as every later one. Runs once the
   * command line has parsed, before the command; a command line that does not parse gets its error
   * lines and no log line.
   *
   * @param parsed the parsed command line
   */
  static void startLogging(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult command = parsed;
    while (command.hasSubcommand()) {
      command = command.subcommand();
    }
    LogFormat format = command.matchedOptionValue("--log-format", LogFormat.TEXT);
    if (format != LogFormat.TEXT) {
      format.apply(); // text is logback.xml's own format: left as configured
    }
    OwnLogLevel.problem(OwnLogLevel.given())
        .ifPresent(problem -> LoggerFactory.getLogger(WireIngest.class).warn(problem));
  }

  /**
   * Logs an exception no thread caught at ERROR, with its thread's name: the process's default
   * handler.
   */
  static final Thread.UncaughtExceptionHandler UNCAUGHT_TO_LOG =
      (thread, e) ->
          LoggerFactory.getLogger(WireIngest.class)
              .error("uncaught exception in thread {}", thread.getName(), e);

  /**
   * Entry point: runs the command {@code args} name and exits the JVM with its status (see the
   * class comment). Standard output and error are written in UTF-8 whatever the platform's default
   * charset.
   *
   * @param args the command line, e.g. {@code run --once --feeds feeds.yaml}
   */
  public static void main(String[] args) {
    // An exception no thread caught goes through the logger, so it is redacted and, with
    // --log-format json, one JSON object like every other line (the JVM's default writes raw text).
    Thread.setDefaultUncaughtExceptionHandler(UNCAUGHT_TO_LOG);
    CommandLine cl = commandLine();
    // Feed text is UTF-8 whatever the platform's default charset: JSON lines must stay UTF-8.
    cl.setOut(
        new PrintWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8),
            true));
    cl.setErr(
        new PrintWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8),
            true));
    int code = cl.execute(args);
    System.exit(code);
  }
}
