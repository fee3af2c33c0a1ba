package org.wireingest.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Stage 1: raw item bytes → the same bytes, keyed by the article {@code uri} with the raw record's
 * position (for the repartition by uri), or a dead letter keyed by the raw key when the bytes are
 * not a raw item. Nothing is normalised here. The rules are {@link NormalizerSteps#route}; this
 * class only adapts them to Kafka Streams. The record's timestamp and headers are kept.
 */
final class RouteProcessor implements Processor<String, byte[], String, NormalizerSteps.Routing> {

  private final NormalizerSteps steps;
  private ProcessorContext<String, NormalizerSteps.Routing> context;

  RouteProcessor(NormalizerSteps steps) {
    this.steps = steps;
  }

  @Override
  public void init(ProcessorContext<String, NormalizerSteps.Routing> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RecordMetadata md = context.recordMetadata().orElseThrow();
    NormalizerSteps.Routing out = steps.route(new NormalizerSteps.Position(md.topic(), md.partition(), md.offset(), record.key()), record.value());
    if (out instanceof NormalizerSteps.Routing.Routed routed) {
      // the read item stays behind: the dedup stage gets what the repartition topic carries
      context.forward(record.withKey(routed.uri()).withValue(routed.withoutItem()));
    } else {
      context.forward(record.withValue(out));
    }
  }
}
