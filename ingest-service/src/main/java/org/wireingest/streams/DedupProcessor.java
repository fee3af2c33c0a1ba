package org.wireingest.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.wireingest.dedup.Versioning;
import org.wireingest.dedup.DedupState;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.Json;

/**
 * Stage 2, keyed by article {@code uri}: the authority on versions. Looks up the story's {@link
 * DedupState} in a persistent store and applies {@link Versioning}: new uri → {@code created} v1;
 * same fingerprint → suppressed; new fingerprint → {@code updated} v+1. Store and output commit in
 * one exactly-once transaction, so no crash or restart duplicates an event. Emitted events carry
 * the CloudEvents 1.0 Kafka binding headers (binary mode).
 */
final class DedupProcessor implements Processor<String, ArticleEvent, String, StageOutput> {

  static final String STAGE = "dedup";

  private final String storeName;
  private final NormalizerListener listener;
  private final Clock clock;
  private ProcessorContext<String, StageOutput> context;
  private KeyValueStore<String, DedupState> store;

  DedupProcessor(String storeName, NormalizerListener listener, Clock clock) {
    this.storeName = storeName;
    this.listener = listener;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, StageOutput> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, ArticleEvent> record) {
    ArticleEvent draft = record.value();
    try {
      Versioning.Decision decision = Versioning.decide(store.get(record.key()), draft);
      if (decision instanceof Versioning.Decision.Duplicate dup) {
        listener.duplicateSuppressed(dup.reason());
        return;
      }
      ArticleEvent event = Versioning.apply(decision, draft).orElseThrow();
      store.put(record.key(), decision.state());
      listener.articleEmitted(event);
      context.forward(new Record<>(record.key(), StageOutput.of(event), record.timestamp(), cloudEventHeaders(event)));
    } catch (RuntimeException e) {
      RecordMetadata md = context.recordMetadata().orElseThrow();
      listener.deadLettered(STAGE, e.getClass().getSimpleName());
      byte[] bytes;
      try {
        bytes = Json.MAPPER.writeValueAsBytes(draft);
      } catch (JsonProcessingException je) {
        bytes = null;
      }
      context.forward(record.withValue(StageOutput.dead(DeadLetters.of(STAGE, e, md.topic(), md.partition(), md.offset(), record.key(), bytes, clock.instant()))));
    }
  }

  /**
   * CloudEvents 1.0 Kafka protocol binding, binary content mode: {@code ce_specversion}, {@code
   * ce_id} ({@code <uri>#<version>}: unique per source), {@code ce_source}, {@code ce_type}
   * ({@code org.wireingest.article.created|updated}), {@code ce_time} (the version's time, RFC
   * 3339), {@code ce_subject} (the uri) and {@code content-type}.
   */
  static Headers cloudEventHeaders(ArticleEvent e) {
    RecordHeaders h = new RecordHeaders();
    add(h, "ce_specversion", "1.0");
    add(h, "ce_id", e.uri() + "#" + e.version());
    add(h, "ce_source", "urn:wire-ingest:source:" + e.source().id());
    add(h, "ce_type", "org.wireingest.article." + e.changeType());
    add(h, "ce_time", e.versionCreated().toString());
    add(h, "ce_subject", e.uri());
    add(h, "content-type", "application/json");
    return h;
  }

  private static void add(RecordHeaders h, String key, String value) {
    h.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
