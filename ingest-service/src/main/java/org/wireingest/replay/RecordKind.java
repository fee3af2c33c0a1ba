package org.wireingest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.wireingest.model.Json;
import org.wireingest.streams.NormalizerSteps;

/**
 * What a topic's records are, for the topics a replay writes: raw wire items ({@code replay
 * --reparse}'s output, the poller's), article events ({@code replay}'s output, the normalizer's),
 * or something else. {@code replay --append} adds only to a topic of the kind it writes. Pure and
 * thread-safe.
 */
public enum RecordKind {
  /** Raw wire items as a poller writes them ({@link NormalizerSteps#rawItem}). */
  RAW_ITEMS("raw items"),
  /** Article events: a JSON object whose {@code uri} is the record key, with a version from 1. */
  ARTICLE_EVENTS("article events"),
  /** Neither: feed states, fetches, dead letters, another application's records, broken bytes. */
  OTHER("other records (neither raw items nor article events)");

  private final String noun;

  RecordKind(String noun) {
    this.noun = noun;
  }

  /**
   * @return the kind in the words of a message, e.g. {@code raw items}
   */
  public String noun() {
    return noun;
  }

  /**
   * @param record a record as read back; never null
   * @return its kind; null for a tombstone (no value), which every kind of topic may hold
   */
  public static RecordKind of(HistoryRecord record) {
    if (record.value() == null) {
      return null;
    }
    if (NormalizerSteps.rawItem(record.key(), record.value())) {
      return RAW_ITEMS;
    }
    return articleEvent(record.key(), record.value()) ? ARTICLE_EVENTS : OTHER;
  }

  /**
   * Whether a value is an article event keyed as the normalizer keys it, by the fields every
   * version of the article schema has ({@code uri}, {@code version}, {@code changeType}): a
   * consumer's contract, not the whole schema, so events of an older or newer wire-ingest count
   * too.
   */
  private static boolean articleEvent(String key, byte[] value) {
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(value);
    } catch (IOException e) {
      return false;
    }
    return tree != null
        && tree.isObject()
        && tree.path("uri").isTextual()
        && tree.path("uri").asText().equals(key)
        && tree.path("version").canConvertToInt()
        && tree.path("version").isIntegralNumber()
        && tree.path("version").asInt() >= 1
        && tree.path("changeType").isTextual();
  }
}
