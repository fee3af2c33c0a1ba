package org.wireingest.parse;

import static org.wireingest.parse.FeedMapper.trimmed;
import static org.wireingest.parse.FeedMapper.wholeNumber;

import com.rometools.modules.base.io.CustomTagParser;
import com.rometools.modules.base.io.GoogleBaseParser;
import com.rometools.modules.cc.io.ModuleParserRSS1;
import com.rometools.modules.cc.io.ModuleParserRSS2;
import com.rometools.modules.content.io.ContentModuleParser;
import com.rometools.modules.feedpress.io.FeedpressParser;
import com.rometools.modules.fyyd.io.FyydParser;
import com.rometools.modules.georss.SimpleParser;
import com.rometools.modules.georss.W3CGeoParser;
import com.rometools.modules.itunes.io.ITunesParser;
import com.rometools.modules.itunes.io.ITunesParserOldNamespace;
import com.rometools.modules.mediarss.io.AlternateMediaModuleParser;
import com.rometools.modules.mediarss.io.MediaModuleParser;
import com.rometools.modules.opensearch.impl.OpenSearchModuleParser;
import com.rometools.modules.photocast.io.Parser;
import com.rometools.modules.psc.io.PodloveSimpleChapterParser;
import com.rometools.modules.slash.io.SlashModuleParser;
import com.rometools.modules.sle.io.ItemParser;
import com.rometools.modules.thr.io.ThreadingModuleParser;
import com.rometools.modules.yahooweather.io.WeatherModuleParser;
import com.rometools.rome.io.ModuleParser;
import com.rometools.rome.io.WireFeedInput;
import com.rometools.rome.io.impl.Base64;
import com.rometools.rome.io.impl.SyModuleParser;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdom2.Element;
import org.jdom2.filter.Filters;

/**
 * Prepares a feed's document for the module parsers Rome runs on the channel and on every entry
 * (the rome-modules jar registers about twenty), which throw on values they cannot read. A thrown
 * exception either failed the whole feed ({@code <slash:comments>many</slash:comments>}, a {@code
 * <georss:line>} of an odd count of numbers, a {@code <media:restriction>} without {@code
 * relationship}, a {@code <media:status>} or {@code <media:rights>} of an unknown value, a Media
 * RSS scene or location time that is no time: {@link WireFeedInput} gives up and the poll failed as
 * {@code unsupported-format}), or dropped the element with a 40- to 100-line stack trace in the log
 * at every poll (a {@code <media:content>} whose {@code width} is {@code auto}), or dropped more
 * than the element (an empty {@code <media:content/>} ended the reading of the entry's other {@code
 * media:content}s).
 *
 * <ul>
 *   <li>Elements of the modules this project reads nothing of ({@link #UNREAD_NAMESPACES}: slash,
 *       GeoRSS, W3C geo, iTunes, OpenSearch, Google Base, Creative Commons, Photocast, Simple List
 *       Extensions, Yahoo Weather, Podlove chapters, Atom threading, Feedpress, fyyd) are removed,
 *       wherever they are.
 *   <li>Media RSS ({@code http://search.yahoo.com/mrss/} and the same without its final slash)
 *       keeps, in entries, what the mapper reads: {@code content}, {@code group}, {@code
 *       thumbnail}, {@code title} and {@code description}; its other elements (metadata such as
 *       {@code restriction}, {@code rights}, {@code scenes}, {@code player}) and its channel-level
 *       elements are removed. A {@code content} or {@code thumbnail} without a {@code url} is
 *       removed with an {@code empty-element} warning. Its URL is percent-encoded where {@link URI}
 *       refuses it ({@link MediaUrls}); one it still refuses ({@code http://}) is removed with a
 *       {@code bad-field} warning. A {@code width} or {@code height} that is not a whole number up
 *       to 2<sup>31</sup>-1, or a {@code fileSize} that is not a whole number, is a {@code
 *       bad-number} warning, and is removed where Rome would throw on it (the field is then null,
 *       as Rome left it); a content's size written with white space at its ends is read without it;
 *       attributes the mapper does not read ({@code bitrate}, {@code framerate}, {@code
 *       samplingrate}, {@code channels}, {@code duration}, a thumbnail's {@code time}) are removed.
 *   <li>Rome's own parsers, and the content module's, also failed a feed on elements the mapper
 *       does not read: the syndication module's ({@code sy:updatePeriod} ...), {@code
 *       content:items} and an RSS channel's {@code skipHours}, {@code skipDays} and {@code cloud}
 *       are removed. An Atom 0.3 text construct of an unknown {@code mode} is read as {@code xml},
 *       one of mode {@code base64} whose text is not Base64 removed, each with a {@code bad-field}
 *       warning. A date element ({@code pubDate}, {@code dc:date}, {@code updated}, ...) whose text
 *       is longer than {@value #MAX_DATE_CHARS} characters is removed with an {@code
 *       unparseable-date} warning.
 * </ul>
 *
 * Nothing removed here reaches a {@link ParsedEntry}, so entries and their hashes are as before,
 * except where Rome used to lose more than the bad element.
 */
final class RomeInput {

