package org.wireingest.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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

  @Test
  void shouldCountTheLagOfAPartitionOfADottedTopicOnce() throws Exception {
    // Regression: with the default prefix "wire." the consumer lag gauge read twice the raw items'
    // lag. Root cause (KIP-1109): a consumer registers records-lag of a partition of "a.b.v1" also
    // under the topic tag "a_b_v1" until Kafka 5.0; this pins what a real consumer reports.
    String topic = "lag.dotted.v1";
    TopicAdmin.ensureTopics(
        KAFKA.admin(), List.of(new TopicSpec(topic, 1, (short) 1, Map.of())), TIMEOUT);
    try (var producer =
        new KafkaProducer<>(
            KAFKA.clientProperties(), new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 20; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, "v"));
      }
    }
    Map<String, Object> props = new HashMap<>(KAFKA.clientProperties());
    props.put("group.id", "lag-dotted");
    props.put("auto.offset.reset", "earliest");
    props.put("max.poll.records", 1);
    props.put("fetch.max.bytes", 1);
    props.put("max.partition.fetch.bytes", 1);
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      int polled = 0;
      while (polled == 0 && System.nanoTime() < deadline) {
        polled = consumer.poll(Duration.ofMillis(200)).count();
      }
      assertThat(polled).isEqualTo(1);

      // one record of 20 read, so 19 behind (the consumer's own figure), counted once
      assertThat(NormalizerApp.consumerLag(consumer.metrics(), Set.of(topic))).isEqualTo(19);
    }
  }
}
