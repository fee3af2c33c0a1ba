package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.model.Json;
import org.wireingest.testing.KafkaBrokerExtension;
import picocli.CommandLine;

/** {@code wire-ingest topics} against a real broker (the {@code topics} command of DESIGN.md). */
@Tag("integration")
class TopicsCommandTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private record Run(int exit, String out, String err) {}

  private static Run topics(String... args) {
    CommandLine cli = WireIngest.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 3];
    all[0] = "topics";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--bootstrap-servers";
    all[args.length + 2] = KAFKA.bootstrapServers();
    return new Run(cli.execute(all), out.toString(), err.toString());
  }

  @Test
  void shouldSayEveryTopicIsMissingThenCreateThemAndDescribeThem() {
    Run before = topics("--topic-prefix", "t1.");

    assertThat(before.exit()).isEqualTo(1);
    assertThat(before.out().lines())
        .hasSize(6)
        .allSatisfy(line -> assertThat(line).endsWith("MISSING"))
        .anySatisfy(line -> assertThat(line).startsWith("t1.raw-items.v1 "));
    assertThat(before.err())
        .contains(
            "6 topics are missing on "
                + KAFKA.bootstrapServers()
                + ": run, poll or normalize create them at start, or topics --create");

    Run create = topics("--topic-prefix", "t1.", "--create", "--partitions", "3");

    assertThat(create.exit()).isZero();
    assertThat(create.out().lines())
        .hasSize(6)
        .allSatisfy(
            line -> assertThat(line).contains("created: 3 partitions, 1 replica, 0 offsets"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("t1.raw-items.v1 ")
                    .contains(
                        "cleanup.policy=delete; max.message.bytes=1048588; retention.ms=7776000000 (90d)"))
        .noneSatisfy(line -> assertThat(line).contains("differs"));

    Run again = topics("--topic-prefix", "t1.");
    assertThat(again.exit()).isZero();
    assertThat(again.out()).doesNotContain("created").doesNotContain("MISSING");
  }

  /**
   * Found in a new-user test: with the embedded broker, a missing topic was said missing "on
   * 127.0.0.1:41641", a port gone when the command exits.
   */
  @Test
  void shouldNameTheEmbeddedBrokerByItsDataDir(@TempDir Path dir) {
    String dataDir = dir.resolve("data").toString();
    CommandLine cli = WireIngest.commandLine();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute("topics", "--create", "--data-dir", dataDir)).isZero();

    int exit = cli.execute("topics", "--topic-prefix", "nosuch.", "--data-dir", dataDir);

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .contains(
            "6 topics are missing on the embedded broker of --data-dir "
                + dir.resolve("data").toAbsolutePath());
  }

  @Test
  void shouldCountOffsetsAndMarkAConfigThatDiffersFromWhatWireIngestCreates() throws Exception {
    assertThat(topics("--topic-prefix", "t2.", "--create").exit()).isZero();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            KAFKA.clientProperties(), new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 4; i++) {
        producer
            .send(new ProducerRecord<>("t2.dead-letters.v1", "k" + i, "{}"))
            .get(30, TimeUnit.SECONDS);
      }
    }
    ConfigResource deadLetters =
        new ConfigResource(ConfigResource.Type.TOPIC, "t2.dead-letters.v1");
    KAFKA
        .admin()
        .incrementalAlterConfigs(
            Map.of(
                deadLetters,
                List.of(
                    new AlterConfigOp(
                        new ConfigEntry("retention.ms", "86400000"), AlterConfigOp.OpType.SET))))
        .all()
        .get(30, TimeUnit.SECONDS);

    Run text = topics("--topic-prefix", "t2.");
    Run json = topics("--topic-prefix", "t2.", "--json");

    assertThat(text.exit()).isZero();
    assertThat(text.out().lines())
        .filteredOn(line -> line.startsWith("t2.dead-letters.v1 "))
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("4 offsets")
                    .contains(
                        "retention.ms=86400000 (1d) (differs: wire-ingest creates it with 2592000000 (30d))"));
    JsonNode dead =
        json.out()
            .lines()
            .map(
                line -> {
                  try {
                    return Json.MAPPER.readTree(line);
                  } catch (IOException e) {
                    throw new AssertionError(line, e);
                  }
                })
            .filter(node -> node.get("topic").asText().equals("t2.dead-letters.v1"))
            .findFirst()
            .orElseThrow();
    assertThat(dead.get("exists").asBoolean()).isTrue();
    assertThat(dead.get("offsets").asLong()).isEqualTo(4);
    assertThat(dead.get("configs").get("retention.ms").asText()).isEqualTo("86400000");
    assertThat(dead.get("expectedConfigs").get("retention.ms").asText()).isEqualTo("2592000000");
    assertThat(dead.get("differs").toString()).isEqualTo("[\"retention.ms\"]");
  }

  /**
   * A topic wire-ingest creates with the broker's default {@code max.message.bytes} (articles), set
   * below the 1,000,000-byte events it writes there, was listed unmarked while readiness warned of
   * it.
   */
  @Test
  void shouldMarkAMaxMessageBytesBelowTheLargestRecordsWireIngestWrites() throws Exception {
    assertThat(topics("--topic-prefix", "t5.", "--create").exit()).isZero();
    KAFKA
        .admin()
        .incrementalAlterConfigs(
            Map.of(
                new ConfigResource(ConfigResource.Type.TOPIC, "t5.articles.v1"),
                List.of(
                    new AlterConfigOp(
                        new ConfigEntry("max.message.bytes", "500000"), AlterConfigOp.OpType.SET))))
        .all()
        .get(30, TimeUnit.SECONDS);

    Run text = topics("--topic-prefix", "t5.");
    Run json = topics("--topic-prefix", "t5.", "--json");

    assertThat(text.out().lines())
        .filteredOn(line -> line.startsWith("t5.articles.v1 "))
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains(
                        "max.message.bytes=500000 (differs: below the 1048576 wire-ingest needs for"
                            + " its largest records)"));
    assertThat(json.out().lines())
        .filteredOn(line -> line.contains("\"topic\":\"t5.articles.v1\""))
        .singleElement()
        .satisfies(
            line ->
                assertThat(Json.MAPPER.readTree(line).get("differs").toString())
                    .isEqualTo("[\"max.message.bytes\"]"));
    assertThat(text.out().lines())
        .filteredOn(line -> !line.startsWith("t5.articles.v1 "))
        .noneSatisfy(line -> assertThat(line).contains("differs"));
  }

  /**
   * A feed-state topic lowered to the 2 MiB of before 2026-12 was marked only as "wire-ingest
   * creates it with 16777216", the mark of harmless tuning, while readiness and the start's WARN
   * said its limit was below the feed states wire-ingest writes (found by a README walkthrough).
   */
  @Test
  void shouldSayAMaxMessageBytesWireIngestSetsIsBelowItsLargestRecords() throws Exception {
    assertThat(topics("--topic-prefix", "t9.", "--create").exit()).isZero();
    KAFKA
        .admin()
        .incrementalAlterConfigs(
            Map.of(
                new ConfigResource(ConfigResource.Type.TOPIC, "t9.feed-state.v1"),
                List.of(
                    new AlterConfigOp(
                        new ConfigEntry("max.message.bytes", "2097152"),
                        AlterConfigOp.OpType.SET))))
        .all()
        .get(30, TimeUnit.SECONDS);

    Run text = topics("--topic-prefix", "t9.");

    assertThat(text.out().lines())
        .filteredOn(line -> line.startsWith("t9.feed-state.v1 "))
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains(
                        "max.message.bytes=2097152 (differs: below the 16777216 wire-ingest needs"
                            + " for its largest records)"));
  }

  /**
   * A topic re-created with the broker's num.partitions was listed without a mark, though readiness
   * is down for it: the partition count is compared as readiness compares it.
   */
  @Test
  void shouldMarkAPartitionCountOtherThanTheOneWireIngestCreates() throws Exception {
    assertThat(topics("--topic-prefix", "t3.", "--create", "--partitions", "2").exit()).isZero();

    Run text = topics("--topic-prefix", "t3.", "--partitions", "3");
    Run json = topics("--topic-prefix", "t3.", "--partitions", "3", "--json");

    assertThat(text.out().lines())
        .hasSize(6)
        .allSatisfy(
            line ->
                assertThat(line)
                    .contains("2 partitions (differs: wire-ingest creates it with 3), 1 replica"));
    assertThat(json.out().lines())
        .hasSize(6)
        .allSatisfy(
            line ->
                assertThat(Json.MAPPER.readTree(line).get("differs").toString())
                    .isEqualTo("[\"partitions\"]"));
  }
}
