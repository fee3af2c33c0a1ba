package org.wireingest.streams;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.wireingest.kafka.UriPartitioner;
import org.wireingest.model.DeadLetter;

/**
 * Stage 1: raw item bytes → the same bytes keyed by the article {@code uri} with the raw record's
 * position, or a dead letter keyed by the raw key when the bytes are not a raw item. Nothing is
 * normalised here. The rules are {@link NormalizerSteps#route}; this class adapts them to Kafka
 * Streams and decides the hop: an item read from the partition its {@code uri} belongs to ({@link
 * UriPartitioner}, as the poller writes them) is {@link Hop.Local} and goes straight to this task's
 * dedup stage, with the item already read; any other is {@link Hop.Remote} and goes through the
 * repartition topic to the task that owns its {@code uri}. The record's timestamp and headers are
 * kept.
 */
final class RouteProcessor implements Processor<String, byte[], String, RouteProcessor.Hop> {

  /** Where a stage-1 outcome goes next. */
  sealed interface Hop {
    /**
     * @param routed the item, with its read form; owned by this task
     */
    record Local(NormalizerSteps.Routing.Routed routed) implements Hop {}

    /**
     * @param routed the item, without its read form; owned by another partition
     */
    record Remote(NormalizerSteps.Routing.Routed routed) implements Hop {}

    /**
     * @param deadLetter not a routable raw item
     */
    record Dead(DeadLetter deadLetter) implements Hop {}
  }

  private final NormalizerSteps steps;
  private final int partitions;
  private ProcessorContext<String, Hop> context;

  /**
   * The most bytes a repartition record may have ({@link NormalizerTopology#repartitionMaxBytes}).
   */
  private int maxRepartitionBytes = NormalizerSteps.MAX_REPARTITION_BYTES;

  /**
   * @param steps the rules
   * @param partitions partitions of the repartition topic (the task owning {@code uri} reads
   *     partition {@code UriPartitioner.partition(uri, partitions)} of it); at least 1
   */
  RouteProcessor(NormalizerSteps steps, int partitions) {
    this.steps = steps;
    this.partitions = partitions;
  }

  @Override
  public void init(ProcessorContext<String, Hop> context) {
    this.context = context;
    this.maxRepartitionBytes = NormalizerTopology.repartitionMaxBytes(context.appConfigs());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RecordMetadata md = context.recordMetadata().orElseThrow();
    NormalizerSteps.Routing out =
        steps.route(
            new NormalizerSteps.Position(md.topic(), md.partition(), md.offset(), record.key()),
            record.value());
    if (out instanceof NormalizerSteps.Routing.Routed routed) {
      int owner = UriPartitioner.partition(routed.uri(), partitions);
      if (owner == md.partition()) {
        context.forward(record.withKey(routed.uri()).withValue(new Hop.Local(routed)));
        return;
      }
      long size = recordBytes(routed, record.headers());
      if (size > maxRepartitionBytes) {
        // the producer would refuse it, and under exactly-once that stops the task for good
        context.forward(
            deadLetterRecord(
                record,
                record.key(),
                new Hop.Dead(
                    steps.tooLargeToRepartition(routed, size, owner, maxRepartitionBytes))));
        return;
      }
      // the read item stays behind: the owning task gets what the repartition topic carries
      context.forward(record.withKey(routed.uri()).withValue(new Hop.Remote(routed.withoutItem())));
    } else {
      context.forward(
          deadLetterRecord(
              record,
              record.key(),
              new Hop.Dead(((NormalizerSteps.Routing.Rejected) out).deadLetter())));
    }
  }

  /**
   * The record of a dead letter of both stages, made from its input record: its key cut as the dead
   * letter's own ({@link DeadLetters#key}), and the input's headers as {@link DeadLetters#headers}
   * keeps them.
   *
   * @param input the input record (its timestamp and headers)
   * @param key the input's key; null when none
   * @param value the dead letter, as the stage hands it on
   */
  static <V> Record<String, V> deadLetterRecord(Record<String, ?> input, String key, V value) {
    return new Record<>(
        DeadLetters.key(key), value, input.timestamp(), DeadLetters.headers(input.headers()));
  }

  /**
   * The repartition record's size: value, key and headers, in bytes (strings counted at 3 bytes a
   * character, UTF-8's most for them), and 1 KiB for the rest of {@link RoutedSerde}'s envelope.
   */
  private static long recordBytes(NormalizerSteps.Routing.Routed routed, Headers headers) {
    NormalizerSteps.Position at = routed.at();
    return routed.value().length
        + 3L * routed.uri().length()
        + 3L * (at.key() == null ? 0 : at.key().length())
        + 3L * at.topic().length()
        + 1024
        + DeadLetters.headerBytes(headers);
  }
}
