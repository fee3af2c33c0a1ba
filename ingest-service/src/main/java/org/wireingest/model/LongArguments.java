package org.wireingest.model;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Long command-line arguments cut short where a message or a log line echoes them: a 100 KB
 * argument typed by mistake made an error line of 100 KB.
 */
public final class LongArguments {

  /**
   * The most characters of an argument a message shows: {@value}, more than any path or URL an
   * operator gives in practice (a longer {@code --feeds} path was cut at 80 and hid the file name
   * the error was about), few enough to keep a mistaken paste from filling the screen.
   */
  public static final int MOST_SHOWN = 256;

  /** What marks the cut: {@value}. */
  public static final String CUT = "…";

  private LongArguments() {}

  /**
   * {@code text} with each argument of {@code args} longer than {@value #MOST_SHOWN} characters,
   * and each such value after an option's {@code =} ({@code --poll-threads=<value>}), shown as its
   * first {@value #MOST_SHOWN} characters and {@value #CUT}, wherever {@code text} echoes it whole;
   * a surrogate pair is never split. Text that echoes no long argument is returned as it is.
   *
   * @param text a message for the user, e.g. {@code Unknown option: '--xxxx...'}; not null
   * @param args the command line as given; not null
   * @return the message, never null
   */
  public static String shortened(String text, List<String> args) {
    List<String> longOnes =
        args.stream()
            .filter(a -> a != null && isLong(a))
            .flatMap(a -> Stream.of(a, a.substring(a.indexOf('=') + 1)))
            .filter(LongArguments::isLong)
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
    String shown = text;
    for (String argument : longOnes) {
      shown = shown.replace(argument, cut(argument));
    }
    return shown;
  }

  private static String cut(String argument) {
    return shownPart(argument) + CUT;
  }

  /**
   * {@code argument} as a log line shows it: whole up to {@value #MOST_SHOWN} characters, else its
   * first {@value #MOST_SHOWN} ({@link #shownPart}) and {@value #CUT}, as {@link #shortened} shows
   * it in a message.
   *
   * @param argument a value from the command line, e.g. the {@code --bootstrap-servers} given; may
   *     be null (shown as {@code null})
   * @return the value shown, never null
   */
  public static String shown(String argument) {
    if (argument == null) {
      return "null";
    }
    return isLong(argument) ? cut(argument) : argument;
  }

  /**
   * Whether a message shows {@code argument} cut short: whether it is longer than {@value
   * #MOST_SHOWN} characters.
   *
   * @param argument a command-line argument; not null
   */
  public static boolean isLong(String argument) {
    return argument.length() > MOST_SHOWN;
  }

  /**
   * What a message shows of a long argument, before {@value #CUT}: its first {@value #MOST_SHOWN}
   * characters, one fewer when the last would be the first half of a surrogate pair.
   *
   * @param argument an argument for which {@link #isLong} holds; not null
   * @return the part shown, never null
   */
  public static String shownPart(String argument) {
    int end = MOST_SHOWN;
    if (Character.isHighSurrogate(argument.charAt(end - 1))) {
      end--;
    }
    return argument.substring(0, end);
  }
}
