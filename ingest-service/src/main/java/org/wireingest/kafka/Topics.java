package org.wireingest.kafka;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.TopicConfig;
import org.wireingest.config.Durations;

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
 *   <li>{@link #feedState()} – {@code compact}, {@code max.message.bytes} 16 MiB, segments rolled
 *       hourly or at 64 MiB so that compaction keeps up: only the latest state per feed matters;
 *       kept forever so pollers stay stateless and restartable.
 *   <li>{@link #fetchLog()} – {@code delete}, 30 days, {@code max.message.bytes} 2 MiB: audit and
 *       re-parse history (records carry new feed bodies, zstd, capped at 1 MiB).
 *   <li>{@link #deadLetters()} – {@code delete}, 30 days: time for a person to look at failures.
 *   <li>{@link #storySignatures()} – {@code delete}, 7 days: the near-duplicate index, written by
 *       the normalizer and read back by every instance into a global store; internal to it.
 * </ul>
 *
 * <p>The retentions are defaults: {@link #withRetention} changes them for topics created later.
 * Immutable and thread-safe.
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

  /**
   * Retention of the story-signatures topic: 7 days, more than the near-duplicate window (default
   * two days), so a normalizer that restarts reloads every story still in the window.
   */
  public static final Duration STORY_SIGNATURES_RETENTION = Duration.ofDays(7);

  /** Retention of the dead letters topic: 30 days. */
  public static final Duration DEAD_LETTERS_RETENTION = Duration.ofDays(30);

  /**
   * {@code max.message.bytes} of the fetch log topic: 2 MiB, room for a body stored at the 1 MiB
   * zstd cap (1.34 MiB as Base64) plus the record around it.
   */
  public static final int FETCH_LOG_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

  /**
   * {@code max.message.bytes} the raw-items, articles and dead-letters topics need: 1 MiB. They are
   * created with the cluster's default (Kafka's is 1,048,588), and wire-ingest caps the JSON of
   * each record it writes there at 1,000,000 bytes ({@code KafkaPollSink.MAX_RAW_ITEM_BYTES},
   * {@code NormalizerSteps.MAX_ARTICLE_BYTES}, {@code DeadLetters.MAX_DEAD_LETTER_BYTES}), which
   * leaves room under 1 MiB for the key and the headers.
   */
  public static final int CAPPED_RECORD_MAX_MESSAGE_BYTES = 1024 * 1024;

  /**
   * {@code max.message.bytes} of the feed state topic: 16 MiB. A feed's state keeps, per entry of
   * its last document, the entry's key, hash and first-seen time (~170 bytes of JSON), so a state
   * of a feed listing ~10,000 entries is ~1.7 MB and 16 MiB holds ~95,000 entries: more than a feed
   * body within the default 20 MiB body limit lists in practice. A larger state is not stored (the
   * poll fails with {@code publish-error}, naming the size and the entries).
   */
  public static final int FEED_STATE_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  /**
   * {@code segment.ms} of the feed state topic: one hour. The poller writes a feed's state at every
   * poll, a 304 included (~4 KB for a feed listing 20 entries), and a compacted topic never
   * compacts its active segment: at the broker's default (7 days, or 1 GiB per partition) 1,000
   * feeds polled every minute left up to 6 GiB per partition uncompacted, and a restarted poller
   * read all of it back. Rolled hourly, the log cleaner keeps it near one record per feed plus an
   * hour of polls.
   */
  public static final Duration FEED_STATE_SEGMENT = Duration.ofHours(1);

  /**
   * {@code segment.bytes} of the feed state topic: 64 MiB, so a busy partition rolls (and is
   * compacted) before its hour is up; more than {@link #FEED_STATE_MAX_MESSAGE_BYTES}.
   */
  public static final int FEED_STATE_SEGMENT_BYTES = 64 * 1024 * 1024;

  /** Retention name of the raw items topic, for {@link #withRetention}. */
  public static final String RAW_ITEMS = "raw-items";

  /** Retention name of the articles topic, for {@link #withRetention}. */
  public static final String ARTICLES = "articles";

  /** Retention name of the fetch log topic, for {@link #withRetention}. */
  public static final String FETCH_LOG = "fetch-log";

  /** Retention name of the dead letters topic, for {@link #withRetention}. */
  public static final String DEAD_LETTERS = "dead-letters";

  /** Retention name of the story-signatures topic, for {@link #withRetention}. */
  public static final String STORY_SIGNATURES = "story-signatures";

  private static final Map<String, Duration> DEFAULT_RETENTION =
      Map.of(
          RAW_ITEMS,
          RAW_ITEMS_RETENTION,
          ARTICLES,
          ARTICLES_RETENTION,
          FETCH_LOG,
          FETCH_LOG_RETENTION,
          DEAD_LETTERS,
          DEAD_LETTERS_RETENTION,
          STORY_SIGNATURES,
          STORY_SIGNATURES_RETENTION);

  private static final DateTimeFormatter REPLAY_SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /**
   * Kafka's legal topic characters; the longest suffix ({@code raw-items.v1}) leaves room to 249.
   */
  private static final Pattern LEGAL_PREFIX = Pattern.compile("[a-zA-Z0-9._-]{0,200}");

  private static final Topics DEFAULT = new Topics(DEFAULT_PREFIX);

  private final String prefix;
  private final Map<String, Duration> retention;

  /**
   * Topics with the default retentions.
   *
   * @param prefix prepended to every topic name; may be empty; only {@code [a-zA-Z0-9._-]}, at most
   *     200 characters
   * @throws IllegalArgumentException when the prefix would make illegal Kafka topic names
   */
  public Topics(String prefix) {
    this(prefix, DEFAULT_RETENTION);
  }

  private Topics(String prefix, Map<String, Duration> retention) {
    Objects.requireNonNull(prefix, "prefix");
    if (!LEGAL_PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "topic prefix '" + prefix + "' must be at most 200 characters from [a-zA-Z0-9._-]");
    }
    this.prefix = prefix;
    this.retention = Map.copyOf(retention);
  }

  /**
   * Changes the retention a topic gets when it is created (existing topics are never altered).
   *
   * @param name {@value #RAW_ITEMS}, {@value #ARTICLES}, {@value #FETCH_LOG}, {@value
   *     #STORY_SIGNATURES} or {@value #DEAD_LETTERS} (the feed state topic is compacted and keeps
   *     no time limit)
   * @param duration the {@code retention.ms}; positive, at most {@link Long#MAX_VALUE} ms
   * @return a copy with that retention
   * @throws IllegalArgumentException for another name or a zero duration; the message lists the
   *     names
   */
  public Topics withRetention(String name, Duration duration) {
    if (!DEFAULT_RETENTION.containsKey(name)) {
      throw new IllegalArgumentException(
          "no retention for topic '"
              + name
              + "': use one of "
              + new TreeSet<>(DEFAULT_RETENTION.keySet()));
    }
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(
          "retention of " + name + " must be positive, got " + Durations.format(duration));
    }
    Map<String, Duration> copy = new HashMap<>(retention);
    copy.put(name, duration);
    return new Topics(prefix, copy);
  }

  /**
   * @param name {@value #RAW_ITEMS}, {@value #ARTICLES}, {@value #FETCH_LOG}, {@value
   *     #STORY_SIGNATURES} or {@value #DEAD_LETTERS}
   * @return the retention that topic gets when created
   * @throws IllegalArgumentException for another name
   */
  public Duration retention(String name) {
    Duration d = retention.get(name);
    if (d == null) {
      throw new IllegalArgumentException("no retention for topic '" + name + "'");
    }
    return d;
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
   * @return the articles topic ({@code wire.articles.v1}): key article {@code uri}, value {@code
   *     ArticleEvent}
   */
  public String articles() {
    return prefix + "articles.v1";
  }

  /**
   * @return the feed state topic ({@code wire.feed-state.v1}): key source id, value {@code
   *     FeedState}
   */
  public String feedState() {
    return prefix + "feed-state.v1";
  }

  /**
   * @return the fetch log topic ({@code wire.fetch-log.v1}): key source id, value {@code
   *     FetchLogRecord}
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
   * @return the story-signatures topic ({@code wire.story-signatures.v1}): key article {@code uri},
   *     value {@code StorySignature}; the normalizer's near-duplicate index
   */
  public String storySignatures() {
    return prefix + "story-signatures.v1";
  }

  /**
   * @param at when the replay starts (UTC)
   * @return the default target of {@code wire-ingest replay}: {@code
   *     <prefix>articles.replay.<yyyyMMddHHmmss>} (UTC)
   */
  public String articlesReplay(Instant at) {
    return prefix + "articles.replay." + REPLAY_SUFFIX.format(at);
  }

  /**
   * @param at when the re-parse starts (UTC)
   * @return the default target of {@code wire-ingest replay --reparse}: {@code
   *     <prefix>raw-items.reparse.<yyyyMMddHHmmss>} (UTC)
   */
  public String rawItemsReparse(Instant at) {
    return prefix + "raw-items.reparse." + REPLAY_SUFFIX.format(at);
  }

  /**
   * A topic that receives replayed article events: {@code delete} with the articles retention (not
   * compacted, so every replayed version stays readable).
   *
   * @param name the topic name
   * @param partitions its partitions; at least 1
   * @return the spec
   */
  public TopicSpec articlesReplaySpec(String name, int partitions) {
    return deleting(name, partitions, retention(ARTICLES));
  }

  /**
   * A topic that receives re-parsed raw items: {@code delete} with the raw items retention.
   *
   * @param name the topic name
   * @param partitions its partitions; at least 1
   * @return the spec
   */
  public TopicSpec rawItemsReparseSpec(String name, int partitions) {
    return deleting(name, partitions, retention(RAW_ITEMS));
  }

  /**
   * What places the raw items' keys by the topic's partition count ({@link
   * TopicSpec#partitionedFor}): the poller writes each to the partition of its {@code uri}, the
   * task that holds the story's versions. A normalizer that ran on a topic re-created with another
   * count refuses to start: its internal topics have the old one ({@code
   * NormalizerApp.checkInternalTopics}).
   */
  static final TopicSpec.PartitionedFor RAW_ITEMS_PARTITIONED_FOR =
      new TopicSpec.PartitionedFor(
          "the normalizer's version store",
          "stop the pollers, let the normalizer catch up (wire_normalizer_consumer_lag_records 0;"
              + " the raw items it has not read would be lost) and stop it",
          "the raw items go with the old topic, so replay has no history from before, and a"
              + " normalizer that ran on it needs a new --application-id (README: \"Where raw items"
              + " go\")");

  /**
   * What places the feed states' keys by the topic's partition count ({@link
   * TopicSpec#partitionedFor}): each poller of a group polls the feeds of its feed-state
   * partitions.
   */
  static final TopicSpec.PartitionedFor FEED_STATE_PARTITIONED_FOR =
      new TopicSpec.PartitionedFor(
          "the feed assignment",
          "stop wire-ingest",
          "the feeds' states go with the old topic, so every entry is published again (the"
              + " normalizer suppresses the unchanged ones)");

  /**
   * @param partitions partitions of every topic; at least 1
   * @return the six topics with the policies listed on this class, replication factor {@link
   *     TopicSpec#CLUSTER_REPLICATION_FACTOR}; in the order raw items, articles, feed state, fetch
   *     log, dead letters, story signatures
   */
  public List<TopicSpec> all(int partitions) {
    return List.of(
        deleting(
            rawItems(),
            partitions,
            retention(RAW_ITEMS),
            RAW_ITEMS_PARTITIONED_FOR,
            RAW_ITEMS_LARGEST_RECORD),
        new TopicSpec(
            articles(),
            partitions,
            TopicSpec.CLUSTER_REPLICATION_FACTOR,
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                millis(retention(ARTICLES))),
            null,
            ARTICLES_LARGEST_RECORD),
        new TopicSpec(
            feedState(),
            partitions,
            TopicSpec.CLUSTER_REPLICATION_FACTOR,
            // a feed listing ~10,000 entries has a state of ~1.7 MB: over the 1 MiB default
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(FEED_STATE_MAX_MESSAGE_BYTES),
                TopicConfig.SEGMENT_MS_CONFIG,
                millis(FEED_STATE_SEGMENT),
                TopicConfig.SEGMENT_BYTES_CONFIG,
                Integer.toString(FEED_STATE_SEGMENT_BYTES)),
            FEED_STATE_PARTITIONED_FOR,
            FEED_STATE_LARGEST_RECORD),
        new TopicSpec(
            fetchLog(),
            partitions,
            TopicSpec.CLUSTER_REPLICATION_FACTOR,
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                millis(retention(FETCH_LOG)),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(FETCH_LOG_MAX_MESSAGE_BYTES)),
            null,
            FETCH_LOG_LARGEST_RECORD),
        deleting(
            deadLetters(), partitions, retention(DEAD_LETTERS), null, DEAD_LETTERS_LARGEST_RECORD),
        deleting(storySignatures(), partitions, retention(STORY_SIGNATURES)));
  }

  // The largest records wire-ingest writes to each topic (TopicSpec#largestRecord), and what a
  // smaller max.message.bytes refuses. Story signatures are a few hundred bytes: not checked.

  static final TopicSpec.LargestRecord RAW_ITEMS_LARGEST_RECORD =
      new TopicSpec.LargestRecord(
          CAPPED_RECORD_MAX_MESSAGE_BYTES,
          "raw items of up to 1,000,000 bytes of JSON, with their keys",
          "a raw item over the topic's limit is refused, and its feed's polls fail with"
              + " publish-error as long as the feed lists the entry");

  static final TopicSpec.LargestRecord ARTICLES_LARGEST_RECORD =
      new TopicSpec.LargestRecord(
          CAPPED_RECORD_MAX_MESSAGE_BYTES,
          "article events of up to 1,000,000 bytes of JSON, with their keys and CloudEvents"
              + " headers",
          "an article event over the topic's limit is a dead letter (RecordTooLarge), not an"
              + " article");

  static final TopicSpec.LargestRecord FEED_STATE_LARGEST_RECORD =
      new TopicSpec.LargestRecord(
          FEED_STATE_MAX_MESSAGE_BYTES,
          "feed states of up to 16 MiB, a feed listing up to ~95,000 entries",
          "a feed state over the topic's limit is refused, and its feed's polls fail with"
              + " publish-error");

  static final TopicSpec.LargestRecord FETCH_LOG_LARGEST_RECORD =
      new TopicSpec.LargestRecord(
          FETCH_LOG_MAX_MESSAGE_BYTES,
          "fetch-log records with a new body of up to 1 MiB zstd, 1.34 MiB as Base64",
          "a fetch-log record over the topic's limit is not written (a WARN line), and replay"
              + " --reparse has no copy of its body");

  static final TopicSpec.LargestRecord DEAD_LETTERS_LARGEST_RECORD =
      new TopicSpec.LargestRecord(
          CAPPED_RECORD_MAX_MESSAGE_BYTES,
          "dead letters of up to 1,000,000 bytes of JSON, with their keys and headers",
          "a normalizer's dead letter over the topic's limit leaves out its copy of the input"
              + " (which stays at its source coordinates), and a poller's is refused and fails its"
              + " feed's poll with publish-error");

  @Override
  public String toString() {
    return "Topics[prefix=" + prefix + ", retention=" + new TreeMap<>(retention) + "]";
  }

  private static TopicSpec deleting(String name, int partitions, Duration retention) {
    return deleting(name, partitions, retention, null, null);
  }

  private static TopicSpec deleting(
      String name,
      int partitions,
      Duration retention,
      TopicSpec.PartitionedFor partitionedFor,
      TopicSpec.LargestRecord largestRecord) {
    return new TopicSpec(
        name,
        partitions,
        TopicSpec.CLUSTER_REPLICATION_FACTOR,
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG,
            millis(retention)),
        partitionedFor,
        largestRecord);
  }

  private static String millis(Duration duration) {
    return Long.toString(duration.toMillis());
  }
}
