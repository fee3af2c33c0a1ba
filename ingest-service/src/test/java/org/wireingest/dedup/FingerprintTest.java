package org.wireingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wireingest.model.ArticleEvent;
import org.wireingest.text.Html;

class FingerprintTest {

  private static final ArticleEvent DRAFT =
      Drafts.draft("Ankara hosts talks", "Talks resumed on Monday.", "2026-11-30T09:00:00Z");

  private static ArticleEvent withHeadline(ArticleEvent e, String headline) {
    return new ArticleEvent(
        e.uri(),
        e.version(),
        e.changeType(),
        e.pubStatus(),
        e.type(),
        e.versionCreated(),
        e.firstCreated(),
        e.language(),
        headline,
        e.byline(),
        e.summary(),
        e.bodyText(),
        e.bodyHtml(),
        e.subjects(),
        e.associations(),
        e.url(),
        e.originalUrl(),
        e.fingerprint(),
        e.source(),
        e.ingestedAt(),
        e.lineage(),
        e.warnings());
  }

  @Test
  void shouldBeSha256Hex() {
    assertThat(Fingerprint.of(DRAFT)).matches("[0-9a-f]{64}");
  }

  @Test
  void shouldIgnoreWhitespaceOnlyChange() {
    ArticleEvent rewrapped =
        Drafts.draft(
            "  Ankara  hosts\ttalks ", "Talks resumed\non  Monday.", "2026-11-30T09:00:00Z");
    assertThat(Fingerprint.of(rewrapped)).isEqualTo(Fingerprint.of(DRAFT));
  }

  /**
   * Found in a hostile test: a feed that put a zero-width space, soft hyphen or left-to-right mark
   * at another place in a story at each fetch (a watermark, a CMS's hyphenation) made a new version
   * at every poll.
   */
  @Test
  void shouldIgnoreFormatCharactersScatteredThroughTheText() {
    ArticleEvent marked =
        Drafts.draft(
            "Anka\u00adra hosts\u200b talks\u200e",
            "\ufeffTalks re\u2060sumed on\u200c Monday.\u200d",
            "2026-11-30T09:00:00Z");
    assertThat(Fingerprint.of(marked)).isEqualTo(Fingerprint.of(DRAFT));
    // and, from the re-run: variation selectors, tag characters, the combining grapheme joiner,
    // Hangul fillers and the blank Braille pattern
    ArticleEvent heart = withHeadline(DRAFT, "Ankara \u2764 talks");
    ArticleEvent heartEmoji =
        withHeadline(DRAFT, "Ankara \u2764\ufe0f talks\u034f\u3164\uffa0\u2800");
    ArticleEvent tagged =
        withHeadline(DRAFT, "Ankara \u2764 talks" + new String(Character.toChars(0xE0041)));
    assertThat(Fingerprint.of(heartEmoji)).isEqualTo(Fingerprint.of(heart));
    assertThat(Fingerprint.of(tagged)).isEqualTo(Fingerprint.of(heart));
    assertThat(Fingerprint.withoutIgnorable("no marks")).isSameAs("no marks");
    assertThat(Fingerprint.withoutIgnorable("\u0645\u200c\u0646 \u0600x"))
        .isEqualTo("\u0645\u0646 x");
  }

  @Test
  void shouldIgnoreComposedVersusDecomposedAccents() {
    ArticleEvent composed = withHeadline(DRAFT, "Erdoğan speaks");
    ArticleEvent decomposed = withHeadline(DRAFT, "Erdog\u0306an speaks");
    assertThat(Fingerprint.of(decomposed)).isEqualTo(Fingerprint.of(composed));
  }

  @Test
  void shouldChangeWhenHeadlineChanges() {
    assertThat(Fingerprint.of(withHeadline(DRAFT, "Ankara hosts new talks")))
        .isNotEqualTo(Fingerprint.of(DRAFT));
  }

