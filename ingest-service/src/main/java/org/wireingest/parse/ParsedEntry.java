package org.wireingest.parse;

import java.time.Instant;
import java.util.List;

/**
 * One feed entry (RSS {@code <item>}, Atom {@code <entry>}) exactly as the feed gave it, with no
 * normalisation applied beyond trimming. Immutable; serialised as-is (Jackson) into the {@code
 * entry} field of a raw wire item, so every field name here is part of the raw-items schema.
 *
 * @param guid RSS {@code <guid>} / Atom {@code <id>} / RDF {@code rdf:about}, trimmed; null when
 *     absent or blank
 * @param guidIsPermaLink the RSS 2.0 {@code isPermaLink} attribute; null when not stated or not RSS
 * @param title entry title as text (entities decoded, markup kept as given); null when absent
 * @param link the entry's primary link (RSS {@code <link>}, Atom {@code rel="alternate"}), absolute
 *     when resolvable; null when absent
 * @param links every link of the entry, primary first; never null
 * @param descriptionHtml RSS {@code <description>} / Atom {@code <summary>}, HTML or text as given;
 *     null when absent
 * @param contentHtml RSS {@code content:encoded} / Atom {@code <content>}, joined when several;
 *     null when absent
 * @param authors authors / {@code dc:creator} / {@code <author>} values, in feed order; never null
 * @param categories categories / {@code dc:subject} values; never null
 * @param publishedRaw the publication date string as written in the feed; null when absent
 * @param published {@code publishedRaw} parsed to an instant (UTC), null when absent or unparseable
 * @param updatedRaw the update date string as written ({@code atom:updated}, {@code dc:modified});
 *     null when absent
 * @param updated {@code updatedRaw} parsed to an instant (UTC); null when absent or unparseable
 * @param enclosures RSS enclosures and Media RSS {@code media:content}/{@code media:thumbnail}, in
 *     document order, the members of a {@code media:group} marked with its {@link Enclosure#group};
 *     never null
 * @param language entry-level language ({@code dc:language}, {@code xml:lang}); null when not
 *     stated
 * @param rights entry-level rights / copyright; null when absent
 * @param origLink FeedBurner's {@code feedburner:origLink}: the story's own URL, where a feed
 *     served through FeedBurner gives a FeedBurner redirect ({@code feeds.example.com/~r/...}) as
 *     its {@code link}; absolute when resolvable, null when absent. Absent from raw items written
 *     before it was kept (2026-12)
 * @param baseUri the absolute http(s) URI that relative URLs in {@code contentHtml} and {@code
 *     descriptionHtml} are resolved against: the Atom {@code xml:base} (RFC 4287 §2, XML Base) in
 *     effect at the entry's {@code <content>}, else at its {@code <summary>}, else at the entry,
 *     resolved as RFC 3986 §5 says; null when none is in effect (then they are resolved against the
 *     entry's link, else the feed's), and always for RSS and JSON Feed. Absent from raw items
 *     written before it was kept (2026-12)
 */
public record ParsedEntry(
    String guid,
    Boolean guidIsPermaLink,
    String title,
    String link,
    List<String> links,
    String descriptionHtml,
    String contentHtml,
    List<String> authors,
    List<Category> categories,
    String publishedRaw,
    Instant published,
    String updatedRaw,
    Instant updated,
    List<Enclosure> enclosures,
    String language,
    String rights,
    String origLink,
    String baseUri) {

  /**
   * Copies the lists; a null list is empty.
   *
   * @throws IllegalArgumentException when a list holds a null element (no parser makes one; a raw
   *     item written by hand may): named, where {@link List#copyOf} threw a bare {@link
   *     NullPointerException}, which is all a dead letter of such a raw item could say
   */
  public ParsedEntry {
    links = copyOf("links", links);
    authors = copyOf("authors", authors);
    categories = copyOf("categories", categories);
    enclosures = copyOf("enclosures", enclosures);
  }

  private static <T> List<T> copyOf(String field, List<T> values) {
    if (values == null) {
      return List.of();
    }
    int i = 0;
    for (T value : values) {
      if (value == null) {
        throw new IllegalArgumentException(
            "entry." + field + "[" + i + "] is null: an entry's lists hold no nulls");
      }
      i++;
    }
    return List.copyOf(values);
  }

  /**
   * @param link the primary link; null when none
   * @param links every link, primary first; null for none
   * @return this entry with those links and every other field unchanged
   */
  public ParsedEntry withLinks(String link, List<String> links) {
    return copy(link, links, origLink);
  }

  /**
   * @param value the FeedBurner {@code origLink}; null when none
   * @return this entry with that {@code origLink} and every other field unchanged
   */
  public ParsedEntry withOrigLink(String value) {
    return copy(link, links, value);
  }

  /** This entry with the given link fields; the one place a copy names every field. */
  private ParsedEntry copy(String link, List<String> links, String origLink) {
    return new ParsedEntry(
        guid,
        guidIsPermaLink,
        title,
        link,
        links,
        descriptionHtml,
        contentHtml,
        authors,
        categories,
        publishedRaw,
        published,
        updatedRaw,
        updated,
        enclosures,
        language,
        rights,
        origLink,
        baseUri);
  }

  /**
   * A category of an entry: RSS {@code <category domain="">}, Atom {@code <category term scheme
   * label>}, or {@code dc:subject}.
   *
   * @param term the category value; never null
   * @param scheme RSS {@code domain} / Atom {@code scheme}; null when absent
   * @param label Atom {@code label}; null when absent
   */
  public record Category(String term, String scheme, String label) {}

  /**
   * A media object attached to an entry (RSS 2.0 {@code <enclosure>}, Media RSS {@code
   * media:content} / {@code media:thumbnail}), or one rendition of one: the members of a Media RSS
   * {@code <media:group>} are one content in several representations (Media RSS 1.5.1, {@code
   * media:group}), so they share a {@code group}.
   *
   * @param url absolute URL of the media; never null
   * @param type MIME type as given; null when absent
   * @param length size in bytes; null when absent or not a number
   * @param medium Media RSS {@code medium} (image, video, audio, ...) or "thumbnail"; null when
   *     unknown
   * @param width pixels; null when absent or not a number
   * @param height pixels; null when absent or not a number
   * @param title caption / title / {@code media:description}, a group member's own or else its
   *     group's (Media RSS: an element of a {@code media:content} overrides its group's); null when
   *     absent
   * @param source which element it came from: {@code enclosure}, {@code media:content}, {@code
   *     media:thumbnail}
   * @param group for a {@code media:content} or {@code media:thumbnail} inside a {@code
   *     <media:group>} (directly or in a member's metadata): which of the entry's groups, 1 for the
   *     first, in document order; null outside a group. Absent from raw items written before groups
   *     were kept (2026-12), which are read as ungrouped
   * @param groupDefault true for the member of a group marked {@code isDefault="true"} (Media RSS:
   *     the object to use for the group); null otherwise
   */
  public record Enclosure(
      String url,
      String type,
      Long length,
      String medium,
      Integer width,
      Integer height,
      String title,
      String source,
      Integer group,
      Boolean groupDefault) {

    /**
     * An enclosure outside any {@code <media:group>}: {@code group} and {@code groupDefault} null.
     *
     * @see #Enclosure(String, String, Long, String, Integer, Integer, String, String, Integer,
     *     Boolean)
     */
    public Enclosure(
        String url,
        String type,
        Long length,
        String medium,
        Integer width,
        Integer height,
        String title,
        String source) {
      this(url, type, length, medium, width, height, title, source, null, null);
    }
  }
}
