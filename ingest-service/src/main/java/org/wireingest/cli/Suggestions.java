package org.wireingest.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.wireingest.logging.OwnLogLevel;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * "Did you mean" for a command line with arguments no option or command took: the commands or
 * options whose names are closest to each such argument.
 *
 * <p>Closeness is the Jaro-Winkler similarity (0 to 1) of the names without their leading dashes,
 * lower-cased, and without an {@code =value}: a swapped pair of letters ({@code --form} for {@code
 * --from}, {@code tial} for {@code tail}) scores about 0.93. A name that one swap of adjacent
 * letters makes of the argument scores 1 whatever its length: in names of three letters or less
 * Jaro-Winkler matches letters at the same place only, so {@code rnu} scored 0.6 against {@code
 * run}. picocli's own suggestions, from bigrams shared, offered {@code normalize} for {@code tial}
 * and nothing for {@code --form}.
 */
final class Suggestions {

  /** The least similarity at which a name is offered: {@value}. */
  static final double MIN_SIMILARITY = 0.8;

  /** The most names offered: {@value}. */
  static final int MOST = 3;

  /**
   * Option names, without dashes, that ask for more log lines or another log level: no name is
   * offered for them ({@code --verbose} is close to {@code --version}, which prints the version and
   * exits, {@code --log-level} to {@code --log-every-poll}, which leaves the level as it is), but
   * the log level setting.
   */
  static final Set<String> VERBOSITY = Set.of("verbose", "debug", "log-level", "loglevel");

  /** Of {@link #VERBOSITY}, the names that take a level as their value. */
  static final Set<String> LEVEL_OPTIONS = Set.of("log-level", "loglevel");

  /**
   * {@code -v}, {@code -vv}, ...: more log lines in many tools, where Jaro-Winkler, blind to case,
   * offered {@code -V}, which prints the version and exits.
   */
  private static final Pattern SHORT_VERBOSE = Pattern.compile("-v+");

  /**
   * Option names, without dashes, that ask for fewer log lines ({@code --quiet}, {@code --silent}):
   * no name is offered for them, but the log level setting at {@code WARN}.
   */
  static final Set<String> QUIETNESS = Set.of("quiet", "silent");

  /** {@code -q}, {@code -qq}, ...: fewer log lines in many tools. */
  private static final Pattern SHORT_QUIET = Pattern.compile("-q+");

  private static final JaroWinklerSimilarity SIMILARITY = new JaroWinklerSimilarity();

  private Suggestions() {}