  @Test
  void shouldChangeWhenBodyTextChanges() {
    ArticleEvent edited =
        Drafts.draft("Ankara hosts talks", "Talks resumed on Tuesday.", "2026-11-30T09:00:00Z");
    assertThat(Fingerprint.of(edited)).isNotEqualTo(Fingerprint.of(DRAFT));
  }

  @Test
  void shouldChangeWhenPubStatusChanges() {
    ArticleEvent e = DRAFT;
    ArticleEvent canceled =
        new ArticleEvent(
            e.uri(),
            0,
            null,
            "canceled",
            e.type(),
            e.versionCreated(),
            e.firstCreated(),
            e.language(),
            e.headline(),
            e.byline(),
            e.summary(),
            e.bodyText(),
            e.bodyHtml(),
            e.subjects(),
            e.associations(),
            e.url(),
            e.originalUrl(),
            null,
            e.source(),
            null,
            null,
            e.warnings());
    assertThat(Fingerprint.of(canceled)).isNotEqualTo(Fingerprint.of(DRAFT));
  }

  @Test
  void shouldIgnoreSubjectOrder() {
    ArticleEvent e = DRAFT;
    ArticleEvent reordered =
        new ArticleEvent(
            e.uri(),
            0,
            null,
            e.pubStatus(),
            e.type(),
            e.versionCreated(),
            e.firstCreated(),
            e.language(),
            e.headline(),
            e.byline(),
            e.summary(),
            e.bodyText(),
            e.bodyHtml(),
            List.of(e.subjects().get(1), e.subjects().get(0)),
            e.associations(),
            e.url(),
            e.originalUrl(),
            null,
            e.source(),
            null,
            null,
            e.warnings());
    assertThat(Fingerprint.of(reordered)).isEqualTo(Fingerprint.of(DRAFT));
  }

  @Test
  void shouldIgnoreUrlsDatesIngestionAndLineage() {
    ArticleEvent e = DRAFT;
    ArticleEvent noisy =
        new ArticleEvent(
            e.uri(),
            3,
            "updated",
            e.pubStatus(),
            e.type(),
            Instant.parse("2027-01-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"),
            e.language(),
            e.headline(),
            e.byline(),
            e.summary(),
            e.bodyText(),
            "<div>" + e.bodyText() + "</div>",
            e.subjects(),
            e.associations(),
            "https://www.trtworld.com/other",
            "https://www.trtworld.com/other?fbclid=1",
            null,
            e.source(),
            Instant.parse("2027-01-01T00:00:01Z"),
            new ArticleEvent.Lineage("wire.raw-items.v1", 2, 99L, "k"),
            List.of("date-missing"));
    assertThat(Fingerprint.of(noisy)).isEqualTo(Fingerprint.of(DRAFT));
  }

  // Media are outside the fingerprint (a picture added is a version by Versioning's media rule),
  // and the value itself is pinned: changing it would re-version every stored story on upgrade.
  @Test
  void shouldKeepItsValueWhenMediaAreAdded() {
    ArticleEvent withPicture =
        Drafts.withPictures(DRAFT, "https://cdn.trtworld.com/images/talks.jpg");

    assertThat(Fingerprint.of(withPicture))
        .isEqualTo(Fingerprint.of(DRAFT))
        .isEqualTo("678b32f23cbbdef490a5cb85a1008a463f568ba0096037629626cdba238ab80b");
  }

  // A value over text that is not ASCII, not NFC, not collapsed and has ignorable marks, with no
  // summary and subjects out of order: every branch of the field encoding, pinned as stored.
  @Test
  void shouldKeepItsValueForTextThatIsNormalisedBeforeHashing() {
    ArticleEvent draft =
        Drafts.draft(
            "  Cumhurbaşkanı\u00ad  Ankara'da  ",
            null,
            "Kare\u0301 \u200bbaşkent\n\nİkinci   paragraf. \u0645\u200c\u0646",
            "2026-11-30T09:00:00Z",
            "aa-turkce");

    assertThat(Fingerprint.of(draft))
        .isEqualTo("88340098eeb27756e4662b5e4792bb98024cd961a2e726e73d7cf01367ae5c97");
    assertThat(Fingerprint.ofTextMoved(draft))
        .isEqualTo("56e42b1543a8e2aff560362d7dd078b07c79e5aed031e63e28b3f6294d7fe6bd");
  }

