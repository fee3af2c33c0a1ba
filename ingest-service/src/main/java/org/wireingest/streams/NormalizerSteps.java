package org.wireingest.streams;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.FeedsConfig;
import org.wireingest.dedup.DedupState;
import org.wireingest.dedup.InputHash;
import org.wireingest.dedup.NearDuplicates;
import org.wireingest.dedup.Versioning;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.ErrorText;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.model.StorySignature;
import org.wireingest.normalize.NormalizationException;
import org.wireingest.normalize.Normalizer;
import org.wireingest.text.StrictDecoding;

/**
 * The normalizer's per-record rules, written once and used by both the live Kafka Streams topology
 * ({@link RouteProcessor}, {@link DedupProcessor}) and {@code wire-ingest replay}, so a replay
 * derives the same {@code uri}s, versions and fingerprints as the live run. No Kafka types: the
 * caller owns consuming, the {@link DedupState} store and producing.
 *
 * <ol>
 *   <li>{@link #route}: raw item bytes → {@link RawWireItem} → its {@code uri} ({@link
 *       Normalizer#uriOf}) and {@link InputHash} → a {@link Routing.Routed} carrying the raw bytes
 *       as they are, or a dead letter (stage {@value #STAGE_DESERIALIZE}, or {@value
 *       #STAGE_NORMALIZE} for an invalid agency id).
 *   <li>{@link #decide}: the routed item and its {@code uri}'s stored state → a {@code
 *       same-fingerprint} duplicate without normalising when the stored input hash equals the
 *       item's; otherwise {@link Normalizer#normalize} (draft with {@code ingestedAt} and lineage)
 *       and {@link Versioning#decide} / {@link Versioning#apply} → an event to emit with its
 *       CloudEvents headers and the state to store, a suppressed duplicate, or a dead letter (stage
 *       {@value #STAGE_NORMALIZE} or {@value #STAGE_DEDUP}).
 * </ol>
 *
 * <p>Every outcome is also told to the {@link NormalizerListener}: each routed item ({@link
 * NormalizerListener#itemRouted}) is decided exactly once, as an article, a duplicate or a
 * second-stage dead letter. Every dead letter is also logged ({@link #logDeadLetter}: WARN, stage,
 * record coordinates, error and its one-line message; not the record's value, which the dead letter
 * keeps, though a parser's message may quote a token of it), when it is made or, for a caller that
 * may not write it ({@code replay}'s first records), by that caller once it does. Thread-safe when
 * the listener is; holds no state of its own.
 */
public final class NormalizerSteps {

  private static final Logger LOG = LoggerFactory.getLogger(NormalizerSteps.class);

  /** Dead-letter stage: the record's bytes are not a raw wire item. */
  public static final String STAGE_DESERIALIZE = "deserialize";

  /** Dead-letter stage: the normalizer rejected the raw item. */
  public static final String STAGE_NORMALIZE = "normalize";

  /** Dead-letter stage: the version rule failed on the draft. */
  public static final String STAGE_DEDUP = "dedup";

  /**
   * Largest article event published, in bytes of JSON, its cluster included: under the articles
   * topic's 1 MiB records (Kafka's default {@code max.message.bytes}, and the producer's {@code
   * max.request.size}), with room for the key and the CloudEvents headers. The producer refuses a
   * larger record, and under exactly-once that aborts the task's transaction every time the record
   * is processed again, which stopped the normalizer; a draft that large (a body of hundreds of
   * thousands of characters, or HTML whose sanitised form closes tens of thousands of tags) is
   * dead-lettered instead ({@value #STAGE_NORMALIZE}, {@value DeadLetter#RECORD_TOO_LARGE}), and
   * its story is not stored.
   */
  public static final int MAX_ARTICLE_BYTES = 1_000_000;

