package org.wireingest.streams;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.wireingest.config.ConfigException;
import org.wireingest.dedup.DedupState;
import org.wireingest.dedup.SignatureIndex;
import org.wireingest.kafka.JsonSerde;
import org.wireingest.kafka.Topics;
import org.wireingest.kafka.UriPartitioner;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.StorySignature;
import org.wireingest.normalize.Normalizer;

/**
 * The normalizer's Kafka Streams topology:
 *
 * <pre>
 * wire.raw-items.v1 ─▶ route (stage 1) ─┬─ local ──────────────────────▶ dedup (stage 2, store "article-versions") ─┬─▶ wire.articles.v1
 *                                       ├─ remote ─▶ repartition by uri ─▶ dedup (same store, same task) ──────────┤
 *                                       └─▶ wire.dead-letters.v1 ◀──────────────────────────────────────────────────┤
 *                                                                                                                   └─▶ wire.story-signatures.v1
 * wire.story-signatures.v1 ─▶ global store "story-signatures" (every instance: the near-duplicate index the dedup stage reads)
 * </pre>
 *
 * Stage 1 only reads each raw item for its {@code uri} and input hash. Every copy of a story — from
 * any feed of its agency — must meet one version store, the single authority on its versions: the
 * store of the task that reads partition {@link UriPartitioner#partition(String, int)} of the
 * repartition topic. An item read from the raw-items partition of that number (the poller writes
 * every item there) is already in the owning task and is decided at once with the item stage 1 read
 * ("local", no second read, no extra hop); any other item (written by an older poller or by hand)
 * travels through the repartition topic as its raw bytes ({@link RoutedSerde}) to the task that
 * owns its {@code uri} ("remote"). Both paths and the store are one sub-topology, so the task reads
 * raw-items partition p and repartition partition p and owns the {@code uri}s of p. Stage 2
 * normalises, unless the item's input hash shows it is an exact copy of the last version's input
 * ({@link NormalizerSteps#decide}).
 *
 * <p>Near-duplicates across agencies: a story's first version is given a cluster ({@link
 * org.wireingest.dedup.NearDuplicates}) by looking its MinHash signature up in the global
 * near-duplicate index, and its signature is written to the story-signatures topic in the same
 * transaction as the article, and added to the instance's in-memory index at once; every instance
 * reads that topic into its index (at start, from the topic's beginning). Another instance sees a
 * story once its global thread has read it, a commit interval and a poll later: two near-duplicates
 * decided by different instances within about that time of each other may each start a cluster.
 */
public final class NormalizerTopology {

  /** Name of the persistent (RocksDB, changelogged) store of article versions, keyed by uri. */
  public static final String STORE = "article-versions";

  /**
   * Name of the repartition step (its internal topic is {@code
   * <application.id>-raw-items-by-uri-repartition}). Until 2026-11 the topic carried drafts, as
   * {@code <application.id>-articles-by-uri-repartition}; that topic is no longer read.
   */
  public static final String REPARTITION = "raw-items-by-uri";

  /**
   * Streams configuration key (a client property the normalizer passes through): how long the
   * version store keeps a story after its last raw item, in milliseconds ({@code
   * --version-retention}); absent to keep every story for ever. A story forgotten this way starts
   * again as version 1 ({@code created}) if a copy of it ever arrives again.
   */
  public static final String VERSION_RETENTION_MS = "wire.version.retention.ms";

  /**
   * Name of the global store fed by the story-signatures topic: in memory and left empty; its
   * processor fills the instance's {@link SignatureIndex}.
   */
  public static final String SIGNATURE_STORE = "story-signatures";

  /**
   * Streams configuration key (a client property the normalizer passes through): how long a story
   * stays in the near-duplicate index, so later stories can join its cluster, in milliseconds
   * ({@code --cluster-window}); absent for {@link SignatureIndex#DEFAULT_WINDOW}.
   */
  public static final String CLUSTER_WINDOW_MS = "wire.cluster.window.ms";

