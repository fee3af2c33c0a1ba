package org.wireingest.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.wireingest.config.ConfigException;
import org.wireingest.config.Durations;
import org.wireingest.config.FeedSource;
import org.wireingest.config.FeedsConfig;
import org.wireingest.fetch.BodyBudget;
import org.wireingest.poll.FeedAssignment;
import picocli.CommandLine.Option;

/** Options of the feed poller role ({@code run}, {@code poll}). */
final class PollerOptions {

  @Option(
      names = "--feeds",
      paramLabel = "FILE",
      defaultValue = "deploy/feeds/agencies.yaml",
      description =
          "Feeds list (YAML; default: ${DEFAULT-VALUE}). Re-read when it changes (checked every --feeds-check-interval); an invalid new version is refused with an error and the last valid list stays.")
  Path feeds;

  /**
   * Default of {@code --poll-threads}. A poll holds its worker for the whole fetch, mostly blocked
   * on the network, where a platform thread costs its stack and no CPU; so size for the slow
   * publishers: about polls per second × mean fetch time × 1.5. At 10,000 feeds every 60 s (167
   * polls/s) with 5 % of fetches taking 2–3 s, about 21 workers are busy at once (see
   * docs/benchmarks.md, Poller scale), which 8 could not keep up with; 32 can. The per-host limit,
   * not this, is what protects a publisher.
   */
  static final int DEFAULT_POLL_THREADS = 32;

  @Option(
      names = "--poll-threads",
      paramLabel = "N",
      defaultValue = "" + DEFAULT_POLL_THREADS,
      description =
          "Most feeds fetched at once (default: ${DEFAULT-VALUE}). A poll holds a thread for its whole fetch, mostly blocked on the network (a thread costs little then); size as polls per second x mean fetch time x 1.5, e.g. 10,000 feeds every 60s with 5%% slow (2-3s) publishers keep about 21 busy. Raise it when wire.poller.schedule.lateness grows.")
  int pollThreads;

  @Option(
      names = "--per-host-concurrency",
      paramLabel = "N",
      defaultValue = "2",
      description = "Most fetches at once to one host (default: ${DEFAULT-VALUE}).")
  int perHostConcurrency;

  @Option(
      names = "--body-budget-mb",
      paramLabel = "MiB",
      description =
          "Most response body bytes all polls together hold at once, in MiB (default: a sixteenth of the heap's maximum, -Xmx). A body longer than 256 KiB reserves its size before it is read further (its Content-Length, else the 20 MiB cap until the body is read) and gives it back when the poll is done with the body, its parse and its writes; a poll that finds no room waits, within its 60s fetch deadline. A body larger than the whole budget is read alone. A parse holds several times its body: leave room for it. At least 1, at most the heap's maximum.")
  Integer bodyBudgetMb;

  /** The heap's maximum, in bytes (replaced in tests). */
  long maxHeapBytes = Runtime.getRuntime().maxMemory();

  @Option(
      names = "--allow-private-addresses",
      description =
          "Let feeds and their redirects reach loopback, link-local, private and CGNAT addresses; without it such fetches fail as blocked-address (the SSRF guard). For feeds served on the local network.")
  boolean allowPrivateAddresses;

  @Option(
      names = "--log-every-poll",
      description =
          "Log a line at INFO for every poll. Without it a poll that published nothing (not modified, or every entry unchanged) is logged at DEBUG only, and is counted in the poll-cycle line every minute, the metrics and the status page; failures are always logged.")
  boolean logEveryPoll;

  @Option(
      names = "--poller-group",
      paramLabel = "GROUP",
      defaultValue = FeedAssignment.DEFAULT_GROUP,
      description =
          "Consumer group the pollers share the feeds through: each feed belongs to one partition of the feed-state topic, each poller polls the feeds of the partitions assigned to it (default: ${DEFAULT-VALUE}).")
  String pollerGroup;

  @Option(
      names = "--session-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "Session timeout of the poller group: a poller that stops answering loses its feeds to the others after this long (default: ${DEFAULT-VALUE}; Kafka brokers allow 6s to 30m by default: group.min.session.timeout.ms, group.max.session.timeout.ms; a value outside what the cluster allows is refused at start).")
  Duration sessionTimeout;

  @Option(
      names = "--feeds-check-interval",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "How often the feeds list file is checked for changes (default: ${DEFAULT-VALUE}).")
  Duration feedsCheckInterval;

  /**
   * @return the feeds list, after checking every option
   * @throws ConfigException when an option or the feeds list is invalid
   */
  List<FeedSource> validateAndLoad() {
    List<FeedSource> sources = FeedsConfig.load(feeds);
    if (pollThreads < 1) {
      throw new ConfigException("--poll-threads must be at least 1 (got " + pollThreads + ")");
    }
    if (perHostConcurrency < 1) {
      throw new ConfigException(
          "--per-host-concurrency must be at least 1 (got " + perHostConcurrency + ")");
    }
    if (sessionTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException(
          "--session-timeout must be at least 1s (got " + Durations.format(sessionTimeout) + ")");
    }
    if (feedsCheckInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException(
          "--feeds-check-interval must be at least 1s (got "
              + Durations.format(feedsCheckInterval)
              + ")");
    }
    bodyBudgetBytes();
    return sources;
  }

  /**
   * @return the body memory budget in bytes: {@code --body-budget-mb}, else {@link
   *     BodyBudget#defaultLimitBytes} of the heap's maximum
   * @throws ConfigException when {@code --body-budget-mb} is below 1 or above the heap's maximum
   */
  long bodyBudgetBytes() {
    if (bodyBudgetMb == null) {
      return BodyBudget.defaultLimitBytes(maxHeapBytes);
    }
    long heapMb = maxHeapBytes >> 20;
    if (bodyBudgetMb < 1 || bodyBudgetMb > heapMb) {
      throw new ConfigException(
          "--body-budget-mb must be between 1 and "
              + heapMb
              + ", the heap's maximum in MiB (-Xmx; got "
              + bodyBudgetMb
              + ")");
    }
    return (long) bodyBudgetMb << 20;
  }

  /**
   * @return where the budget came from, for the start-up line: {@code --body-budget-mb}, or the
   *     heap share it was derived from
   */
  String bodyBudgetOrigin() {
    return bodyBudgetMb != null
        ? "--body-budget-mb"
        : "1/"
            + BodyBudget.DEFAULT_HEAP_DIVISOR
            + " of the "
            + (maxHeapBytes >> 20)
            + " MiB heap; --body-budget-mb to change it";
  }
}
