package org.wireingest.parse;

import com.rometools.modules.mediarss.MediaEntryModule;
import com.rometools.modules.mediarss.MediaModule;
import com.rometools.modules.mediarss.types.MediaContent;
import com.rometools.modules.mediarss.types.MediaGroup;
import com.rometools.modules.mediarss.types.Metadata;
import com.rometools.modules.mediarss.types.Thumbnail;
import com.rometools.modules.mediarss.types.UrlReference;
import com.rometools.rome.feed.WireFeed;
import com.rometools.rome.feed.atom.Entry;
import com.rometools.rome.feed.atom.Feed;
import com.rometools.rome.feed.atom.Link;
import com.rometools.rome.feed.module.DCModule;
import com.rometools.rome.feed.module.DCSubject;
import com.rometools.rome.feed.rss.Channel;
import com.rometools.rome.feed.rss.Item;
import com.rometools.rome.feed.synd.SyndCategory;
import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEnclosure;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndLink;
import com.rometools.rome.feed.synd.SyndPerson;
import com.rometools.rome.io.impl.DateParser;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.Namespace;
import org.wireingest.parse.ParsedEntry.Category;
import org.wireingest.parse.ParsedEntry.Enclosure;
import org.wireingest.text.UriReferences;

/**
 * Maps what Rome read (the wire feed, its {@link SyndFeed} view) and the JDOM elements it read it
 * from into {@link ParsedFeed}. The JDOM elements supply what Rome does not keep: date strings as
 * written, the {@code isPermaLink} attribute, enclosure lengths that are not numbers.
 */
final class FeedMapper {

  private static final String DC_URI = "http://purl.org/dc/elements/1.1/";
  private static final String DCTERMS_URI = "http://purl.org/dc/terms/";
  static final String ATOM_10_URI = "http://www.w3.org/2005/Atom";
  static final String ATOM_03_URI = "http://purl.org/atom/ns#";

  /** The Media RSS namespace, with or without its trailing slash. */
  private static final String RSS_10 = "rss_1.0";

  private final Warnings warnings;
  private final String feedType;
  private final String feedLink;

  /**
   * The offset the document's own dates state ({@link #documentOffset}), for entry dates that state
   * none; null when it has none.
   */
  private final ZoneOffset documentOffset;

  private FeedMapper(
      Warnings warnings, String feedType, String feedLink, ZoneOffset documentOffset) {
    this.warnings = warnings;
    this.feedType = feedType;
    this.feedLink = feedLink;
    this.documentOffset = documentOffset;
  }

