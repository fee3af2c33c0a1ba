package org.wireingest.replay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongFunction;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.wireingest.dedup.SignatureIndex;
import org.wireingest.normalize.Normalizer;
import org.wireingest.streams.DeadLetters;
import org.wireingest.streams.NormalizerStats;
import org.wireingest.streams.NormalizerSteps;

/**
 * {@code wire-ingest replay}: reads a range of a raw-items topic in {@link TimestampMerge} order,
 * runs it through {@link ArticleReplay} (the live rules, fresh state) and writes the article events
 * — same key ({@code uri}), CloudEvents headers and record timestamp as the live topology — to a
 * target topic, and dead letters to the dead-letters topic (keyed and with headers as live: {@link
 * ArticleReplay.Step.DeadLettered}; fitted to that topic's size as live: {@link
 * Request#deadLetterMaxBytes}). A dry run writes nothing. The caller creates the topics, once the
 * raw-items topic is known to exist ({@code createTopics}).
 */
public final class ArticleReplayJob {

  /**
   * Records at the start of the range that may all fail to read as raw wire items before the replay
   * stops: a topic whose first this many records are none is not a raw-items topic (a mistyped
   * {@code --raw-topic}), and its records must not become dead letters. Their dead letters, and the
   * WARN line each dead letter gets ({@link NormalizerSteps#logDeadLetter}), are held back until a
   * record reads: a refused topic logs none, as it writes none.
   */
  public static final int PROBE_RECORDS = 10;

  private ArticleReplayJob() {}

  /**
   * @param rawTopic the raw-items topic read
   * @param from first record time (UTC, inclusive); null for the oldest retained
   * @param to end time (UTC, exclusive); null for the end offsets at start
   * @param sources source ids to replay (by the raw key's {@code sourceId/} prefix); empty for all
   * @param targetTopic where article events go
   * @param deadLetterTopic where dead letters go
   * @param dryRun when true nothing is written
   * @param clusterWindow the near-duplicate window ({@link SignatureIndex#window}); positive
   * @param clusterIndexSize the most stories the near-duplicate index keeps ({@link
   *     SignatureIndex#maxStories}); at least 1
   * @param deadLetterMaxBytes the most bytes of JSON of a dead letter written ({@link
   *     DeadLetters#maxJsonBytes} of the dead-letter topic's {@code max.message.bytes}, as the live
   *     normalizer reads it); a larger one leaves out its copy of the input ({@link
   *     DeadLetters#fit}) instead of being refused by the topic; positive, at most {@link
   *     DeadLetters#MAX_DEAD_LETTER_BYTES}
   */
  public record Request(
      String rawTopic,
      Instant from,
      Instant to,
      Set<String> sources,
      String targetTopic,
      String deadLetterTopic,
      boolean dryRun,
      Duration clusterWindow,
      int clusterIndexSize,
      int deadLetterMaxBytes) {
    public Request {
      Objects.requireNonNull(rawTopic, "rawTopic");
      Objects.requireNonNull(targetTopic, "targetTopic");
      Objects.requireNonNull(clusterWindow, "clusterWindow");
      if (deadLetterMaxBytes < 1 || deadLetterMaxBytes > DeadLetters.MAX_DEAD_LETTER_BYTES) {
        throw new IllegalArgumentException(
            "deadLetterMaxBytes must be 1 to "
                + DeadLetters.MAX_DEAD_LETTER_BYTES
                + ": "
                + deadLetterMaxBytes);
      }
      sources = Set.copyOf(sources);
    }

    /**
     * A request with the near-duplicate index's defaults ({@link SignatureIndex#DEFAULT_WINDOW},
     * {@link SignatureIndex#DEFAULT_MAX_STORIES}), for a dead-letter topic that takes the dead
     * letters' full size.
     */
    public Request(
        String rawTopic,
        Instant from,
        Instant to,
        Set<String> sources,
        String targetTopic,
        String deadLetterTopic,
        boolean dryRun) {
      this(
          rawTopic,
          from,
          to,
          sources,
          targetTopic,
          deadLetterTopic,
          dryRun,
          SignatureIndex.DEFAULT_WINDOW,
          SignatureIndex.DEFAULT_MAX_STORIES,
          DeadLetters.MAX_DEAD_LETTER_BYTES);
    }
  }

