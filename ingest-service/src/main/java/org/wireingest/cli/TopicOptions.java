package org.wireingest.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.wireingest.config.ConfigException;
import org.wireingest.config.Durations;
import org.wireingest.kafka.Topics;
import picocli.CommandLine.Option;

/** Topic naming and creation options of the commands that create topics. */
final class TopicOptions {

  /**
   * Most {@code --partitions}. Kafka's KRaft controller refuses a CreateTopics request of more than
   * 10,000 partitions in all ({@code Excessively large number of partitions per request.}), and
   * {@code run} and {@code topics --create} create their six topics in one request: 6 x 1,000 stays
   * under it. Past that, the command would fail only when it creates a topic ({@code replay} after
   * reading its whole range).
   */
  static final int MAX_PARTITIONS = 1_000;

  @Option(
      names = "--topic-prefix",
      paramLabel = "PREFIX",
      defaultValue = Topics.DEFAULT_PREFIX,
      description =
          "Prefix of every topic name (default: ${DEFAULT-VALUE}, giving wire.raw-items.v1 ...).")
  String topicPrefix;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "6",
      description =
          "Partitions for topics this command creates (existing topics are left alone; default: ${DEFAULT-VALUE}; at most "
              + MAX_PARTITIONS
              + ").")
  int partitions;

  @Option(
      names = "--retention",
      paramLabel = "TOPIC=DURATION",
      description =
          "Retention of a topic this command creates: raw-items (default 90d), articles (365d), fetch-log (30d), dead-letters (30d), story-signatures (7d), e.g. --retention raw-items=180d. Repeatable. Existing topics are left alone.")
  Map<String, String> retention = new LinkedHashMap<>();

  Topics topics() {
    if (partitions < 1) {
      throw new ConfigException("--partitions must be at least 1 (got " + partitions + ")");
    }
    if (partitions > MAX_PARTITIONS) {
      throw new ConfigException(
          "--partitions must be at most "
              + MAX_PARTITIONS
              + " (got "
              + partitions
              + "): Kafka's controller creates at most 10,000 partitions in one request, and"
              + " wire-ingest creates up to six topics in one");
    }
    Topics topics;
    try {
      topics = new Topics(topicPrefix);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--topic-prefix: " + e.getMessage());
    }
    for (Map.Entry<String, String> e : retention.entrySet()) {
      try {
        Duration d = Durations.parse(e.getValue());
        topics = topics.withRetention(e.getKey(), d);
      } catch (IllegalArgumentException bad) {
        throw new ConfigException(
            "--retention " + e.getKey() + "=" + e.getValue() + ": " + bad.getMessage());
      }
    }
    return topics;
  }
}
