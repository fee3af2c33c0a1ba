package org.wireingest.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.kafka.KafkaSetupException;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.TopicSpec;
import org.wireingest.kafka.Topics;
import org.wireingest.testing.KafkaBrokerExtension;

@Tag("integration")
class NormalizerAppTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path stateDir;

  @Test
  void shouldLeaveTheConsumerGroupWhenClosed() throws Exception {
    // Regression: close() did not leave the group, so a restarted normalizer got no partition until
    // the closed one's session timed out (10 s). Root cause KAFKA-16514: Kafka Streams 4.1's
    // close(leaveGroup) removed only static members; 4.2's CloseOptions (KIP-1153) removes a
    // dynamic one.
    Topics topics = new Topics("leave.");
    TopicAdmin.ensureTopics(KAFKA.admin(), topics.all(1), TIMEOUT);
    NormalizerApp app =
        new NormalizerApp(
            KAFKA.clientProperties(),
            "leave-normalizer",
            stateDir,
            topics,
            NormalizerListener.NONE,
            1);
    app.start();
    assertThat(app.awaitRunning(TIMEOUT)).isTrue();

    app.close();

    ConsumerGroupDescription group =
        KAFKA
            .admin()
            .describeConsumerGroups(List.of("leave-normalizer"))
            .describedGroups()
            .get("leave-normalizer")
            .get();
    assertThat(group.members()).isEmpty();
  }

  @Test
  void shouldRefuseInternalTopicsMadeForAnotherRawPartitionCount() {
    TopicAdmin.ensureTopics(
        KAFKA.admin(),
        List.of(
            new TopicSpec(
                "grown-normalizer-" + NormalizerTopology.REPARTITION + "-repartition",
                3,
                TopicSpec.CLUSTER_REPLICATION_FACTOR,
                Map.of()),
            new TopicSpec(
                "grown-normalizer-" + NormalizerTopology.STORE + "-changelog",
                3,
                TopicSpec.CLUSTER_REPLICATION_FACTOR,
                Map.of())),
        TIMEOUT);

    // made for 3 raw partitions: fine with 3, refused with 6 (partitions added to the raw topic)
    NormalizerApp.checkInternalTopics(KAFKA.admin(), "grown-normalizer", 3, TIMEOUT);
    assertThatThrownBy(
            () -> NormalizerApp.checkInternalTopics(KAFKA.admin(), "grown-normalizer", 6, TIMEOUT))
        .isInstanceOf(KafkaSetupException.class)
        .hasMessageContaining(
            "grown-normalizer-raw-items-by-uri-repartition has 3 partitions but the raw-items topic has 6")
        .hasMessageContaining("--application-id");
    // a normalizer that never ran has no internal topics yet
    NormalizerApp.checkInternalTopics(KAFKA.admin(), "fresh-normalizer", 6, TIMEOUT);
  }
}
