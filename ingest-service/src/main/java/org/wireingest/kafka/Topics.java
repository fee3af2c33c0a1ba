package org.wireingest.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The names and policies of wire-ingest's topics, all sharing one configurable prefix (default
 * {@value #DEFAULT_PREFIX}), so several deployments can share a cluster. Names end in a schema
 * version ({@code .v1}); a breaking change to a value's schema gets a new topic.
 *
 * <p>Policies (see DESIGN.md "Topics"):
 *
 * <ul>
 *   <li>{@link #rawItems()} – {@code delete}, 90 days: the replayable history of every entry
 *       fetched; long enough to re-normalise a quarter with a newer normaliser.
 *   <li>{@link #articles()} – {@code compact,delete}, 365 days: compaction keeps the latest version
 *       of each article ({@code uri} key) for consumers that bootstrap from the topic; the delete
 *       half still removes articles not updated for a year, so the product topic does not grow
 *       without bound. Consumers needing older articles read them from their own store.
 *   <li>{@link #feedState()} – {@code compact}: only the latest state per feed matters; kept
 *       forever so pollers stay stateless and restartable.
 *   <li>{@link #fetchLog()} – {@code delete}, 30 days: audit and re-parse history.
 *   <li>{@link #deadLetters()} – {@code delete}, 30 days: time for a person to look at failures.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class Topics {

  /** The default prefix: topics are named {@code wire.<name>.v1}. */
  public static final String DEFAULT_PREFIX = "wire.";

  /** Retention of the raw items topic: 90 days. */
  public static final Duration RAW_ITEMS_RETENTION = Duration.ofDays(90);

  /** Retention of the articles topic (articles not updated for that long are deleted): 365 days. */
  public static final Duration ARTICLES_RETENTION = Duration.ofDays(365);

  /** Retention of the fetch log topic: 30 days. */
  public static final Duration FETCH_LOG_RETENTION = Duration.ofDays(30);

  /** Retention of the dead letters topic: 30 days. */
  public static final Duration DEAD_LETTERS_RETENTION = Duration.ofDays(30);

  /** Kafka's legal topic characters; the longest suffix ({@code raw-items.v1}) leaves room to 249. */
  private static final Pattern LEGAL_PREFIX = Pattern.compile("[a-zA-Z0-9._-]{0,200}");

  private static final Topics DEFAULT = new Topics(DEFAULT_PREFIX);

  private final String prefix;

  /**
   * @param prefix prepended to every topic name; may be empty; only {@code [a-zA-Z0-9._-]}, at
   *     most 200 characters
   * @throws IllegalArgumentException when the prefix would make illegal Kafka topic names
   */
  public Topics(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!LEGAL_PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "topic prefix '" + prefix + "' must be at most 200 characters from [a-zA-Z0-9._-]");
    }
    this.prefix = prefix;
  }

  /**
   * @return the topics with the default prefix {@value #DEFAULT_PREFIX}
   */
  public static Topics defaults() {
    return DEFAULT;
  }

  /**
   * @return the prefix; never null, may be empty
   */
  public String prefix() {
    return prefix;
  }

  /**
   * @return the raw items topic ({@code wire.raw-items.v1}): key {@code <sourceId>/<itemKey>},
   *     value {@code RawWireItem}
   */
  public String rawItems() {
    return prefix + "raw-items.v1";
  }

  /**
   * @return the articles topic ({@code wire.articles.v1}): key article {@code uri}, value
   *     {@code ArticleEvent}
   */
  public String articles() {
    return prefix + "articles.v1";
  }

  /**
   * @return the feed state topic ({@code wire.feed-state.v1}): key source id, value {@code FeedState}
   */
  public String feedState() {
    return prefix + "feed-state.v1";
  }

  /**
   * @return the fetch log topic ({@code wire.fetch-log.v1}): key source id, value
   *     {@code FetchLogRecord}
   */
  public String fetchLog() {
    return prefix + "fetch-log.v1";
  }

  /**
   * @return the dead letters topic ({@code wire.dead-letters.v1}): key the original key, value
   *     {@code DeadLetter}
   */
  public String deadLetters() {
    return prefix + "dead-letters.v1";
  }

  /**
   * @param partitions partitions of every topic; at least 1
   * @return the five topics with the policies listed on this class, replication factor
   *     {@link TopicSpec#CLUSTER_REPLICATION_FACTOR}; in the order raw items, articles, feed state,
   *     fetch log, dead letters
   */
  public List<TopicSpec> all(int partitions) {
    return List.of(
        deleting(rawItems(), partitions, RAW_ITEMS_RETENTION),
        new TopicSpec(
            articles(),
            partitions,
            TopicSpec.CLUSTER_REPLICATION_FACTOR,
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                millis(ARTICLES_RETENTION))),
        new TopicSpec(
            feedState(),
            partitions,
            TopicSpec.CLUSTER_REPLICATION_FACTOR,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
        deleting(fetchLog(), partitions, FETCH_LOG_RETENTION),
        deleting(deadLetters(), partitions, DEAD_LETTERS_RETENTION));
  }

  @Override
  public String toString() {
    return "Topics[prefix=" + prefix + "]";
  }

  private static TopicSpec deleting(String name, int partitions, Duration retention) {
    return new TopicSpec(
        name,
        partitions,
        TopicSpec.CLUSTER_REPLICATION_FACTOR,
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE, TopicConfig.RETENTION_MS_CONFIG, millis(retention)));
  }

  private static String millis(Duration duration) {
    return Long.toString(duration.toMillis());
  }
}
