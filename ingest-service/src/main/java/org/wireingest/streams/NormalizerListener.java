package org.wireingest.streams;

import org.wireingest.dedup.SignatureIndex;
import org.wireingest.model.ArticleEvent;

/**
 * Told of everything the normalizer topology does, for metrics and for {@code run --once}'s
 * catch-up wait. Implementations are thread-safe, fast and never throw. Under exactly-once a record
 * may be seen again after an aborted transaction: counts are at-least-once.
 *
 * <p>Per raw record: {@link #rawRecordConsumed}, then either {@link #deadLettered} (first stage) or
 * {@link #itemRouted}; each routed item is later decided by the dedup stage with one of {@link
 * #articleEmitted}, {@link #duplicateSuppressed} (after {@link #normalizationSkipped} when it was
 * not normalised) or {@link #deadLettered}, followed by {@link #itemDecided}.
 */
public interface NormalizerListener {

  /** A raw record was consumed from {@code partition} at {@code offset}. */
  void rawRecordConsumed(int partition, long offset);

  /** A raw item left the first stage for the dedup stage, routed by its {@code uri}. */
  void itemRouted();

  /** The dedup stage emitted {@code event} ({@code created} or {@code updated}). */
  void articleEmitted(ArticleEvent event);

  /** The dedup stage suppressed a duplicate, for {@code reason} ({@code same-fingerprint}, ...). */
  void duplicateSuppressed(String reason);

  /**
   * The dedup stage found a routed item's input hash equal to the stored one and suppressed it
   * without normalising it; {@link #duplicateSuppressed} ({@code same-fingerprint}) follows.
   */
  void normalizationSkipped();

  /** A record went to the dead-letter topic from {@code stage}. */
  void deadLettered(String stage, String errorClass);

  /** The dedup stage has decided a routed item (after the outcome's own call). */
  void itemDecided();

  /**
   * The version store's retention sweep forgot {@code count} stories no raw item had reached for
   * longer than the retention. Does nothing by default.
   */
  default void versionsExpired(int count) {}

  /** {@link #storyClustered} outcome: the story joined an existing near-duplicate cluster. */
  String CLUSTER_JOINED = "joined";

  /** {@link #storyClustered} outcome: no indexed story was near enough; it started a cluster. */
  String CLUSTER_STARTED = "started";

  /**
   * {@link #storyClustered} outcome: its text is too short for a signature; a cluster of its own,
   * not indexed.
   */
  String CLUSTER_NO_SIGNATURE = "no-signature";

  /**
   * A story not yet in a near-duplicate cluster (its first version) was given one; {@link
   * #articleEmitted} follows. Does nothing by default.
   *
   * @param outcome {@value #CLUSTER_JOINED}, {@value #CLUSTER_STARTED} or {@value
   *     #CLUSTER_NO_SIGNATURE}
   */
  default void storyClustered(String outcome) {}

  /**
   * The near-duplicate index forgot {@code count} stories: first created more than its window
   * before a newer story, or the oldest beyond its size. Called by the global store's processor and
   * by the stream threads. Does nothing by default.
   */
  default void signaturesExpired(int count) {}

  /**
   * A story placed in the near-duplicate index was refused ({@link
   * org.wireingest.dedup.NearDuplicates.Placement#refused}): first created more than the index's
   * window before the newest story indexed, it was clustered against the stories indexed but not
   * kept for later ones. Called by the stream threads once per placement refused (not by the global
   * store's processor, which reads the same story back from the story-signatures topic). Does
   * nothing by default.
   */
  default void signatureRefused() {}

  /**
   * A story-signatures record was not a story signature and was left out of the index. Called by
   * the global store's processor, on its own thread. Does nothing by default.
   */
  default void signatureSkipped() {}

  /**
   * The normalizer's near-duplicate index was created: once per topology built by {@link
   * NormalizerTopology#build} (so once per Kafka Streams client: a replaced stream thread gets the
   * same index), at the first processor's init, on that processor's thread (the global thread or a
   * stream thread), before any story is added. A listener may keep {@code index} to read its {@link
   * SignatureIndex#size size} and {@link SignatureIndex#maxStories bound} from other threads; a
   * normalizer built again in the same process calls this again with its new index. Does nothing by
   * default.
   *
   * @param index the index; never null
   */
  default void signatureIndexCreated(SignatureIndex index) {}

  /** A listener that does nothing. */
  NormalizerListener NONE =
      new NormalizerListener() {
        @Override
        public void rawRecordConsumed(int partition, long offset) {}

        @Override
        public void itemRouted() {}

        @Override
        public void articleEmitted(ArticleEvent event) {}

        @Override
        public void duplicateSuppressed(String reason) {}

        @Override
        public void normalizationSkipped() {}

        @Override
        public void deadLettered(String stage, String errorClass) {}

        @Override
        public void itemDecided() {}
      };
}