  /**
   * @param recordsRead records read from the range, of every source: the count of the progress line
   *     ({@link TopicHistory#recordsRead}), so a run stopped early says how far it got
   * @param recordsReplayed raw records of the selected sources handed to the rules, in merged
   *     order: fewer than read with {@code --source}, and after a stop also by the records still
   *     waiting in the merge for a record of another partition
   * @param created articles created (version 1)
   * @param updated article versions 2 and later
   * @param duplicates drafts suppressed as duplicates
   * @param deadLetters records the rules rejected
   * @param targetTopic the target topic
   * @param dryRun whether nothing was written
   * @param sourcesNotFound requested {@code --source} ids without a raw record in the range; never
   *     null
   * @param interrupted whether the run stopped before the end of the range (Ctrl-C / SIGTERM:
   *     {@link ReplayProgress#stopRequested})
   * @param wroteNothing whether a real run had nothing to write (no event, no dead letter), so it
   *     created no topic; false for a dry run
   */
  public record Summary(
      long recordsRead,
      long recordsReplayed,
      long created,
      long updated,
      long duplicates,
      long deadLetters,
      String targetTopic,
      boolean dryRun,
      Set<String> sourcesNotFound,
      boolean interrupted,
      boolean wroteNothing) {

    public Summary {
      sourcesNotFound = Set.copyOf(sourcesNotFound);
    }

    /**
     * @return the one-line summary {@code replay} prints
     */
    public String line() {
      return String.format(
              Locale.ROOT,
              "replay: records read: %d | raw records replayed: %d | articles created: %d, updated: %d | duplicates suppressed: %d | dead letters: %d | %s",
              recordsRead,
              recordsReplayed,
              created,
              updated,
              duplicates,
              deadLetters,
              targetNote(targetTopic, dryRun, wroteNothing, interrupted))
          + SourceSelection.note(sourcesNotFound, interrupted)
          + interruptedNote(interrupted, dryRun || wroteNothing);
    }
  }

  /**
   * The summary's part about the target topic, the same for {@code replay} and {@code replay
   * --reparse}: {@code dry run, nothing written (target would be T)}, {@link #nothingWritten}, or
   * {@code target topic: T}.
   *
   * @param targetTopic the topic the run writes to
   * @param dryRun whether the run writes nothing by request
   * @param wroteNothing whether a real run wrote nothing (no record, no dead letter)
   * @param interrupted whether the run stopped before the end of the range
   */
  static String targetNote(
      String targetTopic, boolean dryRun, boolean wroteNothing, boolean interrupted) {
    return dryRun
        ? "dry run, nothing written (target would be " + targetTopic + ")"
        : wroteNothing ? nothingWritten(targetTopic, interrupted) : "target topic: " + targetTopic;
  }

  /**
   * The one wording for a run that wrote nothing to its target, which it then did not create when
   * the topic was missing (it creates the topic with the first record): {@code nothing to write to
   * T (not created when missing)}, or after Ctrl-C {@code nothing written yet to T (...)}, since
   * the rest of the range was not read.
   *
   * @param targetTopic the topic the run writes to; never null
   * @param interrupted whether the run stopped before the end of the range
   * @return the note, without a leading separator
   */
  public static String nothingWritten(String targetTopic, boolean interrupted) {
    return (interrupted ? "nothing written yet to " : "nothing to write to ")
        + targetTopic
        + " (not created when missing)";
  }

  /**
   * The summary's note for a run stopped by Ctrl-C / SIGTERM; "" for a whole run.
   *
   * @param interrupted whether the run stopped early
   * @param nothingWritten a dry run, or a run that had written nothing yet (and so made no target
   *     topic): nothing to finish or delete
   */
  static String interruptedNote(boolean interrupted, boolean nothingWritten) {
    return !interrupted
        ? ""
        : nothingWritten
            ? " | INTERRUPTED before the end of the range"
            : " | INTERRUPTED before the end of the range: the target holds what the records replayed so far gave, not every record read; to finish, replay into a new --target-topic"
                + " (or delete this one and run again)";
  }

  /**
   * A failure to read or write (Kafka gone away, a write refused) of a run that had begun writing:
   * the target then holds an unknown part of the run, as after a Ctrl-C ({@link #interruptedNote}),
   * and running again into it would write that part twice.
   *
   * @param failure the failure; its message is kept, with the note appended
   * @param progress how far the run got, e.g. {@code 2910 records read}
   * @param targetTopic the topic the run writes to
   * @return the failure, saying that {@code targetTopic} may hold part of the run and how to finish
   */
  static HistoryReadException partlyWritten(
      HistoryReadException failure, String progress, String targetTopic) {
    return new HistoryReadException(
        failure.getMessage()
            + " (after "
            + progress
            + ": "
            + targetTopic
            + " may hold part of the run; to finish, replay into a new --target-topic, or delete this one and run again)",
        failure.getCause() != null ? failure.getCause() : failure);
  }

  /**
   * @param clientProperties bootstrap servers and pass-through client settings
   * @param request what to replay
   * @param clock wall clock for {@code ingestedAt} of the replayed events
   * @param progress makes the progress display for a range of this many records
   * @return the counts
   * @throws org.wireingest.config.ConfigException when the raw-items topic does not exist
   * @throws HistoryReadException when reading or writing fails (once something was handed to the
   *     writer, its message says that the target may hold part of the run: {@link #partlyWritten}),
   *     or when none of the range's first {@value #PROBE_RECORDS} records (or all of a shorter
   *     range) is a raw wire item: then nothing was written
   */
  public static Summary run(
      Map<String, Object> clientProperties,
      Request request,
      Clock clock,
      LongFunction<ReplayProgress> progress) {
    return run(clientProperties, request, clock, progress, () -> {});
  }

