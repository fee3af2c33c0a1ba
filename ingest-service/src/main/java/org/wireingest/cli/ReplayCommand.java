package org.wireingest.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.LongFunction;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.wireingest.config.ConfigException;
import org.wireingest.config.FeedSource;
import org.wireingest.config.FeedsConfig;
import org.wireingest.kafka.KafkaConnection;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.TopicSpec;
import org.wireingest.kafka.Topics;
import org.wireingest.model.ErrorText;
import org.wireingest.parse.FeedParser;
import org.wireingest.replay.ArticleReplayJob;
import org.wireingest.replay.HistoryReadException;
import org.wireingest.replay.RecordKind;
import org.wireingest.replay.ReparseJob;
import org.wireingest.replay.ReplayProgress;
import org.wireingest.replay.ReplayTimes;
import org.wireingest.replay.TopicHistory;
import org.wireingest.streams.DeadLetters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wire-ingest replay}: re-derives article events from the raw history into a new topic
 * (never into the live articles topic without {@value #CONFIRM_LIVE}); with {@code --reparse},
 * re-parses the fetch log's stored bodies into a new raw-items topic.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Replays raw history through the normalizer (same rules, fresh dedup state) into a new topic, default <prefix>articles.replay.<yyyyMMddHHmmss>.",
      "With --reparse: re-parses the feed bodies stored in the fetch log with the current parser into a new raw-items topic, default <prefix>raw-items.reparse.<yyyyMMddHHmmss>; replay that with --raw-topic.",
      "Writes only into a topic of its own: never into another topic of the pipeline (nor a Kafka Streams or Kafka internal topic), into the live topic only with "
          + ReplayCommand.CONFIRM_LIVE
          + ", into a topic that already holds records only with --append.",
      "Prints a summary line; on a terminal also progress on stderr. Exit 0 done, 1 Kafka failed, the raw topic holds no raw items or none of the --source ids has a record in the range (nothing done), 2 bad usage (e.g. a --raw-topic that does not exist, the live topic as target without "
          + ReplayCommand.CONFIRM_LIVE
          + ")."
    })
final class ReplayCommand implements Callable<Integer> {

  /**
   * The flag that allows writing into the live topic ({@code wire.articles.v1}, or {@code
   * wire.raw-items.v1} with --reparse).
   */
  static final String CONFIRM_LIVE = "--into-live-topic-i-am-sure";

