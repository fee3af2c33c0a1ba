package org.wireingest.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.model.ErrorText;

/**
 * Creates wire-ingest's topics when they are missing. Existing topics are left as they are (their
 * partitions and configs are not changed), so it is safe to run at every start, from several
 * processes at once; {@link #compare} says how they differ from what it would create.
 */
public final class TopicAdmin {

  /** The highest replication factor chosen for {@link TopicSpec#CLUSTER_REPLICATION_FACTOR}. */
  public static final short MAX_DEFAULT_REPLICATION_FACTOR = 3;

  private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
  private static final long VISIBILITY_POLL_MS = 20;

  /** The broker config that is the default {@code max.message.bytes} of the topics it creates. */
  private static final String MESSAGE_MAX_BYTES = "message.max.bytes";

  /**
   * Milliseconds before a deadline under which a step that failed is taken to have had no answer:
   * too little to create topics in.
   */
  private static final long NO_TIME_LEFT_MS = 100;

  private TopicAdmin() {}

  /**
   * Creates the topics of {@code specs} that do not exist yet; a topic created meanwhile by another
   * process ({@link TopicExistsException}) counts as existing. A spec with {@link
   * TopicSpec#CLUSTER_REPLICATION_FACTOR} gets min(3, number of brokers) replicas.
   *
   * @param admin the admin client; not closed here
   * @param specs the topics wanted; never null
   * @param timeout the whole operation's deadline; positive
   * @return the names of the topics this call created, in the order of {@code specs}; empty when
   *     all existed. On return, the brokers serve every created topic (each partition has a leader)
   * @throws KafkaSetupException when the cluster does not answer within {@code timeout}, or a topic
   *     cannot be created (e.g. not authorised, invalid config); the message names the topic
   */
  public static List<String> ensureTopics(Admin admin, List<TopicSpec> specs, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    ListTopicsOptions listOptions = new ListTopicsOptions().timeoutMs(remainingMs(deadline));
    Set<String> existing =
        await(admin.listTopics(listOptions).names(), deadline, timeout, "list topics");
    List<TopicSpec> missing =
        specs.stream().filter(spec -> !existing.contains(spec.name())).toList();
    if (missing.isEmpty()) {
      return List.of();
    }
    DescribeClusterOptions clusterOptions =
        new DescribeClusterOptions().timeoutMs(remainingMs(deadline));
    Collection<Node> nodes =
        await(
            admin.describeCluster(clusterOptions).nodes(),
            deadline,
            timeout,
            "describe the cluster");
    short defaultReplicationFactor =
        (short) Math.max(1, Math.min(MAX_DEFAULT_REPLICATION_FACTOR, nodes.size()));
    OptionalLong brokerLimit = brokerMessageMaxBytes(admin, missing, nodes, deadline, timeout);
    Map<String, Map<String, String>> creationConfigs = new HashMap<>();
    List<NewTopic> newTopics = new ArrayList<>();
    for (TopicSpec spec : missing) {
      short replicationFactor =
          spec.replicationFactor() == TopicSpec.CLUSTER_REPLICATION_FACTOR
              ? defaultReplicationFactor
              : spec.replicationFactor();
      Map<String, String> configs = creationConfigs(spec, brokerLimit);
      creationConfigs.put(spec.name(), configs);
      newTopics.add(
          new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(configs));
    }
    CreateTopicsOptions createOptions = new CreateTopicsOptions().timeoutMs(remainingMs(deadline));
    Map<String, KafkaFuture<Void>> results = new HashMap<>();
    for (List<NewTopic> request : createRequests(newTopics)) {
      results.putAll(admin.createTopics(request, createOptions).values());
    }
    List<String> created = new ArrayList<>();
    for (TopicSpec spec : missing) {
      try {
        await(results.get(spec.name()), deadline, timeout, "create topic " + spec.name());
        created.add(spec.name());
        LOG.info(
            "Created topic {} ({} partitions, configs {})",
            spec.name(),
            spec.partitions(),
            creationConfigs.get(spec.name()));
      } catch (KafkaSetupException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
        LOG.debug("Topic {} was created meanwhile by another process", spec.name());
      }
    }
    awaitVisible(admin, created, deadline, timeout);
    return List.copyOf(created);
  }

