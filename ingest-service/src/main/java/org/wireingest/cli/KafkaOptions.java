package org.wireingest.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.wireingest.kafka.KafkaConnection;
import picocli.CommandLine.Option;

/** How every command reaches Kafka: an existing cluster, or the embedded broker under --data-dir. */
final class KafkaOptions {

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description = "Kafka cluster to use. Without it, a single-node broker runs embedded in this process with its data under --data-dir.")
  String bootstrapServers;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "./data",
      description = "Directory for the embedded broker's log and the normalizer's state (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = {"-K", "--kafka"},
      paramLabel = "KEY=VALUE",
      description = "Kafka client property passed to every client, e.g. -K security.protocol=SASL_SSL (a 'kafka.' prefix is accepted and removed). Repeatable. Values are never logged.")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  Map<String, String> clientProperties() {
    Map<String, String> out = new LinkedHashMap<>();
    kafkaProperties.forEach((k, v) -> out.put(k.startsWith("kafka.") ? k.substring("kafka.".length()) : k, v));
    return out;
  }

  /**
   * @throws StartupException (one line, exit 1) when the embedded broker cannot start or the data
   *     dir cannot be used; configuration errors stay {@link org.wireingest.config.ConfigException} (exit 2)
   */
  KafkaConnection connect() {
    try {
      return KafkaConnection.open(bootstrapServers, clientProperties(), dataDir);
    } catch (org.wireingest.config.ConfigException | org.apache.kafka.common.config.ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StartupException("cannot start: " + e.getMessage(), e);
    }
  }
}
