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
    return toBuilder().version(version).changeType(changeType).build();
  }

  /**
   * @param firstCreated when the story was first created (UTC)
   * @return a copy with {@code firstCreated} replaced
   */
  public ArticleEvent withFirstCreated(Instant firstCreated) {
    return toBuilder().firstCreated(firstCreated).build();
  }

  /**
   * @param fingerprint SHA-256 (hex) of the editorial content
   * @return a copy with {@code fingerprint} replaced
   */
  public ArticleEvent withFingerprint(String fingerprint) {
    return toBuilder().fingerprint(fingerprint).build();
  }

  /**
   * @param versionCreated this version's time (UTC); null for none
   * @return a copy with {@code versionCreated} replaced
   */
  public ArticleEvent withVersionCreated(Instant versionCreated) {
    return toBuilder().versionCreated(versionCreated).build();
  }

  /**
   * @param ingestedAt when the normalizer produced the event (UTC)
   * @param lineage the raw item the event was derived from
   * @return a copy with {@code ingestedAt} and {@code lineage} replaced
   */
  public ArticleEvent withIngestion(Instant ingestedAt, Lineage lineage) {
    return toBuilder().ingestedAt(ingestedAt).lineage(lineage).build();
  }

  /**
   * @param cluster the story's near-duplicate cluster; null for none
   * @return a copy with {@code cluster} replaced
   */
  public ArticleEvent withCluster(Cluster cluster) {
    return toBuilder().cluster(cluster).build();
  }

  /**
   * @param changedFields the fields that differ from the version before ({@link #changedFields});
   *     null for unknown or none
   * @return a copy with {@code changedFields} replaced
   */
  public ArticleEvent withChangedFields(List<String> changedFields) {
    return toBuilder().changedFields(changedFields).build();
  }

  /**
   * @return a builder holding this event's fields, to make an event that differs in some of them
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * An event's fields, copied to be changed: each setter replaces one field (same name, same
   * meaning as the record component), and {@link #build} makes the event. Not thread-safe.
   */
  public static final class Builder {
    private String uri;
    private int version;
    private String changeType;
    private String pubStatus;
    private String type;
    private Instant versionCreated;
    private Instant firstCreated;
    private String language;
    private String headline;
    private String byline;
    private String summary;
    private String bodyText;
    private String bodyHtml;
    private List<Subject> subjects;
    private List<Association> associations;
    private String url;
    private String originalUrl;
    private String fingerprint;
    private Source source;
    private Instant ingestedAt;
    private Lineage lineage;
    private List<String> warnings;
    private Cluster cluster;
    private List<String> changedFields;

    private Builder(ArticleEvent event) {
      uri = event.uri;
      version = event.version;
      changeType = event.changeType;
      pubStatus = event.pubStatus;
      type = event.type;
      versionCreated = event.versionCreated;
      firstCreated = event.firstCreated;
      language = event.language;
      headline = event.headline;
      byline = event.byline;
      summary = event.summary;
      bodyText = event.bodyText;
      bodyHtml = event.bodyHtml;
      subjects = event.subjects;
      associations = event.associations;
      url = event.url;
      originalUrl = event.originalUrl;
      fingerprint = event.fingerprint;
      source = event.source;
      ingestedAt = event.ingestedAt;
      lineage = event.lineage;
      warnings = event.warnings;
      cluster = event.cluster;
      changedFields = event.changedFields;
    }

    /**
     * @param uri see {@link ArticleEvent#uri}
     * @return this builder
     */
    public Builder uri(String uri) {
      this.uri = uri;
      return this;
    }

    /**
     * @param version see {@link ArticleEvent#version}
     * @return this builder
     */
    public Builder version(int version) {
      this.version = version;
      return this;
    }

    /**
     * @param changeType see {@link ArticleEvent#changeType}
     * @return this builder
     */
    public Builder changeType(String changeType) {
      this.changeType = changeType;
      return this;
    }

    /**
     * @param pubStatus see {@link ArticleEvent#pubStatus}
     * @return this builder
     */
    public Builder pubStatus(String pubStatus) {
      this.pubStatus = pubStatus;
      return this;
    }

    /**
     * @param type see {@link ArticleEvent#type}
     * @return this builder
     */
    public Builder type(String type) {
      this.type = type;
      return this;
    }

    /**
     * @param versionCreated see {@link ArticleEvent#versionCreated}
     * @return this builder
     */
    public Builder versionCreated(Instant versionCreated) {
      this.versionCreated = versionCreated;
      return this;
    }

    /**
     * @param firstCreated see {@link ArticleEvent#firstCreated}
     * @return this builder
     */
    public Builder firstCreated(Instant firstCreated) {
      this.firstCreated = firstCreated;
      return this;
    }

    /**
     * @param language see {@link ArticleEvent#language}
     * @return this builder
     */
    public Builder language(String language) {
      this.language = language;
      return this;
    }

    /**
     * @param headline see {@link ArticleEvent#headline}
     * @return this builder
     */
    public Builder headline(String headline) {
      this.headline = headline;
      return this;
    }

    /**
     * @param byline see {@link ArticleEvent#byline}
     * @return this builder
     */
    public Builder byline(String byline) {
      this.byline = byline;
      return this;
    }

    /**
     * @param summary see {@link ArticleEvent#summary}
     * @return this builder
     */
    public Builder summary(String summary) {
      this.summary = summary;
      return this;
    }

    /**
     * @param bodyText see {@link ArticleEvent#bodyText}
     * @return this builder
     */
    public Builder bodyText(String bodyText) {
      this.bodyText = bodyText;
      return this;
    }

    /**
     * @param bodyHtml see {@link ArticleEvent#bodyHtml}
     * @return this builder
     */
    public Builder bodyHtml(String bodyHtml) {
      this.bodyHtml = bodyHtml;
      return this;
    }

    /**
     * @param subjects see {@link ArticleEvent#subjects}
     * @return this builder
     */
    public Builder subjects(List<Subject> subjects) {
      this.subjects = subjects;
      return this;
    }

    /**
     * @param associations see {@link ArticleEvent#associations}
     * @return this builder
     */
    public Builder associations(List<Association> associations) {
      this.associations = associations;
      return this;
    }

    /**
     * @param url see {@link ArticleEvent#url}
     * @return this builder
     */
    public Builder url(String url) {
      this.url = url;
      return this;
    }

    /**
     * @param originalUrl see {@link ArticleEvent#originalUrl}
     * @return this builder
     */
    public Builder originalUrl(String originalUrl) {
      this.originalUrl = originalUrl;
      return this;
    }

    /**
     * @param fingerprint see {@link ArticleEvent#fingerprint}
     * @return this builder
     */
    public Builder fingerprint(String fingerprint) {
      this.fingerprint = fingerprint;
      return this;
    }

    /**
     * @param source see {@link ArticleEvent#source}
     * @return this builder
     */
    public Builder source(Source source) {
      this.source = source;
      return this;
    }

    /**
     * @param ingestedAt see {@link ArticleEvent#ingestedAt}
     * @return this builder
     */
    public Builder ingestedAt(Instant ingestedAt) {
      this.ingestedAt = ingestedAt;
      return this;
    }

    /**
     * @param lineage see {@link ArticleEvent#lineage}
     * @return this builder
     */
    public Builder lineage(Lineage lineage) {
      this.lineage = lineage;
      return this;
    }

    /**
     * @param warnings see {@link ArticleEvent#warnings}
     * @return this builder
     */
    public Builder warnings(List<String> warnings) {
      this.warnings = warnings;
      return this;
    }

    /**
     * @param cluster see {@link ArticleEvent#cluster}
     * @return this builder
     */
    public Builder cluster(Cluster cluster) {
      this.cluster = cluster;
      return this;
    }

    /**
     * @param changedFields see {@link ArticleEvent#changedFields}
     * @return this builder
     */
    public Builder changedFields(List<String> changedFields) {
      this.changedFields = changedFields;
      return this;
    }

    /**
     * @return the event with the fields set so far
     */
    public ArticleEvent build() {
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
