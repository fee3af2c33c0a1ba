package org.wireingest.dedup;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import org.wireingest.model.Json;
import org.wireingest.model.StorySignature;

/**
 * The near-duplicate index: the stories of the last {@link #window} with their {@link
 * NearDuplicates#signature signatures}, findable by LSH band ({@link NearDuplicates#bandKeys}).
 * Written over any sorted key-value store ({@link Entries}): the normalizer's global store, fed by
 * the story-signatures topic, and a {@link TreeMap} for {@code replay} and tests. Not thread-safe
 * (the store's own rules apply).
 *
 * <p>Keys (UTF-8 strings, in key order):
 *
 * <ul>
 *   <li>{@code s|<uri>} → the {@link StorySignature} as JSON (signature in Base64);
 *   <li>{@code b|<band key>} → the {@code uri}s of the stories in that band, space-separated,
 *       oldest first, the newest {@value #MAX_PER_BAND} at most: a lookup is one point read per
 *       band (most of them misses, answered by the store's Bloom filter), not a scan;
 *   <li>{@code t|<indexedAt, epoch ms, 13 digits>|<uri>} → empty: oldest first, for expiry.
 * </ul>
 */
public final class SignatureIndex implements NearDuplicates.Index {

  /** Default {@link #window}: two days. */
  public static final Duration DEFAULT_WINDOW = Duration.ofDays(2);

  /**
   * Stories kept per band, at most: a band shared by more (a story re-published by many outlets,
   * a recurring template) keeps the newest ones, so one hot band cannot make a lookup slow. A
   * story pushed out of one band is still found by its others.
   */
  public static final int MAX_PER_BAND = 4;

  /** Expiry runs when the newest story indexed is at least this much newer than at the last run. */
  static final Duration EXPIRY_EVERY = Duration.ofMinutes(1);

  /** Stories one {@link #add} expires, at most (the rest at the next that runs expiry). */
  public static final int MAX_EXPIRED_PER_ADD = 10_000;

  /** A sorted key-value store of strings. */
  public interface Entries {
    /** @return the value of {@code key}; null when absent */
    String get(String key);

    /** Stores {@code value} (never null) under {@code key}. */
    void put(String key, String value);

    /** Removes {@code key}; nothing when absent. */
    void delete(String key);

    /**
     * @param prefix a key prefix
     * @param limit at most this many keys
     * @return the keys starting with {@code prefix}, in ascending (UTF-8 byte) order; never null
     */
    List<String> keys(String prefix, int limit);
  }

  private final Entries entries;
  private final Duration window;
  private Instant expiredAt = Instant.MIN;