  /**
   * The most partitions Kafka's KRaft controller creates in one CreateTopics request: a request for
   * more is refused whole ({@code Excessively large number of partitions per request.}).
   */
  public static final int MAX_PARTITIONS_PER_REQUEST = 10_000;

  /**
   * Splits topics to create into CreateTopics requests of at most {@link
   * #MAX_PARTITIONS_PER_REQUEST} partitions each, in order: usually one request for all (six topics
   * of 6 partitions), several when {@code --partitions} is large.
   *
   * @param topics the topics to create, each of at most {@link #MAX_PARTITIONS_PER_REQUEST}
   *     partitions; never null
   * @return the requests, none empty, together holding {@code topics} in their order
   */
  static List<List<NewTopic>> createRequests(List<NewTopic> topics) {
    List<List<NewTopic>> requests = new ArrayList<>();
    List<NewTopic> request = new ArrayList<>();
    long partitions = 0;
    for (NewTopic topic : topics) {
      if (!request.isEmpty() && partitions + topic.numPartitions() > MAX_PARTITIONS_PER_REQUEST) {
        requests.add(request);
        request = new ArrayList<>();
        partitions = 0;
      }
      request.add(topic);
      partitions += topic.numPartitions();
    }
    if (!request.isEmpty()) {
      requests.add(request);
    }
    return requests;
  }

  /**
   * Waits until the brokers serve the created topics: every partition has a leader in the metadata,
   * and that leader answers for it. In KRaft a creation completes when the controller has committed
   * it, a moment before the brokers serve the topic (a describe or a Streams start right after
   * would fail with an unknown topic). A broker also publishes a new partition in its metadata a
   * moment before its replica manager hosts it: an idempotent producer writing at once may have its
   * first request refused (NOT_LEADER_OR_FOLLOWER) and its second, to the still empty partition,
   * accepted, after which the first can never be written (KAFKA-15591; a replay into a new topic
   * failed so after its 120 s delivery timeout). So the wait ends only when each partition's leader
   * answers a {@code ListOffsets} (served by the replica manager, not the metadata cache).
   */
  private static void awaitVisible(
      Admin admin, List<String> names, long deadline, Duration timeout) {
    while (!names.isEmpty()) {
      try {
        DescribeTopicsOptions options =
            new DescribeTopicsOptions().timeoutMs(remainingMs(deadline));
        Map<String, TopicDescription> descriptions =
            admin
                .describeTopics(names, options)
                .allTopicNames()
                .get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        if (descriptions.values().stream().allMatch(TopicAdmin::hasLeaders)
            && leadersAnswer(admin, descriptions.values(), deadline)) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new KafkaSetupException(
              "could not describe the created topics " + names + ": " + ErrorText.message(e),
              e.getCause());
        }
      } catch (TimeoutException e) {
        throw notVisible(names, timeout, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaSetupException(
            "interrupted while waiting for the created topics " + names, e);
      }
      if (System.nanoTime() - deadline >= 0) {
        throw notVisible(names, timeout, null);
      }
      pause();
    }
  }

