package org.wireingest.dedup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.StorySignature;

/**
 * The near-duplicate index: the stories of the last {@link #window} (by their {@code firstCreated};
 * at most {@link #maxStories} of them) with their {@link NearDuplicates#signature signatures},
 * findable by LSH band ({@link NearDuplicates#bandKeys}). Held in memory: the normalizer rebuilds
 * it from the story-signatures topic at start, and {@code replay} fills one of its own.
 *
 * <p>Each band of a signature is a key (a {@code long}) holding the newest {@value #MAX_PER_BAND}
 * stories in that band, so a lookup is {@value NearDuplicates#BANDS} hash-map reads and one hot
 * band (a story re-published by many outlets, a recurring template) cannot make it slow; a story
 * pushed out of one band is still found by its others. About 1.8 KB of heap per story (measured:
 * 50,000 random stories, 1,763 B each after a full GC).
 *
 * <p>Thread-safe: {@link #candidates} reads without locking; {@link #place} (the stream threads)
 * and {@link #add} (the global store's thread) are serialised.
 */
public final class SignatureIndex implements NearDuplicates.Index {

  /** Default {@link #window}: two days. */
  public static final Duration DEFAULT_WINDOW = Duration.ofDays(2);

  /** Default {@link #maxStories}: 50,000 (about 90 MB of heap when full). */
  public static final int DEFAULT_MAX_STORIES = 50_000;

  /**
   * How far past the wall clock a story's {@code firstCreated} may lie and still be indexed: one
   * hour. The normalizer clamps an entry's dates to its raw item's fetch time plus a few minutes,
   * but that fetch time is the poller's clock (or a hand-written record's); a story dated further
   * ahead would become the index's newest and push every story of the present out of the window, on
   * every instance, for as long as the story-signatures topic keeps it.
   */
  public static final Duration FUTURE_TOLERANCE = Duration.ofHours(1);

  /** Stories kept per band, at most: the newest ones. */
  public static final int MAX_PER_BAND = 4;

  private static final StorySignature[] NONE = new StorySignature[0];

  /** What {@link #index} returns for a story it refused. */
  private static final int REFUSED = -1;

  /**
   * The first {@code firstCreated} indexed: the years RFC 3339 writes (0000-9999). Outside them the
   * window's arithmetic can overflow {@link Instant}'s range.
   */
  private static final Instant FIRST_INDEXABLE = Instant.parse("0000-01-01T00:00:00Z");

  /** The first {@code firstCreated} after the years RFC 3339 writes. */
  private static final Instant AFTER_INDEXABLE = Instant.parse("+10000-01-01T00:00:00Z");

  private final Duration window;
  private final int maxStories;
  private final Clock clock;
  private final ConcurrentHashMap<Long, StorySignature[]> bands = new ConcurrentHashMap<>();

  /** The indexed story of each uri; guarded by {@code this}. */
  private final Map<String, StorySignature> byUri = new HashMap<>();

  /**
   * Stories by {@code firstCreated}, oldest first (replaced ones stay until reached); guarded by
   * {@code this}. Not the order they were added: the global store is restored one partition after
   * another, each from its beginning.
   */
  private final PriorityQueue<StorySignature> order =
      new PriorityQueue<>(Comparator.comparing(StorySignature::firstCreated));

  /** The newest {@code firstCreated} indexed so far; guarded by {@code this}. */
  private Instant newest = Instant.MIN;

