package org.wireingest.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.config.TopicConfig;
import org.wireingest.model.Counted;

/**
 * What a topic should look like when wire-ingest creates it.
 *
 * @param name the topic name; never blank
 * @param partitions number of partitions; at least 1
 * @param replicationFactor replicas per partition, or {@link #CLUSTER_REPLICATION_FACTOR} to let
 *     {@link TopicAdmin} choose min(3, number of brokers)
 * @param configs topic-level configs (Kafka names, e.g. {@code cleanup.policy}, {@code
 *     retention.ms} in ms); never null, copied
 * @param partitionedFor what of wire-ingest places the topic's keys by its partition count, and
 *     what re-creating the topic with another count costs, for messages; null when nothing places
 *     them (the normalizer reads the story-signatures topic whole, and nothing places keys by the
 *     count of the articles, fetch-log or dead-letters topics): then {@link #mismatches} does not
 *     compare the count
 */
public record TopicSpec(
    String name,
    int partitions,
    short replicationFactor,
    Map<String, String> configs,
    PartitionedFor partitionedFor) {

  /**
   * What places a topic's keys by its partition count, and the repair of a topic with another
   * count, for {@link Mismatch#message()}: each a phrase of one line, none blank.
   *
   * @param what what places the keys, e.g. {@code the feed assignment}
   * @param first what to do before deleting the topic, e.g. {@code stop wire-ingest}
   * @param lost what goes with the deleted topic, and what follows, e.g. {@code the feeds' states
   *     go with the old topic, so every entry is published again}
   */
  public record PartitionedFor(String what, String first, String lost) {

    /**
     * @throws NullPointerException when a phrase is null
     * @throws IllegalArgumentException when a phrase is blank
     */
    public PartitionedFor {
      for (String phrase : List.of(what, first, lost)) {
        if (phrase.isBlank()) {
          throw new IllegalArgumentException("a phrase of partitionedFor is blank");
        }
      }
    }
  }

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

  /** A topic whose partition count nothing of wire-ingest places keys by. */
  public TopicSpec(
      String name, int partitions, short replicationFactor, Map<String, String> configs) {
    this(name, partitions, replicationFactor, configs, null);
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

  /** {@link Mismatch#setting()} of a topic whose partition count is not {@link #partitions}. */
  public static final String PARTITIONS = "partitions";

  /**
   * How an existing topic differs from this spec where the difference breaks the pipeline: its
   * partition count, when something places its keys by it ({@link #partitionedFor}: keys map to
   * other partitions than it was made for), and its {@code cleanup.policy} (compared as {@link
   * #differingConfigs} does). Other configs (retentions, segment sizes) are tuning an operator may
   * change, and are not compared here.
   *
   * @param partitions the topic's partition count on the cluster
   * @param configs its configs as the cluster reports them; a {@code cleanup.policy} it does not
   *     report is not compared
   * @return the mismatches, partitions first; empty when none
   */
  public List<Mismatch> mismatches(int partitions, Map<String, String> configs) {
    List<Mismatch> out = new ArrayList<>();
    if (partitionedFor != null && partitions != this.partitions) {
      out.add(
          new Mismatch(
              name,
              PARTITIONS,
              Integer.toString(this.partitions),
              Integer.toString(partitions),
              partitionedFor));
    }
    String policy = TopicConfig.CLEANUP_POLICY_CONFIG;
    if (this.configs.containsKey(policy) && differingConfigs(configs).contains(policy)) {
      out.add(new Mismatch(name, policy, this.configs.get(policy), configs.get(policy), null));
    }
    return out;
  }

  /**
   * One way an existing topic differs from what wire-ingest creates it with ({@link #mismatches}).
   *
   * @param topic the topic name
   * @param setting {@link #PARTITIONS} or {@code cleanup.policy}
   * @param expected the value wire-ingest creates the topic with
   * @param actual the value on the cluster
   * @param partitionedFor for {@link #PARTITIONS}, what places the topic's keys by its count and
   *     what re-creating it costs ({@link TopicSpec#partitionedFor}); null for a config
   */
  public record Mismatch(
      String topic, String setting, String expected, String actual, PartitionedFor partitionedFor) {

    /**
     * @return one line for an operator: the topic, both values, what goes wrong and how to repair
     *     it, e.g. {@code topic wire.feed-state.v1 has cleanup.policy=delete, where wire-ingest
     *     creates it with compact: the latest record of each key is deleted with age (retention.ms)
     *     instead of kept; repair: kafka-configs.sh --alter --entity-type topics --entity-name
     *     wire.feed-state.v1 --add-config cleanup.policy=[compact]}
     */
    public String message() {
      if (setting.equals(PARTITIONS)) {
        return "topic "
            + topic
            + " has "
            + Counted.of(Integer.parseInt(actual), "partition", "partitions")
            + ", where wire-ingest creates it with "
            + expected
            + " (--partitions): its keys go to other partitions than "
            + partitionedFor.what()
            + " was made for; repair: "
            + partitionedFor.first()
            + ", delete the topic and run wire-ingest topics --create (or start wire-ingest again), which creates it with "
            + expected
            + "; "
            + partitionedFor.lost()
            + "; or give --partitions "
            + actual
            + " if the topics were made with "
            + actual
            + " on purpose";
      }
      boolean keepsPerKey = policies(expected).contains(TopicConfig.CLEANUP_POLICY_COMPACT);
      boolean compacts = policies(actual).contains(TopicConfig.CLEANUP_POLICY_COMPACT);
      String effect =
          keepsPerKey && !compacts
              ? "the latest record of each key is deleted with age (retention.ms) instead of kept"
              : !keepsPerKey && compacts
                  ? "the records of a key are compacted to the latest instead of kept for"
                      + " retention.ms"
                  : "its records are kept otherwise than the pipeline expects";
      return "topic "
          + topic
          + " has "
          + setting
          + "="
          + actual
          + ", where wire-ingest creates it with "
          + expected
          + ": "
          + effect
          + "; repair: kafka-configs.sh --alter --entity-type topics --entity-name "
          + topic
          + " --add-config "
          + setting
          + "=["
          + expected
          + "]";
    }
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
