package org.wireingest.cli;

import java.time.Duration;
import org.wireingest.config.ConfigException;
import org.wireingest.config.Durations;
import picocli.CommandLine.Option;

/**
 * The near-duplicate index's options, shared by the normalizer ({@code run}, {@code normalize}) and
 * {@code replay}, so a replay clusters with the live normalizer's settings.
 */
final class ClusterOptions {

  /** Shortest {@code --cluster-window}. */
  static final Duration MIN_WINDOW = Duration.ofMinutes(1);

  /**
   * Longest {@code --cluster-window}: a hundred years. Far longer ones overflow (the normalizer
   * passes the window in milliseconds; the index computes {@code firstCreated} ± the window).
   */
  static final Duration MAX_WINDOW = Duration.ofDays(36_500);

  @Option(
      names = "--cluster-window",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "2d",
      description =
          "How far apart, by their first-created dates, two near-identical stories may be to share a near-duplicate cluster (default: ${DEFAULT-VALUE}), from any agency. At least 1m, at most 36500d; keep it below the story-signatures topic's retention (7d by default, --retention story-signatures=...), or a restarted normalizer reloads less than the window. Give replay the normalizer's value to get its clusters.")
  Duration window;

  @Option(
      names = "--cluster-index-size",
      paramLabel = "N",
      defaultValue = "50000",
      description =
          "Most stories the near-duplicate index keeps in memory (default: ${DEFAULT-VALUE}, about 1.8 KB of heap each, ~90 MB when full); beyond it the oldest are forgotten first. Size it to the new stories of --cluster-window.")
  int indexSize;

  /**
   * @return {@code --cluster-window}, checked
   * @throws ConfigException when it is below {@link #MIN_WINDOW} or above {@link #MAX_WINDOW}
   */
  Duration window() {
    if (window.compareTo(MIN_WINDOW) < 0) {
      throw new ConfigException(
          "--cluster-window must be at least 1m (got " + Durations.format(window) + ")");
    }
    if (window.compareTo(MAX_WINDOW) > 0) {
      throw new ConfigException(
          "--cluster-window must be at most 36500d (got " + Durations.format(window) + ")");
    }
    return window;
  }

  /**
   * @return {@code --cluster-index-size}, checked
   * @throws ConfigException when it is below 1
   */
  int indexSize() {
    if (indexSize < 1) {
      throw new ConfigException("--cluster-index-size must be at least 1 (got " + indexSize + ")");
    }
    return indexSize;
  }
}
