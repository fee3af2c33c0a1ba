package org.wireingest.replay;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.wireingest.dedup.DedupState;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;
import org.wireingest.streams.NormalizerSteps;
import org.wireingest.streams.StageOutput;

/**
 * The normalizer over history: each raw-items record goes through the live rules ({@link
 * NormalizerSteps#normalize}, then {@link NormalizerSteps#dedup}) against a fresh, in-memory
 * version state (one {@link DedupState} per {@code uri}, about 200 bytes each). Fed the raw
 * history in the order of {@link TimestampMerge}, it yields the {@code uri}s, versions and
 * fingerprints of the live run — as long as the live normalizer saw each {@code uri}'s raw items
 * in that same order (always true within one feed: a feed's items of one story share a key, so a
 * partition; two feeds of one agency carrying one story are ordered by record timestamp here, by
 * arrival live).
 *
 * <p>A dead letter of the second stage names the raw record (there is no repartition topic in a
 * replay). Not thread-safe.
 */
public final class ArticleReplay {

  private final NormalizerSteps steps;
  private final Map<String, DedupState> states = new HashMap<>();

  /** @param steps the normalizer's rules; never null */
  public ArticleReplay(NormalizerSteps steps) {
    this.steps = Objects.requireNonNull(steps, "steps");
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
     * @param draft the draft that was suppressed
     * @param reason {@code same-fingerprint} or {@code older-version}
     */
    record Suppressed(ArticleEvent draft, String reason) implements Step {}

    /**
     * A record the rules rejected.
     *
     * @param key the dead letter's record key: the raw key (first stage) or the {@code uri} (second stage)
     * @param deadLetter the dead letter
     */
    record DeadLettered(String key, DeadLetter deadLetter) implements Step {}
  }

  /**
   * @param record the next raw-items record in replay order
   * @return what it became; never null
   */
  public Step apply(HistoryRecord record) {
    NormalizerSteps.Position at = new NormalizerSteps.Position(record.topic(), record.partition(), record.offset(), record.key());
    StageOutput drafted = steps.normalize(at, record.value());
    if (drafted.isDeadLetter()) {
      return new Step.DeadLettered(record.key(), drafted.deadLetter());
    }
    ArticleEvent draft = drafted.article();
    NormalizerSteps.Dedup decided = steps.dedup(states.get(draft.uri()), draft, at);
    if (decided instanceof NormalizerSteps.Dedup.Emit emit) {
      states.put(draft.uri(), emit.state());
      return new Step.Emitted(emit.event(), emit.headers());
    }
    if (decided instanceof NormalizerSteps.Dedup.Suppressed suppressed) {
      return new Step.Suppressed(draft, suppressed.reason());
    }
    return new Step.DeadLettered(draft.uri(), ((NormalizerSteps.Dedup.Rejected) decided).deadLetter());
  }

  /** @return the number of distinct {@code uri}s seen so far */
  public int articles() {
    return states.size();
  }
}