  /**
   * Prints one line naming the closest commands (as {@code wire-ingest tail}) or options to the
   * arguments of {@code e} no option or command took, as {@code Did you mean: --from?} or {@code
   * Did you mean one of: --feeds, --feed-id?}; nothing when {@code e} is no unmatched-argument
   * error nor the help command's error for a command it does not know ({@code help tial}), or no
   * name is close enough. An argument starting with {@code -} is compared with the failed command's
   * visible options, any other with its subcommands (none below the top level). For {@code
   * --verbose}, {@code --debug}, {@code --log-level} ({@link #VERBOSITY}) or {@code -v} (while no
   * command has a {@code -v}) the line names the log level setting instead: with the level a {@code
   * --log-level} was given ({@code --log-level WARN}, {@code --loglevel=warn}), {@code
   * WIRE_INGEST_LOG_LEVEL=WARN}, or the levels it takes when that is none; else {@code
   * WIRE_INGEST_LOG_LEVEL=DEBUG}; for {@code --quiet}, {@code --silent} ({@link #QUIETNESS}) or
   * {@code -q}, {@code WIRE_INGEST_LOG_LEVEL=WARN}. An argument that is itself the name of an
   * option or command, which picocli leaves over only after {@code --} (the end of the options:
   * {@code run -- --once}), is offered no name (it would be itself) but told to come before the
   * {@code --}.
   *
   * @param e the parse error shown, not null
   * @param err where to print, not null
   */
  static void print(CommandLine.ParameterException e, PrintWriter err) {
    List<String> typed;
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
      typed = unmatched.getUnmatched();
    } else if (helpOfNoCommand(e)) {
      typed = List.of(e.getValue());
    } else {
      return;
    }
    CommandLine failed = e.getCommandLine();
    Set<String> options = optionNames(failed.getCommandSpec());
    Map<String, CommandLine> commands = failed.getSubcommands();
    Set<String> found = new LinkedHashSet<>();
    Set<String> verbosity = new LinkedHashSet<>();
    Set<String> quietness = new LinkedHashSet<>();
    Set<String> levels = new LinkedHashSet<>();
    List<String> separated = new ArrayList<>();
    for (int i = 0; i < typed.size(); i++) {
      String argument = typed.get(i);
      if (options.contains(argument) || commands.containsKey(argument)) {
        // a name itself is left over only when it came after "--", which ends the options
        separated.add(argument);
      } else if (SHORT_VERBOSE.matcher(argument).matches() && !anyCommandTakes(failed, "-v")) {
        verbosity.add(argument);
      } else if (argument.startsWith("-") && LEVEL_OPTIONS.contains(bare(argument))) {
        String option = "--" + bare(argument);
        int equals = argument.indexOf('=');
        String level = null;
        if (equals >= 0) {
          level = argument.substring(equals + 1);
        } else if (i + 1 < typed.size() && !typed.get(i + 1).startsWith("-")) {
          level = typed.get(++i); // the option's value, left over with it
        }
        if (level == null) {
          verbosity.add(option);
        } else {
          levels.add(levelLine(option, level));
        }
      } else if (argument.startsWith("-") && VERBOSITY.contains(bare(argument))) {
        verbosity.add("--" + bare(argument));
      } else if (SHORT_QUIET.matcher(argument).matches() && !anyCommandTakes(failed, "-q")) {
        quietness.add(argument);
      } else if (argument.startsWith("-") && QUIETNESS.contains(bare(argument))) {
        quietness.add("--" + bare(argument));
      } else if (argument.startsWith("-")) {
        found.addAll(closest(argument, options));
      } else {
        for (String command : closest(argument, commands.keySet())) {
          found.add(commands.get(command).getCommandSpec().qualifiedName());
        }
      }
    }
    if (!separated.isEmpty()) {
      err.println(
          String.join(", ", separated)
              + " came after --, so it was taken as an argument: put it before the --");
    }
    if (found.size() == 1) {
      err.println("Did you mean: " + found.iterator().next() + "?");
    } else if (!found.isEmpty()) {
      err.println("Did you mean one of: " + String.join(", ", found) + "?");
    }
    printLogLevelSetting(err, verbosity, "more", "DEBUG");
    printLogLevelSetting(err, quietness, "fewer", "WARN");
    levels.forEach(err::println);
  }

  /**
   * {@code wire-ingest has no --verbose or -v: for more log lines set WIRE_INGEST_LOG_LEVEL=DEBUG};
   * nothing when {@code options} is empty.
   */
  private static void printLogLevelSetting(
      PrintWriter err, Set<String> options, String moreOrFewer, String level) {
    if (!options.isEmpty()) {
      err.println(
          "wire-ingest has no "
              + String.join(" or ", options)
              + ": for "
              + moreOrFewer
              + " log lines set "
              + OwnLogLevel.VARIABLE
              + "="
              + level);
    }
  }

  /**
   * The line for a log level option given a level: {@code wire-ingest has no --log-level: to set
   * the log level, set WIRE_INGEST_LOG_LEVEL=WARN} for a level the variable takes ({@link
   * OwnLogLevel#level}), else the levels it takes (the value typed is in the error line already).
   */
  private static String levelLine(String option, String level) {
    String set =
        "wire-ingest has no " + option + ": to set the log level, set " + OwnLogLevel.VARIABLE;
    return OwnLogLevel.level(level)
        .map(named -> set + "=" + named)
        .orElse(set + " to one of " + String.join(", ", OwnLogLevel.LEVELS));
  }

  /**
   * Whether the command line of {@code line}, or any command of it, has the option {@code name}.
   */
  private static boolean anyCommandTakes(CommandLine line, String name) {
    CommandLine top = line;
    while (top.getParent() != null) {
      top = top.getParent();
    }
    return takes(top, name);
  }

  private static boolean takes(CommandLine line, String name) {
    return line.getCommandSpec().optionsMap().containsKey(name)
        || line.getSubcommands().values().stream().anyMatch(c -> takes(c, name));
  }

  /**
   * Whether {@code argument} is an option that asks for more or fewer log lines or another log
   * level ({@link #VERBOSITY}, {@code -v}, {@code -vv}, ...; {@link #QUIETNESS}, {@code -q}), which
   * no name is offered for.
   *
   * @param argument an argument as typed, e.g. {@code --log-level=WARN}; not null
   */
  static boolean asksForLogLines(String argument) {
    return SHORT_VERBOSE.matcher(argument).matches()
        || SHORT_QUIET.matcher(argument).matches()
        || argument.startsWith("-")
            && (VERBOSITY.contains(bare(argument)) || QUIETNESS.contains(bare(argument)));
  }

  /**
   * @param command a command; not null
   * @return the names of its options that its help shows (not the hidden ones), in its order
   */
  static Set<String> optionNames(CommandSpec command) {
    return command.options().stream()
        .filter(o -> !o.hidden())
        .map(OptionSpec::names)
        .flatMap(Arrays::stream)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /**
   * Whether {@code e} is the help command's error for a command it does not know ({@code
   * wire-ingest help tial}): picocli's help command raises a plain parameter error whose value is
   * the name asked for, on the command line above it.
   */
  private static boolean helpOfNoCommand(CommandLine.ParameterException e) {
    CommandLine failed = e.getCommandLine();
    CommandLine.ParseResult parsed = failed.getParseResult();
    return e.getArgSpec() == null
        && e.getValue() != null
        && !failed.getSubcommands().containsKey(e.getValue())
        && parsed != null
        && parsed.hasSubcommand()
        && parsed.subcommand().commandSpec().helpCommand();
  }

  /**
   * The names closest to {@code typed}, most similar first (ties in {@code names}' order), at most
   * {@value #MOST}, each at least {@value #MIN_SIMILARITY} similar.
   *
   * @param typed an argument as typed, e.g. {@code --form=1d} or {@code tial}; not null
   * @param names the names to choose from, e.g. {@code --from}, {@code -K}, {@code tail}; not null
   * @return the chosen names as given, never null, empty when none is close enough
   */
  static List<String> closest(String typed, Collection<String> names) {
    String key = bare(typed);
    if (key.isEmpty()) {
      return List.of();
    }
    return names.stream()
        .map(name -> Map.entry(name, similarity(key, bare(name))))
        .filter(scored -> scored.getValue() >= MIN_SIMILARITY)
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .map(Map.Entry::getKey)
        .limit(MOST)
        .toList();
  }

  /**
   * 1 when one swap of adjacent letters makes {@code typed} {@code name}, else their Jaro-Winkler
   * similarity (0 to 1).
   */
  private static double similarity(String typed, String name) {
    return swappedPair(typed, name) ? 1 : SIMILARITY.apply(typed, name);
  }

  /** Whether {@code a} and {@code b} differ only by one swapped pair of adjacent letters. */
  private static boolean swappedPair(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    int i = 0;
    while (i < a.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i + 1 < a.length()
        && a.charAt(i) == b.charAt(i + 1)
        && a.charAt(i + 1) == b.charAt(i)
        && a.regionMatches(i + 2, b, i + 2, a.length() - i - 2);
  }

  private static String bare(String argument) {
    int start = 0;
    while (start < argument.length() && argument.charAt(start) == '-') {
      start++;
    }
    int equals = argument.indexOf('=', start);
    int end = equals < 0 ? argument.length() : equals;
    return argument.substring(start, end).toLowerCase(Locale.ROOT);
  }
}
