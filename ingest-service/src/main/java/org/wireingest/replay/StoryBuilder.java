package org.wireingest.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.RawWireItem;

/**
 * Collects the replay steps of one {@code uri} into a {@link Story}, then joins each raw item to
 * the fetch that delivered it: the latest fetch-log record of the item's source that started at or
 * before the item's {@code fetchedAt} (preferring one whose body hash matches the item's). Not
 * thread-safe.
 */
public final class StoryBuilder {

  private final String uri;
  private final List<Pending> pending = new ArrayList<>();

  private record Pending(HistoryRecord record, RawWireItem item, ArticleReplay.Step step) {}

  /**
   * @param uri the article {@code uri} told
   */
  public StoryBuilder(String uri) {
    this.uri = Objects.requireNonNull(uri, "uri");
  }

  /**
   * @param record a raw-items record of this {@code uri}, in replay order
   * @param item its value
   * @param step what the replay made of it
   */
  public void add(HistoryRecord record, RawWireItem item, ArticleReplay.Step step) {
    pending.add(new Pending(record, item, step));
  }

  /**
   * @return the ids of the sources whose items were added, for reading their fetch log
   */
  public Set<String> sourceIds() {
    Set<String> ids = new LinkedHashSet<>();
    pending.forEach(p -> ids.add(p.item().source().id()));
    return ids;
  }

  /**
   * @return true when no raw item of the {@code uri} was added
   */
  public boolean isEmpty() {
    return pending.isEmpty();
  }

  /**
   * @param fetchesBySource fetch-log records by source id (any order); sources may be missing
   * @return the story; versions in order, each with its raw items
   */
  public Story build(Map<String, List<FetchLogRecord>> fetchesBySource) {
    List<Story.Version> versions = new ArrayList<>();
    List<Story.Rejected> rejected = new ArrayList<>();
    List<Story.RawItem> current = null;
    ArticleEvent currentEvent = null;
    for (Pending p : pending) {
      FetchLogRecord fetch =
          fetchOf(p.item(), fetchesBySource.getOrDefault(p.item().source().id(), List.of()));
      if (p.step() instanceof ArticleReplay.Step.Emitted emitted) {
        if (currentEvent != null) {
          versions.add(new Story.Version(currentEvent, current));
        }
        currentEvent = emitted.event();
        current = new ArrayList<>();
        current.add(rawItem(p, emitted.event().changeType(), fetch));
      } else if (p.step() instanceof ArticleReplay.Step.Suppressed suppressed) {
        // a version always precedes its duplicates: the first item of a uri creates it
        current.add(rawItem(p, "duplicate:" + suppressed.reason(), fetch));
      } else {
        rejected.add(
            new Story.Rejected(
                rawItem(p, "dead-letter", fetch),
                ((ArticleReplay.Step.DeadLettered) p.step()).deadLetter()));
      }
    }
    if (currentEvent != null) {
      versions.add(new Story.Version(currentEvent, current));
    }
    return new Story(uri, versions, rejected);
  }

  private static Story.RawItem rawItem(Pending p, String decision, FetchLogRecord fetch) {
    HistoryRecord r = p.record();
    RawWireItem item = p.item();
    return new Story.RawItem(
        r.topic(),
        r.partition(),
        r.offset(),
        r.key(),
        r.timestamp(),
        item.source().id(),
        item.fetch() == null ? null : item.fetch().fetchedAt(),
        item.entryHash(),
        decision,
        fetch);
  }

  /**
   * The fetch that delivered {@code item}: latest start at or before its fetch time, matching body
   * hash first.
   */
  static FetchLogRecord fetchOf(RawWireItem item, List<FetchLogRecord> fetches) {
    if (item.fetch() == null || item.fetch().fetchedAt() == null) {
      return null;
    }
    Comparator<FetchLogRecord> newest = Comparator.comparing(FetchLogRecord::startedAt);
    List<FetchLogRecord> before =
        fetches.stream().filter(f -> !f.startedAt().isAfter(item.fetch().fetchedAt())).toList();
    String sha = item.fetch().bodySha256();
    return before.stream()
        .filter(f -> sha != null && sha.equals(f.bodySha256()))
        .max(newest)
        .orElseGet(() -> before.stream().max(newest).orElse(null));
  }
}
