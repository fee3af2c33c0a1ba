package org.wireingest.kafka;

import java.util.Map;
import java.util.Objects;

/**
 * What a topic should look like when wire-ingest creates it.
 *
 * @param name the topic name; never blank
 * @param partitions number of partitions; at least 1
 * @param replicationFactor replicas per partition, or {@link #CLUSTER_REPLICATION_FACTOR} to let
 *     {@link TopicAdmin} choose min(3, number of brokers)
 * @param configs topic-level configs (Kafka names, e.g. {@code cleanup.policy}, {@code
 *     retention.ms} in ms); never null, copied
 */
public record TopicSpec(
    String name, int partitions, short replicationFactor, Map<String, String> configs) {

  /** Replication factor meaning "min(3, number of brokers in the cluster)". */
  public static final short CLUSTER_REPLICATION_FACTOR = -1;

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
    }
    if (replicationFactor < 1 && replicationFactor != CLUSTER_REPLICATION_FACTOR) {
      throw new IllegalArgumentException(
          "replicationFactor must be at least 1 or "
              + CLUSTER_REPLICATION_FACTOR
              + ": "
              + replicationFactor);
    }
    configs = Map.copyOf(configs);
  }
}
