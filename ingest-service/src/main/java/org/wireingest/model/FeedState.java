package org.wireingest.model;

import java.time.Instant;
import java.util.Map;

/**
 * The value of a {@code wire.feed-state.v1} record (compacted, keyed by source id): what a poller
 * needs to resume a feed without refetching or republishing. Schema: {@code
 * schemas/feed-state.schema.json}.
 *
 * @param sourceId the source
 * @param feedUrl the URL these validators belong to (state is discarded when the URL changes)
 * @param etag last ETag received; null when none
 * @param lastModified last Last-Modified received (as sent); null when none
 * @param bodySha256 SHA-256 (hex) of the last body parsed; null before the first success
 * @param entries recently published entries: item key to entry hash (bounded, newest kept); never
 *     null
 * @param firstSeen item key to the instant it was first seen (same keys as {@code entries}); never
 *     null
 * @param lastFetchAt when the last fetch ended (UTC); null before the first
 * @param lastSuccessAt when the last fetch succeeded (UTC); null before the first
 * @param lastNewEntryAt when an entry was last published (UTC); null before the first
 * @param consecutiveErrors failed fetches since the last success
 * @param lastError the last failure's outcome and message; null after a success
 * @param nextPollAt when the feed is due next (UTC); null when unknown
 * @param ttlMinutes the feed's own refresh hint, RSS {@code <ttl>} in minutes, from the last
 *     document parsed; null when it gave none. Kept so that polls answered 304 honour it too
 * @param cadenceSeconds the feed's usual publishing cadence in seconds: the median gap between the
 *     dates of the entries of the last document that had at least two distinct entry dates; null
 *     until one had. Used to tell an idle feed from a healthy one ({@code poll.FeedHealth})
 * @param identityBasis the feed-wide identity basis {@code auto} fell back to because too many of
 *     the feed's GUIDs were unusable: {@code link} or {@code content} ({@code
 *     dedup.IdentityResolver}); null while each entry's identity is chosen on its own. Once set it
 *     stays, so item keys do not flip between polls
 * @param identityReason why {@code identityBasis} was chosen, one line for the status API; null
 *     when {@code identityBasis} is null
 * @param movedTo where {@code feedUrl} has moved permanently (HTTP 301 / 308, RFC 9110 §15.4.2), as
 *     a successful fetch found it and later ones did not contradict (a temporary redirect to it
 *     keeps it), credentials masked: the URL the feeds list should give instead; null when it has
 *     not moved, or has since answered by itself or redirected temporarily elsewhere. A feeds list
 *     that adopts it keeps this state
 * @param movedSince when a fetch first found {@code feedUrl} moved to {@code movedTo} (UTC); null
 *     exactly when {@code movedTo} is
 * @param throttledErrors how many of the {@code consecutiveErrors} were HTTP 429 answers ({@code
 *     too-many-requests}); null when none, and in states written before this field (then a {@code
 *     lastError} of {@code too-many-requests} stands for the whole run). A feed is throttled, not
 *     failing, only while every failure since its last success was a 429
 * @param truncatedSince since when every document parsed of the feed was cut off before its end
 *     (the parser's {@code truncated-document} warning: its entries past the cut are lost), UTC;
 *     null when the last document parsed was whole, and in states written before this field. Kept
 *     through polls answered 304 or with the same body, and through failures
 * @param definitionHash the digest of what the feed's fetches and schedule depended on when the
 *     poller last wrote this state ({@code poll.FeedDefinitions#digest}: its URL with credentials
 *     masked, interval and header names, never a header value; SHA-256, 64 lower-case hex
 *     characters); null in states written before this field. A poller that restarts with the feed
 *     defined otherwise polls it at once, as for a feeds list changed while it runs
 * @param maxAgeSeconds the {@code Cache-Control: max-age} (RFC 9111 §5.2.2.1) of the stored
 *     response, in seconds, as sent (its {@code Age} not subtracted): the last 200's, or a later
 *     304's that carried a {@code Cache-Control}; null when that had no {@code max-age}, and in
 *     states written before this field. Kept so that a 304 without {@code Cache-Control}, which
 *     keeps the stored one (RFC 9111 §4.3.4), honours it too, like {@code ttlMinutes}
 */
