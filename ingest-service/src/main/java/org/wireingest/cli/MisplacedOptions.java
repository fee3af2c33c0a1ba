package org.wireingest.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.wireingest.model.LongArguments;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command's options go when they were typed before the command ({@code wire-ingest
 * --data-dir /tmp/x run}): picocli takes them for options of {@code wire-ingest} itself and says
 * only {@code Unknown options: '--data-dir', '/tmp/x'}.
 */
final class MisplacedOptions {

  /** An argument a POSIX shell takes as it is. */
  private static final Pattern PLAIN = Pattern.compile("[\\w@%+=:,./-]+");

  private MisplacedOptions() {}

  /**
   * A line saying where options typed before their command go, and the command whose help to see.
   *
   * @param line the line, e.g. {@code --data-dir is an option of run: put it after the command:
   *     wire-ingest run --data-dir /tmp/x}; never null
   * @param command the command the line is about ({@code run}), or the top-level command when it
   *     names no command given; never null
   */
  record Hint(String line, CommandLine command) {}

  /**
   * A line saying where the options of {@code e} go, when {@code e} is the top-level command's
   * unmatched-argument error and each option-like argument it names ({@code -} first, any {@code
   * =value} aside, a short option's attached value too: {@code -Kacks=all}) is an option of the
   * command given later on {@code args}, e.g. {@code --data-dir is an option of run: put it after
   * the command: wire-ingest run --data-dir /tmp/x}; with no command on {@code args}, of every
   * command listed, e.g. {@code --data-dir is an option of run, poll, ...: put it after the
   * command: wire-ingest COMMAND --data-dir /tmp/x}. With a command given, a long option's name
   * that is no option of any command, nor one asking for log lines ({@link
   * Suggestions#asksForLogLines}), but close to one of that command's ({@link Suggestions#closest})
   * stands for the closest, unless an option of another command (or of wire-ingest itself) is
   * closer ({@code --topic-prefx x tail} is no misspelt {@code --topic}): {@code --feeds (not
   * --feds) is an option of run: put it after the command: wire-ingest run --feeds f.yaml}. The
   * command line shown is {@code args} with the arguments before the command moved after it, each
   * escaped as a POSIX shell needs (in single quotes when it holds a blank, a quote, {@code $},
   * ...).
   *
   * @param e the parse error shown, not null
   * @param args the whole command line as given, not null
   * @return the line, with the command given ({@code run}), or the top-level command when none is
   *     given; empty when {@code e} is another error, names no option, or an option it names is no
   *     option of that command nor close to one (of any command, with none given)
   */
  static Optional<Hint> hint(CommandLine.ParameterException e, List<String> args) {
    CommandLine top = e.getCommandLine();
    if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched)
        || top.getParent() != null) {
      return Optional.empty();
    }
    List<String> options =
        unmatched.getUnmatched().stream()
            .filter(MisplacedOptions::optionLike)
            .map(MisplacedOptions::optionName)
            .distinct()
            .toList();
    if (options.isEmpty()) {
      return Optional.empty();
    }
    int at = 0;
    while (at < args.size() && !top.getSubcommands().containsKey(args.get(at))) {
      at++;
    }
    List<CommandLine> taking;
    String named;
    if (at < args.size()) {
      taking = List.of(top.getSubcommands().get(args.get(at)));
      named = args.get(at);
    } else {
      taking = top.getSubcommands().values().stream().distinct().toList();
      named = "COMMAND";
    }
    // a typed name no command has stands for the given command's closest option, if any
    Map<String, String> meant = new LinkedHashMap<>();
    for (String option : options) {
      String name = option;
      // a long one only: of one letter, -v is no misspelt -V
      if (taking.size() == 1
          && option.startsWith("--")
          && !Suggestions.asksForLogLines(option)
          && !anyCommandTakes(top, option)) {
        List<String> closest =
            Suggestions.closest(option, Suggestions.optionNames(taking.get(0).getCommandSpec()));
        // only when no other command's option (nor a top-level one) is closer: --topic-prefx
        // before tail means run's --topic-prefix, not tail's --topic
        List<String> closestOfAll = Suggestions.closest(option, allOptionNames(top));
        name =
            closest.isEmpty() || !closestOfAll.get(0).equals(closest.get(0))
                ? option
                : closest.get(0);
      }
      meant.put(option, name);
    }
    List<CommandLine> takers =
        taking.stream()
            .filter(c -> !c.getCommandSpec().helpCommand())
            .filter(c -> !c.getCommandSpec().usageMessage().hidden())
            .filter(c -> meant.values().stream().allMatch(o -> takes(c.getCommandSpec(), o)))
            .toList();
    if (takers.isEmpty()) {
      return Optional.empty();
    }
    List<String> moved = new ArrayList<>(args.subList(0, at));
    if (at < args.size()) {
      moved.addAll(args.subList(at + 1, args.size()));
    }
    List<String> shown =
        meant.entrySet().stream()
            .map(
                m ->
                    m.getKey().equals(m.getValue())
                        ? m.getKey()
                        : m.getValue() + " (not " + m.getKey() + ")")
            .toList();
    String line =
        and(shown)
            + (options.size() == 1 ? " is an option of " : " are options of ")
            + takers.stream().map(c -> c.getCommandSpec().name()).collect(Collectors.joining(", "))
            + ": put "
            + (options.size() == 1 ? "it" : "them")
            + " after the command: "
            + top.getCommandSpec().name()
            + " "
            + named
            + " "
            + moved.stream()
                .map(a -> corrected(a, meant))
                .map(MisplacedOptions::shownWord)
                .collect(Collectors.joining(" "));
    return Optional.of(new Hint(line, at < args.size() ? takers.get(0) : top));
  }

  /** The visible option names of {@code top} and of every command under it. */
  private static Set<String> allOptionNames(CommandLine top) {
    Set<String> names = new LinkedHashSet<>(Suggestions.optionNames(top.getCommandSpec()));
    top.getSubcommands()
        .values()
        .forEach(c -> names.addAll(Suggestions.optionNames(c.getCommandSpec())));
    return names;
  }

  private static boolean optionLike(String argument) {
    return argument.length() > 1 && argument.startsWith("-");
  }

  /** {@code argument} with the option name it gives replaced by the one {@code meant}. */
  private static String corrected(String argument, Map<String, String> meant) {
    if (!optionLike(argument)) {
      return argument;
    }
    String name = optionName(argument);
    return meant.getOrDefault(name, name) + argument.substring(name.length());
  }

  /** Whether any command of {@code top} has the option {@code option}. */
  private static boolean anyCommandTakes(CommandLine top, String option) {
    return top.getSubcommands().values().stream().anyMatch(c -> takes(c.getCommandSpec(), option));
  }

  /**
   * {@code argument} as {@link #shellWord}, a long one ({@link LongArguments#isLong}) as the shell
   * word of its part shown and {@link LongArguments#CUT}: cut before it is escaped, since the
   * escaped word no longer holds the argument for {@link LongArguments#shortened} to find.
   */
  private static String shownWord(String argument) {
    return LongArguments.isLong(argument)
        ? shellWord(LongArguments.shownPart(argument)) + LongArguments.CUT
        : shellWord(argument);
  }

  /**
   * {@code argument} as a POSIX shell word (POSIX.1-2017, Shell Command Language §2.2.2): as it is
   * when no character in it is special, else in single quotes, within which a shell takes every
   * character as it is (bash's braces and history {@code !} too) but {@code '}, written {@code
   * '\''}. An empty argument is {@code ''}; a line break stays one, inside the quotes.
   */
  private static String shellWord(String argument) {
    return PLAIN.matcher(argument).matches()
        ? argument
        : "'" + argument.replace("'", "'\\''") + "'";
  }

  /**
   * The option an option-like argument gives: a long one's name, without any {@code =value} ({@code
   * --max=5}); of a short one, its first letter ({@code -K} of {@code -Kacks=all}, picocli takes
   * what follows as its value; {@code -h} of the cluster {@code -hV}).
   */
  private static String optionName(String argument) {
    if (argument.startsWith("--")) {
      int equals = argument.indexOf('=');
      return equals < 0 ? argument : argument.substring(0, equals);
    }
    return argument.substring(0, 2);
  }

  private static boolean takes(CommandSpec spec, String option) {
    return spec.optionsMap().containsKey(option) || spec.negatedOptionsMap().containsKey(option);
  }

  /** {@code a}, {@code a and b}, {@code a, b and c}. */
  private static String and(List<String> names) {
    return names.size() == 1
        ? names.get(0)
        : String.join(", ", names.subList(0, names.size() - 1))
            + " and "
            + names.get(names.size() - 1);
  }
}
