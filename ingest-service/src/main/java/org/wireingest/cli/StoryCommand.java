package org.wireingest.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.wireingest.config.ConfigException;
import org.wireingest.fetch.Redaction;
import org.wireingest.kafka.KafkaConnection;
import org.wireingest.kafka.Topics;
import org.wireingest.model.LongArguments;
import org.wireingest.replay.GuidOrLink;
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
 * {@code wire-ingest story URI|GUID|LINK}: every version of one article with the raw items and
 * fetches behind each, derived by replaying the raw history of that {@code uri} (old versions may
 * be compacted away in the articles topic). Given the agency's link or the feed's GUID instead, it
 * first finds the stories whose raw items have it ({@link GuidOrLink}) and shows each, at most
 * {@value StoryJob#MAX_STORIES}. Text by default, JSON lines with {@code --json}; UTF-8.
 */
@Command(
    name = "story",
    mixinStandardHelpOptions = true,
    description = {
      "Shows every version of one article and the raw items and fetches behind each (lineage), replayed from the raw history, and its near-duplicate cluster (the other agencies' copies) as the normalizer recorded it.",
      "Given a link or a GUID instead of the uri, shows every story whose raw items have it as their GUID, link or origLink (as written, or in canonical form, as the identity rules compare them: tracking parameters, default port and case of scheme and host aside; a link's fragment too), each as for its uri, in the order first met; then those that have it only with the other of http and https, then those that have it only among their other links (an Atom entry's further alternate, related or media links); text output names them in a first line. More than "
          + StoryJob.MAX_STORIES
          + " stories of the strongest match: none shown, the first ones named (give one uri, or narrow --from/--to); weaker matches that do not all fit beside the stronger ones are left out, with a line saying so.",
      "Exit 0 found, 1 no raw item has this uri, GUID or link (or more than "
          + StoryJob.MAX_STORIES
          + " stories have it, or Kafka failed), 2 bad usage (e.g. a --raw-topic that does not exist: the cluster's raw-items topics are named instead)."
    })
final class StoryCommand implements Callable<Integer> {

  private static final Pattern URI = Pattern.compile("urn:wire:[a-z0-9-]+:[0-9a-f]{32}");

  /** How an article uri starts: an argument starting so may be a mistyped uri, or a GUID. */
  private static final String URI_PREFIX = "urn:wire:";

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Parameters(
      index = "0",
      paramLabel = "URI|GUID|LINK",
      description =
          "The article uri, urn:wire:<agency>:<32 hex>; or the agency's link to the story, or its GUID in the feed (a GUID may start urn:wire: too: what is no story's uri is looked up as a GUID or link).")
  String uri;

  @Option(
      names = "--json",
      description =
          "One JSON object per line: each version with its raw items and fetches, then rejected items, then the near-duplicate cluster when one is recorded ({\"uri\", \"cluster\": {...}}). A story a GUID or link found only with the other scheme, or only among its other links, has \"match\": \"otherScheme\" or \"otherLink\" after the uri in each line.")
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

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    GuidOrLink reference = null;
    // as GuidOrLink takes a GUID or link: a uri pasted with a space or tab around it is that uri
    String uri = this.uri.strip();
    if (uri.isBlank()) {
      throw new ConfigException(
          "'" + uri + "' is not an article uri (urn:wire:<agency>:<32 hex>), a GUID or a link");
    }
    // Any string is a valid RSS GUID, one starting urn:wire: too: what is no uri of a story is
    // looked up as a GUID or link.
    boolean uriShaped = URI.matcher(uri).matches();
    if (!uriShaped) {
      reference = GuidOrLink.of(uri);
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
    List<Story> stories = List.of();
    StoryJob.Found found = null;
    try (SignalStop signal = new SignalStop("story", () -> {})) {
      try (KafkaConnection conn = kafka.connectReachableToExisting()) {
        refuseMissingTopics(conn, raw, topics.fetchLog());
        if (reference == null) {
          stories = runAll(conn, raw, topics, List.of(uri), fromAt, toAt, signal);
          if (!signal.requested()
              && stories.get(0).versions().isEmpty()
              && stories.get(0).rejected().isEmpty()) {
            // no story has this uri; an agency's GUID may look like one
            reference = GuidOrLink.of(uri);
          }
        }
        if (reference != null && !signal.requested()) {
          found =
              StoryJob.find(
                  conn.clientProperties(), raw, reference, fromAt, toAt, signal::requested);
          if (found.uris().isEmpty() && !signal.requested()) {
            spec.commandLine().getErr().println(notFound(raw, reference, uriShaped));
            return 1;
          }
          if (found.more()) {
            spec.commandLine()
                .getErr()
                .println(
                    "wire-ingest: more than "
                        + StoryJob.MAX_STORIES
                        + " stories in "
                        + raw
                        + " have GUID or link "
                        + shown(reference)
                        + howFound(found, reference, found.uris().get(0))
                        + ", none shown: "
                        + String.join(", ", found.uris())
                        + " and more; show one with story URI, or narrow the range with --from/--to");
            return 1;
          }
          if (found.weakerLeftOut()) {
            spec.commandLine()
                .getErr()
                .println(
                    "wire-ingest: more stories in "
                        + raw
                        + " have GUID or link "
                        + shown(reference)
                        + " only with the other scheme or among their other links, not shown (at most "
                        + StoryJob.MAX_STORIES
                        + " stories are); narrow the range with --from/--to to see them");
          }
          stories =
              signal.requested()
                  ? List.of()
                  : runAll(conn, raw, topics, found.uris(), fromAt, toAt, signal);
        }
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
    // UTF-8 standard output (WireIngest.main), as every command writes
    PrintWriter w = spec.commandLine().getOut();
    if (reference != null && !json) {
      List<String> named = new ArrayList<>();
      for (Story story : stories) {
        named.add(story.uri() + howFound(found, reference, story));
      }
      w.println(
          "GUID or link "
              + shown(reference)
              + " is in "
              + (stories.size() == 1 ? "1 story: " : stories.size() + " stories: ")
              + String.join(", ", named));
    }
    for (Story story : stories) {
      if (reference != null && !json) {
        w.println();
      }
      List<String> lines =
          !json
              ? StoryFormat.text(story)
              : found == null
                  ? StoryFormat.jsonLines(story)
                  : StoryFormat.jsonLines(story, found.match(story.uri()));
      lines.forEach(w::println);
    }
    w.flush();
    return 0;
  }

  private List<Story> runAll(
      KafkaConnection conn,
      String raw,
      Topics topics,
      List<String> uris,
      Instant fromAt,
      Instant toAt,
      SignalStop signal) {
    return StoryJob.runAll(
        conn.clientProperties(),
        raw,
        topics.fetchLog(),
        topics.storySignatures(),
        uris,
        fromAt,
        toAt,
        clock,
        signal::requested);
  }

  /**
   * The GUID or link as every line that echoes it shows it: without a link's user-info ({@code
   * user:password@}, {@link Redaction#withoutUserInfo}), so that a password typed into it does not
   * reach terminals, scrollback and pasted tickets; cut short when long ({@link
   * LongArguments#shown}). The lookup uses the reference as given, user-info included.
   */
  private static String shown(GuidOrLink reference) {
    return LongArguments.shown(Redaction.withoutUserInfo(reference.given()));
  }

  /**
   * @param uriShaped whether the reference has the form of an article uri, and no story has it
   * @return the line saying that no raw item has the reference, as a uri either; a link given with
   *     user-info is shown without it, and the line says that the lookup included it, since raw
   *     items may have the link without it
   */
  private static String notFound(String raw, GuidOrLink reference, boolean uriShaped) {
    String shown = shown(reference);
    String within = " (within the retained history and the range given)";
    if (uriShaped) {
      return "wire-ingest: no raw item in " + raw + " has uri or GUID " + shown + within;
    }
    return "wire-ingest: no raw item in "
        + raw
        + " has GUID or link "
        + shown
        + (Redaction.withoutUserInfo(reference.given()).equals(reference.given())
            ? ""
            : " with the user-info given, which is left out here")
        + within
        + (reference.given().startsWith(URI_PREFIX)
            ? ", and it is no article uri (urn:wire:<agency>:<32 hex>)"
            : "");
  }

  /**
   * @return what follows a story's uri in the first line: how the reference names its raw items,
   *     when not as given
   */
  private static String howFound(StoryJob.Found found, GuidOrLink reference, Story story) {
    return switch (found.match(story.uri())) {
      case OTHER_SCHEME -> " (only with " + reference.otherScheme() + ": in its raw items)";
      case OTHER_LINK -> " (only among its raw items' other links)";
      case SAME, NONE -> "";
    };
  }

  /**
   * @param uri one of {@code found}'s uris, all of one kind of match when more were found than
   *     shown ({@link StoryJob.Found#more})
   * @return what follows the reference in the line naming more stories than are shown: how they
   *     have it, when not as their GUID or link
   */
  private static String howFound(StoryJob.Found found, GuidOrLink reference, String uri) {
    return switch (found.match(uri)) {
      case OTHER_SCHEME -> " only with " + reference.otherScheme();
      case OTHER_LINK -> " only among their other links";
      case SAME, NONE -> "";
    };
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
