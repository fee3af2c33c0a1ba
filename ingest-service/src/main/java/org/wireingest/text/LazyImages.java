package org.wireingest.text;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jsoup.nodes.Attributes;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;

/**
 * Images that a publisher's page loads lazily, given the source its script would load. A CMS that
 * lazy-loads images (WordPress plug-ins, lazysizes, jQuery Lazy Load, many agency sites) writes
 * {@code <img src="" data-src="https://...">} or {@code <img src="data:image/gif;base64,..."
 * data-lazy-src="...">} and lets a script copy the real URL into {@code src} when the image scrolls
 * into view. A feed reader runs no script, so without this such a story has no picture.
 *
 * <p>Only an image without a usable {@code src} is changed: one whose {@code src} is absent, blank
 * (only spaces and control characters), only a fragment ({@code src="#"}, the page itself), or
 * refused by {@link Html#SAFELIST} once resolved against the base URI (a {@code data:} URI
 * placeholder such as the 1×1 GIF of WordPress plug-ins, a {@code javascript:} URL, a relative URL
 * without a base). Its {@code src} becomes the first of these that the safelist accepts, as written
 * (the cleaner then resolves it exactly as any other {@code src}):
 *
 * <ol>
 *   <li>{@code data-src}, {@code data-lazy-src}, {@code data-original}, in that order (the
 *       attributes of lazysizes and most WordPress plug-ins, WP Rocket, jQuery Lazy Load);
 *   <li>a candidate of {@code srcset}, {@code data-srcset}, {@code data-lazy-srcset}, in that order
 *       ({@link Srcset#largest}: the largest image, the newsroom's best rendition).
 * </ol>
 *
 * An image inside a {@code <picture>} that still has no source takes the largest candidate of the
 * {@code srcset} / {@code data-srcset} / {@code data-lazy-srcset} of its {@code <source>} siblings
 * (HTML Living Standard §4.8.1; lazysizes writes {@code data-srcset} there): first of the sources
 * without a {@code type} or of a type every newsroom tool reads (JPEG, PNG, GIF, WebP), else of the
 * others (AVIF, JPEG XL); {@code media} is ignored, since an article event has no viewport.
 *
 * <p>When none is accepted the image is left as it is, and is dropped as before. An image whose
 * {@code src} is usable keeps it, even beside a lazy attribute (an http(s) placeholder cannot be
 * told from a real picture by its URL), unless its {@code class} names lazy loading (a class name
 * containing {@code lazy}, in any case: {@code lazyload}, {@code lazy}, {@code wp-lazy-image}, none
 * opting out of it: {@code nolazy}, {@code skip-lazy}, {@code lazy-disabled}): then the first
 * usable URL of {@code data-src}, {@code data-lazy-src}, {@code data-original}, {@code
 * data-srcset}, {@code data-lazy-srcset} replaces it, as Mozilla Readability's {@code
 * _fixLazyImages} lets lazy attributes override {@code src} there. {@code srcset} does not: beside
 * a real {@code src} it names renditions of the same picture, not the one a script would load.
 *
 * <p>A placeholder still without a usable {@code src} ({@code <img class="lazyload">}, a {@code
 * data:} GIF, no lazy attribute) followed by a {@code <noscript>} that holds one image and nothing
 * else (blank text aside), as lazy-loading plug-ins write the real image for readers without
 * script, is replaced by that image, when its source (its {@code src}, kept whatever its class,
 * else its lazy attributes) is usable: the shape Mozilla Readability's {@code
 * _unwrapNoscriptImages} unwraps. Every other {@code <noscript>} stays dropped with its content
 * (text, links, several images, an image with no placeholder before it), and so is the one after a
 * placeholder that its lazy attributes gave a source: the plug-ins that put the real {@code <img>}
 * there also put its URL in a lazy attribute of the placeholder, so taking both would list the
 * picture twice.
 *
 * <p>Plain Java on jsoup; thread-safe (the selector is parsed once).
 */
final class LazyImages {

  /** The attributes holding a lazily loaded image's URL, most preferred first. */
  private static final List<String> SOURCE_ATTRIBUTES =
      List.of("data-src", "data-lazy-src", "data-original");

  /** The attributes holding a lazily loaded image's srcset, most preferred first. */
  private static final List<String> SRCSET_ATTRIBUTES =
      List.of("srcset", "data-srcset", "data-lazy-srcset");

