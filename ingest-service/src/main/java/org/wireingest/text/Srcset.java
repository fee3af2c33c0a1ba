package org.wireingest.text;

import java.util.function.Predicate;

/**
 * The {@code srcset} attribute of an {@code <img>} (HTML Living Standard, "parse a srcset
 * attribute", §4.8.4.3.10): image candidates separated by commas, each a URL followed by at most
 * one width ({@code 800w}) or pixel-density ({@code 2x}) descriptor (and, with a width, a height
 * {@code 600h}, ignored here). A URL is a run of characters other than ASCII whitespace, so it may
 * hold commas ({@code https://cdn.example/a,b.jpg}); only commas that end it are separators. A
 * candidate whose descriptors are invalid (garbage, two widths, a width and a density, {@code 0w},
 * a negative density) is dropped, as browsers drop it.
 *
 * <p>Plain Java; stateless and thread-safe.
 */
final class Srcset {

  private Srcset() {}

  /**
   * The URL of the largest candidate of a {@code srcset} that {@code usable} accepts. Browsers pick
   * the candidate that fits the viewport; an article event has none, and the newsroom wants the
   * best rendition to make its own sizes from, so the largest is taken: the largest width when any
   * candidate has a width descriptor, else the largest density (a candidate without descriptor is
   * {@code 1x}). Of equal candidates the first wins.
   *
   * @param srcset the attribute's value; not null
   * @param usable which URLs, as written, may be chosen (e.g. http(s) once resolved)
   * @return the chosen URL as written; null when no valid candidate is usable
   */
  static String largest(String srcset, Predicate<String> usable) {
    Largest largest = new Largest(usable);
    largest.add(srcset);
    return largest.url();
  }

  /**
   * The largest candidate of several {@code srcset} values taken together, as {@link
   * #largest(String, Predicate)} chooses within one, added one value at a time: the {@code
   * <source>} elements of a {@code <picture>} (HTML Living Standard §4.8.1) each describe
   * renditions of the same picture, whose widths can be compared across them. Each value is parsed
   * on its own, so a malformed one (an unclosed parenthesis) cannot swallow the next, and once, so
   * the largest so far can be asked after each at no further cost.
   *
   * <p>Not thread-safe: one per walk over a picture's sources.
   */
  static final class Largest {

    private final Predicate<String> usable;
    private String url;
    private boolean hasWidth;
    private double size = -1;

    /**
     * @param usable which URLs, as written, may be chosen (e.g. http(s) once resolved); not null
     */
    Largest(Predicate<String> usable) {
      this.usable = usable;
    }

    /**
     * Takes the candidates of one more {@code srcset} value; of equal candidates the first added
     * stays.
     *
     * @param srcset the attribute's value; not null
     */
    void add(String srcset) {
      addCandidates(srcset, usable, this);
    }

    /**
     * @return the URL, as written, of the largest valid, usable candidate added so far; null when
     *     there is none
     */
    String url() {
      return url;
    }
  }

  /**
   * Parses one {@code srcset} and makes each valid, usable candidate larger than {@code best} it.
   */
  private static void addCandidates(String srcset, Predicate<String> usable, Largest best) {
    int length = srcset.length();
    int i = 0;
    while (i < length) {
      // skip whitespace and commas before a candidate
      while (i < length && (isWhitespace(srcset.charAt(i)) || srcset.charAt(i) == ',')) {
        i++;
      }
      if (i >= length) {
        break;
      }
      int urlStart = i;
      while (i < length && !isWhitespace(srcset.charAt(i))) {
        i++;
      }
      int urlEnd = i;
      String descriptors = "";
      if (srcset.charAt(urlEnd - 1) == ',') {
        // the URL ends the candidate: its trailing commas are separators
        while (urlEnd > urlStart && srcset.charAt(urlEnd - 1) == ',') {
          urlEnd--;
        }
      } else {
        int descriptorsStart = i;
        boolean inParentheses = false;
        while (i < length) {
          char c = srcset.charAt(i);
          if (c == '(') {
            inParentheses = true;
          } else if (c == ')') {
            inParentheses = false;
          } else if (c == ',' && !inParentheses) {
            break;
          }
          i++;
        }
        descriptors = srcset.substring(descriptorsStart, i);
        i++; // past the comma
      }
      if (urlEnd == urlStart) {
        continue;
      }
      String url = srcset.substring(urlStart, urlEnd);
      double[] size = size(descriptors);
      if (size == null || !usable.test(url)) {
        continue;
      }
      boolean hasWidth = size[0] > 0;
      double value = hasWidth ? size[0] : size[1];
      if (best.url == null
          || (hasWidth && !best.hasWidth)
          || (hasWidth == best.hasWidth && value > best.size)) {
        best.url = url;
        best.hasWidth = hasWidth;
        best.size = value;
      }
    }
  }

