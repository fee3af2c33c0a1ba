package org.wireingest.poll;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.Durations;
import org.wireingest.kafka.Topics;
import org.wireingest.kafka.UriPartitioner;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.ErrorText;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.NormalizationException;
import org.wireingest.normalize.Normalizer;

/**
 * {@link PollSink} on Kafka: raw items to {@code wire.raw-items.v1} (key {@code sourceId/itemKey},
 * on the partition of the item's article {@code uri}, see {@link UriPartitioner}), feed state to
 * {@code wire.feed-state.v1} and fetch records to {@code wire.fetch-log.v1} (key {@code sourceId}),
 * through one idempotent producer with {@code acks=all}. A write fails with {@link
 * PublishException} however the producer reports it: asynchronously (no acknowledgement, a broker
 * error) or synchronously from {@code send} (the producer closed during shutdown, a fatal producer
 * error). The writes of one poll ({@link #beginPoll()}: its raw items, then its feed state) return
 * or fail within about the ack timeout together, also while no broker answers, also when it stops
 * answering after the raw items were acknowledged; {@link #publish} and {@link #saveState} called
 * on the sink take about the ack timeout each. {@link #logFetch} hands its record to a background
 * thread ({@code wire-ingest-fetch-log}) and returns at once.
 *
 * <p>Every write goes through one {@link ReplaceableProducer}: a producer that failed fatally (e.g.
 * no {@code IdempotentWrite} ACL) is closed and replaced by a new one from the same settings, at
 * most once per {@link #MIN_RECREATE_INTERVAL}, on a thread of its own; its class comment says
 * which errors are fatal and in what order it closes and makes producers. The writes that failed
 * fail their polls as {@code publish-error}, retried at the feeds' next polls: nothing is lost.
 *
 * <p>Whether Kafka takes the poller's writes now is kept for the meters of {@link #bindMetrics}:
 * each raw-item write (a {@link #publish} of at least one item) and each feed-state write, as it
 * returns or fails with {@link PublishException}, makes {@value #WRITE_FAILING} 0 or 1 ({@link
 * WriteHealth}). The fetch-log writes do not count: best effort, they never fail a poll, and one
 * queued behind an outage fails after the polls' writes already succeed again.
 *
 * <p>Thread-safe.
 */
