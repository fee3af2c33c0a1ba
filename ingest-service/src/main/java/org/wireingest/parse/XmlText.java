package org.wireingest.parse;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Entities;

/**
 * Text-level repairs applied to a decoded feed before and, on failure, between XML parses (XML 1.0
 * fifth edition). Nothing here resolves anything outside the text: no DTD is read and no entity is
 * expanded except the plain-text internal entities a stripped DOCTYPE declared.
 */
final class XmlText {

  /** Longest replacement text kept for one internal entity, in characters. */
  private static final int MAX_ENTITY_TEXT = 1024;

  private static final Pattern INTERNAL_ENTITY =
      Pattern.compile("<!ENTITY\\s+([A-Za-z_][\\w.-]*)\\s+(?:\"([^\"]*)\"|'([^']*)')\\s*>");
  private static final Pattern NAME_AND_SEMICOLON = Pattern.compile("([A-Za-z_][\\w.-]{0,63});");
  private static final Pattern CHAR_REF = Pattern.compile("#(?:[0-9]{1,7}|[xX][0-9a-fA-F]{1,6});");
  private static final Pattern ELEMENT_PREFIX = Pattern.compile("</?([A-Za-z_][\\w.-]*):[A-Za-z_]");
  private static final Pattern ATTRIBUTE_PREFIX =
      Pattern.compile("\\s([A-Za-z_][\\w.-]*):[A-Za-z_][\\w.-]*\\s*=\\s*[\"']");
  private static final Pattern DECLARED_PREFIX = Pattern.compile("xmlns:([A-Za-z_][\\w.-]*)\\s*=");

  /**
   * Most undeclared prefixes the repair declares; a document using more is left as it is (and fails
   * its second parse), not given thousands of declarations on its root.
   */
  static final int MAX_UNDECLARED_PREFIXES = 100;

  /** Namespace of a prefix a feed used without declaring it, when no well-known one fits. */
  static final String UNDECLARED_NAMESPACE = "urn:wire-ingest:undeclared-prefix:";

  /**
   * The namespaces feeds mean by their usual prefixes, so an undeclared {@code dc:creator} is still
   * read.
   */
  private static final Map<String, String> WELL_KNOWN_NAMESPACES =
      Map.ofEntries(
          Map.entry("atom", "http://www.w3.org/2005/Atom"),
          Map.entry("content", "http://purl.org/rss/1.0/modules/content/"),
          Map.entry("dc", "http://purl.org/dc/elements/1.1/"),
          Map.entry("dcterms", "http://purl.org/dc/terms/"),
          Map.entry("media", "http://search.yahoo.com/mrss/"),
          Map.entry("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
          Map.entry("slash", "http://purl.org/rss/1.0/modules/slash/"),
          Map.entry("sy", "http://purl.org/rss/1.0/modules/syndication/"),
          Map.entry("wfw", "http://wellformedweb.org/CommentAPI/"),
          Map.entry("georss", "http://www.georss.org/georss"),
          Map.entry("itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"));

  private XmlText() {}

  /**
   * Where the document element starts ({@code rootStart}: its {@code <}, -1 when none) and what
   * precedes it.
   */
  record Prolog(
      int doctypeStart, int doctypeEnd, String doctypeName, String rootName, int rootStart) {
    boolean hasDoctype() {
      return doctypeStart >= 0;
    }

    /** The root element name (or the DOCTYPE's when no element was found) says "HTML page". */
    boolean looksLikeHtml() {
      String name = rootName != null ? rootName : doctypeName;
      if (name == null) {
        return false;
      }
      String local = name.toLowerCase(Locale.ROOT);
      return local.equals("html") || local.equals("head") || local.equals("body");
    }
  }

  /**
   * The text without characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates,
   * U+FFFE/F).
   */
  static String withoutInvalidChars(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      boolean valid = isXmlChar(cp);
      if (!valid && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      } else if (valid && out != null) {
        out.append(text, i, next);
      }
      i = next;
    }
    return out == null ? text : out.toString();
  }

