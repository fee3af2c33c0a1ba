package org.wireingest.parse;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import org.jdom2.Attribute;
import org.jdom2.Element;
import org.jdom2.Namespace;
import org.wireingest.text.UriReferences;

/**
 * Atom's {@code xml:base} (RFC 4287 §2, XML Base): the base URI that the relative references of an
 * element and its descendants are resolved against (RFC 3986 §5). It may sit on any element; a
 * relative one is resolved against the base in effect at its parent.
 *
 * <p>{@link #apply} applies it to an Atom document before Rome reads it (Rome's own {@code
 * resolveURIs} is a global switch, and off): every {@code xml:base} is rewritten to the base in
 * effect at its element, and every {@code <link href>} is resolved against the base in effect at
 * the link. {@link #of} then gives the base in effect at any element, which the mapper hands on as
 * {@link ParsedEntry#baseUri()} for the relative URLs in the entry's HTML.
 *
 * <p>Where no {@code xml:base} is in effect nothing changes: relative links are resolved later
 * against the feed's link, as in any feed, and the entry's HTML against the entry's link. The same
 * holds when only relative ones are: the document's own URL, which they would be resolved against,
 * is not known here, so the links stay relative, their bases joined. An {@code xml:base} that is no
 * URI reference, or an absolute one with a scheme other than http(s) ({@code javascript:}, {@code
 * data:}, {@code file:}) or without a host, or one longer than {@value #MAX_CHARS} characters as
 * written or resolved, is never applied: it is removed with a {@value #BAD_XML_BASE} warning, and
 * the base of its parent stays in effect.
 *
 * <p>Only the Atom elements are walked, not the markup inside a text construct ({@code content},
 * {@code summary}, ...) nor foreign elements: their own {@code xml:base} is not read.
 */
final class XmlBase {

  /** The warning kind of an {@code xml:base} that was not applied. */
  static final String BAD_XML_BASE = "bad-xml-base";

  /** The text constructs of Atom 1.0 and 0.3, whose children are content, not Atom elements. */
  private static final Set<String> TEXT_CONSTRUCTS =
      Set.of("title", "subtitle", "summary", "content", "rights", "tagline", "info", "copyright");

  /**
   * Most characters of an {@code xml:base}, as written and as resolved: RFC 9110 §4.1's 8,000 for a
   * URI. Every raw entry under it carries its base ({@link ParsedEntry#baseUri()}), so a 1 MB one
   * on the {@code <feed>} made each entry's raw item 1 MB larger, and the walk read and parsed it
   * again at each element (43 s for 2,000 entries).
   */
  static final int MAX_CHARS = 8000;

  private static final Set<String> ATOM_NAMESPACES =
      Set.of(FeedMapper.ATOM_10_URI, FeedMapper.ATOM_03_URI);

  private XmlBase() {}

  /**
   * Applies the {@code xml:base} attributes of an Atom document, in place, as the class comment
   * says; does nothing to any other document.
   *
   * @param root the document's root element; its Atom elements changed in place
   * @param warnings where {@value #BAD_XML_BASE} goes, once for each {@code xml:base} not applied
   */
  static void apply(Element root, Warnings warnings) {
    if (!ATOM_NAMESPACES.contains(root.getNamespaceURI())) {
      return;
    }
    Deque<Pending> pending = new ArrayDeque<>();
    pending.push(new Pending(root, null));
    while (!pending.isEmpty()) {
      Pending next = pending.pop();
      Element element = next.element();
      URI base = ownBase(element, next.outer(), warnings);
      if (base != null && element.getName().equals("link")) {
        resolveAttribute(element, "href", base);
      }
      if (!TEXT_CONSTRUCTS.contains(element.getName()) || element == root) {
        for (Element child : element.getChildren()) {
          if (ATOM_NAMESPACES.contains(child.getNamespaceURI())) {
            pending.push(new Pending(child, base));
          }
        }
      }
    }
  }

  /**
   * An Atom element still to be walked, with the base in effect at its parent, handed down rather
   * than read again from the parent's attribute and parsed once per element.
   *
   * @param outer null when none is in effect
   */
  private record Pending(Element element, URI outer) {}

  /**
   * The base in effect at an element of a document {@link #apply} has been applied to: the {@code
   * xml:base} of the element or of its nearest ancestor that has one.
   *
   * @return an absolute http(s) URI, or a relative reference when only relative bases are in
   *     effect; null when none is
   */
  static String of(Element element) {
    for (Element e = element; e != null; e = e.getParentElement()) {
      String base = e.getAttributeValue("base", Namespace.XML_NAMESPACE);
      if (base != null) {
        return base;
      }
    }
    return null;
  }

  /**
   * The base in effect at an element whose ancestors' {@code xml:base} have been applied: its own
   * resolved against theirs, written back into the attribute; else theirs.
   *
   * @param outer the base in effect at the element's parent; null when none is
   * @return null when none is in effect
   */
  private static URI ownBase(Element element, URI outer, Warnings warnings) {
    Attribute attribute = element.getAttribute("base", Namespace.XML_NAMESPACE);
    if (attribute == null) {
      return outer;
    }
    String written = attribute.getValue().strip();
    if (written.length() > MAX_CHARS) {
      warnings.add(
          BAD_XML_BASE,
          "<"
              + element.getQualifiedName()
              + " xml:base> of "
              + written.length()
              + " characters, over "
              + MAX_CHARS
              + ": not applied");
      element.removeAttribute(attribute);
      return outer;
    }
    URI base;
    try {
      URI reference = new URI(written);
      base = outer == null ? reference : UriReferences.resolve(outer, reference);
    } catch (URISyntaxException e) {
      base = null;
    }
    if (base == null
        || base.isAbsolute() && !isHttpWithHost(base)
        || base.toString().length() > MAX_CHARS) {
      warnings.add(
          BAD_XML_BASE,
          "<" + element.getQualifiedName() + " xml:base=\"" + written + "\"> not applied");
      element.removeAttribute(attribute);
      return outer;
    }
    if (base.toString().isEmpty()) {
      // xml:base="" with no base in effect: nothing to resolve against
      element.removeAttribute(attribute);
      return null;
    }
    attribute.setValue(base.toString());
    return base;
  }

  private static boolean isHttpWithHost(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    return (scheme.equals("http") || scheme.equals("https"))
        && uri.getRawAuthority() != null
        && !uri.getRawAuthority().isEmpty();
  }

  /** The attribute's value resolved against {@code base}; left as written when it is no URI. */
  private static void resolveAttribute(Element element, String name, URI base) {
    String value = element.getAttributeValue(name);
    if (value == null) {
      return;
    }
    try {
      element.setAttribute(name, UriReferences.resolve(base, new URI(value.strip())).toString());
    } catch (URISyntaxException e) {
      // kept as written: the mapper treats it as any link it cannot resolve
    }
  }
}