public final class KafkaPollSink implements PollSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaPollSink.class);

  /**
   * Largest raw item published: under Kafka's default 1 MiB message limit of the raw-items topic.
   */
  public static final int MAX_RAW_ITEM_BYTES = 1_000_000;

  /**
   * Largest feed state sent: the feed-state topic's {@link Topics#FEED_STATE_MAX_MESSAGE_BYTES}
   * less 64 KiB for the key and the record and batch headers, so a state that passes this check is
   * never refused by the producer's {@code max.request.size} for its overhead.
   */
  static final int MAX_STATE_BYTES = Topics.FEED_STATE_MAX_MESSAGE_BYTES - 64 * 1024;

  /**
   * The producer's {@code buffer.memory}: 64 MiB, so one 16 MiB feed state in flight leaves room
   * for the other records.
   */
  private static final long BUFFER_MEMORY_BYTES = 64L * 1024 * 1024;

  private static final int LINGER_MS = 5;

  /** The producer's {@code request.timeout.ms} default (30 s). */
  private static final int DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

  /**
   * Most bytes of fetch-log records waiting for the writer thread (32 MiB, half the producer's
   * {@code buffer.memory}): while Kafka takes none (an outage), a record over it is dropped and
   * logged.
   */
  static final long MAX_FETCH_LOG_BACKLOG_BYTES = 32L * 1024 * 1024;

  /** How long {@link #close()} waits in all, for the fetch-log writer and the producer. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Least time between two new producers after fatal errors: {@link
   * ReplaceableProducer#MIN_RECREATE_INTERVAL}, the clock of {@link #KafkaPollSink(Supplier,
   * Topics, Duration, LongSupplier)} measures it.
   */
  static final Duration MIN_RECREATE_INTERVAL = ReplaceableProducer.MIN_RECREATE_INTERVAL;

  /**
   * 1 from a failed raw-item or feed-state write until the next one that succeeds, else 0 (a
   * gauge): {@code wire_poller_kafka_write_failing}.
   */
  public static final String WRITE_FAILING = "wire.poller.kafka.write.failing";

  /**
   * When a raw-item or feed-state write last succeeded (a gauge, epoch seconds, NaN before the
   * first): {@code wire_poller_kafka_write_last_success_timestamp_seconds}.
   */
  public static final String WRITE_LAST_SUCCESS = "wire.poller.kafka.write.last.success.timestamp";

  /**
   * Times the raw-item and feed-state writes started failing: a failed write after one that
   * succeeded, or as the first (a counter): {@code wire_poller_kafka_write_failure_streaks_total}.
   * One for a whole outage; one per failure that follows a success while only some writes fail.
   */
  public static final String WRITE_FAILURE_STREAKS = "wire.poller.kafka.write.failure.streaks";

  /**
   * The producer every write goes to ({@link ReplaceableProducer#send}); replaced after a fatal
   * error.
   */
  private final ReplaceableProducer producer;

  /** How the raw-item and feed-state writes ended, for the {@code WRITE_*} meters. */
  private final WriteHealth writeHealth = new WriteHealth();

  private final Topics topics;
  private final Duration ackTimeout;

  /**
   * Sends the fetch-log records, one at a time in the order given, so that {@link #logFetch} never
   * waits on Kafka: a send may block up to {@code max.block.ms} for the topic's metadata or buffer
   * space, which during an outage added a second wait to every poll.
   */
  private final ExecutorService fetchLogWriter =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "wire-ingest-fetch-log");
            t.setDaemon(true);
            return t;
          });

  /** Bytes of the fetch-log records handed to {@link #fetchLogWriter} and not yet sent. */
  private final AtomicLong fetchLogBacklogBytes = new AtomicLong();

  /**
   * Sends each poll's raw items, a thread per poll writing at once (at most about the poll
   * threads), so that a poll waits for its sends only until its write deadline: a send may block up
   * to {@code max.block.ms} for the topic's metadata or buffer space. One thread for all would make
   * every poll wait behind one whose send blocks.
   */
  private final ExecutorService rawItemSenders =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "wire-ingest-raw-items");
            t.setDaemon(true);
            return t;
          });

  /**
   * Sends the feed states, one at a time, so that a poll waits for the send only until its write
   * deadline: a send may block up to {@code max.block.ms} for the feed-state topic's metadata (a
   * single broker shutting down answers without it, and the producer forgets it) or for buffer
   * space, which after the raw items' wait made a second one.
   */
  private final ExecutorService stateSender =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "wire-ingest-feed-state");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param clientProperties bootstrap servers and pass-through client settings; a {@code
   *     max.block.ms} given here is kept (see {@code ackTimeout})
   * @param topics topic names
   * @param ackTimeout the longest the writes of one poll ({@link #beginPoll()}), or one {@link
   *     #publish} or {@link #saveState}, take before failing with {@link PublishException}, waits
   *     for metadata and acknowledgements included; any positive value. The producer's {@code
   *     delivery.timeout.ms} is this, but at least {@code linger.ms + request.timeout.ms}, as the
   *     producer requires; its {@code max.block.ms} (how long {@code send} waits for a topic's
   *     metadata or buffer space) is this too, unless {@code clientProperties} set it: Kafka's
   *     default of 60 s, on top of the wait for acknowledgements, made a poll during a broker
   *     outage block about twice the ack timeout
   */
  public KafkaPollSink(Map<String, Object> clientProperties, Topics topics, Duration ackTimeout) {
    this(producers(producerProperties(clientProperties, ackTimeout)), topics, ackTimeout);
  }

  /**
   * As the public constructor, over the producers {@code producers} makes (tests: a {@code
   * MockProducer} that fails on send).
   *
   * @param producers makes the sink's producer, once here (its exceptions are thrown as they are),
   *     and once more after each fatal error
   */
  KafkaPollSink(Supplier<Producer<String, byte[]>> producers, Topics topics, Duration ackTimeout) {
    this(producers, topics, ackTimeout, System::nanoTime);
  }

  /**
   * As {@link #KafkaPollSink(Supplier, Topics, Duration)}, on the clock {@code nanoTime} (as {@link
   * System#nanoTime()}) for {@link #MIN_RECREATE_INTERVAL}.
   */
  KafkaPollSink(
      Supplier<Producer<String, byte[]>> producers,
      Topics topics,
      Duration ackTimeout,
      LongSupplier nanoTime) {
    this.producer = new ReplaceableProducer(producers, nanoTime);
    this.topics = topics;
    this.ackTimeout = ackTimeout;
  }

  /**
   * The producer settings of a sink: {@code clientProperties} with the sink's own ({@code
   * acks=all}, idempotence, linger, compression, timeouts from {@code ackTimeout}, the largest
   * request), as the public constructor describes.
   *
   * @param clientProperties bootstrap servers and pass-through client settings; never null, not
   *     changed
   * @param ackTimeout the sink's ack timeout; positive
   * @return a new mutable map; never null
   */
  static Map<String, Object> producerProperties(
      Map<String, Object> clientProperties, Duration ackTimeout) {
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, ackTimeout.toMillis());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // The producer refuses a delivery timeout below linger.ms + request.timeout.ms.
    long requestTimeoutMs =
        Long.parseLong(
            String.valueOf(
                p.getOrDefault(
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, DEFAULT_REQUEST_TIMEOUT_MS)));
    p.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        (int)
            Math.min(
                Integer.MAX_VALUE, Math.max(ackTimeout.toMillis(), LINGER_MS + requestTimeoutMs)));
    // The largest record is a large feed's state (up to 16 MiB), then a fetch-log record (a body of
    // up to 1 MiB zstd, 1.34 MiB Base64): both over the 1 MiB default. Each topic's own
    // max.message.bytes still bounds what it takes (raw items are checked against
    // MAX_RAW_ITEM_BYTES).
    p.put(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
        Math.max(Topics.FEED_STATE_MAX_MESSAGE_BYTES, Topics.FETCH_LOG_MAX_MESSAGE_BYTES));
    p.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, BUFFER_MEMORY_BYTES);
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "wire-ingest-poller");
    return p;
  }

  /**
   * @param properties as {@link #producerProperties} made them; never null
   * @return makes a new {@link KafkaProducer} from {@code properties} at each call
   */
  static Supplier<Producer<String, byte[]>> producers(Map<String, Object> properties) {
    Map<String, Object> p = new HashMap<>(properties);
    return () -> new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * {@inheritDoc}
   *
   * <p>The returned writes share one deadline, the ack timeout from the first of them: {@link
   * Writes#publish} as {@link #publish} below, then {@link Writes#saveState} waits only for what is
   * left, for the feed-state topic's metadata, buffer space and the acknowledgement alike, and
   * sends nothing once none is left (a send then still waiting is interrupted).
   */
  @Override
  public Writes beginPoll() {
    return new PollWrites();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Takes at most about the ack timeout in all, whatever {@code max.block.ms} is: the wait for
   * the raw-items topic's metadata, the sends and the wait for their acknowledgements share one
   * deadline, and no item is sent after it (a send then still waiting is interrupted).
   */
  @Override
  public int publish(List<RawWireItem> items) {
    return beginPoll().publish(items);
  }

  /**
   * {@link #publish}, by {@code deadline} ({@link System#nanoTime()}): no item is sent after it.
   * The sends run on {@link #rawItemSenders}, waited for until the deadline, then interrupted: a
   * send may block up to {@code max.block.ms} for the topic's metadata or buffer space, and one
   * begun just before the deadline on the poll's own thread held it nearly twice the ack timeout.
   */
  private int publish(List<RawWireItem> items, long deadline) {
    if (items.isEmpty()) {
      return 0;
    }
    String what = "raw items of " + items.get(0).source().id();
    return writeHealth.recorded(
        () -> {
          Sent sent =
              onSender(
                  rawItemSenders,
                  () -> sendAll(items, what, deadline),
                  what,
                  deadline,
                  e -> notAllSent(what, e));
          await(sent.acks(), what, deadline);
          return sent.deadLettered();
        });
  }

  /** What {@link #sendAll} sent: the acknowledgements to wait for, and the dead letters. */
  private record Sent(List<Future<RecordMetadata>> acks, int deadLettered) {}

  /**
   * Sends the items (on {@link #rawItemSenders}); stops with {@link PublishException} once the
   * deadline has passed or the poll gave up on it (interrupted).
   */
  private Sent sendAll(List<RawWireItem> items, String what, long deadline) {
    List<Future<RecordMetadata>> acks = new ArrayList<>(items.size());
    int deadLettered = 0;
    int partitions = rawItemPartitions(items.get(0).source().id());
    for (RawWireItem item : items) {
      if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
        throw notAllSent(what, null);
      }
      RawRecord record = rawRecord(item, topics.rawItems(), Instant.now());
      if (record instanceof RawRecord.TooLarge tooLarge) {
        // One giant entry must not fail its whole feed on every poll: it is dead-lettered (its
        // body stays in the fetch log) and the rest of the feed is published.
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    topics.deadLetters(), tooLarge.key(), json(tooLarge.deadLetter())),
                null));
        deadLettered++;
        continue;
      }
      acks.add(
          producer.send(
              new ProducerRecord<>(
                  topics.rawItems(),
                  partitionOf(item, partitions),
                  record.key(),
                  ((RawRecord.Fits) record).value()),
              null));
    }
    return new Sent(acks, deadLettered);
  }

  private PublishException notAllSent(String what, Exception cause) {
    return new PublishException(
        "could not write "
            + what
            + ": not all sent within "
            + Durations.format(ackTimeout)
            + " (the producer waited for buffer space or topic metadata: is Kafka reachable? Or"
            + " the topic is missing: see /health/ready)",
        cause);
  }

  /**
   * The writes of one poll: one deadline, the ack timeout from the first write, for all of them.
   * Not thread-safe: one poll's thread uses it.
   */
  private final class PollWrites implements Writes {

    /** {@link System#nanoTime()} at the deadline; set by the first write. */
    private long deadline;

    private boolean started;

    private long deadline() {
      if (!started) {
        deadline = System.nanoTime() + ackTimeout.toNanos();
        started = true;
      }
      return deadline;
    }

    @Override
    public int publish(List<RawWireItem> items) {
      return KafkaPollSink.this.publish(items, deadline());
    }

    @Override
    public void saveState(FeedState state) {
      KafkaPollSink.this.saveState(state, deadline());
    }
  }

  /**
   * A raw item as a raw-items topic takes it, or the dead letter that goes to the dead-letter topic
   * instead: what {@link #rawRecord} made of it.
   */
  public sealed interface RawRecord {

    /**
     * @return the record key, {@code <sourceId>/<itemKey>} ({@link #recordKey}); never null
     */
    String key();

    /**
     * An item to publish.
     *
     * @param key its record key
     * @param value its JSON ({@link Json#MAPPER}), at most {@link #MAX_RAW_ITEM_BYTES} bytes
     */
    record Fits(String key, byte[] value) implements RawRecord {}

    /**
     * An item over {@link #MAX_RAW_ITEM_BYTES}, not cut short: its dead letter is written instead
     * (its text stays in the fetch log's copy of the body).
     *
     * @param key its record key, also the dead letter's record key
     * @param deadLetter stage {@code poll}, {@link DeadLetter#RECORD_TOO_LARGE}, a message giving
     *     the item's size, the limit, the topic and the entry's title; without the item's bytes or
     *     source coordinates
     */
    record TooLarge(String key, DeadLetter deadLetter) implements RawRecord {}
  }

  /**
   * The poller's size check of a raw item, for {@link #publish} and {@code replay --reparse} alike:
   * its JSON when that is at most {@link #MAX_RAW_ITEM_BYTES} bytes (under Kafka's default 1 MiB
   * records), else a dead letter, logged at WARN (feed, item key, size). Stateless and thread-safe.
   *
   * @param item a raw item; never null
   * @param rawTopic the raw-items topic it is for, named in a dead letter's message; never null
   * @param now a dead letter's {@code failedAt} (UTC); never null
   * @return the item's record, or its dead letter; never null
   */
  public static RawRecord rawRecord(RawWireItem item, String rawTopic, Instant now) {
    byte[] value = json(item);
    if (value.length <= MAX_RAW_ITEM_BYTES) {
      return new RawRecord.Fits(recordKey(item), value);
    }
    LOG.warn(
        "feed {}: entry {} is {} bytes as a raw item, over {}: sent to the dead-letter topic",
        item.source().id(),
        item.itemKey(),
        value.length,
        MAX_RAW_ITEM_BYTES);
    return new RawRecord.TooLarge(
        recordKey(item),
        new DeadLetter(
            "poll",
            DeadLetter.RECORD_TOO_LARGE,
            "raw item of "
                + value.length
                + " bytes exceeds the "
                + MAX_RAW_ITEM_BYTES
                + "-byte limit of "
                + rawTopic
                + "; entry title: "
                + abbreviate(item.entry().title()),
            null,
            -1,
            -1,
            recordKey(item),
            null,
            null,
            null,
            now));
  }

  /**
   * The raw-items topic's partition count from the producer's cached metadata (a request only when
   * the topic is new to the producer, bounded by {@code max.block.ms}: the ack timeout unless
   * configured).
   *
   * @throws PublishException when the metadata cannot be had (no broker, topic missing, not
   *     authorised, the producer closed), as for a failed send, so the poll fails with {@code
   *     publish-error} and is retried
   */
  private int rawItemPartitions(String sourceId) {
    try {
      return producer.current().partitionsFor(topics.rawItems()).size();
    } catch (KafkaException | IllegalStateException e) {
      throw new PublishException(
          "could not write raw items of "
              + sourceId
              + ": no metadata for "
              + topics.rawItems()
              + ": "
              + ErrorText.describe(e)
              + hint(e),
          e);
    }
  }

  /**
   * The raw-items partition of {@code item}: its article {@code uri}'s ({@link UriPartitioner}), so
   * the normalizer finds every copy of a story in the task that owns the story's versions and needs
   * no repartition hop. The record key stays {@code sourceId/itemKey}.
   *
   * @param item a raw item; never null
   * @param partitions the raw-items topic's partition count; at least 1
   * @return the partition; null (the producer's choice by key) when the item has no valid {@code
   *     uri}, which the normalizer dead-letters anyway
   */
  public static Integer partitionOf(RawWireItem item, int partitions) {
    String uri;
    try {
      uri = Normalizer.uriOf(item);
    } catch (NormalizationException e) {
      return null;
    }
    return UriPartitioner.partition(uri, partitions);
  }

  /**
   * @param item a raw item; never null
   * @return its record key in the raw-items topics: {@code <sourceId>/<itemKey>}
   */
  public static String recordKey(RawWireItem item) {
    return item.source().id() + "/" + item.itemKey();
  }

  /**
   * {@inheritDoc}
   *
   * <p>A state over {@link #MAX_STATE_BYTES} as JSON is not sent: the exception names its size and
   * its entries. A feed-state topic created with a smaller {@code max.message.bytes} (2 MiB before
   * 2026-12) refuses a large state; the exception says how to raise it.
   *
   * <p>Takes at most about the ack timeout, whatever {@code max.block.ms} is: the wait for the
   * feed-state topic's metadata and for the acknowledgement share one deadline.
   */
  @Override
  public void saveState(FeedState state) {
    beginPoll().saveState(state);
  }

  /**
   * {@link #saveState}, by {@code deadline} ({@link System#nanoTime()}); nothing is sent when it
   * has passed. Recorded as one write ({@link WriteHealth#recorded}).
   */
  private void saveState(FeedState state, long deadline) {
    writeHealth.recorded(
        () -> {
          sendState(state, deadline);
          return null;
        });
  }

  /** {@link #saveState(FeedState, long)}, not recorded. */
  private void sendState(FeedState state, long deadline) {
    byte[] value = json(state);
    String what = "feed state of " + state.sourceId();
    if (value.length > MAX_STATE_BYTES) {
      throw new PublishException(
          "could not write "
              + what
              + ": "
              + value.length
              + " bytes for its "
              + state.entries().size()
              + " entries, over the "
              + MAX_STATE_BYTES
              + "-byte limit of feed states in "
              + topics.feedState()
              + " (the poller keeps the state in memory; after a restart the feed's entries are published again, and the normalizer"
              + " suppresses the unchanged ones)",
          null);
    }
    if (System.nanoTime() - deadline >= 0) {
      // the raw items' acknowledgements took the poll's time: a send now could wait again, up to
      // max.block.ms, and the feed's next state carries this one's anyway
      throw new PublishException(
          "could not write "
              + what
              + ": not sent, the poll's "
              + Durations.format(ackTimeout)
              + " for its writes had passed before it (is Kafka reachable?)",
          null);
    }
    try {
      await(
          List.of(
              sendBy(
                  new ProducerRecord<>(topics.feedState(), state.sourceId(), value),
                  what,
                  deadline)),
          what,
          deadline);
    } catch (PublishException e) {
      if (e.getCause() instanceof RecordTooLargeException) {
        throw new PublishException(
            e.getMessage()
                + " (a state of "
                + value.length
                + " bytes, "
                + state.entries().size()
                + " entries: raise the topic's limit, e.g. "
                + "kafka-configs.sh --bootstrap-server HOST:PORT --alter --entity-type topics --entity-name "
                + topics.feedState()
                + " --add-config max.message.bytes="
                + Topics.FEED_STATE_MAX_MESSAGE_BYTES
                + ")",
            e.getCause());
      }
      throw e;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Returns at once: the record (its timestamp the time of this call) is sent by a background
   * thread, in the order of the calls, so a poll never waits for the fetch-log topic's metadata or
   * for buffer space, even while no broker answers. Never throws for Kafka problems: a record not
   * written is logged at WARN, whether {@code send} failed at once or later, the sink is closed, or
   * more than {@link #MAX_FETCH_LOG_BACKLOG_BYTES} of records already wait for Kafka (they are sent
   * when it is back, unless the sink is closed first).
   */
  @Override
  public void logFetch(FetchLogRecord record) {
    byte[] value = json(record);
    ProducerRecord<String, byte[]> r =
        new ProducerRecord<>(
            topics.fetchLog(), null, System.currentTimeMillis(), record.sourceId(), value);
    Callback logFailure =
        (md, e) -> {
          if (e != null) {
            LOG.warn(
                "feed {}: fetch-log record not written: {}{}",
                record.sourceId(),
                ErrorText.describe(e),
                hint(e));
          }
        };
    long backlog = fetchLogBacklogBytes.addAndGet(value.length);
    if (backlog > MAX_FETCH_LOG_BACKLOG_BYTES && backlog != value.length) {
      fetchLogBacklogBytes.addAndGet(-value.length);
      LOG.warn(
          "feed {}: fetch-log record not written: {} bytes of fetch-log records already wait for"
              + " Kafka, at most {} (is Kafka reachable?)",
          record.sourceId(),
          backlog - value.length,
          MAX_FETCH_LOG_BACKLOG_BYTES);
      return;
    }
    try {
      fetchLogWriter.execute(
          () -> {
            try {
              producer.send(r, logFailure);
            } catch (RuntimeException e) {
              logFailure.onCompletion(null, e);
            } finally {
              fetchLogBacklogBytes.addAndGet(-value.length);
            }
          });
    } catch (RejectedExecutionException e) {
      fetchLogBacklogBytes.addAndGet(-value.length);
      LOG.warn("feed {}: fetch-log record not written: the poll sink is closed", record.sourceId());
    }
  }

  /**
   * {@link ReplaceableProducer#send}, on {@link #stateSender}, waited for until {@code deadline}
   * ({@link System#nanoTime()}): a send still waiting then for metadata or buffer space is
   * interrupted or dropped from the queue, so the record is not sent after the poll gave up on it
   * (unless the send ends just then).
   *
   * @return the record's acknowledgement, as {@link ReplaceableProducer#send}'s
   * @throws PublishException when the send did not end by the deadline, or the sink is closed
   */
  private Future<RecordMetadata> sendBy(
      ProducerRecord<String, byte[]> record, String what, long deadline) {
    return onSender(
        stateSender,
        () -> producer.send(record, null),
        what,
        deadline,
        e ->
            new PublishException(
                "could not write "
                    + what
                    + ": not sent within the poll's "
                    + Durations.format(ackTimeout)
                    + " for its writes (the producer waited for "
                    + record.topic()
                    + "'s metadata or for buffer space: is Kafka reachable?)",
                e));
  }

  /**
   * Runs {@code task} on {@code sender} and waits for it until {@code deadline} ({@link
   * System#nanoTime()}), then interrupts it: a send may block up to {@code max.block.ms} for a
   * topic's metadata or for buffer space, and the poll's writes must not wait past its deadline.
   *
   * @param what what is written, for messages
   * @param timedOut the exception for a task not done by the deadline, given the timeout
   * @return what the task returned
   * @throws PublishException when the sink is closed, the deadline passes first ({@code
   *     timedOut}'s), the wait is interrupted, or the task throws one; another runtime exception or
   *     error of the task is thrown as it was (a bug)
   */
  private static <T> T onSender(
      ExecutorService sender,
      Callable<T> task,
      String what,
      long deadline,
      Function<TimeoutException, PublishException> timedOut) {
    Future<T> running;
    try {
      running = sender.submit(task);
    } catch (RejectedExecutionException e) {
      throw new PublishException("could not write " + what + ": the poll sink is closed", e);
    }
    try {
      return running.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      running.cancel(true);
      throw timedOut.apply(e);
    } catch (ExecutionException e) {
      // the tasks report Kafka's failures as PublishException or in their futures: anything
      // else is a bug, thrown as it was
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("sending " + what + " failed", e.getCause());
    } catch (InterruptedException e) {
      running.cancel(true);
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while writing " + what, e);
    }
  }

  /**
   * Waits for {@code acks} until {@code deadline} ({@link System#nanoTime()}).
   *
   * @throws PublishException when one failed or is not acknowledged by the deadline
   */
  private void await(List<Future<RecordMetadata>> acks, String what, long deadline) {
    for (Future<RecordMetadata> f : acks) {
      try {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        throw new PublishException(
            "could not write "
                + what
                + ": "
                + ErrorText.describe(e.getCause())
                + hint(e.getCause()),
            e.getCause());
      } catch (TimeoutException e) {
        throw new PublishException(
            "could not write "
                + what
                + ": no acknowledgement within "
                + Durations.format(ackTimeout),
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PublishException("interrupted while writing " + what, e);
      }
    }
  }

  /**
   * Kafka says "Topic ... not present in metadata after 60000 ms" both when the topic is missing
   * and when no broker answers: the operator is told both, since this side cannot tell them apart.
   */
  private static String hint(Throwable e) {
    return e instanceof org.apache.kafka.common.errors.TimeoutException
        ? " (the broker did not answer in time: is Kafka reachable? Or the topic is missing: see /health/ready)"
        : "";
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "(none)";
    }
    String t = text.replaceAll("\\s+", " ").strip();
    return t.length() > 120 ? t.substring(0, 120) + "…" : t;
  }

  private static byte[] json(Object value) {
    try {
      return Json.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event records always serialise", e);
    }
  }

  /**
   * Binds the producer's client metrics (Micrometer's {@link KafkaClientMetrics}, names {@code
   * kafka.producer.*}; those of each new producer after a fatal error in place of the old one's),
   * {@code wire.poller.producer.recreations}: producers made anew after a fatal error (a counter,
   * from 0), and the meters of whether Kafka takes the raw-item and feed-state writes (see the
   * class comment; fetch-log writes do not count): {@value #WRITE_FAILING} (a gauge, 0 or 1, 0
   * before the first write), {@value #WRITE_LAST_SUCCESS} (a gauge, epoch seconds, NaN before the
   * first success) and {@value #WRITE_FAILURE_STREAKS} (a counter, from 0). No tags: one series
   * each per process. Call once.
   *
   * @param registry where the meters go; never null
   * @return removes the meters (call before {@link #close()})
   */
  public AutoCloseable bindMetrics(MeterRegistry registry) {
    AutoCloseable producerMeters = producer.bindMetrics(registry);
    AutoCloseable writeMeters = writeHealth.bindMetrics(registry);
    return () -> {
      producerMeters.close();
      writeMeters.close();
    };
  }

  /**
   * Sends the fetch-log records still waiting, lets a replacement of a producer that failed fatally
   * end (its close; no new producer is made once closing), then flushes and closes the producer:
   * waits up to 10 s in all. Fetch-log records Kafka has not taken by then (no broker answers) are
   * not written, and their number is logged at WARN; a broken producer whose close has not ended is
   * left to close on its daemon thread, logged at WARN. Idempotent.
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
    // no new state or raw-item sends; those under way still run, and fail at once once the
    // producer is closed
    stateSender.shutdown();
    rawItemSenders.shutdown();
    fetchLogWriter.shutdown();
    try {
      if (!fetchLogWriter.awaitTermination(CLOSE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
        // interrupts the send under way (logged by its callback) and drops the others
        int dropped = fetchLogWriter.shutdownNow().size();
        if (dropped > 0) {
          LOG.warn(
              "{} more fetch-log records not written: Kafka did not take them within {}s of"
                  + " closing",
              dropped,
              CLOSE_TIMEOUT.toSeconds());
        }
      }
    } catch (InterruptedException e) {
      fetchLogWriter.shutdownNow();
      Thread.currentThread().interrupt();
    }
    producer.close(deadline, CLOSE_TIMEOUT);
  }
}
