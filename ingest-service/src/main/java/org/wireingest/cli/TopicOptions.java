package org.wireingest.cli;

import org.wireingest.config.ConfigException;
import org.wireingest.kafka.Topics;
import picocli.CommandLine.Option;

/** Topic naming and creation options of the commands that create topics. */
final class TopicOptions {

  @Option(
      names = "--topic-prefix",
      paramLabel = "PREFIX",
      defaultValue = Topics.DEFAULT_PREFIX,
      description = "Prefix of every topic name (default: ${DEFAULT-VALUE}, giving wire.raw-items.v1 ...).")
  String topicPrefix;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "3",
      description = "Partitions for topics this command creates (existing topics are left alone; default: ${DEFAULT-VALUE}).")
  int partitions;

  Topics topics() {
    if (partitions < 1) {
      throw new ConfigException("--partitions must be at least 1 (got " + partitions + ")");
    }
    return new Topics(topicPrefix);
  }
}
