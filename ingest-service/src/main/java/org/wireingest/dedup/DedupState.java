package org.wireingest.dedup;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.wireingest.model.ArticleEvent;

/**
 * What the normalizer remembers of an article between versions (the value of its dedup store, keyed
 * by {@code uri}). Immutable.
 *
 * @param uri the article {@code uri}; never null
 * @param version the last version published (1 or more)
 * @param fingerprint {@link Fingerprint} of the last version published; never null
 * @param firstCreated the {@code firstCreated} of version 1 (UTC), kept for every later version
 * @param lastVersionCreated the newest date the story's entries gave so far (UTC): updated, else
 *     published, else first seen. The older-copy rule compares an entry's date with it
 * @param inputHash {@link InputHash} of a raw item known to normalise to {@code fingerprint} (the
 *     one that made the last version, or a later exact copy of it): an item with this input hash is
 *     a {@code same-fingerprint} duplicate without normalising. Null when unknown: states written
 *     before the field existed, and items whose input cannot be hashed (no valid entry hash)
 * @param earlierFingerprints the fingerprints of the versions before the last, newest first, at
 *     most {@value #MAX_EARLIER_FINGERPRINTS} (the newest ones and the oldest, which is version 1's
 *     as a rule), none equal to {@code fingerprint}: a copy of one of them arriving again without a
 *     newer date is a stale copy, not an update ({@link Versioning}). Never null (empty for version
 *     1 and for states written before the field existed); left out of the JSON when empty
 * @param lastEventVersionCreated the {@code versionCreated} of the last event published, when it
 *     differs from {@code lastVersionCreated} (an edit the agency did not date is given the time it
 *     was fetched); null when it equals {@code lastVersionCreated}, and in states written before
 *     the field existed
 * @param lastSourceId the source (feed) id of the raw item that made the last version: a return to
 *     earlier content from that same feed is its own revert (an update), from another feed a stale
 *     copy. Null in states written before the field existed (and, before 2026-12, for version 1). A
 *     version that only added media keeps the feed of the version before (it changed no text)
 * @param lastSeenAt when the normalizer last decided a raw item of this story (UTC, its wall
 *     clock): set with every version, and refreshed by a duplicate when older than {@link
 *     #SEEN_REFRESH} (so a story still arriving is written at most once a day for it). What the
 *     version store's retention ({@link #expired}) measures. Null in states written before the
 *     field existed
 * @param headlineHash CRC32C (8 hex characters) of the last version's headline (of the empty string
 *     for none): with {@code textLength}, what tells another feed's shorter rendering of the same
 *     version from an edit ({@link Versioning}). Null in states written before the field existed
 * @param textLength the length in chars of the last version's summary and body text together; null
 *     in states written before the field existed
 * @param leadHashes CRC32C (8 hex characters) of the last version's lead text (its summary, else
 *     its body text), then of the lead's first paragraph and first sentence, each once: a shorter
 *     rendering carries one of them as its own lead (a section feed's summary is the main feed's
 *     description, or the first paragraph of its text), a correction does not. Never null; empty in
 *     states written before the field existed, and left out of the JSON then
 * @param earlierLeads the lead hashes (whole lead) of the versions before the last, newest first,
 *     at most {@value #MAX_EARLIER_FINGERPRINTS}, none among {@code leadHashes}: a copy from
 *     another feed carrying an earlier version's lead is a late copy. Never null; left out of the
 *     JSON when empty
 * @param earlierHeadlines the headline hashes of the versions before the last, newest first, at
 *     most {@value #MAX_EARLIER_FINGERPRINTS}, without the last version's: a copy from another feed
 *     carrying an earlier headline (from before a correction) is a late copy. Never null; left out
 *     of the JSON when empty
 * @param lastPubStatus the last version's {@code pubStatus} when it is not {@code usable} ({@code
 *     canceled}, {@code withheld}); null for {@code usable}, and in states written before the field
 *     existed. A withdrawn story is restored only by the feed that made its last version, or by a
 *     newer date
 * @param lastWithdrawals by {@code pubStatus} ({@code canceled}, {@code withheld}), the newest
 *     entry date of a version of that status published (UTC); never null, empty when none was (or
 *     none was dated), and left out of the JSON then. A kill dated no later than the last kill,
 *     arriving after a newer version, is a late copy of that kill, not one to publish again; a
 *     withhold says nothing of kills
 * @param leadStart the start of the last version's lead text (as {@code leadHashes} reads it), at
 *     most {@value Versioning#LEAD_START_CHARS} chars: another feed's teaser of the lead (its start
 *     cut short and marked with an ellipsis, {@code …}, {@code ...}, {@code […]}) is a shorter
 *     rendering when the lead starts with the teaser's text ({@link Versioning}); whitespace
 *     collapsed as in {@code Html.collapseWhitespace}. Null in states written before the field
 *     existed, and left out of the JSON then
 * @param bodyHash CRC32C (8 hex characters) of the last version's body text; null when it had no
 *     body, and in states written before the field existed. Another feed's copy that carries a body
 *     beside its summary is a shorter rendering only with this body ({@link Versioning})
 * @param mediaHashes CRC32C (8 hex characters each) of the media URLs of every version published so
 *     far (each association's {@code uri} and its renditions' {@code href}, compared as {@link
 *     MediaKeys} says: canonical, without scheme or query), the last version's first, at most
 *     {@value MediaKeys#MAX_MEDIA_HASHES}; empty when no version had media. A copy of the last
 *     version with a media object none of them matches adds a picture, and is an update ({@link
 *     Versioning}). Null when unknown: in states written before the field existed (then the next
 *     copy of the last version from the feed that made it is learnt from, not taken as adding
 *     media), and left out of the JSON then
 * @param cluster the story's near-duplicate cluster, set with version 1 and carried by every later
 *     version ({@link NearDuplicates}); null in states written before the field existed (such a
 *     story is clustered at its next version)
 * @param fieldHashes short hashes of the last version's summary, byline, subjects and body text (as
 *     the fingerprint reads them), which with {@code headlineHash}, {@code bodyHash}, {@code
 *     lastPubStatus} and {@code mediaHashes} tell the next version's {@link
 *     ArticleEvent#changedFields}; null in states written before the field existed (the next
 *     version's changed fields are then unknown)
 * @param lastFetchedAt when the poller fetched the raw item that made the last version (UTC, its
 *     {@code fetch.fetchedAt}): what tells a copy fetched before that version from one fetched
 *     since ({@link Versioning}). The last version's {@code versionCreated} stood in for it, but an
 *     entry date ahead of the fetch (within the normalizer's future skew) is no fetch time. Null
 *     when unknown: in states written before the field existed (then {@link #eventVersionCreated}
 *     stands in), and for a version made of an item without a fetch time
 */
