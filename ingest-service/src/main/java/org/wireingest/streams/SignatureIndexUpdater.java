package org.wireingest.streams;

import java.io.IOException;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.dedup.SignatureIndex;
import org.wireingest.model.Json;
import org.wireingest.model.StorySignature;

/**
 * The global processor of the near-duplicate index: every instance of the normalizer reads the
 * whole story-signatures topic (read_committed under exactly-once) into its global store, through
 * this processor both live and when the store is restored, and forgets stories older than the
 * window ({@link NormalizerTopology#CLUSTER_WINDOW_MS}) as newer ones arrive. A record that is not
 * a story signature (written by hand) is skipped with a WARN and counted; a tombstone removes
 * nothing (stories leave by the window).
 */
final class SignatureIndexUpdater implements Processor<String, byte[], Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(SignatureIndexUpdater.class);

  private final NormalizerListener listener;
  private SignatureIndex index;

  SignatureIndexUpdater(NormalizerListener listener) {
    this.listener = listener;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    KeyValueStore<String, String> store = context.getStateStore(NormalizerTopology.SIGNATURE_STORE);
    Duration window = NormalizerTopology.clusterWindow(context.appConfigs());
    this.index = new SignatureIndex(new StoreEntries(store), window);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    StorySignature signature;
    try {
      signature = Json.MAPPER.readValue(record.value(), StorySignature.class);
      int expired = index.add(signature);
      if (expired > 0) {
        listener.signaturesExpired(expired);
      }
    } catch (IOException | IllegalArgumentException e) {
      listener.signatureSkipped();
      LOG.warn("story-signatures record with key {} skipped: not a story signature ({}: {})", record.key(), e.getClass().getSimpleName(),
          e.getMessage());
    }
  }
}
