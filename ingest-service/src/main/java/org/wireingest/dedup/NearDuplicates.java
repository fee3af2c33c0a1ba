package org.wireingest.dedup;

import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import com.dynatrace.hash4j.similarity.ElementHashProvider;
import com.dynatrace.hash4j.similarity.SimilarityHashPolicy;
import com.dynatrace.hash4j.similarity.SimilarityHasher;
import com.dynatrace.hash4j.similarity.SimilarityHashing;
import com.dynatrace.hash4j.similarity.SuperMinHashVersion;
import java.text.Normalizer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.Hashes;
import org.wireingest.model.StorySignature;
import org.wireingest.text.Html;

/**
 * Near-duplicate stories across agencies (the same wire story re-published by another agency, or
 * re-issued under a new identity): each new story gets a MinHash signature of its lead, and joins
 * the cluster of the most similar story already indexed ({@link #cluster}), or starts its own.
 * Never a drop: a near-duplicate is published as its own article, with the shared {@link
 * ArticleEvent.Cluster}. Pure and thread-safe.
 *
 * <p><b>What is compared.</b> The headline and the lead: the summary when it has at least {@value
 * #MIN_WORDS} words or the story has no body, else the body text; at most the first {@value
 * #LEAD_WORDS} words of it. The lead, not the whole body, because agencies and feeds carry a story
 * at different lengths (a teaser, a first paragraph, the full text) and their leads are what a
 * re-publication keeps. Words are runs of letters and digits with their combining marks (text in
 * Unicode NFC; characters that show nothing, {@link Html#isIgnorable}, left out, except the
 * zero-width space, which separates words), lower-cased (Unicode simple case mapping, the same in
 * every locale); each Han, Hiragana, Katakana or Thai character counts as a word (those scripts
 * have no spaces). The set compared is the word 3-shingles (every three consecutive words); a text
 * of fewer than {@value #MIN_WORDS} words gets no signature and starts its own cluster.
 *
 * <p><b>Signature.</b> SuperMinHash (hash4j, version pinned so stored signatures stay comparable)
 * of the shingles' 64-bit hashes (komihash 5.0): {@value #COMPONENTS} components of {@value
 * #BITS_PER_COMPONENT} bits, {@link #SIGNATURE_BYTES} bytes. The fraction of equal components
 * estimates the Jaccard similarity of the two shingle sets (standard error about 0.07 near the
 * threshold).
 *
 * <p><b>Candidates</b> are found by locality-sensitive hashing: the signature in {@value #BANDS}
 * bands of {@value #ROWS} components; two stories are candidates when one band is equal (for a
 * Jaccard similarity of 0.5 that happens with probability 1 − (1 − 0.5³)¹⁶ ≈ 0.88, for 0.6 ≈ 0.98,
 * for 0.2 ≈ 0.12). A candidate is a near-duplicate when its estimated similarity is at least
 * {@value #THRESHOLD}; the most similar wins (ties: the earlier {@code firstCreated}, then the
 * smaller {@code uri}).
 */
public final class NearDuplicates {

  /** MinHash components in a signature. */
  public static final int COMPONENTS = 48;

  /** Bits per component. */
  public static final int BITS_PER_COMPONENT = 16;

  /** LSH bands: components are banded in this many groups of {@link #ROWS}. */
  public static final int BANDS = 16;

  /** Components per band. */
  public static final int ROWS = 3;

  /**
   * Estimated Jaccard similarity (fraction of equal components) from which a candidate is a
   * near-duplicate.
   */
  public static final double THRESHOLD = 0.5;

  /** Fewest words a text needs for a signature (and a summary to be taken as the lead). */
  public static final int MIN_WORDS = 12;

  /** Words of the lead compared, at most. */
  public static final int LEAD_WORDS = 40;

  /**
   * Prefix of a cluster id; the rest is 32 hex characters of SHA-256 of the first member's {@code
   * uri}.
   */
  public static final String CLUSTER_PREFIX = "urn:wire:cluster:";

  private static final SimilarityHashPolicy POLICY =
      SimilarityHashing.superMinHash(COMPONENTS, BITS_PER_COMPONENT, SuperMinHashVersion.V1);
  private static final Hasher64 HASHER = Hashing.komihash5_0();

  /**
   * A hasher per thread: hash4j's similarity hashers keep working arrays and are not thread-safe.
   */
  private static final ThreadLocal<SimilarityHasher> HASHERS =
      ThreadLocal.withInitial(POLICY::createHasher);

  /** Size of a signature in bytes. */
  public static final int SIGNATURE_BYTES = POLICY.getSignatureSizeInBytes();

  private NearDuplicates() {}

