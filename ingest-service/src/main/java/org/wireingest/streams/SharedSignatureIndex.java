package org.wireingest.streams;

import java.time.Clock;
import java.util.Map;
import org.wireingest.dedup.SignatureIndex;

/**
 * The one near-duplicate index of a normalizer instance, shared by its global-store processor
 * ({@link SignatureIndexUpdater}, which fills it from the story-signatures topic) and its dedup
 * processors (which look stories up in it and add the ones they emit at once, without waiting for
 * the topic). Created at the first processor's init, from the Streams configuration ({@link
 * NormalizerTopology#clusterWindow}, {@link NormalizerTopology#clusterIndexSize}) and handed to the
 * listener for its gauges. Thread-safe.
 */
final class SharedSignatureIndex {

  private final NormalizerListener listener;
  private final Clock clock;
  private SignatureIndex index;

  /**
   * @param listener told of the index once it is created ({@link
   *     NormalizerListener#signatureIndexCreated})
   * @param clock the normalizer's wall clock, for the index's bound on future dates ({@link
   *     SignatureIndex#FUTURE_TOLERANCE})
   */
  SharedSignatureIndex(NormalizerListener listener, Clock clock) {
    this.listener = listener;
    this.clock = clock;
  }

  /**
   * @param config the Streams configuration ({@code ProcessorContext#appConfigs})
   * @return the index, created (and handed to the listener) on the first call
   * @throws org.wireingest.config.ConfigException when the window or size setting is invalid
   */
  synchronized SignatureIndex get(Map<String, ?> config) {
    if (index == null) {
      index =
          new SignatureIndex(
              NormalizerTopology.clusterWindow(config),
              NormalizerTopology.clusterIndexSize(config),
              clock);
      listener.signatureIndexCreated(index);
    }
    return index;
  }
}
