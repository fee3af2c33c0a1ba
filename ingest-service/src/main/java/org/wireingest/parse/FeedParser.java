package org.wireingest.parse;

import com.rometools.rome.feed.WireFeed;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndFeedImpl;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.WireFeedInput;
import com.rometools.rome.io.impl.FeedParsers;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jdom2.Content;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.JDOMException;
import org.jdom2.JDOMFactory;
import org.jdom2.Namespace;
import org.jdom2.input.SAXBuilder;
import org.jdom2.input.sax.SAXHandler;
import org.jdom2.input.sax.XMLReaders;
import org.xml.sax.InputSource;

/**
 * Parses a feed body (RSS 0.9x/2.0, RSS 1.0/RDF, Atom 0.3/1.0 as RFC 4287, JSON Feed 1.0/1.1) into
 * a {@link ParseResult}: bytes in, immutable records out; no Rome, JDOM or Jackson type leaves this
 * package.
 *
 * <p>Steps, each with its outcome:
 *
 * <ol>
 *   <li>A body over the size cap is {@link ParseFailure#TOO_LARGE}; no bytes or only whitespace is
 *       {@link ParseFailure#EMPTY_DOCUMENT}.
 *   <li>A body starting with <code>{</code> (after a BOM and whitespace), or labelled {@code
 *       application/feed+json}, is read as JSON Feed (see {@code JsonFeedMapper}): {@link
 *       ParseFailure#MALFORMED_JSON} when it is not JSON, {@link ParseFailure#UNSUPPORTED_FORMAT}
 *       when it is JSON but not a JSON Feed. Its bytes are read as UTF-8 (RFC 8259), or, when they
 *       are not Unicode, as the next step reads them, with a {@code charset-mismatch} warning. The
 *       next step's charset warnings ({@code charset-mismatch}, {@code invalid-bytes}) are its
 *       warnings too.
 *   <li>Bytes become text (charset from the BOM, the Content-Type charset, the XML declaration,
 *       else UTF-8; a label the first bytes contradict, or a charset that fails to decode, is
 *       swapped for one that fits, with a {@code charset-mismatch} warning; see {@code
 *       BodyDecoder}). Characters XML 1.0 forbids are removed ({@code invalid-xml-chars}).
 *   <li>A document whose root element is {@code <html>} is {@link ParseFailure#NOT_A_FEED}.
 *   <li>A DOCTYPE is removed before parsing ({@code doctype-stripped}); its plain-text internal
 *       entities are inlined, nothing else of it is used. The XML parser reads no DTD, resolves no
 *       external entity and rejects any DOCTYPE left, so XXE and entity-expansion attacks find
 *       nothing to expand.
 *   <li>Strict XML parse; on failure one lenient pass (junk before the XML declaration dropped,
 *       HTML named entities made numeric, stray {@code &} escaped, undeclared namespace prefixes
 *       declared, a truncated document completed) and a second parse ({@code
 *       recovered-ill-formed-xml}, or {@value #TRUNCATED_DOCUMENT} when the document was cut off:
 *       its entries past the cut are lost); else {@link ParseFailure#MALFORMED_XML}, or {@link
 *       ParseFailure#TRUNCATED_DOCUMENT} when a truncated document yields no entry.
 *   <li>An Atom Entry Document (an Atom 1.0 {@code <entry>} as the root, RFC 4287 §4.1.2) is read
 *       as a feed of that one entry ({@code atom-entry-document}). Another root than {@code rss},
 *       {@code rdf:RDF} or {@code feed} is {@link ParseFailure#UNSUPPORTED_FORMAT}; otherwise an
 *       Atom document's {@code xml:base} is applied (RFC 4287 §2, XML Base; a bad one is ignored
 *       with a {@code bad-xml-base} warning; see {@code XmlBase}), Rome reads the document and
 *       every entry is mapped (see {@link ParsedEntry}).
 * </ol>
 *
 * <p>Thread-safe: instances hold only the size cap; every call builds its own XML parser.
 */