  /**
   * Largest raw record, value and headers, sent through the repartition topic (same limit and
   * reason as {@link #MAX_ARTICLE_BYTES}). The poller writes items of at most 1,000,000 bytes to
   * their {@code uri}'s partition, which never repartitions; a larger one written elsewhere by hand
   * is dead-lettered ({@link #tooLargeToRepartition}).
   */
  public static final int MAX_REPARTITION_BYTES = 1_000_000;

  /**
   * Room kept under {@link #MAX_ARTICLE_BYTES} for the cluster, added after the size is checked.
   */
  private static final int CLUSTER_ROOM = 1024;

  private final Normalizer normalizer;
  private final NormalizerListener listener;
  private final Clock clock;
  private final Consumer<DeadLetter> deadLetterLog;

  /**
   * Rules that log every dead letter as it is made ({@link #logDeadLetter}).
   *
   * @param normalizer the pure raw item → draft mapping; never null
   * @param listener told of every outcome; never null
   * @param clock wall clock for {@code ingestedAt} and dead-letter times (UTC); never null
   */
  public NormalizerSteps(Normalizer normalizer, NormalizerListener listener, Clock clock) {
    this(normalizer, listener, clock, NormalizerSteps::logDeadLetter);
  }

  /**
   * @param normalizer the pure raw item → draft mapping; never null
   * @param listener told of every outcome; never null
   * @param clock wall clock for {@code ingestedAt} and dead-letter times (UTC); never null
   * @param deadLetterLog given every dead letter as it is made: {@link #logDeadLetter}, or nothing
   *     for a caller that logs each dead letter itself when it writes it; never null
   */
  public NormalizerSteps(
      Normalizer normalizer,
      NormalizerListener listener,
      Clock clock,
      Consumer<DeadLetter> deadLetterLog) {
    this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.deadLetterLog = Objects.requireNonNull(deadLetterLog, "deadLetterLog");
  }

  /**
   * Where a record was read from: its lineage, and the coordinates a dead letter names.
   *
   * @param topic the topic; never null
   * @param partition the partition
   * @param offset the offset
   * @param key the record key ({@code sourceId/itemKey} for raw items); null when none
   */
  public record Position(String topic, int partition, long offset, String key) {}

  /** The outcome of {@link #route}. */
  public sealed interface Routing {

    /**
     * A raw item on its way to the dedup stage, keyed by {@code uri}.
     *
     * @param uri the article {@code uri} ({@link Normalizer#uriOf}); never null
     * @param inputHash {@link InputHash} of the item; null when it has none
     * @param at where the raw record was read: the lineage of its article and what its dead letters
     *     name; never null
     * @param value the raw record's value, as read; never null
     * @param item {@code value} already read, to spare reading it again; null when only the bytes
     *     are at hand (after the repartition topic). Never serialised
     */
    record Routed(String uri, String inputHash, Position at, byte[] value, RawWireItem item)
        implements Routing {
      public Routed {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(value, "value");
      }

      /**
       * @return this item without its read form, as the dedup stage receives it through the
       *     repartition topic
       */
      public Routed withoutItem() {
        return item == null ? this : new Routed(uri, inputHash, at, value, null);
      }
    }

    /**
     * A record that is not a routable raw item, keyed by its raw key.
     *
     * @param deadLetter the dead letter, keeping the record's bytes
     */
    record Rejected(DeadLetter deadLetter) implements Routing {}
  }

  /** The outcome of {@link #decide}. */
  public sealed interface Dedup {

    /**
     * A new version to publish, keyed by {@code event.uri()}.
     *
     * @param event the article event (version and change type set)
     * @param state the state to store for the {@code uri}
     * @param headers the CloudEvents headers of the record ({@link #cloudEventHeaders})
     * @param signature the story's entry for the near-duplicate index, to write to the
     *     story-signatures topic (keyed by {@code uri}); null when the story was already clustered
     *     (a later version) or its text is too short for a signature
     */
    record Emit(
        ArticleEvent event, DedupState state, Map<String, String> headers, StorySignature signature)
        implements Dedup {}