  /**
   * Where new stories are clustered and kept: {@link SignatureIndex} in memory, filled from the
   * story-signatures topic by the normalizer and by {@code replay} from its own stories.
   */
  @FunctionalInterface
  public interface Index {
    /**
     * Clusters a story that has no cluster yet and indexes it, in one step, so two stories placed
     * at the same moment see each other. A story already indexed (its first decision was rolled
     * back with an aborted transaction, or its stored state was lost) keeps the cluster it was
     * given then, so deciding it again gives the same event.
     *
     * @param uri the story's {@code uri}; never null
     * @param signature its {@link #signature}; never null
     * @param firstCreated its {@code firstCreated} (UTC); never null
     * @return its index entry, with the cluster it joined or started ({@link
     *     StorySignature#cluster}), how many stories the index forgot to make room, and whether the
     *     index refused to keep the story ({@link Placement#refused}); never null
     * @throws IllegalArgumentException when the signature is not {@link #SIGNATURE_BYTES} bytes
     */
    Placement place(String uri, byte[] signature, Instant firstCreated);

    /** An index that knows no story and keeps none: every story starts its own cluster. */
    Index EMPTY =
        (uri, signature, firstCreated) ->
            new Placement(
                new StorySignature(uri, clusterIdOf(uri), signature, firstCreated), 0, false);
  }

  /**
   * The outcome of {@link Index#place}.
   *
   * @param story the story's index entry, to write to the story-signatures topic (also when
   *     refused); never null
   * @param forgotten how many other stories the index forgot (out of its window, or beyond its
   *     size); 0 or more, 0 when refused
   * @param refused true when the story was first created more than the index's window before the
   *     newest indexed story, or before every story of a full index, so it was compared with the
   *     stories indexed but not kept for later ones (their near-duplicates of it will not find it);
   *     false when it is indexed (and from {@link Index#EMPTY}, which keeps none)
   */
  public record Placement(StorySignature story, int forgotten, boolean refused) {}

  /**
   * @param event an article (its headline, summary and body text are read); never null
   * @return its signature ({@link #SIGNATURE_BYTES} bytes); null when its text has fewer than
   *     {@value #MIN_WORDS} words
   */
  public static byte[] signature(ArticleEvent event) {
    Words words = new Words(LEAD_WORDS * 2);
    words.add(event.headline(), Integer.MAX_VALUE);
    int headlineWords = words.size;
    words.add(event.summary(), headlineWords + LEAD_WORDS);
    if (words.size - headlineWords < MIN_WORDS && event.bodyText() != null) {
      words.size = headlineWords; // the summary is too short to be the lead: the body's start is
      words.add(event.bodyText(), headlineWords + LEAD_WORDS);
    }
    if (words.size < MIN_WORDS) {
      return null;
    }
    long[] shingles = new long[words.size - 2];
    for (int i = 0; i < shingles.length; i++) {
      shingles[i] =
          HASHER.hashLongLongLongToLong(words.hashes[i], words.hashes[i + 1], words.hashes[i + 2]);
    }
    return HASHERS.get().compute(ElementHashProvider.ofValues(shingles));
  }

  /**
   * @param a a signature; never null
   * @param b a signature; never null
   * @return the fraction of equal components, 0 to 1: the estimated Jaccard similarity of the two
   *     stories' shingle sets
   * @throws IllegalArgumentException when either is not {@link #SIGNATURE_BYTES} bytes
   */
  public static double similarity(byte[] a, byte[] b) {
    checkSize(a);
    checkSize(b);
    return POLICY.getFractionOfEqualComponents(a, b);
  }

  /**
   * @param signature a signature; never null
   * @return its {@value #BANDS} band keys: band {@code b}'s is {@code b << 48} plus its {@value
   *     #ROWS} components ({@value #ROWS} × {@value #BITS_PER_COMPONENT} = 48 bits); two signatures
   *     are LSH candidates when they share one
   * @throws IllegalArgumentException when it is not {@link #SIGNATURE_BYTES} bytes
   */
  public static long[] bandKeys(byte[] signature) {
    checkSize(signature);
    int bytesPerBand = ROWS * BITS_PER_COMPONENT / 8;
    long[] keys = new long[BANDS];
    for (int band = 0; band < BANDS; band++) {
      long key = band;
      for (int i = band * bytesPerBand; i < (band + 1) * bytesPerBand; i++) {
        key = (key << 8) | (signature[i] & 0xFF);
      }
      keys[band] = key;
    }
    return keys;
  }

  /**
   * @param uri an article {@code uri}; never null
   * @return the id of a cluster whose first member is {@code uri}: {@value #CLUSTER_PREFIX} and 32
   *     hex characters of SHA-256 of it
   */
  public static String clusterIdOf(String uri) {
    return CLUSTER_PREFIX + Hashes.sha256Hex(uri).substring(0, 32);
  }

