package org.wireingest.replay;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.wireingest.dedup.ArticleUri;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.Normalizer;
import org.wireingest.streams.NormalizerListener;
import org.wireingest.streams.NormalizerSteps;

/**
 * {@code wire-ingest story}: the versions of one article, derived by replaying its raw history (the
 * articles topic is compacted, so old versions may be gone from it): every raw item in the range
 * whose {@code uri} — computed from the item's agency and identity ({@link ArticleUri}) — is the
 * one asked for goes through {@link ArticleReplay} with a fresh state, which gives the same
 * versions as a full replay (version state is per {@code uri}). Then the fetch log of the sources
 * involved is read around those fetch times and joined ({@link StoryBuilder}).
 */
public final class StoryJob {

  /**
   * Margin around the items' fetch times when reading the fetch log: fetch-log records are written
   * after the fetch.
   */
  static final Duration FETCH_LOG_MARGIN = Duration.ofHours(1);

  private StoryJob() {}

  /**
   * @param clientProperties bootstrap servers and pass-through client settings
   * @param rawTopic the raw-items topic
   * @param fetchLogTopic the fetch-log topic
   * @param storySignaturesTopic the story-signatures topic, for the live near-duplicate cluster
   *     ({@link StoryCluster#read}); null to leave the cluster out
   * @param uri the article {@code uri}
   * @param from first raw record time (UTC); null for the oldest retained
   * @param to end time (UTC, exclusive); null for now
   * @param clock wall clock (only {@code ingestedAt} of the derived events)
   * @return the story; no versions when no raw item of the range has this {@code uri}
   * @throws org.wireingest.config.ConfigException when a topic does not exist
   * @throws HistoryReadException when reading fails
   */
  public static Story run(
      Map<String, Object> clientProperties,
      String rawTopic,
      String fetchLogTopic,
      String storySignaturesTopic,
      String uri,
      Instant from,
      Instant to,
      Clock clock) {
    return run(
        clientProperties,
        rawTopic,
        fetchLogTopic,
        storySignaturesTopic,
        uri,
        from,
        to,
        clock,
        () -> false);
  }

  /**
   * As {@link #run(Map, String, String, String, String, Instant, Instant, Clock)}, stopping between
   * records once {@code stopRequested} says so (Ctrl-C / SIGTERM): the story returned is then cut
   * short, and the caller, which knows of the request, must not show it as the whole story.
   *
   * @param stopRequested whether to stop before the end of the history; read before each poll
   */
  public static Story run(
      Map<String, Object> clientProperties,
      String rawTopic,
      String fetchLogTopic,
      String storySignaturesTopic,
      String uri,
      Instant from,
      Instant to,
      Clock clock,
      BooleanSupplier stopRequested) {
    ReplayProgress progress = ReplayProgress.silent(stopRequested);
    // A rejected raw item is shown as the story's, not logged as a dead letter: story writes none.
    ArticleReplay replay =
        new ArticleReplay(
            new NormalizerSteps(
                new Normalizer(clock, Normalizer.DEFAULT_FUTURE_SKEW),
                NormalizerListener.NONE,
                clock,
                letter -> {}),
            clock);
    StoryBuilder story = new StoryBuilder(uri);
    Instant[] fetched = {null, null};
    try (TopicHistory raw = TopicHistory.open(clientProperties, rawTopic, from, to)) {
      raw.forEach(
          key -> true,
          record -> {
            RawWireItem item = rawItemOf(record, uri);
            if (item != null) {
              story.add(record, item, replay.apply(record));
              Instant at =
                  item.fetch() != null && item.fetch().fetchedAt() != null
                      ? item.fetch().fetchedAt()
                      : record.timestamp();
              fetched[0] = fetched[0] == null || at.isBefore(fetched[0]) ? at : fetched[0];
              fetched[1] = fetched[1] == null || at.isAfter(fetched[1]) ? at : fetched[1];
            }
          },
          progress);
    }
    if (story.isEmpty() || stopRequested.getAsBoolean()) {
      return story.build(Map.of());
    }
    Set<String> sources = story.sourceIds();
    Map<String, List<FetchLogRecord>> fetches = new HashMap<>();
    try (TopicHistory log =
        TopicHistory.open(
            clientProperties,
            fetchLogTopic,
            fetched[0].minus(FETCH_LOG_MARGIN),
            fetched[1].plus(FETCH_LOG_MARGIN))) {
      log.forEach(
          sources::contains,
          record -> {
            try {
              FetchLogRecord f = Json.MAPPER.readValue(record.value(), FetchLogRecord.class);
              if (f != null && f.startedAt() != null) {
                fetches.computeIfAbsent(f.sourceId(), id -> new ArrayList<>()).add(f);
              }
            } catch (IOException | IllegalArgumentException e) {
              // not a fetch-log record: nothing to join
            }
          },
          progress);
    }
    Story built = story.build(fetches);
    return storySignaturesTopic == null
        ? built
        : built.withCluster(StoryCluster.read(clientProperties, storySignaturesTopic, uri));
  }

  /**
   * @return the raw item of {@code record} when it is one of {@code uri}'s; null otherwise (other
   *     story, or not a raw item)
   */
  private static RawWireItem rawItemOf(HistoryRecord record, String uri) {
    if (record.value() == null) {
      return null;
    }
    try {
      RawWireItem item = Json.MAPPER.readValue(record.value(), RawWireItem.class);
      if (item == null || item.source() == null || item.identity() == null) {
        return null;
      }
      return uri.equals(ArticleUri.of(item.source().agency(), item.identity())) ? item : null;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
