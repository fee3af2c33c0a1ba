package org.wireingest.testing;

import java.util.Map;

/** A running Kafka cluster that tests connect to; closing it stops it and deletes its data. */
interface TestBroker extends AutoCloseable {

  /**
   * Broker settings of every test broker, as in the product's embedded broker: single-replica
   * internal topics, no rebalance delay, 3 partitions by default, no auto-created topics (tests
   * create theirs, e.g. with {@code TopicAdmin.ensureTopics}).
   */
  Map<String, String> SETTINGS =
      Map.of(
          "offsets.topic.replication.factor", "1",
          "transaction.state.log.replication.factor", "1",
          "transaction.state.log.min.isr", "1",
          "group.initial.rebalance.delay.ms", "0",
          "num.partitions", "3",
          "auto.create.topics.enable", "false");

  /**
   * @return {@code host:port[,host:port...]} to reach the broker from this JVM
   */
  String bootstrapServers();

  /**
   * @return what runs the broker, for messages
   */
  String description();

  /** Stops the broker and deletes its data; failures are rethrown unchecked. */
  @Override
  void close();
}
