package org.wireingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir static Path sharedDir;

  private static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedBroker.start(sharedDir.resolve("data"));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void shouldDeliverAProducedRecordToAConsumer() throws Exception {
    String topic = createTopic(broker, "delivery");

    produce(broker, topic, "trtworld-world/guid-1", "{\"title\":\"Hello\"}");

    assertThat(consumeAll(broker, topic, 1))
        .containsExactly("trtworld-world/guid-1={\"title\":\"Hello\"}");
  }

  /**
   * Kafka's default dedupe buffer, 128 MiB allocated on the heap at start-up and kept, took more
   * than a quarter of a 460 MiB poller heap in this JVM before any poll: 32 polls of 19 MB feeds,
   * one at a time, ran out of memory after two to five of them.
   */
  @Test
  void shouldKeepTheLogCleanerDedupeBufferSmall() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
      Config config =
          admin.describeConfigs(List.of(node)).all().get(30, TimeUnit.SECONDS).get(node);

      assertThat(Long.parseLong(config.get("log.cleaner.dedupe.buffer.size").value()))
          .isEqualTo(EmbeddedBroker.LOG_CLEANER_DEDUPE_BUFFER_BYTES)
          .isLessThanOrEqualTo(16L * 1024 * 1024);
    }
  }

  @Test
  void shouldWriteTheBootstrapAddressIntoTheDataDir() throws Exception {
    assertThat(Files.readString(broker.dataDir().resolve(EmbeddedBroker.ADDRESS_FILE)).strip())
        .isEqualTo(broker.bootstrapServers())
        .startsWith("127.0.0.1:");
  }

  @Test
  void shouldRefuseASecondBrokerOnADataDirInUse() {
    assertThatThrownBy(() -> EmbeddedBroker.start(broker.dataDir()))
        .isInstanceOf(KafkaSetupException.class)
        .hasMessageContaining(
            "data dir " + broker.dataDir() + " is in use by another wire-ingest process")
        .hasMessageContaining(broker.dataDir().resolve(EmbeddedBroker.LOCK_FILE).toString())
        .hasMessageContaining("choose another --data-dir")
        // found in a new-user test: the way to tail a running process's topics was only in the
        // README
        .hasMessageEndingWith(
            "; to read or write its topics meanwhile, use --bootstrap-servers "
                + broker.bootstrapServers());
  }

  /**
   * A failed start of {@code run} in an existing data dir removes what it made there, {@code
   * kafka/} included, once no other process uses the data dir: a {@code replay} or {@code tail}
   * whose broker runs on it must count as one.
   */
  @Test
  void shouldHoldTheDataDirsUseLockWhileItRuns() throws Exception {
    DirectoryUseLock other =
        DirectoryUseLock.acquireShared(broker.dataDir().resolve(EmbeddedBroker.USE_LOCK_FILE))
            .orElseThrow();

    assertThat(other.closeExclusively(() -> {})).isFalse();
  }

  @Test
  void shouldNameTheDataDirWhenItIsNotWritable(@TempDir Path dir) throws Exception {
    // Tests run as root here, so permissions cannot make a directory unwritable: a file can.
    Path notADirectory = Files.writeString(dir.resolve("data"), "a file");

    assertThatThrownBy(() -> EmbeddedBroker.start(notADirectory))
        .isInstanceOf(KafkaSetupException.class)
        .hasMessageContaining("data dir " + notADirectory + " is not a writable directory");
  }

  /**
   * A FIFO where the data dir's use lock file goes: the broker started without the use lock (said
   * at DEBUG only); it is refused, naming the path and what to do, before anything is made.
   */
  @Test
  void shouldRefuseADataDirWhoseUseLockFileIsNoRegularFile(@TempDir Path dir) throws Exception {
    Path useLock = dir.toRealPath().resolve(EmbeddedBroker.USE_LOCK_FILE);
    assertThat(new ProcessBuilder("mkfifo", useLock.toString()).start().waitFor()).isZero();

    assertThatThrownBy(() -> EmbeddedBroker.start(dir))
        .isInstanceOf(KafkaSetupException.class)
        .hasMessageStartingWith(useLock + " is no regular file")
        .hasMessageEndingWith("; remove it and start again");
    assertThat(dir.resolve(EmbeddedBroker.LOG_DIR)).doesNotExist();
  }

  @Test
  void shouldRefuseADataDirWhoseLockFileIsASymbolicLink(@TempDir Path dir) throws Exception {
    Path elsewhere = Files.writeString(dir.resolve("notes.txt"), "keep me\n");
    Path lockFile = dir.toRealPath().resolve(EmbeddedBroker.LOCK_FILE);
    Files.createSymbolicLink(lockFile, elsewhere);

    assertThatThrownBy(() -> EmbeddedBroker.start(dir))
        .isInstanceOf(KafkaSetupException.class)
        .hasMessageStartingWith(lockFile + " is a symbolic link to " + elsewhere)
        .hasMessageEndingWith("; remove it and start again");
    assertThat(elsewhere).hasContent("keep me");
    assertThat(dir.resolve(EmbeddedBroker.LOG_DIR)).doesNotExist();
  }

  @Test
  void shouldKeepTopicsAndRecordsWhenRestartedOnTheSameDataDir(@TempDir Path dir) throws Exception {
    String topic;
    try (EmbeddedBroker first = EmbeddedBroker.start(dir)) {
      topic = createTopic(first, "restart");
      produce(first, topic, "dw-all/guid-7", "kept");
    }

    try (EmbeddedBroker second = EmbeddedBroker.start(dir);
        Admin admin = Admin.create(Map.of("bootstrap.servers", second.bootstrapServers()))) {
      assertThat(admin.listTopics().names().get()).contains(topic);
      assertThat(consumeAll(second, topic, 1)).containsExactly("dw-all/guid-7=kept");
    }
  }

  @Test
  void shouldReleaseTheDataDirWhenClosed(@TempDir Path dir) {
    EmbeddedBroker.start(dir).close();

    try (EmbeddedBroker again = EmbeddedBroker.start(dir)) {
      assertThat(again.dataDir()).isEqualTo(dir.toAbsolutePath().normalize());
      assertThat(again.dataDir().resolve(EmbeddedBroker.ADDRESS_FILE)).exists();
    }
  }

  /**
   * Found by a newcomer: {@code tail --topic} of a missing topic on an existing data dir printed up
   * to 50 ERRORs with stack traces of the group coordinator, whose loading of __consumer_offsets
   * the broker's own shutdown aborted, before the one line naming the topic.
   */
  @Test
  void shouldLogNoCoordinatorErrorWhenStoppedRightAfterAStartOnADataDirWithConsumerGroups(
      @TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    try (EmbeddedBroker first = EmbeddedBroker.start(data)) {
      String topic = createTopic(first, "grouped");
      produce(first, topic, "k", "v");
      Map<String, Object> props =
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers(),
              ConsumerConfig.GROUP_ID_CONFIG, "some-group",
              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      try (KafkaConsumer<String, String> c =
          new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
        c.subscribe(List.of(topic));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (c.poll(Duration.ofMillis(200)).isEmpty() && System.nanoTime() < deadline) {}
        c.commitSync();
      }
    }
    ch.qos.logback.classic.Logger coordinator =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(
                "org.apache.kafka.coordinator.common.runtime.CoordinatorRuntime");
    ch.qos.logback.classic.Level level = coordinator.getLevel();
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    coordinator.addAppender(logs);
    try {
      for (int i = 0; i < 3; i++) { // the coordinator is not always still loading at the stop
        EmbeddedBroker.start(data).close();
      }
    } finally {
      coordinator.detachAppender(logs);
    }
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
        .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .isEmpty();
    assertThat(coordinator.getLevel()).isEqualTo(level);
  }

  private static String createTopic(EmbeddedBroker target, String name) {
    String topic = "test." + name;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()))) {
      TopicAdmin.ensureTopics(
          admin,
          List.of(new TopicSpec(topic, 1, TopicSpec.CLUSTER_REPLICATION_FACTOR, Map.of())),
          TIMEOUT);
    }
    return topic;
  }

  private static void produce(EmbeddedBroker target, String topic, String key, String value)
      throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            target.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  /** Reads the topic from the start, without a consumer group, until {@code count} records came. */
  private static List<String> consumeAll(EmbeddedBroker target, String topic, int count) {
    Map<String, Object> config =
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers());
    List<String> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
          records.add(record.key() + "=" + record.value());
        }
      }
    }
    return records;
  }
}