  /**
   * The media types of a {@code <source>} ({@code type}, parameters aside) whose images every
   * newsroom tool reads; a source of another type is taken only when none of these has a usable
   * candidate. {@code image/jpg}, no registered type but what many CMSs write for JPEG, counts as
   * {@code image/jpeg}.
   */
  private static final Set<String> COMMON_IMAGE_TYPES =
      Set.of("image/jpeg", "image/jpg", "image/png", "image/gif", "image/webp");

  /**
   * Images carrying any of those attributes or inside a {@code <picture>}, and {@code <noscript>}
   * elements, in document order; parsed once, as {@code DROPPED_ELEMENTS}.
   */
  private static final Evaluator LAZY_IMAGES =
      QueryParser.parse(
          "img[data-src], img[data-lazy-src], img[data-original], img[srcset], img[data-srcset],"
              + " img[data-lazy-srcset], picture > img, noscript");

  private LazyImages() {}

  /**
   * Whether HTML may hold a lazily loaded image: whether it contains {@code data-}, {@code srcset}
   * or {@code noscript}, in any case, which every lazy attribute's name, and the {@code <noscript>}
   * a placeholder's image may be in, does. Most bodies have none, and this scan of the text costs
   * less than the selector's walk over the parsed elements. The words' first letter is matched in
   * ASCII only ({@code d}, {@code s}, {@code n} or upper case), the rest as {@link
   * String#regionMatches(boolean, int, String, int, int)} ignoring case does.
   *
   * @param html the text the fragment was parsed from; not null
   * @return false only when no element of it can carry a lazy attribute or be a {@code <noscript>}
   */
  static boolean mayHaveLazyImages(String html) {
    // the words are looked for where their rarest letter is, found by String.indexOf (which the
    // JIT vectorises), not tried at every char: the '-' of data-, and c or C, the one letter of
    // both srcset and noscript that only an ASCII c or C matches ignoring case
    for (int at = html.indexOf('-', 4); at >= 0; at = html.indexOf('-', at + 1)) {
      if (startsAt(html, at - 4, "data-")) {
        return true;
      }
    }
    return hasSrcsetOrNoscriptAround(html, 'c') || hasSrcsetOrNoscriptAround(html, 'C');
  }

