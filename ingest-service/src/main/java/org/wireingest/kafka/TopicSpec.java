package org.wireingest.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.config.TopicConfig;

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

  /**
   * The configs whose value on the cluster is not the one wire-ingest creates the topic with; a
   * {@code cleanup.policy} compares as a set ({@code compact,delete} is {@code delete,compact}).
   *
   * @param actual config values as the cluster reports them (its defaults included); a config it
   *     does not report does not differ
   * @return the names, in name order; empty when none differs
   */
  public List<String> differingConfigs(Map<String, String> actual) {
    List<String> differs = new ArrayList<>();
    for (Map.Entry<String, String> wanted : new TreeMap<>(configs).entrySet()) {
      String value = actual.get(wanted.getKey());
      if (value != null && !sameValue(wanted.getKey(), wanted.getValue(), value)) {
        differs.add(wanted.getKey());
      }
    }
    return differs;
  }

  private static boolean sameValue(String name, String wanted, String actual) {
    if (name.equals(TopicConfig.CLEANUP_POLICY_CONFIG)) {
      return policies(wanted).equals(policies(actual));
    }
    return wanted.equals(actual);
  }

  /**
   * A {@code cleanup.policy} value as its set of policies, in name order; a policy named twice (a
   * broker before Kafka 4 takes {@code compact,compact}) counts once.
   */
  static Set<String> policies(String cleanupPolicy) {
    Set<String> out = new TreeSet<>();
    for (String p : cleanupPolicy.split(",")) {
      if (!p.isBlank()) {
        out.add(p.strip());
      }
    }
    return out;
  }
}