  /**
   * Plain text keeps the paragraph breaks of a line of zero-width spaces and of U+2029, and the
   * line breaks of U+2028, which {@link Html#toText} ran together with spaces before: the
   * fingerprint drops ignorable characters and collapses whitespace, so a story stored before keeps
   * its fingerprint and gets no new version from it.
   */
  @Test
  void shouldKeepTheFingerprintOfPlainTextWhoseBreaksAreNowKept() {
    String plain = "First para.\n\u200B\nSecond para,\u2028its second line.\u2029Third.";
    String asReadBefore = "First para. \u200B Second para, its second line. Third.";

    assertThat(Html.toText(plain))
        .isEqualTo("First para.\n\nSecond para,\nits second line.\n\nThird.");
    assertThat(Fingerprint.of(Drafts.draft("Talks", Html.toText(plain), "2026-11-30T09:00:00Z")))
        .isEqualTo(Fingerprint.of(Drafts.draft("Talks", asReadBefore, "2026-11-30T09:00:00Z")));
  }

  @Test
  void shouldTellMovedTextBetweenFieldsApart() {
    ArticleEvent e = DRAFT;
    ArticleEvent a =
        new ArticleEvent(
            e.uri(),
            0,
            null,
            e.pubStatus(),
            e.type(),
            e.versionCreated(),
            e.firstCreated(),
            e.language(),
            "Head",
            "Jane Doe",
            null,
            e.bodyText(),
            null,
            List.of(),
            List.of(),
            null,
            null,
            null,
            e.source(),
            null,
            null,
            List.of());
    ArticleEvent b =
        new ArticleEvent(
            e.uri(),
            0,
            null,
            e.pubStatus(),
            e.type(),
            e.versionCreated(),
            e.firstCreated(),
            e.language(),
            "Head",
            null,
            "Jane Doe",
            e.bodyText(),
            null,
            List.of(),
            List.of(),
            null,
            null,
            null,
            e.source(),
            null,
            null,
            List.of());
    assertThat(Fingerprint.of(a)).isNotEqualTo(Fingerprint.of(b));
  }

  @Test
  void shouldGiveTheFingerprintOfTheTextInTheOtherFieldOnlyWhenOneFieldHasText() {
    ArticleEvent asSummary =
        Drafts.draftWithSummary(
            "Head", "Talks resumed in Doha.", "2026-11-30T09:00:00Z", "trtworld-world");
    ArticleEvent asBody =
        Drafts.draft(
            "Head", null, "Talks  resumed\nin Doha.", "2026-11-30T09:00:00Z", "trtworld-world");
    ArticleEvent both =
        Drafts.draft(
            "Head",
            "Talks resumed in Doha.",
            "Talks resumed in Doha.",
            "2026-11-30T09:00:00Z",
            "trtworld-world");

    assertThat(Fingerprint.of(asSummary)).isNotEqualTo(Fingerprint.of(asBody));
    assertThat(Fingerprint.ofTextMoved(asBody)).isEqualTo(Fingerprint.of(asSummary));
    assertThat(Fingerprint.ofTextMoved(asSummary)).isEqualTo(Fingerprint.of(asBody));
    assertThat(Fingerprint.ofTextMoved(both)).isNull();
    assertThat(
            Fingerprint.ofTextMoved(
                Drafts.draft("Head", " ", null, "2026-11-30T09:00:00Z", "trtworld-world")))
        .isNull();
  }
}