  /** Whether XML 1.0 (section 2.2, {@code Char}) allows the code point in a document. */
  private static boolean isXmlChar(int cp) {
    return cp == 0x9
        || cp == 0xA
        || cp == 0xD
        || cp >= 0x20 && cp <= 0xD7FF
        || cp >= 0xE000 && cp <= 0xFFFD
        || cp >= 0x10000 && cp <= 0x10FFFF;
  }

  /**
   * Whether a matched {@link #CHAR_REF} ({@code #11;}, {@code #x1F;}) names a code point XML
   * forbids.
   */
  private static boolean refersToNonXmlChar(String text, int from, int end) {
    boolean hex = text.charAt(from + 1) == 'x' || text.charAt(from + 1) == 'X';
    int cp = Integer.parseInt(text.substring(from + (hex ? 2 : 1), end - 1), hex ? 16 : 10);
    return !isXmlChar(cp);
  }

  /**
   * Scans the prolog: XML declaration, comments, processing instructions, an optional DOCTYPE (with
   * its internal subset) and the start tag of the document element. Text that is not markup is
   * skipped, so junk before the root does not hide it.
   */
  static Prolog scanProlog(String text) {
    int doctypeStart = -1;
    int doctypeEnd = -1;
    String doctypeName = null;
    int i = 0;
    while (i < text.length()) {
      int lt = text.indexOf('<', i);
      if (lt < 0 || lt + 1 >= text.length()) {
        break;
      }
      if (text.startsWith("<?", lt)) {
        i = endOf(text, "?>", lt + 2);
      } else if (text.startsWith("<!--", lt)) {
        i = endOf(text, "-->", lt + 4);
      } else if (text.regionMatches(true, lt, "<!DOCTYPE", 0, 9)) {
        doctypeStart = lt;
        doctypeEnd = doctypeEnd(text, lt + 9);
        doctypeName = nameAt(text, skipSpace(text, lt + 9));
        i = doctypeEnd;
      } else if (isNameStart(text.charAt(lt + 1))) {
        return new Prolog(doctypeStart, doctypeEnd, doctypeName, nameAt(text, lt + 1), lt);
      } else {
        i = lt + 1;
      }
    }
    return new Prolog(doctypeStart, doctypeEnd, doctypeName, null, -1);
  }

  /**
   * Most characters the references to a DOCTYPE's entities may add to a document, in all: one
   * million. Each entity's text is at most {@value #MAX_ENTITY_TEXT} characters, but a few KB of
   * gzip could repeat a reference a million times (a gigabyte of text: an entity-expansion bomb).
   */
  static final int MAX_ENTITY_EXPANSION = 1_000_000;

  /**
   * The text with its DOCTYPE removed. References to the plain-text general entities its internal
   * subset declared (replacement text without markup or references) are replaced by that text;
   * every other reference is left for the parser or the recovery pass to reject or escape.
   *
   * @return the text; null when the replacements would add more than {@link #MAX_ENTITY_EXPANSION}
   *     characters
   */
  static String withoutDoctype(String text, Prolog prolog) {
    String subset = text.substring(prolog.doctypeStart(), prolog.doctypeEnd());
    String stripped =
        text.substring(0, prolog.doctypeStart()) + text.substring(prolog.doctypeEnd());
    Map<String, String> entities = plainInternalEntities(subset);
    if (entities.isEmpty()) {
      return stripped;
    }
    long[] added = {0};
    Function<String, String> budgeted =
        name -> {
          String replacement = added[0] > MAX_ENTITY_EXPANSION ? null : entities.get(name);
          if (replacement != null) {
            added[0] += replacement.length() - name.length() - 2;
          }
          return replacement;
        };
    String expanded = rewriteReferences(stripped, budgeted, false);
    return added[0] > MAX_ENTITY_EXPANSION ? null : expanded;
  }

