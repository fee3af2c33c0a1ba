package org.wireingest.parse;

import java.util.ArrayList;
import java.util.List;
import org.wireingest.text.Shortened;

/** Collects the {@link ParseWarning}s of one parse; details are made one-line and truncated. */
final class Warnings {

  /**
   * Most characters of a detail kept; a longer one is cut there and ends with {@code …(N
   * characters)} ({@link Shortened#line}).
   */
  static final int MAX_DETAIL_CHARS = 200;

  private final List<ParseWarning> list = new ArrayList<>();

  void add(String kind, String detail) {
    list.add(new ParseWarning(kind, oneLine(detail)));
  }

  List<ParseWarning> list() {
    return List.copyOf(list);
  }

  /**
   * {@code text} on one line ({@link Shortened#line}: runs of whitespace and control characters
   * become one space, so a feed's bytes cannot forge log lines or garble a terminal), cut to {@link
   * #MAX_DETAIL_CHARS} without splitting a surrogate pair; "" for null.
   */
  static String oneLine(String text) {
    return text == null ? "" : Shortened.line(text, MAX_DETAIL_CHARS);
  }
}