public final class FeedParser {

  /**
   * Default size cap: 20 MiB, the fetcher's default cap ({@code FetchSettings#defaults}), so a body
   * the fetcher accepts is parsed, not downloaded in full and then refused.
   */
  public static final int DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

  /**
   * The warning kind of a document that ended before its root element was closed (a cut-off
   * transfer, or a server that always stops at some size): its complete entries were read, the
   * entry it was cut off in dropped, and whatever came after the cut is lost.
   */
  public static final String TRUNCATED_DOCUMENT = "truncated-document";

  private static final Set<String> FEED_ROOTS = Set.of("rss", "rdf", "feed");

  /** Rome's feed parsers, to ask which one reads a document; thread-safe once built. */
  private static final FeedParsers RSS_PARSERS = new FeedParsers();

  private final int maxBodyBytes;

  /** A parser with the {@link #DEFAULT_MAX_BODY_BYTES default} size cap. */
  public FeedParser() {
    this(DEFAULT_MAX_BODY_BYTES);
  }

  /**
   * @param maxBodyBytes the largest body parsed, in bytes; larger ones are {@link
   *     ParseFailure#TOO_LARGE}
   * @throws IllegalArgumentException when {@code maxBodyBytes} is not positive
   */
  public FeedParser(int maxBodyBytes) {
    if (maxBodyBytes <= 0) {
      throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Parses one feed body.
   *
   * @param body the bytes as received; null is read as no bytes
   * @param contentTypeHeader the HTTP {@code Content-Type} value (e.g. {@code application/rss+xml;
   *     charset=utf-8}); null when unknown
   * @return {@link ParseResult.Parsed} with the feed, its entries and warnings, or {@link
   *     ParseResult.Failed} with the classified reason; never null, never throws for any input
   */
  public ParseResult parse(byte[] body, String contentTypeHeader) {
    try {
      return parseChecked(body, contentTypeHeader);
    } catch (StackOverflowError e) {
      // Deep nesting that slipped past the depth check (e.g. inside an XHTML content block).
      return failed(ParseFailure.MALFORMED_XML, "elements nested too deeply to parse");
    }
  }

  /** Deepest element nesting accepted; real feeds stay under 30, hostile ones go to thousands. */
  public static final int MAX_NESTING_DEPTH = 512;

  /**
   * The most namespace declarations accepted in scope at one element (its own and its ancestors');
   * real feeds have under 30. The XML parser looks each prefix up among all of them, so a document
   * that nests declarations cost time growing with their square: 500 levels of 256 each, 2.8 MB,
   * took about 30 s to parse; at this limit 12 MB takes about 4 s.
   */
  public static final int MAX_NAMESPACES_IN_SCOPE = 512;

  /**
   * The most elements accepted in one XML document: {@value}. The document tree takes some 300
   * bytes of heap per element, whatever its text: 20 MiB (the size cap) of {@code
   * <item><guid>1</guid></item>}, 1.3 million elements, ran a 460 MiB heap (the poller pod's) out
   * of memory, which fails every poll under way. Real feeds have under 5,000 (the corpus: at most
   * 3,219); 200,000 parsed within a 200 MiB heap.
   */
  public static final int MAX_ELEMENTS = 200_000;

  private ParseResult parseChecked(byte[] body, String contentTypeHeader) {
    if (body == null || body.length == 0) {
      return failed(ParseFailure.EMPTY_DOCUMENT, "the body has no bytes");
    }
    if (body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) {
      // RFC 1952's magic bytes: a feed compressed once more than its Content-Encoding says (or
      // with none) was read as text and failed as malformed-xml, "no root element found"
      return failed(
          ParseFailure.NOT_A_FEED,
          "gzip-compressed data (RFC 1952), not a feed: compressed once more than the response's"
              + " Content-Encoding says, or without one");
    }
    if (body.length > maxBodyBytes) {
      return failed(
          ParseFailure.TOO_LARGE,
          String.format(
              Locale.ROOT,
              "the body is %d bytes, over the %d-byte limit",
              body.length,
              maxBodyBytes));
    }
    Warnings warnings = new Warnings();
    // The decoded text (as many chars as the body has bytes, two bytes each beyond Latin-1) is
    // reachable only inside tree(): once its document is built, Rome's reading and the mapping
    // run without it (a 19 MB feed's text was held beside its tree and Rome's copy until the end).
    Tree tree = tree(body, contentTypeHeader, warnings);
    if (tree instanceof Tree.Done done) {
      return done.result();
    }
    if (tree instanceof Tree.Recovered recovered) {
      return readRecovered(recovered, warnings);
    }
    Tree.Strict strict = (Tree.Strict) tree;
    return readFeed(strict.document(), strict.charset(), warnings);
  }

  /**
   * What {@link #tree} made of a body: a document built from its text, strictly or after the
   * lenient repair, or the parse's result when no XML tree is to be read (a failure, or a JSON
   * Feed). None holds the text.
   */
  private sealed interface Tree {

    /** A well-formed document, and the charset its bytes were decoded with. */
    record Strict(Document document, Charset charset) implements Tree {}

    /**
     * A document built after the lenient repair ({@link XmlText#recovered}); its last entry already
     * dropped when the text was cut off inside it.
     *
     * @param strictFailure what the strict parse failed on
     */
    record Recovered(
        Document document,
        Charset charset,
        String strictFailure,
        boolean completed,
        boolean truncated,
        boolean entryCut)
        implements Tree {}

    /** No tree to read: the parse's result. */
    record Done(ParseResult result) implements Tree {}
  }

  /** Decodes the body and builds its document; the decoded text is garbage once this returns. */
  private static Tree tree(byte[] body, String contentTypeHeader, Warnings warnings) {
    BodyDecoder.Decoded decoded = BodyDecoder.decode(body, contentTypeHeader, warnings);
    if (decoded.text().isBlank()) {
      return new Tree.Done(
          failed(
              ParseFailure.EMPTY_DOCUMENT,
              "the body is only whitespace (" + body.length + " bytes)"));
    }
    if (JsonFeedMapper.isJson(body, decoded.text(), contentTypeHeader)) {
      // the decoder's warnings (charset-mismatch, ...) belong to the JSON Feed too
      return new Tree.Done(JsonFeedMapper.parse(body, decoded, warnings));
    }
    String text = XmlText.withoutInvalidChars(decoded.text());
    if (text.length() != decoded.text().length()) {
      warnings.add(
          "invalid-xml-chars",
          (decoded.text().length() - text.length()) + " characters XML 1.0 forbids removed");
    }
    // An HTML page first, whatever its size: a large site's page of over MAX_ELEMENTS elements
    // was too-large, which sent its operator after a size limit rather than the feed's URL.
    XmlText.Prolog prolog = XmlText.scanProlog(text);
    if (prolog.looksLikeHtml()) {
      return new Tree.Done(
          failed(
              ParseFailure.NOT_A_FEED,
              "an HTML page (root <" + htmlName(prolog) + ">), not a feed"));
    }
    // Checked before any DOM is built: JDOM's ancestor checks make deep nesting quadratic, and
    // the XML parser looks a prefix up among all the declarations in scope.
    Optional<ParseResult> costly = costlyStructure(text);
    if (costly.isPresent()) {
      return new Tree.Done(costly.get());
    }
    if (prolog.rootName() == null) {
      return new Tree.Done(failed(ParseFailure.MALFORMED_XML, "no root element found"));
    }
    if (prolog.hasDoctype()) {
      text = XmlText.withoutDoctype(text, prolog);
      if (text == null) {
        return new Tree.Done(
            failed(
                ParseFailure.TOO_LARGE,
                "the DOCTYPE's entity references would add more than "
                    + XmlText.MAX_ENTITY_EXPANSION
                    + " characters (an entity-expansion bomb)"));
      }
      warnings.add(
          "doctype-stripped", "<!DOCTYPE " + prolog.doctypeName() + "> removed before parsing");
    }
    try {
      return new Tree.Strict(buildDocument(text.stripLeading()), decoded.charset());
    } catch (JDOMException | IOException | RuntimeException strictFailure) {
      // JDOM reports bad XML as JDOMException, bad names or characters as runtime exceptions
      return recoveredTree(text, strictFailure.getMessage(), decoded.charset());
    }
  }

  /**
   * The lenient pass's document; a document that was cut off has the entry it was cut off in
   * dropped: its text and fields are cut short, and published it would be a version the agency
   * never wrote (and the next whole document's copy another).
   */
  private static Tree recoveredTree(String text, String strictFailure, Charset charset) {
    XmlText.Repair repair = XmlText.recovered(text);
    // the repair drops what came before the XML declaration, which can have hidden markup after
    // it from the first check (a CDATA section opened there and ended in an attribute value)
    Optional<ParseResult> costly = costlyStructure(repair.text());
    if (costly.isPresent()) {
      return new Tree.Done(costly.get());
    }
    Document document;
    try {
      document = buildDocument(repair.text());
    } catch (JDOMException | IOException | RuntimeException e) {
      // The error the repair left is the one to fix: the first may be one it repairs (an
      // unescaped & in "AT&T") while an unclosed <b> further on is what stops the document.
      String left = e.getMessage();
      return new Tree.Done(
          failed(
              ParseFailure.MALFORMED_XML,
              left == null || left.equals(strictFailure)
                  ? strictFailure
                  : strictFailure + "; left after the lenient repair: " + left));
    }
    if (repair.entryCut()) {
      lastEntry(document.getRootElement()).ifPresent(Element::detach);
    }
    return new Tree.Recovered(
        document,
        charset,
        strictFailure,
        repair.completed(),
        repair.truncated(),
        repair.entryCut());
  }

  /**
   * Reads a document of the lenient pass; a document that was cut off counts as recovered only when
   * it still yields entries.
   */
  private static ParseResult readRecovered(Tree.Recovered tree, Warnings warnings) {
    Document document = tree.document();
    String strictFailure = tree.strictFailure();
    warnings.add(
        tree.truncated() ? TRUNCATED_DOCUMENT : "recovered-ill-formed-xml",
        tree.entryCut()
            ? strictFailure + "; the entry it was cut off in was dropped"
            : strictFailure);
    ParseResult recovered = readFeed(document, tree.charset(), warnings);
    boolean nothingRead =
        recovered instanceof ParseResult.Parsed parsed && parsed.feed().entries().isEmpty();
    // a feed's root and little else: an RDF document cut before its <channel> is complete, which
    // Rome refuses as no RSS 1.0 at all
    boolean feedRefused =
        recovered instanceof ParseResult.Failed f
            && f.kind() == ParseFailure.UNSUPPORTED_FORMAT
            && FEED_ROOTS.contains(document.getRootElement().getName().toLowerCase(Locale.ROOT));
    if (tree.truncated() && (nothingRead || feedRefused)) {
      return failed(
          ParseFailure.TRUNCATED_DOCUMENT,
          strictFailure + "; the document ends before its first complete entry");
    }
    if (tree.completed() && nothingRead) {
      return failed(ParseFailure.MALFORMED_XML, strictFailure);
    }
    return recovered;
  }

  /**
   * @return a failure when the text nests elements deeper than {@link #MAX_NESTING_DEPTH}, has more
   *     than {@link #MAX_NAMESPACES_IN_SCOPE} namespace declarations in scope at one element
   *     ({@link ParseFailure#MALFORMED_XML}), or more than {@link #MAX_ELEMENTS} elements ({@link
   *     ParseFailure#TOO_LARGE})
   */
  private static Optional<ParseResult> costlyStructure(String text) {
    XmlText.CostlyStructure costly =
        XmlText.costlyStructure(text, MAX_NESTING_DEPTH, MAX_NAMESPACES_IN_SCOPE, MAX_ELEMENTS);
    if (costly == XmlText.CostlyStructure.ELEMENTS) {
      return Optional.of(
          failed(
              ParseFailure.TOO_LARGE,
              "more than "
                  + MAX_ELEMENTS
                  + " elements in the document (real feeds have a few thousand)"));
    }
    if (costly == XmlText.CostlyStructure.NESTING) {
      return Optional.of(
          failed(
              ParseFailure.MALFORMED_XML,
              "elements nested deeper than " + MAX_NESTING_DEPTH + " levels"));
    }
    if (costly == XmlText.CostlyStructure.NAMESPACES) {
      return Optional.of(
          failed(
              ParseFailure.MALFORMED_XML,
              "more than "
                  + MAX_NAMESPACES_IN_SCOPE
                  + " namespace declarations in scope at one element"));
    }
    return Optional.empty();
  }

  /**
   * @return the last {@code <item>} or {@code <entry>} element (any namespace) not inside another,
   *     in document order
   */
  private static Optional<Element> lastEntry(Element element) {
    List<Element> children = element.getChildren();
    for (int i = children.size() - 1; i >= 0; i--) {
      Element child = children.get(i);
      if (XmlText.isEntry(child.getName())) {
        return Optional.of(child);
      }
      Optional<Element> inside = lastEntry(child);
      if (inside.isPresent()) {
        return inside;
      }
    }
    return Optional.empty();
  }

  private static ParseResult readFeed(Document document, Charset charset, Warnings warnings) {
    Element root = document.getRootElement();
    String rootName = root.getName().toLowerCase(Locale.ROOT);
    if (rootName.equals("entry") && root.getNamespaceURI().equals(FeedMapper.ATOM_10_URI)) {
      root = entryAsFeed(document, warnings);
      rootName = "feed";
    }
    if (rootName.equals("html")) {
      return failed(
          ParseFailure.NOT_A_FEED,
          "an HTML page (root <" + root.getQualifiedName() + ">), not a feed");
    }
    if (!FEED_ROOTS.contains(rootName)) {
      return failed(
          ParseFailure.UNSUPPORTED_FORMAT,
          "root element <" + root.getQualifiedName() + "> is not RSS, RDF or Atom");
    }
    if (rootName.equals("rss") && root.getAttribute("version") == null) {
      // Rome picks the RSS parser by the version attribute; without one the feed is read as RSS 2.0
      root.setAttribute("version", "2.0");
      warnings.add("missing-rss-version", "<rss> has no version attribute, read as RSS 2.0");
    }
    if (rootName.equals("rss") && root.getChild("channel", root.getNamespace()) == null) {
      // Rome fails on an <rss> without <channel>; its items are read as the channel's
      Element channel = new Element("channel", root.getNamespace());
      channel.addContent(root.removeContent());
      root.addContent(channel);
      warnings.add(
          "missing-channel", "<rss> has no <channel>, its children were read as the channel's");
    }
    if (rootName.equals("rss")) {
      itemsIntoFirstChannel(root, warnings);
    }
    if (rootName.equals("rdf")) {
      readAsRss10(root, warnings);
    }
    if (rootName.equals("feed") && RSS_PARSERS.getParserFor(document) == null) {
      readAsAtom(root, warnings);
    }
    if (rootName.equals("rss") && RSS_PARSERS.getParserFor(document) == null) {
      // Rome knows 0.91 to 0.94 and 2.0*; any other version ('2', '3.0', '') failed the feed
      String written = root.getAttributeValue("version");
      root.setAttribute("version", "2.0");
      warnings.add(
          "unknown-rss-version",
          "<rss version=\"" + written + "\"> is no RSS version Rome reads, read as RSS 2.0");
    }
    XmlBase.apply(root, warnings);
    RomeInput.prepare(root, FeedMapper.entryElements(root), warnings);
    WireFeed wireFeed;
    SyndFeed syndFeed;
    try {
      FeedMapper.DetachedDates dates = FeedMapper.detachEntryDates(root);
      try {
        wireFeed = new WireFeedInput().build(document);
        syndFeed = new SyndFeedImpl(wireFeed, true);
      } finally {
        dates.restore();
      }
      if (syndFeed.getEntries().size() != dates.entryCount()) {
        // Entries that cannot be paired with their elements take Rome's dates: read them with
        // dates.
        wireFeed = new WireFeedInput().build(document);
        syndFeed = new SyndFeedImpl(wireFeed, true);
      }
    } catch (FeedException | RuntimeException e) {
      // Rome signals an unknown dialect with IllegalArgumentException and module bugs with others
      return failed(
          ParseFailure.UNSUPPORTED_FORMAT,
          "Rome could not read the <" + root.getQualifiedName() + "> document: " + e);
    }
    return new ParseResult.Parsed(FeedMapper.map(document, wireFeed, syndFeed, charset, warnings));
  }

  /**
   * An Atom Entry Document (RFC 4287 §4.1.2: an {@code <entry>} in Atom 1.0's namespace as the
   * document element, which Rome does not read) made a feed of that one entry, with an {@code
   * atom-entry-document} warning. The feed has no metadata of its own (title, link, id); the
   * entry's attributes ({@code xml:base}, {@code xml:lang}) stay on the entry.
   *
   * @return the new root, a {@code <feed>} in the entry's namespace holding the entry
   */
  private static Element entryAsFeed(Document document, Warnings warnings) {
    Element entry = document.detachRootElement();
    Element feed = new Element("feed", entry.getNamespace());
    feed.addContent(entry);
    document.setRootElement(feed);
    warnings.add(
        "atom-entry-document",
        "an Atom <entry> is the document element (RFC 4287 §4.1.2), read as a feed of one entry");
    return feed;
  }

  /**
   * Moves into the first {@code <channel>} of an {@code <rss>} root the {@code <item>} elements
   * Rome's RSS parsers never read: those written beside the channel (RSS 0.90 placed items there,
   * and some feeds still do) and those of a second channel (two feeds joined in one document). Each
   * was lost with only an {@code entry-count-mismatch} warning. Document order is kept: the moved
   * items follow the first channel's own.
   *
   * @param root an {@code <rss>} element that has a {@code <channel>} child
   */
  private static void itemsIntoFirstChannel(Element root, Warnings warnings) {
    Namespace rss = root.getNamespace();
    Element first = root.getChild("channel", rss);
    List<Content> beside = new ArrayList<>();
    List<Element> others = new ArrayList<>();
    for (Element child : root.getChildren()) {
      if (child.getNamespace().equals(rss)) {
        if (child.getName().equals("item")) {
          beside.add(child);
        } else if (child != first && child.getName().equals("channel")) {
          others.add(child);
        }
      }
    }
    int moved = moveItems(root, first, beside);
    for (Element channel : others) {
      moved += moveItems(channel, first, new ArrayList<>(channel.getChildren("item", rss)));
    }
    if (moved > 0) {
      warnings.add(
          "item-outside-channel",
          moved
              + " <item> outside the first <channel> (beside it, or in another channel) read as its"
              + " items");
    }
  }

  /**
   * Moves {@code items}, children of {@code from}, to the end of {@code to}: all of {@code from}'s
   * content taken out and the rest put back, in one pass (detaching them one by one shifted the
   * rest of the content each time).
   *
   * @return how many were moved
   */
  private static int moveItems(Element from, Element to, List<Content> items) {
    if (items.isEmpty()) {
      return 0;
    }
    Set<Content> moved = Collections.newSetFromMap(new IdentityHashMap<>());
    moved.addAll(items);
    List<Content> kept = new ArrayList<>();
    for (Content content : from.removeContent()) {
      if (!moved.contains(content)) {
        kept.add(content);
      }
    }
    from.addContent(kept);
    to.addContent(items);
    return items.size();
  }

  /** RSS 1.0's namespace, and RSS 0.90's: Rome reads an {@code <rdf:RDF>} in one of them. */
  private static final Namespace RSS_10 = Namespace.getNamespace("http://purl.org/rss/1.0/");

  private static final Namespace RSS_090 =
      Namespace.getNamespace("http://my.netscape.com/rdf/simple/0.9/");

  /** The RSS elements an {@code <rdf:RDF>} holds. */
  private static final Set<String> RDF_CHILDREN = Set.of("channel", "item", "image", "textinput");

  /**
   * An {@code <rdf:RDF>} document no Rome parser takes (Rome failed it whole as "Invalid document")
   * made one RSS 1.0's parser reads: RSS elements written in no namespace, or another than RSS
   * 1.0's or 0.90's (a publisher that forgot {@code xmlns="http://purl.org/rss/1.0/"}), are read in
   * RSS 1.0's ({@code unknown-rss-namespace}); a document without {@code <channel>} (its items
   * only) gets an empty one ({@code missing-channel}), as an {@code <rss>} without one is read.
   */
  private static void readAsRss10(Element root, Warnings warnings) {
    Namespace rss = null;
    List<Element> foreign = new ArrayList<>();
    for (Element child : root.getChildren()) {
      if (child.getNamespace().equals(RSS_10) || child.getNamespace().equals(RSS_090)) {
        rss = rss == null ? child.getNamespace() : rss;
      } else if (RDF_CHILDREN.contains(child.getName())) {
        foreign.add(child);
      }
    }
    if (rss == null && !foreign.isEmpty()) {
      String written = foreign.get(0).getNamespaceURI();
      if (!foreign.stream().allMatch(child -> intoNamespace(child, written, RSS_10))) {
        return;
      }
      warnings.add(
          "unknown-rss-namespace",
          "<rdf:RDF>'s RSS elements are in "
              + (written.isEmpty() ? "no namespace" : "namespace '" + written + "'")
              + ", read as RSS 1.0's");
    }
    Namespace channelNamespace = rss == null ? RSS_10 : rss;
    if (root.getChild("channel", channelNamespace) == null) {
      root.addContent(0, new Element("channel", channelNamespace));
      warnings.add("missing-channel", "<rdf:RDF> has no <channel>, read with an empty one");
    }
  }

  /** The text constructs of Atom 1.0 and 0.3, whose children are content, not Atom elements. */
  private static final Set<String> ATOM_TEXT =
      Set.of("title", "subtitle", "summary", "content", "rights", "tagline", "info", "copyright");

  /**
   * A {@code <feed>} document no Rome parser takes, its root in no namespace or another than Atom's
   * ({@code http://www.w3.org/2005/atom}, a mistyped one), made one Rome reads: its elements in the
   * root's namespace are read in Atom 1.0's, or Atom 0.3's when the root says {@code version="0.3"}
   * ({@code unknown-atom-namespace}). Rome failed it whole as "Invalid document".
   */
  private static void readAsAtom(Element root, Warnings warnings) {
    String written = root.getNamespaceURI();
    Namespace atom =
        Namespace.getNamespace(
            "0.3".equals(root.getAttributeValue("version"))
                ? FeedMapper.ATOM_03_URI
                : FeedMapper.ATOM_10_URI);
    if (intoNamespace(root, written, atom)) {
      warnings.add(
          "unknown-atom-namespace",
          "<feed> in "
              + (written.isEmpty() ? "no namespace" : "namespace '" + written + "'")
              + ", read as "
              + (atom.getURI().equals(FeedMapper.ATOM_10_URI) ? "Atom 1.0" : "Atom 0.3"));
    }
  }

  /**
   * Puts {@code element} and its descendants in namespace {@code from} into {@code to}, the prefix
   * dropped; not the children of an Atom text construct, which are its content.
   *
   * @return false, with nothing changed, when an element declares another default namespace, which
   *     the move would clash with
   */
  private static boolean intoNamespace(Element element, String from, Namespace to) {
    List<Element> moving = new ArrayList<>();
    List<Element> pending = new ArrayList<>(List.of(element));
    while (!pending.isEmpty()) {
      Element e = pending.remove(pending.size() - 1);
      if (!e.getNamespaceURI().equals(from)) {
        continue;
      }
      boolean clash =
          e.getAdditionalNamespaces().stream()
              .anyMatch(n -> n.getPrefix().isEmpty() && !n.getURI().equals(to.getURI()));
      if (clash) {
        return false;
      }
      moving.add(e);
      if (!ATOM_TEXT.contains(e.getName()) || e == element) {
        pending.addAll(e.getChildren());
      }
    }
    moving.forEach(e -> e.setNamespace(to));
    return true;
  }

  /**
   * One configured {@link SAXBuilder} per thread: building one (and its SAX parser factory and
   * engine) per feed was a few per cent of the parse time. JDOM's builder reuses its parser across
   * {@code build} calls (the default {@code reuseParser}) and resets its handler after each one,
   * also after a failed one, but is not thread-safe, hence one per thread.
   */
  private static final ThreadLocal<SAXBuilder> BUILDERS =
      ThreadLocal.withInitial(FeedParser::secureBuilder);

  /**
   * The most attributes, namespace declarations included, one element may carry; the XML parser
   * refuses an element with more as malformed. Real feeds stay under 20 (the corpus's most is 10).
   * JDOM checks each new attribute of an element against all its earlier ones, so the cost of an
   * element grows with the square of its attributes: at the JDK's own limit of 10,000, one element
   * of 100 KB took about 0.8 s to build, and a 4 MB document of such elements 30 s.
   */
  static final int MAX_ATTRIBUTES_PER_ELEMENT = 256;

  /**
   * A JDOM document from text with every external resource refused: no DTD loaded, no external
   * entity resolved, DOCTYPE declarations rejected (they were stripped before), entities not
   * expanded. Processing instructions are dropped as they are read (nothing of a feed is in them):
   * JDOM splits each one's data into pseudo-attributes, in time that grows with the square of its
   * length when it holds quotes (one of 1 MB took over 30 s). An element with more than {@link
   * #MAX_ATTRIBUTES_PER_ELEMENT} attributes is refused.
   */
  private static Document buildDocument(String text) throws JDOMException, IOException {
    return BUILDERS.get().build(new StringReader(text));
  }

  /** A builder with the settings of {@link #buildDocument}. */
  private static SAXBuilder secureBuilder() {
    SAXBuilder builder = new SAXBuilder(XMLReaders.NONVALIDATING);
    builder.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    builder.setFeature("http://xml.org/sax/features/external-general-entities", false);
    builder.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    builder.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    builder.setExpandEntities(false);
    builder.setProperty(ELEMENT_ATTRIBUTE_LIMIT, String.valueOf(MAX_ATTRIBUTES_PER_ELEMENT));
    builder.setSAXHandlerFactory(WithoutProcessingInstructions::new);
    builder.setReuseParser(true);
    builder.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
    return builder;
  }

  /** The JAXP property of the JDK's XML parser that limits the attributes of one element. */
  private static final String ELEMENT_ATTRIBUTE_LIMIT =
      "http://www.oracle.com/xml/jaxp/properties/elementAttributeLimit";

  /** Builds a document as JDOM's own handler does, without its processing instructions. */
  private static final class WithoutProcessingInstructions extends SAXHandler {

    WithoutProcessingInstructions(JDOMFactory factory) {
      super(factory);
    }

    @Override
    public void processingInstruction(String target, String data) {
      // Dropped: the text either side of it joins, as if it had not been written.
    }
  }

  private static String htmlName(XmlText.Prolog prolog) {
    return prolog.rootName() != null ? prolog.rootName() : "!DOCTYPE " + prolog.doctypeName();
  }

  private static ParseResult failed(ParseFailure kind, String message) {
    return new ParseResult.Failed(kind, Warnings.oneLine(message));
  }
}