  /**
   * @param c {@code c} or {@code C}
   * @return whether {@code html} holds {@code srcset} or {@code noscript} with {@code c} as their
   *     {@code c}, as {@link #mayHaveLazyImages} matches them
   */
  private static boolean hasSrcsetOrNoscriptAround(String html, char c) {
    for (int at = html.indexOf(c, 2); at >= 0; at = html.indexOf(c, at + 1)) {
      if (startsAt(html, at - 2, "srcset") || at >= 3 && startsAt(html, at - 3, "noscript")) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param start an index of {@code html}
   * @return whether {@code word} (lower case) is in {@code html} at {@code start}: its first letter
   *     in ASCII only, in either case, the rest ignoring case
   */
  private static boolean startsAt(String html, int start, String word) {
    return (char) (html.charAt(start) | 0x20) == word.charAt(0)
        && html.regionMatches(true, start, word, 0, word.length());
  }

  /**
   * Gives every lazily loaded image under {@code root} without a usable {@code src} the source its
   * lazy attributes name, when the safelist accepts one.
   *
   * @param root the parsed fragment, before web beacons and blank images are dropped; not null
   * @param base the fragment's base URI (its document's, which every element of a parsed fragment
   *     shares), empty when it has none; taken once rather than from each image, whose {@link
   *     Element#baseUri()} climbs its ancestors (images × depth on a deeply nested fragment)
   */
  static void resolve(Element root, String base) {
    Predicate<String> usable = url -> isUsable(base, url);
    // each picture's sources read once, however many images follow them: not images x sources
    Map<Element, PictureSources> pictures = new IdentityHashMap<>();
    // the images taken out of a <noscript>, selected before they were: shown by their src
    Set<Element> unwrapped = Collections.newSetFromMap(new IdentityHashMap<>());
    // document order: a placeholder has its source, if any, before the <noscript> after it
    for (Element element : root.select(LAZY_IMAGES)) {
      if (element.normalName().equals("noscript")) {
        Element image = unwrapImage(element, base);
        if (image != null) {
          unwrapped.add(image);
        }
        continue;
      }
      if (unwrapped.contains(element)) {
        continue;
      }
      // the image's Attributes, not Element.attr: setting through the element looks its document
      // up through every ancestor, images x depth again
      Attributes attributes = element.attributes();
      if (hasUsableSource(attributes, base)) {
        overrideWithLazySource(attributes, base);
        continue;
      }
      String source = lazySource(attributes, base, true);
      Element parent = element.parent();
      if (source == null && parent != null && parent.normalName().equals("picture")) {
        source =
            pictures
                .computeIfAbsent(parent, picture -> new PictureSources(picture, usable))
                .largestBefore(element);
      }
      if (source != null) {
        attributes.put("src", source);
      }
    }
  }

  /**
   * Gives an image with a usable {@code src} and a class naming lazy loading the URL of its lazy
   * attributes, when one is usable: the {@code src} is the plug-in's http(s) placeholder (Mozilla
   * Readability, {@code _fixLazyImages}, reads such an image the same way). {@code srcset} is no
   * lazy attribute here: beside a real {@code src} it names renditions of the same picture.
   */
  private static void overrideWithLazySource(Attributes attributes, String base) {
    if (!namesLazyLoading(attributes.get("class"))) {
      return;
    }
    String source = lazySource(attributes, base, false);
    if (source != null) {
      attributes.put("src", source);
    }
  }

  /**
   * A class name that keeps an image out of lazy loading, lower-cased: {@code no}, {@code not},
   * {@code skip}, {@code disable(d)} or {@code exclude(d)} as a word right before {@code lazy}
   * ({@code nolazy}, {@code skip-lazy}, {@code a3-notlazy}, {@code no-lazyload}), or one of them or
   * {@code off} as a word after it ({@code lazy-disabled}, {@code lazyload-off}). The plug-ins give
   * an image such a class to leave its {@code src}, the real picture, alone.
   */
  private static final Pattern OPTS_OUT_OF_LAZY_LOADING =
      Pattern.compile(
          "(?:^|[-_])(?:no|not|skip|disable|disabled|exclude|excluded)[-_]?lazy"
              + "|lazy[a-z0-9]*[-_](?:off|skip|disable|disabled|exclude|excluded)(?:$|[-_])");

  /**
   * Whether a {@code class} attribute names lazy loading: whether one of its class names contains
   * {@code lazy}, in any case ({@code lazyload} of lazysizes, {@code lazy}, {@code wp-lazy-image},
   * ...), and none opts out of it ({@link #OPTS_OUT_OF_LAZY_LOADING}: {@code nolazy}, {@code
   * skip-lazy}, {@code lazy-disabled}, ...).
   *
   * @param className the attribute's value, empty when absent; not null
   */
  private static boolean namesLazyLoading(String className) {
    if (!containsLazy(className)) {
      return false;
    }
    boolean lazy = false;
    for (String name : className.toLowerCase(Locale.ROOT).split("\\s+")) {
      if (name.contains("lazy")) {
        if (OPTS_OUT_OF_LAZY_LOADING.matcher(name).find()) {
          return false;
        }
        lazy = true;
      }
    }
    return lazy;
  }

  /** Whether {@code text} contains {@code lazy}, in any case, without copying it. */
  private static boolean containsLazy(String text) {
    int last = text.length() - 4;
    for (int i = 0; i <= last; i++) {
      if (text.regionMatches(true, i, "lazy", 0, 4)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Puts the image of a {@code <noscript>} in place of the placeholder image before it, when the
   * {@code <noscript>} holds that one image and nothing else (blank text aside), the element before
   * it (blank text aside) is an image without a usable {@code src}, its lazy attributes having
   * given none, and the image of the {@code <noscript>} has a usable source (its {@code src}, else
   * its lazy attributes'). A usable {@code src} of that image is kept whatever its class: an image
   * for readers without script is shown by it, lazy attributes and all. Mozilla Readability ({@code
   * _unwrapNoscriptImages}) unwraps the same shape. Otherwise nothing changes, and the {@code
   * <noscript>} is dropped later with its content.
   *
   * @param noscript a {@code <noscript>} of the fragment, after the images before it were resolved
   * @return the image put in the placeholder's place; null when nothing changed
   */
  private static Element unwrapImage(Element noscript, String base) {
    Element image = onlyImage(noscript);
    if (image == null) {
      return null;
    }
    Element placeholder = placeholderBefore(noscript, base);
    if (placeholder == null) {
      return null;
    }
    Attributes attributes = image.attributes();
    if (!hasUsableSource(attributes, base)) {
      String source = lazySource(attributes, base, true);
      if (source == null) {
        return null;
      }
      attributes.put("src", source);
    }
    placeholder.replaceWith(image);
    return image;
  }

  /**
   * @return the only child element of {@code noscript} when it is an {@code <img>} and every other
   *     child is blank text; null otherwise
   */
  private static Element onlyImage(Element noscript) {
    Element image = null;
    for (Node child : noscript.childNodes()) {
      if (child instanceof TextNode text && text.isBlank()) {
        continue;
      }
      if (image != null
          || !(child instanceof Element element)
          || !element.normalName().equals("img")) {
        return null;
      }
      image = element;
    }
    return image;
  }

  /**
   * @return the image right before {@code noscript}, blank text aside, when it has no usable {@code
   *     src}; null when there is none or it has one
   */
  private static Element placeholderBefore(Element noscript, String base) {
    Node previous = noscript.previousSibling();
    while (previous instanceof TextNode text && text.isBlank()) {
      previous = previous.previousSibling();
    }
    return previous instanceof Element element
            && element.normalName().equals("img")
            && !hasUsableSource(element.attributes(), base)
        ? element
        : null;
  }

  private static boolean hasUsableSource(Attributes attributes, String base) {
    return attributes.hasKey("src") && isUsable(base, attributes.get("src"));
  }

  /**
   * @param attributes an image's attributes, names in lower case (as the HTML parser gives them)
   * @param withSrcset whether {@code srcset} counts, not only the {@code data-} attributes
   * @return the first usable URL of the image's lazy attributes; null when there is none
   */
  private static String lazySource(Attributes attributes, String base, boolean withSrcset) {
    for (String attribute : SOURCE_ATTRIBUTES) {
      String value = attributes.get(attribute);
      if (isUsable(base, value)) {
        return value;
      }
    }
    for (String attribute : SRCSET_ATTRIBUTES) {
      if ((withSrcset || !attribute.equals("srcset")) && attributes.hasKey(attribute)) {
        String largest = Srcset.largest(attributes.get(attribute), url -> isUsable(base, url));
        if (largest != null) {
          return largest;
        }
      }
    }
    return null;
  }

  /**
   * The {@code <source>} elements of one {@code <picture>}, read in document order as far as the
   * image asked about, each once: an image takes the largest candidate of the sources before it
   * (HTML Living Standard §4.8.1, "update the source set"), common image types first, and the next
   * image of the same picture goes on from there.
   *
   * <p>Not thread-safe: one per picture of one {@link #resolve} call.
   */
  private static final class PictureSources {

    private final Srcset.Largest common;
    private final Srcset.Largest other;

    /** The first child element of the picture not read yet; null once all are read. */
    private Element next;

    PictureSources(Element picture, Predicate<String> usable) {
      this.common = new Srcset.Largest(usable);
      this.other = new Srcset.Largest(usable);
      this.next = picture.firstElementChild();
    }

    /**
     * @param image a child of the picture without a usable source of its own, after any image asked
     *     about before (images are asked in document order); not null
     * @return the URL, as written, of the largest usable candidate of the sources before {@code
     *     image}, common image types first; null when none is usable
     */
    String largestBefore(Element image) {
      while (next != null && next != image) {
        read(next);
        next = next.nextElementSibling();
      }
      if (next == image) {
        next = image.nextElementSibling();
      }
      String largest = common.url();
      return largest != null ? largest : other.url();
    }

    private void read(Element element) {
      if (!element.normalName().equals("source")) {
        return;
      }
      Attributes attributes = element.attributes();
      String type = mediaType(attributes.get("type"));
      Srcset.Largest group = type.isEmpty() || COMMON_IMAGE_TYPES.contains(type) ? common : other;
      for (String attribute : SRCSET_ATTRIBUTES) {
        if (attributes.hasKey(attribute)) {
          group.add(attributes.get(attribute));
        }
      }
    }
  }

  /**
   * The media type of a {@code type} attribute, its parameters aside ({@code image/jpeg; q=1} is
   * {@code image/jpeg}), as browsers read it (MIME Sniffing Standard, "parse a MIME type": the
   * essence, in lower case).
   *
   * @param type the attribute's value, empty when absent; not null
   * @return the type and subtype in lower case, without blanks around; empty when there is none
   */
  private static String mediaType(String type) {
    int semicolon = type.indexOf(';');
    String essence = semicolon < 0 ? type : type.substring(0, semicolon);
    return essence.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether an image source shows a picture once cleaned: not blank nor only a fragment ({@link
   * Html#NO_IMAGE_SOURCE}), and accepted by {@link Html#SAFELIST} (an http(s) URL once resolved
   * against {@code base}).
   */
  private static boolean isUsable(String base, String value) {
    return !Html.NO_IMAGE_SOURCE.matcher(value).matches()
        && Html.SAFELIST.allowsUrl("img", "src", base, value);
  }
}