  /**
   * Streams configuration key: the most stories the near-duplicate index keeps in memory ({@code
   * --cluster-index-size}); absent for {@link SignatureIndex#DEFAULT_MAX_STORIES}.
   */
  public static final String CLUSTER_INDEX_SIZE = "wire.cluster.index.size";

  /**
   * Streams configuration key, set by {@link NormalizerApp#withInternalTopicSizes} from the
   * repartition topic's {@code max.message.bytes} when that takes less than {@link
   * NormalizerSteps#MAX_REPARTITION_BYTES}: the most bytes a repartition record may have (value,
   * key and headers, as stage 1 counts them); absent for {@link
   * NormalizerSteps#MAX_REPARTITION_BYTES}. A larger raw item that must take the repartition hop is
   * a dead letter instead of a record the topic refuses (which under exactly-once fails the stream
   * thread at every try).
   */
  public static final String REPARTITION_MAX_BYTES = "wire.repartition.max.bytes";

  /**
   * Streams configuration key, set by {@link NormalizerApp#withTopicSizes} from the dead-letter
   * topic's {@code max.message.bytes} when that is below what the normalizer's dead letters need:
   * the most bytes of JSON of a dead letter ({@link DeadLetters#maxJsonBytes}); absent for {@link
   * DeadLetters#MAX_DEAD_LETTER_BYTES}. A larger dead letter leaves out its copy of the input
   * ({@link DeadLetters#fit}) instead of being refused by the topic.
   */
  public static final String DEAD_LETTER_MAX_BYTES = "wire.dead-letter.max.bytes";

  /**
   * Streams configuration key, set by {@link NormalizerApp#withTopicSizes} from the articles
   * topic's {@code max.message.bytes} when that is below what the normalizer's article events need:
   * the most bytes of JSON of an article event; absent for {@link
   * NormalizerSteps#MAX_ARTICLE_BYTES}. A larger event is a dead letter ({@code RecordTooLarge})
   * instead of a record the topic refuses.
   */
  public static final String ARTICLE_MAX_BYTES = "wire.article.max.bytes";

  /** Shortest version retention accepted: a day. */
  public static final Duration MIN_VERSION_RETENTION = Duration.ofDays(1);

  private NormalizerTopology() {}

  /**
   * @param config the Streams configuration ({@code ProcessorContext#appConfigs})
   * @return the version retention of {@link #VERSION_RETENTION_MS}; null when absent (keep for
   *     ever)
   * @throws ConfigException when it is not a whole number of milliseconds of at least {@link
   *     #MIN_VERSION_RETENTION}
   */
  public static Duration versionRetention(Map<String, ?> config) {
    Object value = config.get(VERSION_RETENTION_MS);
    if (value == null) {
      return null;
    }
    long ms;
    try {
      ms = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(
          VERSION_RETENTION_MS + " must be a whole number of milliseconds (got '" + value + "')");
    }
    if (ms < MIN_VERSION_RETENTION.toMillis()) {
      throw new ConfigException(
          VERSION_RETENTION_MS
              + " must be at least "
              + MIN_VERSION_RETENTION.toMillis()
              + " ms (a day; got "
              + ms
              + ")");
    }
    return Duration.ofMillis(ms);
  }

  /**
   * @param config the Streams configuration ({@code ProcessorContext#appConfigs})
   * @return the near-duplicate window of {@link #CLUSTER_WINDOW_MS}; {@link
   *     SignatureIndex#DEFAULT_WINDOW} when absent
   * @throws ConfigException when it is not a positive whole number of milliseconds
   */
  public static Duration clusterWindow(Map<String, ?> config) {
    Object value = config.get(CLUSTER_WINDOW_MS);
    if (value == null) {
      return SignatureIndex.DEFAULT_WINDOW;
    }
    long ms;
    try {
      ms = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(
          CLUSTER_WINDOW_MS + " must be a whole number of milliseconds (got '" + value + "')");
    }
    if (ms <= 0) {
      throw new ConfigException(CLUSTER_WINDOW_MS + " must be positive (got " + ms + " ms)");
    }
    return Duration.ofMillis(ms);
  }

