package org.wireingest.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.wireingest.config.ConfigException;
import org.wireingest.config.Durations;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.Topics;
import picocli.CommandLine.Option;

/** Topic naming and creation options of the commands that create topics. */
final class TopicOptions {

  /**
   * Most {@code --partitions}: what Kafka's KRaft controller creates of one topic in one
   * CreateTopics request ({@link TopicAdmin#MAX_PARTITIONS_PER_REQUEST}; topics together over it
   * are created in several requests). Past it the command would fail only when it creates a topic
   * ({@code replay} after reading its whole range).
   */
  static final int MAX_PARTITIONS = TopicAdmin.MAX_PARTITIONS_PER_REQUEST;

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
              + "): Kafka's controller creates at most 10,000 partitions of a topic in one"
              + " request");
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
