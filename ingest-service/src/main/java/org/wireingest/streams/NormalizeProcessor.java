package org.wireingest.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Stage 1: raw item bytes → draft article keyed by its {@code uri} (for the repartition by uri), or
 * a dead letter keyed by the raw key when the bytes are not a raw item or cannot be normalised. The
 * rules are {@link NormalizerSteps#normalize}; this class only adapts them to Kafka Streams.
 */
final class NormalizeProcessor implements Processor<String, byte[], String, StageOutput> {

  private final NormalizerSteps steps;
  private ProcessorContext<String, StageOutput> context;

  NormalizeProcessor(NormalizerSteps steps) {
    this.steps = steps;
  }

  @Override
  public void init(ProcessorContext<String, StageOutput> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RecordMetadata md = context.recordMetadata().orElseThrow();
    StageOutput out = steps.normalize(new NormalizerSteps.Position(md.topic(), md.partition(), md.offset(), record.key()), record.value());
    context.forward(out.isDeadLetter() ? record.withValue(out) : record.withKey(out.article().uri()).withValue(out));
  }
}
