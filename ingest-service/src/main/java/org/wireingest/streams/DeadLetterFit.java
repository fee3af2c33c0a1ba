package org.wireingest.streams;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.wireingest.model.DeadLetter;

/**
 * The last step before the dead-letter topic: a dead letter over what that topic takes ({@link
 * NormalizerTopology#deadLetterMaxBytes}, set when its {@code max.message.bytes} is below the 1 MiB
 * the normalizer's dead letters need) leaves out its copy of the input ({@link DeadLetters#fit}),
 * instead of being refused, which under exactly-once fails the stream thread at every try. On a
 * topic that takes 1 MiB it passes every dead letter unchanged.
 */
final class DeadLetterFit implements FixedKeyProcessor<String, DeadLetter, DeadLetter> {

  private FixedKeyProcessorContext<String, DeadLetter> context;
  private int maxBytes = DeadLetters.MAX_DEAD_LETTER_BYTES;

  @Override
  public void init(FixedKeyProcessorContext<String, DeadLetter> context) {
    this.context = context;
    this.maxBytes = NormalizerTopology.deadLetterMaxBytes(context.appConfigs());
  }

  @Override
  public void process(FixedKeyRecord<String, DeadLetter> record) {
    if (maxBytes < DeadLetters.MAX_DEAD_LETTER_BYTES && record.value() != null) {
      context.forward(record.withValue(DeadLetters.fit(record.value(), maxBytes)));
    } else {
      context.forward(record);
    }
  }
}
