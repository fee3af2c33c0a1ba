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
 *     defined otherwise lifts its back-off ({@link #withoutBackoff}), as for a feeds list changed
 *     while it runs
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
    String definitionHash) {

  public FeedState {
    entries = entries == null ? Map.of() : Map.copyOf(entries);
    firstSeen = firstSeen == null ? Map.of() : Map.copyOf(firstSeen);
  }

  /**
   * A state without a count of throttled failures, a cut-off document nor a definition digest
   * ({@code throttledErrors}, {@code truncatedSince} and {@code definitionHash} null): the shape of
   * the state before those fields existed.
   */
  public FeedState(
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
      Instant movedSince) {
    this(
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
        null,
        null,
        null);
  }

  /**
   * A state of a feed not known to have moved ({@code movedTo} and {@code movedSince} null): the
   * shape of the state before those fields existed.
   */
  public FeedState(
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
      String identityReason) {
    this(
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
        null,
        null);
  }

  /**
   * A state without a refresh hint, cadence or feed-wide identity basis (all null): the shape of
   * the state before those fields existed; states stored then read back the same way.
   */
  public FeedState(
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
      Instant nextPollAt) {
    this(
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
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * @return the state of a feed never fetched
   */
  public static FeedState initial(String sourceId, String feedUrl) {
    return new FeedState(
        sourceId, feedUrl, null, null, null, Map.of(), Map.of(), null, null, null, 0, null, null);
  }

  /**
   * @param at when the feed's next poll is planned (UTC); null when not planned
   * @return this state with {@code nextPollAt} replaced
   */
  public FeedState withNextPollAt(Instant at) {
    Copy copy = new Copy(this);
    copy.nextPollAt = at;
    return copy.build();
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
    Copy copy = new Copy(this);
    copy.bodySha256 = body;
    copy.entries = entries;
    copy.firstSeen = firstSeen;
    copy.ttlMinutes = ttl;
    copy.cadenceSeconds = cadence;
    copy.identityBasis = basis;
    copy.identityReason = reason;
    return copy.build();
  }

  /**
   * @param since since when every document parsed of the feed was cut off (UTC); null when the last
   *     one was whole
   * @return this state with {@code truncatedSince} replaced
   */
  public FeedState withTruncatedSince(Instant since) {
    Copy copy = new Copy(this);
    copy.truncatedSince = since;
    return copy.build();
  }

  /**
   * @param hash the digest of the feed's definition this state was written under ({@code
   *     poll.FeedDefinitions#digest}); null when unknown
   * @return this state with {@code definitionHash} replaced
   */
  public FeedState withDefinitionHash(String hash) {
    Copy copy = new Copy(this);
    copy.definitionHash = hash;
    return copy.build();
  }

  /**
   * @param errors the failed polls in a row, this one included (1 or more)
   * @param error why the last poll failed, {@code code: message}; never null
   * @return this state with {@code consecutiveErrors} and {@code lastError} replaced (a poll whose
   *     feed was read but whose state could not be stored)
   */
  public FeedState withFailure(int errors, String error) {
    Copy copy = new Copy(this);
    copy.consecutiveErrors = errors;
    copy.lastError = error;
    return copy.build();
  }

  /**
   * @return this state with its back-off lifted: {@code consecutiveErrors} 0, {@code
   *     throttledErrors} and {@code nextPollAt} null, so the feed is due now and a next failure
   *     backs off from its interval again; validators, entries, times and {@code lastError} (for
   *     display, until the next poll) kept. For a feed whose definition changed (new headers, a new
   *     interval): its failures and waits were those of the old one
   */
  public FeedState withoutBackoff() {
    Copy copy = new Copy(this);
    copy.consecutiveErrors = 0;
    copy.nextPollAt = null;
    copy.throttledErrors = null;
    return copy.build();
  }

  /**
   * @param url where this state's feed now is (credentials masked): {@code movedTo}, adopted by the
   *     feeds list
   * @return this state recorded for {@code url}, no longer moved; validators, entries and times
   *     kept
   */
  public FeedState adoptedAt(String url) {
    Copy copy = new Copy(this);
    copy.feedUrl = url;
    copy.movedTo = null;
    copy.movedSince = null;
    return copy.build();
  }

  /**
   * @param url the URL this state's {@code feedUrl} stands for, as the redaction writes it now
   *     (credentials masked): a state stored before a secret parameter's name was added to the
   *     redaction keeps that value in clear
   * @return this state with {@code feedUrl} replaced; everything else kept, where it moved to too
   */
  public FeedState recordedAt(String url) {
    Copy copy = new Copy(this);
    copy.feedUrl = url;
    return copy.build();
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
   * A state's fields, copied to be changed: each {@code with…} method sets only what it replaces,
   * so a field added to the record is carried by every one of them without being named there.
   */
  private static final class Copy {
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

    private Copy(FeedState state) {
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
    }

    private FeedState build() {
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
          definitionHash);
    }
  }
}
