package org.wireingest.streams;

import java.io.IOException;
import java.time.Clock;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.Normalizer;

/**
 * Stage 1: raw item bytes → draft article keyed by its {@code uri} (for the repartition by uri), or
 * a dead letter keyed by the raw key when the bytes are not a raw item or cannot be normalised.
 */
final class NormalizeProcessor implements Processor<String, byte[], String, StageOutput> {

  static final String STAGE_DESERIALIZE = "deserialize";
  static final String STAGE_NORMALIZE = "normalize";

  private final Normalizer normalizer;
  private final NormalizerListener listener;
  private final Clock clock;
  private ProcessorContext<String, StageOutput> context;

  NormalizeProcessor(Normalizer normalizer, NormalizerListener listener, Clock clock) {
    this.normalizer = normalizer;
    this.listener = listener;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, StageOutput> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RecordMetadata md = context.recordMetadata().orElseThrow();
    listener.rawRecordConsumed(md.partition(), md.offset());
    RawWireItem item;
    try {
      if (record.value() == null) {
        throw new IOException("record has no value (tombstone) where a raw wire item was expected");
      }
      item = Json.MAPPER.readValue(record.value(), RawWireItem.class);
      if (item == null || item.source() == null || item.identity() == null || item.entry() == null) {
        throw new IOException("not a raw wire item: source, identity or entry missing");
      }
    } catch (IOException | RuntimeException e) {
      deadLetter(STAGE_DESERIALIZE, e, md, record);
      return;
    }
    ArticleEvent draft;
    try {
      draft =
          normalizer.normalize(item)
              .withIngestion(clock.instant(), new ArticleEvent.Lineage(md.topic(), md.partition(), md.offset(), record.key()));
    } catch (RuntimeException e) {
      deadLetter(STAGE_NORMALIZE, e, md, record);
      return;
    }
    listener.draftForwarded();
    context.forward(record.withKey(draft.uri()).withValue(StageOutput.of(draft)));
  }

  private void deadLetter(String stage, Exception e, RecordMetadata md, Record<String, byte[]> record) {
    listener.deadLettered(stage, e.getClass().getSimpleName());
    context.forward(
        record.withValue(
            StageOutput.dead(DeadLetters.of(stage, e, md.topic(), md.partition(), md.offset(), record.key(), record.value(), clock.instant()))));
  }
}
