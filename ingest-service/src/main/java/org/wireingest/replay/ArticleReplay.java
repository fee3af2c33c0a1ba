package org.wireingest.replay;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.wireingest.dedup.DedupState;
import org.wireingest.dedup.SignatureIndex;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;
import org.wireingest.streams.DeadLetters;
import org.wireingest.streams.NormalizerSteps;

/**
 * The normalizer over history: each raw-items record goes through the live rules ({@link
 * NormalizerSteps#route}, then {@link NormalizerSteps#decide}) against a fresh, in-memory version
 * state (one {@link DedupState} per {@code uri}). Fed the raw history in the order of {@link
 * TimestampMerge}, it yields the {@code uri}s, versions and fingerprints of the live run — as long
 * as the live normalizer saw each {@code uri}'s raw items in that same order (always true for items
 * the poller placed: every copy of a story is written to its uri's partition and decided in order
 * there; copies from two feeds of one agency are ordered by record timestamp here, by arrival live;
 * raw items written by pollers older than 2026-11-30, placed by key, may be decided out of order
 * across partitions).
 *
 * <p>Near-duplicate clusters come from an index of the replay's own stories (by default the live
 * defaults: window {@link SignatureIndex#DEFAULT_WINDOW} of {@code firstCreated}, at most {@link
 * SignatureIndex#DEFAULT_MAX_STORIES}; {@code replay --cluster-window}, {@code
 * --cluster-index-size}), so a replayed story joins the clusters of the stories replayed before it,
 * not those of the live index. Every dead letter names the raw record and keeps its headers, as
 * live ({@link DeadLetters#headers}). Not thread-safe.
 *
 * <p>Memory: the version state is unbounded, one entry per distinct {@code uri} replayed so far,
 * kept until the replay is dropped: about 1.6 KB of heap per story with its map entry. Measured as
 * the heap grown by 100,550 and by 201,100 states made from the 2,011 stories of {@code
 * ../shared/corpus/real} (911 B of JSON and a 176-character {@code leadStart} each on average):
 * 1,571 and 1,587 B per state. A story with many versions keeps more (estimated at about 0.2 KB per
 * earlier version, at most {@value DedupState#MAX_EARLIER_FINGERPRINTS}), and so does a long lead
 * outside Latin-1 (600 characters of {@code leadStart} take 1.2 KB as UTF-16). The near-duplicate
 * index adds its own, bounded by its size. A range of N stories needs about N × 1.6 KB of heap
 * ({@code -Xmx}) beside the index, or the replay runs out of heap.
 */
public final class ArticleReplay {

  private final NormalizerSteps steps;
  private final Map<String, DedupState> states = new HashMap<>();
  private final SignatureIndex signatures;

  /**
   * A replay clustering its stories with the index's defaults ({@link
   * SignatureIndex#DEFAULT_WINDOW}, {@link SignatureIndex#DEFAULT_MAX_STORIES}).
   *
   * @param steps the normalizer's rules; never null
   * @param clock the wall clock of the index's bound on future dates ({@link
   *     SignatureIndex#FUTURE_TOLERANCE}); never null
   */
  public ArticleReplay(NormalizerSteps steps, Clock clock) {
    this(
        steps,
        new SignatureIndex(
            SignatureIndex.DEFAULT_WINDOW, SignatureIndex.DEFAULT_MAX_STORIES, clock));
  }

  /**
   * @param steps the normalizer's rules; never null
   * @param signatures an empty near-duplicate index of its own, with the live normalizer's window
   *     and size to get its clusters; never null
   */
  public ArticleReplay(NormalizerSteps steps, SignatureIndex signatures) {
    this.steps = Objects.requireNonNull(steps, "steps");
    this.signatures = Objects.requireNonNull(signatures, "signatures");
  }

  /** What one raw record became. */
  public sealed interface Step {

    /**
     * A new version.
     *
     * @param event the article event, keyed by its {@code uri}
     * @param headers its CloudEvents headers
     */
    record Emitted(ArticleEvent event, Map<String, String> headers) implements Step {}

    /**
     * A copy of the last version (or an older one), not published.
     *
     * @param uri the article's {@code uri}
     * @param reason {@code same-fingerprint}, {@code same-text}, {@code older-version}, {@code
     *     shorter-copy} or {@code withdrawal-copy}
     */
    record Suppressed(String uri, String reason) implements Step {}

    /**
     * A record the rules rejected.
     *
     * @param key the dead letter's record key, as the live normalizer writes it: the raw record's
     *     key, cut as the dead letter's own {@code key} (to 1,000 characters and {@code …(N
     *     characters)} when longer; only a record written by hand has such a key); null when the
     *     raw record had none
     * @param deadLetter the dead letter
     * @param headers the dead letter's record headers, as the live normalizer writes them: the raw
     *     record's, or none when they are over {@link DeadLetters#MAX_DEAD_LETTER_HEADER_BYTES}
     *     ({@link DeadLetters#headers}); never null
     */
    record DeadLettered(String key, DeadLetter deadLetter, Headers headers) implements Step {}
  }

  /**
   * @param record the next raw-items record in replay order
   * @return what it became; never null
   */
  public Step apply(HistoryRecord record) {
    NormalizerSteps.Position at =
        new NormalizerSteps.Position(
            record.topic(), record.partition(), record.offset(), record.key());
    NormalizerSteps.Routing routing = steps.route(at, record.value());
    if (routing instanceof NormalizerSteps.Routing.Rejected rejected) {
      return deadLettered(rejected.deadLetter(), record);
    }
    NormalizerSteps.Routing.Routed routed = (NormalizerSteps.Routing.Routed) routing;
    NormalizerSteps.Dedup decided = steps.decide(states.get(routed.uri()), routed, signatures);
    if (decided instanceof NormalizerSteps.Dedup.Emit emit) {
      states.put(routed.uri(), emit.state());
      return new Step.Emitted(emit.event(), emit.headers());
    }
    if (decided instanceof NormalizerSteps.Dedup.Suppressed suppressed) {
      if (suppressed.state() != null) {
        states.put(routed.uri(), suppressed.state());
      }
      return new Step.Suppressed(routed.uri(), suppressed.reason());
    }
    NormalizerSteps.Dedup.Rejected rejected = (NormalizerSteps.Dedup.Rejected) decided;
    return deadLettered(rejected.deadLetter(), record);
  }

  /**
   * Keyed by the dead letter's own key (the raw key, cut as the live normalizer cuts it), with the
   * raw record's headers as the live normalizer keeps them.
   */
  private static Step.DeadLettered deadLettered(DeadLetter deadLetter, HistoryRecord raw) {
    return new Step.DeadLettered(deadLetter.key(), deadLetter, DeadLetters.headers(raw.headers()));
  }

  /**
   * @return the number of distinct {@code uri}s seen so far
   */
  public int articles() {
    return states.size();
  }
}
