package org.wireingest.dedup;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.wireingest.model.ArticleEvent;
import org.wireingest.text.Html;

/**
 * The version rule of articles (DESIGN.md, "Identity, dedup and versions"): which drafts become
 * events, and with which version. Pure and thread-safe; the caller owns the store of {@link
 * DedupState}s.
 *
 * <ul>
 *   <li>no state for the {@code uri}: {@link Decision.Created}, version 1;
 *   <li>same fingerprint as the last version: {@link Decision.Duplicate}, reason {@value
 *       Decision.Duplicate#SAME_FINGERPRINT}, unless it adds media (below);
 *   <li>the last version's content with its one text in the other field (a summary become a body or
 *       the other way round, {@link Fingerprint#ofTextMoved}: a description written with {@code
 *       <p>} markup is a body, without it a summary): {@link Decision.Duplicate}, reason {@value
 *       Decision.Duplicate#SAME_TEXT}. An earlier version's content so moved counts as that
 *       version's (below);
 *   <li>different fingerprint, but an entry date strictly older than the newest date the story's
 *       entries gave ({@link DedupState#lastVersionCreated()}; an older copy arriving late, e.g.
 *       from a lagging section feed), unless it comes from the feed that made the last version and
 *       was fetched at or after that version was ({@link DedupState#lastFetch}: that feed's own
 *       backdated edit, or a time zone it fixed): {@link Decision.Duplicate}, reason {@value
 *       Decision.Duplicate#OLDER_VERSION}. Only dates the entries gave count, on both sides: a
 *       missing date's first-seen stand-in and a clamped future date are neither newer nor older
 *       (an undated story that gains a date is updated). A kill or withhold ({@code pubStatus}
 *       {@code canceled} / {@code withheld}) is published even when a section feed gave the story a
 *       later date, unless a kill or withhold dated as late was published before (then it is a late
 *       copy of that one, e.g. after a newer version reinstated the story);
 *   <li>the fingerprint of an earlier version ({@link DedupState#earlierFingerprints()}), from
 *       another feed than the one that made the last version, and without an entry date newer than
 *       any the story's entries gave (a missing or clamped date is none): an earlier version's copy
 *       arriving again, e.g. a section feed still carrying a story its main feed has since
 *       corrected or killed. RSS gives most edits the same date, so only the content and the feed
 *       tell such a copy from an edit. {@link Decision.Duplicate}, reason {@value
 *       Decision.Duplicate#OLDER_VERSION}. The same return from the feed that made the last version
 *       is that feed's own revert (an un-kill, say), and one with a newer date is an update too;
 *   <li>from a feed other than the one that made the last version, with its headline and lead, no
 *       newer date, no kill or withhold, and less summary and body text: that feed's shorter
 *       rendering of the last version (a section feed carrying only the summary of a story its main
 *       feed carries in full). The same holds for a teaser of the last version's lead, cut short
 *       and ending in an ellipsis ({@link #teaser}). {@link Decision.Duplicate}, reason {@value
 *       Decision.Duplicate#SHORTER_COPY};
 *   <li>a withdrawn story (last version {@code canceled} or {@code withheld}) made {@code usable}
 *       by a feed other than the one that made the last version, without a newer date: a lagging
 *       copy from before the kill (a kill of a withheld story passes). {@link Decision.Duplicate},
 *       reason {@value Decision.Duplicate#OLDER_VERSION};
 *   <li>otherwise: {@link Decision.Updated}, version + 1.
 * </ul>
 *
 * <p><b>Media.</b> The media ({@code associations}) are outside the fingerprint, but a picture
 * added to a story (agencies publish the text first and the picture minutes later) must reach
 * consumers. A copy of the last version (same fingerprint, or its text moved, {@value
 * Decision.Duplicate#SAME_TEXT}) that <em>adds media</em> is {@link Decision.Updated}, version + 1,
 * carrying its media (and dated as an undated edit is). It adds media when it is not a kill or
 * withhold and it has a media object whose URL matches none the story's versions had ({@link
 * DedupState#mediaHashes}; URLs compared by {@link MediaKeys}: canonical, without scheme or query),
 * and either it comes from the feed that made the last version, or no version had media (another
 * feed's first picture of a text-only story; the feed that made the text stays the one that made
 * the last version). Not a version, so a duplicate as before:
 *
 * <ul>
 *   <li>media removed, reordered, or all known (a section feed carrying fewer media than the main
 *       feed, or none: no flip-flop between a feed with media and one without);
 *   <li>a rendition's size, type or byte count changing, a thumbnail added to or dropped from a
 *       known picture, a known picture at another query ({@code ?w=460}) or scheme;
 *   <li>another feed's different picture for a story that already has one (section feeds may render
 *       the picture at another URL; only the first picture is news);
 *   <li>a picture that an earlier version had (every version's media are remembered, so two feeds
 *       with different pictures do not take turns making versions);
 *   <li>any media, when the state does not know the story's media (written before {@link
 *       DedupState#mediaHashes} existed): the next copy of the last version from the feed that made
 *       it is learnt from instead, as the last version's media;
 *   <li>a copy that is a duplicate for any other reason (a {@value Decision.Duplicate#SHORTER_COPY}
 *       keeps its suppression even with a new picture, so the newest version keeps the full text),
 *       and a story that knows {@value MediaKeys#MAX_MEDIA_HASHES} media URLs (a gallery).
 * </ul>
 *
 * <p>An update for an edit also remembers its media, so a copy of it adding a picture later is an
 * update too.
 *
 * <p>An update's {@code versionCreated} (ninjs: when this version was created) is the entry's date
 * when the entry gave one and it is newer than every date the story's entries gave before.
 * Otherwise the agency did not date the edit (RSS has only {@code pubDate}, which most agencies
 * leave alone on an edit), and it is when the poller fetched this version ({@code seenAt}). It is
 * never before the previous version's, so versions are in order by {@code versionCreated} too.
 */