  /**
   * @return true when the leader of every partition of {@code topics} answers a {@code ListOffsets}
   *     for it; false when one refuses with a retriable error (e.g. NOT_LEADER_OR_FOLLOWER: it does
   *     not host the partition yet)
   * @throws ExecutionException on another error
   */
  private static boolean leadersAnswer(
      Admin admin, Collection<TopicDescription> topics, long deadline)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    for (TopicDescription topic : topics) {
      topic
          .partitions()
          .forEach(
              p ->
                  partitions.put(
                      new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
    }
    try {
      admin
          .listOffsets(partitions, new ListOffsetsOptions().timeoutMs(remainingMs(deadline)))
          .all()
          .get(remainingMs(deadline), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RetriableException) {
        LOG.debug("Created topics not served by their leaders yet: {}", e.getCause().toString());
        return false;
      }
      throw e;
    }
  }

  private static boolean hasLeaders(TopicDescription description) {
    return description.partitions().stream()
        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
  }

  private static KafkaSetupException notVisible(
      List<String> names, Duration timeout, Exception cause) {
    return new KafkaSetupException(
        String.format(
            Locale.ROOT,
            "created topics %s were not served by the brokers within %d ms",
            names,
            timeout.toMillis()),
        cause);
  }

  private static void pause() {
    try {
      Thread.sleep(VISIBILITY_POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaSetupException("interrupted while waiting for created topics", e);
    }
  }

  /**
   * @param admin the admin client; not closed here
   * @param topic an existing topic
   * @param timeout deadline of the call; positive
   * @return the topic's partition count, at least 1
   * @throws KafkaSetupException when the cluster does not answer within {@code timeout} or the
   *     topic does not exist; the message names the topic
   */
  public static int partitionCount(Admin admin, String topic, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    var options = new DescribeTopicsOptions().timeoutMs(remainingMs(deadline));
    return await(
            admin.describeTopics(List.of(topic), options).allTopicNames(),
            deadline,
            timeout,
            "describe topic " + topic)
        .get(topic)
        .partitions()
        .size();
  }

  /**
   * @param admin the admin client; not closed here
   * @param topics topic names
   * @param timeout deadline of the whole call; positive
   * @return partition count of each of {@code topics} that exists, in the order of {@code topics};
   *     topics that do not exist are absent
   * @throws KafkaSetupException when the cluster does not answer within {@code timeout}
   */
  public static Map<String, Integer> partitionCounts(
      Admin admin, List<String> topics, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> existing = topicNames(admin, deadline, timeout);
    List<String> present = topics.stream().filter(existing::contains).toList();
    Map<String, Integer> counts = new LinkedHashMap<>();
    if (!present.isEmpty()) {
      var options = new DescribeTopicsOptions().timeoutMs(remainingMs(deadline));
      var described =
          await(
              admin.describeTopics(present, options).allTopicNames(),
              deadline,
              timeout,
              "describe topics " + present);
      present.forEach(name -> counts.put(name, described.get(name).partitions().size()));
    }
    return counts;
  }

  /**
   * @param admin the admin client; not closed here
   * @param timeout deadline of the call; positive
   * @return the names of the cluster's topics, internal ones ({@code __consumer_offsets}, ...)
   *     excepted
   * @throws KafkaSetupException when the cluster does not answer within {@code timeout}
   */
  public static Set<String> topicNames(Admin admin, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    return topicNames(admin, System.nanoTime() + timeout.toNanos(), timeout);
  }

  private static Set<String> topicNames(Admin admin, long deadline, Duration timeout) {
    return await(
        admin
            .listTopics(
                new ListTopicsOptions().listInternal(false).timeoutMs(remainingMs(deadline)))
            .names(),
        deadline,
        timeout,
        "list topics");
  }

  /**
   * How the cluster's topics compare with {@code specs} ({@link #compare}).
   *
   * @param missing the names of the topics of the specs that do not exist, in spec order
   * @param mismatches how the existing ones differ from their specs ({@link TopicSpec#mismatches}),
   *     in spec order
   * @param undersized the existing ones whose {@code max.message.bytes} is below what the largest
   *     records wire-ingest writes to them need ({@link TopicSpec#undersized}), in spec order
   * @param configsUnchecked null when the configs were compared; else why they were not (e.g. not
   *     authorised to describe topic configs): then only the partition counts were
   */
  public record Comparison(
      List<String> missing,
      List<TopicSpec.Mismatch> mismatches,
      List<TopicSpec.Undersized> undersized,
      String configsUnchecked) {
    public Comparison {
      missing = List.copyOf(missing);
      mismatches = List.copyOf(mismatches);
      undersized = List.copyOf(undersized);
    }
  }

  /**
   * Compares the topics of {@code specs} on the cluster with the specs: which are missing, how the
   * existing ones differ where it breaks the pipeline ({@link TopicSpec#mismatches}: partition
   * count, {@code cleanup.policy}), and which have a {@code max.message.bytes} below the largest
   * records wire-ingest writes to them ({@link TopicSpec#undersized}). Three requests whatever the
   * number of topics (list, describe, describe configs), all within {@code timeout}. A cluster that
   * refuses to describe the configs (no {@code DescribeConfigs} ACL) still has its partition counts
   * compared.
   *
   * @param admin the admin client; not closed here
   * @param specs the topics wanted; never null
   * @param timeout deadline of the whole call; positive
   * @return the comparison
   * @throws KafkaSetupException when the cluster does not answer within {@code timeout} or refuses
   *     to list or describe the topics; the message says which
   */
  public static Comparison compare(Admin admin, List<TopicSpec> specs, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> existing = topicNames(admin, deadline, timeout);
    List<String> missing = new ArrayList<>();
    List<String> present = new ArrayList<>();
    for (TopicSpec spec : specs) {
      (existing.contains(spec.name()) ? present : missing).add(spec.name());
    }
    if (present.isEmpty()) {
      return new Comparison(missing, List.of(), List.of(), null);
    }
    Map<String, TopicDescription> described = describeTopics(admin, present, deadline, timeout);
    Map<String, Map<String, String>> configs = Map.of();
    String configsUnchecked = null;
    try {
      configs =
          configValues(
              admin,
              present,
              Set.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
              deadline,
              timeout);
    } catch (KafkaSetupException e) {
      if (!(e.getCause() instanceof AuthorizationException)) {
        throw e;
      }
      configsUnchecked = ErrorText.message(e);
    }
    List<TopicSpec.Mismatch> mismatches = new ArrayList<>();
    List<TopicSpec.Undersized> undersized = new ArrayList<>();
    for (TopicSpec spec : specs) {
      TopicDescription d = described.get(spec.name());
      if (d != null) {
        Map<String, String> actual = configs.getOrDefault(spec.name(), Map.of());
        mismatches.addAll(spec.mismatches(d.partitions().size(), actual));
        spec.undersized(actual).ifPresent(undersized::add);
      }
    }
    return new Comparison(missing, mismatches, undersized, configsUnchecked);
  }

  /**
   * What one existing topic looks like on the cluster.
   *
   * @param name the topic name
   * @param partitions its partition count
   * @param replicationFactor replicas of its first partition
   * @param configs the values of the configs asked for, as the cluster reports them (its defaults
   *     included); a config the cluster does not report is absent
   * @param offsets the sum over its partitions of the latest offset minus the earliest retained one
   *     (transaction markers and aborted records count too)
   */
  public record TopicStatus(
      String name,
      int partitions,
      int replicationFactor,
      Map<String, String> configs,
      long offsets) {}

  /**
   * Describes topics: partitions, replication, the given configs and offsets, in a few requests
   * (list, describe, describe configs, two list-offsets) whatever their number.
   *
   * @param admin the admin client; not closed here
   * @param topics topic names
   * @param configNames topic-level config names to report (e.g. {@code retention.ms})
   * @param timeout deadline of the whole call; positive
   * @return the status of each of {@code topics} that exists, in the order of {@code topics};
   *     topics that do not exist are absent
   * @throws KafkaSetupException when the cluster does not answer within {@code timeout} or refuses
   *     a request (e.g. not authorised); the message says which
   */
  public static Map<String, TopicStatus> describe(
      Admin admin, List<String> topics, Set<String> configNames, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> existing = topicNames(admin, deadline, timeout);
    List<String> present = topics.stream().filter(existing::contains).toList();
    Map<String, TopicStatus> statuses = new LinkedHashMap<>();
    if (present.isEmpty()) {
      return statuses;
    }
    Map<String, TopicDescription> described = describeTopics(admin, present, deadline, timeout);
    Map<String, Map<String, String>> configs =
        configValues(admin, present, configNames, deadline, timeout);
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (String topic : present) {
      for (var partition : described.get(topic).partitions()) {
        earliest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.earliest());
        latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
      }
    }
    var options = new ListOffsetsOptions().timeoutMs(remainingMs(deadline));
    var first =
        await(admin.listOffsets(earliest, options).all(), deadline, timeout, "list offsets");
    var last = await(admin.listOffsets(latest, options).all(), deadline, timeout, "list offsets");
    for (String topic : present) {
      TopicDescription d = described.get(topic);
      long offsets = 0;
      for (var partition : d.partitions()) {
        TopicPartition tp = new TopicPartition(topic, partition.partition());
        offsets += last.get(tp).offset() - first.get(tp).offset();
      }
      statuses.put(
          topic,
          new TopicStatus(
              topic,
              d.partitions().size(),
              d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size(),
              configs.getOrDefault(topic, Map.of()),
              offsets));
    }
    return statuses;
  }

  /** One describe request for all of {@code topics} (which exist). */
  private static Map<String, TopicDescription> describeTopics(
      Admin admin, List<String> topics, long deadline, Duration timeout) {
    return await(
        admin
            .describeTopics(topics, new DescribeTopicsOptions().timeoutMs(remainingMs(deadline)))
            .allTopicNames(),
        deadline,
        timeout,
        "describe topics " + topics);
  }

  /**
   * One describe-configs request for all of {@code topics} (which exist).
   *
   * @return per topic, the values of {@code configNames} the cluster reports (its defaults
   *     included); none asked when {@code configNames} is empty
   */
  private static Map<String, Map<String, String>> configValues(
      Admin admin, List<String> topics, Set<String> configNames, long deadline, Duration timeout) {
    if (configNames.isEmpty()) {
      return Map.of();
    }
    List<ConfigResource> resources =
        topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> configs =
        await(
            admin
                .describeConfigs(
                    resources, new DescribeConfigsOptions().timeoutMs(remainingMs(deadline)))
                .all(),
            deadline,
            timeout,
            "describe the configs of topics " + topics);
    Map<String, Map<String, String>> out = new HashMap<>();
    for (String topic : topics) {
      Map<String, String> values = new TreeMap<>();
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic));
      for (String name : configNames) {
        var entry = config == null ? null : config.get(name);
        if (entry != null && entry.value() != null) {
          values.put(name, entry.value());
        }
      }
      out.put(topic, Map.copyOf(values));
    }
    return out;
  }

  /**
   * How many offsets a topic holds: the sum over its partitions of the latest offset minus the
   * earliest retained one. Zero for a topic never written to; transaction markers and aborted
   * records count too, so a positive count means "written to", not "has committed records".
   *
   * @param admin the admin client; not closed here
   * @param topic a topic name
   * @param timeout deadline of the whole call; positive
   * @return the count; empty when the topic does not exist
   * @throws KafkaSetupException when the cluster does not answer within {@code timeout}
   */
  public static OptionalLong offsetCount(Admin admin, String topic, Duration timeout) {
    TopicStatus status = describe(admin, List.of(topic), Set.of(), timeout).get(topic);
    return status == null ? OptionalLong.empty() : OptionalLong.of(status.offsets());
  }

  /**
   * The configs a missing topic is created with: its spec's, plus a {@code max.message.bytes} of
   * its {@link TopicSpec#largestRecord} when the brokers' default ({@code message.max.bytes}) is
   * below it and the spec sets none, so that a topic wire-ingest creates on such a cluster takes
   * the records it writes there. On a cluster whose default is large enough (Kafka's is 1,048,588
   * bytes) the topic keeps the default, as before.
   *
   * @param brokerLimit the brokers' {@code message.max.bytes} in bytes; empty when not known
   */
  static Map<String, String> creationConfigs(TopicSpec spec, OptionalLong brokerLimit) {
    OptionalInt needed = neededMaxMessageBytes(spec.largestRecord(), brokerLimit);
    if (needed.isEmpty() || spec.configs().containsKey(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)) {
      return spec.configs();
    }
    Map<String, String> configs = new TreeMap<>(spec.configs());
    configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(needed.getAsInt()));
    return configs;
  }

  /**
   * The {@code max.message.bytes} a topic made now must be given for its largest records: their
   * size, when the brokers' default ({@code message.max.bytes}) is below it. The rule of the topics
   * wire-ingest creates ({@link #ensureTopics}) and of the normalizer's internal topics, which
   * Kafka Streams creates.
   *
   * @param largest the largest records written to the topic; null when they are small enough for
   *     any limit
   * @param brokerLimit the brokers' {@code message.max.bytes} in bytes ({@link
   *     #brokerMessageMaxBytes}); empty when not known
   * @return {@link TopicSpec.LargestRecord#bytes}, in bytes; empty when the default takes the
   *     records, when {@code largest} is null, or when the default is not known
   */
  public static OptionalInt neededMaxMessageBytes(
      TopicSpec.LargestRecord largest, OptionalLong brokerLimit) {
    if (largest == null || brokerLimit.isEmpty() || brokerLimit.getAsLong() >= largest.bytes()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(largest.bytes());
  }

  /**
   * The {@code max.message.bytes} of those of {@code topics} that exist, in one {@link #describe}:
   * what the normalizer and {@code replay} fit the records they write to. A cluster that does not
   * answer in time or refuses (no {@code DescribeConfigs} ACL) leaves every limit unknown (logged
   * at DEBUG).
   *
   * @param admin the admin client; not closed here
   * @param topics topic names
   * @param timeout deadline of the whole call; positive
   * @return bytes by topic name; a topic that does not exist, or reports no whole number, is
   *     absent; empty when the cluster did not answer; never null
   */
  public static Map<String, Long> maxMessageBytes(
      Admin admin, List<String> topics, Duration timeout) {
    Map<String, Long> limits = new HashMap<>();
    try {
      describe(admin, topics, Set.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), timeout)
          .forEach(
              (name, status) -> {
                String value = status.configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                try {
                  if (value != null) {
                    limits.put(name, Long.parseLong(value.strip()));
                  }
                } catch (NumberFormatException e) {
                  // no number: unknown
                }
              });
    } catch (KafkaSetupException e) {
      LOG.debug("The max.message.bytes of {} are not known: {}", topics, e.getMessage());
    }
    return limits;
  }

  /**
   * The {@code message.max.bytes} of one broker of the cluster: the default {@code
   * max.message.bytes} of the topics created without one, Kafka Streams' internal topics among
   * them. One describe-cluster and one describe-configs request, within {@code timeout}. A cluster
   * that refuses to describe broker configs (no {@code DescribeConfigs} ACL on the cluster), does
   * not answer in time or gives no number leaves it unknown (logged at DEBUG).
   *
   * @param admin the admin client; not closed here
   * @param timeout deadline of both requests; positive
   * @return the limit in bytes; empty when not known
   */
  public static OptionalLong brokerMessageMaxBytes(Admin admin, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      Collection<Node> nodes =
          await(
              admin
                  .describeCluster(new DescribeClusterOptions().timeoutMs(remainingMs(deadline)))
                  .nodes(),
              deadline,
              timeout,
              "describe the cluster");
      return brokerMessageMaxBytes(admin, nodes, deadline, timeout);
    } catch (KafkaSetupException e) {
      LOG.debug("The broker's {} is not known: {}", MESSAGE_MAX_BYTES, ErrorText.message(e));
      return OptionalLong.empty();
    }
  }

  /**
   * The {@code message.max.bytes} of one broker of the cluster (the default {@code
   * max.message.bytes} of the topics it creates), asked only when a missing topic has a largest
   * record size ({@link TopicSpec#largestRecord}) and sets no {@code max.message.bytes} of its own.
   * A cluster that refuses to describe broker configs (no {@code DescribeConfigs} ACL on the
   * cluster) or gives no number leaves it unknown: the topics are then created with the default,
   * and readiness says if it is too small.
   *
   * @return the limit in bytes; empty when not needed or not known
   * @throws KafkaSetupException when the cluster gives no answer before {@code deadline}: no time
   *     is left to create the topics, and the message names the describe that was waited for
   */
  private static OptionalLong brokerMessageMaxBytes(
      Admin admin,
      List<TopicSpec> missing,
      Collection<Node> nodes,
      long deadline,
      Duration timeout) {
    boolean checked =
        missing.stream()
            .anyMatch(
                spec ->
                    spec.largestRecord() != null
                        && !spec.configs().containsKey(TopicConfig.MAX_MESSAGE_BYTES_CONFIG));
    if (!checked) {
      return OptionalLong.empty();
    }
    try {
      return brokerMessageMaxBytes(admin, nodes, deadline, timeout);
    } catch (KafkaSetupException unanswered) {
      throw new KafkaSetupException(
          unanswered.getMessage()
              + "; no time was left to create "
              + missing.stream().map(TopicSpec::name).collect(Collectors.joining(", ")),
          unanswered);
    }
  }

  /**
   * The {@code message.max.bytes} of the first of {@code nodes}; empty when not known.
   *
   * @throws KafkaSetupException when the cluster gives no answer before {@code deadline} (a refusal
   *     or an error before it leaves the limit unknown instead)
   */
  private static OptionalLong brokerMessageMaxBytes(
      Admin admin, Collection<Node> nodes, long deadline, Duration timeout) {
    if (nodes.isEmpty()) {
      return OptionalLong.empty();
    }
    ConfigResource broker =
        new ConfigResource(ConfigResource.Type.BROKER, nodes.iterator().next().idString());
    try {
      Config config =
          await(
                  admin
                      .describeConfigs(
                          List.of(broker),
                          new DescribeConfigsOptions().timeoutMs(remainingMs(deadline)))
                      .all(),
                  deadline,
                  timeout,
                  "describe the configs of broker "
                      + broker.name()
                      + " (its "
                      + MESSAGE_MAX_BYTES
                      + ", the default size of the topics it creates)")
              .get(broker);
      ConfigEntry entry = config == null ? null : config.get(MESSAGE_MAX_BYTES);
      if (entry != null && entry.value() != null) {
        return OptionalLong.of(Long.parseLong(entry.value().strip()));
      }
    } catch (KafkaSetupException | NumberFormatException e) {
      // Unanswered: the admin client's own timeout (set to the deadline) may end the call a moment
      // before the deadline itself, and whatever follows would fail for want of time all the same.
      if (e instanceof KafkaSetupException
          && deadline - System.nanoTime() < TimeUnit.MILLISECONDS.toNanos(NO_TIME_LEFT_MS)) {
        throw (KafkaSetupException) e;
      }
      LOG.debug(
          "Not creating topics with their max.message.bytes: the broker's {} is not known: {}",
          MESSAGE_MAX_BYTES,
          ErrorText.message(e));
    }
    return OptionalLong.empty();
  }

  private static <T> T await(KafkaFuture<T> future, long deadline, Duration timeout, String what) {
    try {
      return future.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new KafkaSetupException("could not " + what + ": " + ErrorText.message(cause), cause);
    } catch (TimeoutException e) {
      throw new KafkaSetupException(
          String.format(
              Locale.ROOT,
              "could not %s: Kafka did not answer within %d ms",
              what,
              timeout.toMillis()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaSetupException("interrupted while trying to " + what, e);
    }
  }

  /** Milliseconds left before {@code deadline} (at least 1, so an expired deadline fails fast). */
  private static int remainingMs(long deadline) {
    long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    return (int) Math.max(1, Math.min(remaining, Integer.MAX_VALUE));
  }
}