  /**
   * The namespaces of the rome-modules parsers whose modules the mapper never reads (it reads
   * Dublin Core and Media RSS, and Rome's own content and Atom handling).
   */
  static final Set<String> UNREAD_NAMESPACES =
      Stream.of(
              new SlashModuleParser(),
              new SimpleParser(),
              new W3CGeoParser(),
              new ITunesParser(),
              new ITunesParserOldNamespace(),
              new OpenSearchModuleParser(),
              new GoogleBaseParser(),
              new CustomTagParser(),
              new ModuleParserRSS1(),
              new ModuleParserRSS2(),
              new Parser(),
              new ItemParser(),
              // the Simple List Extensions' channel-level parser, named as Rome's interface is
              new com.rometools.modules.sle.io.ModuleParser(),
              new WeatherModuleParser(),
              new PodloveSimpleChapterParser(),
              new ThreadingModuleParser(),
              new FeedpressParser(),
              new FyydParser(),
              // Rome's own, for RSS 1.0 and Atom: an unknown sy:updatePeriod failed the feed
              new SyModuleParser())
          .map(ModuleParser::getNamespaceUri)
          .collect(Collectors.toUnmodifiableSet());

  /**
   * The content module's namespace. Rome reads {@code content:encoded} itself; the module's parser
   * also reads {@code content:items}, which the mapper does not, and failed the feed on one that
   * lacks an {@code rdf:Bag}, {@code rdf:li} or {@code content:item} it expects.
   */
  private static final String CONTENT_NAMESPACE = new ContentModuleParser().getNamespaceUri();

  /**
   * The RSS channel elements Rome's parsers read strictly and the mapper does not: an hour of
   * {@code skipHours} or a {@code cloud} port that is not a number, or a {@code skipDays} day that
   * is not an English day name, failed the feed.
   */
  private static final Set<String> RSS_UNREAD_CHANNEL = Set.of("skipHours", "skipDays", "cloud");

  /**
   * The local names of the date elements Rome or the mapper parses (RSS, Atom 0.3 and 1.0, Dublin
   * Core and DC terms), in any namespace.
   */
  private static final Set<String> DATE_NAMES =
      Set.of(
          "pubDate",
          "lastBuildDate",
          "expirationDate",
          "date",
          "published",
          "updated",
          "issued",
          "created",
          "modified");

  /**
   * The longest date text parsed, in characters; real dates stay under 70 ({@code Wednesday, 16
   * December 2023 02:02:33 PM Eastern Standard Time}). Rome's date parser reads a long run of
   * digits in time growing with its square: a channel {@code pubDate} and {@code lastBuildDate} of
   * 500,000 digits each took 21 s, a 20 MiB one would take hours.
   */
  static final int MAX_DATE_CHARS = 200;

  /** The Atom 0.3 namespace. */
  private static final String ATOM_03_NAMESPACE = "http://purl.org/atom/ns#";

  /** The content modes of Atom 0.3; Rome fails the feed on any other. */
  private static final Set<String> ATOM_03_MODES = Set.of("xml", "escaped", "base64");

  /** The Media RSS namespaces whose elements the mapper reads (through Rome's module). */
  private static final Set<String> MEDIA_NAMESPACES =
      Set.of(
          new MediaModuleParser().getNamespaceUri(),
          new AlternateMediaModuleParser().getNamespaceUri());

  /** The Media RSS elements the mapper reads, in entries. */
  private static final Set<String> MEDIA_READ =
      Set.of("content", "group", "thumbnail", "title", "description");

  /** Media RSS attributes Rome parses strictly and the mapper does not read. */
  private static final List<String> MEDIA_UNREAD_ATTRIBUTES =
      List.of("bitrate", "framerate", "samplingrate", "channels", "duration", "time");

  /** Rome's rule for a {@code fileSize} with a unit ({@code 2.1MB}). */
  private static final Pattern FILE_SIZE_WITH_UNIT =
      Pattern.compile("([\\d,.]+)([TGMK])?B", Pattern.CASE_INSENSITIVE);

  private RomeInput() {}

  /**
   * Prepares the document, in place, as the class comment says.
   *
   * @param root the feed's root element ({@code rss}, {@code rdf:RDF} or {@code feed}); changed in
   *     place
   * @param entries the document's entry elements, in document order
   * @param warnings where {@code empty-element}, {@code bad-number} and {@code bad-field} (an
   *     encoded URL) go
   */
  static void prepare(Element root, List<Element> entries, Warnings warnings) {
    List<Element> removed = new ArrayList<>();
    List<Element> channelMedia = new ArrayList<>();
    // JDOM elements are equal only to themselves
    Set<Element> entrySet = new HashSet<>(entries);
    for (Element element : root.getDescendants(Filters.element())) {
      if (UNREAD_NAMESPACES.contains(element.getNamespaceURI())
          || CONTENT_NAMESPACE.equals(element.getNamespaceURI())
              && element.getName().equals("items")
          || ATOM_03_NAMESPACE.equals(element.getNamespaceURI())
              && !prepareAtom03Text(element, warnings)
          || isOverlongDate(element, warnings)) {
        removed.add(element);
      } else if (isMedia(element) && !isInside(element, entrySet)) {
        channelMedia.add(element);
      }
    }
    removed.addAll(channelMedia);
    Element channel = root.getChild("channel", root.getNamespace());
    if (root.getName().equals("rss") && channel != null) {
      channel.getChildren().stream()
          .filter(child -> RSS_UNREAD_CHANNEL.contains(child.getName()))
          .forEach(removed::add);
    }
    removed.forEach(Element::detach);
    removed.clear();
    for (Element entry : entries) {
      for (Element media : entry.getDescendants(Filters.element())) {
        if (isMedia(media) && !prepareMedia(media, warnings)) {
          removed.add(media);
        }
      }
    }
    removed.forEach(Element::detach);
  }

