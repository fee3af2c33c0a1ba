package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wireingest.kafka.EmbeddedBroker;
import org.wireingest.testing.KafkaBrokerExtension;
import picocli.CommandLine;

/** {@code wire-ingest tail} against a real broker. */
@Tag("integration")
class TailCommandTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  // Found in session 17: Ctrl-C on a following tail killed the JVM without closing its consumer or
  // stopping its embedded broker (whose next start then recovered its logs). The shutdown hook now
  // asks the command to stop, as this test does.
  @Test
  void shouldStopFollowingAndCloseWhenAskedFromAnotherThread() throws Exception {
    String topic = "tail.stop";
    topicWithRecords(KAFKA.clientProperties(), topic, 2, 3);
    CommandLine cli = WireIngest.commandLine();
    TailCommand tail = cli.getSubcommands().get("tail").getCommand();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));

    CompletableFuture<Integer> exit =
        inBackground(
            cli,
            "--topic",
            topic,
            "--from-beginning",
            "--bootstrap-servers",
            KAFKA.bootstrapServers());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (out.toString().lines().count() < 3 && System.nanoTime() < deadline && !exit.isDone()) {
      Thread.sleep(50);
    }
    assertThat(out.toString().lines()).hasSize(3);
    assertThat(exit).as("follows: no --max, no --timeout").isNotDone();

    tail.requestStop();

    assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString().lines())
        .hasSize(3)
        .allSatisfy(line -> assertThat(line).contains("\"topic\":\"" + topic + "\""));
  }

  // Found in a replay test: `wire-ingest tail --topic T --from-beginning | head -2` never ended.
  // The JVM does not die of SIGPIPE and a PrintWriter swallows the broken pipe's IOException, so
  // tail followed the topic for ever after head had exited, and the shell's pipeline with it.
  @Test
  void shouldStopFollowingOnceItsOutputIsClosed() throws Exception {
    String topic = "tail.closed-output";
    topicWithRecords(KAFKA.clientProperties(), topic, 2, 5);
    CommandLine cli = WireIngest.commandLine();
    TailCommand tail = cli.getSubcommands().get("tail").getCommand();
    OutputStream closedPipe =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
          }
        };
    cli.setOut(new PrintWriter(new OutputStreamWriter(closedPipe, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new StringWriter(), true));

    CompletableFuture<Integer> exit =
        inBackground(
            cli,
            "--topic",
            topic,
            "--from-beginning",
            "--bootstrap-servers",
            KAFKA.bootstrapServers());
    try {
      assertThat(exit.get(30, TimeUnit.SECONDS)).as("no --max, no --timeout").isZero();
    } finally {
      if (!exit.isDone()) {
        tail.requestStop();
        exit.get(10, TimeUnit.SECONDS);
      }
    }
  }

  // Found in a CLI review: a mistyped --topic said "topic 'x' does not exist on HOST", naming
  // neither
  // the option nor a topic to read instead, where replay's --raw-topic names both.
  @Test
  void shouldNameTheOptionTheClusterAndItsTopicsOfAMissingTopic() throws Exception {
    List<NewTopic> created =
        IntStream.rangeClosed(1, 6)
            .mapToObj(i -> new NewTopic("tail.missing." + i, 1, (short) 1))
            .toList();
    KAFKA.admin().createTopics(created).all().get(30, TimeUnit.SECONDS);
    List<String> topics =
        KAFKA.admin().listTopics().names().get(30, TimeUnit.SECONDS).stream().sorted().toList();
    CliRun r =
        CliRun.execute(
            "tail",
            "--topic",
            "tail.misssing",
            "--timeout",
            "1s",
            "--bootstrap-servers",
            KAFKA.bootstrapServers());

    assertThat(topics).hasSizeGreaterThan(5);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines())
        .singleElement()
        .isEqualTo(
            "wire-ingest: --topic: topic 'tail.misssing' does not exist on "
                + KAFKA.bootstrapServers()
                + " (its topics: "
                + String.join(", ", topics.subList(0, 5))
                + " and "
                + (topics.size() - 5)
                + " more)");
    assertThat(r.out()).isEmpty();
  }

  // From the replay test (session 28): with the broker gone, a poll returns nothing, as for a
  // quiet topic, and tail --timeout exited 0: a script read "no new events" for "Kafka is down".
  @Test
  void shouldFailAtItsTimeoutWhenNoBrokerAnswersAnyMore(@TempDir Path dir) throws Exception {
    EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("data"));
    String topic = "tail.gone";
    topicWithRecords(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), topic, 1, 1);
    CommandLine cli = WireIngest.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> exit =
        inBackground(
            cli,
            "--topic",
            topic,
            "--from-beginning",
            // counted from tail's start, so the record must come within it, from a broker started
            // just before: 10 s leaves a loaded machine room (with 3 s, a first fetch held back
            // 3.5 s ended tail as quiet before the record); only the test's end comes later
            "--timeout",
            "10s",
            "--bootstrap-servers",
            broker.bootstrapServers());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (out.toString().isEmpty() && System.nanoTime() < deadline && !exit.isDone()) {
      Thread.sleep(50);
    }
    assertThat(out.toString().lines()).as("the record, read while the broker ran").hasSize(1);

    broker.close();

    assertThat(exit.get(60, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(err.toString())
        .contains("no record for 10s, and no Kafka broker answered at " + broker.bootstrapServers())
        .contains("the topic is not known to be quiet");
  }

  /**
   * {@code tail} (and the other commands that read the topics a run wrote) on a data dir another
   * process's embedded broker holds said {@code cannot start: data dir ... is in use}, as if it
   * started something: what it cannot do is read that data dir.
   */
  @ParameterizedTest
  @ValueSource(strings = {"tail --topic wire.articles.v1", "topics"})
  void shouldSayItCannotReadADataDirAnotherProcessHolds(String command, @TempDir Path dir) {
    Path data = dir.resolve("data");
    List<String> line = new ArrayList<>(List.of(command.split(" ")));
    line.addAll(List.of("--data-dir", data.toString()));
    CliRun r;
    try (EmbeddedBroker running = EmbeddedBroker.start(data)) {
      r = CliRun.execute(line);
    }

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip())
        .startsWith("wire-ingest: cannot read the data dir: data dir ")
        .contains("is in use by another wire-ingest process");
  }

  /**
   * Creates {@code topic} with {@code partitions} and writes {@code records} JSON records to it.
   */
  private static void topicWithRecords(
      Map<String, Object> clientProperties, String topic, int partitions, int records)
      throws Exception {
    try (Admin admin = Admin.create(clientProperties)) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(clientProperties, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < records; i++) {
        producer
            .send(new ProducerRecord<>(topic, "k" + i, "{\"n\":" + i + "}"))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** {@code wire-ingest tail ARGS} on another thread; its exit status. */
  private static CompletableFuture<Integer> inBackground(CommandLine cli, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "tail";
    System.arraycopy(args, 0, command, 1, args.length);
    return CompletableFuture.supplyAsync(() -> cli.execute(command));
  }
}