public record FeedState(
    String sourceId,
    String feedUrl,
    String etag,
    String lastModified,
    String bodySha256,
    Map<String, String> entries,
    Map<String, Instant> firstSeen,
    Instant lastFetchAt,
    Instant lastSuccessAt,
    Instant lastNewEntryAt,
    int consecutiveErrors,
    String lastError,
    Instant nextPollAt,
    Integer ttlMinutes,
    Long cadenceSeconds,
    String identityBasis,
    String identityReason,
    String movedTo,
    Instant movedSince,
    Integer throttledErrors,
    Instant truncatedSince,
    String definitionHash,
    Long maxAgeSeconds) {

  public FeedState {
    entries = entries == null ? Map.of() : Map.copyOf(entries);
    firstSeen = firstSeen == null ? Map.of() : Map.copyOf(firstSeen);
  }

  /**
   * @return the state of a feed never fetched
   */
  public static FeedState initial(String sourceId, String feedUrl) {
    return new FeedState(
        sourceId, feedUrl, null, null, null, Map.of(), Map.of(), null, null, null, 0, null, null,
        null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * @param at when the feed's next poll is planned (UTC); null when not planned
   * @return this state with {@code nextPollAt} replaced
   */
  public FeedState withNextPollAt(Instant at) {
    return toBuilder().nextPollAt(at).build();
  }

  /**
   * The state after a document was parsed and its entries planned (by the poller, and by {@code
   * replay --reparse} from the stored bodies): what the document says replaced, the rest
   * (validators, times, errors, next poll, move) kept.
   *
   * @param body the SHA-256 (hex) of the body parsed; never null
   * @param entries the recently published entries after this document: item key to entry hash;
   *     never null
   * @param firstSeen item key to when it was first seen (same keys as {@code entries}); never null
   * @param ttl the document's RSS {@code <ttl>} in minutes; null when it gave none
   * @param cadence the feed's publishing cadence in seconds; null when unknown
   * @param basis the feed-wide identity basis; null while each entry's is chosen on its own
   * @param reason why {@code basis} was chosen; null when {@code basis} is
   * @return this state with {@code bodySha256}, {@code entries}, {@code firstSeen}, {@code
   *     ttlMinutes}, {@code cadenceSeconds}, {@code identityBasis} and {@code identityReason}
   *     replaced
   */
  public FeedState withParsed(
      String body,
      Map<String, String> entries,
      Map<String, Instant> firstSeen,
      Integer ttl,
      Long cadence,
      String basis,
      String reason) {
    return toBuilder()
        .bodySha256(body)
        .entries(entries)
        .firstSeen(firstSeen)
        .ttlMinutes(ttl)
        .cadenceSeconds(cadence)
        .identityBasis(basis)
        .identityReason(reason)
        .build();
  }

  /**
   * @param since since when every document parsed of the feed was cut off (UTC); null when the last
   *     one was whole
   * @return this state with {@code truncatedSince} replaced
   */
  public FeedState withTruncatedSince(Instant since) {
    return toBuilder().truncatedSince(since).build();
  }

  /**
   * @param hash the digest of the feed's definition this state was written under ({@code
   *     poll.FeedDefinitions#digest}); null when unknown
   * @return this state with {@code definitionHash} replaced
   */
  public FeedState withDefinitionHash(String hash) {
    return toBuilder().definitionHash(hash).build();
  }

  /**
   * @param errors the failed polls in a row, this one included (1 or more)
   * @param error why the last poll failed, {@code code: message}; never null
   * @return this state with {@code consecutiveErrors} and {@code lastError} replaced (a poll whose
   *     feed was read but whose state could not be stored)
   */
  public FeedState withFailure(int errors, String error) {
    return toBuilder().consecutiveErrors(errors).lastError(error).build();
  }

  /**
   * @param url where this state's feed now is (credentials masked): {@code movedTo}, adopted by the
   *     feeds list
   * @return this state recorded for {@code url}, no longer moved; validators, entries and times
   *     kept
   */
  public FeedState adoptedAt(String url) {
    return toBuilder().feedUrl(url).movedTo(null).movedSince(null).build();
  }

  /**
   * @param url the URL this state's {@code feedUrl} stands for, as the redaction writes it now
   *     (credentials masked): a state stored before a secret parameter's name was added to the
   *     redaction keeps that value in clear
   * @return this state with {@code feedUrl} replaced; everything else kept, where it moved to too
   */
  public FeedState recordedAt(String url) {
    return toBuilder().feedUrl(url).build();
  }

  /**
   * @return whether the feed is throttled rather than failing: it failed since its last success,
   *     and every failure was an HTTP 429 ({@code too-many-requests}) answer; for a state written
   *     before {@code throttledErrors} existed, whether the last failure was one
   */
  public boolean throttledOnly() {
    return consecutiveErrors > 0
        && lastError != null
        && lastError.startsWith(TOO_MANY_REQUESTS)
        && (throttledErrors == null || throttledErrors >= consecutiveErrors);
  }

  /**
   * @return whether the feed's last poll failed with an HTTP 429 ({@code too-many-requests}): its
   *     server asked us to slow down, and {@code nextPollAt} keeps the wait it asked for ({@code
   *     Retry-After}, or our back-off when longer), whatever failed before in the same run of
   *     failures. Unlike {@link #throttledOnly}, which tells a throttled feed from a failing one
   *     for health and alerts, this is what a poll must wait for
   */
  public boolean lastFailureThrottled() {
    return consecutiveErrors > 0 && lastError != null && lastError.startsWith(TOO_MANY_REQUESTS);
  }

  /** The failure code of an HTTP 429 answer, as {@code lastError} starts with it. */
  public static final String TOO_MANY_REQUESTS = "too-many-requests";

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
    private String sourceId;
    private String feedUrl;
    private String etag;
    private String lastModified;
    private String bodySha256;
    private Map<String, String> entries;
    private Map<String, Instant> firstSeen;
    private Instant lastFetchAt;
    private Instant lastSuccessAt;
    private Instant lastNewEntryAt;
    private int consecutiveErrors;
    private String lastError;
    private Instant nextPollAt;
    private Integer ttlMinutes;
    private Long cadenceSeconds;
    private String identityBasis;
    private String identityReason;
    private String movedTo;
    private Instant movedSince;
    private Integer throttledErrors;
    private Instant truncatedSince;
    private String definitionHash;
    private Long maxAgeSeconds;

    private Builder(FeedState state) {
      sourceId = state.sourceId;
      feedUrl = state.feedUrl;
      etag = state.etag;
      lastModified = state.lastModified;
      bodySha256 = state.bodySha256;
      entries = state.entries;
      firstSeen = state.firstSeen;
      lastFetchAt = state.lastFetchAt;
      lastSuccessAt = state.lastSuccessAt;
      lastNewEntryAt = state.lastNewEntryAt;
      consecutiveErrors = state.consecutiveErrors;
      lastError = state.lastError;
      nextPollAt = state.nextPollAt;
      ttlMinutes = state.ttlMinutes;
      cadenceSeconds = state.cadenceSeconds;
      identityBasis = state.identityBasis;
      identityReason = state.identityReason;
      movedTo = state.movedTo;
      movedSince = state.movedSince;
      throttledErrors = state.throttledErrors;
      truncatedSince = state.truncatedSince;
      definitionHash = state.definitionHash;
      maxAgeSeconds = state.maxAgeSeconds;
    }

    /**
     * @param sourceId see {@link FeedState#sourceId}
     * @return this builder
     */
    public Builder sourceId(String sourceId) {
      this.sourceId = sourceId;
      return this;
    }

    /**
     * @param feedUrl see {@link FeedState#feedUrl}
     * @return this builder
     */
    public Builder feedUrl(String feedUrl) {
      this.feedUrl = feedUrl;
      return this;
    }

    /**
     * @param etag see {@link FeedState#etag}
     * @return this builder
     */
    public Builder etag(String etag) {
      this.etag = etag;
      return this;
    }

    /**
     * @param lastModified see {@link FeedState#lastModified}
     * @return this builder
     */
    public Builder lastModified(String lastModified) {
      this.lastModified = lastModified;
      return this;
    }

    /**
     * @param bodySha256 see {@link FeedState#bodySha256}
     * @return this builder
     */
    public Builder bodySha256(String bodySha256) {
      this.bodySha256 = bodySha256;
      return this;
    }

    /**
     * @param entries see {@link FeedState#entries}
     * @return this builder
     */
    public Builder entries(Map<String, String> entries) {
      this.entries = entries;
      return this;
    }

    /**
     * @param firstSeen see {@link FeedState#firstSeen}
     * @return this builder
     */
    public Builder firstSeen(Map<String, Instant> firstSeen) {
      this.firstSeen = firstSeen;
      return this;
    }

    /**
     * @param lastFetchAt see {@link FeedState#lastFetchAt}
     * @return this builder
     */
    public Builder lastFetchAt(Instant lastFetchAt) {
      this.lastFetchAt = lastFetchAt;
      return this;
    }

    /**
     * @param lastSuccessAt see {@link FeedState#lastSuccessAt}
     * @return this builder
     */
    public Builder lastSuccessAt(Instant lastSuccessAt) {
      this.lastSuccessAt = lastSuccessAt;
      return this;
    }

    /**
     * @param lastNewEntryAt see {@link FeedState#lastNewEntryAt}
     * @return this builder
     */
    public Builder lastNewEntryAt(Instant lastNewEntryAt) {
      this.lastNewEntryAt = lastNewEntryAt;
      return this;
    }

    /**
     * @param consecutiveErrors see {@link FeedState#consecutiveErrors}
     * @return this builder
     */
    public Builder consecutiveErrors(int consecutiveErrors) {
      this.consecutiveErrors = consecutiveErrors;
      return this;
    }

    /**
     * @param lastError see {@link FeedState#lastError}
     * @return this builder
     */
    public Builder lastError(String lastError) {
      this.lastError = lastError;
      return this;
    }

    /**
     * @param nextPollAt see {@link FeedState#nextPollAt}
     * @return this builder
     */
    public Builder nextPollAt(Instant nextPollAt) {
      this.nextPollAt = nextPollAt;
      return this;
    }

    /**
     * @param ttlMinutes see {@link FeedState#ttlMinutes}
     * @return this builder
     */
    public Builder ttlMinutes(Integer ttlMinutes) {
      this.ttlMinutes = ttlMinutes;
      return this;
    }

    /**
     * @param cadenceSeconds see {@link FeedState#cadenceSeconds}
     * @return this builder
     */
    public Builder cadenceSeconds(Long cadenceSeconds) {
      this.cadenceSeconds = cadenceSeconds;
      return this;
    }

    /**
     * @param identityBasis see {@link FeedState#identityBasis}
     * @return this builder
     */
    public Builder identityBasis(String identityBasis) {
      this.identityBasis = identityBasis;
      return this;
    }

    /**
     * @param identityReason see {@link FeedState#identityReason}
     * @return this builder
     */
    public Builder identityReason(String identityReason) {
      this.identityReason = identityReason;
      return this;
    }

    /**
     * @param movedTo see {@link FeedState#movedTo}
     * @return this builder
     */
    public Builder movedTo(String movedTo) {
      this.movedTo = movedTo;
      return this;
    }

    /**
     * @param movedSince see {@link FeedState#movedSince}
     * @return this builder
     */
    public Builder movedSince(Instant movedSince) {
      this.movedSince = movedSince;
      return this;
    }

    /**
     * @param throttledErrors see {@link FeedState#throttledErrors}
     * @return this builder
     */
    public Builder throttledErrors(Integer throttledErrors) {
      this.throttledErrors = throttledErrors;
      return this;
    }

    /**
     * @param truncatedSince see {@link FeedState#truncatedSince}
     * @return this builder
     */
    public Builder truncatedSince(Instant truncatedSince) {
      this.truncatedSince = truncatedSince;
      return this;
    }

    /**
     * @param definitionHash see {@link FeedState#definitionHash}
     * @return this builder
     */
    public Builder definitionHash(String definitionHash) {
      this.definitionHash = definitionHash;
      return this;
    }

    /**
     * @param maxAgeSeconds see {@link FeedState#maxAgeSeconds}
     * @return this builder
     */
    public Builder maxAgeSeconds(Long maxAgeSeconds) {
      this.maxAgeSeconds = maxAgeSeconds;
      return this;
    }

    /**
     * @return the state with the fields set so far; {@code entries} and {@code firstSeen} copied
     *     (null becomes empty)
     */
    public FeedState build() {
      return new FeedState(
          sourceId,
          feedUrl,
          etag,
          lastModified,
          bodySha256,
          entries,
          firstSeen,
          lastFetchAt,
          lastSuccessAt,
          lastNewEntryAt,
          consecutiveErrors,
          lastError,
          nextPollAt,
          ttlMinutes,
          cadenceSeconds,
          identityBasis,
          identityReason,
          movedTo,
          movedSince,
          throttledErrors,
          truncatedSince,
          definitionHash,
          maxAgeSeconds);
    }
  }
}
