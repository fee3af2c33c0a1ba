package org.wireingest.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wireingest.text.Shortened;

/**
 * Collects the {@link ParseWarning}s of one parse; details are made one-line and truncated. Keeps
 * the first {@value #MAX_PER_KIND} warnings of each kind; the others of that kind become one
 * summary warning, {@code "... and N more"}, whose {@link ParseWarning#count()} is N, so that
 * counting by kind (the poller's {@code wire_parser_warnings_total}, {@code check-feed}) still
 * counts every problem while a feed with 20,000 bad media URLs holds 21 warnings, not 20,000. Also
 * used by the poller for the warnings it adds when planning a document's raw items. Not thread-safe
 * (one per parse or plan).
 */
public final class Warnings {

  /**
   * Most characters of a detail kept; a longer one is cut there and ends with {@code …(N
   * characters)} ({@link Shortened#line}).
   */
  static final int MAX_DETAIL_CHARS = 200;

  /** Most warnings of one kind kept with their detail; the others are counted in a summary. */
  static final int MAX_PER_KIND = 20;

  private final List<ParseWarning> list = new ArrayList<>();

  /** Warnings added by kind, kept or not. */
  private final Map<String, Integer> added = new LinkedHashMap<>();

  /** An empty collection. */
  public Warnings() {}

  /**
   * Adds one problem.
   *
   * @param kind stable, lower-case, dash-separated kind, e.g. {@code unparseable-date}
   * @param detail what was wrong, e.g. the value; made one line and cut ({@link #oneLine}); null
   *     gives ""
   */
  public void add(String kind, String detail) {
    int before = added.merge(kind, 1, Integer::sum) - 1;
    if (before < MAX_PER_KIND) {
      list.add(new ParseWarning(kind, oneLine(detail)));
    }
  }

  /**
   * @return the warnings kept, in the order added, then a summary of each kind that had more than
   *     {@value #MAX_PER_KIND}, in the order those kinds were first added
   */
  public List<ParseWarning> list() {
    List<ParseWarning> out = new ArrayList<>(list);
    added.forEach(
        (kind, n) -> {
          if (n > MAX_PER_KIND) {
            out.add(
                new ParseWarning(
                    kind, "... and " + (n - MAX_PER_KIND) + " more", n - MAX_PER_KIND));
          }
        });
    return List.copyOf(out);
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