    /**
     * Nothing to publish.
     *
     * @param reason {@value Versioning.Decision.Duplicate#SAME_FINGERPRINT}, {@value
     *     Versioning.Decision.Duplicate#SAME_TEXT}, {@value
     *     Versioning.Decision.Duplicate#OLDER_VERSION}, {@value
     *     Versioning.Decision.Duplicate#SHORTER_COPY} or {@value
     *     Versioning.Decision.Duplicate#WITHDRAWAL_COPY}
     * @param state the state to store instead of the stored one: the stored state with this item's
     *     input hash, when the stored state had none and the item normalised to its fingerprint,
     *     with the item's media learnt when the stored state did not know the story's ({@link
     *     DedupState#mediaHashes}; {@link Versioning.Decision.Duplicate#state}), with the
     *     fingerprint of a suppressed rendering remembered, and with {@code lastSeenAt} now, when
     *     it was older than {@link DedupState#SEEN_REFRESH}; null when the stored state stays as it
     *     is
     */
    record Suppressed(String reason, DedupState state) implements Dedup {}

    /**
     * @param key the dead letter's record key: the raw record's key (null when it had none)
     * @param deadLetter the dead letter, naming the raw record and keeping its bytes
     */
    record Rejected(String key, DeadLetter deadLetter) implements Dedup {}
  }

  /**
   * Stage 1: one raw-items record to its {@code uri}, without normalising.
   *
   * @param at where the record was read; becomes the article's lineage
   * @param value the record value, a {@code RawWireItem} as UTF-8 JSON; null for a tombstone
   * @return the routed item (keyed by its {@code uri} downstream), or a dead letter keeping {@code
   *     value}; never null
   */
  public Routing route(Position at, byte[] value) {
    listener.rawRecordConsumed(at.partition(), at.offset());
    RawWireItem item;
    try {
      item = readRecord(at.key(), value);
    } catch (IOException | RuntimeException e) {
      return new Routing.Rejected(dead(STAGE_DESERIALIZE, e, at, value));
    }
    String uri;
    try {
      uri = Normalizer.uriOf(item);
    } catch (NormalizationException e) {
      return new Routing.Rejected(dead(STAGE_NORMALIZE, e, at, value));
    }
    listener.itemRouted();
    return new Routing.Routed(uri, InputHash.of(item), at, value, item);
  }

