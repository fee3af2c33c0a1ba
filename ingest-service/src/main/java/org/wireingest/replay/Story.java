package org.wireingest.replay;

import java.time.Instant;
import java.util.List;
import org.wireingest.dedup.NearDuplicates;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.FetchLogRecord;

/**
 * Every version of one article with its lineage, as {@code wire-ingest story} shows it.
 *
 * @param uri the article {@code uri}
 * @param versions its versions in order (version 1 first); never null
 * @param rejected raw items of this {@code uri} the rules rejected (dead letters), in replay order;
 *     never null
 * @param cluster its live near-duplicate cluster, read from the story-signatures topic; null when
 *     the topic holds no record of it ({@link StoryCluster#read})
 */
public record Story(
    String uri, List<Version> versions, List<Rejected> rejected, StoryCluster cluster) {

  public Story {
    versions = List.copyOf(versions);
    rejected = List.copyOf(rejected);
  }

  /**
   * A story without its cluster (not looked up yet).
   *
   * @param uri the article {@code uri}
   * @param versions its versions in order; never null
   * @param rejected its rejected raw items; never null
   */
  public Story(String uri, List<Version> versions, List<Rejected> rejected) {
    this(uri, versions, rejected, null);
  }

  /**
   * @param cluster the live cluster; null when unknown
   * @return this story with {@code cluster}, and each version's event carrying {@link
   *     StoryCluster#own} as the live events do (a replay of one story alone gives it a cluster of
   *     its own). When {@code cluster} is null, the events keep that cluster only when their text
   *     is too short for a signature (then it is the live one too), and carry none otherwise
   *     (unknown: the live story may have joined another agency's)
   */
  public Story withCluster(StoryCluster cluster) {
    List<Version> clustered =
        versions.stream()
            .map(
                v -> {
                  ArticleEvent e = v.event();
                  ArticleEvent.Cluster c =
                      cluster != null
                          ? cluster.own()
                          : NearDuplicates.signature(e) == null ? e.cluster() : null;
                  return new Version(e.withCluster(c), v.rawItems());
                })
            .toList();
    return new Story(uri, clustered, rejected, cluster);
  }

  /**
   * @param event the article event of this version, as a replay derives it
   * @param rawItems the raw items behind it: the first made the version, the rest were suppressed
   *     as copies of it; never empty
   */
  public record Version(ArticleEvent event, List<RawItem> rawItems) {
    public Version {
      rawItems = List.copyOf(rawItems);
    }
  }

  /**
   * One raw item in the history of the article.
   *
   * @param topic the raw-items topic
   * @param partition its partition
   * @param offset its offset
   * @param key its key ({@code sourceId/itemKey})
   * @param timestamp its record timestamp (UTC)
   * @param sourceId the source that published it
   * @param fetchedAt when the fetch that delivered it completed (UTC)
   * @param entryHash SHA-256 (hex) of the entry as parsed
   * @param decision {@code created}, {@code updated}, or {@code duplicate:<reason>}
   * @param fetch the fetch-log record of that fetch; null when it is no longer retained
   */
  public record RawItem(
      String topic,
      int partition,
      long offset,
      String key,
      Instant timestamp,
      String sourceId,
      Instant fetchedAt,
      String entryHash,
      String decision,
      FetchLogRecord fetch) {}

  /**
   * @param rawItem the raw item (decision {@code dead-letter})
   * @param deadLetter why it was rejected
   */
  public record Rejected(RawItem rawItem, DeadLetter deadLetter) {}
}