public final class Versioning {

  /** ninjs-style change type of a version 1 event. */
  public static final String CREATED = "created";

  /** Change type of a later version. */
  public static final String UPDATED = "updated";

  /** The end of a sentence: ., ! or ? followed by white space. */
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?][\\s\\u00A0]");

  /**
   * Chars of the last version's lead a state keeps ({@link DedupState#leadStart}) to recognise
   * another feed's teaser of it: 600, more than the teasers feeds cut (WordPress's default excerpt
   * is 55 words: ~350 chars in English, ~470 in Turkish or German; most agencies' section teasers
   * are 150–300 chars). A teaser longer than that is not recognised, and makes a version as any
   * other shorter text does.
   */
  public static final int LEAD_START_CHARS = 600;

  /**
   * Longest line that may follow a teaser's paragraph and still let it be recognised: the line a
   * site appends to every excerpt ("The post … appeared first on …", "Continue reading").
   */
  static final int MAX_TEASER_TRAILER_CHARS = 200;

  /**
   * Fewest chars of text before a teaser's ellipsis: a shorter one says too little to be matched.
   */
  static final int MIN_TEASER_CHARS = 40;

  /**
   * An ellipsis ending a text: {@code …}, {@code ...}, each possibly in square or round brackets,
   * then only white space.
   */
  private static final Pattern TEASER_END =
      Pattern.compile(
          "[\\s\\u00A0]*(?:\\[\\s*(?:…|\\.{3})\\s*]|\\(\\s*(?:…|\\.{3})\\s*\\)|…|\\.{3})[\\s\\u00A0]*$");

  private Versioning() {}

  /** The outcome of {@link #decide(DedupState, ArticleEvent)}; each carries the state to store. */
  public sealed interface Decision {

    /**
     * @return the state to store for the {@code uri} after this decision; never null
     */
    DedupState state();

    /** A new story: publish version 1. */
    record Created(DedupState state) implements Decision {}

    /**
     * An editorial change: publish {@code state.version()}.
     *
     * @param state the state to store
     * @param changedFields the event's {@link ArticleEvent#changedFields}: what differs from the
     *     last version; null when unknown (a state from before they were tracked)
     */
    record Updated(DedupState state, List<String> changedFields) implements Decision {

      /** An update whose changed fields are unknown. */
      public Updated(DedupState state) {
        this(state, null);
      }
    }

    /**
     * Nothing to publish; counted as a duplicate.
     *
     * @param reason {@value #SAME_FINGERPRINT}, {@value #SAME_TEXT}, {@value #OLDER_VERSION},
     *     {@value #SHORTER_COPY} or {@value #WITHDRAWAL_COPY}
     * @param state the state to keep: the previous one, or for {@value #SHORTER_COPY} and {@value
     *     #WITHDRAWAL_COPY} the previous one with the copy's fingerprint among the earlier ones, or
     *     for {@value #SAME_FINGERPRINT} and {@value #SAME_TEXT} of a state that did not know the
     *     story's media ({@link DedupState#mediaHashes} null), the previous one with the copy's
     *     media learnt when the copy came from the feed that made the last version
     */
    record Duplicate(String reason, DedupState state) implements Decision {
      /** The draft's content equals the last version's. */
      public static final String SAME_FINGERPRINT = "same-fingerprint";

      /**
       * The draft's content equals the last version's, its one text carried in the other field
       * (summary instead of body text or the other way round: the same description with or without
       * markup).
       */
      public static final String SAME_TEXT = "same-text";

      /**
       * The draft is older than the last version published, or an earlier version's content without
       * a newer date.
       */
      public static final String OLDER_VERSION = "older-version";

      /**
       * The draft is another feed's shorter rendering of the last version (same headline, less
       * text, no newer date).
       */
      public static final String SHORTER_COPY = "shorter-copy";

      /**
       * The draft is another feed's copy of the kill or withhold the last version is, without a
       * newer date.
       */
      public static final String WITHDRAWAL_COPY = "withdrawal-copy";
    }
  }

  /**
   * {@link #decide(DedupState, ArticleEvent, Instant)} without a fetch time: an update the agency
   * did not date keeps the previous version's {@code versionCreated}.
   *
   * @param previous the stored state for the draft's {@code uri}; null when the {@code uri} is new
   * @param draft a normalizer draft (see the other overload); never null
   * @return the decision; never null
   */
  public static Decision decide(DedupState previous, ArticleEvent draft) {
    return decide(previous, draft, null);
  }

  /**
   * @param previous the stored state for the draft's {@code uri}; null when the {@code uri} is new
   * @param draft a normalizer draft with its {@code uri}, {@code fingerprint}, {@code firstCreated}
   *     and {@code versionCreated} set; never null
   * @param seenAt when the poller fetched the entry this draft comes from (UTC, the raw item's
   *     {@code fetch.fetchedAt}): an undated update's {@code versionCreated}; null when unknown
   * @return the decision; never null
   * @throws IllegalArgumentException when {@code previous} belongs to another {@code uri} (a bug)
   */
  public static Decision decide(DedupState previous, ArticleEvent draft, Instant seenAt) {
    Objects.requireNonNull(draft.fingerprint(), "draft fingerprint");
    Instant dated = draft.versionCreated();
    // Only a date the entry gave is kept as the story's newest date: a first-seen or clamped
    // stand-in is neither newer nor older than an agency's date.
    Instant agencyDate = agencyDated(draft) ? dated : null;
    String sourceId = draft.source() == null ? null : draft.source().id();
    if (previous == null) {
      return new Decision.Created(
          DedupState.builder(draft.uri(), 1, draft.fingerprint())
              .firstCreated(draft.firstCreated())
              .lastVersionCreated(agencyDate)
              .lastEventVersionCreated(Objects.equals(dated, agencyDate) ? null : dated)
              .lastSourceId(sourceId)
              .headlineHash(headlineHash(draft))
              .textLength(textLength(draft))
              .leadHashes(leadHashes(draft))
              .lastPubStatus(withdrawal(draft) ? draft.pubStatus() : null)
              .lastWithdrawals(withdrawals(Map.of(), draft, agencyDate))
              .leadStart(leadStart(draft))
              .bodyHash(bodyHash(draft))
              .mediaHashes(MediaKeys.after(null, MediaKeys.of(draft)))
              .fieldHashes(fieldHashes(draft))
              .lastFetchedAt(seenAt)
              .build());
    }
    if (!previous.uri().equals(draft.uri())) {
      throw new IllegalArgumentException(
          "state of " + previous.uri() + " applied to draft of " + draft.uri());
    }
    boolean newerDate =
        agencyDate != null
            && (previous.lastVersionCreated() == null
                || agencyDate.isAfter(previous.lastVersionCreated()));
    boolean sameFeed = sourceId != null && sourceId.equals(previous.lastSourceId());
    if (previous.fingerprint().equals(draft.fingerprint())) {
      return copyOfLastVersion(
          Decision.Duplicate.SAME_FINGERPRINT,
          previous,
          draft,
          seenAt,
          agencyDate,
          newerDate,
          sameFeed);
    }
    // The same text as a body instead of a summary, or the other way round: the description
    // written with or without markup (a feed changing its template, or two feeds of one agency).
    String moved = Fingerprint.ofTextMoved(draft);
    if (previous.fingerprint().equals(moved)) {
      return copyOfLastVersion(
          Decision.Duplicate.SAME_TEXT, previous, draft, seenAt, agencyDate, newerDate, sameFeed);
    }
    boolean revert =
        previous.hadEarlier(draft.fingerprint()) || moved != null && previous.hadEarlier(moved);
    if (withdrawal(draft)
        && !sameFeed
        && !newerDate
        && draft.pubStatus().equals(previous.lastPubStatus())) {
      // Another feed's copy of the kill or withhold just published: the same version as that feed
      // renders it, remembered, and the feed that made the kill stays the one that may undo it.
      return new Decision.Duplicate(
          Decision.Duplicate.WITHDRAWAL_COPY, previous.withEarlierFingerprint(draft.fingerprint()));
    }
    if (agencyDate != null
        && previous.lastVersionCreated() != null
        && agencyDate.isBefore(previous.lastVersionCreated())
        && !unpublishedWithdrawal(previous, draft, agencyDate)
        && !(sameFeed && (revert || fetchedSince(previous, seenAt)))) {
      // An older copy arriving late: from another feed, or from the feed that made the last
      // version but fetched before that version was (a second poller's slower fetch). Fetched
      // since, an older date from that feed is its own edit (a correction backdated, a time zone
      // fixed); its revert is told apart below.
      return new Decision.Duplicate(Decision.Duplicate.OLDER_VERSION, previous);
    }
    if (withdrawal(draft)
        && !sameFeed
        && !newerDate
        && !unpublishedWithdrawal(previous, draft, agencyDate)) {
      // Another feed's copy of a kill already published and since undone: a lagging copy.
      return new Decision.Duplicate(Decision.Duplicate.OLDER_VERSION, previous);
    }
    if (revert && !newerDate && !sameFeed) {
      return new Decision.Duplicate(Decision.Duplicate.OLDER_VERSION, previous);
    }
    if (revert
        && !newerDate
        && seenAt != null
        && previous.lastFetch() != null
        && seenAt.isBefore(previous.lastFetch())) {
      // An earlier version's copy fetched before the last version was (a second poller's slower
      // fetch): not the feed's own revert.
      return new Decision.Duplicate(Decision.Duplicate.OLDER_VERSION, previous);
    }
    if (!sameFeed && !newerDate && previous.lastPubStatus() != null && !withdrawal(draft)) {
      // A withdrawn story restored by another feed without a newer date: a lagging copy from
      // before the kill, not a reinstatement.
      return new Decision.Duplicate(Decision.Duplicate.OLDER_VERSION, previous);
    }
    List<String> leads = leadHashes(draft);
    String headline = headlineHash(draft);
    if (!sameFeed
        && !newerDate
        && !withdrawal(draft)
        && !headline.equals(previous.headlineHash())
        && previous.earlierHeadlines().contains(headline)) {
      // Another feed still carrying an earlier version's headline (from before a correction): a
      // lagging copy.
      return new Decision.Duplicate(Decision.Duplicate.OLDER_VERSION, previous);
    }
    if (!sameFeed && !newerDate && !withdrawal(draft) && earlierLead(previous, leads)) {
      // Another feed still carrying an earlier version's lead: a lagging copy, not a revert.
      return new Decision.Duplicate(Decision.Duplicate.OLDER_VERSION, previous);
    }
    if (shorterCopy(previous, draft, headline, leads, sourceId, newerDate)) {
      // Remembered as a rendering of this version: the same copy arriving after a later version is
      // a late copy.
      return new Decision.Duplicate(
          Decision.Duplicate.SHORTER_COPY, previous.withEarlierFingerprint(draft.fingerprint()));
    }
    return updated(previous, draft, seenAt, agencyDate, newerDate, sourceId);
  }

  /**
   * Whether a copy was fetched at or after the raw item that made the last version ({@link
   * DedupState#lastFetch}).
   */
  private static boolean fetchedSince(DedupState previous, Instant seenAt) {
    return seenAt != null && previous.lastFetch() != null && !seenAt.isBefore(previous.lastFetch());
  }

  /**
   * The next version, made of {@code draft}: see the class comment for its {@code versionCreated}.
   *
   * @param sourceId the feed to keep as the one that made it ({@link DedupState#lastSourceId})
   */
  private static Decision.Updated updated(
      DedupState previous,
      ArticleEvent draft,
      Instant seenAt,
      Instant agencyDate,
      boolean newerDate,
      String sourceId) {
    List<String> leads = leadHashes(draft);
    String headline = headlineHash(draft);
    Instant lastVersionCreated = newerDate ? agencyDate : previous.lastVersionCreated();
    Instant eventTime = newerDate ? agencyDate : seenAt != null ? seenAt : draft.versionCreated();
    Instant before = previous.eventVersionCreated();
    if (eventTime == null || before != null && eventTime.isBefore(before)) {
      eventTime = before;
    }
    DedupState.FieldHashes fields = fieldHashes(draft);
    return new Decision.Updated(
        DedupState.builder(previous.uri(), previous.version() + 1, draft.fingerprint())
            .firstCreated(previous.firstCreated())
            .lastVersionCreated(lastVersionCreated)
            .earlierFingerprints(previous.earlierFingerprintsAfter(draft.fingerprint()))
            .lastEventVersionCreated(
                Objects.equals(eventTime, lastVersionCreated) ? null : eventTime)
            .lastSourceId(sourceId)
            .headlineHash(headline)
            .textLength(textLength(draft))
            .leadHashes(leads)
            .earlierLeads(previous.earlierLeadsAfter(leads))
            .earlierHeadlines(previous.earlierHeadlinesAfter(headline))
            .lastPubStatus(withdrawal(draft) ? draft.pubStatus() : null)
            .lastWithdrawals(withdrawals(previous.lastWithdrawals(), draft, agencyDate))
            .leadStart(leadStart(draft))
            .bodyHash(bodyHash(draft))
            .mediaHashes(MediaKeys.after(previous.mediaHashes(), MediaKeys.of(draft)))
            .fieldHashes(fields)
            .lastFetchedAt(seenAt)
            .build(),
        changedFields(previous, draft, fields));
  }

  /**
   * @return the short hashes of the draft's summary, byline and subjects ({@link
   *     DedupState.FieldHashes})
   */
  static DedupState.FieldHashes fieldHashes(ArticleEvent draft) {
    String subjects = String.join("\n", Fingerprint.subjectNames(draft));
    return new DedupState.FieldHashes(
        textHash(draft.headline()),
        textHash(draft.byline()),
        textHash(draft.summary()),
        textHash(draft.bodyText()),
        shortHash(subjects));
  }

  /**
   * @return {@link #shortHash} of {@code text} as the {@link Fingerprint} reads it ({@link
   *     Fingerprint#comparedText}); of "" when null
   */
  private static String textHash(String text) {
    return shortHash(text == null ? "" : Fingerprint.comparedText(text));
  }

  /**
   * The fields of the next version ({@code draft}) that differ from the last one's, as {@link
   * ArticleEvent#changedFields} lists them.
   *
   * @return the names, in the order of {@link ArticleEvent#changedFields}; null when {@code
   *     previous} predates {@link DedupState#fieldHashes} (unknown)
   */
  private static List<String> changedFields(
      DedupState previous, ArticleEvent draft, DedupState.FieldHashes fields) {
    DedupState.FieldHashes before = previous.fieldHashes();
    if (before == null) {
      return null;
    }
    List<String> changed = new ArrayList<>(2);
    if (!fields.headline().equals(before.headline())) {
      changed.add(ArticleEvent.FIELD_HEADLINE);
    }
    if (!fields.byline().equals(before.byline())) {
      changed.add(ArticleEvent.FIELD_BYLINE);
    }
    // The same text moved between summary and body (a description with or without markup, as
    // another feed of the agency or a changed template writes it) is no change of either:
    // Fingerprint#ofTextMoved.
    boolean moved =
        fields.summary().equals(before.bodyText()) && fields.bodyText().equals(before.summary());
    if (!moved && !fields.summary().equals(before.summary())) {
      changed.add(ArticleEvent.FIELD_SUMMARY);
    }
    if (!moved && !fields.bodyText().equals(before.bodyText())) {
      changed.add(ArticleEvent.FIELD_BODY_TEXT);
    }
    if (!fields.subjects().equals(before.subjects())) {
      changed.add(ArticleEvent.FIELD_SUBJECTS);
    }
    if (!Objects.equals(withdrawal(draft) ? draft.pubStatus() : null, previous.lastPubStatus())) {
      changed.add(ArticleEvent.FIELD_PUB_STATUS);
    }
    List<String> known = previous.mediaHashes();
    if (known != null && MediaKeys.objects(draft).stream().anyMatch(h -> !known.contains(h))) {
      changed.add(ArticleEvent.FIELD_ASSOCIATIONS);
    }
    return List.copyOf(changed);
  }

  /**
   * A copy of the last version ({@code reason} {@value Decision.Duplicate#SAME_FINGERPRINT} or
   * {@value Decision.Duplicate#SAME_TEXT}): an update when it adds media ({@link #addsMedia}), else
   * a duplicate, which learns the copy's media as the last version's when the state does not know
   * them and the copy comes from the feed that made the last version (or the state does not say
   * which feed that was).
   *
   * <p>An update for media keeps the feed that made the last version as it was ({@link
   * DedupState#lastSourceId}): a section feed's first picture changes no text, so the feed whose
   * text it is keeps its own edits, cuts and reverts.
   */
  private static Decision copyOfLastVersion(
      String reason,
      DedupState previous,
      ArticleEvent draft,
      Instant seenAt,
      Instant agencyDate,
      boolean newerDate,
      boolean sameFeed) {
    if (addsMedia(previous, draft, sameFeed)) {
      return updated(previous, draft, seenAt, agencyDate, newerDate, previous.lastSourceId());
    }
    boolean learn = previous.mediaHashes() == null && (previous.lastSourceId() == null || sameFeed);
    return new Decision.Duplicate(
        reason,
        learn ? previous.withMediaHashes(MediaKeys.after(null, MediaKeys.of(draft))) : previous);
  }

  /**
   * Whether a copy of the last version adds media (class comment): the state knows the story's
   * media and fewer than {@value MediaKeys#MAX_MEDIA_HASHES} of them, the copy is no kill or
   * withhold, it comes from the feed that made the last version ({@code sameFeed}) or no version
   * had media, and one of its media objects' URLs is none the story's versions had.
   */
  private static boolean addsMedia(DedupState previous, ArticleEvent draft, boolean sameFeed) {
    List<String> known = previous.mediaHashes();
    if (known == null || known.size() >= MediaKeys.MAX_MEDIA_HASHES || withdrawal(draft)) {
      return false;
    }
    if (!sameFeed && !known.isEmpty()) {
      return false;
    }
    return MediaKeys.objects(draft).stream().anyMatch(h -> !known.contains(h));
  }

  /**
   * {@code before} with the draft's date as its status's newest, when it is a dated kill or
   * withhold newer than that.
   */
  private static Map<String, Instant> withdrawals(
      Map<String, Instant> before, ArticleEvent draft, Instant agencyDate) {
    if (!withdrawal(draft) || agencyDate == null) {
      return before;
    }
    Instant last = before.get(draft.pubStatus());
    if (last != null && !agencyDate.isAfter(last)) {
      return before;
    }
    Map<String, Instant> out = new TreeMap<>(before);
    out.put(draft.pubStatus(), agencyDate);
    return out;
  }

  /**
   * Whether a kill or withhold dated before the story's newest date is still to be published: no
   * version of its status ({@code canceled}, {@code withheld}) dated as late as it was published
   * before (a released withhold says nothing of a later kill). A section feed may have given the
   * story a later date than the main feed's kill keeps (that kill must not be lost), but a kill the
   * story already had, arriving again from a lagging feed after a newer version reinstated the
   * story, is a late copy.
   */
  private static boolean unpublishedWithdrawal(
      DedupState previous, ArticleEvent draft, Instant agencyDate) {
    Instant last = previous.lastWithdrawals().get(draft.pubStatus());
    return withdrawal(draft) && (last == null || agencyDate == null || agencyDate.isAfter(last));
  }

  /**
   * Whether a draft is another feed's shorter rendering of the last version: from a known feed
   * other than the one that made it, with no newer date, its headline and its lead (summary, else
   * body text: a section feed's text is the main feed's description), less summary and body text,
   * and no kill or withhold. A correction of the lead is not a shorter rendering. A section feed
   * that carries only the summary of a story its main feed carries in full would otherwise make a
   * version of its own, and the newest version would lose the body. A richer copy (the full text
   * after a section feed's summary came first) is an update.
   */
  private static boolean shorterCopy(
      DedupState previous,
      ArticleEvent draft,
      String headline,
      List<String> leads,
      String sourceId,
      boolean newerDate) {
    return previous.lastSourceId() != null
        && sourceId != null
        && !sourceId.equals(previous.lastSourceId())
        && !newerDate
        && !withdrawal(draft)
        && headline.equals(previous.headlineHash())
        && previous.textLength() != null
        && textLength(draft) < previous.textLength()
        && sameBodyIfAny(previous, draft)
        && (previous.leadHashes().contains(leads.get(0))
            || teaser(lead(draft), previous.leadStart()));
  }

  /**
   * Whether whatever text a copy carries beside its lead is the last version's: true when it has
   * only a summary or only a body (that text is its lead, which the shorter-copy rule compares), or
   * a body equal to the last version's ({@link DedupState#bodyHash}). A feed that cuts the summary
   * short but brings a corrected body first must not have the correction suppressed.
   */
  private static boolean sameBodyIfAny(DedupState previous, ArticleEvent draft) {
    return draft.summary() == null
        || draft.bodyText() == null
        || Objects.equals(previous.bodyHash(), bodyHash(draft));
  }

  /**
   * @return {@link #shortHash} of the draft's body text; null when it has none
   */
  static String bodyHash(ArticleEvent draft) {
    return draft.bodyText() == null ? null : shortHash(draft.bodyText());
  }

  /**
   * Whether {@code text} is a teaser of a lead starting with {@code leadStart}: it ends in an
   * ellipsis ({@code …}, {@code ...}, {@code […]}, {@code [...]}, {@code (…)}), and the at least
   * {@value #MIN_TEASER_CHARS} chars before it, trimmed, are the start of the lead, as feeds cut a
   * description short (at a word or in one).
   *
   * @param text a draft's lead; never null
   * @param leadStart the stored start of the last version's lead; null gives false
   */
  static boolean teaser(String text, String leadStart) {
    if (leadStart == null) {
      return false;
    }
    if (cutShort(text, leadStart)) {
      return true;
    }
    // The ellipsis may end the first paragraph, when one short line follows (a site's trailer).
    int blank = text.indexOf("\n\n");
    if (blank < 0) {
      return false;
    }
    String rest = text.substring(blank).strip();
    return rest.length() <= MAX_TEASER_TRAILER_CHARS
        && !rest.contains("\n\n")
        && cutShort(text.substring(0, blank), leadStart);
  }

  /**
   * Whether {@code text} ends in an ellipsis and the text before it, whitespace collapsed, starts
   * {@code leadStart}.
   */
  private static boolean cutShort(String text, String leadStart) {
    Matcher end = TEASER_END.matcher(text);
    if (!end.find()) {
      return false;
    }
    String cut = Html.collapseWhitespace(text.substring(0, end.start()));
    return cut.length() >= MIN_TEASER_CHARS && leadStart.startsWith(cut);
  }

  /**
   * @return the draft's lead text: its summary, else its body text; "" when neither
   */
  private static String lead(ArticleEvent draft) {
    return draft.summary() != null
        ? draft.summary()
        : draft.bodyText() != null ? draft.bodyText() : "";
  }

  /**
   * @return the first {@value #LEAD_START_CHARS} chars of the draft's lead, its whitespace
   *     collapsed ({@link Html#collapseWhitespace}: paragraph breaks become spaces, so a teaser
   *     running across one still matches), without a surrogate pair cut in half; the whole lead
   *     when shorter
   */
  static String leadStart(ArticleEvent draft) {
    String lead = Html.collapseWhitespace(lead(draft));
    if (lead.length() <= LEAD_START_CHARS) {
      return lead;
    }
    int end =
        Character.isHighSurrogate(lead.charAt(LEAD_START_CHARS - 1))
            ? LEAD_START_CHARS - 1
            : LEAD_START_CHARS;
    return lead.substring(0, end);
  }

  /** Whether the draft's lead is an earlier version's and none of the last version's. */
  private static boolean earlierLead(DedupState previous, List<String> leads) {
    String lead = leads.get(0);
    return !previous.leadHashes().contains(lead) && previous.earlierLeads().contains(lead);
  }

  /**
   * @return {@link #shortHash} of the draft's lead (its summary, else its body text; "" when
   *     neither), then of the lead's first paragraph and of its first sentence, each distinct text
   *     once; never empty
   */
  static List<String> leadHashes(ArticleEvent draft) {
    String lead = lead(draft);
    int blank = lead.indexOf("\n\n");
    String paragraph = blank < 0 ? lead : lead.substring(0, blank);
    Matcher end = SENTENCE_END.matcher(paragraph);
    String sentence = end.find() ? paragraph.substring(0, end.start() + 1) : paragraph;
    Set<String> texts =
        new LinkedHashSet<>(List.of(lead.strip(), paragraph.strip(), sentence.strip()));
    List<String> hashes = new ArrayList<>(texts.size());
    for (String text : texts) {
      hashes.add(shortHash(text));
    }
    return List.copyOf(hashes);
  }

  /**
   * @return {@link #shortHash} of the draft's headline ("" when none)
   */
  static String headlineHash(ArticleEvent draft) {
    return shortHash(draft.headline() == null ? "" : draft.headline());
  }

  /**
   * A short hash to tell a story's texts apart (not a fingerprint: only compared within one story's
   * versions): CRC32C (RFC 3720) of the UTF-8 bytes, 8 lower-case hex characters.
   */
  static String shortHash(String text) {
    CRC32C crc = new CRC32C();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().toHexDigits((int) crc.getValue());
  }

  /**
   * @return the length of the draft's summary and body text together, in chars
   */
  static int textLength(ArticleEvent draft) {
    return (draft.summary() == null ? 0 : draft.summary().length())
        + (draft.bodyText() == null ? 0 : draft.bodyText().length());
  }

  /**
   * @return whether the draft withdraws or holds back its story ({@code pubStatus} {@code canceled}
   *     or {@code withheld}): such a signal is never taken for a late copy by its date alone, since
   *     losing a kill costs more than publishing it twice
   */
  static boolean withdrawal(ArticleEvent draft) {
    return ArticleEvent.CANCELED.equals(draft.pubStatus())
        || ArticleEvent.WITHHELD.equals(draft.pubStatus());
  }

  /**
   * @return whether the draft's {@code versionCreated} is a date its entry gave: not the poller's
   *     first-seen time standing in for a missing date ({@link ArticleEvent#DATE_MISSING}), nor the
   *     fetch time standing in for a future one ({@link ArticleEvent#FUTURE_DATE_CLAMPED}). Only
   *     such a date can say a version is newer than another feed's copy
   */
  static boolean agencyDated(ArticleEvent draft) {
    return draft.versionCreated() != null
        && (draft.warnings() == null
            || !(draft.warnings().contains(ArticleEvent.DATE_MISSING)
                || draft.warnings().contains(ArticleEvent.FUTURE_DATE_CLAMPED)));
  }

  /**
   * The event a decision publishes.
   *
   * @param decision a decision taken for {@code draft}; never null
   * @param draft the draft it was taken for; never null
   * @return for {@link Decision.Created} and {@link Decision.Updated}, the draft with {@code
   *     version}, {@code changeType} ({@value #CREATED} / {@value #UPDATED}) and {@code
   *     firstCreated} (the story's first, from the state) filled, and for an update its {@code
   *     versionCreated} as decided (see the class comment); empty for {@link Decision.Duplicate}
   */
  public static Optional<ArticleEvent> apply(Decision decision, ArticleEvent draft) {
    if (decision instanceof Decision.Duplicate) {
      return Optional.empty();
    }
    String changeType = decision instanceof Decision.Created ? CREATED : UPDATED;
    DedupState state = decision.state();
    ArticleEvent event = draft.withVersion(state.version(), changeType);
    if (decision instanceof Decision.Updated updated) {
      if (state.eventVersionCreated() != null) {
        event = event.withVersionCreated(state.eventVersionCreated());
      }
      event = event.withChangedFields(updated.changedFields());
    }
    return Optional.of(
        state.firstCreated() == null ? event : event.withFirstCreated(state.firstCreated()));
  }
}
