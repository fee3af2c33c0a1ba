package org.wireingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.Json;

class VersioningTest {

  private static final String FULL_TEXT = "Talks resumed after a year. Both sides sent ministers.";
  private static final Instant SEEN_LATER = Instant.parse("2026-11-30T11:00:00Z");

  private static final ArticleEvent FIRST =
      Drafts.draft("Ankara hosts talks", "Talks resumed.", "2026-11-30T09:00:00Z");
  private static final DedupState STORED =
      DedupState.builder(Drafts.URI, 2, FIRST.fingerprint())
          .firstCreated(Instant.parse("2026-11-30T07:00:00Z"))
          .lastVersionCreated(Instant.parse("2026-11-30T09:00:00Z"))
          .build();

  @Test
  void shouldCreateVersionOneForNewUri() {
    Versioning.Decision decision = Versioning.decide(null, FIRST);
    assertThat(decision)
        .isEqualTo(
            new Versioning.Decision.Created(
                DedupState.builder(Drafts.URI, 1, FIRST.fingerprint())
                    .firstCreated(FIRST.firstCreated())
                    .lastVersionCreated(FIRST.versionCreated())
                    .lastSourceId("trtworld-world")
                    .headlineHash(Versioning.headlineHash(FIRST))
                    .textLength("Summary.".length() + "Talks resumed.".length())
                    .leadHashes(Versioning.leadHashes(FIRST))
                    .leadStart("Summary.")
                    .bodyHash(Versioning.bodyHash(FIRST))
                    .mediaHashes(List.of())
                    .fieldHashes(Versioning.fieldHashes(FIRST))
                    .build()));
  }

  @Test
  void shouldSuppressSameFingerprintAsDuplicate() {
    ArticleEvent again =
        Drafts.draft("Ankara hosts talks", "Talks resumed.", "2026-11-30T10:00:00Z");
    // STORED does not know the story's media (nor which feed made it): the copy's, none, are learnt
    assertThat(Versioning.decide(STORED, again))
        .isEqualTo(
            new Versioning.Decision.Duplicate(
                "same-fingerprint", STORED.withMediaHashes(List.of())));
  }

  @Test
  void shouldUpdateToNextVersionWhenFingerprintChanges() {
    ArticleEvent edited =
        Drafts.draft(
            "Ankara hosts talks", "Talks resumed; a deal is near.", "2026-11-30T10:00:00Z");
    assertThat(Versioning.decide(STORED, edited))
        .isEqualTo(
            new Versioning.Decision.Updated(
                DedupState.builder(Drafts.URI, 3, edited.fingerprint())
                    .firstCreated(STORED.firstCreated())
                    .lastVersionCreated(Instant.parse("2026-11-30T10:00:00Z"))
                    .earlierFingerprints(List.of(FIRST.fingerprint()))
                    .lastSourceId("trtworld-world")
                    .headlineHash(Versioning.headlineHash(edited))
                    .textLength(Versioning.textLength(edited))
                    .leadHashes(Versioning.leadHashes(edited))
                    .leadStart(Versioning.leadStart(edited))
                    .bodyHash(Versioning.bodyHash(edited))
                    .mediaHashes(List.of())
                    .fieldHashes(Versioning.fieldHashes(edited))
                    .build(),
                null)); // STORED predates the field hashes: what changed is unknown
  }

  // ---- changedFields: what an update changed ----

  private static List<String> changedFields(DedupState previous, ArticleEvent next) {
    Versioning.Decision decision = Versioning.decide(previous, next, SEEN_LATER);
    assertThat(decision).isInstanceOf(Versioning.Decision.Updated.class);
    return Versioning.apply(decision, next).orElseThrow().changedFields();
  }

  @Test
  void shouldNameTheFieldsAnUpdateChanged() {
    ArticleEvent v1 = Drafts.draft("Ankara hosts talks", "Talks resumed.", "2026-11-30T09:00:00Z");
    DedupState stored = Versioning.decide(null, v1).state();

    assertThat(Versioning.apply(Versioning.decide(null, v1), v1).orElseThrow().changedFields())
        .as("a created event")
        .isNull();
    assertThat(
            changedFields(
                stored,
                Drafts.draft("Ankara hosts peace talks", "Talks resumed.", "2026-11-30T10:00:00Z")))
        .containsExactly(ArticleEvent.FIELD_HEADLINE);
    assertThat(
            changedFields(
                stored,
                Drafts.draft(
                    "Ankara hosts talks",
                    "Talks resumed; a deal is near.",
                    "2026-11-30T10:00:00Z")))
        .containsExactly(ArticleEvent.FIELD_BODY_TEXT);
    assertThat(
            changedFields(
                stored,
                Drafts.draft(
                    "Ankara hosts peace talks",
                    "Summary (corrected).",
                    "Talks resumed; a deal is near.",
                    "2026-11-30T10:00:00Z",
                    "trtworld-world")))
        .containsExactly(
            ArticleEvent.FIELD_HEADLINE, ArticleEvent.FIELD_SUMMARY, ArticleEvent.FIELD_BODY_TEXT);
  }

  @Test
  void shouldNameABylineSubjectsAKillAndAPictureAsTheirFields() {
    ArticleEvent v1 = Drafts.draft("Ankara hosts talks", "Talks resumed.", "2026-11-30T09:00:00Z");
    DedupState stored = Versioning.decide(null, v1).state();
    ArticleEvent d = Drafts.draft("Ankara hosts talks", "Talks resumed.", "2026-11-30T10:00:00Z");
    ArticleEvent otherByline =
        new ArticleEvent(
            d.uri(),
            d.version(),
            d.changeType(),
            d.pubStatus(),
            d.type(),
            d.versionCreated(),
            d.firstCreated(),
            d.language(),
            d.headline(),
            "John Roe",
            d.summary(),
            d.bodyText(),
            d.bodyHtml(),
            d.subjects(),
            d.associations(),
            d.url(),
            d.originalUrl(),
            null,
            d.source(),
            d.ingestedAt(),
            d.lineage(),
            d.warnings());
    ArticleEvent reordered =
        new ArticleEvent(
            d.uri(),
            d.version(),
            d.changeType(),
            d.pubStatus(),
            d.type(),
            d.versionCreated(),
            d.firstCreated(),
            d.language(),
            "Ankara hosts peace talks",
            d.byline(),
            d.summary(),
            d.bodyText(),
            d.bodyHtml(),
            List.of(d.subjects().get(1), d.subjects().get(0)),
            d.associations(),
            d.url(),
            d.originalUrl(),
            null,
            d.source(),
            d.ingestedAt(),
            d.lineage(),
            d.warnings());
    ArticleEvent newSubject =
        new ArticleEvent(
            d.uri(),
            d.version(),
            d.changeType(),
            d.pubStatus(),
            d.type(),
            d.versionCreated(),
            d.firstCreated(),
            d.language(),
            d.headline(),
            d.byline(),
            d.summary(),
            d.bodyText(),
            d.bodyHtml(),
            List.of(new ArticleEvent.Subject("Diplomacy", null, null)),
            d.associations(),
            d.url(),
            d.originalUrl(),
            null,
            d.source(),
            d.ingestedAt(),
            d.lineage(),
            d.warnings());
    ArticleEvent kill =
        Drafts.draft(
            "Ankara hosts talks",
            "Talks resumed.",
            "2026-11-30T10:00:00Z",
            "trtworld-world",
            List.of(),
            "canceled");

    assertThat(changedFields(stored, otherByline.withFingerprint(Fingerprint.of(otherByline))))
        .containsExactly(ArticleEvent.FIELD_BYLINE);
    assertThat(changedFields(stored, reordered.withFingerprint(Fingerprint.of(reordered))))
        .as("subjects in another order are the same subjects")
        .containsExactly(ArticleEvent.FIELD_HEADLINE);
    assertThat(changedFields(stored, newSubject.withFingerprint(Fingerprint.of(newSubject))))
        .containsExactly(ArticleEvent.FIELD_SUBJECTS);
    assertThat(changedFields(stored, kill)).containsExactly(ArticleEvent.FIELD_PUB_STATUS);
    assertThat(
            changedFields(
                stored,
                Drafts.withPictures(v1, "https://cdn.trtworld.com/images/2026/11/30/talks.jpg")))
        .as("a picture added, the text unchanged")
        .containsExactly(ArticleEvent.FIELD_ASSOCIATIONS);
  }

  // Regression: a headline fixed in a copy whose body came with other paragraph breaks (a feed's
  // template moving from <br> to <p>) or in another Unicode normal form (NFD "Türkiye") said
  // ["headline", "bodyText"]: the field hashes were of the raw text, while the fingerprint, which
  // decides that the body is the same, collapses white space and NFC-normalises it.
  @Test
  void shouldNotNameATextThatDiffersOnlyInWhiteSpaceOrNormalForm() {
    ArticleEvent v1 =
        Drafts.draft(
            "Ankara hosts talks",
            "Summary.",
            "Erdo\u011Fan spoke in T\u00FCrkiye. A deal is near.",
            "2026-11-30T09:00:00Z",
            "trtworld-world");
    DedupState stored = Versioning.decide(null, v1).state();

    assertThat(
            changedFields(
                stored,
                Drafts.draft(
                    "Ankara hosts peace talks",
                    "Summary.",
                    "Erdo\u011Fan spoke in T\u00FCrkiye.\n\nA deal is near.",
                    "2026-11-30T09:00:00Z",
                    "trtworld-world")))
        .as("paragraph breaks only")
        .containsExactly(ArticleEvent.FIELD_HEADLINE);
    assertThat(
            changedFields(
                stored,
                Drafts.draft(
                    "Ankara hosts peace talks",
                    "Summary.",
                    "Erdog\u0306an spoke in Tu\u0308rkiye. A deal is near.",
                    "2026-11-30T09:00:00Z",
                    "trtworld-world")))
        .as("NFD only")
        .containsExactly(ArticleEvent.FIELD_HEADLINE);
    assertThat(
            changedFields(
                stored,
                Drafts.draft(
                    "Ankara hosts peace talks",
                    "Summary.\n\n",
                    "Erdo\u011Fan spoke in T\u00FCrkiye. A deal is near.",
                    "2026-11-30T09:00:00Z",
                    "trtworld-world")))
        .as("a summary with trailing white space")
        .containsExactly(ArticleEvent.FIELD_HEADLINE);
  }

