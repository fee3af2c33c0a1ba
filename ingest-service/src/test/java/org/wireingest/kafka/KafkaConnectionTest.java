package org.wireingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {

  private static final Map<String, String> SASL =
      Map.of(
          "security.protocol", "SASL_SSL",
          "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cret\";");

  @TempDir Path dataDir;

  @Test
  void shouldPassBootstrapServersAndClientPropertiesToEveryClient() {
    try (KafkaConnection connection = KafkaConnection.open("kafka-1:9093,kafka-2:9093", SASL, dataDir)) {
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
    }
    assertThat(dataDir).isEmptyDirectory();
  }

  @Test
  void shouldShowClientPropertyKeysButNeverTheirValues() {
    try (KafkaConnection connection = KafkaConnection.open("localhost:9092", SASL, dataDir)) {
      assertThat(connection.toString()).contains("sasl.jaas.config").doesNotContain("s3cret");
    }
  }

  @Test
  void shouldRejectBootstrapServersSetAsAClientProperty() {
    assertThatThrownBy(() -> KafkaConnection.open(null, Map.of("bootstrap.servers", "localhost:9092"), dataDir))
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