  /**
   * An Atom 0.3 text construct's {@code mode} as Rome reads it: an unknown mode is removed (read as
   * {@code xml}, the default) with a {@code bad-field} warning.
   *
   * @return false when the element is to be removed: its mode is {@code base64} and its text is not
   *     Base64 (a {@code bad-field} warning)
   */
  private static boolean prepareAtom03Text(Element element, Warnings warnings) {
    String mode = element.getAttributeValue("mode");
    if (mode == null) {
      return true;
    }
    if (!ATOM_03_MODES.contains(mode)) {
      warnings.add(
          "bad-field", element.getName() + " mode '" + mode + "' is not xml, escaped or base64");
      element.removeAttribute("mode");
      return true;
    }
    if (mode.equals("base64")) {
      try {
        Base64.decode(element.getText());
      } catch (RuntimeException e) {
        // IllegalArgumentException, or ArrayIndexOutOfBoundsException for some lengths
        warnings.add("bad-field", element.getName() + " is not base64, removed");
        return false;
      }
    }
    return true;
  }

  /**
   * @return true, with an {@code unparseable-date} warning, for a date element whose text is longer
   *     than {@link #MAX_DATE_CHARS}: no date is, and parsing it could take hours
   */
  private static boolean isOverlongDate(Element element, Warnings warnings) {
    if (!DATE_NAMES.contains(element.getName())) {
      return false;
    }
    String text = element.getTextTrim();
    if (text.length() <= MAX_DATE_CHARS) {
      return false;
    }
    warnings.add("unparseable-date", text);
    return true;
  }

  private static boolean isMedia(Element element) {
    return MEDIA_NAMESPACES.contains(element.getNamespaceURI());
  }

  private static boolean isInside(Element element, Set<Element> entries) {
    for (Element parent = element.getParentElement();
        parent != null;
        parent = parent.getParentElement()) {
      if (entries.contains(parent)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @return false when the element is to be removed
   */
  private static boolean prepareMedia(Element media, Warnings warnings) {
    String name = media.getName();
    if (!MEDIA_READ.contains(name)) {
      return false;
    }
    boolean content = name.equals("content");
    if (!content && !name.equals("thumbnail")) {
      return true;
    }
    String what = "media:" + name;
    if (trimmed(media.getAttributeValue("url")) == null) {
      warnings.add("empty-element", what + " without url");
      return false;
    }
    Optional<String> url =
        MediaUrls.readable(media.getAttributeValue("url"), what + " url", warnings);
    if (url.isEmpty()) {
      return false;
    }
    media.setAttribute("url", url.get());
    MEDIA_UNREAD_ATTRIBUTES.forEach(media::removeAttribute);
    String fileSize = content ? trimmed(media.getAttributeValue("fileSize")) : null;
    if (fileSize != null && wholeNumber(fileSize) == null) {
      warnings.add("bad-number", what + " fileSize '" + fileSize + "'");
      if (!romeReadsFileSize(media.getAttributeValue("fileSize"))) {
        media.removeAttribute("fileSize");
      }
    }
    for (String attribute : List.of("width", "height")) {
      String written = media.getAttributeValue(attribute);
      String value = trimmed(written);
      boolean whole = value != null && wholeNumber(value) != null;
      if (value != null && (!whole || !isInt(value))) {
        warnings.add("bad-number", what + " " + attribute + " '" + value + "'");
      }
      // Rome reads a content's size as written, white space included, and throws past an int
      if (content && written != null && !isInt(written)) {
        if (whole && isInt(value)) {
          media.setAttribute(attribute, value);
        } else {
          media.removeAttribute(attribute);
        }
      }
    }
    return true;
  }

  /** Whether {@link Integer#valueOf(String)}, which Rome reads a content's size with, takes it. */
  private static boolean isInt(String value) {
    try {
      Integer.valueOf(value);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Whether Rome's Media RSS module reads a {@code fileSize} without throwing: digits, or a decimal
   * number and a unit ({@code 2.1MB}), white space ignored.
   */
  private static boolean romeReadsFileSize(String written) {
    String value = written.replaceAll("\\s", "");
    if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
      return wholeNumber(value) != null;
    }
    Matcher withUnit = FILE_SIZE_WITH_UNIT.matcher(value);
    if (!withUnit.matches()) {
      return false;
    }
    try {
      new BigDecimal(withUnit.group(1).replace(',', '.'));
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