  @Test
  void shouldNotNameTextMovedBetweenSummaryAndBodyBesideAnotherChange() {
    // another feed writes the description as a body (with markup) and adds the first picture; then
    // the main feed, with the description as a summary, fixes the headline
    ArticleEvent v1 =
        Drafts.draftWithSummary(
            "Ankara hosts talks",
            "Talks resumed in Ankara on Monday.",
            "2026-11-30T09:00:00Z",
            "trtworld-world");
    DedupState stored = Versioning.decide(null, v1).state();
    ArticleEvent asBody =
        Drafts.withPictures(
            Drafts.draft(
                "Ankara hosts talks",
                null,
                "Talks resumed in Ankara on Monday.",
                "2026-11-30T09:00:00Z",
                "trtworld-world"),
            "https://cdn.trtworld.com/images/2026/11/30/talks.jpg");
    Versioning.Decision v2 = Versioning.decide(stored, asBody, SEEN_LATER);

    assertThat(Versioning.apply(v2, asBody).orElseThrow().changedFields())
        .containsExactly(ArticleEvent.FIELD_ASSOCIATIONS);
    assertThat(
            changedFields(
                v2.state(),
                Drafts.draftWithSummary(
                    "Ankara hosts peace talks",
                    "Talks resumed in Ankara on Monday.",
                    "2026-11-30T10:00:00Z",
                    "trtworld-world")))
        .containsExactly(ArticleEvent.FIELD_HEADLINE);
  }

  @Test
  void shouldNotNameAHeadlineThatDiffersOnlyInWhiteSpaceOrNormalForm() {
    DedupState stored =
        Versioning.decide(
                null, Drafts.draft("Türkiye hosts talks", "Talks resumed.", "2026-11-30T09:00:00Z"))
            .state();
    String decomposed = Normalizer.normalize("Türkiye  hosts talks", Normalizer.Form.NFD);

    assertThat(
            changedFields(
                stored,
                Drafts.draft(decomposed, "Talks resumed; a deal is near.", "2026-11-30T10:00:00Z")))
        .containsExactly(ArticleEvent.FIELD_BODY_TEXT);
  }

  // The fingerprint leaves ignorable characters out; the field hashes read the text the same way,
  // so a headline with a soft hyphen and a zero-width space added is not named beside the body.
  @Test
  void shouldNotNameAHeadlineThatDiffersOnlyInIgnorableCharacters() {
    DedupState stored =
        Versioning.decide(
                null, Drafts.draft("Türkiye hosts talks", "Talks resumed.", "2026-11-30T09:00:00Z"))
            .state();

    assertThat(
            changedFields(
                stored,
                Drafts.draft(
                    "Tür\u00adkiye hosts\u200b talks",
                    "Talks resumed; a deal is near.",
                    "2026-11-30T10:00:00Z")))
        .containsExactly(ArticleEvent.FIELD_BODY_TEXT);
  }

  @Test
  void shouldKeepTheFieldHashesInTheStoredStateAcrossAJsonRoundTrip() throws Exception {
    DedupState stored =
        Versioning.decide(
                null, Drafts.draft("Ankara hosts talks", "Talks resumed.", "2026-11-30T09:00:00Z"))
            .state();

    DedupState read =
        Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(stored), DedupState.class);

