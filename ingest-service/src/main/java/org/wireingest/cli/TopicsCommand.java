package org.wireingest.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.TopicConfig;
import org.wireingest.config.Durations;
import org.wireingest.kafka.KafkaConnection;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.TopicSpec;
import org.wireingest.kafka.Topics;
import org.wireingest.model.Counted;
import org.wireingest.model.ErrorText;
import org.wireingest.model.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wire-ingest topics}: the six topics of a {@code --topic-prefix} as the cluster has them,
 * one line each: partitions, replicas, offsets held and the configs wire-ingest sets, each that
 * differs from what wire-ingest would create said so; a missing topic is said missing. {@code
 * --create} creates the missing ones first, as {@code run}, {@code poll} and {@code normalize} do
 * at start ({@link TopicAdmin#ensureTopics}); existing topics are never changed.
 */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = {
      "Lists wire-ingest's topics as the cluster has them: partitions, replicas, offsets held, and the configs wire-ingest sets (each that differs from what it would create is marked). --create creates the missing ones; existing topics are never changed.",
      "Exit 0 every topic exists, 1 one is missing (without --create) or Kafka failed, 2 bad usage."
    })
final class TopicsCommand implements Callable<Integer> {

  /** How long the cluster has to answer the describe (and create) requests. */
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Mixin TopicOptions topicOptions;

  @Option(
      names = "--create",
      description =
          "Create the missing topics (with --partitions and --retention), as run, poll and normalize do at start.")
  boolean create;

  @Option(
      names = "--json",
      description =
          "One JSON object per topic and line: {\"topic\", \"exists\", \"created\", \"partitions\", \"replicationFactor\", \"offsets\", \"configs\", \"expectedConfigs\", \"differs\"} (differs: \"partitions\" and the names of the configs that differ from what wire-ingest would create).")
  boolean json;

  @Override
  public Integer call() {
    Topics topics = topicOptions.topics();
    List<TopicSpec> specs = topics.all(topicOptions.partitions);
    Set<String> configNames = new LinkedHashSet<>();
    specs.forEach(s -> configNames.addAll(s.configs().keySet()));
    configNames.add(TopicConfig.CLEANUP_POLICY_CONFIG);
    configNames.add(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
    try (KafkaConnection conn =
        create ? kafka.connectReachable() : kafka.connectReachableToExisting()) {
      List<String> created = List.of();
      Map<String, TopicAdmin.TopicStatus> statuses;
      try {
        if (create) {
          created = TopicAdmin.ensureTopics(conn.admin(), specs, TIMEOUT);
        }
        statuses =
            TopicAdmin.describe(
                conn.admin(), specs.stream().map(TopicSpec::name).toList(), configNames, TIMEOUT);
      } catch (RuntimeException e) {
        throw new StartupException(
            "cannot "
                + (create ? "create or " : "")
                + "describe the topics on "
                + conn.where()
                + ": "
                + ErrorText.message(e),
            e);
      }
      PrintWriter out = spec.commandLine().getOut();
      int missing = 0;
      for (TopicSpec s : specs) {
        TopicAdmin.TopicStatus status = statuses.get(s.name());
        missing += status == null ? 1 : 0;
        out.println(
            json
                ? jsonLine(s, status, created.contains(s.name()))
                : textLine(s, status, created.contains(s.name())));
      }
      out.flush();
      if (missing > 0) {
        spec.commandLine()
            .getErr()
            .println(
                "wire-ingest: "
                    + Counted.of(missing, "topic is", "topics are")
                    + " missing on "
                    + conn.where()
                    + ": run, poll or normalize create them at start, or topics --create");
        return 1;
      }
      return 0;
    }
  }

  static String textLine(TopicSpec spec, TopicAdmin.TopicStatus status, boolean created) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-34s ", spec.name()));
    if (status == null) {
      return line.append("MISSING").toString();
    }
    List<String> differs = differs(spec, status);
    line.append(created ? "created: " : "")
        .append(Counted.of(status.partitions(), "partition", "partitions"));
    if (differs.contains(TopicSpec.PARTITIONS)) {
      line.append(" (differs: wire-ingest creates it with ").append(spec.partitions()).append(')');
    }
    line.append(", ")
        .append(Counted.of(status.replicationFactor(), "replica", "replicas"))
        .append(", ")
        .append(Counted.of(status.offsets(), "offset", "offsets"));
    Optional<TopicSpec.Undersized> undersized = spec.undersized(status.configs());
    for (Map.Entry<String, String> c : shown(spec, status).entrySet()) {
      line.append("; ").append(c.getKey()).append('=').append(readable(c.getKey(), c.getValue()));
      if (c.getKey().equals(TopicConfig.MAX_MESSAGE_BYTES_CONFIG) && undersized.isPresent()) {
        // below wire-ingest's largest records: said so even where wire-ingest sets the limit
        // itself (feed state, fetch log), as readiness and the start's WARN say it, since a
        // value above the one it creates the topic with is only tuning
        line.append(" (differs: below the ")
            .append(undersized.get().needed().bytes())
            .append(" wire-ingest needs for its largest records)");
      } else if (differs.contains(c.getKey())) {
        line.append(" (differs: wire-ingest creates it with ")
            .append(readable(c.getKey(), spec.configs().get(c.getKey())))
            .append(')');
      }
    }
    return line.toString();
  }

  /**
   * The configs a line shows: those wire-ingest sets on this topic, its cleanup policy and its
   * largest record ({@code max.message.bytes}), in name order; not the broker's defaults that do
   * not apply (the retention of a compacted topic).
   */
  private static Map<String, String> shown(TopicSpec spec, TopicAdmin.TopicStatus status) {
    Map<String, String> shown = new TreeMap<>();
    status
        .configs()
        .forEach(
            (name, value) -> {
              if (spec.configs().containsKey(name)
                  || name.equals(TopicConfig.CLEANUP_POLICY_CONFIG)
                  || name.equals(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)) {
                shown.put(name, value);
              }
            });
    return shown;
  }

  /** A {@code *.ms} value also as a duration people read: {@code 7776000000 (90d)}. */
  private static String readable(String name, String value) {
    if (name.endsWith(".ms")) {
      try {
        long ms = Long.parseLong(value);
        if (ms >= 0) {
          return value + " (" + Durations.format(Duration.ofMillis(ms)) + ")";
        }
      } catch (NumberFormatException notAMillisecondCount) {
        // shown as it is
      }
    }
    return value;
  }

  static String jsonLine(TopicSpec spec, TopicAdmin.TopicStatus status, boolean created) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("topic", spec.name());
    o.put("exists", status != null);
    o.put("created", created);
    if (status != null) {
      o.put("partitions", status.partitions());
      o.put("replicationFactor", status.replicationFactor());
      o.put("offsets", status.offsets());
      o.set("configs", Json.MAPPER.valueToTree(shown(spec, status)));
    }
    o.set("expectedConfigs", Json.MAPPER.valueToTree(new TreeMap<>(spec.configs())));
    o.set("differs", Json.MAPPER.valueToTree(status == null ? List.of() : differs(spec, status)));
    return o.toString();
  }

  /**
   * What differs on the cluster from what wire-ingest would create: {@code partitions} first when
   * the partition count does (of any topic, though readiness compares only those something places
   * keys by, {@link TopicSpec#mismatches}), then the configs ({@link TopicSpec#differingConfigs}),
   * and {@code max.message.bytes} when it is below wire-ingest's largest records for the topic
   * ({@link TopicSpec#undersized}), as readiness warns of it, though the topic is created with the
   * broker's default.
   */
  private static List<String> differs(TopicSpec spec, TopicAdmin.TopicStatus status) {
    List<String> differs = new ArrayList<>();
    if (status.partitions() != spec.partitions()) {
      differs.add(TopicSpec.PARTITIONS);
    }
    differs.addAll(spec.differingConfigs(status.configs()));
    if (spec.undersized(status.configs()).isPresent()
        && !differs.contains(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)) {
      differs.add(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
    }
    return differs;
  }
}
