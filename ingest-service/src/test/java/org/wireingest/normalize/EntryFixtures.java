package org.wireingest.normalize;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.ParsedEntry;

/** Builds the parsed entries and raw items the normalize and dedup tests feed in. */
public final class EntryFixtures {

  private EntryFixtures() {}

  /**
   * @return a builder of an entry with nothing set
   */
  public static EntryBuilder entry() {
    return new EntryBuilder();
  }

  /** A fluent builder of {@link ParsedEntry}; unset fields stay null or empty. */
  public static final class EntryBuilder {
    private String guid;
    private String title;
    private String link;
    private String description;
    private String content;
    private final List<String> authors = new ArrayList<>();
    private final List<ParsedEntry.Category> categories = new ArrayList<>();
    private Instant published;
    private Instant updated;
    private final List<ParsedEntry.Enclosure> enclosures = new ArrayList<>();
    private String language;
    private String origLink;
    private String baseUri;

    public EntryBuilder guid(String value) {
      guid = value;
      return this;
    }

    public EntryBuilder title(String value) {
      title = value;
      return this;
    }

    public EntryBuilder link(String value) {
      link = value;
      return this;
    }

    public EntryBuilder description(String value) {
      description = value;
      return this;
    }

    public EntryBuilder content(String value) {
      content = value;
      return this;
    }

    public EntryBuilder author(String value) {
      authors.add(value);
      return this;
    }

    public EntryBuilder category(String term, String scheme) {
      categories.add(new ParsedEntry.Category(term, scheme, null));
      return this;
    }

    public EntryBuilder published(String iso) {
      published = Instant.parse(iso);
      return this;
    }

    public EntryBuilder updated(String iso) {
      updated = Instant.parse(iso);
      return this;
    }

    public EntryBuilder enclosure(String url, String type, String medium, String source) {
      enclosures.add(new ParsedEntry.Enclosure(url, type, null, medium, null, null, null, source));
      return this;
    }

    public EntryBuilder enclosure(ParsedEntry.Enclosure enclosure) {
      enclosures.add(enclosure);
      return this;
    }

    public EntryBuilder language(String value) {
      language = value;
      return this;
    }

    public EntryBuilder origLink(String value) {
      origLink = value;
      return this;
    }

    public EntryBuilder baseUri(String value) {
      baseUri = value;
      return this;
    }

    public ParsedEntry build() {
      return new ParsedEntry(
          guid,
          null,
          title,
          link,
          link == null ? List.of() : List.of(link),
          description,
          content,
          authors,
          categories,
          published == null ? null : published.toString(),
          published,
          updated == null ? null : updated.toString(),
          updated,
          enclosures,
          language,
          null,
          origLink,
          baseUri);
    }
  }

  /**
   * A raw item of source {@code trtworld-world} (agency {@code trtworld}) fetched at {@code
   * fetchedAt}.
   */
  public static RawWireItem rawItem(
      ParsedEntry entry,
      RawWireItem.Identity identity,
      String feedLanguage,
      String sourceLanguage,
      Instant fetchedAt) {
    RawWireItem.Source source =
        new RawWireItem.Source(
            "trtworld-world",
            "TRT World — World",
            "trtworld",
            "https://www.trtworld.com/feed/rss.xml",
            sourceLanguage,
            "auto");
    RawWireItem.Fetch fetch =
        new RawWireItem.Fetch(
            fetchedAt,
            "https://www.trtworld.com/feed/rss.xml",
            200,
            "\"abc\"",
            null,
            "application/rss+xml",
            "00");
    RawWireItem.Feed feed =
        new RawWireItem.Feed("rss_2.0", "TRT World", "https://www.trtworld.com", feedLanguage);
    return new RawWireItem(
        1,
        source,
        "0123456789abcdef0123456789abcdef",
        identity,
        fetch,
        feed,
        entry,
        "ff",
        fetchedAt.minusSeconds(30));
  }
}
