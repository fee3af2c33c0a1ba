package org.wireingest.streams;

import java.io.IOException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.dedup.SignatureIndex;
import org.wireingest.model.ErrorText;
import org.wireingest.model.Json;
import org.wireingest.model.StorySignature;

/**
 * The global processor of the near-duplicate index: every instance of the normalizer reads the
 * whole story-signatures topic (read_committed under exactly-once) into its in-memory {@link
 * SignatureIndex}, both live and at start (the global store is in memory, so it is restored from
 * the topic's beginning through this processor at every start), forgetting stories older than the
 * window ({@link NormalizerTopology#CLUSTER_WINDOW_MS}) as newer ones arrive. The global store
 * itself holds nothing: Kafka Streams requires one, the index is what is looked up. A record that
 * is not a story signature (written by hand: not JSON, the JSON {@code null}, a field missing, a
 * signature of another size, a {@code firstCreated} outside the years 0000-9999) is skipped with a
 * WARN and counted, never thrown: an exception here would stop the global thread, and with it the
 * normalizer, at every start while the topic keeps the record. A tombstone is ignored (stories
 * leave by the window).
 */
final class SignatureIndexUpdater implements Processor<String, byte[], Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(SignatureIndexUpdater.class);

  private final SharedSignatureIndex shared;
  private final NormalizerListener listener;
  private SignatureIndex index;

  SignatureIndexUpdater(SharedSignatureIndex shared, NormalizerListener listener) {
    this.shared = shared;
    this.listener = listener;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.index = shared.get(context.appConfigs());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    StorySignature signature;
    try {
      signature = Json.MAPPER.readValue(record.value(), StorySignature.class);
    } catch (IOException e) {
      skip(record, ErrorText.describe(e));
      return;
    }
    if (signature == null) {
      // the JSON text null: no story (an exception here stops the global thread, and with it the
      // normalizer, at every start while the topic keeps the record)
      skip(record, "the JSON value null");
      return;
    }
    try {
      int expired = index.add(signature);
      if (expired > 0) {
        listener.signaturesExpired(expired);
      }
    } catch (IllegalArgumentException e) {
      skip(record, ErrorText.describe(e));
    }
  }

  private void skip(Record<String, byte[]> record, String why) {
    listener.signatureSkipped();
    LOG.warn(
        "story-signatures record with key {} skipped: not a story signature ({})",
        record.key(),
        why);
  }
}
