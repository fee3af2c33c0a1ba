package org.wireingest.text;

import java.util.Locale;

/**
 * Text from outside (a record key, a response header, an error message quoting either) cut to a
 * length people and records can carry, saying how long it was. Pure and thread-safe.
 */
public final class Shortened {

  private Shortened() {}

  /**
   * @param text any text; null gives null
   * @param maxChars the most characters kept from {@code text}; positive
   * @return {@code text} when it has at most {@code maxChars} characters (UTF-16 code units);
   *     otherwise its first {@code maxChars} (one fewer when the cut would split a surrogate pair)
   *     followed by {@code …(N characters)}, N being its full length
   */
  public static String cut(String text, int maxChars) {
    return text == null || text.length() <= maxChars ? text : cut(text, maxChars, text.length());
  }

  private static String cut(String text, int maxChars, int fullLength) {
    int end = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
    return text.substring(0, end) + "…(" + fullLength + " characters)";
  }

  /**
   * As {@link #cut}, on one line: every run of whitespace and control characters (line breaks,
   * tabs, NUL, ESC, ...) becomes one space first, so a server's or a record's bytes cannot forge
   * log lines or garble a terminal.
   *
   * @param text any text; null gives null
   * @param maxChars the most characters kept; positive
   * @return the text on one line, stripped and cut
   */
  public static String line(String text, int maxChars) {
    if (text == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars + 32));
    boolean gap = false;
    for (int i = 0; i < text.length() && out.length() <= maxChars; i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        gap = out.length() > 0;
      } else {
        if (gap) {
          out.append(' ');
          gap = false;
        }
        out.append(c);
      }
    }
    String oneLine = out.toString();
    return oneLine.length() <= maxChars ? oneLine : cut(oneLine, maxChars, text.length());
  }

  /**
   * As {@link #cut}, with every character that would garble the line it is printed in written as
   * {@code \\uXXXX} ({@link #garbles}), so a value quoted in an error message shows what is wrong
   * with it instead of acting on the terminal.
   *
   * @param text any text; null gives null
   * @param maxChars the most characters kept from {@code text}, before escaping; positive
   * @return the text, cut, its garbling characters escaped
   */
  public static String escaped(String text, int maxChars) {
    String cut = cut(text, maxChars);
    if (cut == null || cut.chars().noneMatch(c -> garbles((char) c))) {
      return cut;
    }
    StringBuilder out = new StringBuilder(cut.length() + 16);
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      if (garbles(c)) {
        out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Whether a character garbles a line of text it is printed in: a control character (C0, DEL, C1:
   * line breaks, ESC sequences), a line or paragraph separator (U+2028, U+2029: a line break to
   * many log viewers) or a bidirectional embedding, override or isolate (U+202A-U+202E,
   * U+2066-U+2069), which reorders the text around it on a terminal.
   *
   * @param c a UTF-16 code unit
   * @return true for such a character
   */
  public static boolean garbles(char c) {
    return Character.isISOControl(c)
        || c == '\u2028'
        || c == '\u2029'
        || c >= '\u202A' && c <= '\u202E'
        || c >= '\u2066' && c <= '\u2069';
  }
}