  /**
   * @param entries where the index lives; never null
   * @param window how long a story stays in the index after it was indexed; positive
   */
  public SignatureIndex(Entries entries, Duration window) {
    this.entries = Objects.requireNonNull(entries, "entries");
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("near-duplicate window must be positive, got " + window);
    }
    this.window = window;
  }

  /**
   * @param window how long a story stays indexed; positive
   * @return an index in a {@link TreeMap} of its own
   */
  public static SignatureIndex inMemory(Duration window) {
    NavigableMap<String, String> map = new TreeMap<>();
    return new SignatureIndex(
        new Entries() {
          @Override
          public String get(String key) {
            return map.get(key);
          }

          @Override
          public void put(String key, String value) {
            map.put(key, Objects.requireNonNull(value));
          }

          @Override
          public void delete(String key) {
            map.remove(key);
          }

          @Override
          public List<String> keys(String prefix, int limit) {
            List<String> out = new ArrayList<>();
            for (String k : map.tailMap(prefix, true).keySet()) {
              if (!k.startsWith(prefix) || out.size() >= limit) {
                break;
              }
              out.add(k);
            }
            return out;
          }
        },
        window);
  }

  /** @return how long a story stays in the index after it was indexed */
  public Duration window() {
    return window;
  }

  /**
   * Indexes a story (replacing its earlier entry, if any), then, when it is at least {@code
   * EXPIRY_EVERY} (a minute) newer than the story that last ran expiry, forgets up to {@value
   * #MAX_EXPIRED_PER_ADD} stories indexed more than {@link #window} before it.
   *
   * @param story the story; never null, its signature {@link NearDuplicates#SIGNATURE_BYTES} bytes
   * @return how many stories were forgotten
   * @throws IllegalArgumentException when the signature has the wrong size
   */
  public int add(StorySignature story) {
    List<String> bands = NearDuplicates.bandKeys(story.signature());
    remove(story.uri());
    entries.put("s|" + story.uri(), write(story));
    for (String band : bands) {
      List<String> uris = members(band);
      uris.add(story.uri());
      if (uris.size() > MAX_PER_BAND) {
        uris.subList(0, uris.size() - MAX_PER_BAND).clear();
      }
      entries.put("b|" + band, String.join(" ", uris));
    }
    entries.put(timeKey(story.indexedAt(), story.uri()), "");
    if (story.indexedAt().isBefore(expiredAt.plus(EXPIRY_EVERY))) {
      return 0;
    }
    expiredAt = story.indexedAt();
    return expireBefore(story.indexedAt().minus(window));
  }

  /**
   * Forgets stories indexed before {@code cutoff}, oldest first, at most {@value #MAX_EXPIRED_PER_ADD}.
   *
   * @param cutoff UTC
   * @return how many were forgotten
   */
  public int expireBefore(Instant cutoff) {
    String limit = timeKey(cutoff, "");
    int expired = 0;
    for (String key : entries.keys("t|", MAX_EXPIRED_PER_ADD)) {
      if (key.compareTo(limit) >= 0) {
        break;
      }
      String uri = key.substring(key.indexOf('|', 2) + 1);
      if (!remove(uri)) {
        entries.delete(key); // a time entry whose story is gone
      }
      expired++;
    }
    return expired;
  }

  /**
   * @param uri a story's {@code uri}
   * @return its indexed entry; null when not indexed
   */
  public StorySignature get(String uri) {
    String json = entries.get("s|" + uri);
    return json == null ? null : read(json);
  }

  @Override
  public Collection<StorySignature> candidates(byte[] signature) {
    Map<String, StorySignature> found = new LinkedHashMap<>();
    for (String band : NearDuplicates.bandKeys(signature)) {
      for (String uri : members(band)) {
        if (!found.containsKey(uri)) {
          StorySignature story = get(uri);
          if (story != null) {
            found.put(uri, story);
          }
        }
      }
    }
    return found.values();
  }

  /** Removes every entry of {@code uri}; returns whether it was indexed. */
  private boolean remove(String uri) {
    StorySignature old = get(uri);
    if (old == null) {
      return false;
    }
    for (String band : NearDuplicates.bandKeys(old.signature())) {
      List<String> uris = members(band);
      if (uris.remove(uri)) {
        if (uris.isEmpty()) {
          entries.delete("b|" + band);
        } else {
          entries.put("b|" + band, String.join(" ", uris));
        }
      }
    }
    entries.delete(timeKey(old.indexedAt(), uri));
    entries.delete("s|" + uri);
    return true;
  }

  /** The uris in a band, oldest first; a new, modifiable list. */
  private List<String> members(String band) {
    String value = entries.get("b|" + band);
    List<String> out = new ArrayList<>(MAX_PER_BAND + 1);
    if (value != null && !value.isEmpty()) {
      for (String uri : value.split(" ")) {
        out.add(uri);
      }
    }
    return out;
  }

  private static String timeKey(Instant at, String uri) {
    long ms = Math.max(0, at.toEpochMilli());
    String digits = Long.toString(ms);
    return "t|" + "0".repeat(Math.max(0, 13 - digits.length())) + digits + "|" + uri;
  }

  private static String write(StorySignature story) {
    try {
      return Json.MAPPER.writeValueAsString(story);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an indexed story is always writable as JSON", e);
    }
  }

  private static StorySignature read(String json) {
    try {
      return Json.MAPPER.readValue(json, StorySignature.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("near-duplicate index entry is not an indexed story: " + e.getOriginalMessage(), e);
    }
  }
}
