package org.wireingest.replay;

import java.io.IOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.FeedSource;
import org.wireingest.fetch.Redaction;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;
import org.wireingest.poll.KafkaPollSink;

/**
 * {@code wire-ingest replay --reparse}: reads a range of the fetch log in {@link TimestampMerge}
 * order, re-parses each stored body with the current parser ({@link Reparser}) and writes the raw
 * items — same key ({@code sourceId/itemKey}) and JSON as the poller's — to a separate raw-items
 * topic, with the fetch-log record's timestamp, so a later {@code replay --raw-topic} can normalise
 * them. Each item goes through the poller's size check ({@link KafkaPollSink#rawRecord}): one over
 * {@link KafkaPollSink#MAX_RAW_ITEM_BYTES} is logged and dead-lettered as the poller does it (to
 * the dead-letters topic, with the fetch-log record's timestamp), counted, and the run goes on. The
 * caller creates the topics when the first record is about to be written, so a run that writes
 * nothing leaves no empty topic behind. A source whose re-parsed bodies were fetched from another
 * URL than the feeds list gives it now ({@link Reparser#fromOtherUrl}) is warned of once and
 * counted in the summary.
 */
public final class ReparseJob {

  private static final Logger LOG = LoggerFactory.getLogger(ReparseJob.class);

  private ReparseJob() {}

  /**
   * @param fetchLogTopic the fetch-log topic read
   * @param from first record time (UTC, inclusive); null for the oldest retained
   * @param to end time (UTC, exclusive); null for the end offsets at start
   * @param sources source ids to re-parse (the fetch-log key); empty for all
   * @param targetTopic where the raw items go
   * @param deadLetterTopic where the dead letters of items too large for the target go
   * @param dryRun when true nothing is written
   */
  public record Request(
      String fetchLogTopic,
      Instant from,
      Instant to,
      Set<String> sources,
      String targetTopic,
      String deadLetterTopic,
      boolean dryRun) {
    public Request {
      Objects.requireNonNull(fetchLogTopic, "fetchLogTopic");
      Objects.requireNonNull(targetTopic, "targetTopic");
      Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
      sources = Set.copyOf(sources);
    }
  }

  /**
   * @param recordsRead records read from the range, of every source: the count of the progress line
   *     ({@link TopicHistory#recordsRead}), so a run stopped early says how far it got
   * @param fetchesReplayed fetch-log records of the selected sources handed on to be re-parsed:
   *     fewer than read with {@code --source}, and after a stop also by the records still waiting
   *     in the merge for a record of another partition
   * @param bodiesParsed stored bodies the current parser accepted
   * @param skipped fetches that gave no items, by reason
   * @param unreadable fetch-log records that are not fetch-log JSON
   * @param itemsTooLarge raw items over {@link KafkaPollSink#MAX_RAW_ITEM_BYTES}, dead-lettered
   *     instead of written (or, in a dry run, that would be), as the poller does
   * @param itemsWritten raw items written (or, in a dry run, that would be); not those too large
   * @param targetTopic the target topic
   * @param dryRun whether nothing was written
   * @param sourcesNotFound requested {@code --source} ids without a fetch-log record in the range;
   *     never null
   * @param sourcesNotInFeedsList ids of the sources whose stored bodies were skipped because the
   *     feeds list does not name them; never null
   * @param sourcesAtOtherUrl ids of the sources with a body re-parsed that was fetched from another
   *     URL than the feeds list gives them now ({@link Reparser#fromOtherUrl}; each warned of
   *     once); never null
   * @param listedSourceSeen whether any fetch-log record read (with a body or not) came from a
   *     source of the feeds list
   * @param interrupted whether the run stopped before the end of the range (Ctrl-C / SIGTERM:
   *     {@link ReplayProgress#stopRequested})
   */
  public record Summary(
      long recordsRead,
      long fetchesReplayed,
      long bodiesParsed,
      Map<Reparser.Reason, Long> skipped,
      long unreadable,
      long itemsTooLarge,
      long itemsWritten,
      String targetTopic,
      boolean dryRun,
      Set<String> sourcesNotFound,
      Set<String> sourcesNotInFeedsList,
      Set<String> sourcesAtOtherUrl,
      boolean listedSourceSeen,
      boolean interrupted) {

    public Summary {
      sourcesNotFound = Set.copyOf(sourcesNotFound);
      sourcesNotInFeedsList = Set.copyOf(sourcesNotInFeedsList);
      sourcesAtOtherUrl = Set.copyOf(sourcesAtOtherUrl);
    }

    /**
     * @return true when stored bodies were found but no fetch-log record at all came from a source
     *     of the feeds list: the list is not the one the poller used (a wrong {@code --feeds}), so
     *     nothing was re-parsed
     */
    public boolean noSourceInFeedsList() {
      return !interrupted && !listedSourceSeen && !sourcesNotInFeedsList.isEmpty();
    }

    /**
     * @return the one-line summary {@code replay --reparse} prints
     */
    public String line() {
      return String.format(
              Locale.ROOT,
              "replay --reparse: records read: %d | fetch-log records replayed: %d | bodies re-parsed: %d | sources at another URL: %d | parse failed: %d | body missing: %d | fetches of sources not in feeds list: %d | without body: %d | unreadable: %d | entries too large: %d | raw items: %d | %s",
              recordsRead,
              fetchesReplayed,
              bodiesParsed,
              sourcesAtOtherUrl.size(),
              count(Reparser.Reason.PARSE_FAILED),
              count(Reparser.Reason.BODY_MISSING),
              count(Reparser.Reason.UNKNOWN_SOURCE),
              count(Reparser.Reason.NO_BODY),
              unreadable,
              itemsTooLarge,
              itemsWritten,
              ArticleReplayJob.targetNote(targetTopic, dryRun, wroteNothing(), interrupted))
          + SourceSelection.note(sourcesNotFound, interrupted)
          + ArticleReplayJob.interruptedNote(interrupted, dryRun || wroteNothing());
    }

    /** No raw item and no dead letter: the topics were not created. */
    private boolean wroteNothing() {
      return itemsWritten == 0 && itemsTooLarge == 0;
    }

    private long count(Reparser.Reason reason) {
      return skipped.getOrDefault(reason, 0L);
    }
  }

