package org.wireingest.testing;

import java.util.Locale;
import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Apache Kafka's own image in a Docker container, through Testcontainers. */
final class ContainerTestBroker implements TestBroker {

  /** The image: the same Kafka version as the clients. */
  static final String IMAGE = "apache/kafka:" + AppInfoParser.getVersion();

  private final KafkaContainer container;

  private ContainerTestBroker(KafkaContainer container) {
    this.container = container;
  }

  static ContainerTestBroker start() {
    KafkaContainer container = new KafkaContainer(DockerImageName.parse(IMAGE));
    // The image reads broker settings from KAFKA_<NAME> variables, dots as underscores.
    SETTINGS.forEach(
        (name, value) ->
            container.withEnv("KAFKA_" + name.toUpperCase(Locale.ROOT).replace('.', '_'), value));
    try {
      container.start();
    } catch (RuntimeException e) {
      container.close();
      throw e;
    }
    return new ContainerTestBroker(container);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public String description() {
    return "Testcontainers " + IMAGE;
  }

  @Override
  public void close() {
    container.close();
  }
}
