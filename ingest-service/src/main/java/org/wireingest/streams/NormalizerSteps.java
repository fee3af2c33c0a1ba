package org.wireingest.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.wireingest.dedup.DedupState;
import org.wireingest.dedup.Versioning;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.Normalizer;

/**
 * The normalizer's per-record rules, written once and used by both the live Kafka Streams topology
 * ({@link NormalizeProcessor}, {@link DedupProcessor}) and {@code wire-ingest replay}, so a replay
 * derives the same {@code uri}s, versions and fingerprints as the live run. No Kafka types: the
 * caller owns consuming, the {@link DedupState} store and producing.
 *
 * <ol>
 *   <li>{@link #normalize}: raw item bytes → {@link RawWireItem} → {@link Normalizer#normalize} →
 *       draft with {@code ingestedAt} and lineage, or a dead letter (stage {@value
 *       #STAGE_DESERIALIZE} or {@value #STAGE_NORMALIZE}).
 *   <li>{@link #dedup}: the draft and its {@code uri}'s stored state → {@link Versioning#decide} /
 *       {@link Versioning#apply} → an event to emit with its CloudEvents headers and the state to
 *       store, a suppressed duplicate, or a dead letter (stage {@value #STAGE_DEDUP}).
 * </ol>
 *
 * <p>Every outcome is also told to the {@link NormalizerListener}. Thread-safe when the listener
 * is; holds no state of its own.
 */
public final class NormalizerSteps {

  /** Dead-letter stage: the record's bytes are not a raw wire item. */
  public static final String STAGE_DESERIALIZE = "deserialize";
  /** Dead-letter stage: the normalizer rejected the raw item. */
  public static final String STAGE_NORMALIZE = "normalize";
  /** Dead-letter stage: the version rule failed on the draft. */
  public static final String STAGE_DEDUP = "dedup";

  private final Normalizer normalizer;
  private final NormalizerListener listener;
  private final Clock clock;

  /**
   * @param normalizer the pure raw item → draft mapping; never null
   * @param listener told of every outcome; never null
   * @param clock wall clock for {@code ingestedAt} and dead-letter times (UTC); never null
   */
  public NormalizerSteps(Normalizer normalizer, NormalizerListener listener, Clock clock) {
    this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
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

  /** The outcome of {@link #dedup}. */
  public sealed interface Dedup {

    /**
     * A new version to publish, keyed by {@code event.uri()}.
     *
     * @param event the article event (version and change type set)
     * @param state the state to store for the {@code uri}
     * @param headers the CloudEvents headers of the record ({@link #cloudEventHeaders})
     */
    record Emit(ArticleEvent event, DedupState state, Map<String, String> headers) implements Dedup {}

    /**
     * Nothing to publish; the stored state stays as it is.
     *
     * @param reason {@value Versioning.Decision.Duplicate#SAME_FINGERPRINT} or {@value
     *     Versioning.Decision.Duplicate#OLDER_VERSION}
     */
    record Suppressed(String reason) implements Dedup {}

    /** @param deadLetter the draft as a dead letter (stage {@value #STAGE_DEDUP}) */
    record Rejected(DeadLetter deadLetter) implements Dedup {}
  }

  /**
   * Stage 1: one raw-items record to a draft article.
   *
   * @param at where the record was read; becomes the draft's lineage
   * @param value the record value, a {@code RawWireItem} as UTF-8 JSON; null for a tombstone
   * @return the draft (keyed by its {@code uri} downstream), or a dead letter keeping {@code
   *     value}; never null
   */
  public StageOutput normalize(Position at, byte[] value) {
    listener.rawRecordConsumed(at.partition(), at.offset());
    RawWireItem item;
    try {
      if (value == null) {
        throw new IOException("record has no value (tombstone) where a raw wire item was expected");
      }
      item = Json.MAPPER.readValue(value, RawWireItem.class);
      if (item == null || item.source() == null || item.identity() == null || item.entry() == null) {
        throw new IOException("not a raw wire item: source, identity or entry missing");
      }
    } catch (IOException | RuntimeException e) {
      return dead(STAGE_DESERIALIZE, e, at, value);
    }
    ArticleEvent draft;
    try {
      draft = normalizer.normalize(item).withIngestion(clock.instant(), new ArticleEvent.Lineage(at.topic(), at.partition(), at.offset(), at.key()));
    } catch (RuntimeException | StackOverflowError e) {
      // StackOverflowError: pathologically nested HTML in an entry; the record is kept as a dead letter.
      return dead(STAGE_NORMALIZE, e, at, value);
    }
    listener.draftForwarded();
    return StageOutput.of(draft);
  }

  /**
   * Stage 2: the version rule for one draft.
   *
   * @param previous the stored state of {@code draft.uri()}; null when the {@code uri} is new
   * @param draft a stage-1 draft; never null
   * @param at where the draft was read (the repartition topic live, the raw record in a replay);
   *     named by a dead letter
   * @return what to do; never null
   */
  public Dedup dedup(DedupState previous, ArticleEvent draft, Position at) {
    try {
      Versioning.Decision decision = Versioning.decide(previous, draft);
      if (decision instanceof Versioning.Decision.Duplicate dup) {
        listener.duplicateSuppressed(dup.reason());
        return new Dedup.Suppressed(dup.reason());
      }
      ArticleEvent event = Versioning.apply(decision, draft).orElseThrow();
      Map<String, String> headers = cloudEventHeaders(event);
      listener.articleEmitted(event);
      return new Dedup.Emit(event, decision.state(), headers);
    } catch (RuntimeException e) {
      byte[] bytes;
      try {
        bytes = Json.MAPPER.writeValueAsBytes(draft);
      } catch (JsonProcessingException je) {
        bytes = null;
      }
      listener.deadLettered(STAGE_DEDUP, e.getClass().getSimpleName());
      return new Dedup.Rejected(DeadLetters.of(STAGE_DEDUP, e, at.topic(), at.partition(), at.offset(), at.key(), bytes, clock.instant()));
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

  private StageOutput dead(String stage, Throwable e, Position at, byte[] value) {
    listener.deadLettered(stage, e.getClass().getSimpleName());
    return StageOutput.dead(DeadLetters.of(stage, e, at.topic(), at.partition(), at.offset(), at.key(), value, clock.instant()));
  }
}
