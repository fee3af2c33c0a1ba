package org.wireingest.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The one rule that places an article {@code uri} on a partition: {@code toPositive(murmur2(UTF-8
 * bytes of uri)) mod partitions}, the same function Kafka's producer applies to a record key
 * ({@code BuiltInPartitioner.partitionForKey}), written down here so that the three places that
 * must agree use the same code:
 *
 * <ul>
 *   <li>the poller writes each raw item to the raw-items partition of its {@code uri} (the record
 *       key stays {@code sourceId/itemKey});
 *   <li>the normalizer's first stage keeps an item in its task when the item is already on that
 *       partition, and otherwise sends it through the repartition topic;
 *   <li>the repartition topic's partitioner.
 * </ul>
 *
 * So every copy of a story, from any feed of its agency, meets the same version store, and with
 * pollers that place items this way no item needs the repartition hop. Thread-safe, stateless.
 */
public final class UriPartitioner {

  private UriPartitioner() {}

  /**
   * @param uri an article {@code uri}; never null
   * @param partitions the topic's partition count; at least 1
   * @return the partition of {@code uri}, in {@code [0, partitions)}
   * @throws IllegalArgumentException when {@code partitions} is below 1
   */
  public static int partition(String uri, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    return Utils.toPositive(Utils.murmur2(uri.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