  /**
   * Whether a record is a raw wire item as a poller writes it: what {@link #route} reads past its
   * first stage, {@value #STAGE_DESERIALIZE} (a {@code RawWireItem} of this schema version under
   * the key {@code <source.id>/<item key>}). A raw item whose agency or identity {@link
   * #STAGE_NORMALIZE} later refuses is still one. Pure: counts nothing, logs nothing.
   *
   * @param key the record key; null when it has none
   * @param value the record value; null for a tombstone
   * @return true when {@link #route} would not dead-letter it at {@value #STAGE_DESERIALIZE}
   */
  public static boolean rawItem(String key, byte[] value) {
    try {
      readRecord(key, value);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The raw item of a record, or why the record is none (stage {@value #STAGE_DESERIALIZE}). */
  private static RawWireItem readRecord(String key, byte[] value) throws IOException {
    RawWireItem item = read(value);
    if (!isRawKey(key)) {
      // the article's lineage names it, and consumers read the raw item back by it
      throw new NotARawItemException(
          "not a raw wire item: its record key is not <source id>/<item key in lower-case hex>, as the poller writes it");
    }
    if (!isKeyOf(key, item)) {
      throw new NotARawItemException(
          "not a raw wire item: its record key names another feed than its source.id, "
              + item.source().id());
    }
    return item;
  }

  /**
   * Stage 2: the version rule for one routed item. When {@code previous} holds the item's input
   * hash the item is a {@code same-fingerprint} duplicate and is not normalised ({@link
   * NormalizerListener#normalizationSkipped}); otherwise it is normalised and its draft goes
   * through {@link Versioning}.
   *
   * @param previous the stored state of {@code routed.uri()}; null when the {@code uri} is new
   * @param routed a stage-1 item; never null
   * @return what to do; never null
   */
  public Dedup decide(DedupState previous, Routing.Routed routed) {
    return decide(previous, routed, NearDuplicates.Index.EMPTY);
  }

  /**
   * {@link #decide(DedupState, Routing.Routed)}, clustering a story that has no near-duplicate
   * cluster yet (its first version, or a story stored before clusters existed) in {@code index}
   * ({@link NearDuplicates.Index#place}, which also indexes it): the emitted event and state carry
   * its {@link ArticleEvent.Cluster}, and the {@link Dedup.Emit#signature} to write to the
   * story-signatures topic. A later version keeps the stored cluster. Deciding a first version
   * again (its transaction aborted) gives it the cluster it was given the first time.
   *
   * @param previous the stored state of {@code routed.uri()}; null when the {@code uri} is new
   * @param routed a stage-1 item; never null
   * @param index the near-duplicate index to cluster new stories in; never null
   * @return what to do; never null
   */
  public Dedup decide(DedupState previous, Routing.Routed routed, NearDuplicates.Index index) {
    return decide(previous, routed, index, MAX_ARTICLE_BYTES);
  }

  /**
   * {@link #decide(DedupState, Routing.Routed, NearDuplicates.Index)} for an articles topic that
   * takes less than {@link #MAX_ARTICLE_BYTES}: an event over {@code maxArticleBytes} of JSON is a
   * dead letter as one over {@link #MAX_ARTICLE_BYTES} is.
   *
   * @param maxArticleBytes the most bytes of JSON of an article event, at most {@link
   *     #MAX_ARTICLE_BYTES} ({@link NormalizerTopology#articleMaxBytes}); positive
   */
  public Dedup decide(
      DedupState previous, Routing.Routed routed, NearDuplicates.Index index, int maxArticleBytes) {
    Objects.requireNonNull(index, "index");
    Dedup outcome = decideOnce(previous, routed, index, maxArticleBytes);
    listener.itemDecided();
    return outcome;
  }

  private Dedup decideOnce(
      DedupState previous, Routing.Routed routed, NearDuplicates.Index index, int maxArticleBytes) {
    String inputHash = routed.inputHash();
    Instant now = clock.instant();
    if (previous != null
        && inputHash != null
        && inputHash.equals(previous.inputHash())
        && previous.uri().equals(routed.uri())) {
      listener.normalizationSkipped();
      listener.duplicateSuppressed(Versioning.Decision.Duplicate.SAME_FINGERPRINT);
      return new Dedup.Suppressed(
          Versioning.Decision.Duplicate.SAME_FINGERPRINT,
          previous.seenLongAgo(now) ? previous.withLastSeenAt(now) : null);
    }
    Position at = routed.at();
    ArticleEvent draft;
    Instant seenAt;
    try {
      // Stage 1 read these bytes with the same mapper, so reading them again does not fail.
      RawWireItem item = routed.item() != null ? routed.item() : read(routed.value());
      draft =
          normalizer
              .normalize(item)
              .withIngestion(
                  now, new ArticleEvent.Lineage(at.topic(), at.partition(), at.offset(), at.key()));
      seenAt = item.fetch() != null ? item.fetch().fetchedAt() : null;
    } catch (IOException | RuntimeException | StackOverflowError e) {
      // StackOverflowError: pathologically nested HTML in an entry; the record is kept as a dead
      // letter.
      return new Dedup.Rejected(at.key(), dead(STAGE_NORMALIZE, e, at, routed.value()));
    }
    return dedup(previous, draft, seenAt, inputHash, routed, now, index, maxArticleBytes);
  }

  private Dedup dedup(
      DedupState previous,
      ArticleEvent draft,
      Instant seenAt,
      String inputHash,
      Routing.Routed routed,
      Instant now,
      NearDuplicates.Index index,
      int maxArticleBytes) {
    Position at = routed.at();
    try {
      Versioning.Decision decision = Versioning.decide(previous, draft, seenAt);
      if (decision instanceof Versioning.Decision.Duplicate dup) {
        listener.duplicateSuppressed(dup.reason());
        boolean learnHash =
            inputHash != null
                && previous.inputHash() == null
                && Versioning.Decision.Duplicate.SAME_FINGERPRINT.equals(dup.reason());
        // dup.state() is previous, or previous remembering a suppressed rendering's fingerprint
        DedupState next = learnHash ? dup.state().withInputHash(inputHash) : dup.state();
        next = next.seenLongAgo(now) ? next.withLastSeenAt(now) : next;
        return new Dedup.Suppressed(dup.reason(), next.equals(previous) ? null : next);
      }
      ArticleEvent event = Versioning.apply(decision, draft).orElseThrow();
      String tooLarge = tooLarge(event, routed.value().length, maxArticleBytes);
      if (tooLarge != null) {
        // before the story is clustered: the index must not hold a story that was never published
        return new Dedup.Rejected(
            at.key(),
            dead(STAGE_NORMALIZE, DeadLetter.RECORD_TOO_LARGE, tooLarge, at, routed.value()));
      }
      ArticleEvent.Cluster cluster = previous == null ? null : previous.cluster();
      StorySignature signature = null;
      if (cluster == null) {
        byte[] minHash = NearDuplicates.signature(event);
        if (minHash == null) {
          cluster = new ArticleEvent.Cluster(NearDuplicates.clusterIdOf(event.uri()), null, null);
          listener.storyClustered(NormalizerListener.CLUSTER_NO_SIGNATURE);
        } else {
          NearDuplicates.Placement placed =
              index.place(
                  event.uri(), minHash, event.firstCreated() != null ? event.firstCreated() : now);
          signature = placed.story();
          cluster = signature.cluster();
          if (placed.forgotten() > 0) {
            listener.signaturesExpired(placed.forgotten());
          }
          if (placed.refused()) {
            listener.signatureRefused();
          }
          listener.storyClustered(
              cluster.nearDuplicateOf() == null
                  ? NormalizerListener.CLUSTER_STARTED
                  : NormalizerListener.CLUSTER_JOINED);
        }
      }
      event = event.withCluster(cluster);
      Map<String, String> headers = cloudEventHeaders(event);
      listener.articleEmitted(event);
      return new Dedup.Emit(
          event,
          decision.state().withInputHash(inputHash).withLastSeenAt(now).withCluster(cluster),
          headers,
          signature);
    } catch (RuntimeException e) {
      // the input, as every dead letter keeps it: the raw item, not the draft made of it
      return new Dedup.Rejected(at.key(), dead(STAGE_DEDUP, e, at, routed.value()));
    }
  }

  /**
   * Whether an event, before its cluster is added, would be over {@code maxBytes} ({@link
   * #MAX_ARTICLE_BYTES} or less) as JSON. A cheap over-estimate first (JSON writes a character in
   * at most 6 bytes, and every field but the texts is taken from the raw item, each byte of it
   * becoming a few of the event at most): only an event that may be too large is serialised to
   * measure it.
   *
   * @return the dead letter's message when it is too large; null when it fits
   */
  private static String tooLarge(ArticleEvent event, int rawBytes, int maxBytes) {
    long texts =
        length(event.headline())
            + length(event.byline())
            + length(event.summary())
            + length(event.bodyHtml())
            + length(event.bodyText());
    if (6 * texts + 20L * rawBytes + 4096 <= maxBytes - CLUSTER_ROOM) {
      return null;
    }
    int size;
    try {
      size = Json.MAPPER.writeValueAsBytes(event).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "article event not serialisable: " + ErrorText.describe(e), e);
    }
    if (size + CLUSTER_ROOM <= maxBytes) {
      return null;
    }
    return "article event of "
        + size
        + " bytes exceeds the normalizer's limit of "
        + maxBytes
        + " bytes (body HTML "
        + length(event.bodyHtml())
        + " characters, body text "
        + length(event.bodyText())
        + ", summary "
        + length(event.summary())
        + "): nothing published for this raw item";
  }

  private static long length(String text) {
    return text == null ? 0 : text.length();
  }

  /**
   * A routed item that must go through the repartition topic (it was read from a partition its
   * {@code uri} does not belong to) but is too large for it ({@link #MAX_REPARTITION_BYTES}):
   * decided here, as a dead letter keyed by the raw key, so the normalizer goes on.
   *
   * @param routed the item; never null
   * @param recordBytes its value, key and headers, in bytes
   * @param uriPartition the partition its {@code uri} belongs to, where the poller writes it
   * @param limit the repartition topic's limit it is over, in bytes: {@link
   *     #MAX_REPARTITION_BYTES}, or less on a topic that takes less ({@link
   *     NormalizerTopology#repartitionMaxBytes})
   * @return the dead letter (stage {@value #STAGE_NORMALIZE}, {@value
   *     DeadLetter#RECORD_TOO_LARGE}); never null
   */
  public DeadLetter tooLargeToRepartition(
      Routing.Routed routed, long recordBytes, int uriPartition, int limit) {
    Position at = routed.at();
    DeadLetter letter =
        dead(
            STAGE_NORMALIZE,
            DeadLetter.RECORD_TOO_LARGE,
            "raw record of "
                + recordBytes
                + " bytes (value, key and headers) exceeds the repartition topic's limit of "
                + limit
                + " bytes: it was read from partition "
                + at.partition()
                + " of "
                + at.topic()
                + ", but its uri "
                + routed.uri()
                + " belongs to partition "
                + uriPartition
                + ", where the poller writes it; write it there to have it normalised",
            at,
            routed.value());
    listener.itemDecided();
    return letter;
  }

  /** Most hex digits of a raw item's key (the poller's have 32). */
  private static final int MAX_ITEM_KEY_DIGITS = 128;

  /**
   * Whether a record key has the shape of a raw item's, {@code <source id>/<item key>} (raw-item
   * and article schemas): a feed id ({@link FeedsConfig#isSourceId}, at most 100 characters) and 1
   * to {@value #MAX_ITEM_KEY_DIGITS} lower-case hex digits. An unbounded key made an unbounded
   * lineage, repartition record and dead letter.
   */
  private static boolean isRawKey(String key) {
    int slash = key == null ? -1 : key.indexOf('/');
    if (slash < 0
        || key.length() - slash - 1 < 1
        || key.length() - slash - 1 > MAX_ITEM_KEY_DIGITS) {
      return false;
    }
    for (int i = slash + 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return FeedsConfig.isSourceId(key.substring(0, slash));
  }

  /**
   * Whether {@code key} (a {@link #isRawKey raw key}) names {@code item}'s feed, {@code
   * <source.id>/...}.
   */
  private static boolean isKeyOf(String key, RawWireItem item) {
    String sourceId = item.source().id();
    return key.length() > sourceId.length()
        && key.startsWith(sourceId)
        && key.charAt(sourceId.length()) == '/';
  }

  /**
   * Reads one raw item per record as a poller writes it: anything after its JSON object (a second
   * object, stray text) is refused, not ignored, and so are numbers and booleans written as strings
   * or integers written with a fraction ({@code "schemaVersion": "1"} or {@code 1.9} is not version
   * 1), and so are numbers and booleans where the raw-item schema has a string ({@code "title": 42}
   * is not the title "42"), and so is a key given twice in one object (which of the two is meant?).
   */
  private static final ObjectReader RAW_ITEM_READER = strictReader();

  private static ObjectReader strictReader() {
    ObjectMapper strict = Json.MAPPER.copy();
    for (LogicalType type :
        new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      strict.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    for (CoercionInputShape shape :
        new CoercionInputShape[] {
          CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
      strict.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    return strict
        .readerFor(RawWireItem.class)
        .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
  }

  /** The instants RFC 3339 can write (a four-digit year); null passes. */
  private static boolean rfc3339(Instant at) {
    return at == null || !at.isBefore(FIRST_RFC3339) && at.isBefore(AFTER_RFC3339);
  }

  private static final Instant FIRST_RFC3339 = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant AFTER_RFC3339 = Instant.parse("+10000-01-01T00:00:00Z");

  private static RawWireItem read(byte[] value) throws IOException {
    if (value == null) {
      throw new NotARawItemException(
          "record has no value (tombstone) where a raw wire item was expected");
    }
    if (value.length == 0) {
      throw new NotARawItemException(
          "record has an empty value (0 bytes) where a raw wire item was expected");
    }
    RawWireItem item = RAW_ITEM_READER.readValue(value);
    // after the parser, whose message names the field of a byte it refuses
    requireUtf8(value);
    if (item == null || item.source() == null || item.identity() == null || item.entry() == null) {
      throw new NotARawItemException("not a raw wire item: source, identity or entry missing");
    }
    if (item.source().name() == null || item.source().feedUrl() == null) {
      // every poller writes both; the article event requires them (article schema, source)
      throw new NotARawItemException("not a raw wire item: source.name or source.feedUrl missing");
    }
    if (item.schemaVersion() != RawWireItem.SCHEMA_VERSION) {
      throw new NotARawItemException(
          "raw item schemaVersion "
              + item.schemaVersion()
              + " (0 when absent) is not supported: this normalizer reads schemaVersion "
              + RawWireItem.SCHEMA_VERSION);
    }
    if (!rfc3339(item.firstSeenAt())
        || item.fetch() != null && !rfc3339(item.fetch().fetchedAt())) {
      // a poller writes its own clock's time; the version rule and the event's dates are computed
      // from them
      throw new NotARawItemException(
          "not a raw wire item: firstSeenAt or fetch.fetchedAt is outside the years 0000-9999 of RFC 3339");
    }
    if (!FeedsConfig.isSourceId(item.source().id())) {
      // it names the article's source, its CloudEvents ce_source and its metrics' labels
      throw new NotARawItemException(
          "not a raw wire item: source.id is not a feed id: it " + FeedsConfig.ID_RULE);
    }
    return item;
  }

  /**
   * Refuses a value that is no UTF-8 JSON text though Jackson's parser read it: the parser decodes
   * overlong forms ({@code C0 AF} as "/") and encoded surrogates (CESU-8) without a check, and
   * reads UTF-16 and UTF-32 text, which it detects by a byte order mark or by zero bytes. JSON
   * between systems is UTF-8 (RFC 8259, section 8.1; RFC 3629), and in UTF-8 JSON a zero byte can
   * only be a U+0000, which JSON allows nowhere unescaped. A UTF-8 byte order mark stays allowed
   * (RFC 8259 lets a parser ignore it).
   *
   * @throws JsonParseException naming the offset of the first byte that is no UTF-8, or of the
   *     first zero byte
   */
  private static void requireUtf8(byte[] value) throws JsonParseException {
    int invalid = StrictDecoding.firstInvalid(value, StandardCharsets.UTF_8);
    if (invalid >= 0) {
      throw new JsonParseException(
          null,
          "Invalid UTF-8 (RFC 3629) at byte "
              + invalid
              + " of the record's value (0x"
              + HexFormat.of().withUpperCase().toHexDigits(value[invalid])
              + "): an overlong form, an encoded surrogate, or text in another encoding");
    }
    // A zero byte the parser let through is one of UTF-16 / UTF-32 text, which it detects from
    // the first four bytes (zero bytes there, when there is no byte order mark); read as UTF-8, a
    // zero byte anywhere is a control character the parser refuses itself.
    for (int i = 0; i < Math.min(4, value.length); i++) {
      if (value[i] == 0) {
        throw new JsonParseException(
            null,
            "Illegal byte 0x00 at byte "
                + i
                + " of the record's value: UTF-8 JSON has none (is it UTF-16 or UTF-32 text?)");
      }
    }
  }

  /**
   * CloudEvents 1.0 Kafka protocol binding, binary content mode: {@code ce_specversion}, {@code
   * ce_id} ({@code <uri>#<version>}: unique per source), {@code ce_source} ({@code
   * urn:wire-ingest:source:<sourceId>}), {@code ce_type} ({@code
   * org.wireingest.article.created|updated}), {@code ce_time} (the version's time, RFC 3339),
   * {@code ce_subject} (the uri) and {@code content-type}.
   *
   * @param e an emitted article event; never null
   * @return header name → UTF-8 value, in the order above; unmodifiable
   */
  public static Map<String, String> cloudEventHeaders(ArticleEvent e) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("ce_specversion", "1.0");
    h.put("ce_id", e.uri() + "#" + e.version());
    h.put("ce_source", "urn:wire-ingest:source:" + e.source().id());
    h.put("ce_type", "org.wireingest.article." + e.changeType());
    h.put("ce_time", e.versionCreated().toString());
    h.put("ce_subject", e.uri());
    h.put("content-type", "application/json");
    return Collections.unmodifiableMap(h);
  }

  private DeadLetter dead(String stage, Throwable e, Position at, byte[] value) {
    Class<?> reported = reportedClass(e);
    return dead(
        stage, reported.getSimpleName(), reported.getName(), ErrorText.message(e), at, value);
  }

  /**
   * The class a dead letter names for an error: its own, except that bytes that are no JSON keep
   * the parser's class ({@link JsonParseException} or a subclass) where Jackson's mapper wrapped it
   * in its {@link JsonMappingException} because it was reading a field at the time (a byte that is
   * no UTF-8 inside a string, a key given twice in one object): consumers tell unreadable bytes
   * from JSON of another shape by the class. The message still names the field.
   */
  private static Class<?> reportedClass(Throwable e) {
    return e instanceof JsonMappingException && e.getCause() instanceof JsonParseException
        ? e.getCause().getClass()
        : e.getClass();
  }

  private DeadLetter dead(String stage, String reason, String message, Position at, byte[] value) {
    return dead(stage, reason, reason, message, at, value);
  }

  /**
   * @param errorTag the dead-letter metric's {@code error} tag
   * @param errorClass the dead letter's {@code errorClass}
   */
  private DeadLetter dead(
      String stage, String errorTag, String errorClass, String message, Position at, byte[] value) {
    listener.deadLettered(stage, errorTag);
    DeadLetter letter =
        DeadLetters.of(
            stage,
            errorClass,
            message,
            at.topic(),
            at.partition(),
            at.offset(),
            at.key(),
            value,
            clock.instant());
    deadLetterLog.accept(letter);
    return letter;
  }

  /**
   * Logs a dead letter made by these rules at WARN, one line: {@code dead letter from stage
   * <stage>: <topic>-<partition>@<offset> (key <key>): <error's simple class name>: <message>}.
   *
   * @param letter a dead letter of {@link #route} or {@link #decide}; never null
   */
  public static void logDeadLetter(DeadLetter letter) {
    String errorClass = letter.errorClass();
    String simpleName =
        errorClass.substring(
            Math.max(errorClass.lastIndexOf('.'), errorClass.lastIndexOf('$')) + 1);
    LOG.warn(
        "dead letter from stage {}: {}-{}@{} (key {}): {}: {}",
        letter.stage(),
        letter.sourceTopic(),
        letter.sourcePartition(),
        letter.sourceOffset(),
        letter.key(),
        simpleName,
        letter.errorMessage());
  }
}
