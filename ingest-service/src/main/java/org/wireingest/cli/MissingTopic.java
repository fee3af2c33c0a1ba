package org.wireingest.cli;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.wireingest.config.ConfigException;
import org.wireingest.kafka.KafkaConnection;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.Topics;
import org.wireingest.model.ErrorText;

/**
 * The one-line refusal of a topic to read that does not exist, shared by {@code replay}, {@code
 * story} and {@code tail} (exit 2, as the other options' errors: a {@link ConfigException}). The
 * line names the option the topic came from ({@code --raw-topic}, {@code --topic}, or {@code
 * --topic-prefix} for a default name), the cluster asked and the cluster's topics of that kind: a
 * mistyped topic name is the usual cause, a wrong {@code --topic-prefix} or cluster the other.
 *
 * <pre>
 * --raw-topic: topic 'nosuch' does not exist on HOST (its raw-items topics: a, b)
 * raw-items topic 'x.raw-items.v1' does not exist on HOST (its raw-items topics: a; check --topic-prefix, or name one with --raw-topic)
 * fetch-log topic 'x.fetch-log.v1' does not exist on HOST (check --bootstrap-servers and --topic-prefix)
 * --topic: topic 'nosuch' does not exist on HOST (its topics: a, b, c, d, e and 3 more)
 * --topic: topic 'wire.article.v1' does not exist on HOST (its topics: a, b, c, d, e and 7 more; did you mean wire.articles.v1?)
 * </pre>
 *
 * <p>Only five topics are listed: on a cluster with many, the one meant would often be among those
 * left out, so the name closest to the one given ({@link Suggestions#closest}), when it is left
 * out, is offered after them.
 */
final class MissingTopic {

  /**
   * The topics a refusal offers instead of the missing one.
   *
   * @param label what they are, e.g. {@code raw-items}; null for any topic
   * @param member which of the cluster's topics are of this kind
   */
  record Kind(String label, Predicate<String> member) {

    /** Every topic of the cluster (the broker's and Kafka Streams' internal ones excepted). */
    static final Kind ANY = new Kind(null, name -> true);

    /** The topics named {@code *raw-items*}: the live one, those of {@code replay --reparse}. */
    static final Kind RAW_ITEMS = new Kind("raw-items", name -> name.contains(Topics.RAW_ITEMS));

    private String noun() {
      return label == null ? "topic" : label + " topic";
    }
  }

  private static final Duration LIST_TIMEOUT = Duration.ofSeconds(30);

  private final String bootstrapServers;
  private final Set<String> names;

  /**
   * @param bootstrapServers the cluster as the lines name it
   * @param names the cluster's topics
   */
  MissingTopic(String bootstrapServers, Set<String> names) {
    this.bootstrapServers = bootstrapServers;
    this.names = names;
  }

  /**
   * @param conn the connection whose cluster is asked
   * @return the cluster's topics, to check the topics to read against
   * @throws StartupException when the cluster does not list its topics within 30 s (exit 1)
   */
  static MissingTopic list(KafkaConnection conn) {
    try {
      return new MissingTopic(conn.where(), TopicAdmin.topicNames(conn.admin(), LIST_TIMEOUT));
    } catch (RuntimeException e) {
      throw new StartupException(
          "cannot list the topics on " + conn.bootstrapServers() + ": " + ErrorText.message(e), e);
    }
  }

  /**
   * @return true when the cluster has {@code topic}
   */
  boolean exists(String topic) {
    return names.contains(topic);
  }

  /**
   * The refusal of a topic named by an option: {@code --raw-topic: topic 'nosuch' does not exist on
   * HOST (its raw-items topics: a, b)}, or {@code (it has no raw-items topic: check
   * --bootstrap-servers)}.
   *
   * @param option the option that named it, e.g. {@code --raw-topic}
   * @param topic the topic that does not exist
   * @param kind the cluster's topics to name instead
   * @return the exception to throw
   */
  ConfigException named(String option, String topic, Kind kind) {
    Set<String> candidates = candidates(kind);
    String found =
        candidates.isEmpty()
            ? "it has no " + kind.noun() + ": check --bootstrap-servers"
            : "its " + kind.noun() + "s: " + abbreviated(candidates, topic);
    return new ConfigException(option + ": topic" + missing(topic) + found + ")");
  }