    assertThat(read).isEqualTo(stored);
    assertThat(read.fieldHashes().byline()).isEqualTo(Versioning.shortHash("Jane Doe"));
    assertThat(read.fieldHashes().subjects()).isEqualTo(Versioning.shortHash("Türkiye\nWorld"));
  }

  // Found in a new-user test: every update of an RSS story had version 1's versionCreated (and
  // ce_time), because RSS edits keep their pubDate; ninjs means this version's time.
  @Test
  void shouldGiveAnUndatedUpdateTheTimeItWasFetched() {
    Instant fetched = Instant.parse("2026-11-30T09:40:00Z");
    ArticleEvent editedInPlace =
        Drafts.draft("Ankara hosts talks", "Talks resumed (corrected).", "2026-11-30T09:00:00Z");

    Versioning.Decision decision = Versioning.decide(STORED, editedInPlace, fetched);
    ArticleEvent event = Versioning.apply(decision, editedInPlace).orElseThrow();

    assertThat(event.versionCreated()).isEqualTo(fetched);
    // the older-copy rule still compares the entries' own dates
    assertThat(decision.state().lastVersionCreated())
        .isEqualTo(Instant.parse("2026-11-30T09:00:00Z"));
    assertThat(decision.state().eventVersionCreated()).isEqualTo(fetched);
    ArticleEvent secondEdit =
        Drafts.draft(
            "Ankara hosts talks", "Talks resumed (corrected twice).", "2026-11-30T09:00:00Z");
    assertThat(Versioning.decide(decision.state(), secondEdit, fetched.plusSeconds(600)))
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  @Test
  void shouldKeepTheEntrysDateForADatedUpdateButNeverGoBackInTime() {
    ArticleEvent undated =
        Drafts.draft("Ankara hosts talks", "Talks resumed (corrected).", "2026-11-30T09:00:00Z");
    DedupState afterUndated =
        Versioning.decide(STORED, undated, Instant.parse("2026-11-30T09:40:00Z")).state();

    ArticleEvent datedLater =
        Drafts.draft("Ankara hosts talks", "A deal is near.", "2026-11-30T10:00:00Z");
    ArticleEvent datedEarlier =
        Drafts.draft("Ankara hosts talks", "A deal is nearer.", "2026-11-30T09:20:00Z");

    assertThat(
            Versioning.apply(
                    Versioning.decide(
                        afterUndated, datedLater, Instant.parse("2026-11-30T10:05:00Z")),
                    datedLater)
                .orElseThrow()
                .versionCreated())
        .isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
    // dated after the entries' last date, but before the undated version's fetch: not before that
    // version
    assertThat(
            Versioning.apply(
                    Versioning.decide(
                        afterUndated, datedEarlier, Instant.parse("2026-11-30T10:05:00Z")),
                    datedEarlier)
                .orElseThrow()
                .versionCreated())
        .isEqualTo(Instant.parse("2026-11-30T09:40:00Z"));
    // without a fetch time, an undated update keeps the previous version's time
    assertThat(
            Versioning.apply(Versioning.decide(STORED, undated), undated)
                .orElseThrow()
                .versionCreated())
        .isEqualTo(STORED.lastVersionCreated());
  }

  @Test
  void shouldSuppressAnEarlierVersionsCopyArrivingAgainWithoutANewerDate() {
    // Found in a new-user test: a story killed in the main feed came back as "usable" when its
    // section feed, which still carried the original, was polled. RSS gave all copies one date.
    ArticleEvent original =
        Drafts.draft("Minister resigns", "The minister resigned.", "2026-11-30T06:12:00Z");
    ArticleEvent killed =
        Drafts.draft("KILL: Minister resigns", "The minister resigned.", "2026-11-30T06:12:00Z");
    DedupState v1 = Versioning.decide(null, original).state();
    Versioning.Decision kill = Versioning.decide(v1, killed);
    assertThat(kill).isInstanceOf(Versioning.Decision.Updated.class);
    assertThat(kill.state().earlierFingerprints()).containsExactly(original.fingerprint());

    ArticleEvent sectionCopy =
        Drafts.draft(
            "Minister resigns",
            "The minister resigned.",
            "2026-11-30T06:12:00Z",
            "trtworld-turkiye",
            List.of());
    assertThat(Versioning.decide(kill.state(), sectionCopy))
        .isEqualTo(new Versioning.Decision.Duplicate("older-version", kill.state()));
    // an entry without a date: its versionCreated is the section poller's first-seen time, later
    // than the kill's date
    ArticleEvent undated =
        Drafts.draft(
            "Minister resigns",
            "The minister resigned.",
            "2026-11-30T08:00:00Z",
            "trtworld-turkiye",
            List.of("date-missing"));
    assertThat(Versioning.decide(kill.state(), undated))
        .isEqualTo(new Versioning.Decision.Duplicate("older-version", kill.state()));
    ArticleEvent futureDated =
        Drafts.draft(
            "Minister resigns",
            "The minister resigned.",
            "2026-11-30T08:00:00Z",
            "trtworld-turkiye",
            List.of("future-date-clamped"));
    assertThat(Versioning.decide(kill.state(), futureDated))
        .isEqualTo(new Versioning.Decision.Duplicate("older-version", kill.state()));
  }

  // Found in a review: the agency un-killing a story in the feed that killed it (same pubDate) was
  // dropped as a stale copy, so consumers kept the story canceled.
  @Test
  void shouldUpdateWhenTheFeedThatMadeTheLastVersionReturnsToEarlierContent() {
    ArticleEvent original =
        Drafts.draft("Minister resigns", "The minister resigned.", "2026-11-30T06:12:00Z");
    ArticleEvent killed =
        Drafts.draft("KILL: Minister resigns", "The minister resigned.", "2026-11-30T06:12:00Z");
    DedupState v2 = Versioning.decide(Versioning.decide(null, original).state(), killed).state();
    ArticleEvent unkilled =
        Drafts.draft("Minister resigns", "The minister resigned.", "2026-11-30T06:12:00Z");

    Versioning.Decision decision =
        Versioning.decide(v2, unkilled, Instant.parse("2026-11-30T07:00:00Z"));

    assertThat(v2.lastSourceId()).isEqualTo("trtworld-world");
    assertThat(decision).isInstanceOf(Versioning.Decision.Updated.class);
    assertThat(decision.state().version()).isEqualTo(3);
    assertThat(decision.state().earlierFingerprints()).containsExactly(killed.fingerprint());
  }

  // Found in a review: an entry dated a few minutes ahead of the poller's fetch (an agency clock
  // ahead, a CMS listing an item under its scheduled time; within the normalizer's future skew, so
  // kept) made that date the last version's time, and the feed's own un-kill fetched before it was
  // taken for "an earlier version's copy fetched before the last version was": suppressed, and the
  // unchanged entry is never sent again, so the story stayed canceled.
  @Test
  void shouldUpdateWhenTheFeedUnkillsAStoryWhoseDateIsAheadOfItsFetches() {
    ArticleEvent original =
        Drafts.draft("Minister resigns", "The minister resigned.", "2026-11-30T10:08:00Z");
    ArticleEvent killed =
        Drafts.draft("KILL: Minister resigns", "The minister resigned.", "2026-11-30T10:08:00Z");
    DedupState v1 =
        Versioning.decide(null, original, Instant.parse("2026-11-30T10:00:00Z")).state();
    DedupState v2 = Versioning.decide(v1, killed, Instant.parse("2026-11-30T10:02:00Z")).state();

    Versioning.Decision unkilled =
        Versioning.decide(v2, original, Instant.parse("2026-11-30T10:04:00Z"));

    assertThat(v2.version()).isEqualTo(2);
    assertThat(unkilled).isInstanceOf(Versioning.Decision.Updated.class);
    assertThat(unkilled.state().version()).isEqualTo(3);
    assertThat(Versioning.apply(unkilled, original).orElseThrow().pubStatus()).isEqualTo("usable");
  }

  // The same clock: the feed's own backdated edit, fetched after the last version was, is an edit.
  @Test
  void shouldPublishABackdatedEditFetchedAfterALastVersionDatedAheadOfItsFetch() {
    ArticleEvent original =
        Drafts.draft("Minister resigns", "The minister resigned.", "2026-11-30T10:08:00Z");
    DedupState v1 =
        Versioning.decide(null, original, Instant.parse("2026-11-30T10:00:00Z")).state();
    ArticleEvent backdated =
        Drafts.draft(
            "Minister resigns", "The minister resigned on Monday.", "2026-11-30T09:58:00Z");

    assertThat(Versioning.decide(v1, backdated, Instant.parse("2026-11-30T10:02:00Z")))
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  @Test
  void shouldUpdateWhenAnEarlierVersionsContentReturnsWithANewerDate() {
    ArticleEvent edited =
        Drafts.draft(
            "Ankara hosts talks", "Talks resumed; a deal is near.", "2026-11-30T10:00:00Z");
    DedupState v3 = Versioning.decide(STORED, edited).state();
    ArticleEvent reverted =
        Drafts.draft("Ankara hosts talks", "Talks resumed.", "2026-11-30T11:00:00Z");

    Versioning.Decision decision = Versioning.decide(v3, reverted);

    assertThat(decision).isInstanceOf(Versioning.Decision.Updated.class);
    assertThat(decision.state().version()).isEqualTo(4);
    // the returning content is the last version's now, so it leaves the earlier list
    assertThat(decision.state().earlierFingerprints()).containsExactly(edited.fingerprint());
  }

  @Test
  void shouldKeepTheNewestEarlierFingerprintsUpToTheLimit() {
    DedupState state = Versioning.decide(null, FIRST).state();
    List<String> fingerprints = new ArrayList<>(List.of(FIRST.fingerprint()));
    for (int i = 1; i <= DedupState.MAX_EARLIER_FINGERPRINTS + 4; i++) {
      ArticleEvent edit =
          Drafts.draft("Ankara hosts talks", "Edit " + i + ".", "2026-11-30T09:00:00Z");
      state = Versioning.decide(state, edit).state();
      fingerprints.add(edit.fingerprint());
    }
    Collections.reverse(fingerprints);

    assertThat(state.version()).isEqualTo(DedupState.MAX_EARLIER_FINGERPRINTS + 5);
    // the newest ones, and version 1's: what a lagging feed most likely still carries
    List<String> kept =
        new ArrayList<>(fingerprints.subList(1, DedupState.MAX_EARLIER_FINGERPRINTS));
    kept.add(FIRST.fingerprint());
    assertThat(state.earlierFingerprints()).isEqualTo(kept);
    ArticleEvent laggingCopy =
        Drafts.draft(
            FIRST.headline(),
            FIRST.bodyText(),
            "2026-11-30T09:00:00Z",
            "trtworld-turkiye",
            List.of());
    assertThat(Versioning.decide(state, laggingCopy))
        .isInstanceOf(Versioning.Decision.Duplicate.class);
  }

  @Test
  void shouldUpdateWhenChangedDraftHasSameVersionCreated() {
    ArticleEvent editedInPlace =
        Drafts.draft("Ankara hosts talks", "Talks resumed (corrected).", "2026-11-30T09:00:00Z");
    assertThat(Versioning.decide(STORED, editedInPlace))
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  @Test
  void shouldSuppressOlderCopyArrivingLateAsDuplicate() {
    // A lagging section feed still carries the story as it was before the 09:00 version.
    ArticleEvent stale =
        Drafts.draft("Ankara to host talks", "Talks expected.", "2026-11-30T08:30:00Z");
    assertThat(Versioning.decide(STORED, stale))
        .isEqualTo(new Versioning.Decision.Duplicate("older-version", STORED));
  }

  /**
   * Found in a consumer test: an edit whose pubDate went back (a feed fixing its time zone, a
   * correction backdated) was dropped as a late copy although the feed that made the last version
   * served it after that version. Fetched before the last version's time (a second poller's slower
   * fetch), the same copy is still a late one.
   */
  @Test
  void shouldPublishABackdatedEditOfTheFeedThatMadeTheLastVersionWhenFetchedSince() {
    DedupState stored = Versioning.decide(null, FIRST).state(); // 09:00, from trtworld-world
    ArticleEvent backdated =
        Drafts.draft("Ankara hosts talks on trade", "Talks resumed.", "2026-11-30T08:00:00Z");

    Versioning.Decision fetchedSince = Versioning.decide(stored, backdated, SEEN_LATER);
    Versioning.Decision fetchedBefore =
        Versioning.decide(stored, backdated, Instant.parse("2026-11-30T08:50:00Z"));
    Versioning.Decision otherFeed =
        Versioning.decide(
            stored,
            Drafts.draft(
                "Ankara hosts talks on trade",
                "Talks resumed.",
                "2026-11-30T08:00:00Z",
                "trtworld-turkiye",
                List.of()),
            SEEN_LATER);

    assertThat(fetchedSince).isInstanceOf(Versioning.Decision.Updated.class);
    assertThat(fetchedSince.state().version()).isEqualTo(2);
    assertThat(fetchedSince.state().eventVersionCreated())
        .as("never before the last version: the fetch time")
        .isEqualTo(SEEN_LATER);
    assertThat(fetchedSince.state().lastVersionCreated()).isEqualTo(FIRST.versionCreated());
    assertThat(fetchedBefore).isEqualTo(new Versioning.Decision.Duplicate("older-version", stored));
    assertThat(otherFeed).isEqualTo(new Versioning.Decision.Duplicate("older-version", stored));
  }

  // Found in a consumer test: a kill whose entry kept its pubDate was lost when a section feed
  // had given the story a later date.
  @Test
  void shouldPublishAKillEvenWhenAnotherFeedGaveTheStoryALaterDate() {
    ArticleEvent kill =
        Drafts.draft(
            "KILL: Ankara hosts talks",
            "Talks resumed.",
            "2026-11-30T08:00:00Z",
            "trtworld-main",
            List.of(),
            "canceled");
    ArticleEvent withheld =
        Drafts.draft(
            "WITHHOLD: Ankara hosts talks",
            "Talks resumed.",
            "2026-11-30T08:00:00Z",
            "trtworld-main",
            List.of(),
            "withheld");
    ArticleEvent plainEdit =
        Drafts.draft(
            "Ankara hosts more talks",
            "Talks resumed.",
            "2026-11-30T08:00:00Z",
            "trtworld-main",
            List.of(),
            "usable");

    assertThat(Versioning.decide(STORED, kill, Instant.parse("2026-11-30T11:00:00Z")))
        .isInstanceOf(Versioning.Decision.Updated.class);
    assertThat(Versioning.decide(STORED, withheld)).isInstanceOf(Versioning.Decision.Updated.class);
    assertThat(Versioning.decide(STORED, plainEdit))
        .as("an ordinary older-dated copy is still a late copy")
        .isEqualTo(new Versioning.Decision.Duplicate("older-version", STORED));
  }

  // Found in a consumer test: an undated story's first-seen time, or a clamped future date, was
  // kept as the story's date, and the agency's later, real (earlier) date then looked like a late
  // copy.
  @Test
  void shouldKeepNoStandInDateAsTheStorysDateSoARealDateIsNeitherNewerNorOlderThanIt() {
    for (String warning : List.of(ArticleEvent.DATE_MISSING, ArticleEvent.FUTURE_DATE_CLAMPED)) {
      ArticleEvent undated =
          Drafts.draft(
              "Ankara hosts talks",
              "Talks resumed.",
              "2026-11-30T10:00:00Z",
              "trtworld-main",
              List.of(warning));
      DedupState created = Versioning.decide(null, undated).state();
      ArticleEvent dated =
          Drafts.draft(
              "KILL: Ankara hosts talks",
              "Talks resumed.",
              "2026-11-30T08:00:00Z",
              "trtworld-main",
              List.of(),
              "canceled");
      ArticleEvent datedEdit =
          Drafts.draft(
              "Ankara hosts talks",
              "Talks resumed, now dated.",
              "2026-11-30T08:00:00Z",
              "trtworld-main",
              List.of());

      Versioning.Decision killed =
          Versioning.decide(created, dated, Instant.parse("2026-11-30T10:30:00Z"));
      Versioning.Decision edited =
          Versioning.decide(created, datedEdit, Instant.parse("2026-11-30T10:30:00Z"));

      assertThat(created.lastVersionCreated()).as(warning).isNull();
      assertThat(created.eventVersionCreated())
          .as(warning)
          .isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
      assertThat(killed).as(warning).isInstanceOf(Versioning.Decision.Updated.class);
      assertThat(edited).as(warning).isInstanceOf(Versioning.Decision.Updated.class);
      assertThat(edited.state().lastVersionCreated())
          .as(warning + ": the entry's own date, from now on")
          .isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
      assertThat(Versioning.apply(edited, datedEdit).orElseThrow().versionCreated())
          .as(warning + ": never back in time")
          .isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
    }
  }

  // A section feed cutting the main feed's description short ("...", "[…]") made a version of its
  // own, and the newest version lost the full text (left open in session 11's note).
  @Test
  void shouldSuppressAnotherFeedsTeaserOfTheLeadCutShortWithAnEllipsis() {
    String lead =
        "Foreign ministers of both countries met in Ankara on Monday for the first talks in a year. "
            + "They agreed to reopen consulates and to meet again in spring.";
    ArticleEvent full =
        Drafts.draftWithSummary(
            "Ankara hosts talks", lead, "2026-11-30T09:00:00Z", "trtworld-main");
    DedupState fromMain = Versioning.decide(null, full).state();

    for (String teaser :
        List.of(
            "Foreign ministers of both countries met in Ankara on Monday for the first talks…",
            "Foreign ministers of both countries met in Ankara on Monday for the first talks in a year. They agreed [...]",
            "Foreign ministers of both countries met in Ankara on Monday for the fi [&hellip;]"
                .replace("&hellip;", "…"),
            "Foreign ministers of both countries met in Ankara on Monday ...")) {
      ArticleEvent cut =
          Drafts.draftWithSummary(
              "Ankara hosts talks", teaser, "2026-11-30T09:00:00Z", "trtworld-world");
      assertThat(Versioning.decide(fromMain, cut))
          .as(teaser)
          .isEqualTo(
              new Versioning.Decision.Duplicate(
                  "shorter-copy", fromMain.withEarlierFingerprint(cut.fingerprint())));
    }
    assertThat(fromMain.leadStart()).isEqualTo(lead);
  }

  @Test
  void shouldTakeATeaserThatIsNotTheStartOfTheLeadAsAnUpdate() {
    String lead =
        "Foreign ministers of both countries met in Ankara on Monday for the first talks in a year.";
    DedupState fromMain =
        Versioning.decide(
                null,
                Drafts.draftWithSummary(
                    "Ankara hosts talks", lead, "2026-11-30T09:00:00Z", "trtworld-main"))
            .state();

    for (String text :
        List.of(
            "Foreign ministers of both countries met in Istanbul on Monday for the first talks…", // a correction, cut short
            "Foreign ministers met…", // too short to tell
            "Foreign ministers of both countries met in Ankara on Monday for the first")) { // cut,
      // but
      // no
      // ellipsis: a shortening
      ArticleEvent other =
          Drafts.draftWithSummary(
              "Ankara hosts talks", text, "2026-11-30T09:00:00Z", "trtworld-world");
      assertThat(Versioning.decide(fromMain, other))
          .as(text)
          .isInstanceOf(Versioning.Decision.Updated.class);
    }
    ArticleEvent ownTeaser =
        Drafts.draftWithSummary(
            "Ankara hosts talks",
            "Foreign ministers of both countries met in Ankara on Monday…",
            "2026-11-30T09:00:00Z",
            "trtworld-main");
    assertThat(Versioning.decide(fromMain, ownTeaser))
        .as("the feed that made the last version may cut it")
        .isInstanceOf(Versioning.Decision.Updated.class);
    DedupState legacy =
        DedupState.builder(Drafts.URI, 1, fromMain.fingerprint())
            .firstCreated(fromMain.firstCreated())
            .lastVersionCreated(fromMain.lastVersionCreated())
            .lastSourceId("trtworld-main")
            .headlineHash(fromMain.headlineHash())
            .textLength(fromMain.textLength())
            .leadHashes(fromMain.leadHashes())
            .build();
    ArticleEvent teaser =
        Drafts.draftWithSummary(
            "Ankara hosts talks",
            "Foreign ministers of both countries met in Ankara on Monday…",
            "2026-11-30T09:00:00Z",
            "trtworld-world");
    assertThat(Versioning.decide(legacy, teaser))
        .as("a state without leadStart: as before")
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  @Test
  void shouldTakeTheFullTextAfterATeaserAsAnUpdateAndTheTeaserAfterThatAsALateCopy() {
    String lead =
        "Foreign ministers of both countries met in Ankara on Monday for the first talks in a year.";
    ArticleEvent teaser =
        Drafts.draftWithSummary(
            "Ankara hosts talks",
            "Foreign ministers of both countries met in Ankara on Monday…",
            "2026-11-30T09:00:00Z",
            "trtworld-world");
    ArticleEvent full =
        Drafts.draftWithSummary(
            "Ankara hosts talks", lead, "2026-11-30T09:00:00Z", "trtworld-main");
    DedupState v1 = Versioning.decide(null, teaser).state();

    Versioning.Decision v2 = Versioning.decide(v1, full);

    assertThat(v2).isInstanceOf(Versioning.Decision.Updated.class);
    assertThat(v2.state().leadStart()).isEqualTo(lead);
    assertThat(Versioning.decide(v2.state(), teaser))
        .isInstanceOf(Versioning.Decision.Duplicate.class);
  }

  @Test
  void shouldKeepAtMostTheFirstLeadStartCharsOfTheLeadWithoutHalvingASurrogatePair() {
    String emoji = "\uD83D\uDCF0";
    String lead = "a".repeat(Versioning.LEAD_START_CHARS - 1) + emoji + " and more";
    ArticleEvent draft =
        Drafts.draftWithSummary("Long", lead, "2026-11-30T09:00:00Z", "trtworld-main");

    assertThat(Versioning.leadStart(draft)).isEqualTo("a".repeat(Versioning.LEAD_START_CHARS - 1));
    assertThat(
            Versioning.leadStart(
                Drafts.draftWithSummary("Long", "b".repeat(900), "2026-11-30T09:00:00Z", "x")))
        .hasSize(Versioning.LEAD_START_CHARS);
  }

  // Found in a consumer test: a section feed carrying only the summary of a story its main feed
  // carries in full made a version of its own, and the newest version lost the body.
  @Test
  void shouldSuppressAnotherFeedsShorterRenderingButTakeARicherOneAsAnUpdate() {
    ArticleEvent full =
        Drafts.draft(
            "Ankara hosts talks",
            "Talks resumed after a year. Both sides sent ministers.",
            "2026-11-30T09:00:00Z",
            "trtworld-main",
            List.of());
    // A summary-only copy has no body (the normalizer makes a plain description the summary).
    ArticleEvent summaryOnly =
        Drafts.draftWithSummary(
            "Ankara hosts talks", "Summary.", "2026-11-30T09:00:00Z", "trtworld-world");
    DedupState fromMain = Versioning.decide(null, full).state();
    DedupState fromSection = Versioning.decide(null, summaryOnly).state();

    assertThat(Versioning.decide(fromMain, summaryOnly))
        .isEqualTo(
            new Versioning.Decision.Duplicate(
                "shorter-copy", fromMain.withEarlierFingerprint(summaryOnly.fingerprint())));
    assertThat(Versioning.decide(fromSection, full))
        .as("the full text after the summary came first")
        .isInstanceOf(Versioning.Decision.Updated.class);
    ArticleEvent editedSummary =
        Drafts.draft(
            "Ankara hosts talks, deal near",
            "Talks resumed.",
            "2026-11-30T09:00:00Z",
            "trtworld-world",
            List.of());
    assertThat(Versioning.decide(fromMain, editedSummary))
        .as("a new headline is an edit, whatever the length")
        .isInstanceOf(Versioning.Decision.Updated.class);
    ArticleEvent shortenedByMain =
        Drafts.draft(
            "Ankara hosts talks",
            "Talks resumed.",
            "2026-11-30T09:00:00Z",
            "trtworld-main",
            List.of());
    assertThat(Versioning.decide(fromMain, shortenedByMain))
        .as("the feed that made the last version may shorten it")
        .isInstanceOf(Versioning.Decision.Updated.class);
    ArticleEvent newerDated =
        Drafts.draft(
            "Ankara hosts talks",
            "Talks resumed.",
            "2026-11-30T10:00:00Z",
            "trtworld-world",
            List.of());
    assertThat(Versioning.decide(fromMain, newerDated))
        .as("a newer date is an update")
        .isInstanceOf(Versioning.Decision.Updated.class);
    DedupState legacy =
        DedupState.builder(Drafts.URI, 1, full.fingerprint())
            .firstCreated(full.firstCreated())
            .lastVersionCreated(full.versionCreated())
            .build();
    assertThat(Versioning.decide(legacy, summaryOnly))
        .as("a state without the fields: as before")
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  // From a review: a suppressed shorter rendering, arriving again after a kill, un-killed the
  // story.
  @Test
  void shouldRememberASuppressedShorterRenderingSoItNeverUndoesALaterVersion() {
    ArticleEvent full =
        Drafts.draft(
            "Ankara hosts talks", FULL_TEXT, "2026-11-30T09:00:00Z", "trtworld-main", List.of());
    ArticleEvent sectionCopy =
        Drafts.draftWithSummary(
            "Ankara hosts talks", "Summary.", "2026-11-30T09:00:00Z", "trtworld-world");
    ArticleEvent kill =
        Drafts.draft(
            "KILL: Ankara hosts talks",
            FULL_TEXT,
            "2026-11-30T09:00:00Z",
            "trtworld-main",
            List.of(),
            "canceled");
    DedupState v1 = Versioning.decide(null, full).state();

    Versioning.Decision suppressed = Versioning.decide(v1, sectionCopy);
    Versioning.Decision killed =
        Versioning.decide(suppressed.state(), kill, Instant.parse("2026-11-30T10:00:00Z"));
    Versioning.Decision again =
        Versioning.decide(killed.state(), sectionCopy, Instant.parse("2026-11-30T10:05:00Z"));

    assertThat(suppressed).isInstanceOf(Versioning.Decision.Duplicate.class);
    assertThat(((Versioning.Decision.Duplicate) suppressed).reason()).isEqualTo("shorter-copy");
    assertThat(suppressed.state().earlierFingerprints()).containsExactly(sectionCopy.fingerprint());
    assertThat(killed).isInstanceOf(Versioning.Decision.Updated.class);
    assertThat(again)
        .as("the stale section copy must not un-kill the story")
        .isEqualTo(new Versioning.Decision.Duplicate("older-version", killed.state()));
  }

  // From a review: a kill already published, arriving again from a lagging feed after a newer
  // version reinstated the story, killed it again.
  @Test
  void shouldTakeAKillAlreadyPublishedArrivingAfterANewerVersionForALateCopy() {
    ArticleEvent v1 =
        Drafts.draft(
            "Ankara hosts talks", FULL_TEXT, "2026-11-30T09:00:00Z", "trtworld-main", List.of());
    ArticleEvent mainKill =
        Drafts.draft(
            "KILL: Ankara hosts talks",
            FULL_TEXT,
            "2026-11-30T09:00:00Z",
            "trtworld-main",
            List.of(),
            "canceled");
    ArticleEvent reinstated =
        Drafts.draft(
            "Ankara hosts talks, corrected",
            FULL_TEXT + " Corrected.",
            "2026-11-30T12:00:00Z",
            "trtworld-main",
            List.of());
    ArticleEvent laggingKill =
        Drafts.draft(
            "KILL: Ankara hosts talks",
            "Summary.",
            "2026-11-30T09:00:00Z",
            "trtworld-world",
            List.of(),
            "canceled");
    DedupState s = Versioning.decide(null, v1).state();
    s = Versioning.decide(s, mainKill, Instant.parse("2026-11-30T10:00:00Z")).state();
    s = Versioning.decide(s, reinstated, Instant.parse("2026-11-30T12:01:00Z")).state();

    assertThat(s.version()).isEqualTo(3);
    assertThat(s.lastWithdrawals())
        .containsExactly(Map.entry("canceled", Instant.parse("2026-11-30T09:00:00Z")));
    try {
      assertThat(Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(s), DedupState.class))
          .as("the store's JSON keeps it")
          .isEqualTo(s);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(Versioning.decide(s, laggingKill, Instant.parse("2026-11-30T12:30:00Z")))
        .isEqualTo(new Versioning.Decision.Duplicate("older-version", s));
  }

  // From a second review (older than this session): a section feed's first copy, from before the
  // kill, arriving after it, un-killed the story.
  @Test
  void shouldLetOnlyTheFeedThatKilledAStoryOrANewerDateRestoreIt() {
    DedupState s =
        Versioning.decide(
                null,
                Drafts.draft(
                    "Ankara hosts talks",
                    FULL_TEXT,
                    "2026-11-30T09:00:00Z",
                    "trtworld-main",
                    List.of()))
            .state();
    s =
        Versioning.decide(
                s,
                Drafts.draft(
                    "KILL: Ankara hosts talks",
                    FULL_TEXT,
                    "2026-11-30T09:00:00Z",
                    "trtworld-main",
                    List.of(),
                    "canceled"),
                SEEN_LATER)
            .state();

    ArticleEvent sectionBeforeTheKill =
        Drafts.draftWithSummary(
            "Ankara hosts talks", "Summary.", "2026-11-30T09:00:00Z", "trtworld-world");
    ArticleEvent mainUnkills =
        Drafts.draft(
            "Ankara hosts talks", FULL_TEXT, "2026-11-30T09:00:00Z", "trtworld-main", List.of());
    ArticleEvent sectionNewer =
        Drafts.draftWithSummary(
            "Ankara hosts talks", "Summary.", "2026-11-30T12:00:00Z", "trtworld-world");

    assertThat(s.lastPubStatus()).isEqualTo("canceled");
    assertThat(Versioning.decide(s, sectionBeforeTheKill, SEEN_LATER))
        .isEqualTo(new Versioning.Decision.Duplicate("older-version", s));
    assertThat(Versioning.decide(s, mainUnkills, SEEN_LATER))
        .isInstanceOf(Versioning.Decision.Updated.class);
    assertThat(Versioning.decide(s, mainUnkills, SEEN_LATER).state().lastPubStatus()).isNull();
    assertThat(Versioning.decide(s, sectionNewer, SEEN_LATER))
        .isInstanceOf(Versioning.Decision.Updated.class);
    DedupState withheld =
        Versioning.decide(
                null,
                Drafts.draft(
                    "WITHHELD: Ankara hosts talks",
                    FULL_TEXT,
                    "2026-11-30T09:00:00Z",
                    "trtworld-main",
                    List.of(),
                    "withheld"))
            .state();
    ArticleEvent sectionKill =
        Drafts.draft(
            "KILL: Ankara hosts talks",
            "Summary.",
            "2026-11-30T09:00:00Z",
            "trtworld-world",
            List.of(),
            "canceled");
    assertThat(Versioning.decide(withheld, sectionKill, SEEN_LATER))
        .as("a kill of a withheld story passes")
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  // ---- From a third review: a main feed and a section feed of one agency ----

  private static final String D = "2026-11-30T09:00:00Z";
  private static final Instant T1 = Instant.parse("2026-11-30T10:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-30T10:10:00Z");
  private static final Instant T3 = Instant.parse("2026-11-30T10:20:00Z");

  private static ArticleEvent main(String headline) {
    return Drafts.draft(headline, FULL_TEXT, D, "trtworld-main", List.of());
  }

  private static ArticleEvent mainKill() {
    return Drafts.draft(
        "KILL: Ankara hosts talks", FULL_TEXT, D, "trtworld-main", List.of(), "canceled");
  }

  private static ArticleEvent sectionKill() {
    return Drafts.draft(
        "KILL: Ankara hosts talks", "Summary.", D, "trtworld-world", List.of(), "canceled");
  }

  private static ArticleEvent section(String headline) {
    return Drafts.draftWithSummary(headline, "Summary.", D, "trtworld-world");
  }

  @Test
  void shouldTakeASectionFeedsCopyOfTheKillForTheSameVersion() {
    DedupState s = Versioning.decide(null, main("Ankara hosts talks")).state();
    s = Versioning.decide(s, mainKill(), T1).state();

    Versioning.Decision copy = Versioning.decide(s, sectionKill(), T2);

    assertThat(copy)
        .isEqualTo(
            new Versioning.Decision.Duplicate(
                "withdrawal-copy", s.withEarlierFingerprint(sectionKill().fingerprint())));
    assertThat(Versioning.decide(copy.state(), main("Ankara hosts talks"), T3))
        .as("the main feed may still undo its kill")
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  @Test
  void shouldNotLetALaggingSectionKillUndoTheMainFeedsUnkill() {
    DedupState s = Versioning.decide(null, main("Ankara hosts talks")).state();
    s = Versioning.decide(s, mainKill(), T1).state();
    s = Versioning.decide(s, main("Ankara hosts talks"), T2).state();

    assertThat(s.lastPubStatus()).isNull();
    assertThat(Versioning.decide(s, sectionKill(), T3))
        .isEqualTo(new Versioning.Decision.Duplicate("older-version", s));
  }

  @Test
  void shouldLetTheFeedThatKilledAStoryUndoItWhenASectionFeedDatedItLater() {
    DedupState s = Versioning.decide(null, main("Ankara hosts talks")).state();
    s =
        Versioning.decide(
                s,
                Drafts.draftWithSummary(
                    "Ankara hosts talks", "Summary.", "2026-11-30T09:30:00Z", "trtworld-world"),
                T1)
            .state();
    s = Versioning.decide(s, mainKill(), T2).state();

    assertThat(Versioning.decide(s, main("Ankara hosts talks"), T3))
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  @Test
  void shouldTakeAnEarlierVersionFetchedBeforeTheLastOneForALateCopyEvenFromItsFeed() {
    DedupState s = Versioning.decide(null, main("Ankara hosts talks")).state();
    s = Versioning.decide(s, mainKill(), T2).state();

    assertThat(Versioning.decide(s, main("Ankara hosts talks"), T1))
        .as("a second poller's slower fetch from before the kill")
        .isEqualTo(new Versioning.Decision.Duplicate("older-version", s));
    assertThat(Versioning.decide(s, main("Ankara hosts talks"), T3))
        .as("fetched after: the feed's own revert")
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  @Test
  void shouldTakeAnotherFeedsCopyWithAnEarlierHeadlineForALateCopy() {
    DedupState s = Versioning.decide(null, main("Ankara hosts taks")).state();
    s = Versioning.decide(s, main("Ankara hosts talks"), T1).state();

    assertThat(Versioning.decide(s, section("Ankara hosts taks"), T2))
        .isEqualTo(new Versioning.Decision.Duplicate("older-version", s));
  }

  @Test
  void shouldReleaseAnEmbargoFromTheFeedThatWithheldItAfterASectionCopyOfTheEmbargo() {
    DedupState s =
        Versioning.decide(
                null,
                Drafts.draft(
                    "EMBARGOED: Ankara hosts talks",
                    FULL_TEXT,
                    D,
                    "trtworld-main",
                    List.of(),
                    "withheld"))
            .state();
    s =
        Versioning.decide(
                s,
                Drafts.draft(
                    "EMBARGOED: Ankara hosts talks",
                    "Summary.",
                    D,
                    "trtworld-world",
                    List.of(),
                    "withheld"),
                T1)
            .state();

    assertThat(Versioning.decide(s, main("Ankara hosts talks"), T2))
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  // From a second review: a released withhold counted as a kill already published, so a later kill
  // older than a section feed's date was lost.
  @Test
  void shouldPublishAKillAfterAReleasedWithholdWhateverTheDates() {
    DedupState s =
        Versioning.decide(
                null,
                Drafts.draft(
                    "WITHHELD: Ankara hosts talks",
                    FULL_TEXT,
                    "2026-11-30T09:00:00Z",
                    "trtworld-main",
                    List.of(),
                    "withheld"))
            .state();
    s =
        Versioning.decide(
                s,
                Drafts.draft(
                    "Ankara hosts talks",
                    FULL_TEXT,
                    "2026-11-30T09:00:00Z",
                    "trtworld-main",
                    List.of()),
                SEEN_LATER)
            .state();
    s =
        Versioning.decide(
                s,
                Drafts.draftWithSummary(
                    "Ankara hosts talks", "Summary.", "2026-11-30T09:30:00Z", "trtworld-world"),
                SEEN_LATER)
            .state();

    ArticleEvent kill =
        Drafts.draft(
            "KILL: Ankara hosts talks",
            FULL_TEXT,
            "2026-11-30T09:00:00Z",
            "trtworld-main",
            List.of(),
            "canceled");
    assertThat(Versioning.decide(s, kill, SEEN_LATER))
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  // From a second review: a lagging section copy with the summary the main feed has since corrected
  // became the newest version (old summary, no body), and the main feed's full copy then stayed
  // out.
  @Test
  void shouldTakeAnotherFeedsCopyWithAnEarlierVersionsLeadForALateCopy() {
    DedupState s =
        Versioning.decide(
                null,
                Drafts.draft(
                    "Ankara hosts talks",
                    "Talks resumed.",
                    FULL_TEXT,
                    "2026-11-30T09:00:00Z",
                    "trtworld-main"))
            .state();
    s =
        Versioning.decide(
                s,
                Drafts.draft(
                    "Ankara hosts talks",
                    "Talks resumed in Ankara.",
                    FULL_TEXT,
                    "2026-11-30T09:00:00Z",
                    "trtworld-main"),
                SEEN_LATER)
            .state();

    ArticleEvent lagging =
        Drafts.draftWithSummary(
            "Ankara hosts talks", "Talks resumed.", "2026-11-30T09:00:00Z", "trtworld-world");
    assertThat(Versioning.decide(s, lagging, SEEN_LATER))
        .isEqualTo(new Versioning.Decision.Duplicate("older-version", s));
    ArticleEvent laggingOtherHeadline =
        Drafts.draftWithSummary(
            "Talks in Ankara", "Talks resumed.", "2026-11-30T09:00:00Z", "trtworld-world");
    assertThat(Versioning.decide(s, laggingOtherHeadline, SEEN_LATER))
        .isInstanceOf(Versioning.Decision.Duplicate.class);
    ArticleEvent mainReverts =
        Drafts.draft(
            "Ankara hosts talks",
            "Talks resumed.",
            FULL_TEXT,
            "2026-11-30T09:00:00Z",
            "trtworld-main");
    assertThat(Versioning.decide(s, mainReverts, SEEN_LATER))
        .as("the feed that made the last version may revert")
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  // From a second review: when the main feed gives no separate summary (its description is its
  // body), a section feed's teaser, the body's first paragraph or sentence, replaced the full text.
  @Test
  void shouldTakeASectionTeaserOfTheBodysFirstParagraphOrSentenceForAShorterCopy() {
    String body =
        "Talks resumed after a year. Both sides sent ministers.\n\nThe next round is in March.";
    DedupState v1 =
        Versioning.decide(
                null,
                Drafts.draft(
                    "Ankara hosts talks", null, body, "2026-11-30T09:00:00Z", "trtworld-main"))
            .state();

    for (String teaser :
        List.of(
            "Talks resumed after a year. Both sides sent ministers.",
            "Talks resumed after a year.")) {
      ArticleEvent copy =
          Drafts.draftWithSummary(
              "Ankara hosts talks", teaser, "2026-11-30T09:00:00Z", "trtworld-world");
      assertThat(Versioning.decide(v1, copy))
          .as(teaser)
          .isInstanceOf(Versioning.Decision.Duplicate.class);
      assertThat(((Versioning.Decision.Duplicate) Versioning.decide(v1, copy)).reason())
          .isEqualTo("shorter-copy");
    }
    ArticleEvent correction =
        Drafts.draftWithSummary(
            "Ankara hosts talks",
            "Talks did not resume.",
            "2026-11-30T09:00:00Z",
            "trtworld-world");
    assertThat(Versioning.decide(v1, correction)).isInstanceOf(Versioning.Decision.Updated.class);
  }

  // From a review: a correction of the summary that only a section feed still carries was taken for
  // a shorter rendering.
  @Test
  void shouldPublishAnotherFeedsCorrectionOfTheLeadEvenWhenItIsShorter() {
    ArticleEvent full =
        Drafts.draft(
            "Ankara hosts talks", FULL_TEXT, "2026-11-30T09:00:00Z", "trtworld-main", List.of());
    ArticleEvent corrected =
        Drafts.draftWithSummary(
            "Ankara hosts talks",
            "Talks did not resume.",
            "2026-11-30T09:00:00Z",
            "trtworld-world");
    DedupState v1 = Versioning.decide(null, full).state();

    assertThat(Versioning.decide(v1, corrected)).isInstanceOf(Versioning.Decision.Updated.class);
  }

  @Test
  void shouldRejectStateOfAnotherUri() {
    DedupState other =
        DedupState.builder("urn:wire:trtworld:ffffffffffffffffffffffffffffffff", 1, "x").build();
    assertThatThrownBy(() -> Versioning.decide(other, FIRST))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldApplyCreatedAsVersionOneCreated() {
    ArticleEvent event = Versioning.apply(Versioning.decide(null, FIRST), FIRST).orElseThrow();
    assertThat(event).isEqualTo(FIRST.withVersion(1, "created"));
  }

  @Test
  void shouldApplyUpdatedWithNextVersionAndOriginalFirstCreated() {
    ArticleEvent edited =
        Drafts.draft("Ankara hosts talks", "A deal is near.", "2026-11-30T10:00:00Z");
    ArticleEvent event = Versioning.apply(Versioning.decide(STORED, edited), edited).orElseThrow();
    assertThat(event)
        .isEqualTo(edited.withVersion(3, "updated").withFirstCreated(STORED.firstCreated()));
  }

  @Test
  void shouldApplyDuplicateAsNothing() {
    assertThat(Versioning.apply(Versioning.decide(STORED, FIRST), FIRST)).isEmpty();
  }

  // ---- From a review of the teaser rule (22de807) ----

  // A feed carrying a teaser summary AND its full text (WordPress: excerpt "[…]" in <description>,
  // the post in <content:encoded>) brings a body correction with a correction note. The teaser's
  // saving on the summary outweighs the longer body, so "less text" holds and the corrected body is
  // suppressed as shorter-copy: the correction is lost (for good once the main feed has dropped the
  // story).
  @Test
  void shouldPublishACorrectedBodyThatComesWithAnotherFeedsTeaser() {
    String summary =
        "Police said 12 people were killed when a gas explosion tore through a covered market in Ankara's Ulus district on Monday morning, "
            + "and dozens more were taken to hospital. The cause of the blast is being investigated by prosecutors.";
    String body =
        "A gas explosion tore through a covered market in Ankara on Monday, police said, killing 12 people.\n\n"
            + "Ambulances took dozens of the injured to three hospitals in the capital. The governor said the fire was under control by noon.";
    ArticleEvent main =
        Drafts.draft(
            "Blast at Ankara market", summary, body, "2026-11-30T09:00:00Z", "trtworld-main");
    DedupState v1 = Versioning.decide(null, main).state();

    String correctedBody =
        body.replace("killing 12 people", "killing 21 people")
            + "\n\nCorrection: an earlier version of this story gave the wrong death toll.";
    ArticleEvent fullSummary =
        Drafts.draft(
            "Blast at Ankara market",
            summary,
            correctedBody,
            "2026-11-30T09:00:00Z",
            "trtworld-turkiye");
    assertThat(Versioning.decide(v1, fullSummary))
        .as("with the full summary: more text, an update")
        .isInstanceOf(Versioning.Decision.Updated.class);

    String teaser = summary.substring(0, 120) + " […]";
    ArticleEvent corrected =
        Drafts.draft(
            "Blast at Ankara market",
            teaser,
            correctedBody,
            "2026-11-30T09:00:00Z",
            "trtworld-turkiye");

    assertThat(Versioning.decide(v1, corrected)).isInstanceOf(Versioning.Decision.Updated.class);
  }

  // A miss (a version without the full text): the main feed's lead is its body (no plain
  // description),
  // kept with its paragraph break; the section feed's plain-text teaser runs across that break with
  // a space. Not recognised: a version that drops the full text.
  @Test
  void shouldRecogniseATeaserThatRunsAcrossTheLeadsFirstParagraph() {
    String body =
        "Foreign ministers of both countries met in Ankara on Monday.\n\nThey agreed to reopen consulates and to meet again in spring, "
            + "officials said after four hours of talks.";
    DedupState v1 =
        Versioning.decide(
                null,
                Drafts.draft(
                    "Ankara hosts talks", null, body, "2026-11-30T09:00:00Z", "trtworld-main"))
            .state();

    ArticleEvent teaser =
        Drafts.draftWithSummary(
            "Ankara hosts talks",
            "Foreign ministers of both countries met in Ankara on Monday. They agreed to reopen consulates [&hellip;]"
                .replace("&hellip;", "…"),
            "2026-11-30T09:00:00Z",
            "trtworld-world");

    assertThat(Versioning.decide(v1, teaser)).isInstanceOf(Versioning.Decision.Duplicate.class);
  }

  // A miss (a version without the full text): WordPress with Yoast appends "The post X appeared
  // first on Y." after
  // the excerpt's "[…]" (with links, so the description is the body); the ellipsis is not at the
  // end.
  @Test
  void shouldRecogniseAWordPressExcerptFollowedByTheAppearedFirstOnLine() {
    String lead =
        "Foreign ministers of both countries met in Ankara on Monday for the first talks in a year. They agreed to reopen consulates "
            + "and to hold the next round in Baghdad in the spring.";
    DedupState v1 =
        Versioning.decide(
                null,
                Drafts.draftWithSummary(
                    "Ankara hosts talks", lead, "2026-11-30T09:00:00Z", "trtworld-main"))
            .state();

    ArticleEvent excerpt =
        Drafts.draft(
            "Ankara hosts talks",
            null,
            "Foreign ministers of both countries met in Ankara on Monday for the first […]\n\nThe post Ankara hosts talks appeared first on TRT World.",
            "2026-11-30T09:00:00Z",
            "trtworld-world");
    assertThat(Versioning.textLength(excerpt)).isLessThan(v1.textLength());

    assertThat(Versioning.decide(v1, excerpt)).isInstanceOf(Versioning.Decision.Duplicate.class);
  }

  // A miss (a version without the full text): WordPress's default excerpt is 55 words; in Turkish
  // (or German) that is
  // ~470 chars: beyond the 400 chars LEAD_START_CHARS first kept (sized on English).
  @Test
  void shouldRecogniseAWordPressDefaultExcerptOfATurkishLead() {
    String lead =
        "Türkiye ile Irak arasında imzalanan Kalkınma Yolu anlaşması kapsamında Basra Körfezi'nden başlayarak Türkiye sınırına uzanacak "
            + "yaklaşık bin iki yüz kilometrelik karayolu ve demiryolu hattının inşaatına önümüzdeki yılın ilkbaharında başlanacağı açıklandı. "
            + "Ulaştırma ve Altyapı Bakanlığı yetkilileri, projenin tamamlanmasıyla birlikte Asya ile Avrupa arasındaki ticaret hacminin önemli ölçüde "
            + "artacağını ve bölge ülkelerinin ekonomik kalkınmasına büyük katkı sağlanacağını belirterek, finansman görüşmelerinin Körfez ülkeleriyle "
            + "sürdüğünü ve ilk etabın üç yıl içinde hizmete açılmasının hedeflendiğini vurguladı.";
    DedupState v1 =
        Versioning.decide(
                null,
                Drafts.draftWithSummary(
                    "Kalkınma Yolu için tarih belli oldu",
                    lead,
                    "2026-11-30T09:00:00Z",
                    "trtworld-main"))
            .state();

    String excerpt = String.join(" ", Arrays.asList(lead.split(" ")).subList(0, 55)) + " […]";
    ArticleEvent section =
        Drafts.draftWithSummary(
            "Kalkınma Yolu için tarih belli oldu",
            excerpt,
            "2026-11-30T09:00:00Z",
            "trtworld-turkiye");

    assertThat(Versioning.decide(v1, section)).isInstanceOf(Versioning.Decision.Duplicate.class);
  }

  // Found in a story-lifecycle test: a feed that began writing its plain description in <p>
  // markup made version 2 of every story (a plain description is a summary, one with markup a
  // body).
  @Test
  void shouldSuppressTheSameTextMovedBetweenSummaryAndBody() {
    String text = "Ankara and Baghdad agree on a $17bn trade corridor.";
    ArticleEvent plain =
        Drafts.draftWithSummary(
            "Development Road deal signed", text, "2026-11-30T09:00:00Z", "trtworld-world");
    ArticleEvent marked =
        Drafts.draft(
            "Development Road deal signed", null, text, "2026-11-30T09:00:00Z", "trtworld-world");
    DedupState v1 = Versioning.decide(null, plain).state();

    assertThat(Versioning.decide(v1, marked))
        .isEqualTo(new Versioning.Decision.Duplicate("same-text", v1));
    DedupState fromBody = Versioning.decide(null, marked).state();
    assertThat(Versioning.decide(fromBody, plain))
        .isEqualTo(new Versioning.Decision.Duplicate("same-text", fromBody));
    // another feed's rendering, with a newer date: still the same content
    ArticleEvent sectionLater =
        Drafts.draft(
            "Development Road deal signed", null, text, "2026-11-30T10:00:00Z", "trtworld-turkiye");
    assertThat(Versioning.decide(v1, sectionLater))
        .isInstanceOf(Versioning.Decision.Duplicate.class);
  }

  @Test
  void shouldUpdateWhenTheMovedTextAlsoChanged() {
    String text = "Ankara and Baghdad agree on a $17bn trade corridor.";
    DedupState v1 =
        Versioning.decide(
                null,
                Drafts.draftWithSummary(
                    "Development Road deal signed", text, "2026-11-30T09:00:00Z", "trtworld-world"))
            .state();

    ArticleEvent corrected =
        Drafts.draft(
            "Development Road deal signed",
            null,
            text.replace("$17bn", "$17.5bn"),
            "2026-11-30T09:00:00Z",
            "trtworld-world");
    assertThat(Versioning.decide(v1, corrected)).isInstanceOf(Versioning.Decision.Updated.class);
    ArticleEvent retitled =
        Drafts.draft(
            "Development Road deal signed in Baghdad",
            null,
            text,
            "2026-11-30T09:00:00Z",
            "trtworld-world");
    assertThat(Versioning.decide(v1, retitled)).isInstanceOf(Versioning.Decision.Updated.class);
    ArticleEvent withBody =
        Drafts.draft(
            "Development Road deal signed",
            text,
            "The link runs 1,200 km.",
            "2026-11-30T09:00:00Z",
            "trtworld-world");
    assertThat(Versioning.decide(v1, withBody)).isInstanceOf(Versioning.Decision.Updated.class);
  }

  @Test
  void shouldTakeAnotherFeedsMovedCopyOfAnEarlierVersionAsALateCopy() {
    String text = "Ankara and Baghdad agree on a $17bn trade corridor.";
    DedupState v1 =
        Versioning.decide(
                null,
                Drafts.draftWithSummary(
                    "Development Road deal signed", text, "2026-11-30T09:00:00Z", "trtworld-world"))
            .state();
    DedupState v2 =
        Versioning.decide(
                v1,
                Drafts.draftWithSummary(
                    "Development Road deal signed",
                    text + " Work starts in 2027.",
                    "2026-11-30T09:00:00Z",
                    "trtworld-world"))
            .state();
    assertThat(v2.version()).isEqualTo(2);

    ArticleEvent lagging =
        Drafts.draft(
            "Development Road deal signed", null, text, "2026-11-30T09:00:00Z", "trtworld-turkiye");
    assertThat(Versioning.decide(v2, lagging))
        .isEqualTo(new Versioning.Decision.Duplicate("older-version", v2));
  }

  // ---- media: a picture added to a story (found in a story-lifecycle test: the copy with the
  // photo was suppressed as same-fingerprint, since media are outside the fingerprint) ----

  private static final String MAIN = "trtworld-world";
  private static final String SECTION = "trtworld-turkiye";
  private static final String PHOTO = "https://cdn.trtworld.com/images/2026/11/30/talks.jpg";
  private static final String OTHER_PHOTO =
      "https://cdn.trtworld.com/images/2026/11/30/ministers.jpg";
  private static final ArticleEvent TEXT_ONLY =
      Drafts.draft("Ankara hosts talks", FULL_TEXT, "2026-11-30T09:00:00Z", MAIN, List.of());

  /**
   * @return the draft as the section feed {@value #SECTION} carries it: the same, from another
   *     source
   */
  private static ArticleEvent fromSection(ArticleEvent d) {
    ArticleEvent.Source s = d.source();
    return new ArticleEvent(
        d.uri(),
        d.version(),
        d.changeType(),
        d.pubStatus(),
        d.type(),
        d.versionCreated(),
        d.firstCreated(),
        d.language(),
        d.headline(),
        d.byline(),
        d.summary(),
        d.bodyText(),
        d.bodyHtml(),
        d.subjects(),
        d.associations(),
        d.url(),
        d.originalUrl(),
        d.fingerprint(),
        new ArticleEvent.Source(SECTION, s.name(), s.agency(), s.feedUrl()),
        d.ingestedAt(),
        d.lineage(),
        d.warnings());
  }

  private static Versioning.Decision.Duplicate sameFingerprint(DedupState state) {
    return new Versioning.Decision.Duplicate(Versioning.Decision.Duplicate.SAME_FINGERPRINT, state);
  }

  @Test
  void shouldUpdateWhenTheFeedThatMadeTheLastVersionAddsAPicture() {
    ArticleEvent withPhoto = Drafts.withPictures(TEXT_ONLY, PHOTO);
    DedupState v1 = Versioning.decide(null, TEXT_ONLY).state();

    Versioning.Decision v2 = Versioning.decide(v1, withPhoto, SEEN_LATER);

    assertThat(v2).isInstanceOf(Versioning.Decision.Updated.class);
    ArticleEvent event = Versioning.apply(v2, withPhoto).orElseThrow();
    assertThat(event.version()).isEqualTo(2);
    assertThat(event.changeType()).isEqualTo(Versioning.UPDATED);
    assertThat(event.associations()).isEqualTo(withPhoto.associations());
    assertThat(event.fingerprint())
        .as("the fingerprint is the text's, as before")
        .isEqualTo(TEXT_ONLY.fingerprint());
    assertThat(event.versionCreated())
        .as("an undated edit: when it was fetched")
        .isEqualTo(SEEN_LATER);
    assertThat(v2.state().mediaHashes())
        .containsExactly(Versioning.shortHash("cdn.trtworld.com/images/2026/11/30/talks.jpg"));
    assertThat(v2.state().earlierFingerprints())
        .as("the fingerprint is still the last version's")
        .isEmpty();
    assertThat(Versioning.decide(v2.state(), withPhoto, SEEN_LATER.plusSeconds(120)))
        .isEqualTo(sameFingerprint(v2.state()));
  }

  @Test
  void shouldNotMakeAVersionWhenMediaAreRemovedReorderedResizedOrRefetched() {
    String thumbnail = "https://cdn.trtworld.com/thumbs/talks-180.jpg";
    ArticleEvent.Association photo = Drafts.picture("media-1", PHOTO, thumbnail, 1024);
    ArticleEvent.Association other = Drafts.picture("media-2", OTHER_PHOTO, null, 1024);
    DedupState v1 =
        Versioning.decide(null, Drafts.withMedia(TEXT_ONLY, List.of(photo, other))).state();

    for (List<ArticleEvent.Association> media :
        List.of(
            List.<ArticleEvent.Association>of(), // removed
            List.of(other), // one removed
            List.of(other, photo), // reordered
            List.of(
                Drafts.picture("media-1", PHOTO, thumbnail + "?w=360", 2048),
                other), // larger, its thumbnail at another size
            List.of(
                Drafts.picture(
                    "media-1",
                    PHOTO,
                    "https://cdn.trtworld.com/thumbs/talks-360.jpg",
                    1024)), // another thumbnail of a known picture
            List.of(
                Drafts.picture(
                    "media-1",
                    "HTTP://CDN.trtworld.com:80/images/2026/11/30/talks.jpg?utm_source=rss&v=2#top",
                    null,
                    1024)),
            List.of(
                new ArticleEvent.Association(
                    "media-1",
                    "picture",
                    thumbnail,
                    null, // the known picture's thumbnail alone
                    List.of(
                        new ArticleEvent.Rendition(
                            "thumbnail", thumbnail, "image/jpeg", 180, 101, null)))))) {
      assertThat(Versioning.decide(v1, Drafts.withMedia(TEXT_ONLY, media)))
          .as(media.toString())
          .isEqualTo(sameFingerprint(v1));
      assertThat(Versioning.decide(v1, fromSection(Drafts.withMedia(TEXT_ONLY, media))))
          .as("from another feed: " + media)
          .isEqualTo(sameFingerprint(v1));
    }
  }

  /**
   * Upgrade safety (media:group kept, 2026-12): the crops of one picture, each its own association
   * before the upgrade, become the renditions of one association whose {@code uri} is one of them
   * (the group's default or first). From the feed that made the story or from another, that is the
   * known picture: no version. A group with a picture the story never had still is one.
   */
  @Test
  void shouldNotMakeAVersionWhenTheCropsOfAKnownPictureAreRegroupedAsItsRenditions() {
    List<String> crops =
        List.of(PHOTO, PHOTO.replace(".jpg", "-large-11.jpg"), PHOTO.replace(".jpg", "-t1.jpg"));
    DedupState v1 =
        Versioning.decide(null, Drafts.withPictures(TEXT_ONLY, crops.toArray(String[]::new)))
            .state();
    List<ArticleEvent.Rendition> renditions = new ArrayList<>();
    for (String crop : crops) {
      renditions.add(
          new ArticleEvent.Rendition(
              renditions.isEmpty() ? "original" : "rendition-" + (renditions.size() + 1),
              crop,
              "image/jpeg",
              null,
              null,
              null));
    }
    ArticleEvent regrouped =
        Drafts.withMedia(
            TEXT_ONLY,
            List.of(
                new ArticleEvent.Association(
                    "media-1", "picture", crops.get(1), null, List.copyOf(renditions))));

    assertThat(Versioning.decide(v1, regrouped, SEEN_LATER)).isEqualTo(sameFingerprint(v1));
    assertThat(Versioning.decide(v1, fromSection(regrouped), SEEN_LATER))
        .isEqualTo(sameFingerprint(v1));
    ArticleEvent anotherPicture =
        Drafts.withMedia(
            TEXT_ONLY,
            List.of(
                regrouped.associations().get(0),
                Drafts.picture("media-2", OTHER_PHOTO, null, 1024)));
    assertThat(Versioning.decide(v1, anotherPicture, SEEN_LATER))
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  @Test
  void shouldNotFlipFlopBetweenAFeedWithAPictureAndOneWithout() {
    ArticleEvent withPhoto = Drafts.withPictures(TEXT_ONLY, PHOTO);
    List<ArticleEvent> arrivals =
        List.of(
            TEXT_ONLY,
            withPhoto,
            fromSection(TEXT_ONLY),
            withPhoto,
            fromSection(TEXT_ONLY),
            TEXT_ONLY,
            withPhoto);
    DedupState state = null;
    List<String> outcomes = new ArrayList<>();

    for (ArticleEvent draft : arrivals) {
      Versioning.Decision decision = Versioning.decide(state, draft);
      outcomes.add(
          decision instanceof Versioning.Decision.Duplicate d
              ? d.reason()
              : "v" + decision.state().version());
      state = decision.state();
    }

    assertThat(outcomes)
        .containsExactly(
            "v1",
            "v2",
            "same-fingerprint",
            "same-fingerprint",
            "same-fingerprint",
            "same-fingerprint",
            "same-fingerprint");
  }

  @Test
  void shouldTakeAnotherFeedsFirstPictureOfATextOnlyStoryButNotAnotherPictureOfAStoryWithOne() {
    DedupState textOnly = Versioning.decide(null, TEXT_ONLY).state();
    DedupState illustrated = Versioning.decide(null, Drafts.withPictures(TEXT_ONLY, PHOTO)).state();

    Versioning.Decision firstPicture =
        Versioning.decide(textOnly, fromSection(Drafts.withPictures(TEXT_ONLY, PHOTO)));

    assertThat(firstPicture).isInstanceOf(Versioning.Decision.Updated.class);
    assertThat(
            Versioning.apply(firstPicture, fromSection(Drafts.withPictures(TEXT_ONLY, PHOTO)))
                .orElseThrow()
                .source()
                .id())
        .isEqualTo(SECTION);
    assertThat(firstPicture.state().lastSourceId())
        .as("the text is still the main feed's")
        .isEqualTo(MAIN);
    assertThat(Versioning.decide(firstPicture.state(), TEXT_ONLY))
        .as("the main feed without it")
        .isEqualTo(sameFingerprint(firstPicture.state()));
    ArticleEvent cutByMain =
        Drafts.draftWithSummary("Ankara hosts talks", "Summary.", "2026-11-30T09:00:00Z", MAIN);
    assertThat(Versioning.decide(firstPicture.state(), cutByMain))
        .as("the main feed's own cut, not a shorter copy")
        .isInstanceOf(Versioning.Decision.Updated.class);
    assertThat(
            Versioning.decide(
                illustrated, fromSection(Drafts.withPictures(TEXT_ONLY, OTHER_PHOTO))))
        .as("a section feed's own picture (another crop, another URL) of a story with one")
        .isEqualTo(sameFingerprint(illustrated));
    assertThat(Versioning.decide(illustrated, Drafts.withPictures(TEXT_ONLY, PHOTO, OTHER_PHOTO)))
        .as("a second picture from the feed that made the last version")
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  @Test
  void shouldTakeAReplacedPictureAsAnUpdateAndTheOldOneAfterwardsAsADuplicate() {
    DedupState v1 = Versioning.decide(null, Drafts.withPictures(TEXT_ONLY, PHOTO)).state();

    Versioning.Decision replaced =
        Versioning.decide(v1, Drafts.withPictures(TEXT_ONLY, OTHER_PHOTO));

    assertThat(replaced).isInstanceOf(Versioning.Decision.Updated.class);
    DedupState v2 = replaced.state();
    assertThat(v2.mediaHashes())
        .as("the last version's first, then the earlier ones")
        .containsExactly(
            Versioning.shortHash("cdn.trtworld.com/images/2026/11/30/ministers.jpg"),
            Versioning.shortHash("cdn.trtworld.com/images/2026/11/30/talks.jpg"));
    assertThat(Versioning.decide(v2, Drafts.withPictures(TEXT_ONLY, PHOTO)))
        .as("a slower poller's copy with the old picture")
        .isEqualTo(sameFingerprint(v2));
    assertThat(Versioning.decide(v2, fromSection(Drafts.withPictures(TEXT_ONLY, PHOTO))))
        .isEqualTo(sameFingerprint(v2));
  }

  @Test
  void shouldUpdateWhenACopyWithItsTextMovedAddsAPicture() {
    String text = "Foreign ministers met in Ankara.";
    DedupState v1 =
        Versioning.decide(
                null,
                Drafts.draftWithSummary("Ankara hosts talks", text, "2026-11-30T09:00:00Z", MAIN))
            .state();
    ArticleEvent asBody =
        Drafts.draft("Ankara hosts talks", null, text, "2026-11-30T09:00:00Z", MAIN);

    assertThat(Versioning.decide(v1, asBody))
        .isEqualTo(new Versioning.Decision.Duplicate(Versioning.Decision.Duplicate.SAME_TEXT, v1));
    assertThat(Versioning.decide(v1, Drafts.withPictures(asBody, PHOTO)))
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  @Test
  void shouldKeepAnotherFeedsShorterCopyADuplicateEvenWithAPicture() {
    DedupState v1 = Versioning.decide(null, TEXT_ONLY).state();
    ArticleEvent summaryWithPhoto =
        Drafts.withPictures(
            Drafts.draftWithSummary(
                "Ankara hosts talks", "Summary.", "2026-11-30T09:00:00Z", SECTION),
            PHOTO);

    assertThat(Versioning.decide(v1, summaryWithPhoto))
        .isInstanceOfSatisfying(
            Versioning.Decision.Duplicate.class,
            d ->
                assertThat(d.reason())
                    .as("the newest version keeps the full text")
                    .isEqualTo(Versioning.Decision.Duplicate.SHORTER_COPY));
  }

  @Test
  void shouldNotMakeAVersionOfAKillForItsMedia() {
    ArticleEvent kill =
        Drafts.draft(
            "KILL: Ankara hosts talks",
            FULL_TEXT,
            "2026-11-30T09:00:00Z",
            MAIN,
            List.of(),
            "canceled");
    DedupState killed = Versioning.decide(null, kill).state();

    assertThat(Versioning.decide(killed, Drafts.withPictures(kill, PHOTO)))
        .isEqualTo(sameFingerprint(killed));
  }

  @Test
  void shouldLearnTheMediaOfAStateWrittenBeforeTheyWereKeptFromTheFeedThatMadeTheLastVersion() {
    DedupState legacy = Versioning.decide(null, TEXT_ONLY).state().withMediaHashes(null);
    ArticleEvent withPhoto = Drafts.withPictures(TEXT_ONLY, PHOTO);

    assertThat(Versioning.decide(legacy, fromSection(withPhoto)))
        .as("another feed's copy: nothing learnt")
        .isEqualTo(sameFingerprint(legacy));
    Versioning.Decision learnt = Versioning.decide(legacy, withPhoto);

    assertThat(learnt)
        .as("no information: not taken as adding media")
        .isEqualTo(sameFingerprint(legacy.withMediaHashes(MediaKeys.of(withPhoto))));
    assertThat(Versioning.decide(learnt.state(), withPhoto))
        .isEqualTo(sameFingerprint(learnt.state()));
    assertThat(
            Versioning.decide(learnt.state(), Drafts.withPictures(TEXT_ONLY, PHOTO, OTHER_PHOTO)))
        .isInstanceOf(Versioning.Decision.Updated.class);
    DedupState noSource =
        DedupState.builder(Drafts.URI, 1, TEXT_ONLY.fingerprint())
            .firstCreated(TEXT_ONLY.firstCreated())
            .lastVersionCreated(TEXT_ONLY.versionCreated())
            .build();
    assertThat(Versioning.decide(noSource, fromSection(TEXT_ONLY)))
        .as("a state that does not say which feed made it learns from any copy")
        .isEqualTo(sameFingerprint(noSource.withMediaHashes(List.of())));
  }

  @Test
  void shouldStopComparingMediaOnceTheStoryKnowsTheLimit() {
    String[] gallery = new String[MediaKeys.MAX_MEDIA_HASHES + 1];
    for (int i = 0; i < gallery.length; i++) {
      gallery[i] = "https://cdn.trtworld.com/gallery/" + i + ".jpg";
    }
    DedupState almostFull =
        Versioning.decide(
                null, Drafts.withPictures(TEXT_ONLY, Arrays.copyOf(gallery, gallery.length - 2)))
            .state();
    DedupState full = Versioning.decide(null, Drafts.withPictures(TEXT_ONLY, gallery)).state();

    assertThat(full.mediaHashes()).hasSize(MediaKeys.MAX_MEDIA_HASHES);
    assertThat(
            Versioning.decide(
                almostFull,
                Drafts.withPictures(TEXT_ONLY, Arrays.copyOf(gallery, gallery.length - 1))))
        .isInstanceOf(Versioning.Decision.Updated.class);
    assertThat(
            Versioning.decide(
                full, Drafts.withPictures(TEXT_ONLY, "https://cdn.trtworld.com/gallery/new.jpg")))
        .isEqualTo(sameFingerprint(full));
  }

  @Test
  void shouldRememberTheMediaOfAnEditSoAPictureAddedToItIsAnUpdate() {
    DedupState v1 = Versioning.decide(null, Drafts.withPictures(TEXT_ONLY, PHOTO)).state();
    ArticleEvent edited =
        Drafts.draft(
            "Ankara hosts talks",
            FULL_TEXT + " A deal is near.",
            "2026-11-30T09:00:00Z",
            MAIN,
            List.of());

    DedupState v2 = Versioning.decide(v1, edited).state();

    assertThat(v2.mediaHashes())
        .as("the picture v1 had is still known")
        .containsExactly(Versioning.shortHash("cdn.trtworld.com/images/2026/11/30/talks.jpg"));
    assertThat(Versioning.decide(v2, Drafts.withPictures(edited, PHOTO)))
        .isEqualTo(sameFingerprint(v2));
    assertThat(Versioning.decide(v2, Drafts.withPictures(edited, OTHER_PHOTO)))
        .isInstanceOf(Versioning.Decision.Updated.class);
  }

  @Test
  void shouldCompareMediaUrlsCanonicalWithoutSchemeOrQuery() {
    assertThat(MediaKeys.key("HTTPS://CDN.Example:443/img/1.jpg?w=460&utm_source=rss#top"))
        .isEqualTo("cdn.example/img/1.jpg");
    assertThat(MediaKeys.key("http://cdn.example/img/1.jpg")).isEqualTo("cdn.example/img/1.jpg");
    assertThat(MediaKeys.key("https://cdn.example/IMG/1.jpg"))
        .as("the path as written")
        .isEqualTo("cdn.example/IMG/1.jpg");
    assertThat(MediaKeys.key(" /img/1.jpg?w=2 "))
        .as("no canonical form: as written")
        .isEqualTo("/img/1.jpg");
  }
}
