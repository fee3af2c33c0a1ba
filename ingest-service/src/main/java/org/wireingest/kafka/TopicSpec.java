package org.wireingest.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * @param largestRecord the largest records wire-ingest writes to the topic, which its {@code
 *     max.message.bytes} must take ({@link #undersized}); null when they are small enough for any
 *     limit a cluster sets (story signatures: a few hundred bytes)
 */
public record TopicSpec(
    String name,
    int partitions,
    short replicationFactor,
    Map<String, String> configs,
    PartitionedFor partitionedFor,
    LargestRecord largestRecord) {

  /**
   * The largest records wire-ingest writes to a topic, for {@link #undersized} and {@link
   * Undersized#message()}: the phrases each of one line, none blank.
   *
   * @param bytes the {@code max.message.bytes} the topic needs for them, in bytes; positive
   * @param what the records, e.g. {@code feed states of up to 16 MiB}
   * @param refused what becomes of one over a smaller limit, e.g. {@code a feed state over it is
   *     refused, and its feed's polls fail with publish-error}
   */
  public record LargestRecord(int bytes, String what, String refused) {

    /**
     * @throws NullPointerException when a phrase is null
     * @throws IllegalArgumentException when {@code bytes} is not positive or a phrase is blank
     */
    public LargestRecord {
      if (bytes < 1) {
        throw new IllegalArgumentException("bytes must be positive: " + bytes);
      }
      for (String phrase : List.of(what, refused)) {
        if (phrase.isBlank()) {
          throw new IllegalArgumentException("a phrase of largestRecord is blank");
        }
      }
    }
  }

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

  /** A topic whose records' size is not checked against its {@code max.message.bytes}. */
  public TopicSpec(
      String name,
      int partitions,
      short replicationFactor,
      Map<String, String> configs,
      PartitionedFor partitionedFor) {
    this(name, partitions, replicationFactor, configs, partitionedFor, null);
  }

  /**
   * A topic whose partition count nothing of wire-ingest places keys by, and whose records' size is
   * not checked against its {@code max.message.bytes}.
   */
  public TopicSpec(
      String name, int partitions, short replicationFactor, Map<String, String> configs) {
    this(name, partitions, replicationFactor, configs, null, null);
  }

  /**
   * Whether an existing topic's {@code max.message.bytes} is below what the largest records
   * wire-ingest writes to it need ({@link #largestRecord}): those would be refused, one by one, as
   * they come. Not a {@link Mismatch}: a lower limit may be an operator's choice, and the pipeline
   * works for every smaller record.
   *
   * @param configs the topic's configs as the cluster reports them (its defaults included); a
   *     {@code max.message.bytes} it does not report, or that is no number, is not compared
   * @return the finding; empty when the limit takes the largest records, or when this spec has no
   *     {@link #largestRecord}
   */
  public Optional<Undersized> undersized(Map<String, String> configs) {
    String value = configs.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
    if (largestRecord == null || value == null) {
      return Optional.empty();
    }
    long actual;
    try {
      actual = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return actual < largestRecord.bytes()
        ? Optional.of(new Undersized(name, actual, largestRecord))
        : Optional.empty();
  }

  /**
   * An existing topic whose {@code max.message.bytes} is below what wire-ingest's largest records
   * for it need ({@link #undersized}).
   *
   * @param topic the topic name
   * @param actual its {@code max.message.bytes} on the cluster, in bytes
   * @param needed the largest records wire-ingest writes to it
   */
  public record Undersized(String topic, long actual, LargestRecord needed) {

    /**
     * @return one line for an operator: the topic, both values, what is refused and the repair,
     *     e.g. {@code topic wire.fetch-log.v1 has max.message.bytes=1048588, below the 2097152
     *     wire-ingest needs for its largest records (...): ...; repair: kafka-configs.sh --alter
     *     --entity-type topics --entity-name wire.fetch-log.v1 --add-config
     *     max.message.bytes=2097152, or leave it if such records are to be refused}
     */
    public String message() {
      String setting = TopicConfig.MAX_MESSAGE_BYTES_CONFIG;
      return "topic "
          + topic
          + " has "
          + setting
          + "="
          + actual
          + ", below the "
          + needed.bytes()
          + " wire-ingest needs for its largest records ("
          + needed.what()
          + "): "
          + needed.refused()
          + "; repair: kafka-configs.sh --alter --entity-type topics --entity-name "
          + topic
          + " --add-config "
          + setting
          + "="
          + needed.bytes()
          + ", or leave it if such records are to be refused";
    }
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
