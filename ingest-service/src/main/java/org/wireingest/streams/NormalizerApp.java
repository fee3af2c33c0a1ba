package org.wireingest.streams;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.ConfigException;
import org.wireingest.kafka.KafkaSetupException;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.TopicSpec;
import org.wireingest.kafka.Topics;
import org.wireingest.normalize.Normalizer;

/**
 * Runs the normalizer topology as a Kafka Streams application ({@code
 * processing.guarantee=exactly_once_v2}, state under {@code <dataDir>/streams}). All instances with
 * one {@code application.id} form one consumer group and share the raw-items partitions.
 *
 * <p>A stream thread that fails is replaced by a new one, unless more than 10 stream threads have
 * failed within the last 10 minutes: then the client stops for good (Kafka Streams state {@code
 * ERROR}; why these numbers: {@code StreamThreadFailures}).
 */
public final class NormalizerApp implements AutoCloseable {

  /** Default {@code application.id} (also the consumer group id and internal topic prefix). */
  public static final String DEFAULT_APPLICATION_ID = "wire-ingest-normalizer";

  /**
   * Gauge of the normalizer's consumer lag, in records (Prometheus {@code
   * wire_normalizer_consumer_lag_records}).
   */
  public static final String CONSUMER_LAG = "wire.normalizer.consumer.lag";