  /**
   * @param clientProperties bootstrap servers and pass-through client settings
   * @param request what to re-parse
   * @param sources the current feeds list
   * @param parser the current parser
   * @param progress makes the progress display for a range of this many records
   * @param createTopics creates the target and dead-letter topics (when missing); run once, just
   *     before the first raw item or dead letter is written: never in a dry run, nor when nothing
   *     is to be written
   * @return the counts
   * @throws org.wireingest.config.ConfigException when the fetch-log topic does not exist
   * @throws HistoryReadException when reading or writing fails; once something was handed to the
   *     writer, its message says that the target may hold part of the run ({@link
   *     ArticleReplayJob#partlyWritten})
   * @throws RuntimeException what {@code createTopics} throws
   */
  public static Summary run(
      Map<String, Object> clientProperties,
      Request request,
      Map<String, FeedSource> sources,
      FeedParser parser,
      LongFunction<ReplayProgress> progress,
      Runnable createTopics) {
    Reparser reparser = new Reparser(parser, sources);
    long[] counts = new long[5]; // replayed, parsed, unreadable, items, items too large
    Map<Reparser.Reason, Long> skipped = new EnumMap<>(Reparser.Reason.class);
    SourceSelection selection = new SourceSelection(request.sources());
    Set<String> notInFeedsList = new TreeSet<>();
    Set<String> atOtherUrl = new TreeSet<>();
    boolean[] listedSourceSeen = {false};
    boolean complete;
    Once beforeFirstWrite = new Once(createTopics);
    TopicHistory history =
        TopicHistory.open(clientProperties, request.fetchLogTopic(), request.from(), request.to());
    try (history;
        HistoryWriter writer = request.dryRun() ? null : new HistoryWriter(clientProperties)) {
      complete =
          history.forEach(
              selection::test,
              record -> {
                counts[0]++;
                FetchLogRecord fetch;
                try {
                  fetch =
                      record.value() == null
                          ? null
                          : Json.MAPPER.readValue(record.value(), FetchLogRecord.class);
                } catch (IOException e) {
                  fetch = null;
                }
                if (fetch == null || fetch.sourceId() == null || fetch.startedAt() == null) {
                  counts[2]++;
                  return;
                }
                listedSourceSeen[0] |= sources.containsKey(fetch.sourceId());
                Reparser.Result result = reparser.apply(fetch);
                if (result instanceof Reparser.Result.Skipped s) {
                  skipped.merge(s.reason(), 1L, Long::sum);
                  if (s.reason() == Reparser.Reason.UNKNOWN_SOURCE) {
                    notInFeedsList.add(fetch.sourceId());
                  }
                  if (s.reason() != Reparser.Reason.NO_BODY) {
                    LOG.info(
                        "fetch of {} at {}: {}", fetch.sourceId(), fetch.startedAt(), s.detail());
                  }
                  return;
                }
                counts[1]++;
                FeedSource listed = sources.get(fetch.sourceId());
                if (Reparser.fromOtherUrl(fetch, listed) && atOtherUrl.add(listed.id())) {
                  // once per source: its every later body would say the same
                  LOG.warn(
                      "source {}: its stored bodies were fetched from {}, but the feeds list gives {}"
                          + " (the feed moved, its entry changed, or this is not the feeds list"
                          + " the poller used: give replay --feeds that list); re-parsed with the"
                          + " listed source's agency, language and identity policy",
                      listed.id(),
                      fetch.url(),
                      Redaction.url(listed.url()));
                }
                for (RawWireItem item : ((Reparser.Result.Items) result).items()) {
                  KafkaPollSink.RawRecord raw =
                      KafkaPollSink.rawRecord(item, request.targetTopic(), Instant.now());
                  if (raw instanceof KafkaPollSink.RawRecord.TooLarge tooLarge) {
                    counts[4]++;
                    if (writer != null) {
                      beforeFirstWrite.run();
                      writer.send(
                          request.deadLetterTopic(),
                          tooLarge.key(),
                          record.timestampMs(),
                          tooLarge.deadLetter(),
                          Map.of());
                    }
                    continue;
                  }
                  counts[3]++;
                  if (writer != null) {
                    beforeFirstWrite.run();
                    writer.sendJson(
                        request.targetTopic(),
                        raw.key(),
                        record.timestampMs(),
                        ((KafkaPollSink.RawRecord.Fits) raw).value());
                  }
                }
              },
              progress.apply(history.size()));
    } catch (HistoryReadException e) {
      throw beforeFirstWrite.ran()
          ? ArticleReplayJob.partlyWritten(
              e, history.recordsRead() + " records read", request.targetTopic())
          : e;
    }
    return new Summary(
        history.recordsRead(),
        counts[0],
        counts[1],
        Map.copyOf(skipped),
        counts[2],
        counts[4],
        counts[3],
        request.targetTopic(),
        request.dryRun(),
        selection.notMet(),
        notInFeedsList,
        atOtherUrl,
        listedSourceSeen[0],
        !complete);
  }

  /**
   * @return {@code sources} by id
   */
  public static Map<String, FeedSource> byId(List<FeedSource> sources) {
    return sources.stream().collect(Collectors.toMap(FeedSource::id, s -> s));
  }
}
