package org.wireingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KafkaConnectionTest {

  private static final Map<String, String> SASL =
      Map.of(
          "security.protocol", "SASL_SSL",
          "sasl.jaas.config",
              "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cret\";");

  @TempDir Path dataDir;

  @Test
  void shouldPassBootstrapServersAndClientPropertiesToEveryClient() {
    try (KafkaConnection connection =
        KafkaConnection.open("kafka-1:9093,kafka-2:9093", SASL, dataDir)) {
      assertThat(connection.bootstrapServers()).isEqualTo("kafka-1:9093,kafka-2:9093");
      assertThat(connection.clientProperties())
          .containsEntry("bootstrap.servers", "kafka-1:9093,kafka-2:9093")
          .contains(entry("security.protocol", "SASL_SSL"))
          .containsKey("sasl.jaas.config");
    }
  }

  @Test
  void shouldNotStartABrokerWhenBootstrapServersAreGiven() {
    try (KafkaConnection connection = KafkaConnection.open("localhost:9092", Map.of(), dataDir)) {
      assertThat(connection.embedded()).isFalse();
      assertThat(connection.where()).isEqualTo("localhost:9092");
    }
    assertThat(dataDir).isEmptyDirectory();
  }

  @Test
  void shouldShowClientPropertyKeysButNeverTheirValues() {
    try (KafkaConnection connection = KafkaConnection.open("localhost:9092", SASL, dataDir)) {
      assertThat(connection.toString()).contains("sasl.jaas.config").doesNotContain("s3cret");
    }
  }

  /**
   * Each client reads the settings it defines: a key only Kafka Streams defines, one only the
   * producer or the consumer defines, one all of them define, and one with a Kafka Streams client
   * prefix are all checked before any client is made.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "max.task.idle.ms | abc | Invalid value abc for configuration max.task.idle.ms: Not a number of type LONG",
        "linger.ms | soon | Invalid value soon for configuration linger.ms: Not a number of type LONG",
        "max.poll.records | 0 | Invalid value 0 for configuration max.poll.records: Value must be at least 1",
        "security.protocol | SSL2 | Invalid value SSL2 for configuration security.protocol: String must be one of",
        "partitioner.class | com.example.NoSuchPartitioner | Invalid value com.example.NoSuchPartitioner for configuration partitioner.class: Class com.example.NoSuchPartitioner could not be found",
        "producer.batch.size | big | Invalid value big for configuration batch.size: Not a number of type INT (given as producer.batch.size)",
        "main.consumer.fetch.max.bytes | -1 | Invalid value -1 for configuration fetch.max.bytes: Value must be at least 0 (given as main.consumer.fetch.max.bytes)",
      })
  void shouldRefuseAClientSettingThatAClientWouldRefuse(String key, String value, String message) {
    Map<String, String> settings = Map.of("client.rack", "rack-1", key, value);

    assertThatThrownBy(() -> KafkaConnection.checkClientProperties(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void shouldAcceptValidClientSettingsAndLeaveUnknownKeysToTheClients() {
    KafkaConnection.checkClientProperties(
        Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cret\";",
            "max.task.idle.ms", "-1",
            "producer.compression.type", "zstd",
            "main.consumer.max.poll.records", "500",
            "no.such.setting", "anything"));
  }

  @Test
  void shouldRejectBootstrapServersSetAsAClientProperty() {
    assertThatThrownBy(
            () ->
                KafkaConnection.open(null, Map.of("bootstrap.servers", "localhost:9092"), dataDir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--bootstrap-servers");
  }

  @Test
  void shouldStartAnEmbeddedBrokerOnTheDataDirWithoutBootstrapServers() throws Exception {
    try (KafkaConnection connection = KafkaConnection.open(null, Map.of(), dataDir)) {
      assertThat(connection.embedded()).isTrue();
      assertThat(connection.admin().describeCluster().nodes().get()).hasSize(1);
      assertThat(dataDir.resolve(EmbeddedBroker.LOG_DIR).resolve("meta.properties")).exists();
    }
  }
}
