package org.wireingest.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The median of a benchmark's measured rounds or runs: the middle value, or the mean of the two
 * middle ones.
 */
final class Medians {

  private Medians() {}

  /**
   * @param values the measurements; not empty; not changed
   * @return their median (NaN sorts last, as {@link Arrays#sort(double[])} puts it)
   */
  static double of(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * @see #of(double[])
   */
  static double of(List<Double> values) {
    return of(values.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
