package org.wireingest.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.Durations;
import org.wireingest.fetch.FetchOutcome;
import org.wireingest.kafka.KafkaConnection;
import org.wireingest.kafka.Topics;
import org.wireingest.model.FeedState;
import org.wireingest.poll.FeedPoller;
import org.wireingest.poll.PollResult;
import org.wireingest.poll.PollScheduler;
import org.wireingest.streams.NormalizerApp;
import org.wireingest.streams.NormalizerStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wire-ingest run}: poller + normalizer + the ops HTTP server in one process (see {@link
 * ServiceCommand}), until Ctrl-C or, with --once, one round of every feed (no poller group).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the feed poller and the normalizer until Ctrl-C.",
      "With --once: polls every feed once, waits until the normalizer has caught up, prints a summary and exits 0 (1 if any feed failed)."
    })
final class RunCommand extends ServiceCommand {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Mixin PollerOptions poller;

  @Mixin NormalizerOptions normalizer;

  @Option(
      names = "--once",
      description =
          "Poll every feed once (all of them: no poller group), wait for the normalizer, print a summary, exit.")
  boolean once;

  @Option(
      names = "--catch-up-timeout",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description =
          "With --once: longest wait for the normalizer to catch up (default: ${DEFAULT-VALUE}).")
  Duration catchUpTimeout;

  @Override
  PollerOptions pollerOptions() {
    return poller;
  }

  @Override
  NormalizerOptions normalizerOptions() {
    return normalizer;
  }

  @Override
  boolean once() {
    return once;
  }