  /**
   * One lenient pass over text that failed to parse: drops anything before the XML declaration (or,
   * without one, before the first markup), replaces HTML named entities by numeric character
   * references, escapes every {@code &} that does not start a known reference, declares on the root
   * element every namespace prefix used but never declared (the well-known ones with their real
   * namespace, others with a placeholder), and closes a truncated document: an incomplete last tag
   * is dropped, an open CDATA section and the elements still open are closed. CDATA sections,
   * comments and processing instructions are left as they are.
   */
  static Repair recovered(String text) {
    int declaration = text.indexOf("<?xml");
    int start = declaration >= 0 ? declaration : Math.max(0, text.indexOf('<'));
    String rewritten =
        withUndeclaredPrefixesDeclared(
            rewriteReferences(text.substring(start), XmlText::htmlEntityAsCharRef, true));
    Closing closing = closedAtEnd(rewritten);
    boolean completed = !closing.text().equals(rewritten);
    return new Repair(
        closing.text(), completed, completed && !endsWithRootEnd(rewritten), closing.entryCut());
  }

  /**
   * Whether the text ends with its root element's end tag ({@code </rss>}), only whitespace,
   * comments and processing instructions after it: a document that does was not cut off, whatever
   * else is wrong in it (a stray {@code <} in its text can make the repair close it early).
   */
  static boolean endsWithRootEnd(String text) {
    String root = scanProlog(text).rootName();
    if (root == null) {
      return false;
    }
    // the tail is text[0, end): an index, not substrings, so that many trailing comments or
    // processing instructions are not quadratic (each substring copied the whole document)
    int end = strippedEnd(text, text.length());
    while (text.startsWith("-->", end - 3) || text.startsWith("?>", end - 2)) {
      boolean comment = text.startsWith("-->", end - 3);
      int open = comment ? text.lastIndexOf("<!--", end - 4) : text.lastIndexOf("<?", end - 3);
      if (open < 0) {
        return false;
      }
      end = strippedEnd(text, open);
    }
    int endTag = text.lastIndexOf("</", end - 2);
    return endTag >= 0
        && end > 0
        && text.charAt(end - 1) == '>'
        && endTag + 2 <= end - 1
        && text.substring(endTag + 2, end - 1).strip().equals(root);
  }

  /** {@code end} moved back over the whitespace ({@link String#stripTrailing}'s) before it. */
  private static int strippedEnd(String text, int end) {
    int i = end;
    while (i > 0 && Character.isWhitespace(text.charAt(i - 1))) {
      i--;
    }
    return i;
  }

  /**
   * The outcome of {@link #recovered}.
   *
   * @param text the repaired text
   * @param completed whether the repair closed elements at its end (a cut-off document, or one
   *     whose stray {@code <} made the repair close it early)
   * @param truncated whether the document was cut off: it was completed, and the text does not end
   *     with its root element's end tag ({@link #endsWithRootEnd})
   * @param entryCut whether it was cut off inside an entry ({@code <item>} or {@code <entry>}, any
   *     prefix): that entry, the last, is incomplete
   */
  record Repair(String text, boolean completed, boolean truncated, boolean entryCut) {}

  /**
   * The outcome of {@link #closedAtEnd}.
   *
   * @param text the completed text
   * @param entryCut whether an {@code <item>} or {@code <entry>} element (any prefix) was still
   *     open at the end
   */
  record Closing(String text, boolean entryCut) {}

