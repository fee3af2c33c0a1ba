package org.wireingest.testing;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One combined broker+controller KRaft node in this JVM, from Kafka's own test kit ({@code
 * kafka-test-common-runtime}); its data lives in a temporary directory deleted on close.
 */
final class KraftTestBroker implements TestBroker {

  private final KafkaClusterTestKit cluster;

  private KraftTestBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  static KraftTestBroker start() throws Exception {
    // The kit defaults to the latest *testing* metadata version (unstable features); run what the
    // product's embedded broker and real clusters run.
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
            .build();
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
    SETTINGS.forEach(builder::setConfigProp);
    KafkaClusterTestKit cluster = builder.build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
    return new KraftTestBroker(cluster);
  }

  @Override
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public String description() {
    return "in-JVM KRaft test kit";
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the KRaft test cluster", e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "could not stop the KRaft test cluster: " + e.getMessage(), e);
    }
  }
}
