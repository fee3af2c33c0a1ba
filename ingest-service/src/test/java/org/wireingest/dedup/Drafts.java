package org.wireingest.dedup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.wireingest.model.ArticleEvent;

/**
 * Article drafts as the normalizer makes them (version 0, no change type, ingestion or lineage).
 */
final class Drafts {

  static final String URI = "urn:wire:trtworld:0123456789abcdef0123456789abcdef";

  private Drafts() {}

  static ArticleEvent draft(String headline, String bodyText, String versionCreated) {
    return draft(headline, bodyText, versionCreated, "trtworld-world", List.of());
  }

  /**
   * @param sourceId the feed the draft came from
   * @param warnings the normalizer's warnings (e.g. {@code date-missing}: {@code versionCreated} is
   *     then the poller's first-seen time)
   */
  static ArticleEvent draft(
      String headline,
      String bodyText,
      String versionCreated,
      String sourceId,
      List<String> warnings) {
    return draft(headline, bodyText, versionCreated, sourceId, warnings, "usable");
  }

  /**
   * @param pubStatus ninjs pubStatus, as the normalizer derives it from the headline's marker
   */
  static ArticleEvent draft(
      String headline,
      String bodyText,
      String versionCreated,
      String sourceId,
      List<String> warnings,
      String pubStatus) {
    ArticleEvent draft =
        new ArticleEvent(
            URI,
            0,
            null,
            pubStatus,
            "text",
            versionCreated == null ? null : Instant.parse(versionCreated),
            Instant.parse("2026-11-30T08:00:00Z"),
            "en",
            headline,
            "Jane Doe",
            "Summary.",
            bodyText,
            "<p>" + bodyText + "</p>",
            List.of(
                new ArticleEvent.Subject("World", null, null),
                new ArticleEvent.Subject("Türkiye", null, null)),
            List.of(),
            "https://www.trtworld.com/world/story-1",
            "https://www.trtworld.com/world/story-1?utm_source=rss",
            null,
            new ArticleEvent.Source(
                sourceId,
                "TRT World — " + sourceId,
                "trtworld",
                "https://www.trtworld.com/feed/" + sourceId + ".xml"),
            null,
            null,
            warnings);
    return draft.withFingerprint(Fingerprint.of(draft));
  }

  /** A draft whose description is its only text: {@code summary} set, no body. */
  static ArticleEvent draftWithSummary(
      String headline, String summary, String versionCreated, String sourceId) {
    return draft(headline, summary, null, versionCreated, sourceId);
  }

  /**
   * @param summary the summary, null for none; @param bodyText the body text, null for none
   */
  static ArticleEvent draft(
      String headline, String summary, String bodyText, String versionCreated, String sourceId) {
    ArticleEvent draft =
        new ArticleEvent(
            URI,
            0,
            null,
            "usable",
            "text",
            Instant.parse(versionCreated),
            Instant.parse("2026-11-30T08:00:00Z"),
            "en",
            headline,
            "Jane Doe",
            summary,
            bodyText,
            bodyText == null ? null : "<p>" + bodyText.replace("\n\n", "</p><p>") + "</p>",
            List.of(
                new ArticleEvent.Subject("World", null, null),
                new ArticleEvent.Subject("Türkiye", null, null)),
            List.of(),
            "https://www.trtworld.com/world/story-1",
            "https://www.trtworld.com/world/story-1?utm_source=rss",
            null,
            new ArticleEvent.Source(
                sourceId,
                "TRT World — " + sourceId,
                "trtworld",
                "https://www.trtworld.com/feed/" + sourceId + ".xml"),
            null,
            null,
            List.of());
    return draft.withFingerprint(Fingerprint.of(draft));
  }

  /**
   * @param draft a draft
   * @param urls one picture per URL (an original rendition, 1024x576), in order; none for no media
   * @return the draft with those pictures as its associations, all else (the fingerprint too) as it
   *     was
   */
  static ArticleEvent withPictures(ArticleEvent draft, String... urls) {
    List<ArticleEvent.Association> pictures = new ArrayList<>();
    for (String url : urls) {
      pictures.add(picture("media-" + (pictures.size() + 1), url, null, 1024));
    }
    return withMedia(draft, pictures);
  }

  /**
   * @return the draft with {@code associations} as its media, all else as it was
   */
  static ArticleEvent withMedia(ArticleEvent draft, List<ArticleEvent.Association> associations) {
    return new ArticleEvent(
        draft.uri(),
        draft.version(),
        draft.changeType(),
        draft.pubStatus(),
        draft.type(),
        draft.versionCreated(),
        draft.firstCreated(),
        draft.language(),
        draft.headline(),
        draft.byline(),
        draft.summary(),
        draft.bodyText(),
        draft.bodyHtml(),
        draft.subjects(),
        List.copyOf(associations),
        draft.url(),
        draft.originalUrl(),
        draft.fingerprint(),
        draft.source(),
        draft.ingestedAt(),
        draft.lineage(),
        draft.warnings());
  }

  /**
   * @param url the picture's URL (its original rendition's)
   * @param thumbnail the URL of its thumbnail rendition (180 px wide); null for none
   * @param width the original's width in pixels
   */
  static ArticleEvent.Association picture(String name, String url, String thumbnail, int width) {
    List<ArticleEvent.Rendition> renditions = new ArrayList<>();
    renditions.add(
        new ArticleEvent.Rendition("original", url, "image/jpeg", width, width * 9 / 16, null));
    if (thumbnail != null) {
      renditions.add(
          new ArticleEvent.Rendition("thumbnail", thumbnail, "image/jpeg", 180, 101, null));
    }
    return new ArticleEvent.Association(name, "picture", url, null, List.copyOf(renditions));
  }
}