  private static final Logger LOG = LoggerFactory.getLogger(NormalizerApp.class);

  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);
  private final int threads;

  /** The version store's RocksDB config setter, a class name ({@link #versionStoreMemory}). */
  private final String rocksDbConfigSetter;

  /** {@link BoundedRocksDbMemory}'s budget in bytes when it is the setter; else 0. */
  private final long rocksDbMemoryBytes;

  /**
   * The topics the main consumers read: raw items and the repartition topic ({@link
   * #consumerLag(Map, Set)}).
   */
  private final Set<String> inputTopics;

  /**
   * @param clientProperties bootstrap servers and pass-through client settings
   * @param applicationId Streams application id
   * @param stateDir directory for RocksDB state (created if missing)
   * @param topics topic names
   * @param listener told of every outcome
   * @param partitions the raw-items topic's partition count ({@link
   *     org.wireingest.kafka.TopicAdmin#partitionCount}): the partitions of the repartition topic,
   *     see {@link NormalizerTopology#build}; at least 1
   * @throws ConfigException when {@code applicationId} is not a valid id
   * @throws org.apache.kafka.common.config.ConfigException when {@code num.stream.threads} is no
   *     integer
   * @throws IllegalArgumentException when {@code partitions} is below 1
   */
  public NormalizerApp(
      Map<String, Object> clientProperties,
      String applicationId,
      Path stateDir,
      Topics topics,
      NormalizerListener listener,
      int partitions) {
    checkApplicationId(applicationId);
    this.inputTopics = Set.of(topics.rawItems(), internalTopics(applicationId).get(0));
    Properties p = new Properties();
    p.putAll(new HashMap<>(clientProperties));
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    streamsProperties(p);
    DeadLetterDeserializationHandler.configure(p, topics.deadLetters(), listener);
    // -K num.stream.threads=abc: Kafka's ConfigException (a bad setting, exit 2), not a
    // NumberFormatException
    this.threads =
        (Integer)
            ConfigDef.parseType(
                StreamsConfig.NUM_STREAM_THREADS_CONFIG,
                p.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG),
                ConfigDef.Type.INT);
    Object setter = p.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG);
    this.rocksDbConfigSetter =
        setter instanceof Class<?> type ? type.getName() : String.valueOf(setter).strip();
    Map<String, Object> configs = new HashMap<>();
    p.forEach((k, v) -> configs.put(String.valueOf(k), v));
    this.rocksDbMemoryBytes =
        rocksDbConfigSetter.equals(BoundedRocksDbMemory.class.getName())
            ? BoundedRocksDbMemory.memoryBytes(configs)
            : 0;
    p.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
    Clock clock = Clock.systemUTC();
    this.streams =
        new KafkaStreams(
            NormalizerTopology.build(
                topics,
                new Normalizer(clock, Normalizer.DEFAULT_FUTURE_SKEW),
                listener,
                clock,
                partitions),
            p);
    // a fresh thread for a transient failure; a failure that keeps coming back stops the client
    streams.setUncaughtExceptionHandler(new StreamThreadFailures(clock));
    streams.setStateListener(
        (now, before) -> {
          LOG.debug("normalizer state {} -> {}", before, now);
          // With several stream threads the client is RUNNING as soon as the first thread has its
          // tasks, then rebalances when the others join: started only once all of them run.
          if (now == KafkaStreams.State.RUNNING && running.getCount() > 0 && allThreadsRunning()) {
            running.countDown();
          }
        });
  }

  /**
   * The normalizer's throughput settings (docs/benchmarks.md, "Whole-pipeline normalizer
   * throughput"), each overridable by a client property of the same name ({@code -K name=value}):
   *
   * <ul>
   *   <li>{@code num.stream.threads}: one per core ({@link Runtime#availableProcessors()}), since
   *       normalising (HTML per entry) is CPU-bound;
   *   <li>{@code commit.interval.ms} 100: one exactly-once transaction per 100 ms per thread; an
   *       article is visible to read_committed readers about that long after it is processed (the
   *       latency target is p99 under 1 s from fetch to committed article), and the commit cost was
   *       under 1 % of the stream thread's time in the profile.
   *   <li>{@code consumer.session.timeout.ms} 10,000 and {@code consumer.heartbeat.interval.ms}
   *       3,000: a normalizer that dies without leaving the group (kill -9, power loss) holds its
   *       partitions until its session times out; 10 s instead of the 45 s default keeps that pause
   *       short.
   *   <li>{@code producer.batch.size} {@value #PRODUCER_BATCH_BYTES} bytes (client default 16,384):
   *       an article event is about 3 KB, so a 16 KB batch holds five of them and the producer
   *       sends a request for every five articles of a partition, with at most five requests in
   *       flight per connection under idempotence. With 256 KiB one request carries a partition's
   *       share of a 100 ms transaction. Measured with {@code PipelineThroughput} (300,000 items,
   *       three alternating pairs on one machine): 7,241 → 10,905 items/s (medians, +51 %). Records
   *       now wait in the producer for Kafka Streams' {@code linger.ms} of 100 or the next commit
   *       instead of leaving in full 16 KB batches; read_committed readers see an article only at
   *       its transaction's commit, which flushes the producer, so they see no added wait (p99
   *       fetch → committed article 193 ms, as before). {@code -K producer.batch.size=BYTES}
   *       changes it for the normalizer alone; {@code -K batch.size=BYTES} for every producer.
   *   <li>{@code rocksdb.config.setter} {@link BoundedRocksDbMemory}: the version store's RocksDB
   *       instances (one per partition) share one block cache, which also holds their index and
   *       filter blocks and is charged for their memtables, of {@value
   *       BoundedRocksDbMemory#MEMORY_BYTES} bytes (64 MiB unless set): without it each instance
   *       takes up to ~100 MB off-heap.
   *   <li>{@code max.task.idle.ms} -1: a task reads raw-items partition p and repartition partition
   *       p, and the second is nearly always empty (the poller writes each item to its {@code
   *       uri}'s partition, so only items from older pollers or written by hand take the
   *       repartition hop). With the default 0 a task still processes at once when the empty
   *       partition has no lag; what -1 changes is that it never waits to fetch repartitioned items
   *       first to interleave them by timestamp, which the version rule does not need (the store
   *       decides by content, in the order records reach it). It also skips Kafka Streams 4.3's
   *       check of the empty partition, which formats a log message with {@code String.format} on
   *       every call whether or not it is logged: 2–3 µs of stream-thread CPU per item in the
   *       profile.
   *   <li>{@code processing.exception.handler.global.enabled} true: the global thread (the
   *       near-duplicate index) handles processing exceptions as the stream threads do (the default
   *       handler fails, as the global thread did before); without it Kafka 4.2+ warns at every
   *       start, and 5.0 makes it the default.
   * </ul>
   *
   * <p>A default given with a client prefix ({@code producer.}, {@code consumer.}) is left out when
   * the same setting is given without it ({@link #streamsProperties}), since Kafka Streams lets the
   * prefixed one win.
   *
   * <p>Left at the client defaults on purpose (measured): producer compression (lz4 sets up a
   * compressor per batch and cost stream-thread CPU; no gain on a nearby broker).
   *
   * @return a new mutable map of Streams properties
   */
  public static Map<String, Object> streamsTuning() {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put(
        StreamsConfig.NUM_STREAM_THREADS_CONFIG,
        Math.max(1, Runtime.getRuntime().availableProcessors()));
    t.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    t.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    t.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3_000);
    t.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
    t.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());
    t.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    // The global thread (the near-duplicate index) uses the processing exception handler as the
    // stream threads do (the default fails, as the global thread does without it); Kafka 4.2+
    // warns three times at every start until it is set, and makes it the default in 5.0.
    t.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    return t;
  }

  /**
   * Producer batch size of the normalizer's Streams producers, in bytes ({@link #streamsTuning}).
   */
  public static final int PRODUCER_BATCH_BYTES = 256 * 1024;

  /**
   * Adds the {@link #streamsTuning} defaults to Streams properties that lack them. A setting given
   * without the default's client prefix ({@code batch.size} for {@code producer.batch.size}, {@code
   * session.timeout.ms} for {@code consumer.session.timeout.ms}) counts as given: Kafka Streams
   * lets a prefixed property win over an unprefixed one, so the default is left out instead.
   *
   * @param p Streams properties with the client properties already in them; changed in place
   */
  public static void streamsProperties(Properties p) {
    streamsTuning()
        .forEach(
            (k, v) -> {
              String unprefixed = null;
              for (String prefix :
                  new String[] {StreamsConfig.PRODUCER_PREFIX, StreamsConfig.CONSUMER_PREFIX}) {
                if (k.startsWith(prefix)) {
                  unprefixed = k.substring(prefix.length());
                }
              }
              if (unprefixed == null || !p.containsKey(unprefixed)) {
                p.putIfAbsent(k, v);
              }
            });
  }

  /**
   * Refuses an application id that cannot name the normalizer's internal topics ({@link
   * #internalTopics}, Kafka's topic-name characters, within its 249 with the longest suffix) or
   * that would move its state directory ({@code <state dir>/<id>}) and lock file out of the state
   * directory ({@code .} and {@code ..}).
   *
   * @param applicationId the id to check; may be null (refused)
   * @throws ConfigException naming {@code --application-id} and the rule
   */
  public static void checkApplicationId(String applicationId) {
    if (applicationId == null
        || !applicationId.matches("[a-zA-Z0-9._-]{1,200}")
        || applicationId.equals(".")
        || applicationId.equals("..")) {
      throw new ConfigException(
          "--application-id must be 1-200 characters of [a-zA-Z0-9._-], not '.' or '..' (got '"
              + applicationId
              + "'): it names the normalizer's internal topics and its state directory");
    }
  }

  /**
   * The internal topics Kafka Streams makes for the normalizer with this application id.
   *
   * @param applicationId the normalizer's application id; never null
   * @return the repartition topic ({@code <id>-raw-items-by-uri-repartition}) and the version
   *     store's changelog ({@code <id>-article-versions-changelog}), in that order
   */
  public static List<String> internalTopics(String applicationId) {
    return List.of(
        applicationId + "-" + NormalizerTopology.REPARTITION + "-repartition",
        applicationId + "-" + NormalizerTopology.STORE + "-changelog");
  }

  /**
   * The largest records the normalizer writes to its repartition topic ({@link
   * TopicSpec#largestRecord}): raw items of up to {@link NormalizerSteps#MAX_REPARTITION_BYTES}
   * with their keys and headers, as the raw-items topic's ({@link
   * Topics#CAPPED_RECORD_MAX_MESSAGE_BYTES}). Its changelog needs no more than a broker's default:
   * a version-store state is a few kilobytes at most (hashes, and at most 600 characters of lead
   * text).
   */
  public static final TopicSpec.LargestRecord REPARTITION_LARGEST_RECORD =
      new TopicSpec.LargestRecord(
          Topics.CAPPED_RECORD_MAX_MESSAGE_BYTES,
          "raw items of up to 1,000,000 bytes with their keys and headers, re-keyed by uri",
          "a raw item over the topic's limit read from another partition than its uri's (one"
              + " written by hand or by an older poller) is a dead letter (RecordTooLarge), not an"
              + " article");

  /**
   * The normalizer's internal topics as Kafka Streams makes them, for comparing existing ones
   * ({@link TopicAdmin#compare}): names as {@link #internalTopics}, {@code partitions} each, and
   * the repartition topic's {@link #REPARTITION_LARGEST_RECORD}.
   *
   * @param applicationId the normalizer's application id; never null
   * @param partitions the raw-items topic's partition count; at least 1
   * @return the repartition topic and the version store's changelog, in that order
   */
  public static List<TopicSpec> internalTopicSpecs(String applicationId, int partitions) {
    List<String> names = internalTopics(applicationId);
    return List.of(
        new TopicSpec(
            names.get(0),
            partitions,
            TopicSpec.CLUSTER_REPLICATION_FACTOR,
            Map.of(),
            null,
            REPARTITION_LARGEST_RECORD),
        new TopicSpec(names.get(1), partitions, TopicSpec.CLUSTER_REPLICATION_FACTOR, Map.of()));
  }

  /**
   * Bytes of a record batch's framing left under a topic's {@code max.message.bytes} besides the
   * record's value, key and headers ({@link NormalizerTopology#REPARTITION_MAX_BYTES}).
   */
  static final int RECORD_FRAMING_BYTES = 1024;

  /**
   * The Streams properties with what the normalizer's internal topics need:
   *
   * <ul>
   *   <li>the {@code max.message.bytes} Kafka Streams creates them with ({@code
   *       topic.max.message.bytes}, {@link StreamsConfig#topicPrefix}: Streams gives its {@code
   *       topic.}-prefixed properties to every internal topic it creates), set to {@link
   *       #REPARTITION_LARGEST_RECORD}'s size only when the brokers' default ({@code
   *       message.max.bytes}, asked once, {@link TopicAdmin#brokerMessageMaxBytes}) is below it, by
   *       the rule of wire-ingest's own topics ({@link TopicAdmin#neededMaxMessageBytes}); on a
   *       cluster with Kafka's default (1,048,588) they keep it, as before. A {@code
   *       topic.max.message.bytes} given in {@code properties} ({@code -K
   *       topic.max.message.bytes=N}) is left as given, and the broker is not asked; when it is
   *       below {@link #REPARTITION_LARGEST_RECORD}'s size and the repartition topic is still to be
   *       made, one WARN names it, its value, the size the repartition records need and the version
   *       store's changelog, which Kafka Streams creates with it too;
   *   <li>{@link NormalizerTopology#REPARTITION_MAX_BYTES} when the repartition topic takes less
   *       than {@link NormalizerSteps#MAX_REPARTITION_BYTES} plus {@value #RECORD_FRAMING_BYTES}
   *       bytes of framing: its {@code max.message.bytes} when it exists (one Streams made before
   *       with a small default is not changed: {@link #checkInternalTopics} warns of it), else the
   *       one it will be created with. A raw item over it that must take the repartition hop is
   *       then a dead letter instead of a record the topic refuses.
   * </ul>
   *
   * @param admin the admin client; not closed here
   * @param applicationId the normalizer's application id ({@link #internalTopics}); never null
   * @param properties the normalizer's Streams properties; not changed
   * @param timeout deadline of each cluster query (the repartition topic's configs, the broker's);
   *     positive. A cluster that does not answer, or refuses (no {@code DescribeConfigs} ACL),
   *     leaves what it would tell unset
   * @return a copy of {@code properties}, with {@code topic.max.message.bytes} (a decimal string,
   *     bytes) and {@link NormalizerTopology#REPARTITION_MAX_BYTES} where needed
   */
  public static Map<String, Object> withInternalTopicSizes(
      Admin admin, String applicationId, Map<String, Object> properties, Duration timeout) {
    Map<String, Object> sized = new HashMap<>(properties);
    String key = StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
    OptionalLong createdWith = OptionalLong.empty();
    if (properties.containsKey(key)) {
      createdWith = decimal(properties.get(key));
    } else {
      OptionalLong brokerLimit = TopicAdmin.brokerMessageMaxBytes(admin, timeout);
      OptionalInt needed =
          TopicAdmin.neededMaxMessageBytes(REPARTITION_LARGEST_RECORD, brokerLimit);
      if (needed.isPresent()) {
        sized.put(key, Integer.toString(needed.getAsInt()));
        LOG.info(
            "The brokers' message.max.bytes is below the {} bytes the normalizer's largest"
                + " repartition records need: Kafka Streams creates its internal topics with {}={}",
            needed.getAsInt(),
            key,
            needed.getAsInt());
        createdWith = OptionalLong.of(needed.getAsInt());
      } else {
        createdWith = brokerLimit;
      }
    }
    String repartition = internalTopics(applicationId).get(0);
    Long existing =
        TopicAdmin.maxMessageBytes(admin, List.of(repartition), timeout).get(repartition);
    OptionalLong limit = existing != null ? OptionalLong.of(existing) : createdWith;
    if (existing == null
        && properties.containsKey(key)
        && createdWith.isPresent()
        && createdWith.getAsLong() < REPARTITION_LARGEST_RECORD.bytes()) {
      // the check of -K values lets any size through: a small one is legal, and may be meant
      long rawLimit = createdWith.getAsLong() - RECORD_FRAMING_BYTES;
      LOG.warn(
          "-K {}={} is below the {} bytes the normalizer's repartition topic {} needs for its"
              + " largest records ({}): Kafka Streams creates it with that limit, so every raw"
              + " item{} that takes the repartition hop becomes a dead letter (RecordTooLarge);"
              + " the version store's changelog {} gets it too, and a version-store record over it"
              + " (a few kilobytes at most) fails the stream thread at every try until the"
              + " normalizer stops; leave the setting out, or give at least {}",
          key,
          createdWith.getAsLong(),
          REPARTITION_LARGEST_RECORD.bytes(),
          repartition,
          REPARTITION_LARGEST_RECORD.what(),
          rawLimit > 0 ? " of more than " + rawLimit + " bytes" : "",
          internalTopics(applicationId).get(1),
          REPARTITION_LARGEST_RECORD.bytes());
    }
    if (limit.isPresent()
        && limit.getAsLong() - RECORD_FRAMING_BYTES < NormalizerSteps.MAX_REPARTITION_BYTES) {
      sized.put(
          NormalizerTopology.REPARTITION_MAX_BYTES,
          Long.toString(Math.max(1, limit.getAsLong() - RECORD_FRAMING_BYTES)));
    }
    return sized;
  }

  /**
   * Bytes an article event's record needs besides its JSON: its key (the {@code uri}) and
   * CloudEvents headers, and the record batch's framing.
   */
  static final int ARTICLE_RECORD_ROOM = 8 * 1024;

  /**
   * The Streams properties with the sizes the topics the normalizer writes take, when they take
   * less than its records need (their {@code max.message.bytes}, read once at start; the topics are
   * not changed, the {@code topics} readiness check warns of them):
   *
   * <ul>
   *   <li>{@link NormalizerTopology#DEAD_LETTER_MAX_BYTES} for a dead-letter topic below what a
   *       dead letter's record takes ({@link DeadLetters#maxJsonBytes}: 1,000,000 bytes of JSON,
   *       its key and kept headers, and framing): a dead letter over it then leaves out its copy of
   *       the input;
   *   <li>{@link NormalizerTopology#ARTICLE_MAX_BYTES} for an articles topic below 1,000,000 bytes
   *       plus {@value #ARTICLE_RECORD_ROOM} for the key, headers and framing: an article event
   *       over it is then a dead letter, as one over 1,000,000 bytes is.
   * </ul>
   *
   * Either instead of a record the topic refuses, which under exactly-once fails the stream thread
   * at every try.
   *
   * @param admin the admin client; not closed here
   * @param topics the topic names; never null
   * @param properties the normalizer's Streams properties; not changed
   * @param timeout deadline of the query; positive. A cluster that does not answer, or refuses (no
   *     {@code DescribeConfigs} ACL), leaves the properties as they are
   * @return {@code properties}, or a copy with either key
   */
  public static Map<String, Object> withTopicSizes(
      Admin admin, Topics topics, Map<String, Object> properties, Duration timeout) {
    Map<String, Long> limits =
        TopicAdmin.maxMessageBytes(
            admin, List.of(topics.deadLetters(), topics.articles()), timeout);
    Map<String, Object> sized = new HashMap<>(properties);
    Long deadLetters = limits.get(topics.deadLetters());
    if (deadLetters != null
        && DeadLetters.maxJsonBytes(deadLetters) < DeadLetters.MAX_DEAD_LETTER_BYTES) {
      sized.put(
          NormalizerTopology.DEAD_LETTER_MAX_BYTES,
          Integer.toString(DeadLetters.maxJsonBytes(deadLetters)));
    }
    Long articles = limits.get(topics.articles());
    if (articles != null && articles - ARTICLE_RECORD_ROOM < NormalizerSteps.MAX_ARTICLE_BYTES) {
      sized.put(
          NormalizerTopology.ARTICLE_MAX_BYTES,
          Long.toString(Math.max(1, articles - ARTICLE_RECORD_ROOM)));
    }
    return sized;
  }

  /** A config value as a whole number; empty when absent or not one. */
  private static OptionalLong decimal(Object value) {
    if (value == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value.toString().strip()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Refuses to start a normalizer whose internal topics were made for another partition count of
   * the raw-items topic (partitions added to it since): the repartition topic and the version
   * store's changelog must have {@code partitions} partitions, else Kafka Streams fails its stream
   * threads one after another. Missing internal topics are fine (Streams creates them). An existing
   * repartition topic whose {@code max.message.bytes} is below what its largest records need
   * ({@link #REPARTITION_LARGEST_RECORD}; one Streams created before {@link
   * #withInternalTopicSizes}, with a small broker default) is not changed, as wire-ingest changes
   * none of its existing topics: it gets one WARN line with both values and the {@code
   * kafka-configs.sh} repair ({@link TopicSpec.Undersized#message}), as the readiness check gives
   * for wire-ingest's own topics, and the start goes on.
   *
   * @param admin the admin client; not closed here
   * @param applicationId the normalizer's application id
   * @param partitions the raw-items topic's partition count
   * @param timeout deadline of the check
   * @throws KafkaSetupException when an internal topic has another partition count (the message
   *     names it, both counts and the way out), or the cluster does not answer
   */
  public static void checkInternalTopics(
      Admin admin, String applicationId, int partitions, Duration timeout) {
    TopicAdmin.partitionCounts(admin, internalTopics(applicationId), timeout)
        .forEach(
            (topic, count) -> {
              if (count != partitions) {
                throw new KafkaSetupException(
                    "the normalizer's internal topic "
                        + topic
                        + " has "
                        + count
                        + " partitions but the raw-items topic has "
                        + partitions
                        + " (were partitions added to it?); its stored article versions belong to the old layout: start the normalizer with a new"
                        + " --application-id, or reset this one with kafka-streams-application-reset.sh (README: \"Where raw items go\")");
              }
            });
    TopicAdmin.compare(admin, internalTopicSpecs(applicationId, partitions), timeout)
        .undersized()
        .forEach(u -> LOG.warn("{}", u.message()));
  }

  private boolean allThreadsRunning() {
    return threadsRunning() >= threads;
  }

  /**
   * What bounds the off-heap memory of the version store, for the start-up log line: the budget of
   * {@code --rocksdb-memory-mb}, or the setter that {@code -K rocksdb.config.setter=CLASS} put in
   * its place, which makes that budget do nothing.
   *
   * @return e.g. {@code bounded at 64 MiB (--rocksdb-memory-mb)}, or {@code configured by
   *     com.example.MySetter (-K rocksdb.config.setter), not bounded by wire-ingest:
   *     --rocksdb-memory-mb does not apply}
   */
  public String versionStoreMemory() {
    if (rocksDbConfigSetter.equals(BoundedRocksDbMemory.class.getName())) {
      return "bounded at " + (rocksDbMemoryBytes >> 20) + " MiB (--rocksdb-memory-mb)";
    }
    return "configured by "
        + rocksDbConfigSetter
        + " (-K "
        + StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG
        + "), not bounded by wire-ingest: --rocksdb-memory-mb does not apply";
  }

  /**
   * @return the stream threads configured ({@code num.stream.threads})
   */
  public int threads() {
    return threads;
  }

  /**
   * @return this client's stream threads in state {@code RUNNING} now
   */
  public int threadsRunning() {
    return (int)
        streams.metadataForLocalThreads().stream()
            .filter(t -> "RUNNING".equals(t.threadState()))
            .count();
  }

  /**
   * @return records the normalizer's main consumers are behind the log end, summed over their
   *     assigned partitions of the raw-items and repartition topics (the gauge {@value
   *     #CONSUMER_LAG}); NaN before any partition has been fetched
   */
  public double consumerLag() {
    return consumerLag(streams.metrics(), inputTopics);
  }

  /** Starts the stream threads (returns at once). */
  public void start() {
    streams.start();
  }

  /**
   * @return true once every configured stream thread has run at the same time (the end of
   *     start-up); stays true afterwards, through rebalances and shutdown
   */
  public boolean started() {
    return running.getCount() == 0;
  }

  /**
   * @param timeout bound
   * @return true once the application reached RUNNING with all its stream threads ({@link
   *     #started}) within {@code timeout}
   * @throws InterruptedException when interrupted
   */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Binds the Kafka Streams metrics (its consumers, producers and admin client; Micrometer's {@link
   * KafkaStreamsMetrics}, names {@code kafka.*}) and the gauge {@value #CONSUMER_LAG}: records the
   * normalizer's main consumers are behind the log end, summed over the partitions they are
   * assigned of the raw-items and repartition topics, from the consumers' own {@code records-lag}
   * metric (each partition once; {@link #consumerLag(Map, Set)}); NaN while no partition has been
   * fetched yet.
   *
   * @param registry where the meters go
   * @return closes the binder (call before {@link #close()})
   */
  public AutoCloseable bindMetrics(MeterRegistry registry) {
    KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams);
    binder.bindTo(registry);
    Gauge.builder(CONSUMER_LAG, this::consumerLag)
        .description("Records the normalizer's consumers are behind, summed over their partitions")
        .baseUnit("records")
        .register(registry);
    return binder::close;
  }

  /**
   * The sum of the {@code records-lag} metrics of the partitions of {@code inputTopics}, each
   * partition once. Left out: the restore consumers (changelog), the global consumer (the
   * story-signatures topic, which is not raw items behind), and the copy of each partition's metric
   * that Kafka's consumer also registers under its topic name with the dots replaced by underscores
   * (KIP-1109, until Kafka 5.0: {@code wire_raw-items_v1} beside {@code wire.raw-items.v1}), which
   * counted a dotted topic's lag twice.
   *
   * @param metrics the Kafka Streams client's metrics
   * @param inputTopics the topics of the main consumers, their names as given
   * @return the lag in records; NaN when no partition of them has a lag yet
   */
  static double consumerLag(Map<MetricName, ? extends Metric> metrics, Set<String> inputTopics) {
    double sum = 0;
    boolean any = false;
    for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
      MetricName n = e.getKey();
      String clientId = n.tags().getOrDefault("client-id", "");
      if ("records-lag".equals(n.name())
          && "consumer-fetch-manager-metrics".equals(n.group())
          && n.tags().containsKey("partition")
          && inputTopics.contains(n.tags().get("topic"))
          && !clientId.endsWith("restore-consumer")
          && e.getValue().metricValue() instanceof Number v
          && !Double.isNaN(v.doubleValue())) {
        sum += v.doubleValue();
        any = true;
      }
    }
    return any ? sum : Double.NaN;
  }

  /**
   * @return the current Kafka Streams state (RUNNING, REBALANCING, ERROR, ...)
   */
  public KafkaStreams.State state() {
    return streams.state();
  }

  /**
   * Commits, leaves the consumer group and stops (waits up to 30 s). Leaving the group lets the
   * next instance take the partitions at once instead of after the session timeout (10 s); since
   * Kafka Streams 4.2 (KIP-1153) a dynamic member leaves too, not only a static one (KAFKA-16514).
   */
  @Override
  public void close() {
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
  }
}
