package org.wireingest.model;

import java.time.Instant;
import java.util.List;

/**
 * The value of a {@code wire.articles.v1} record: one version of one story, shaped after IPTC ninjs
 * 2.x (field names where ninjs has the concept) plus wire-ingest's own fields. Schema: {@code
 * schemas/article.schema.json}. All instants are UTC, serialised as ISO-8601.
 *
 * @param uri ninjs {@code uri}: {@code urn:wire:<agency>:<hash>}, stable across versions, feeds of
 *     one agency and replays
 * @param version ninjs {@code version}: 1 for the first, +1 for each editorial change, and for a
 *     picture (media) added to the story with its text unchanged (see {@code Versioning})
 * @param changeType {@code created} or {@code updated}
 * @param pubStatus ninjs {@code pubStatus}: {@code usable}, {@code withheld} or {@code canceled}
 * @param type ninjs {@code type}: always {@code text} for now
 * @param versionCreated ninjs {@code versionCreated}: the entry's updated date, else published
 *     date, else first seen; for a later version whose entry gives no newer date than the version
 *     before (an edit the agency did not date, as RSS edits mostly are), when the poller fetched
 *     it, and never before the previous version's (see {@code Versioning})
 * @param firstCreated ninjs {@code firstCreated}: the published date, else first seen
 * @param language BCP 47 language: entry, else feed, else source default; null when unknown
 * @param headline ninjs {@code headline}: plain text, never blank
 * @param byline ninjs {@code byline}; null when the feed names no author
 * @param summary plain-text summary (from the description); null when none
 * @param bodyText ninjs {@code body_text}-like plain text of the body; null when the feed carries
 *     none
 * @param bodyHtml sanitised HTML of the body (jsoup relaxed safelist); null when none
 * @param subjects ninjs {@code subjects} from the feed's categories; never null
 * @param associations ninjs {@code associations}: media objects (pictures, video, audio) with
 *     renditions; never null
 * @param url canonical URL of the story (tracking parameters removed); null when the entry has no
 *     link
 * @param originalUrl the link exactly as the feed gave it; null when none
 * @param fingerprint SHA-256 (hex) of the normalised editorial content
 * @param source where it came from
 * @param ingestedAt when the normalizer produced this event (UTC)
 * @param lineage the raw item it was derived from
 * @param warnings normalisation warnings (e.g. {@code future-date-clamped}, {@code date-missing});
 *     never null
 * @param cluster the near-duplicate cluster the story belongs to (the same wire story published by
 *     several agencies, or re-issued by one under a new identity); set at version 1 and kept by
 *     every later version. Null on a draft not yet through the version rule, and in events written
 *     before 2026-12
 * @param changedFields on an {@code updated} event, the fields of this event that differ from the
 *     version before, by their names here, in this order: {@code headline}, {@code byline}, {@code
 *     summary}, {@code bodyText}, {@code subjects}, {@code pubStatus}, {@code associations} (a
 *     media object no earlier version had); e.g. {@code ["headline"]} for a corrected title. Null
 *     on a {@code created} event, on a draft, and on the first update of a story whose stored state
 *     predates 2026-12-02 (then unknown)
 */