  /**
   * The descriptors of one candidate, checked as the standard checks them.
   *
   * @return {width, density}: a width above 0 and density 0, or width 0 and a density of at least 0
   *     ({@code 1} when there is no descriptor); null when they are invalid
   */
  private static double[] size(String descriptors) {
    long width = -1;
    double density = -1;
    long height = -1;
    for (String descriptor : descriptors.strip().split("[\\t\\n\\f\\r ]+")) {
      if (descriptor.isEmpty()) {
        continue;
      }
      char kind = descriptor.charAt(descriptor.length() - 1);
      String number = descriptor.substring(0, descriptor.length() - 1);
      if (kind == 'w' && width < 0 && density < 0 && isDigits(number)) {
        width = parsePositive(number);
        if (width <= 0) {
          return null;
        }
      } else if (kind == 'x' && width < 0 && density < 0 && height < 0) {
        density = parseDensity(number);
        if (density < 0) {
          return null;
        }
      } else if (kind == 'h' && height < 0 && density < 0 && isDigits(number)) {
        height = parsePositive(number);
        if (height <= 0) {
          return null;
        }
      } else {
        return null;
      }
    }
    if (height >= 0 && width < 0) {
      return null; // a height alone is not a descriptor browsers accept (yet)
    }
    return width > 0 ? new double[] {width, 0} : new double[] {0, density < 0 ? 1 : density};
  }

  /** HTML's "valid non-negative integer": ASCII digits only, at least one. */
  private static boolean isDigits(String number) {
    if (number.isEmpty()) {
      return false;
    }
    for (int i = 0; i < number.length(); i++) {
      if (number.charAt(i) < '0' || number.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * @return the integer, capped at {@link Integer#MAX_VALUE} (a longer run of digits is as large as
   *     any width); 0 when it is zero
   */
  private static long parsePositive(String digits) {
    String significant = digits.replaceFirst("^0+", "");
    if (significant.isEmpty()) {
      return 0;
    }
    return significant.length() > 10
        ? Integer.MAX_VALUE
        : Math.min(Long.parseLong(significant), Integer.MAX_VALUE);
  }

  /**
   * HTML's "valid floating-point number" ({@code 1}, {@code 1.5}, {@code .5}, {@code 2e0}), not
   * negative.
   *
   * @return the density; -1 when it is not such a number
   */
  private static double parseDensity(String number) {
    if (!number.matches("\\d*+(?:\\.\\d++)?+(?:[eE][+-]?+\\d++)?+")
        || !hasDigitBeforeExponent(number)) {
      return -1;
    }
    double density = Double.parseDouble(number);
    return Double.isFinite(density) ? density : -1;
  }

  private static boolean hasDigitBeforeExponent(String number) {
    for (int i = 0; i < number.length(); i++) {
      char c = number.charAt(i);
      if (c == 'e' || c == 'E') {
        return false;
      }
      if (c >= '0' && c <= '9') {
        return true;
      }
    }
    return false;
  }

  /** ASCII whitespace as HTML defines it: tab, line feed, form feed, carriage return, space. */
  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
  }
}
