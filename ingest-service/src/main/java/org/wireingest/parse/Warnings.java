package org.wireingest.parse;

import java.util.ArrayList;
import java.util.List;

/** Collects the {@link ParseWarning}s of one parse; details are made one-line and truncated. */
final class Warnings {

  /** Longest detail kept, in characters; longer ones end with an ellipsis. */
  static final int MAX_DETAIL_CHARS = 200;

  private final List<ParseWarning> list = new ArrayList<>();

  void add(String kind, String detail) {
    list.add(new ParseWarning(kind, oneLine(detail)));
  }

  List<ParseWarning> list() {
    return List.copyOf(list);
  }

  /**
   * {@code text} with line breaks and runs of whitespace collapsed, cut to {@link
   * #MAX_DETAIL_CHARS}.
   */
  static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    String line = text.replaceAll("\\s+", " ").strip();
    return line.length() <= MAX_DETAIL_CHARS ? line : line.substring(0, MAX_DETAIL_CHARS - 1) + "…";
  }
}
