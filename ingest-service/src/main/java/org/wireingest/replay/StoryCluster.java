package org.wireingest.replay;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.wireingest.config.ConfigException;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.Json;
import org.wireingest.model.StorySignature;

/**
 * The live near-duplicate cluster of one article, as the normalizer recorded it in the
 * story-signatures topic ({@code wire.story-signatures.v1}, kept 7 days by default): the answer to
 * "why was this story published twice" when two agencies carried it. A replay cannot derive it (it
 * clusters only the stories it replays), so {@code story} reads it from the topic.
 *
 * @param id the cluster id ({@code urn:wire:cluster:<32 hex>})
 * @param own the article's own cluster, as its events carry it ({@link ArticleEvent#cluster})
 * @param members every story of the cluster the topic holds, the article included, by {@code
 *     firstCreated} (then {@code uri}); never empty
 */
public record StoryCluster(String id, ArticleEvent.Cluster own, List<Member> members) {

  public StoryCluster {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(own, "own");
    members = List.copyOf(members);
  }

  /**
   * One story of the cluster.
   *
   * @param uri its article {@code uri}
   * @param firstCreated its {@code firstCreated} (UTC)
   * @param nearDuplicateOf the story it joined the cluster through; null for the story that started
   *     it (or a record written before 2026-12-02, which does not say)
   * @param similarity the estimated Jaccard similarity to {@code nearDuplicateOf}; null with it
   */
  public record Member(
      String uri, Instant firstCreated, String nearDuplicateOf, Double similarity) {}

  /**
   * Reads the cluster of {@code uri} from the story-signatures topic, in one pass: the article's
   * own record (by key) and every story's latest record, of which those of its cluster are kept.
   * The latest record of a {@code uri} counts; a record that is not a story signature is passed
   * over, as the normalizer does. Holds one small entry per story of the topic (no signatures).
   *
   * @param clientProperties bootstrap servers and pass-through client settings
   * @param topic the story-signatures topic
   * @param uri the article {@code uri}
   * @return the cluster; null when the topic does not exist or holds no record of {@code uri}
   *     (older than the topic's retention, a text too short for a signature, or a story clustered
   *     before 2026-12-02)
   * @throws HistoryReadException when Kafka fails
   */
  public static StoryCluster read(Map<String, Object> clientProperties, String topic, String uri) {
    StorySignature[] own = {null};
    Map<String, Entry> byUri = new LinkedHashMap<>();
    try (TopicHistory history = TopicHistory.open(clientProperties, topic, null, null)) {
      history.forEach(
          key -> true,
          record -> {
            StorySignature s = parse(record.value());
            if (s == null) {
              return;
            }
            if (uri.equals(record.key()) && s.uri().equals(uri)) {
              own[0] = s;
            }
            // the latest record of a uri counts
            byUri.put(
                s.uri(),
                new Entry(
                    s.clusterId(),
                    new Member(s.uri(), s.firstCreated(), s.nearDuplicateOf(), s.similarity())));
          },
          ReplayProgress.SILENT);
    } catch (ConfigException e) {
      return null; // no story-signatures topic: a deployment from before clusters
    }
    if (own[0] == null) {
      return null;
    }
    String id = own[0].clusterId();
    byUri.put(
        uri,
        new Entry(
            id,
            new Member(uri, own[0].firstCreated(), own[0].nearDuplicateOf(), own[0].similarity())));
    List<Member> members = new ArrayList<>();
    for (Entry e : byUri.values()) {
      if (e.clusterId().equals(id)) {
        members.add(e.member());
      }
    }
    members.sort(Comparator.comparing(Member::firstCreated).thenComparing(Member::uri));
    return new StoryCluster(id, own[0].cluster(), members);
  }

  /** A story's latest record, without its signature. */
  private record Entry(String clusterId, Member member) {}

  private static StorySignature parse(byte[] value) {
    if (value == null) {
      return null;
    }
    try {
      return Json.MAPPER.readValue(value, StorySignature.class);
    } catch (IOException | RuntimeException e) {
      return null; // not a story signature: the normalizer skips it too
    }
  }
}
