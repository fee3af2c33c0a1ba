package org.wireingest.text;

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
}
