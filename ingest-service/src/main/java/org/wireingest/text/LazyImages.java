package org.wireingest.text;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jsoup.nodes.Attributes;
import org.jsoup.nodes.Element;
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
 * {@code src} is usable keeps it, even beside a lazy attribute: an http(s) placeholder cannot be
 * told from a real picture by its URL. {@code <noscript>} stays dropped with its content: the
 * plug-ins that put the real {@code <img>} there also put its URL in a lazy attribute of the
 * placeholder, so taking both would list the picture twice.
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
   * Images carrying any of those attributes, or inside a {@code <picture>}; parsed once, as {@code
   * DROPPED_ELEMENTS}.
   */
  private static final Evaluator LAZY_IMAGES =
      QueryParser.parse(
          "img[data-src], img[data-lazy-src], img[data-original], img[srcset], img[data-srcset],"
              + " img[data-lazy-srcset], picture > img");

  private LazyImages() {}

  /**
   * Whether HTML may hold a lazily loaded image: whether it contains {@code data-} or {@code
   * srcset}, in any case, which every lazy attribute's name does. Most bodies have neither, and
   * this scan of the text costs less than the selector's walk over the parsed elements.
   *
   * @param html the text the fragment was parsed from; not null
   * @return false only when no element of it can carry a lazy attribute
   */
  static boolean mayHaveLazyImages(String html) {
    int last = html.length() - 5;
    for (int i = 0; i <= last; i++) {
      char c = (char) (html.charAt(i) | 0x20);
      if (c == 'd' && html.regionMatches(true, i, "data-", 0, 5)
          || c == 's' && html.regionMatches(true, i, "srcset", 0, 6)) {
        return true;
      }
    }
    return false;
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
    for (Element image : root.select(LAZY_IMAGES)) {
      // the image's Attributes, not Element.attr: setting through the element looks its document
      // up through every ancestor, images x depth again
      Attributes attributes = image.attributes();
      if (attributes.hasKey("src") && isUsable(base, attributes.get("src"))) {
        continue;
      }
      String source = lazySource(attributes, base);
      Element parent = image.parent();
      if (source == null && parent != null && parent.normalName().equals("picture")) {
        source =
            pictures
                .computeIfAbsent(parent, picture -> new PictureSources(picture, usable))
                .largestBefore(image);
      }
      if (source != null) {
        attributes.put("src", source);
      }
    }
  }

  /**
   * @param attributes an image's attributes, names in lower case (as the HTML parser gives them)
   * @return the first usable URL of the image's lazy attributes; null when there is none
   */
  private static String lazySource(Attributes attributes, String base) {
    for (String attribute : SOURCE_ATTRIBUTES) {
      String value = attributes.get(attribute);
      if (isUsable(base, value)) {
        return value;
      }
    }
    for (String attribute : SRCSET_ATTRIBUTES) {
      if (attributes.hasKey(attribute)) {
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