  /**
   * @param window how far apart the {@link StorySignature#firstCreated} of two near-duplicates may
   *     be, and how long a story stays after a newer one is indexed; positive
   * @param maxStories the most stories kept: beyond it, the oldest added are forgotten; at least 1
   * @param clock the wall clock a story's {@code firstCreated} may not be more than {@link
   *     #FUTURE_TOLERANCE} past; never null
   * @throws IllegalArgumentException when either is out of range
   */
  public SignatureIndex(Duration window, int maxStories, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("near-duplicate window must be positive, got " + window);
    }
    if (maxStories < 1) {
      throw new IllegalArgumentException(
          "near-duplicate index size must be at least 1, got " + maxStories);
    }
    this.window = window;
    this.maxStories = maxStories;
  }

  /**
   * @return how far apart the {@code firstCreated} of two near-duplicates may be
   */
  public Duration window() {
    return window;
  }

  /**
   * @return the most stories the index keeps
   */
  public int maxStories() {
    return maxStories;
  }

  /**
   * @return how many stories are indexed now
   */
  public synchronized int size() {
    return byUri.size();
  }

  /**
   * Indexes a story, replacing its earlier entry (the same {@code uri} indexed again), unless its
   * {@code firstCreated} is more than {@link #window} before the newest indexed so far, or more
   * than {@link #FUTURE_TOLERANCE} after the clock's present; then forgets the stories first
   * created more than {@link #window} before that newest one, and the oldest (by {@code
   * firstCreated}) beyond {@link #maxStories}. So the index is the same whatever order the stories
   * come in (a restore reads the topic one partition after another).
   *
   * <p>A story refused for its {@code firstCreated} is not counted here: the global store calls
   * this for every story-signatures record, among them the stories {@link #place} already refused
   * (and reported as {@link NearDuplicates.Placement#refused}).
   *
   * @param story the story; never null, its signature {@link NearDuplicates#SIGNATURE_BYTES} bytes,
   *     its {@code firstCreated} in the years 0000-9999 (RFC 3339)
   * @return how many stories were forgotten, 0 or more; 0 when the story itself was refused
   * @throws IllegalArgumentException when the signature has the wrong size, or {@code firstCreated}
   *     is outside the years 0000-9999 (the index is left as it was)
   */
  public synchronized int add(StorySignature story) {
    int forgotten = index(story);
    return forgotten == REFUSED ? 0 : forgotten;
  }

  /**
   * {@link #add}, telling a refused story apart; the caller holds the lock.
   *
   * @return how many stories were forgotten, 0 or more; {@link #REFUSED} when the story's {@code
   *     firstCreated} is more than {@link #window} before the newest indexed, or more than {@link
   *     #FUTURE_TOLERANCE} after the clock's present (it is not indexed)
   */
  private int index(StorySignature story) {
    Objects.requireNonNull(story, "story");
    long[] keys = NearDuplicates.bandKeys(story.signature());
    if (story.firstCreated().isBefore(FIRST_INDEXABLE)
        || !story.firstCreated().isBefore(AFTER_INDEXABLE)) {
      throw new IllegalArgumentException(
          "a story's firstCreated must lie in the years 0000-9999 of RFC 3339, got "
              + story.firstCreated());
    }
    StorySignature old = byUri.get(story.uri());
    if (story.equals(old)) {
      return 0; // read back from the topic after this instance indexed it when it wrote it
    }
    if (story.firstCreated().isAfter(clock.instant().plus(FUTURE_TOLERANCE))) {
      return REFUSED; // a wrong clock's date, or a hand-written one: it must not become the newest
    }
    if (story.firstCreated().isAfter(newest)) {
      newest = story.firstCreated();
    }
    if (story.firstCreated().isBefore(newest.minus(window))) {
      return REFUSED; // already out of the window: no story it could be compared with is to come
    }
    byUri.put(story.uri(), story);
    if (old != null) {
      unband(old);
    }
    for (long key : keys) {
      bands.compute(
          key,
          (k, members) -> {
            StorySignature[] current = members == null ? NONE : members;
            int keep = Math.min(current.length, MAX_PER_BAND - 1);
            StorySignature[] next = new StorySignature[keep + 1];
            System.arraycopy(current, current.length - keep, next, 0, keep);
            next[keep] = story;
            return next;
          });
    }
    order.add(story);
    return expire(newest.minus(window));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Under the index's lock: the lookup of candidates ({@link #candidates}), the choice of
   * cluster ({@link NearDuplicates#cluster}) and the {@link #add} are one step, so two
   * near-duplicates placed by two threads at the same moment end in one cluster. A story whose
   * {@code uri} is indexed keeps that entry's cluster (and {@code nearDuplicateOf}), with the
   * signature and {@code firstCreated} given now. A story first created more than {@link #window}
   * before the newest indexed, more than {@link #FUTURE_TOLERANCE} after the clock's present, or
   * older than every story of a full index, is clustered against the stories indexed but not
   * indexed itself: {@link NearDuplicates.Placement#refused} (an entry of its {@code uri} already
   * indexed stays in the first two cases).
   */
  @Override
  public synchronized NearDuplicates.Placement place(
      String uri, byte[] signature, Instant firstCreated) {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(firstCreated, "firstCreated");
    StorySignature own = byUri.get(uri);
    ArticleEvent.Cluster cluster;
    if (own == null) {
      cluster = NearDuplicates.cluster(uri, signature, candidates(signature, firstCreated));
    } else if (own.nearDuplicateOf() == null
        && !own.clusterId().equals(NearDuplicates.clusterIdOf(uri))) {
      // a record written before nearDuplicateOf was: the story joined that cluster through a
      // story it does not name; name the most similar of the cluster, as its first decision did
      List<StorySignature> members = new ArrayList<>();
      for (StorySignature c : candidates(signature, firstCreated)) {
        if (c.clusterId().equals(own.clusterId())) {
          members.add(c);
        }
      }
      ArticleEvent.Cluster found = NearDuplicates.cluster(uri, signature, members);
      cluster = found.nearDuplicateOf() != null ? found : own.cluster();
    } else {
      cluster = own.cluster();
    }
    StorySignature story = StorySignature.of(uri, cluster, signature, firstCreated);
    if (story.equals(own)) {
      return new NearDuplicates.Placement(own, 0, false);
    }
    int forgotten = index(story);
    if (forgotten == REFUSED) {
      return new NearDuplicates.Placement(story, 0, true);
    }
    if (byUri.get(uri) != story) {
      // indexed and forgotten at once: the index is full and the story is older than every other
      return new NearDuplicates.Placement(story, forgotten - 1, true);
    }
    return new NearDuplicates.Placement(story, forgotten, false);
  }

  /**
   * @param uri a story's {@code uri}
   * @return its indexed entry; null when not indexed
   */
  public synchronized StorySignature get(String uri) {
    return byUri.get(uri);
  }

  /**
   * @param signature a {@link NearDuplicates#signature}; never null
   * @param firstCreated the {@code firstCreated} of the story looked up (UTC); never null
   * @return indexed stories sharing an LSH band with it and first created within {@link #window} of
   *     it, each once, in no particular order; never null. Lock-free
   * @throws IllegalArgumentException when the signature is not {@link
   *     NearDuplicates#SIGNATURE_BYTES} bytes
   */
  public Collection<StorySignature> candidates(byte[] signature, Instant firstCreated) {
    Instant from = firstCreated.minus(window);
    Instant to = firstCreated.plus(window);
    List<StorySignature> found = new ArrayList<>(MAX_PER_BAND);
    for (long key : NearDuplicates.bandKeys(signature)) {
      StorySignature[] members = bands.get(key);
      if (members == null) {
        continue;
      }
      for (StorySignature s : members) {
        if (!s.firstCreated().isBefore(from)
            && !s.firstCreated().isAfter(to)
            && !containsUri(found, s.uri())) {
          found.add(s);
        }
      }
    }
    return found;
  }

  private static boolean containsUri(List<StorySignature> list, String uri) {
    for (StorySignature s : list) {
      if (s.uri().equals(uri)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Forgets stories indexed before {@code cutoff}, and the oldest beyond the size; returns how
   * many.
   */
  private int expire(Instant cutoff) {
    int expired = 0;
    while (!order.isEmpty()) {
      StorySignature head = order.peek();
      boolean current = byUri.get(head.uri()) == head;
      if (current && !head.firstCreated().isBefore(cutoff) && byUri.size() <= maxStories) {
        break;
      }
      order.poll();
      if (current) {
        byUri.remove(head.uri());
        unband(head);
        expired++;
      }
    }
    return expired;
  }

  /** Removes {@code story} (by identity) from its bands. */
  private void unband(StorySignature story) {
    for (long key : NearDuplicates.bandKeys(story.signature())) {
      bands.computeIfPresent(
          key,
          (k, members) -> {
            int at = -1;
            for (int i = 0; i < members.length; i++) {
              if (members[i] == story) {
                at = i;
              }
            }
            if (at < 0) {
              return members;
            }
            if (members.length == 1) {
              return null;
            }
            StorySignature[] next = new StorySignature[members.length - 1];
            System.arraycopy(members, 0, next, 0, at);
            System.arraycopy(members, at + 1, next, at, members.length - at - 1);
            return next;
          });
    }
  }
}