  /**
   * @param config the Streams configuration ({@code ProcessorContext#appConfigs})
   * @return the near-duplicate index size of {@link #CLUSTER_INDEX_SIZE}; {@link
   *     SignatureIndex#DEFAULT_MAX_STORIES} when absent
   * @throws ConfigException when it is not a whole number of at least 1
   */
  public static int clusterIndexSize(Map<String, ?> config) {
    Object value = config.get(CLUSTER_INDEX_SIZE);
    if (value == null) {
      return SignatureIndex.DEFAULT_MAX_STORIES;
    }
    try {
      long n =
          value instanceof Number num ? num.longValue() : Long.parseLong(value.toString().trim());
      if (n >= 1 && n <= Integer.MAX_VALUE) {
        return (int) n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(
        CLUSTER_INDEX_SIZE
            + " must be a whole number of stories, at least 1 (got '"
            + value
            + "')");
  }

  /**
   * @param config the Streams configuration ({@code ProcessorContext#appConfigs})
   * @return the most bytes of JSON of a dead letter ({@link #DEAD_LETTER_MAX_BYTES}): its value
   *     when it is a whole number from 1 to {@link DeadLetters#MAX_DEAD_LETTER_BYTES}, else {@link
   *     DeadLetters#MAX_DEAD_LETTER_BYTES}
   */
  public static int deadLetterMaxBytes(Map<String, ?> config) {
    return boundedBytes(config.get(DEAD_LETTER_MAX_BYTES), DeadLetters.MAX_DEAD_LETTER_BYTES);
  }

  /**
   * @param config the Streams configuration ({@code ProcessorContext#appConfigs})
   * @return the most bytes of JSON of an article event ({@link #ARTICLE_MAX_BYTES}): its value when
   *     it is a whole number from 1 to {@link NormalizerSteps#MAX_ARTICLE_BYTES}, else {@link
   *     NormalizerSteps#MAX_ARTICLE_BYTES}
   */
  public static int articleMaxBytes(Map<String, ?> config) {
    return boundedBytes(config.get(ARTICLE_MAX_BYTES), NormalizerSteps.MAX_ARTICLE_BYTES);
  }

  /** {@code value} as a whole number from 1 to {@code max}; {@code max} when it is none. */
  private static int boundedBytes(Object value, int max) {
    if (value != null) {
      try {
        long n =
            value instanceof Number num ? num.longValue() : Long.parseLong(value.toString().trim());
        if (n >= 1 && n < max) {
          return (int) n;
        }
      } catch (NumberFormatException e) {
        // not set by wire-ingest: the default
      }
    }
    return max;
  }

  /**
   * @param config the Streams configuration ({@code ProcessorContext#appConfigs})
   * @return the most bytes of a repartition record ({@link #REPARTITION_MAX_BYTES}): its value when
   *     it is a whole number from 1 to {@link NormalizerSteps#MAX_REPARTITION_BYTES}, else {@link
   *     NormalizerSteps#MAX_REPARTITION_BYTES}
   */
  public static int repartitionMaxBytes(Map<String, ?> config) {
    return boundedBytes(config.get(REPARTITION_MAX_BYTES), NormalizerSteps.MAX_REPARTITION_BYTES);
  }

  /**
   * @param topics topic names
   * @param normalizer the pure raw item → draft article mapping
   * @param listener told of every outcome
   * @param clock wall clock for {@code ingestedAt} and dead-letter times
   * @param partitions partitions of the repartition topic: the raw-items topic's partition count,
   *     so that items the poller placed by {@link UriPartitioner} stay in their task. Any count
   *     keeps the dedup correct; once the repartition topic exists it must not change
   * @return the topology
   * @throws IllegalArgumentException when {@code partitions} is below 1
   */
  public static Topology build(
      Topics topics,
      Normalizer normalizer,
      NormalizerListener listener,
      Clock clock,
      int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    Serde<ArticleEvent> articleSerde = new JsonSerde<>(ArticleEvent.class);
    Serde<DeadLetter> deadLetterSerde = new JsonSerde<>(DeadLetter.class);
    NormalizerSteps steps = new NormalizerSteps(normalizer, listener, clock);
    StreamsBuilder b = new StreamsBuilder();
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STORE),
            Serdes.String(),
            new JsonSerde<>(DedupState.class)));