public record ArticleEvent(
    String uri,
    int version,
    String changeType,
    String pubStatus,
    String type,
    Instant versionCreated,
    Instant firstCreated,
    String language,
    String headline,
    String byline,
    String summary,
    String bodyText,
    String bodyHtml,
    List<Subject> subjects,
    List<Association> associations,
    String url,
    String originalUrl,
    String fingerprint,
    Source source,
    Instant ingestedAt,
    Lineage lineage,
    List<String> warnings,
    Cluster cluster,
    List<String> changedFields) {

  /** ninjs {@code pubStatus} of an ordinary story. */
  public static final String USABLE = "usable";

  /** ninjs {@code pubStatus} of a story held back by the agency (withhold / embargo advisory). */
  public static final String WITHHELD = "withheld";

  /** ninjs {@code pubStatus} of a story the agency killed or withdrew. */
  public static final String CANCELED = "canceled";

  /**
   * {@link #warnings} value: the entry has neither a published nor an updated date, so {@code
   * versionCreated} is when the poller first saw it, not a date the agency gave.
   */
  public static final String DATE_MISSING = "date-missing";

  /**
   * {@link #warnings} value: an entry date beyond the fetch time plus the allowed skew was clamped
   * to the fetch time, so {@code versionCreated} is not a date the agency gave.
   */
  public static final String FUTURE_DATE_CLAMPED = "future-date-clamped";

  /** {@link #changedFields} value: the headline. */
  public static final String FIELD_HEADLINE = "headline";

  /** {@link #changedFields} value: the byline. */
  public static final String FIELD_BYLINE = "byline";

  /** {@link #changedFields} value: the summary. */
  public static final String FIELD_SUMMARY = "summary";

  /** {@link #changedFields} value: the body text (and its HTML). */
  public static final String FIELD_BODY_TEXT = "bodyText";

  /** {@link #changedFields} value: the subjects' names. */
  public static final String FIELD_SUBJECTS = "subjects";

  /** {@link #changedFields} value: the {@code pubStatus} (a kill, a withhold, a reinstatement). */
  public static final String FIELD_PUB_STATUS = "pubStatus";

  /** {@link #changedFields} value: a media object no earlier version had. */
  public static final String FIELD_ASSOCIATIONS = "associations";

  /** Every {@link #changedFields} value, in the order an event lists them. */
  public static final List<String> CHANGEABLE_FIELDS =
      List.of(
          FIELD_HEADLINE,
          FIELD_BYLINE,
          FIELD_SUMMARY,
          FIELD_BODY_TEXT,
          FIELD_SUBJECTS,
          FIELD_PUB_STATUS,
          FIELD_ASSOCIATIONS);

  public ArticleEvent {
    changedFields = changedFields == null ? null : List.copyOf(changedFields);
  }

  /** An article without a {@code cluster} (a draft, before the version rule assigns one). */
  public ArticleEvent(
      String uri,
      int version,
      String changeType,
      String pubStatus,
      String type,
      Instant versionCreated,
      Instant firstCreated,
      String language,
      String headline,
      String byline,
      String summary,
      String bodyText,
      String bodyHtml,
      List<Subject> subjects,
      List<Association> associations,
      String url,
      String originalUrl,
      String fingerprint,
      Source source,
      Instant ingestedAt,
      Lineage lineage,
      List<String> warnings) {
    this(
        uri,
        version,
        changeType,
        pubStatus,
        type,
        versionCreated,
        firstCreated,
        language,
        headline,
        byline,
        summary,
        bodyText,
        bodyHtml,
        subjects,
        associations,
        url,
        originalUrl,
        fingerprint,
        source,
        ingestedAt,
        lineage,
        warnings,
        null,
        null);
  }

  /**
   * @param version the ninjs version (1 for the first)
   * @param changeType {@code created} or {@code updated}
   * @return a copy with {@code version} and {@code changeType} replaced
   */
  public ArticleEvent withVersion(int version, String changeType) {
    return new ArticleEvent(
        uri,
        version,
        changeType,
        pubStatus,
        type,
        versionCreated,
        firstCreated,
        language,
        headline,
        byline,
        summary,
        bodyText,
        bodyHtml,
        subjects,
        associations,
        url,
        originalUrl,
        fingerprint,
        source,
        ingestedAt,
        lineage,
        warnings,
        cluster,
        changedFields);
  }

  /**
   * @param firstCreated when the story was first created (UTC)
   * @return a copy with {@code firstCreated} replaced
   */
  public ArticleEvent withFirstCreated(Instant firstCreated) {
    return new ArticleEvent(
        uri,
        version,
        changeType,
        pubStatus,
        type,
        versionCreated,
        firstCreated,
        language,
        headline,
        byline,
        summary,
        bodyText,
        bodyHtml,
        subjects,
        associations,
        url,
        originalUrl,
        fingerprint,
        source,
        ingestedAt,
        lineage,
        warnings,
        cluster,
        changedFields);
  }

  /**
   * @param fingerprint SHA-256 (hex) of the editorial content
   * @return a copy with {@code fingerprint} replaced
   */
  public ArticleEvent withFingerprint(String fingerprint) {
    return new ArticleEvent(
        uri,
        version,
        changeType,
        pubStatus,
        type,
        versionCreated,
        firstCreated,
        language,
        headline,
        byline,
        summary,
        bodyText,
        bodyHtml,
        subjects,
        associations,
        url,
        originalUrl,
        fingerprint,
        source,
        ingestedAt,
        lineage,
        warnings,
        cluster,
        changedFields);
  }

  /**
   * @param versionCreated this version's time (UTC); null for none
   * @return a copy with {@code versionCreated} replaced
   */
  public ArticleEvent withVersionCreated(Instant versionCreated) {
    return new ArticleEvent(
        uri,
        version,
        changeType,
        pubStatus,
        type,
        versionCreated,
        firstCreated,
        language,
        headline,
        byline,
        summary,
        bodyText,
        bodyHtml,
        subjects,
        associations,
        url,
        originalUrl,
        fingerprint,
        source,
        ingestedAt,
        lineage,
        warnings,
        cluster,
        changedFields);
  }

  /**
   * @param ingestedAt when the normalizer produced the event (UTC)
   * @param lineage the raw item the event was derived from
   * @return a copy with {@code ingestedAt} and {@code lineage} replaced
   */
  public ArticleEvent withIngestion(Instant ingestedAt, Lineage lineage) {
    return new ArticleEvent(
        uri,
        version,
        changeType,
        pubStatus,
        type,
        versionCreated,
        firstCreated,
        language,
        headline,
        byline,
        summary,
        bodyText,
        bodyHtml,
        subjects,
        associations,
        url,
        originalUrl,
        fingerprint,
        source,
        ingestedAt,
        lineage,
        warnings,
        cluster,
        changedFields);
  }

  /**
   * @param cluster the story's near-duplicate cluster; null for none
   * @return a copy with {@code cluster} replaced
   */
  public ArticleEvent withCluster(Cluster cluster) {
    return new ArticleEvent(
        uri,
        version,
        changeType,
        pubStatus,
        type,
        versionCreated,
        firstCreated,
        language,
        headline,
        byline,
        summary,
        bodyText,
        bodyHtml,
        subjects,
        associations,
        url,
        originalUrl,
        fingerprint,
        source,
        ingestedAt,
        lineage,
        warnings,
        cluster,
        changedFields);
  }

  /**
   * @param changedFields the fields that differ from the version before ({@link #changedFields});
   *     null for unknown or none
   * @return a copy with {@code changedFields} replaced
   */
  public ArticleEvent withChangedFields(List<String> changedFields) {
    return new ArticleEvent(
        uri,
        version,
        changeType,
        pubStatus,
        type,
        versionCreated,
        firstCreated,
        language,
        headline,
        byline,
        summary,
        bodyText,
        bodyHtml,
        subjects,
        associations,
        url,
        originalUrl,
        fingerprint,
        source,
        ingestedAt,
        lineage,
        warnings,
        cluster,
        changedFields);
  }

  /**
   * The near-duplicate cluster of a story: stories whose leads are near-identical (estimated
   * Jaccard similarity of their word 3-shingles at least 0.5, see {@code NearDuplicates}) share an
   * {@code id}. Each is still published as its own article: a cluster groups, it never drops.
   *
   * @param id {@code urn:wire:cluster:<32 hex>}: derived from the {@code uri} of the cluster's
   *     first story; never null
   * @param nearDuplicateOf the {@code uri} of the most similar story already in the cluster when
   *     this story joined it; null when this story started the cluster
   * @param similarity the estimated Jaccard similarity to {@code nearDuplicateOf}, 0.5 to 1, three
   *     decimals; null when this story started the cluster
   */
  public record Cluster(String id, String nearDuplicateOf, Double similarity) {}

  /**
   * ninjs subject.
   *
   * @param name the category term; never null
   * @param uri a URI for it when the feed's category scheme gives one; null otherwise
   * @param scheme the category scheme/domain; null when absent
   */
  public record Subject(String name, String uri, String scheme) {}

  /**
   * ninjs association (a media object).
   *
   * @param name association name, e.g. {@code media-1}
   * @param type ninjs type: {@code picture}, {@code video}, {@code audio} or {@code file}
   * @param uri the media URL
   * @param description caption; null when none
   * @param renditions the renditions of this media object (at least one)
   */
  public record Association(
      String name, String type, String uri, String description, List<Rendition> renditions) {}

  /**
   * ninjs rendition.
   *
   * @param name rendition name: {@code original} or {@code thumbnail}
   * @param href URL
   * @param contentType MIME type; null when unknown
   * @param width pixels; null when unknown
   * @param height pixels; null when unknown
   * @param sizeInBytes bytes; null when unknown
   */
  public record Rendition(
      String name,
      String href,
      String contentType,
      Integer width,
      Integer height,
      Long sizeInBytes) {}

  /**
   * @param id source id
   * @param name source name
   * @param agency agency id
   * @param feedUrl the feed URL
   */
  public record Source(String id, String name, String agency, String feedUrl) {}

  /**
   * Where the event came from in the raw history.
   *
   * @param topic the raw-items topic
   * @param partition its partition
   * @param offset its offset
   * @param key the raw item's key ({@code sourceId/itemKey})
   */
  public record Lineage(String topic, int partition, long offset, String key) {}
}
