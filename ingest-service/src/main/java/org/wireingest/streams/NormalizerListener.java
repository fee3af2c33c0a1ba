package org.wireingest.streams;

import org.wireingest.model.ArticleEvent;

/**
 * Told of everything the normalizer topology does, for metrics and for {@code run --once}'s
 * catch-up wait. Implementations are thread-safe, fast and never throw. Under exactly-once a
 * record may be seen again after an aborted transaction: counts are at-least-once.
 */
public interface NormalizerListener {

  /** A raw record was consumed from {@code partition} at {@code offset}. */
  void rawRecordConsumed(int partition, long offset);

  /** A draft article left the first stage for the dedup stage. */
  void draftForwarded();

  /** The dedup stage emitted {@code event} ({@code created} or {@code updated}). */
  void articleEmitted(ArticleEvent event);

  /** The dedup stage suppressed a duplicate, for {@code reason} ({@code same-fingerprint}, ...). */
  void duplicateSuppressed(String reason);

  /** A record went to the dead-letter topic from {@code stage}. */
  void deadLettered(String stage, String errorClass);

  /** A listener that does nothing. */
  NormalizerListener NONE =
      new NormalizerListener() {
        @Override
        public void rawRecordConsumed(int partition, long offset) {}

        @Override
        public void draftForwarded() {}

        @Override
        public void articleEmitted(ArticleEvent event) {}

        @Override
        public void duplicateSuppressed(String reason) {}

        @Override
        public void deadLettered(String stage, String errorClass) {}
      };
}