    // The near-duplicate index: every instance reads the whole story-signatures topic into its
    // in-memory index (through SignatureIndexUpdater, also at start: the global store is in
    // memory, so it is restored from the topic's beginning through the processor); the dedup
    // processors read it. The global store itself stays empty.
    SharedSignatureIndex index = new SharedSignatureIndex(listener, clock);
    b.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(SIGNATURE_STORE), Serdes.String(), Serdes.String())
            .withLoggingDisabled(),
        topics.storySignatures(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("story-signatures-in"),
        () -> new SignatureIndexUpdater(index, listener));

    KStream<String, RouteProcessor.Hop> stage1 =
        b.stream(
                topics.rawItems(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw-items"))
            .process(() -> new RouteProcessor(steps, partitions), Named.as("route"));

    var branches1 =
        stage1
            .split(Named.as("routed-"))
            .branch((k, v) -> v instanceof RouteProcessor.Hop.Dead, Branched.as("dead"))
            .branch((k, v) -> v instanceof RouteProcessor.Hop.Local, Branched.as("local"))
            .defaultBranch(Branched.as("remote"));
    branches1
        .get("routed-dead")
        .mapValues(v -> ((RouteProcessor.Hop.Dead) v).deadLetter(), Named.as("stage1-dead-letter"))
        .processValues(DeadLetterFit::new, Named.as("stage1-dead-letter-fit"))
        .to(
            topics.deadLetters(),
            Produced.with(Serdes.String(), deadLetterSerde).withName("stage1-dead-letters"));

    KStream<String, StageOutput> local =
        branches1
            .get("routed-local")
            .mapValues(v -> ((RouteProcessor.Hop.Local) v).routed(), Named.as("local-item"))
            .process(
                () -> new DedupProcessor(STORE, index, steps, listener, true),
                Named.as("dedup-local"),
                STORE);
    KStream<String, StageOutput> remote =
        branches1
            .get("routed-remote")
            .mapValues(v -> ((RouteProcessor.Hop.Remote) v).routed(), Named.as("item"))
            .repartition(
                Repartitioned.with(Serdes.String(), new RoutedSerde())
                    .withName(REPARTITION)
                    .withNumberOfPartitions(partitions)
                    .withStreamPartitioner(NormalizerTopology::uriPartition))
            .process(
                () -> new DedupProcessor(STORE, index, steps, listener, false),
                Named.as("dedup"),
                STORE);
    KStream<String, StageOutput> stage2 = local.merge(remote, Named.as("decided"));

    var branches2 =
        stage2
            .split(Named.as("deduped-"))
            .branch((k, v) -> v.isDeadLetter(), Branched.as("dead"))
            .branch((k, v) -> v.isSignature(), Branched.as("signature"))
            .defaultBranch(Branched.as("article"));
    branches2
        .get("deduped-signature")
        .mapValues(StageOutput::signature, Named.as("signature"))
        .to(
            topics.storySignatures(),
            Produced.with(Serdes.String(), new JsonSerde<>(StorySignature.class))
                .withName("story-signatures-out"));
    branches2
        .get("deduped-dead")
        .mapValues(StageOutput::deadLetter, Named.as("stage2-dead-letter"))
        .processValues(DeadLetterFit::new, Named.as("stage2-dead-letter-fit"))
        .to(
            topics.deadLetters(),
            Produced.with(Serdes.String(), deadLetterSerde).withName("stage2-dead-letters"));
    branches2
        .get("deduped-article")
        .mapValues(StageOutput::article, Named.as("article"))
        .to(topics.articles(), Produced.with(Serdes.String(), articleSerde).withName("articles"));
    return b.build();
  }

  /**
   * The repartition topic's partitioner: {@link UriPartitioner}, so stage 1's "local" test and the
   * topic agree.
   */
  static Optional<Set<Integer>> uriPartition(
      String topic, String uri, NormalizerSteps.Routing.Routed value, int numPartitions) {
    return Optional.of(Set.of(UriPartitioner.partition(uri, numPartitions)));
  }
}
