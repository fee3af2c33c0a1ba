package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Usage checks of replay and story, which fail before any Kafka connection. */
class ReplayCommandTest {

  /** An address where nothing listens: the commands tested refuse before connecting. */
  private static final String UNUSED = "127.0.0.1:18781";

  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine cl = WireIngest.commandLine();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  @Test
  void shouldRefuseTheLiveArticlesTopicWithoutConfirmation() {
    int code = execute("replay", "--from", "30d", "--target-topic", "wire.articles.v1");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("refusing to write into the live topic wire.articles.v1")
        .contains(ReplayCommand.CONFIRM_LIVE);
  }

  @Test
  void shouldRefuseTheLiveRawItemsTopicAsReparseTarget() {
    int code =
        execute("replay", "--reparse", "--from", "30d", "--target-topic", "wire.raw-items.v1");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("wire.raw-items.v1");
  }

  // Found in a replay test: --reparse into the live articles topic gave its consumers raw items.
  @Test
  void shouldRefuseTheLiveArticlesTopicAsReparseTargetEvenWhenConfirmed() {
    int code =
        execute(
            "replay",
            "--reparse",
            "--from",
            "30d",
            "--target-topic",
            "wire.articles.v1",
            ReplayCommand.CONFIRM_LIVE);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "refusing to write raw items into wire.articles.v1, a topic of the pipeline that holds other records");
  }

  // Found in a replay test: article events went into the compacted feed-state topic, and into the
  // dead letters.
  @Test
  void shouldRefuseEveryOtherTopicOfThePipelineAsTarget() {
    for (String topic :
        new String[] {"wire.feed-state.v1", "wire.fetch-log.v1", "wire.dead-letters.v1"}) {
      err.getBuffer().setLength(0);

      assertThat(execute("replay", "--from", "30d", "--target-topic", topic))
          .as(topic)
          .isEqualTo(2);
      assertThat(err.toString())
          .contains("refusing to write article events into " + topic)
          .contains("choose another --target-topic");
      assertThat(execute("replay", "--reparse", "--from", "30d", "--target-topic", topic))
          .as(topic)
          .isEqualTo(2);
    }
  }

  // Found by replaying into the normalizer's repartition topic with --append (Streams had purged
  // it, so it looked empty): the live normalizer's stream threads then failed on every record.
  @Test
  void shouldRefuseTheNormalizersInternalTopicsAndTheClustersOwnAsTarget() {
    for (String topic :
        new String[] {
          "wire-ingest-normalizer-raw-items-by-uri-repartition",
          "wire-ingest-normalizer-article-versions-changelog",
          "__consumer_offsets"
        }) {
      err.getBuffer().setLength(0);

      assertThat(execute("replay", "--from", "30d", "--target-topic", topic, "--append"))
          .as(topic)
          .isEqualTo(2);
      assertThat(err.toString())
          .contains("refusing to write article events into " + topic + ", an internal topic of")
          .contains("choose another --target-topic");
      assertThat(
              execute("replay", "--reparse", "--from", "30d", "--target-topic", topic, "--dry-run"))
          .as(topic)
          .isEqualTo(2);
      assertThat(err.toString()).contains("refusing to write raw items into " + topic);
    }
  }

  // Found following the replay section: --source TRTWorld-Main (or '') connected and read the
  // whole range before saying that no record has it, exit 1.
  @Test
  void shouldRefuseASourceThatIsNoFeedIdBeforeConnecting() {
    for (String id : new String[] {"TRTWorld-Main", "", " ", "trt world", "-trt"}) {
      err.getBuffer().setLength(0);

      assertThat(
              execute(
                  "replay",
                  "--from",
                  "30d",
                  "--source",
                  id,
                  "--bootstrap-servers",
                  "localhost:1",
                  "--dry-run"))
          .as(id)
          .isEqualTo(2);
      assertThat(err.toString())
          .as(id)
          .contains("--source '" + id + "' is not a feed id: it must be 1-100 characters");
    }
    assertThat(
            execute(
                "replay",
                "--reparse",
                "--from",
                "30d",
                "--source",
                "trtworld-main,Dw",
                "--bootstrap-servers",
                "localhost:1"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--source 'Dw' is not a feed id");
  }

  @Test
  void shouldRefuseAnEndBeforeTheStart() {
    int code = execute("replay", "--from", "2026-11-30T08:00:00Z", "--to", "2026-11-29T08:00:00Z");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--to").contains("must be after --from");
  }

  // Found in a new-user test: story with an inverted range searched it and exited 1 ("no raw
  // item").
  @Test
  void shouldRefuseAnInvertedRangeForAStoryAsForAReplay() {
    int code =
        execute(
            "story",
            "urn:wire:trtworld:0123456789abcdef0123456789abcdef",
            "--from",
            "2d",
            "--to",
            "3d");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("wire-ingest: --to 3d must be after --from 2d: durations count back from now");
  }

  @Test
  void shouldRefuseAFromInTheFutureBeforeConnecting() {
    assertThat(execute("replay", "--from", "2999-01-01T00:00:00Z")).isEqualTo(2);
    assertThat(
            execute(
                "story",
                "urn:wire:trtworld:0123456789abcdef0123456789abcdef",
                "--from",
                "2999-01-01T00:00:00Z"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--from 2999-01-01T00:00:00Z is in the future");
  }

  // Found in a replay test: a --dry-run said "target would be bad topic!" and exited 0; the real
  // run failed creating it (exit 1).
  @Test
  void shouldRefuseAnIllegalTargetTopicNameBeforeConnectingEvenOnADryRun() {
    assertThat(execute("replay", "--from", "30d", "--target-topic", "bad topic!", "--dry-run"))
        .isEqualTo(2);
    assertThat(execute("replay", "--reparse", "--from", "30d", "--target-topic", "r".repeat(250)))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("--target-topic: Topic name is invalid: 'bad topic!'")
        .contains("--target-topic: Topic name is invalid: the length of 'rrr");
  }

  @Test
  void shouldNameTheOptionOfAnUnreadableTime() {
    int code = execute("replay", "--from", "last week");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--from").contains("last week");
  }

  // Found by replaying with --partitions 100000: the whole range was read, then the target topic's
  // creation failed (Kafka's controller creates at most 10,000 partitions in one request), exit 1.
  @Test
  void shouldRefuseMorePartitionsThanKafkaCreatesInOneRequestBeforeReading() {
    for (String command : new String[] {"replay", "topics"}) {
      err.getBuffer().setLength(0);

      int code =
          command.equals("replay")
              ? execute(
                  "replay",
                  "--from",
                  "30d",
                  "--partitions",
                  "100000",
                  "--bootstrap-servers",
                  UNUSED)
              : execute(
                  "topics",
                  "--create",
                  "--partitions",
                  "2147483647",
                  "--bootstrap-servers",
                  UNUSED);

      assertThat(code).as(command).isEqualTo(2);
      assertThat(err.toString().lines())
          .as(command)
          .singleElement()
          .asString()
          .startsWith(
              "wire-ingest: --partitions must be at most "
                  + TopicOptions.MAX_PARTITIONS
                  + " (got "
                  + (command.equals("replay") ? "100000" : "2147483647")
                  + "): Kafka's controller creates at most 10,000 partitions of a topic in one"
                  + " request");
    }
  }

  @Test
  void shouldRefuseAnUnknownRetentionTopic() {
    int code = execute("replay", "--from", "30d", "--retention", "feed-state=1d");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--retention feed-state=1d");
  }

  @Test
  void shouldCheckTheClusterOptionsAsTheNormalizerDoes() {
    assertThat(execute("replay", "--from", "30d", "--cluster-window", "30s")).isEqualTo(2);
    assertThat(execute("replay", "--from", "30d", "--cluster-index-size", "0")).isEqualTo(2);

    assertThat(err.toString())
        .contains("--cluster-window must be at least 1m (got 30s)")
        .contains("--cluster-index-size must be at least 1 (got 0)");
  }

  // --reparse took --cluster-window and --cluster-index-size and ignored them: it makes raw items,
  // no clusters.
  @Test
  void shouldRefuseClusterOptionsWithReparse() {
    assertThat(execute("replay", "--reparse", "--from", "30d", "--cluster-window", "6h"))
        .isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .isEqualTo(
            "wire-ingest: --cluster-window sets the near-duplicate clustering of a replay into articles; --reparse writes raw items, which are not clustered:"
                + " give it to the replay of the reparsed topic (--raw-topic) instead");

    err.getBuffer().setLength(0);
    assertThat(
            execute(
                "replay",
                "--reparse",
                "--from",
                "30d",
                "--cluster-window",
                "2d",
                "--cluster-index-size",
                "1000"))
        .isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith(
            "wire-ingest: --cluster-window and --cluster-index-size set the near-duplicate clustering");

    err.getBuffer().setLength(0);
    assertThat(execute("replay", "--reparse", "--from", "30d", "--cluster-index-size", "0"))
        .isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("wire-ingest: --cluster-index-size sets the near-duplicate clustering");
  }

  @Test
  void shouldNotCountTheClusterDefaultsAsGivenWithReparse() {
    // fails on the next check (the live raw-items topic as target), not on the cluster options
    assertThat(
            execute("replay", "--reparse", "--from", "30d", "--target-topic", "wire.raw-items.v1"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("refusing to write into the live topic wire.raw-items.v1")
        .doesNotContain("--cluster");
  }

  @Test
  void shouldRefuseAClusterWindowTooLongToComputeWith() {
    // accepted before: every story of the replay became a dead letter (DateTimeException:
    // firstCreated minus the window is before Instant.MIN; 400000000000d, which Durations refuses
    // itself now, DurationsTest)
    assertThat(execute("replay", "--from", "30d", "--cluster-window", "100000000d")).isEqualTo(2);

    assertThat(err.toString()).contains("--cluster-window must be at most 36500d (got 100000000d)");
  }

  // The range errors echoed ISO-8601 (PT30S, PT0S) rather than the short form the user and the help
  // use.
  @Test
  void shouldQuoteAnOutOfRangeDurationInTheShortForm() {
    assertThat(execute("replay", "--from", "30d", "--cluster-window", "PT30S")).isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .isEqualTo("wire-ingest: --cluster-window must be at least 1m (got 30s)");

    err.getBuffer().setLength(0);
    assertThat(execute("replay", "--from", "30d", "--retention", "raw-items=0s")).isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .isEqualTo(
            "wire-ingest: --retention raw-items=0s: retention of raw-items must be positive, got 0s");
  }
}