  @Override
  int runOnce(
      PollScheduler scheduler,
      KafkaConnection conn,
      Topics topics,
      NormalizerApp normalizer,
      NormalizerStats stats)
      throws Exception {
    Admin admin = conn.admin();
    Map<String, Instant> throttled = scheduler.throttled();
    int toPoll = scheduler.feeds().size() - throttled.size();
    // the feeds reported below, not a second look; on Ctrl-C / SIGTERM the polls under way finish
    List<PollResult> results = scheduler.pollOnce(throttled.keySet(), this::stopRequested);
    if (stopRequested()) {
      LOG.info(
          "stopping: {} of {} feeds polled; not waiting for the normalizer",
          results.size(),
          toPoll);
    }
    long deadline = System.nanoTime() + catchUpTimeout.toNanos();
    boolean caughtUp =
        !stopRequested()
            && awaitCommitted(admin, topics.rawItems(), deadline, normalizer)
            && !stopRequested()
            && stats.awaitDecided(
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), Duration.ofSeconds(3));
    KafkaStreams.State normalizerState = normalizer.state();
    normalizer.close();
    PrintWriter out = spec.commandLine().getOut();
    long failed = results.stream().filter(r -> !r.succeeded()).count();
    long notModified =
        results.stream().filter(r -> r.outcome() != PollResult.Outcome.OK && r.succeeded()).count();
    int seen = results.stream().mapToInt(PollResult::entriesSeen).sum();
    int published = results.stream().mapToInt(PollResult::published).sum();
    int tooLarge =
        results.stream()
            .mapToInt(r -> r.warnings().getOrDefault(FeedPoller.ENTRY_TOO_LARGE, 0))
            .sum();
    List<String> notes = feedNotes(results);
    long truncated = results.stream().filter(r -> r.succeeded() && r.truncated()).count();
    out.printf(
        "feeds: %d ok (%d not modified or unchanged%s), %d failed%s | entries seen: %d | raw items published: %d | articles created: %d, updated: %d | duplicates suppressed: %d | dead letters: %d%n",
        results.size() - failed,
        notModified,
        truncated == 0 ? "" : ", " + truncated + " truncated: read in part",
        failed,
        throttled.isEmpty() ? "" : ", " + throttled.size() + " throttled (not polled)",
        seen,
        published,
        stats.created(),
        stats.updated(),
        stats.duplicates(),
        stats.deadLetters() + tooLarge);
    if (tooLarge > 0) {
      out.printf(
          "entries too large for %s, sent to the dead-letter topic by the poller: %d (among the dead letters above)%n",
          topics.rawItems(), tooLarge);
    }
    throttled.forEach(
        (id, until) ->
            out.printf(
                "throttled feed %s: its server answered 429 too-many-requests; not polled before %s (Retry-After or back-off)%n",
                id, until.truncatedTo(ChronoUnit.SECONDS)));
    for (PollResult r : results) {
      if (!r.succeeded()) {
        out.printf("failed feed %s: %s: %s%n", r.sourceId(), r.code(), r.message());
      }
    }
    notes.forEach(out::println);
    if (results.stream()
        .anyMatch(r -> !r.succeeded() && FetchOutcome.BLOCKED_ADDRESS.code().equals(r.code()))) {
      out.println(CheckFeedCommand.blockedAddressHint("run"));
    }
    if (stopRequested()) {
      out.printf(
          "INTERRUPTED (Ctrl-C / SIGTERM): %s; the normalizer was not waited for, so the counts above may be"
              + " incomplete (what was published is normalised by the next run)%n",
          results.size() == toPoll
              ? "every feed polled"
              : results.size() + " of " + toPoll + " feeds polled, the others not");
      out.flush();
      return 1;
    }
    if (!caughtUp && hasStopped(normalizerState)) {
      out.printf(
          "normalizer stopped (Kafka Streams state %s) before it caught up: the counts above are"
              + " not final (they may count work its aborted transactions undid); the log's ERROR"
              + " lines say why (what was published is normalised by the next run)%n",
          normalizerState);
      out.flush();
      return 1;
    }
    if (!caughtUp) {
      out.printf(
          "normalizer did not catch up within %s: counts above may be incomplete%n",
          Durations.format(catchUpTimeout));
      out.flush();
      return 1;
    }
    out.flush();
    return failed > 0 ? 1 : 0;
  }

  /**
   * The lines of the summary that name a feed polled successfully but not whole or not where the
   * feeds list says: its documents come cut off ({@link FeedState#truncatedSince()}), or its URL
   * has moved permanently ({@link FeedState#movedTo()}). A cron job's log shows only this summary,
   * where both read "ok".
   *
   * @param results this round's poll results; never null
   * @return one line per such feed and problem, in the order of {@code results}; never null
   */
  static List<String> feedNotes(List<PollResult> results) {
    List<String> lines = new ArrayList<>();
    for (PollResult r : results) {
      if (r.succeeded() && r.truncated()) {
        lines.add(
            "truncated feed "
                + r.sourceId()
                + ": its document ends before its last element is closed (since "
                + r.state().truncatedSince()
                + "); its complete entries were read, anything past the cut is lost");
      }
      if (r.succeeded() && r.state() != null && r.state().movedTo() != null) {
        lines.add(
            "moved feed "
                + r.sourceId()
                + ": its URL has moved permanently (301 / 308) to "
                + r.state().movedTo()
                + "; give the new URL in the feeds list");
      }
    }
    return lines;
  }

  /**
   * Waits until the normalizer's consumer group has committed every raw item written so far: what
   * the first stage made of each is committed in the same transaction (an item on its uri's
   * partition already decided, any other in the repartition topic); {@code stats.awaitDecided} then
   * waits for the rest. The raw-items topic is written without transactions, so its end offset is
   * exact. Gives up at once when the normalizer has stopped ({@link #hasStopped}: e.g. its stream
   * threads failed more often than they are replaced), which no wait mends.
   *
   * @return true when every raw item is committed; false at {@code deadlineNanos}, on Ctrl-C /
   *     SIGTERM, or when the normalizer has stopped
   */
  private boolean awaitCommitted(
      Admin admin, String topic, long deadlineNanos, NormalizerApp normalizer) throws Exception {
    var parts = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
    Map<TopicPartition, OffsetSpec> req =
        parts.stream()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
    Map<TopicPartition, Long> end =
        admin.listOffsets(req).all().get().entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    while (System.nanoTime() < deadlineNanos
        && !stopRequested()
        && !hasStopped(normalizer.state())) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(this.normalizer.applicationId)
              .partitionsToOffsetAndMetadata()
              .get();
      boolean done =
          end.entrySet().stream()
              .allMatch(
                  e ->
                      e.getValue() == 0
                          || committed.get(e.getKey()) != null
                              && committed.get(e.getKey()).offset() >= e.getValue());
      if (done) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }

  /**
   * @param state the normalizer's Kafka Streams state
   * @return whether it has stopped or is stopping ({@code PENDING_ERROR}, {@code ERROR}, {@code
   *     PENDING_SHUTDOWN}, {@code NOT_RUNNING}): it normalises nothing more in this process
   */
  static boolean hasStopped(KafkaStreams.State state) {
    return state.isShuttingDown() || state.hasCompletedShutdown();
  }
}
