package org.wireingest.replay;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * involved is read around those fetch times and joined ({@link StoryBuilder}). An editor holding
 * the agency's link or the entry's GUID instead of the {@code uri} finds the stories it names first
 * ({@link #find}, one more read of the raw history).
 */
public final class StoryJob {

  /**
   * Margin around the items' fetch times when reading the fetch log: fetch-log records are written
   * after the fetch.
   */
  static final Duration FETCH_LOG_MARGIN = Duration.ofHours(1);

  /**
   * Most stories one GUID or link may name ({@link #find}): a GUID reused across many feeds names
   * more, and each story shown is held in memory whole.
   */
  public static final int MAX_STORIES = 10;

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
    return runAll(
            clientProperties,
            rawTopic,
            fetchLogTopic,
            storySignaturesTopic,
            List.of(uri),
            from,
            to,
            clock,
            stopRequested)
        .get(0);
  }

  /**
   * The stories of several {@code uri}s, each as {@link #run(Map, String, String, String, String,
   * Instant, Instant, Clock, BooleanSupplier)} tells it alone (each replayed with a state and a
   * near-duplicate index of its own), from one read of the raw history and one of the fetch log
   * (from {@link #FETCH_LOG_MARGIN} before the first fetch time of them all to that margin after
   * the last). Each story is joined with the fetch-log records of its own sources around its own
   * fetch times ({@link #FETCH_LOG_MARGIN}), as alone: no fetch of another story's day. Memory: the
   * raw items of these stories, and the fetch-log records around each.
   *
   * @param uris the article {@code uri}s, distinct; never null
   * @return one story per {@code uri}, in the order given; a story without versions when no raw
   *     item of the range has its {@code uri}
   * @throws org.wireingest.config.ConfigException when a topic does not exist
   * @throws HistoryReadException when reading fails
   */
  public static List<Story> runAll(
      Map<String, Object> clientProperties,
      String rawTopic,
      String fetchLogTopic,
      String storySignaturesTopic,
      List<String> uris,
      Instant from,
      Instant to,
      Clock clock,
      BooleanSupplier stopRequested) {
    ReplayProgress progress = ReplayProgress.silent(stopRequested);
    Map<String, Told> told = new LinkedHashMap<>();
    for (String uri : uris) {
      told.put(uri, new Told(clock, uri));
    }
    Instant[] fetched = {null, null};
    try (TopicHistory raw = TopicHistory.open(clientProperties, rawTopic, from, to)) {
      raw.forEach(
          key -> true,
          record -> {
            RawWireItem item = rawItemOf(record);
            Told t = item == null ? null : told.get(uriOf(item));
            if (t != null) {
              t.story.add(record, item, t.replay.apply(record));
              Instant at =
                  item.fetch() != null && item.fetch().fetchedAt() != null
                      ? item.fetch().fetchedAt()
                      : record.timestamp();
              t.fetchedAt(at);
              fetched[0] = fetched[0] == null || at.isBefore(fetched[0]) ? at : fetched[0];
              fetched[1] = fetched[1] == null || at.isAfter(fetched[1]) ? at : fetched[1];
            }
          },
          progress);
    }
    if (fetched[0] == null || stopRequested.getAsBoolean()) {
      return told.values().stream().map(t -> t.story.build(Map.of())).toList();
    }
    Set<String> sources = new LinkedHashSet<>();
    told.values().forEach(t -> sources.addAll(t.story.sourceIds()));
    List<Joined> fetches = new ArrayList<>();
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
              Joined fetch =
                  f == null || f.startedAt() == null ? null : new Joined(record.timestamp(), f);
              if (fetch != null && told.values().stream().anyMatch(t -> t.joins(fetch))) {
                fetches.add(fetch);
              }
            } catch (IOException | IllegalArgumentException e) {
              // not a fetch-log record: nothing to join
            }
          },
          progress);
    }
    List<Story> stories = new ArrayList<>();
    for (Told t : told.values()) {
      if (t.story.isEmpty()) {
        stories.add(t.story.build(Map.of()));
        continue;
      }
      Map<String, List<FetchLogRecord>> own = new HashMap<>();
      fetches.stream()
          .filter(t::joins)
          .forEach(
              j ->
                  own.computeIfAbsent(j.fetch().sourceId(), id -> new ArrayList<>())
                      .add(j.fetch()));
      Story built = t.story.build(own);
      stories.add(
          storySignaturesTopic == null
              ? built
              : built.withCluster(
                  StoryCluster.read(clientProperties, storySignaturesTopic, t.uri)));
    }
    return stories;
  }

  /**
   * What a GUID or link names in the raw history: the {@code uri}s of the raw items whose GUID or
   * link it is ({@link GuidOrLink#match}), each once, with the strongest match of its raw items.
   *
   * @param uris the {@code uri}s found: those named by a raw item's GUID or link ({@link
   *     GuidOrLink.Match#SAME}) first, then the weaker matches, by {@link GuidOrLink.Match} order;
   *     within each, in the order of their first such raw item (replay order); at most {@link
   *     #MAX_STORIES}
   * @param matches how each of {@code uris} was found; never {@link GuidOrLink.Match#NONE}
   * @param more true when more than {@link #MAX_STORIES} {@code uri}s were found of the strongest
   *     kind of match found: the list holds the first of them, not all
   * @param weakerLeftOut true when stories with a weaker match were left out, so as to show at most
   *     {@link #MAX_STORIES}: a kind of match is shown whole or not at all
   */
  public record Found(
      List<String> uris,
      Map<String, GuidOrLink.Match> matches,
      boolean more,
      boolean weakerLeftOut) {

    /** Copies the list and the map. */
    public Found {
      uris = List.copyOf(uris);
      matches = Map.copyOf(matches);
    }

    /**
     * @param uri one of {@link #uris}
     * @return how it was found
     */
    public GuidOrLink.Match match(String uri) {
      return matches.getOrDefault(uri, GuidOrLink.Match.NONE);
    }
  }

  /**
   * Finds the stories a GUID or link names, reading the raw history of the range once (stopping
   * early once more than {@link #MAX_STORIES} have it as their GUID or link, or when {@code
   * stopRequested} says so). A story whose raw items have the reference only with the other scheme,
   * or only among their other links ({@link GuidOrLink.Match}), is found as well, and comes after
   * those that have it as their GUID or link: a lookup never picks one of several stories silently.
   * A weaker kind of match is given whole when it fits within {@link #MAX_STORIES}, else left out
   * ({@link Found#weakerLeftOut}), so that a link many stories carry as a {@code related} link does
   * not hide the one story it is the link of. Memory: the {@code uri}s found, at most {@link
   * #MAX_STORIES} + 1 of each strength.
   *
   * @param clientProperties bootstrap servers and pass-through client settings
   * @param rawTopic the raw-items topic
   * @param reference the GUID or link; never null
   * @param from first raw record time (UTC); null for the oldest retained
   * @param to end time (UTC, exclusive); null for now
   * @param stopRequested whether to stop before the end of the history; read before each poll
   * @return the {@code uri}s found; none when no raw item of the range has that GUID or link
   * @throws org.wireingest.config.ConfigException when the topic does not exist
   * @throws HistoryReadException when reading fails
   */
  public static Found find(
      Map<String, Object> clientProperties,
      String rawTopic,
      GuidOrLink reference,
      Instant from,
      Instant to,
      BooleanSupplier stopRequested) {
    Map<String, GuidOrLink.Match> found = new LinkedHashMap<>();
    // per kind of match: how many uris are kept, and whether one more was left unkept
    int[] kept = new int[GuidOrLink.Match.values().length];
    boolean[] full = new boolean[kept.length];
    int same = GuidOrLink.Match.SAME.ordinal();
    ReplayProgress progress =
        ReplayProgress.silent(() -> kept[same] > MAX_STORIES || stopRequested.getAsBoolean());
    try (TopicHistory raw = TopicHistory.open(clientProperties, rawTopic, from, to)) {
      raw.forEach(
          key -> true,
          record -> {
            RawWireItem item = kept[same] > MAX_STORIES ? null : rawItemOf(record);
            GuidOrLink.Match match =
                item == null ? GuidOrLink.Match.NONE : reference.match(item.entry());
            String uri = match == GuidOrLink.Match.NONE ? null : uriOf(item);
            GuidOrLink.Match was = uri == null ? null : found.get(uri);
            if (uri == null || (was != null && was.compareTo(match) <= 0)) {
              return;
            }
            if (kept[match.ordinal()] > MAX_STORIES) {
              full[match.ordinal()] = true;
              return;
            }
            if (was != null) {
              kept[was.ordinal()]--;
              found.remove(uri); // kept in the order it is met as the stronger kind
            }
            found.put(uri, match);
            kept[match.ordinal()]++;
          },
          progress);
    }
    List<String> uris = new ArrayList<>();
    boolean more = false;
    boolean weakerLeftOut = false;
    for (GuidOrLink.Match kind : GuidOrLink.Match.values()) {
      List<String> ofKind = found.keySet().stream().filter(uri -> found.get(uri) == kind).toList();
      if (ofKind.isEmpty()) {
        continue;
      }
      if (full[kind.ordinal()] || uris.size() + ofKind.size() > MAX_STORIES) {
        if (uris.isEmpty()) {
          more = true;
          uris.addAll(ofKind.subList(0, Math.min(MAX_STORIES, ofKind.size())));
        } else {
          weakerLeftOut = true;
        }
        break;
      }
      uris.addAll(ofKind);
    }
    Map<String, GuidOrLink.Match> matches = new HashMap<>();
    uris.forEach(uri -> matches.put(uri, found.get(uri)));
    return new Found(uris, matches, more, weakerLeftOut);
  }

  /** A fetch-log record and its record time. */
  private record Joined(Instant at, FetchLogRecord fetch) {}

  /** The story of one {@code uri} being collected, with a replay of its own. */
  private static final class Told {
    final String uri;
    final StoryBuilder story;
    final ArticleReplay replay;
    private Instant firstFetched;
    private Instant lastFetched;
    private Set<String> sources;

    /** Notes the fetch time of one of the story's raw items. */
    void fetchedAt(Instant at) {
      firstFetched = firstFetched == null || at.isBefore(firstFetched) ? at : firstFetched;
      lastFetched = lastFetched == null || at.isAfter(lastFetched) ? at : lastFetched;
    }

    /**
     * @return whether {@code fetch} is one the story alone is joined with: of one of its sources,
     *     its record time from {@link #FETCH_LOG_MARGIN} before the story's first fetch time to
     *     that margin after its last (exclusive), the range {@link StoryJob#run} reads the fetch
     *     log in
     */
    boolean joins(Joined fetch) {
      if (firstFetched == null) {
        return false;
      }
      if (sources == null) {
        sources = story.sourceIds(); // its raw items are all read by then
      }
      return sources.contains(fetch.fetch().sourceId())
          && !fetch.at().isBefore(firstFetched.minus(FETCH_LOG_MARGIN))
          && fetch.at().isBefore(lastFetched.plus(FETCH_LOG_MARGIN));
    }

    Told(Clock clock, String uri) {
      this.uri = uri;
      this.story = new StoryBuilder(uri);
      // A rejected raw item is shown as the story's, not logged as a dead letter: story writes
      // none.
      this.replay =
          new ArticleReplay(
              new NormalizerSteps(
                  new Normalizer(clock, Normalizer.DEFAULT_FUTURE_SKEW),
                  NormalizerListener.NONE,
                  clock,
                  letter -> {}),
              clock);
    }
  }

  /**
   * @return the item's {@code uri}; null when it has none (an agency or identity no poller writes)
   */
  private static String uriOf(RawWireItem item) {
    try {
      return ArticleUri.of(item.source().agency(), item.identity());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * @return the raw item of {@code record}, with a source and an identity; null otherwise (not a
   *     raw item)
   */
  private static RawWireItem rawItemOf(HistoryRecord record) {
    if (record.value() == null) {
      return null;
    }
    try {
      RawWireItem item = Json.MAPPER.readValue(record.value(), RawWireItem.class);
      if (item == null || item.source() == null || item.identity() == null) {
        return null;
      }
      return item;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