  /**
   * The text with an {@code xmlns:p} declaration added to the root start tag for each prefix used
   * but not declared.
   */
  static String withUndeclaredPrefixesDeclared(String text) {
    Set<String> used = new TreeSet<>();
    for (Pattern pattern : List.of(ELEMENT_PREFIX, ATTRIBUTE_PREFIX)) {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        used.add(m.group(1));
      }
    }
    used.remove("xml");
    used.remove("xmlns");
    Matcher declared = DECLARED_PREFIX.matcher(text);
    while (declared.find()) {
      used.remove(declared.group(1));
    }
    Prolog prolog = scanProlog(text);
    if (used.isEmpty() || used.size() > MAX_UNDECLARED_PREFIXES || prolog.rootStart() < 0) {
      // thousands of declarations on the root made the second parse quadratic (each namespace
      // declaration and prefixed attribute is checked against all the others); no feed uses them
      return text;
    }
    StringBuilder declarations = new StringBuilder();
    for (String prefix : used) {
      String uri = WELL_KNOWN_NAMESPACES.getOrDefault(prefix, UNDECLARED_NAMESPACE + prefix);
      declarations.append(" xmlns:").append(prefix).append("=\"").append(uri).append('"');
    }
    int insertAt = prolog.rootStart() + 1 + prolog.rootName().length();
    return text.substring(0, insertAt) + declarations + text.substring(insertAt);
  }

  /**
   * The text of a possibly truncated document made complete: a last tag without its {@code >} is
   * dropped, an unterminated CDATA section, comment or processing instruction is closed, and every
   * element still open is closed, innermost first. Text that is complete comes back unchanged.
   */
  static Closing closedAtEnd(String text) {
    Deque<String> open = new ArrayDeque<>();
    // how many times each name is on the stack: a linear search of the stack for every end tag
    // made <a></b><a></b>... quadratic (the depth check counts any end tag as a close)
    Map<String, Integer> openCounts = new HashMap<>();
    int i = 0;
    int length = text.length();
    String body = text;
    String tail = "";
    while (i < length) {
      int lt = body.indexOf('<', i);
      if (lt < 0) {
        break;
      }
      if (body.startsWith("<![CDATA[", lt)
          || body.startsWith("<!--", lt)
          || body.startsWith("<?", lt)) {
        String terminator =
            body.startsWith("<![CDATA[", lt) ? "]]>" : body.startsWith("<!--", lt) ? "-->" : "?>";
        int end = body.indexOf(terminator, lt + 2);
        if (end < 0) {
          tail = terminator;
          break;
        }
        i = end + terminator.length();
        continue;
      }
      int gt = tagEnd(body, lt + 1);
      if (gt < 0) {
        body = body.substring(0, lt);
        break;
      }
      if (body.startsWith("</", lt)) {
        String name = nameAt(body, lt + 2);
        if (name != null && openCounts.containsKey(name)) {
          // elements left open inside this one are closed with it, as a lenient parser would
          String closedName;
          do {
            closedName = open.pop();
            openCounts.computeIfPresent(closedName, (k, n) -> n == 1 ? null : n - 1);
          } while (!closedName.equals(name));
        }
      } else if (lt + 1 < length
          && isNameStart(body.charAt(lt + 1))
          && body.charAt(gt - 1) != '/') {
        String name = nameAt(body, lt + 1);
        open.push(name);
        openCounts.merge(name, 1, Integer::sum);
      }
      i = gt + 1;
    }
    if (open.isEmpty() && tail.isEmpty() && body.length() == text.length()) {
      return new Closing(text, false);
    }
    StringBuilder closed = new StringBuilder(body).append(tail);
    boolean entryCut = false;
    for (String name : open) {
      closed.append("</").append(name).append('>');
      String local = name.substring(name.indexOf(':') + 1);
      entryCut |= isEntry(local);
    }
    return new Closing(closed.toString(), entryCut);
  }

  /**
   * Whether an element's local name (without prefix) is a feed entry's: RSS / RDF {@code item},
   * Atom {@code entry}, in any case.
   */
  static boolean isEntry(String localName) {
    return localName.equalsIgnoreCase("item") || localName.equalsIgnoreCase("entry");
  }

  /**
   * Index of the {@code >} ending the tag whose name starts at {@code from}, quotes respected; -1
   * when none.
   */
  private static int tagEnd(String text, int from) {
    char quote = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return i;
      }
    }
    return -1;
  }

  private static String htmlEntityAsCharRef(String name) {
    switch (name) {
      case "amp":
      case "lt":
      case "gt":
      case "quot":
      case "apos":
        return null;
      default:
        break;
    }
    if (!Entities.isNamedEntity(name)) {
      return "&amp;" + name + ";";
    }
    StringBuilder refs = new StringBuilder();
    Entities.getByName(name).codePoints().forEach(cp -> refs.append("&#").append(cp).append(';'));
    return refs.toString();
  }

  /**
   * Rewrites entity references outside CDATA sections, comments and processing instructions.
   *
   * @param named replacement for {@code &name;}, or null to keep the reference as written
   * @param escapeBare the lenient pass: an {@code &} that starts no reference becomes {@code
   *     &amp;}, and a character reference to a character XML forbids is dropped
   */
  private static String rewriteReferences(
      String text, Function<String, String> named, boolean escapeBare) {
    StringBuilder out = new StringBuilder(text.length() + 64);
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '<') {
        int end = skippedSectionEnd(text, i);
        if (end > i) {
          out.append(text, i, end);
          i = end;
          continue;
        }
        out.append(c);
        i++;
      } else if (c == '&') {
        Matcher name = NAME_AND_SEMICOLON.matcher(text).region(i + 1, text.length());
        Matcher charRef = CHAR_REF.matcher(text).region(i + 1, text.length());
        if (charRef.lookingAt()) {
          if (!(escapeBare && refersToNonXmlChar(text, i + 1, charRef.end()))) {
            // a reference to a character XML forbids (&#11;, &#0;, &#xFFFE;) failed the whole
            // feed; in the lenient pass it is dropped, as the raw character is
            out.append(text, i, charRef.end());
          }
          i = charRef.end();
        } else if (name.lookingAt()) {
          String replacement = named.apply(name.group(1));
          out.append(replacement != null ? replacement : text.substring(i, name.end()));
          i = name.end();
        } else {
          out.append(escapeBare ? "&amp;" : "&");
          i++;
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * End of a CDATA section, comment or PI starting at {@code lt}; {@code lt} when none starts
   * there.
   */
  private static int skippedSectionEnd(String text, int lt) {
    if (text.startsWith("<![CDATA[", lt)) {
      return endOf(text, "]]>", lt + 9);
    }
    if (text.startsWith("<!--", lt)) {
      return endOf(text, "-->", lt + 4);
    }
    if (text.startsWith("<?", lt)) {
      return endOf(text, "?>", lt + 2);
    }
    return lt;
  }

  private static Map<String, String> plainInternalEntities(String doctype) {
    Map<String, String> entities = new HashMap<>();
    Matcher m = INTERNAL_ENTITY.matcher(doctype);
    while (m.find()) {
      String value = m.group(2) != null ? m.group(2) : m.group(3);
      boolean plain = value.indexOf('&') < 0 && value.indexOf('%') < 0 && value.indexOf('<') < 0;
      if (plain && value.length() <= MAX_ENTITY_TEXT) {
        entities.putIfAbsent(m.group(1), value.replace("\"", "&quot;").replace("'", "&apos;"));
      }
    }
    return entities;
  }

  /** Index just past the {@code >} closing a DOCTYPE whose body starts at {@code from}. */
  private static int doctypeEnd(String text, int from) {
    char quote = 0;
    boolean inSubset = false;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (inSubset && text.startsWith("<!--", i)) {
        i = endOf(text, "-->", i + 4) - 1;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[') {
        inSubset = true;
      } else if (c == ']') {
        inSubset = false;
      } else if (c == '>' && !inSubset) {
        return i + 1;
      }
    }
    return text.length();
  }

  private static int endOf(String text, String terminator, int from) {
    int end = text.indexOf(terminator, from);
    return end < 0 ? text.length() : end + terminator.length();
  }

  private static int skipSpace(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static String nameAt(String text, int from) {
    int i = from;
    while (i < text.length() && isNameChar(text.charAt(i))) {
      i++;
    }
    return i > from ? text.substring(from, i) : null;
  }

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_' || c == ':';
  }

  private static boolean isNameChar(char c) {
    return isNameStart(c) || Character.isDigit(c) || c == '-' || c == '.';
  }

  /** What {@link #costlyStructure} found in a document. */
  enum CostlyStructure {
    /** Elements nested deeper than the limit. */
    NESTING,
    /** More namespace declarations in scope at one element than the limit. */
    NAMESPACES,
    /** More elements in the document than the limit. */
    ELEMENTS
  }

  /**
   * Whether the document nests elements deeper than {@code maxDepth}, has more than {@code
   * maxNamespacesInScope} namespace declarations ({@code xmlns} and {@code xmlns:prefix}
   * attributes) in scope at one element, its own and its ancestors', or has more than {@code
   * maxElements} elements (start and empty-element tags), by a linear scan of the markup (comments,
   * CDATA sections, processing instructions and declarations skipped; quoted attribute values
   * respected). Tolerant of ill-formed input: it only counts, and an end tag closes the innermost
   * open element whatever its name.
   *
   * @param text the document text
   * @param maxDepth the deepest nesting accepted
   * @param maxNamespacesInScope the most namespace declarations accepted in scope at one element
   * @param maxElements the most elements accepted in the document
   * @return the first limit passed, in document order, or null when the document is within all
   */
  static CostlyStructure costlyStructure(
      String text, int maxDepth, int maxNamespacesInScope, int maxElements) {
    // declared[d] = namespace declarations in scope inside the open element at depth d + 1
    int[] declared = new int[Math.min(maxDepth, 64) + 1];
    int depth = 0;
    int elements = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      int lt = text.indexOf('<', i);
      if (lt < 0 || lt + 1 >= n) {
        return null;
      }
      char c = text.charAt(lt + 1);
      if (text.startsWith("<!--", lt)) {
        int end = text.indexOf("-->", lt + 4);
        i = end < 0 ? n : end + 3;
      } else if (text.startsWith("<![CDATA[", lt)) {
        int end = text.indexOf("]]>", lt + 9);
        i = end < 0 ? n : end + 3;
      } else if (c == '?') {
        // to its "?>", as the parser reads it: a '>' inside is data, not its end
        i = endOf(text, "?>", lt + 2);
      } else if (text.regionMatches(true, lt, "<!DOCTYPE", 0, 9)) {
        // past its internal subset, as scanProlog and the DOCTYPE's removal read it
        i = doctypeEnd(text, lt + 9);
      } else if (c == '!') {
        int end = text.indexOf('>', lt + 2);
        i = end < 0 ? n : end + 1;
      } else if (c == '/') {
        depth = Math.max(0, depth - 1);
        int end = text.indexOf('>', lt + 2);
        i = end < 0 ? n : end + 1;
      } else if (mayStartElementName(c)) {
        int inScope = depth == 0 ? 0 : declared[depth - 1];
        int j = lt + 1;
        char quote = 0;
        while (j < n) {
          char d = text.charAt(j);
          if (quote != 0) {
            if (d == quote) {
              quote = 0;
            }
          } else if (d == '"' || d == '\'') {
            quote = d;
          } else if (d == '>') {
            break;
          } else if (isNamespaceDeclarationAt(text, j)) {
            inScope++;
          }
          j++;
        }
        if (j >= n) {
          return null;
        }
        if (inScope > maxNamespacesInScope) {
          return CostlyStructure.NAMESPACES;
        }
        if (++elements > maxElements) {
          return CostlyStructure.ELEMENTS;
        }
        if (text.charAt(j - 1) != '/') {
          if (++depth > maxDepth) {
            return CostlyStructure.NESTING;
          }
          if (depth > declared.length) {
            declared = Arrays.copyOf(declared, Math.min(maxDepth, declared.length * 2));
          }
          declared[depth - 1] = inScope;
        }
        i = j + 1;
      } else {
        i = lt + 1;
      }
    }
    return null;
  }

  /**
   * Whether an element name may start with the character, for {@link #costlyStructure}: an ASCII
   * letter, {@code _} or {@code :}, or any character outside ASCII. The parser takes more than
   * {@link Character#isLetter} does ({@code 〇}, U+3007, and other letter-like numerals), so a test
   * narrower than the parser's let elements so named nest without limit; a wider one only counts a
   * stray {@code <} before such a character in ill-formed text as an element.
   */
  private static boolean mayStartElementName(char c) {
    return c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':';
  }

  /**
   * @return true when an attribute named {@code xmlns} or {@code xmlns:...} starts at {@code i}
   *     (after white space, inside a start tag)
   */
  private static boolean isNamespaceDeclarationAt(String text, int i) {
    if (!text.startsWith("xmlns", i) || !Character.isWhitespace(text.charAt(i - 1))) {
      return false;
    }
    int after = i + 5;
    return after < text.length()
        && (text.charAt(after) == ':'
            || text.charAt(after) == '='
            || Character.isWhitespace(text.charAt(after)));
  }
}
