package org.wireingest.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.wireingest.config.ConfigException;
import org.wireingest.kafka.KafkaConnection;
import org.wireingest.kafka.Topics;
import org.wireingest.replay.HistoryReadException;
import org.wireingest.replay.ReplayTimes;
import org.wireingest.replay.Story;
import org.wireingest.replay.StoryFormat;
import org.wireingest.replay.StoryJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wire-ingest story URI}: every version of one article with the raw items and fetches behind
 * each, derived by replaying the raw history of that {@code uri} (old versions may be compacted
 * away in the articles topic). Text by default, JSON lines with {@code --json}; UTF-8.
 */
@Command(
    name = "story",
    mixinStandardHelpOptions = true,
    description = {
      "Shows every version of one article and the raw items and fetches behind each (lineage), replayed from the raw history, and its near-duplicate cluster (the other agencies' copies) as the normalizer recorded it.",
      "Exit 0 found, 1 no raw item has this uri (or Kafka failed), 2 bad usage (e.g. a --raw-topic that does not exist: the cluster's raw-items topics are named instead)."
    })
final class StoryCommand implements Callable<Integer> {

  private static final Pattern URI = Pattern.compile("urn:wire:[a-z0-9-]+:[0-9a-f]{32}");

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Parameters(
      index = "0",
      paramLabel = "URI",
      description = "The article uri, urn:wire:<agency>:<32 hex>.")
  String uri;

  @Option(
      names = "--json",
      description =
          "One JSON object per line: each version with its raw items and fetches, then rejected items, then the near-duplicate cluster when one is recorded ({\"uri\", \"cluster\": {...}}).")
  boolean json;

  @Option(
      names = "--from",
      paramLabel = "INSTANT|DATE|DURATION",
      description =
          "Oldest raw item considered: an instant, a date (from 00:00 UTC) or a duration ago (30d). Default: the oldest retained.")
  String from;

  @Option(
      names = "--to",
      paramLabel = "INSTANT|DATE|DURATION",
      description = "End of the raw items considered (exclusive). Default: now.")
  String to;

  @Option(
      names = "--topic-prefix",
      paramLabel = "PREFIX",
      defaultValue = Topics.DEFAULT_PREFIX,
      description = "Prefix of the topic names (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(
      names = "--raw-topic",
      paramLabel = "TOPIC",
      description = "Raw-items topic to read (default: <prefix>raw-items.v1).")
  String rawTopic;

  /** Where the story goes; null for UTF-8 standard output. */
  PrintWriter out;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    if (!URI.matcher(uri).matches()) {
      throw new ConfigException("'" + uri + "' is not an article uri (urn:wire:<agency>:<32 hex>)");
    }
    Instant now = clock.instant();
    ReplayTimes.Range range = ReplayTimes.range(from, to, now);
    Instant fromAt = range.from();
    Instant toAt = range.to();
    Topics topics;
    try {
      topics = new Topics(topicPrefix);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--topic-prefix: " + e.getMessage());
    }
    String raw = rawTopic != null ? rawTopic : topics.rawItems();
    Story story;
    try (SignalStop signal = new SignalStop("story", () -> {})) {
      try (KafkaConnection conn = kafka.connectReachableToExisting()) {
        refuseMissingTopics(conn, raw, topics.fetchLog());
        story =
            StoryJob.run(
                conn.clientProperties(),
                raw,
                topics.fetchLog(),
                topics.storySignatures(),
                uri,
                fromAt,
                toAt,
                clock,
                signal::requested);
      } catch (HistoryReadException e) {
        spec.commandLine().getErr().println("wire-ingest: " + e.getMessage());
        return 1;
      }
      if (signal.requested()) {
        spec.commandLine()
            .getErr()
            .println(
                "wire-ingest: story: stopped (Ctrl-C / SIGTERM) before the end of "
                    + raw
                    + "; nothing printed");
        return 1;
      }
    }
    if (story.versions().isEmpty() && story.rejected().isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "wire-ingest: no raw item in "
                  + raw
                  + " has uri "
                  + uri
                  + " (within the retained history and the range given)");
      return 1;
    }
    PrintWriter w =
        out != null
            ? out
            : new PrintWriter(
                new OutputStreamWriter(
                    new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8));
    List<String> lines = json ? StoryFormat.jsonLines(story) : StoryFormat.text(story);
    lines.forEach(w::println);
    w.flush();
    return 0;
  }

  /**
   * Refuses a topic to read that does not exist (exit 2, before reading anything), naming the
   * option it came from, the cluster asked and, for raw items, the cluster's raw-items topics
   * ({@link MissingTopic}, as replay's): the raw-items topic, then the fetch log, which the story's
   * fetches are joined from. The story-signatures topic may be missing (a deployment from before
   * clusters): the story then shows none.
   */
  private void refuseMissingTopics(KafkaConnection conn, String raw, String fetchLog) {
    MissingTopic existing = MissingTopic.list(conn);
    if (!existing.exists(raw)) {
      throw existing.rawItems(raw, rawTopic != null);
    }
    if (!existing.exists(fetchLog)) {
      throw existing.prefixed("fetch-log", fetchLog);
    }
  }
}