  /**
   * The cluster a new story joins.
   *
   * @param uri the story's {@code uri}; never null
   * @param signature its signature; null when it has none (then it starts its own cluster)
   * @param candidates the index's candidates for the signature (the story itself, if indexed, is
   *     skipped); never null
   * @return the most similar candidate's cluster, with {@code nearDuplicateOf} that candidate and
   *     its similarity, when one reaches {@link #THRESHOLD}; else a cluster of its own ({@link
   *     #clusterIdOf}, no {@code nearDuplicateOf}); never null. A candidate in the cluster of its
   *     own id means the story started that cluster before (decided again after an aborted
   *     transaction or lost state, its own entry already out of the index): it starts it again,
   *     rather than join its own copy (a {@code nearDuplicateOf} cycle)
   */
  public static ArticleEvent.Cluster cluster(
      String uri, byte[] signature, Collection<StorySignature> candidates) {
    StorySignature best = null;
    double bestSimilarity = -1;
    String own = clusterIdOf(uri);
    if (signature != null) {
      for (StorySignature c : candidates) {
        if (c.uri().equals(uri) || c.signature().length != SIGNATURE_BYTES) {
          continue;
        }
        if (c.clusterId().equals(own)) {
          return new ArticleEvent.Cluster(own, null, null);
        }
        double s = POLICY.getFractionOfEqualComponents(signature, c.signature());
        if (s >= THRESHOLD && (s > bestSimilarity || (s == bestSimilarity && earlier(c, best)))) {
          best = c;
          bestSimilarity = s;
        }
      }
    }
    return best == null
        ? new ArticleEvent.Cluster(own, null, null)
        : new ArticleEvent.Cluster(
            best.clusterId(), best.uri(), Math.round(bestSimilarity * 1000) / 1000.0);
  }

  private static boolean earlier(StorySignature a, StorySignature b) {
    int at = a.firstCreated().compareTo(b.firstCreated());
    return at < 0 || (at == 0 && a.uri().compareTo(b.uri()) < 0);
  }

  private static void checkSize(byte[] signature) {
    if (signature.length != SIGNATURE_BYTES) {
      throw new IllegalArgumentException(
          "a signature has " + SIGNATURE_BYTES + " bytes, got " + signature.length);
    }
  }

  /** The 64-bit hashes of a text's words, in order: no string per word is made. */
  private static final class Words {
    long[] hashes;
    int size;
    private final StringBuilder word = new StringBuilder(32);

    Words(int capacity) {
      hashes = new long[capacity];
    }

    /** Adds the words of {@code text} until there are {@code limit}. */
    void add(String text, int limit) {
      if (text == null) {
        return;
      }
      if (!Normalizer.isNormalized(text, Normalizer.Form.NFC)) {
        text = Normalizer.normalize(text, Normalizer.Form.NFC); // é written as e + U+0301 is é
      }
      int i = 0;
      while (i < text.length() && size < limit) {
        int cp = text.codePointAt(i);
        i += Character.charCount(cp);
        if (cp != ZERO_WIDTH_SPACE && Html.isIgnorable(cp)) {
          // A soft hyphen or a bidirectional mark inside a word shows nothing and ends nothing: a
          // CMS's hyphenation split every long word, and a copy with it missed its cluster.
          continue;
        }
        if (ownWord(cp)) {
          flush();
          if (size < limit) {
            word.appendCodePoint(cp);
            flush();
          }
        } else if (Character.isLetterOrDigit(cp)) {
          word.appendCodePoint(Character.toLowerCase(cp));
        } else if (isMark(cp)) {
          if (word.length() > 0) {
            word.appendCodePoint(cp); // part of its word: Devanagari vowel signs, combining accents
          }
        } else {
          flush();
        }
      }
      if (size < limit) {
        flush();
      }
      word.setLength(0);
    }

    private void flush() {
      if (word.length() > 0) {
        if (size == hashes.length) {
          hashes = Arrays.copyOf(hashes, size * 2);
        }
        hashes[size++] = HASHER.hashCharsToLong(word);
        word.setLength(0);
      }
    }
  }

  /**
   * U+200B, the one {@link Html#isIgnorable ignorable} character that separates words (UAX #29
   * breaks at it, and Khmer, Lao and Burmese text marks word ends with it).
   */
  private static final int ZERO_WIDTH_SPACE = 0x200B;

  /** Whether the code point is a combining mark (Unicode Mn, Mc, Me). */
  private static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /** Whether the code point is a word of its own: scripts written without spaces between words. */
  private static boolean ownWord(int cp) {
    if (cp < 0x0E00) {
      return false; // Latin, Greek, Cyrillic, Arabic, Hebrew, Devanagari, ...: spaces
    }
    if (cp <= 0x0E7F) {
      return true; // Thai
    }
    if (cp < 0x2E80) {
      return false; // below the CJK blocks
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN
        || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA;
  }
}