  private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Mixin TopicOptions topicOptions;

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "INSTANT|DATE|DURATION",
      description =
          "Start of the range: an instant with its zone (2026-11-30T08:00:00Z, '2026-11-30 09:00+01:00', 'Mon, 30 Nov 2026 08:00:00 GMT'), a date (2026-11-30: from 00:00 UTC) or a duration ago (30d, 2h, P30D).")
  String from;

  @Option(
      names = "--to",
      paramLabel = "INSTANT|DATE|DURATION",
      description =
          "End of the range (exclusive), same forms. Default: the end of the topic when the replay starts.")
  String to;

  @Option(
      names = "--source",
      paramLabel = "ID",
      split = ",",
      description =
          "Replay only these source ids (repeatable or comma-separated). Default: all. The summary names those without a record in the range; when none has one, nothing is done: exit 1. Stories shared by feeds of one agency may then get other versions than live.")
  List<String> sources = new ArrayList<>();

  @Option(
      names = "--target-topic",
      paramLabel = "TOPIC",
      description =
          "Topic to write to (created if missing, with the first record written: a run with nothing to write creates none). Default: <prefix>articles.replay.<yyyyMMddHHmmss> (UTC), or <prefix>raw-items.reparse.<yyyyMMddHHmmss> with --reparse.")
  String targetTopic;

  @Option(
      names = "--raw-topic",
      paramLabel = "TOPIC",
      description =
          "Raw-items topic to replay, e.g. one written by --reparse. Default: <prefix>raw-items.v1.")
  String rawTopic;

  @Option(names = "--dry-run", description = "Read and count, write nothing; prints the summary.")
  boolean dryRun;

  @Option(
      names = CONFIRM_LIVE,
      description =
          "Allow --target-topic to be the live articles topic (or the live raw-items topic with --reparse). Consumers will see every replayed version again.")
  boolean intoLiveTopic;

  @Option(
      names = "--append",
      description =
          "Allow --target-topic to be a topic that already holds records of the kind this run writes (e.g. another source's replay; a topic of raw items, or of article events with --reparse, is refused). A replay appends: run again after an interruption, it writes its first article events (with --reparse, its first raw items) twice.")
  boolean append;

  @Option(
      names = "--reparse",
      description =
          "Re-parse the feed bodies stored in the fetch log with the current parser into raw items (no articles, so not with --cluster-window or --cluster-index-size).")
  boolean reparse;

  @Option(
      names = "--feeds",
      paramLabel = "FILE",
      defaultValue = "deploy/feeds/agencies.yaml",
      description =
          "With --reparse: the feeds list giving each source's agency, language and identity policy (default: ${DEFAULT-VALUE}).")
  Path feeds;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    Instant now = clock.instant();
    ReplayTimes.Range range = ReplayTimes.range(from, to, now);
    Instant fromAt = range.from();
    Instant toAt = range.to();
    for (String id : sources) {
      // No record can have such an id (the feeds list refuses it): without this a typo read the
      // whole range, which may be 90 days of history, to say so at the end.
      if (!FeedsConfig.isSourceId(id)) {
        throw new ConfigException(
            "--source '"
                + id
                + "' is not a feed id: it "
                + FeedsConfig.ID_RULE
                + ", as in the feeds list, so no record has it");
      }
    }
    if (reparse) {
      // --reparse writes raw items, no articles: nothing is clustered, the options would be
      // ignored.
      List<String> clusterGiven =
          List.of("--cluster-window", "--cluster-index-size").stream()
              .filter(spec.commandLine().getParseResult()::hasMatchedOption)
              .toList();
      if (!clusterGiven.isEmpty()) {
        throw new ConfigException(
            String.join(" and ", clusterGiven)
                + (clusterGiven.size() == 1 ? " sets" : " set")
                + " the near-duplicate clustering of a replay into articles; --reparse writes raw items,"
                + " which are not clustered: give "
                + (clusterGiven.size() == 1 ? "it" : "them")
                + " to the replay of the reparsed topic (--raw-topic) instead");
      }
    }
    Duration clusterWindow = cluster.window();
    int clusterIndexSize = cluster.indexSize();
    Topics topics = topicOptions.topics();
    if (reparse && rawTopic != null) {
      throw new ConfigException(
          "--raw-topic names the raw items a replay reads; --reparse reads the fetch log ("
              + topics.fetchLog()
              + ")");
    }
    String live = reparse ? topics.rawItems() : topics.articles();
    String source = reparse ? topics.fetchLog() : rawTopic != null ? rawTopic : topics.rawItems();
    String target =
        targetTopic != null
            ? targetTopic
            : reparse ? topics.rawItemsReparse(now) : topics.articlesReplay(now);
    try {
      Topic.validate(
          target); // before anything: a dry run refuses the name as the real run's topic creation
      // would
    } catch (InvalidTopicException e) {
      throw new ConfigException("--target-topic: " + e.getMessage());
    }
    if (target.equals(source)) {
      throw new ConfigException("--target-topic " + target + " is the topic being read");
    }
    if (target.equals(live) && !intoLiveTopic) {
      throw new ConfigException(
          "refusing to write into the live topic "
              + live
              + ": its consumers would receive every replayed record again; choose another --target-topic, or pass "
              + CONFIRM_LIVE);
    }
    if (!target.equals(live)
        && topics.all(topicOptions.partitions).stream().anyMatch(t -> t.name().equals(target))) {
      // Another topic of the pipeline: its readers expect other records (feed states, fetches,
      // dead letters, or raw items where article events go), and compacted ones keep them for good.
      throw new ConfigException(
          "refusing to write "
              + written().noun()
              + " into "
              + target
              + ", a topic of the pipeline that holds other records; choose another --target-topic"
              + " (default: a new "
              + (reparse ? topics.rawItemsReparse(now) : topics.articlesReplay(now))
              + ")");
    }
    if (MissingTopic.streamsInternal(target) || target.startsWith("__")) {
      // A normalizer's repartition or changelog topic, or one of the broker's own: the normalizer
      // (or the broker) reads them as its own records, and fails on anything else.
      throw new ConfigException(
          "refusing to write "
              + written().noun()
              + " into "
              + target
              + ", "
              + (target.startsWith("__")
                  ? "an internal topic of the Kafka cluster"
                  : "an internal topic of Kafka Streams (a normalizer's repartition or changelog topic:"
                      + " its stream threads would fail on the records)")
              + "; choose another --target-topic (default: a new "
              + (reparse ? topics.rawItemsReparse(now) : topics.articlesReplay(now))
              + ")");
    }
    Map<String, FeedSource> feedSources =
        reparse ? ReparseJob.byId(FeedsConfig.load(feeds)) : Map.of();
    PrintWriter out = spec.commandLine().getOut();
    // Ctrl-C / SIGTERM: the job stops between records, the writer flushes what it was given, the
    // connection closes, and the summary says INTERRUPTED (the JVM, stopping on the signal, exits
    // 130 / 143).
    try (SignalStop signal = new SignalStop("replay", () -> {});
        KafkaConnection conn = kafka.connectReachableToExisting()) {
      refuseMissingSource(
          conn, source); // before the target's check: the topic read is what the run is about
      if (!target.equals(live)) {
        refuseWrittenTarget(conn, target); // a dry run too: it says what the real run would do
      }
      if (reparse) {
        // The target (and the dead-letters topic) is created with the first raw item or dead
        // letter: a run that writes none leaves no empty topic.
        ReparseJob.Summary summary =
            ReparseJob.run(
                conn.clientProperties(),
                new ReparseJob.Request(
                    source,
                    fromAt,
                    toAt,
                    Set.copyOf(sources),
                    target,
                    topics.deadLetters(),
                    dryRun),
                feedSources,
                new FeedParser(),
                progress("reparse", signal),
                () -> ensure(conn, specs(topics, target)));
        out.println(summary.line());
        out.flush();
        if (summary.interrupted()) {
          return 1;
        }
        if (noSourceFound(summary.sourcesNotFound(), source)) {
          return 1;
        }
        if (summary.noSourceInFeedsList()) {
          spec.commandLine()
              .getErr()
              .println(
                  "wire-ingest: replay --reparse: no stored body came from a source of the feeds list "
                      + feeds
                      + " (the bodies' sources: "
                      + MissingTopic.abbreviated(summary.sourcesNotInFeedsList())
                      + ")"
                      + (dryRun ? "" : ": " + ArticleReplayJob.nothingWritten(target, false))
                      + "; pass --feeds with the feeds list the poller used");
          return 1;
        }
        if (!summary.sourcesNotInFeedsList().isEmpty()) {
          spec.commandLine()
              .getErr()
              .println(
                  "wire-ingest: replay --reparse: skipped the stored bodies of sources not in the feeds list "
                      + feeds
                      + ": "
                      + MissingTopic.abbreviated(summary.sourcesNotInFeedsList())
                      + "; pass --feeds with the feeds list the poller used to re-parse them too");
        }
        return 0;
      }
      // The target is created once the raw topic is found: a mistyped --raw-topic leaves no empty
      // topic.
      ArticleReplayJob.Summary summary =
          ArticleReplayJob.run(
              conn.clientProperties(),
              new ArticleReplayJob.Request(
                  source,
                  fromAt,
                  toAt,
                  Set.copyOf(sources),
                  target,
                  topics.deadLetters(),
                  dryRun,
                  clusterWindow,
                  clusterIndexSize,
                  dryRun
                      ? DeadLetters.MAX_DEAD_LETTER_BYTES
                      : deadLetterMaxBytes(conn, topics.deadLetters())),
              clock,
              progress("replay", signal),
              () -> ensure(conn, specs(topics, target)));
      out.println(summary.line());
      out.flush();
      return summary.interrupted() || noSourceFound(summary.sourcesNotFound(), source) ? 1 : 0;
    } catch (HistoryReadException e) {
      spec.commandLine().getErr().println("wire-ingest: " + e.getMessage());
      return 1;
    }
  }

  /**
   * The most bytes of JSON of the replay's dead letters: what the dead-letter topic's {@code
   * max.message.bytes} takes ({@link DeadLetters#maxJsonBytes}), read once before the run as the
   * live normalizer reads it at start ({@link TopicAdmin#maxMessageBytes}); {@link
   * DeadLetters#MAX_DEAD_LETTER_BYTES} when the topic does not exist yet (the run creates it with
   * the size its dead letters need) or the cluster does not say.
   */
  private static int deadLetterMaxBytes(KafkaConnection conn, String deadLetters) {
    Long limit =
        TopicAdmin.maxMessageBytes(conn.admin(), List.of(deadLetters), Duration.ofSeconds(30))
            .get(deadLetters);
    return limit == null ? DeadLetters.MAX_DEAD_LETTER_BYTES : DeadLetters.maxJsonBytes(limit);
  }

  /**
   * Whether {@code --source} was given and none of its ids had a record in the range read: then the
   * run did nothing it was asked to, and fails (exit 1) as {@code story} of a uri without raw items
   * does, saying so on stderr besides the summary's note. A run where some of them had records
   * succeeds; its summary names the others.
   *
   * @param sourcesNotFound the summary's ids without a record in the range of {@code topic}
   * @param topic the topic read
   * @return true when the command should exit 1 (said on stderr)
   */
  private boolean noSourceFound(Set<String> sourcesNotFound, String topic) {
    if (sources.isEmpty() || !sourcesNotFound.containsAll(sources)) {
      return false;
    }
    spec.commandLine()
        .getErr()
        .println(
            "wire-ingest: replay"
                + (reparse ? " --reparse" : "")
                + ": none of the sources asked ("
                + MissingTopic.abbreviated(sourcesNotFound)
                + ") has a record in the range of "
                + topic
                + ": nothing to "
                + (reparse ? "re-parse" : "replay")
                + "; check --source");
    return true;
  }

  /**
   * Refuses a topic to read that does not exist (exit 2, as the other options' errors), naming the
   * option it came from, the cluster asked and, for raw items, the cluster's raw-items topics
   * ({@link MissingTopic}).
   */
  private void refuseMissingSource(KafkaConnection conn, String source) {
    MissingTopic existing = MissingTopic.list(conn);
    if (existing.exists(source)) {
      return;
    }
    if (reparse) {
      throw existing.prefixed("fetch-log", source);
    }
    throw existing.rawItems(source, rawTopic != null);
  }

  /**
   * Refuses a target that already holds records, unless {@code --append}: a replay's output is not
   * transactional, so a replay run again after an interruption (or two replays into one topic)
   * would give consumers of the target some events twice. A default-named target must not exist at
   * all (another replay started in the same second). With {@code --append}, refuses a target whose
   * records are of another kind than this run writes (raw items onto article events, or the
   * reverse), judged by the last record of each partition ({@link TopicHistory#lastRecords}): its
   * readers expect one kind.
   *
   * @throws ConfigException on a refusal (exit 2)
   * @throws HistoryReadException when the target's last records cannot be read
   */
  private void refuseWrittenTarget(KafkaConnection conn, String target) {
    OptionalLong held;
    try {
      held = TopicAdmin.offsetCount(conn.admin(), target, Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      throw new StartupException(
          "cannot read the offsets of "
              + target
              + " on "
              + conn.bootstrapServers()
              + ": "
              + ErrorText.message(e),
          e);
    }
    if (held.isEmpty()) {
      return;
    }
    if (targetTopic == null) {
      throw new ConfigException(
          "the default target topic "
              + target
              + " already exists (another replay started in the same second?); run again, or name a --target-topic");
    }
    if (held.getAsLong() > 0 && !append) {
      throw new ConfigException(
          "--target-topic "
              + target
              + " already holds records ("
              + held.getAsLong()
              + " offsets): a replay appends, so an interrupted replay run again would write its first "
              + written().noun()
              + " twice;"
              + " name a new --target-topic, delete "
              + target
              + ", or pass --append");
    }
    if (held.getAsLong() > 0) {
      refuseOtherKind(conn, target);
    }
  }

  /**
   * Refuses appending to a target whose last records are of another kind than this run writes; a
   * target of tombstones or aborted transactions only tells nothing, and is let be.
   */
  private void refuseOtherKind(KafkaConnection conn, String target) {
    RecordKind held =
        TopicHistory.lastRecords(conn.clientProperties(), target).stream()
            .map(RecordKind::of)
            .filter(kind -> kind != null && kind != written())
            .findFirst()
            .orElse(null);
    if (held != null) {
      throw new ConfigException(
          "--append: --target-topic "
              + target
              + " holds "
              + held.noun()
              + ", and replay"
              + (reparse ? " --reparse" : "")
              + " writes "
              + written().noun()
              + ": a topic's readers expect one kind of record; name another --target-topic");
    }
  }

  /**
   * @return what this run writes to its target: raw items with {@code --reparse}, article events
   *     otherwise
   */
  private RecordKind written() {
    return reparse ? RecordKind.RAW_ITEMS : RecordKind.ARTICLE_EVENTS;
  }

  private List<TopicSpec> specs(Topics topics, String target) {
    int partitions = topicOptions.partitions;
    List<TopicSpec> wanted = new ArrayList<>();
    TopicSpec live =
        topics.all(partitions).stream()
            .filter(s -> s.name().equals(target))
            .findFirst()
            .orElse(null);
    wanted.add(
        live != null
            ? live
            : reparse
                ? topics.rawItemsReparseSpec(target, partitions)
                : topics.articlesReplaySpec(target, partitions));
    topics.all(partitions).stream()
        .filter(s -> s.name().equals(topics.deadLetters()))
        .forEach(wanted::add);
    return wanted;
  }

  private static void ensure(KafkaConnection conn, List<TopicSpec> specs) {
    try {
      TopicAdmin.ensureTopics(conn.admin(), specs, Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      throw new StartupException(
          "cannot create topics on " + conn.bootstrapServers() + ": " + ErrorText.message(e), e);
    }
  }

  /**
   * Progress on stderr when it is a terminal, at most every {@link #PROGRESS_INTERVAL}; nothing
   * otherwise. Either carries the stop request of Ctrl-C / SIGTERM ({@code signal}).
   */
  private LongFunction<ReplayProgress> progress(String label, SignalStop signal) {
    if (!interactive()) {
      return total -> ReplayProgress.silent(signal::requested);
    }
    PrintWriter err = spec.commandLine().getErr();
    return total ->
        new ReplayProgress(
            label,
            total,
            System::nanoTime,
            PROGRESS_INTERVAL,
            text -> {
              err.print(text);
              err.flush();
            },
            signal::requested);
  }

  /**
   * @return true when the JVM has a console on a terminal: {@code System.console() != null}, and on
   *     Java 22+ (where a console exists even when redirected) {@code Console.isTerminal()}
   */
  static boolean interactive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // Java 17-21: a console exists only on a terminal
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}
