package org.wireingest.streams;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.wireingest.dedup.DedupState;
import org.wireingest.dedup.Versioning;
import org.wireingest.model.ArticleEvent;

/**
 * Stage 2, keyed by article {@code uri}: the authority on versions. Looks up the story's {@link
 * DedupState} in a persistent store and applies {@link NormalizerSteps#dedup} ({@link Versioning}:
 * new uri → {@code created} v1; same fingerprint → suppressed; new fingerprint → {@code updated}
 * v+1). Store and output commit in one exactly-once transaction, so no crash or restart duplicates
 * an event. Emitted events carry the CloudEvents 1.0 Kafka binding headers (binary mode).
 */
final class DedupProcessor implements Processor<String, ArticleEvent, String, StageOutput> {

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
  public void process(Record<String, ArticleEvent> record) {
    RecordMetadata md = context.recordMetadata().orElseThrow();
    NormalizerSteps.Dedup outcome =
        steps.dedup(store.get(record.key()), record.value(), new NormalizerSteps.Position(md.topic(), md.partition(), md.offset(), record.key()));
    if (outcome instanceof NormalizerSteps.Dedup.Emit emit) {
      store.put(record.key(), emit.state());
      context.forward(new Record<>(record.key(), StageOutput.of(emit.event()), record.timestamp(), kafkaHeaders(emit.headers())));
    } else if (outcome instanceof NormalizerSteps.Dedup.Rejected rejected) {
      context.forward(record.withValue(StageOutput.dead(rejected.deadLetter())));
    }
  }

  private static Headers kafkaHeaders(Map<String, String> headers) {
    RecordHeaders h = new RecordHeaders();
    headers.forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
    return h;
  }
}