  /**
   * As {@link #run(Map, Request, Clock, LongFunction)}, creating the topics written to only when
   * there is something to write: a mistyped {@code --raw-topic}, an empty range or a {@code
   * --source} without records leaves no empty target behind.
   *
   * @param createTopics creates the target and dead-letter topics (when missing); run once, just
   *     before the first event or dead letter is written; never in a dry run, nor when nothing is
   *     to be written
   * @throws RuntimeException what {@code createTopics} throws
   */
  public static Summary run(
      Map<String, Object> clientProperties,
      Request request,
      Clock clock,
      LongFunction<ReplayProgress> progress,
      Runnable createTopics) {
    NormalizerStats stats = new NormalizerStats(new SimpleMeterRegistry());
    // Each dead letter is logged here, with its write: not those of a topic refused by the probe.
    ArticleReplay replay =
        new ArticleReplay(
            new NormalizerSteps(
                new Normalizer(clock, Normalizer.DEFAULT_FUTURE_SKEW), stats, clock, letter -> {}),
            new SignatureIndex(request.clusterWindow(), request.clusterIndexSize(), clock));
    long[] replayed = {0}; // records handed to the rules
    boolean complete;
    SourceSelection selection = new SourceSelection(request.sources());
    Once beforeFirstWrite = new Once(createTopics);
    TopicHistory history =
        TopicHistory.open(clientProperties, request.rawTopic(), request.from(), request.to());
    try (history;
        HistoryWriter writer = request.dryRun() ? null : new HistoryWriter(clientProperties)) {
      List<Runnable> heldBack =
          new ArrayList<>(); // dead letters (and their WARNs) of the first records, until one reads
      boolean[] rawTopic = {false};
      complete =
          history.forEach(
              key -> selection.test(sourceIdOf(key)),
              record -> {
                replayed[0]++;
                ArticleReplay.Step step = replay.apply(record);
                if (!rawTopic[0]
                    && !(step instanceof ArticleReplay.Step.DeadLettered dead
                        && NormalizerSteps.STAGE_DESERIALIZE.equals(dead.deadLetter().stage()))) {
                  rawTopic[0] = true;
                  heldBack.forEach(Runnable::run);
                  heldBack.clear();
                }
                if (!rawTopic[0] && replayed[0] >= PROBE_RECORDS) {
                  throw notRawItems(
                      request.rawTopic(),
                      replayed[0],
                      record); // a dry run stops here too, as the real run would
                }
                if (step instanceof ArticleReplay.Step.DeadLettered dead) {
                  Runnable send =
                      () -> {
                        NormalizerSteps.logDeadLetter(
                            dead.deadLetter()); // a dry run too: it counts what it would write
                        if (writer != null) {
                          beforeFirstWrite.run();
                          writer.send(
                              request.deadLetterTopic(),
                              dead.key(),
                              record.timestampMs(),
                              DeadLetters.fit(dead.deadLetter(), request.deadLetterMaxBytes()),
                              markedAsReplayed(dead.headers(), request.targetTopic()));
                        }
                      };
                  if (rawTopic[0]) {
                    send.run();
                  } else {
                    heldBack.add(send);
                  }
                } else if (writer != null && step instanceof ArticleReplay.Step.Emitted emitted) {
                  beforeFirstWrite.run();
                  writer.send(
                      request.targetTopic(),
                      emitted.event().uri(),
                      record.timestampMs(),
                      emitted.event(),
                      emitted.headers());
                }
              },
              progress.apply(history.size()));
      if (complete && !rawTopic[0] && replayed[0] > 0) {
        throw notRawItems(request.rawTopic(), replayed[0], null);
      }
    } catch (HistoryReadException e) {
      throw beforeFirstWrite.ran()
          ? partlyWritten(e, history.recordsRead() + " records read", request.targetTopic())
          : e;
    }
    return new Summary(
        history.recordsRead(),
        replayed[0],
        stats.created(),
        stats.updated(),
        stats.duplicates(),
        stats.deadLetters(),
        request.targetTopic(),
        request.dryRun(),
        selection.notMet(),
        !complete,
        !request.dryRun() && !beforeFirstWrite.ran());
  }

  private static HistoryReadException notRawItems(String topic, long read, HistoryRecord last) {
    return new HistoryReadException(
        topic
            + " does not hold raw wire items: none of the "
            + (last == null ? "" : "first ")
            + read
            + " records read"
            + (last == null
                ? ""
                : " (up to partition " + last.partition() + ", offset " + last.offset() + ")")
            + " is one; check --raw-topic (nothing was written, no dead letters)",
        null);
  }

  /**
   * @return the source id of raw key {@code <sourceId>/<itemKey>}; null when the key has none
   */
  static String sourceIdOf(String key) {
    int slash = key == null ? -1 : key.indexOf('/');
    return slash > 0 ? key.substring(0, slash) : null;
  }

  /**
   * @return a copy of {@code headers} with {@link DeadLetters#REPLAY_TARGET_HEADER} added last
   */
  private static Headers markedAsReplayed(Headers headers, String targetTopic) {
    RecordHeaders marked = new RecordHeaders(headers.toArray());
    marked.add(DeadLetters.REPLAY_TARGET_HEADER, targetTopic.getBytes(StandardCharsets.UTF_8));
    return marked;
  }
}