  /**
   * The refusal of a topic named by {@code --topic-prefix} (a default name): {@code raw-items topic
   * 'x.raw-items.v1' does not exist on HOST (its raw-items topics: a; check --topic-prefix, or name
   * one with --raw-topic)}, or {@code (it has no raw-items topic: check --bootstrap-servers and
   * --topic-prefix)}.
   *
   * @param kind the topic's kind, whose topics on the cluster are named instead
   * @param topic the topic that does not exist
   * @param instead the option that names another topic to read, e.g. {@code --raw-topic}
   * @return the exception to throw
   */
  ConfigException prefixed(Kind kind, String topic, String instead) {
    Set<String> candidates = candidates(kind);
    String found =
        candidates.isEmpty()
            ? "it has no " + kind.noun() + ": check --bootstrap-servers and --topic-prefix"
            : "its "
                + kind.noun()
                + "s: "
                + abbreviated(candidates, topic)
                + "; check --topic-prefix, or name one with "
                + instead;
    return new ConfigException(kind.noun() + missing(topic) + found + ")");
  }

  /**
   * The refusal of a raw-items topic to read, as {@code replay} and {@code story} give it: {@link
   * #named} for a {@code --raw-topic}, else {@link #prefixed(Kind, String, String)} for the default
   * name of {@code --topic-prefix}.
   *
   * @param topic the raw-items topic that does not exist
   * @param byRawTopic whether {@code --raw-topic} named it
   * @return the exception to throw
   */
  ConfigException rawItems(String topic, boolean byRawTopic) {
    return byRawTopic
        ? named("--raw-topic", topic, Kind.RAW_ITEMS)
        : prefixed(Kind.RAW_ITEMS, topic, "--raw-topic");
  }

  /**
   * The refusal of a topic named by {@code --topic-prefix} (a default name) that no option names
   * otherwise, without other topics to offer: {@code fetch-log topic 'x.fetch-log.v1' does not
   * exist on HOST (check --bootstrap-servers and --topic-prefix)}.
   *
   * @param label what the topic is, e.g. {@code fetch-log}
   * @param topic the topic that does not exist
   * @return the exception to throw
   */
  ConfigException prefixed(String label, String topic) {
    return new ConfigException(
        label + " topic" + missing(topic) + "check --bootstrap-servers and --topic-prefix)");
  }

  private String missing(String topic) {
    return " '" + topic + "' does not exist on " + bootstrapServers + " (";
  }

  /**
   * The cluster's topics of {@code kind}, Kafka Streams' internal topics excepted ({@code
   * <application-id>-…-repartition} and {@code -changelog}, e.g. the normalizer's {@code
   * wire-ingest-normalizer-raw-items-by-uri-repartition}): they hold no records a person means to
   * read here, and their names would crowd out the pipeline's own.
   */
  private Set<String> candidates(Kind kind) {
    return names.stream()
        .filter(name -> !streamsInternal(name))
        .filter(kind.member())
        .collect(Collectors.toSet());
  }

  /**
   * Whether {@code name} is a Kafka Streams internal topic: it ends in {@code -repartition} or
   * {@code -changelog}, as every such topic of an application does.
   *
   * @param name a topic name
   * @return true for such a name
   */
  static boolean streamsInternal(String name) {
    return name.endsWith("-repartition") || name.endsWith("-changelog");
  }

  /**
   * @return the first five names in order, then how many more
   */
  static String abbreviated(Collection<String> names) {
    List<String> sorted = names.stream().sorted().toList();
    return sorted.size() <= 5
        ? String.join(", ", sorted)
        : String.join(", ", sorted.subList(0, 5)) + " and " + (sorted.size() - 5) + " more";
  }

  /**
   * @param names the topics to list; not null
   * @param missing the topic asked for, which is not among them; not null
   * @return the first five names in order, then how many more and, when the name closest to {@code
   *     missing} ({@link Suggestions#closest}: a prefix shared by every topic of an environment
   *     makes the next ones close too, so only the closest) is among those left out, that one
   *     ({@code ... and 7 more; did you mean a?})
   */
  static String abbreviated(Collection<String> names, String missing) {
    List<String> sorted = names.stream().sorted().toList();
    List<String> shown = sorted.subList(0, Math.min(5, sorted.size()));
    return abbreviated(sorted)
        + Suggestions.closest(missing, sorted).stream()
            .findFirst()
            .filter(closest -> !shown.contains(closest))
            .map(closest -> "; did you mean " + closest + "?")
            .orElse("");
  }
}
