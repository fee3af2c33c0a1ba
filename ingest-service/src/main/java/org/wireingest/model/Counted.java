package org.wireingest.model;

/** A count and its noun in the number it takes, for the lines people read (summaries, logs). */
public final class Counted {

  private Counted() {}

  /**
   * @param n the count
   * @param one the noun for one, e.g. {@code "entry"}
   * @param many the noun for any other count, e.g. {@code "entries"}
   * @return {@code "1 entry"}, {@code "0 entries"}, {@code "2 entries"}
   */
  public static String of(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
