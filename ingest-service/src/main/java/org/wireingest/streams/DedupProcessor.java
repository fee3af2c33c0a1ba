package org.wireingest.streams;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.wireingest.dedup.DedupState;
import org.wireingest.dedup.Versioning;

/**
 * Stage 2, keyed by article {@code uri}: the authority on versions. Looks up the story's {@link
 * DedupState} in a persistent store and applies {@link NormalizerSteps#decide}: an item whose input
 * hash equals the stored one is a duplicate without being normalised; any other is normalised and
 * goes through {@link Versioning} (new uri → {@code created} v1; same fingerprint → suppressed; new
 * fingerprint → {@code updated} v+1). Store and output commit in one exactly-once transaction, so
 * no crash or restart duplicates an event. Emitted events carry the CloudEvents 1.0 Kafka binding
 * headers (binary mode); dead letters keep the record's headers and are keyed by the raw key
 * (normalising failed) or the {@code uri} (the version rule failed).
 */
final class DedupProcessor implements Processor<String, NormalizerSteps.Routing.Routed, String, StageOutput> {

  private final String storeName;
  private final NormalizerSteps steps;
  private ProcessorContext<String, StageOutput> context;
  private KeyValueStore<String, DedupState> store;

  DedupProcessor(String storeName, NormalizerSteps steps) {
    this.storeName = storeName;
    this.steps = steps;
  }

  @Override
  public void init(ProcessorContext<String, StageOutput> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, NormalizerSteps.Routing.Routed> record) {
    NormalizerSteps.Dedup outcome = steps.decide(store.get(record.key()), record.value());
    if (outcome instanceof NormalizerSteps.Dedup.Emit emit) {
      store.put(record.key(), emit.state());
      context.forward(new Record<>(record.key(), StageOutput.of(emit.event()), record.timestamp(), kafkaHeaders(emit.headers())));
    } else if (outcome instanceof NormalizerSteps.Dedup.Suppressed suppressed) {
      if (suppressed.state() != null) {
        store.put(record.key(), suppressed.state());
      }
    } else if (outcome instanceof NormalizerSteps.Dedup.Rejected rejected) {
      context.forward(record.withKey(rejected.key()).withValue(StageOutput.dead(rejected.deadLetter())));
    }
  }

  private static Headers kafkaHeaders(Map<String, String> headers) {
    RecordHeaders h = new RecordHeaders();
    headers.forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
    return h;
  }
}