  /**
   * @param wireFeed what Rome read from {@code document}
   * @param feed Rome's {@link SyndFeed} view of {@code wireFeed}, built with the wire entries
   *     preserved
   */
  static ParsedFeed map(
      Document document, WireFeed wireFeed, SyndFeed feed, Charset charset, Warnings warnings) {
    Element root = document.getRootElement();
    FeedMapper mapper =
        new FeedMapper(
            warnings, feed.getFeedType(), feedLink(feed, wireFeed), documentOffset(root));
    List<Element> elements = entryElements(root);
    List<SyndEntry> entries = feed.getEntries();
    boolean paired = elements.size() == entries.size();
    if (!paired) {
      warnings.add(
          "entry-count-mismatch",
          "Rome read "
              + entries.size()
              + " entries, the document has "
              + elements.size()
              + "; raw dates unavailable");
    }
    List<ParsedEntry> parsed = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      parsed.add(mapper.entry(entries.get(i), paired ? elements.get(i) : null));
    }
    String language = trimmed(feed.getLanguage());
    return new ParsedFeed(
        feed.getFeedType(),
        charset.name(),
        trimmed(feed.getTitle()),
        mapper.feedLink,
        language != null ? language : xmlLang(root),
        wireFeed instanceof Channel ? mapper.ttl((Channel) wireFeed, root) : null,
        parsed,
        warnings.list());
  }

  /**
   * The feed's home page: for Atom the first {@code rel="alternate"} link, never {@code
   * rel="self"}.
   */
  private static String feedLink(SyndFeed feed, WireFeed wireFeed) {
    if (wireFeed instanceof Feed) {
      for (Link link : ((Feed) wireFeed).getAlternateLinks()) {
        if (trimmed(link.getHref()) != null) {
          return trimmed(link.getHrefResolved() != null ? link.getHrefResolved() : link.getHref());
        }
      }
    }
    return trimmed(feed.getLink());
  }

  private ParsedEntry entry(SyndEntry entry, Element element) {
    Object wire = entry.getWireEntry();
    String link = resolve(entry.getLink());
    DCModule dc = (DCModule) entry.getModule(DCModule.URI);
    String publishedRaw = element == null ? null : firstChildText(element, publishedNames(element));
    String updatedRaw = element == null ? null : firstChildText(element, UPDATED_NAMES);
    return new ParsedEntry(
        guid(wire),
        element == null ? null : isPermaLink(element),
        trimmed(entry.getTitle()),
        link,
        links(link, entry.getLinks()),
        entry.getDescription() == null ? null : trimmed(entry.getDescription().getValue()),
        contents(entry.getContents()),
        authors(entry, dc),
        categories(entry, wire, dc),
        publishedRaw,
        element == null ? instant(entry.getPublishedDate()) : date(publishedRaw),
        updatedRaw,
        element == null ? instant(entry.getUpdatedDate()) : date(updatedRaw),
        enclosures(entry, element),
        language(dc, element),
        rights(dc, wire),
        element == null ? null : resolve(firstChildText(element, ORIG_LINK_NAMES)),
        element == null ? null : htmlBase(element));
  }

  /**
   * The {@code xml:base} in effect at the entry's Atom {@code <content>}, else its {@code
   * <summary>}, else the entry ({@link XmlBase#of}), resolved against the feed's link when it is
   * relative.
   *
   * @return an absolute URI; null for an entry that is not Atom's, when no {@code xml:base} is in
   *     effect, or when it stays relative
   */
  private String htmlBase(Element entry) {
    if (!isAtom(entry)) {
      return null;
    }
    Element at = entry.getChild("content", entry.getNamespace());
    if (at == null) {
      at = entry.getChild("summary", entry.getNamespace());
    }
    return absoluteBase(at != null ? at : entry);
  }

  /**
   * The {@code xml:base} in effect at an element of an Atom document ({@link XmlBase#of}), resolved
   * against the feed's link when it is relative.
   *
   * @return an absolute URI; null when no {@code xml:base} is in effect, or when it stays relative
   */
  private String absoluteBase(Element element) {
    String base = resolve(XmlBase.of(element));
    try {
      return base != null && new URI(base).isAbsolute() ? base : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /**
   * A media URL made absolute against {@code base}, the Atom {@code xml:base} in effect at its
   * entry, when there is one; else against the feed's link ({@link #resolve}).
   */
  private String resolveMedia(String base, String url) {
    return base == null ? resolve(url) : UriReferences.absolute(base, trimmed(url));
  }

  /**
   * RSS {@code <guid>}, RDF {@code rdf:about}, Atom {@code <id>}. Never Rome's fallback to the
   * link: Rome's RSS 2.0 parser fills {@code Item.uri} with the link when there is no guid, so the
   * item URI is used only for RSS 1.0, where it is {@code rdf:about}.
   */
  private String guid(Object wire) {
    if (wire instanceof Item) {
      Item item = (Item) wire;
      if (item.getGuid() != null) {
        return trimmed(item.getGuid().getValue());
      }
      return RSS_10.equals(feedType) ? trimmed(item.getUri()) : null;
    }
    if (wire instanceof Entry) {
      return trimmed(((Entry) wire).getId());
    }
    return null;
  }

  private static Boolean isPermaLink(Element element) {
    Element guid = element.getChild("guid", element.getNamespace());
    String value = guid == null ? null : trimmed(guid.getAttributeValue("isPermaLink"));
    if (value == null) {
      return null;
    }
    return value.equalsIgnoreCase("true")
        ? Boolean.TRUE
        : value.equalsIgnoreCase("false") ? Boolean.FALSE : null;
  }

  private List<String> links(String primary, List<SyndLink> links) {
    Set<String> all = new LinkedHashSet<>();
    if (primary != null) {
      all.add(primary);
    }
    for (SyndLink l : links) {
      String href = resolve(l.getHref());
      if (href != null) {
        all.add(href);
      }
    }
    return List.copyOf(all);
  }

  private static String contents(List<SyndContent> contents) {
    String joined =
        contents.stream()
            .map(c -> trimmed(c.getValue()))
            .filter(v -> v != null)
            .collect(Collectors.joining("\n"));
    return joined.isEmpty() ? null : joined;
  }

  private static List<String> authors(SyndEntry entry, DCModule dc) {
    Set<String> names = new LinkedHashSet<>();
    for (SyndPerson person : entry.getAuthors()) {
      String name = trimmed(person.getName());
      addIfPresent(names, name != null ? name : person.getEmail());
    }
    addIfPresent(names, entry.getAuthor());
    if (dc != null) {
      dc.getCreators().forEach(c -> addIfPresent(names, c));
    }
    return List.copyOf(names);
  }

  /** Atom categories keep their label; then RSS categories (Rome's view) and {@code dc:subject}. */
  private static List<Category> categories(SyndEntry entry, Object wire, DCModule dc) {
    Set<Category> categories = new LinkedHashSet<>();
    Set<List<String>> seen = new LinkedHashSet<>();
    if (wire instanceof Entry) {
      for (com.rometools.rome.feed.atom.Category c : ((Entry) wire).getCategories()) {
        String term = trimmed(c.getTerm());
        if (term != null && seen.add(List.of(term, String.valueOf(trimmed(c.getScheme()))))) {
          categories.add(new Category(term, trimmed(c.getScheme()), trimmed(c.getLabel())));
        }
      }
    }
    for (SyndCategory c : entry.getCategories()) {
      String term = trimmed(c.getName());
      if (term != null && seen.add(List.of(term, String.valueOf(trimmed(c.getTaxonomyUri()))))) {
        categories.add(new Category(term, trimmed(c.getTaxonomyUri()), null));
      }
    }
    for (DCSubject subject : dc == null ? List.<DCSubject>of() : dc.getSubjects()) {
      String term = trimmed(subject.getValue());
      if (term != null
          && seen.add(List.of(term, String.valueOf(trimmed(subject.getTaxonomyUri()))))) {
        categories.add(new Category(term, trimmed(subject.getTaxonomyUri()), null));
      }
    }
    return List.copyOf(categories);
  }

  private List<Enclosure> enclosures(SyndEntry entry, Element element) {
    Set<Enclosure> enclosures = new LinkedHashSet<>();
    if (element != null && !isAtom(element)) {
      for (Element e : element.getChildren("enclosure", element.getNamespace())) {
        String url =
            resolve(
                MediaUrls.readable(e.getAttributeValue("url"), "enclosure url", warnings)
                    .orElse(null));
        if (url != null) {
          Long length = number(e.getAttributeValue("length"), "enclosure length");
          enclosures.add(
              new Enclosure(
                  url,
                  trimmed(e.getAttributeValue("type")),
                  length,
                  null,
                  null,
                  null,
                  null,
                  "enclosure"));
        }
      }
    } else {
      for (SyndEnclosure e : entry.getEnclosures()) {
        String url =
            resolve(MediaUrls.readable(e.getUrl(), "enclosure url", warnings).orElse(null));
        if (url != null) {
          Long length = e.getLength() > 0 ? e.getLength() : null;
          enclosures.add(
              new Enclosure(
                  url, trimmed(e.getType()), length, null, null, null, null, "enclosure"));
        }
      }
    }
    if (entry.getModule(MediaModule.URI) instanceof MediaEntryModule) {
      // Media RSS elements are foreign markup that XmlBase does not rewrite: the xml:base in effect
      // at an Atom entry applies to their relative URLs as to its links (RFC 4287 section 2)
      String base = element != null && isAtom(element) ? absoluteBase(element) : null;
      MediaEntryModule media = (MediaEntryModule) entry.getModule(MediaModule.URI);
      for (MediaContent content : media.getMediaContents()) {
        addMediaContent(enclosures, content, null, null, base);
      }
      int group = 0;
      for (MediaGroup mediaGroup : media.getMediaGroups()) {
        group++;
        String groupCaption = caption(mediaGroup.getMetadata());
        for (MediaContent content : mediaGroup.getContents()) {
          addMediaContent(enclosures, content, group, groupCaption, base);
        }
        addThumbnails(enclosures, mediaGroup.getMetadata(), group, base);
      }
      addThumbnails(enclosures, media.getMetadata(), null, base);
    }
    return List.copyOf(enclosures);
  }

  /**
   * Adds a {@code media:content} and its thumbnails.
   *
   * @param group the 1-based index of its {@code media:group} in the entry; null outside one
   * @param groupCaption its group's {@link #caption}, taken when it has none of its own; null when
   *     none or outside a group
   * @param base the absolute Atom {@code xml:base} in effect at the entry; null for none
   */
  private void addMediaContent(
      Set<Enclosure> enclosures,
      MediaContent content,
      Integer group,
      String groupCaption,
      String base) {
    if (content.getReference() instanceof UrlReference) {
      URI uri = ((UrlReference) content.getReference()).getUrl();
      String url = uri == null ? null : resolveMedia(base, uri.toString());
      if (url != null) {
        String caption = caption(content.getMetadata());
        enclosures.add(
            new Enclosure(
                url,
                trimmed(content.getType()),
                content.getFileSize(),
                trimmed(content.getMedium()),
                content.getWidth(),
                content.getHeight(),
                caption != null ? caption : groupCaption,
                "media:content",
                group,
                group != null && content.isDefaultContent() ? Boolean.TRUE : null));
      }
    }
    addThumbnails(enclosures, content.getMetadata(), group, base);
  }

  /**
   * @param group the 1-based index of the {@code media:group} the metadata belongs to; null outside
   *     one
   * @param base the absolute Atom {@code xml:base} in effect at the entry; null for none
   */
  private void addThumbnails(
      Set<Enclosure> enclosures, Metadata metadata, Integer group, String base) {
    if (metadata == null) {
      return;
    }
    for (Thumbnail thumbnail : metadata.getThumbnail()) {
      String url =
          thumbnail.getUrl() == null ? null : resolveMedia(base, thumbnail.getUrl().toString());
      if (url != null) {
        enclosures.add(
            new Enclosure(
                url,
                null,
                null,
                "thumbnail",
                thumbnail.getWidth(),
                thumbnail.getHeight(),
                null,
                "media:thumbnail",
                group,
                null));
      }
    }
  }

  private static String caption(Metadata metadata) {
    if (metadata == null) {
      return null;
    }
    String title = trimmed(metadata.getTitle());
    return title != null ? title : trimmed(metadata.getDescription());
  }

  private static String language(DCModule dc, Element element) {
    String language = dc == null ? null : trimmed(dc.getLanguage());
    return language != null || element == null ? language : xmlLang(element);
  }

  private static String rights(DCModule dc, Object wire) {
    String rights = dc == null ? null : trimmed(dc.getRights());
    if (rights == null && wire instanceof Entry) {
      rights = trimmed(((Entry) wire).getRights());
    }
    return rights;
  }

  /**
   * RSS {@code <ttl>} in minutes as Rome read it; a {@code bad-number} warning when Rome could not.
   */
  private Integer ttl(Channel channel, Element root) {
    if (channel.getTtl() > 0) {
      return channel.getTtl();
    }
    Element channelElement = root.getChild("channel", root.getNamespace());
    String raw =
        channelElement == null
            ? null
            : trimmed(channelElement.getChildText("ttl", root.getNamespace()));
    if (raw != null) {
      warnings.add("bad-number", "ttl '" + raw + "'");
    }
    return null;
  }

  /**
   * The date as an instant: Rome's parse first ({@link StrictDates} gives Rome's result for the
   * common shapes without Rome's cost), then {@link FeedDates}; a warning when neither reads it.
   * Rome is not asked when its lenient reading would not be the date written, and the string goes
   * to {@link FeedDates} (java.time) instead:
   *
   * <ul>
   *   <li>a field out of range ({@link StrictDates#fieldsInRange}): Rome rolls {@code 31 Nov} over
   *       to 1 December, and {@link FeedDates} does not read such a date, so an impossible date
   *       gives null and an {@code unparseable-date} warning;
   *   <li>a fraction of a second other than three digits after a dot ({@link
   *       StrictDates#fractionReadAsWritten}): Rome reads {@code .123456} as 123456 ms and {@code
   *       .5} as 5 ms; {@link FeedDates} reads it exactly, to the nanosecond (RFC 3339 {@code
   *       time-secfrac}, digits past the ninth dropped).
   * </ul>
   */
  private Instant date(String raw) {
    if (raw == null) {
      return null;
    }
    Instant common = StrictDates.parse(raw);
    if (common != null) {
      // every shape StrictDates reads states its zone (Z, GMT, ±HHMM, ±HH:MM): nothing to shift,
      // and this is the path of nearly every entry date, so the zone is not looked for again
      return common;
    }
    if (StrictDates.fieldsInRange(raw) && StrictDates.fractionReadAsWritten(raw)) {
      Date rome = DateParser.parseDate(raw, Locale.US);
      if (rome != null) {
        return inDocumentOffset(raw, rome.toInstant());
      }
    }
    Instant instant = FeedDates.parse(raw).orElse(null);
    if (instant == null) {
      warnings.add("unparseable-date", raw);
    }
    return inDocumentOffset(raw, instant);
  }

  /**
   * An entry date that states no zone ({@code Sat, Dec 16 2023 02:02:33 PM} in NBC New York's feed,
   * whose channel {@code pubDate} says {@code -0500}) is the publisher's local time, not UTC: it is
   * read in the offset the document's own dates state ({@link #documentOffset}). Without one it
   * stays UTC, as {@link FeedDates} reads it.
   *
   * <p>Limit: that offset is fixed, the one the channel date states, and no region zone is known (a
   * feed names none, and the feeds list has no zone setting), so daylight saving time is not
   * followed: in a feed whose channel date says {@code -0500} (New York in winter), an entry date
   * without zone from the summer (when New York is {@code -0400}) is read an hour late. Entries of
   * one document are mostly close to its channel date, so this touches the entries around a DST
   * change; a named zone in the entry date itself ({@code EDT}) is read as stated.
   */
  private Instant inDocumentOffset(String raw, Instant readAsUtc) {
    if (readAsUtc == null
        || documentOffset == null
        || documentOffset.getTotalSeconds() == 0
        || !FeedDates.statesNoZone(raw)
        || !readAsUtc.equals(FeedDates.parse(raw).orElse(null))) {
      return readAsUtc;
    }
    return readAsUtc.minusSeconds(documentOffset.getTotalSeconds());
  }

  /**
   * The offset the document states in its own dates: RSS {@code <channel>}'s {@code pubDate}, then
   * {@code lastBuildDate}, then {@code dc:date}; Atom {@code <feed>}'s {@code updated}. The first
   * that states a zone gives it; null when none does. A publisher writes its feed's dates in one
   * zone, so this is the zone of its entry dates that forget to say it.
   */
  private static ZoneOffset documentOffset(Element root) {
    Element container = isAtom(root) ? root : null;
    for (Element child : root.getChildren()) {
      if (container == null && child.getName().equals("channel")) {
        container = child;
      }
    }
    if (container == null) {
      return null;
    }
    String own = container.getNamespaceURI();
    List<QName> names =
        List.of(
            new QName(own, "pubDate"),
            new QName(own, "lastBuildDate"),
            new QName(DC_URI, "date"),
            new QName(ATOM_10_URI, "updated"),
            new QName(ATOM_03_URI, "modified"));
    for (QName name : names) {
      String text = firstChildText(container, List.of(name));
      Optional<ZoneOffset> offset = FeedDates.statedOffset(text);
      if (offset.isPresent()) {
        return offset.get();
      }
    }
    return null;
  }

  private Long number(String raw, String what) {
    String value = trimmed(raw);
    if (value == null) {
      return null;
    }
    Long n = wholeNumber(value);
    if (n == null) {
      warnings.add("bad-number", what + " '" + value + "'");
    }
    return n;
  }

  /**
   * A whole number of at least 0, as {@link Long#parseLong(String)} reads it (an optional sign,
   * ASCII or other Unicode digits, no white space), for sizes and lengths a feed gives.
   *
   * @param value the text, not null
   * @return the number, or null when the text is not one, is negative or is past 2<sup>63</sup>-1
   */
  static Long wholeNumber(String value) {
    try {
      long n = Long.parseLong(value);
      return n >= 0 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The link made absolute against the feed's link when it is relative (RFC 3986 §5, {@link
   * UriReferences#absolute}); trimmed, and as given when it cannot be.
   */
  private String resolve(String link) {
    return UriReferences.absolute(feedLink, trimmed(link));
  }

  /**
   * Detaches the entry date elements this mapper reads as raw strings (and parses itself) from the
   * document, so that Rome does not parse them a first time for nothing: Rome's {@code DateParser}
   * builds a {@code SimpleDateFormat} per mask per call and was the largest single cost of parsing.
   * Rome's entry dates are only used for entries that cannot be paired with their element, so a
   * caller that finds Rome's entry count differing from {@link DetachedDates#entryCount()} restores
   * the dates and lets Rome read the document again.
   *
   * @param root the feed's root element; changed until {@link DetachedDates#restore()}
   * @return the detached elements, to put back after Rome has read the document
   */
  static DetachedDates detachEntryDates(Element root) {
    List<Element> entries = entryElements(root);
    List<Detached> detached = new ArrayList<>();
    for (Element entry : entries) {
      List<QName> names = new ArrayList<>(publishedNames(entry));
      names.addAll(UPDATED_NAMES);
      List<Element> children = entry.getChildren();
      for (Element child : children) {
        if (names.contains(new QName(child.getNamespaceURI(), child.getName()))) {
          detached.add(new Detached(entry, entry.indexOf(child), child));
        }
      }
    }
    for (int i = detached.size() - 1; i >= 0; i--) {
      detached.get(i).child().detach();
    }
    return new DetachedDates(entries.size(), detached);
  }

  private record Detached(Element parent, int index, Element child) {}

  /** Entry date elements taken out of a document by {@link #detachEntryDates(Element)}. */
  static final class DetachedDates {
    private final int entryCount;
    private final List<Detached> detached;

    private DetachedDates(int entryCount, List<Detached> detached) {
      this.entryCount = entryCount;
      this.detached = detached;
    }

    /**
     * @return how many entry elements the document has (what Rome's entry count must equal)
     */
    int entryCount() {
      return entryCount;
    }

    /** Puts every detached element back where it was, in document order. */
    void restore() {
      for (Detached d : detached) {
        d.parent().addContent(d.index(), d.child());
      }
    }
  }

  static List<Element> entryElements(Element root) {
    List<Element> elements = new ArrayList<>();
    for (Element child : root.getChildren()) {
      if (child.getName().equals("item") || child.getName().equals("entry")) {
        elements.add(child);
      } else if (child.getName().equals("channel")) {
        child.getChildren().stream().filter(e -> e.getName().equals("item")).forEach(elements::add);
      }
    }
    return elements;
  }

  private static boolean isAtom(Element element) {
    String uri = element.getNamespaceURI();
    return uri.equals(ATOM_10_URI) || uri.equals(ATOM_03_URI);
  }

  /** Where the publication date is written, in order of preference. */
  private static List<QName> publishedNames(Element entry) {
    Namespace own = entry.getNamespace();
    return List.of(
        new QName(own.getURI(), "pubDate"),
        new QName(own.getURI(), "published"),
        new QName(ATOM_03_URI, "issued"),
        new QName(DC_URI, "date"),
        new QName(DCTERMS_URI, "issued"),
        new QName(DCTERMS_URI, "created"));
  }

  /** Where the update date is written, in order of preference. */
  private static final List<QName> UPDATED_NAMES =
      List.of(
          new QName(ATOM_10_URI, "updated"),
          new QName(ATOM_03_URI, "modified"),
          new QName(DCTERMS_URI, "modified"));

  /**
   * FeedBurner's {@code <feedburner:origLink>} (namespace {@code
   * http://rssnamespace.org/feedburner/ext/1.0}), which a feed served through FeedBurner (Reuters,
   * BreakingNews.ie) gives beside a {@code <link>} to a FeedBurner redirect.
   */
  private static final List<QName> ORIG_LINK_NAMES =
      List.of(new QName("http://rssnamespace.org/feedburner/ext/1.0", "origLink"));

  private record QName(String namespaceUri, String name) {}

  private static String firstChildText(Element element, List<QName> names) {
    for (QName name : names) {
      for (Element child : element.getChildren()) {
        if (child.getName().equals(name.name())
            && child.getNamespaceURI().equals(name.namespaceUri())) {
          String text = trimmed(child.getText());
          if (text != null) {
            return text;
          }
        }
      }
    }
    return null;
  }

  private static String xmlLang(Element element) {
    return trimmed(element.getAttributeValue("lang", Namespace.XML_NAMESPACE));
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }

  private static void addIfPresent(Set<String> values, String value) {
    String v = trimmed(value);
    if (v != null) {
      values.add(v);
    }
  }

  /**
   * @return the value without white space at its ends; null for null, empty or blank
   */
  static String trimmed(String value) {
    if (value == null) {
      return null;
    }
    String v = value.strip();
    return v.isEmpty() ? null : v;
  }
}