public record DedupState(
    String uri,
    int version,
    String fingerprint,
    Instant firstCreated,
    Instant lastVersionCreated,
    String inputHash,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> earlierFingerprints,
    Instant lastEventVersionCreated,
    String lastSourceId,
    Instant lastSeenAt,
    String headlineHash,
    Integer textLength,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> leadHashes,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> earlierLeads,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> earlierHeadlines,
    String lastPubStatus,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Instant> lastWithdrawals,
    String leadStart,
    String bodyHash,
    List<String> mediaHashes,
    ArticleEvent.Cluster cluster,
    FieldHashes fieldHashes,
    Instant lastFetchedAt) {

  /**
   * CRC32C (8 hex characters, {@link Versioning#shortHash}) of a version's fields as the {@link
   * Fingerprint} reads them (whitespace collapsed, NFC), each of the empty string when the field is
   * absent: a field that differs only in white space or Unicode normal form, which the fingerprint
   * takes for the same content, is not a changed field.
   *
   * @param headline of the headline ({@link DedupState#headlineHash} is of the raw text, for the
   *     shorter-copy rule)
   * @param byline of the byline
   * @param summary of the summary
   * @param bodyText of the body text ({@link DedupState#bodyHash} is of the raw text)
   * @param subjects of the subjects' names, sorted, one per line
   */
  public record FieldHashes(
      String headline, String byline, String summary, String bodyText, String subjects) {}

  /**
   * How many earlier fingerprints a state keeps: the newest ones and the oldest (version 1's as a
   * rule).
   */
  public static final int MAX_EARLIER_FINGERPRINTS = 16;

  /** A duplicate refreshes {@code lastSeenAt} once it is older than this. */
  public static final Duration SEEN_REFRESH = Duration.ofDays(1);

  public DedupState {
    earlierFingerprints =
        earlierFingerprints == null ? List.of() : List.copyOf(earlierFingerprints);
    leadHashes = leadHashes == null ? List.of() : List.copyOf(leadHashes);
    earlierLeads = earlierLeads == null ? List.of() : List.copyOf(earlierLeads);
    earlierHeadlines = earlierHeadlines == null ? List.of() : List.copyOf(earlierHeadlines);
    lastWithdrawals = lastWithdrawals == null ? Map.of() : Map.copyOf(lastWithdrawals);
    mediaHashes = mediaHashes == null ? null : List.copyOf(mediaHashes);
  }

  /**
   * @param cluster the story's near-duplicate cluster; null for none
   * @return this state with {@code cluster} replaced
   */
  public DedupState withCluster(ArticleEvent.Cluster cluster) {
    return toBuilder().cluster(cluster).build();
  }

  /**
   * @param hash the input hash to remember; null for none
   * @return this state with {@code inputHash} replaced
   */
  public DedupState withInputHash(String hash) {
    return toBuilder().inputHash(hash).build();
  }

  /**
   * @param hashes the media hashes to keep ({@link MediaKeys}); null for unknown
   * @return this state with {@code mediaHashes} replaced
   */
  public DedupState withMediaHashes(List<String> hashes) {
    return toBuilder().mediaHashes(hashes).build();
  }

  /**
   * @param at when a raw item of the story was decided (UTC); never null
   * @return this state with {@code lastSeenAt} replaced
   */
  public DedupState withLastSeenAt(Instant at) {
    return toBuilder().lastSeenAt(Objects.requireNonNull(at, "at")).build();
  }

  /**
   * @param rendering the fingerprint of another feed's rendering of the last version, suppressed as
   *     a duplicate
   * @return this state with {@code rendering} first among the earlier fingerprints (so the same
   *     copy arriving again after a later version is a late copy, not an update); at most {@value
   *     #MAX_EARLIER_FINGERPRINTS}, the newest ones and the oldest
   */
  public DedupState withEarlierFingerprint(String rendering) {
    List<String> earlier = new ArrayList<>(earlierFingerprints.size() + 1);
    earlier.add(rendering);
    earlierFingerprints.stream().filter(f -> !f.equals(rendering)).forEach(earlier::add);
    return toBuilder().earlierFingerprints(capped(earlier)).build();
  }

  /**
   * @param now the normalizer's wall clock (UTC); never null
   * @return whether a duplicate decided at {@code now} should store this state again with {@code
   *     lastSeenAt} = {@code now}: it has none, or it is older than {@link #SEEN_REFRESH}
   */
  public boolean seenLongAgo(Instant now) {
    return lastSeenAt == null || lastSeenAt.plus(SEEN_REFRESH).isBefore(now);
  }

  /**
   * The version store's retention rule: a story no raw item has reached for longer than the
   * retention is forgotten, and a copy arriving after that starts it again as version 1.
   *
   * @param now the normalizer's wall clock (UTC); never null
   * @param retention how long a story is kept after its last raw item; positive, never null
   * @return true when {@code lastSeenAt} is more than {@code retention} plus {@link #SEEN_REFRESH}
   *     before {@code now} ({@code lastSeenAt} lags the last raw item by up to {@link
   *     #SEEN_REFRESH}, so no story a raw item reached within the retention is forgotten); false
   *     when {@code lastSeenAt} is null (the sweep stamps such a state first)
   */
  public boolean expired(Instant now, Duration retention) {
    return lastSeenAt != null && lastSeenAt.plus(retention).plus(SEEN_REFRESH).isBefore(now);
  }

  /**
   * @return the {@code versionCreated} of the last event published (UTC); null when unknown
   */
  public Instant eventVersionCreated() {
    return lastEventVersionCreated != null ? lastEventVersionCreated : lastVersionCreated;
  }

  /**
   * @return when the raw item that made the last version was fetched (UTC): {@code lastFetchedAt},
   *     else, in a state that does not know it, {@link #eventVersionCreated}; null when neither is
   *     known
   */
  public Instant lastFetch() {
    return lastFetchedAt != null ? lastFetchedAt : eventVersionCreated();
  }

  /**
   * @param fingerprint a fingerprint; null gives false
   * @return whether {@code fingerprint} is one of an earlier version's (not the last version's)
   */
  public boolean hadEarlier(String fingerprint) {
    return fingerprint != null && earlierFingerprints.contains(fingerprint);
  }

  /**
   * @param nextFingerprint the fingerprint of the version that follows this state's last one
   * @return the earlier fingerprints of that next version: this state's {@code fingerprint} first,
   *     then this state's earlier ones, without {@code nextFingerprint}; beyond {@value
   *     #MAX_EARLIER_FINGERPRINTS}, the newest ones and the oldest
   */
  List<String> earlierFingerprintsAfter(String nextFingerprint) {
    List<String> out = new ArrayList<>(earlierFingerprints.size() + 1);
    if (!fingerprint.equals(nextFingerprint)) {
      out.add(fingerprint);
    }
    for (String f : earlierFingerprints) {
      if (!f.equals(nextFingerprint) && !out.contains(f)) {
        out.add(f);
      }
    }
    return capped(out);
  }

  /**
   * @param nextLeads the lead hashes of the version that follows this state's last one
   * @return the earlier leads of that next version: this state's lead first, then its earlier ones,
   *     none in {@code nextLeads}; beyond {@value #MAX_EARLIER_FINGERPRINTS}, the newest ones and
   *     the oldest
   */
  List<String> earlierLeadsAfter(List<String> nextLeads) {
    List<String> out = new ArrayList<>(earlierLeads.size() + 1);
    if (!leadHashes.isEmpty() && !nextLeads.contains(leadHashes.get(0))) {
      out.add(leadHashes.get(0));
    }
    earlierLeads.stream().filter(l -> !nextLeads.contains(l) && !out.contains(l)).forEach(out::add);
    return capped(out);
  }

  /**
   * @param nextHeadline the headline hash of the version that follows this state's last one
   * @return the earlier headlines of that next version: this state's headline first (when it
   *     differs), then its earlier ones, none equal to {@code nextHeadline}; capped as the others
   */
  List<String> earlierHeadlinesAfter(String nextHeadline) {
    List<String> out = new ArrayList<>(earlierHeadlines.size() + 1);
    if (headlineHash != null && !headlineHash.equals(nextHeadline)) {
      out.add(headlineHash);
    }
    earlierHeadlines.stream()
        .filter(h -> !h.equals(nextHeadline) && !out.contains(h))
        .forEach(out::add);
    return capped(out);
  }

  /** At most {@value #MAX_EARLIER_FINGERPRINTS}: the newest ones and the oldest. */
  private static List<String> capped(List<String> newestFirst) {
    if (newestFirst.size() <= MAX_EARLIER_FINGERPRINTS) {
      return newestFirst;
    }
    // keep the oldest, version 1's as a rule: what a lagging feed most likely still carries
    List<String> out = new ArrayList<>(newestFirst.subList(0, MAX_EARLIER_FINGERPRINTS - 1));
    out.add(newestFirst.get(newestFirst.size() - 1));
    return out;
  }

  /**
   * @param uri the article {@code uri}; never null
   * @param version the last version published (1 or more)
   * @param fingerprint the last version's fingerprint; never null
   * @return a builder of a state with those fields, every list and map empty and every other field
   *     null (unknown, as in states written before it existed)
   */
  public static Builder builder(String uri, int version, String fingerprint) {
    return new Builder().uri(uri).version(version).fingerprint(fingerprint);
  }

  /**
   * @return a builder holding this state's fields, to make a state that differs in some of them
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * A state's fields, copied to be changed: each setter replaces one field (same name, same meaning
   * as the record component), and {@link #build} makes the state. Code that changes some fields
   * names only those, so a field added to the record is carried everywhere else without being
   * named. Not thread-safe.
   */
  public static final class Builder {
    private String uri;
    private int version;
    private String fingerprint;
    private Instant firstCreated;
    private Instant lastVersionCreated;
    private String inputHash;
    private List<String> earlierFingerprints;
    private Instant lastEventVersionCreated;
    private String lastSourceId;
    private Instant lastSeenAt;
    private String headlineHash;
    private Integer textLength;
    private List<String> leadHashes;
    private List<String> earlierLeads;
    private List<String> earlierHeadlines;
    private String lastPubStatus;
    private Map<String, Instant> lastWithdrawals;
    private String leadStart;
    private String bodyHash;
    private List<String> mediaHashes;
    private ArticleEvent.Cluster cluster;
    private FieldHashes fieldHashes;
    private Instant lastFetchedAt;

    private Builder() {}

    private Builder(DedupState state) {
      uri = state.uri;
      version = state.version;
      fingerprint = state.fingerprint;
      firstCreated = state.firstCreated;
      lastVersionCreated = state.lastVersionCreated;
      inputHash = state.inputHash;
      earlierFingerprints = state.earlierFingerprints;
      lastEventVersionCreated = state.lastEventVersionCreated;
      lastSourceId = state.lastSourceId;
      lastSeenAt = state.lastSeenAt;
      headlineHash = state.headlineHash;
      textLength = state.textLength;
      leadHashes = state.leadHashes;
      earlierLeads = state.earlierLeads;
      earlierHeadlines = state.earlierHeadlines;
      lastPubStatus = state.lastPubStatus;
      lastWithdrawals = state.lastWithdrawals;
      leadStart = state.leadStart;
      bodyHash = state.bodyHash;
      mediaHashes = state.mediaHashes;
      cluster = state.cluster;
      fieldHashes = state.fieldHashes;
      lastFetchedAt = state.lastFetchedAt;
    }

    /**
     * @param uri see {@link DedupState#uri}
     * @return this builder
     */
    public Builder uri(String uri) {
      this.uri = uri;
      return this;
    }

    /**
     * @param version see {@link DedupState#version}
     * @return this builder
     */
    public Builder version(int version) {
      this.version = version;
      return this;
    }

    /**
     * @param fingerprint see {@link DedupState#fingerprint}
     * @return this builder
     */
    public Builder fingerprint(String fingerprint) {
      this.fingerprint = fingerprint;
      return this;
    }

    /**
     * @param firstCreated see {@link DedupState#firstCreated}
     * @return this builder
     */
    public Builder firstCreated(Instant firstCreated) {
      this.firstCreated = firstCreated;
      return this;
    }

    /**
     * @param lastVersionCreated see {@link DedupState#lastVersionCreated}
     * @return this builder
     */
    public Builder lastVersionCreated(Instant lastVersionCreated) {
      this.lastVersionCreated = lastVersionCreated;
      return this;
    }

    /**
     * @param inputHash see {@link DedupState#inputHash}
     * @return this builder
     */
    public Builder inputHash(String inputHash) {
      this.inputHash = inputHash;
      return this;
    }

    /**
     * @param earlierFingerprints see {@link DedupState#earlierFingerprints}
     * @return this builder
     */
    public Builder earlierFingerprints(List<String> earlierFingerprints) {
      this.earlierFingerprints = earlierFingerprints;
      return this;
    }

    /**
     * @param lastEventVersionCreated see {@link DedupState#lastEventVersionCreated}
     * @return this builder
     */
    public Builder lastEventVersionCreated(Instant lastEventVersionCreated) {
      this.lastEventVersionCreated = lastEventVersionCreated;
      return this;
    }

    /**
     * @param lastSourceId see {@link DedupState#lastSourceId}
     * @return this builder
     */
    public Builder lastSourceId(String lastSourceId) {
      this.lastSourceId = lastSourceId;
      return this;
    }

    /**
     * @param lastSeenAt see {@link DedupState#lastSeenAt}
     * @return this builder
     */
    public Builder lastSeenAt(Instant lastSeenAt) {
      this.lastSeenAt = lastSeenAt;
      return this;
    }

    /**
     * @param headlineHash see {@link DedupState#headlineHash}
     * @return this builder
     */
    public Builder headlineHash(String headlineHash) {
      this.headlineHash = headlineHash;
      return this;
    }

    /**
     * @param textLength see {@link DedupState#textLength}
     * @return this builder
     */
    public Builder textLength(Integer textLength) {
      this.textLength = textLength;
      return this;
    }

    /**
     * @param leadHashes see {@link DedupState#leadHashes}
     * @return this builder
     */
    public Builder leadHashes(List<String> leadHashes) {
      this.leadHashes = leadHashes;
      return this;
    }

    /**
     * @param earlierLeads see {@link DedupState#earlierLeads}
     * @return this builder
     */
    public Builder earlierLeads(List<String> earlierLeads) {
      this.earlierLeads = earlierLeads;
      return this;
    }

    /**
     * @param earlierHeadlines see {@link DedupState#earlierHeadlines}
     * @return this builder
     */
    public Builder earlierHeadlines(List<String> earlierHeadlines) {
      this.earlierHeadlines = earlierHeadlines;
      return this;
    }

    /**
     * @param lastPubStatus see {@link DedupState#lastPubStatus}
     * @return this builder
     */
    public Builder lastPubStatus(String lastPubStatus) {
      this.lastPubStatus = lastPubStatus;
      return this;
    }

    /**
     * @param lastWithdrawals see {@link DedupState#lastWithdrawals}
     * @return this builder
     */
    public Builder lastWithdrawals(Map<String, Instant> lastWithdrawals) {
      this.lastWithdrawals = lastWithdrawals;
      return this;
    }

    /**
     * @param leadStart see {@link DedupState#leadStart}
     * @return this builder
     */
    public Builder leadStart(String leadStart) {
      this.leadStart = leadStart;
      return this;
    }

    /**
     * @param bodyHash see {@link DedupState#bodyHash}
     * @return this builder
     */
    public Builder bodyHash(String bodyHash) {
      this.bodyHash = bodyHash;
      return this;
    }

    /**
     * @param mediaHashes see {@link DedupState#mediaHashes}
     * @return this builder
     */
    public Builder mediaHashes(List<String> mediaHashes) {
      this.mediaHashes = mediaHashes;
      return this;
    }

    /**
     * @param cluster see {@link DedupState#cluster}
     * @return this builder
     */
    public Builder cluster(ArticleEvent.Cluster cluster) {
      this.cluster = cluster;
      return this;
    }

    /**
     * @param fieldHashes see {@link DedupState#fieldHashes}
     * @return this builder
     */
    public Builder fieldHashes(FieldHashes fieldHashes) {
      this.fieldHashes = fieldHashes;
      return this;
    }

    /**
     * @param lastFetchedAt see {@link DedupState#lastFetchedAt}
     * @return this builder
     */
    public Builder lastFetchedAt(Instant lastFetchedAt) {
      this.lastFetchedAt = lastFetchedAt;
      return this;
    }

    /**
     * @return the state these fields make
     */
    public DedupState build() {
      return new DedupState(
          uri,
          version,
          fingerprint,
          firstCreated,
          lastVersionCreated,
          inputHash,
          earlierFingerprints,
          lastEventVersionCreated,
          lastSourceId,
          lastSeenAt,
          headlineHash,
          textLength,
          leadHashes,
          earlierLeads,
          earlierHeadlines,
          lastPubStatus,
          lastWithdrawals,
          leadStart,
          bodyHash,
          mediaHashes,
          cluster,
          fieldHashes,
          lastFetchedAt);
    }
  }
}
