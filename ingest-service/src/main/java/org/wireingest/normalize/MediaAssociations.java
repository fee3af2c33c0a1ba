package org.wireingest.normalize;

import java.net.URLConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.wireingest.model.ArticleEvent.Association;
import org.wireingest.model.ArticleEvent.Rendition;
import org.wireingest.parse.ParsedEntry.Enclosure;
import org.wireingest.text.Html;
import org.wireingest.text.UrlCanonicalizer;
import org.wireingest.text.UrlSafelist;

/**
 * Maps an entry's enclosures (RSS {@code <enclosure>}, Media RSS {@code media:content} / {@code
 * media:thumbnail}) to ninjs associations. Pure; see {@link Normalizer} for the rules.
 */
final class MediaAssociations {

  static final String PICTURE = "picture";
  static final String VIDEO = "video";
  static final String AUDIO = "audio";
  static final String FILE = "file";

  /**
   * Most associations an article carries: {@value}, the first in order. Real entries have a few; an
   * entry of 10,000 enclosures made an article event of 2 MB, too large to publish, so the story
   * was lost.
   */
  static final int MAX_ASSOCIATIONS = 100;

  /**
   * Most characters the associations of an article take ({@link Media#chars}), in all: {@value}. A
   * hundred media of 4 KB URLs fit in a raw item but, their URLs written twice, made an article
   * event over 1 MB, too large to publish, so the story was lost.
   */
  static final int MAX_ASSOCIATION_CHARS = 250_000;

  private MediaAssociations() {}

  /**
   * @param enclosures the entry's enclosures, in feed order
   * @param bodyImages absolute URLs of the images embedded in the body, used only when there is no
   *     enclosure
   * @param warnings where {@link Normalizer#MEDIA_TRUNCATED} goes when media are left out
   * @return associations named {@code media-1}, {@code media-2}, ... in order of first appearance,
   *     at most {@link #MAX_ASSOCIATIONS}, and only while they take at most {@link
   *     #MAX_ASSOCIATION_CHARS}
   */
  static List<Association> of(
      List<Enclosure> enclosures, List<String> bodyImages, Set<String> warnings) {
    Map<String, Media> byUrl = new LinkedHashMap<>();
    List<Enclosure> thumbnails = new ArrayList<>();
    for (Enclosure enclosure : enclosures) {
      if (enclosure.url() == null || enclosure.url().isBlank() || !safe(enclosure)) {
        continue;
      }
      if (isThumbnail(enclosure)) {
        thumbnails.add(enclosure);
      } else {
        byUrl.merge(urlKey(enclosure.url()), new Media(enclosure), Media::mergedWith);
      }
    }
    Set<String> thumbnailUrls = new HashSet<>();
    // Owners take thumbnails in order, and one that has taken one takes no other: a cursor finds
    // the
    // next, where a search from the start made 10,000 thumbnails quadratic.
    List<Media> candidates = List.copyOf(byUrl.values());
    int next = 0;
    for (Enclosure thumbnail : thumbnails) {
      String key = urlKey(thumbnail.url());
      if (byUrl.containsKey(key) || !thumbnailUrls.add(key)) {
        continue; // the same image as a media object or as an earlier thumbnail
      }
      while (next < candidates.size() && !candidates.get(next).acceptsThumbnail()) {
        next++;
      }
      if (next < candidates.size()) {
        candidates.get(next).thumbnail = thumbnail;
      } else {
        byUrl.put(key, Media.thumbnailOnly(thumbnail));
      }
    }
    if (byUrl.isEmpty()) {
      for (String image : bodyImages) {
        byUrl.putIfAbsent(urlKey(image), Media.embeddedImage(image));
      }
    }
    List<Association> associations = new ArrayList<>(Math.min(byUrl.size(), MAX_ASSOCIATIONS));
    long chars = 0;
    for (Media media : byUrl.values()) {
      chars += media.chars();
      if (associations.size() == MAX_ASSOCIATIONS || chars > MAX_ASSOCIATION_CHARS) {
        warnings.add(Normalizer.MEDIA_TRUNCATED);
        break;
      }
      associations.add(media.toAssociation("media-" + (associations.size() + 1)));
    }
    return List.copyOf(associations);
  }

  /**
   * @param enclosure an enclosure with a URL
   * @return whether its URL may reach consumers ({@link UrlSafelist#hasSafeScheme}: http(s) or no
   *     scheme); an enclosure with a {@code javascript:}, {@code data:}, ... URL is left out
   */
  static boolean safe(Enclosure enclosure) {
    return UrlSafelist.hasSafeScheme(enclosure.url());
  }

  private static boolean isThumbnail(Enclosure enclosure) {
    return "media:thumbnail".equals(enclosure.source())
        || "thumbnail".equalsIgnoreCase(enclosure.medium());
  }

  private static String urlKey(String url) {
    return UrlCanonicalizer.canonicalize(url).orElse(url.strip());
  }

  /**
   * ninjs type from Media RSS {@code medium}, else the MIME type, else the file name's extension.
   */
  private static String typeOf(Enclosure enclosure) {
    String medium =
        enclosure.medium() == null ? "" : enclosure.medium().strip().toLowerCase(Locale.ROOT);
    switch (medium) {
      case "image":
        return PICTURE;
      case "video":
        return VIDEO;
      case "audio":
        return AUDIO;
      case "document":
      case "executable":
        return FILE;
      default:
        break;
    }
    String mime = enclosure.type();
    if (mime == null || mime.isBlank()) {
      // The JDK's file-name-to-MIME table (no I/O): for media:content without type or medium.
      mime = URLConnection.getFileNameMap().getContentTypeFor(pathOf(enclosure.url()));
    }
    String lower = mime == null ? "" : mime.strip().toLowerCase(Locale.ROOT);
    if (lower.startsWith("image/")) {
      return PICTURE;
    }
    if (lower.startsWith("video/")) {
      return VIDEO;
    }
    return lower.startsWith("audio/") ? AUDIO : FILE;
  }

  private static String pathOf(String url) {
    int end = url.length();
    for (char stop : new char[] {'?', '#'}) {
      int index = url.indexOf(stop);
      if (index >= 0 && index < end) {
        end = index;
      }
    }
    return url.substring(0, end);
  }

  private static Rendition rendition(String name, Enclosure enclosure) {
    return new Rendition(
        name,
        enclosure.url().strip(),
        enclosure.type(),
        nonNegative(enclosure.width()),
        nonNegative(enclosure.height()),
        nonNegative(enclosure.length()));
  }

  /**
   * @param enclosure an enclosure
   * @return whether its length, width or height is negative (left out of its rendition)
   */
  static boolean hasNegativeSize(Enclosure enclosure) {
    return isNegative(enclosure.length())
        || isNegative(enclosure.width())
        || isNegative(enclosure.height());
  }

  private static boolean isNegative(Number n) {
    return n != null && n.longValue() < 0;
  }

  private static Integer nonNegative(Integer n) {
    return n == null || n >= 0 ? n : null;
  }

  private static Long nonNegative(Long n) {
    return n == null || n >= 0 ? n : null;
  }

  /** One media object being assembled. */
  private static final class Media {
    private final Enclosure original;
    private final String type;
    private Enclosure thumbnail;

    private Media(Enclosure original) {
      this(original, typeOf(original));
    }

    private Media(Enclosure original, String type) {
      this.original = original;
      this.type = type;
    }

    static Media thumbnailOnly(Enclosure thumbnail) {
      Media media = new Media(null, PICTURE);
      media.thumbnail = thumbnail;
      return media;
    }

    static Media embeddedImage(String url) {
      return new Media(new Enclosure(url, null, null, "image", null, null, null, "img"), PICTURE);
    }

    boolean acceptsThumbnail() {
      return original != null && thumbnail == null && (type.equals(PICTURE) || type.equals(VIDEO));
    }

    /**
     * The same URL given twice (enclosure and media:content): the first wins, the second fills
     * gaps.
     */
    Media mergedWith(Media later) {
      Enclosure a = original;
      Enclosure b = later.original;
      Enclosure merged =
          new Enclosure(
              a.url(),
              a.type() != null ? a.type() : b.type(),
              a.length() != null ? a.length() : b.length(),
              a.medium() != null ? a.medium() : b.medium(),
              a.width() != null ? a.width() : b.width(),
              a.height() != null ? a.height() : b.height(),
              a.title() != null ? a.title() : b.title(),
              a.source());
      return new Media(merged);
    }

    /**
     * About how many characters its association takes in an article: its URLs (the main one twice,
     * as {@code uri} and as a rendition's {@code href}), its description, and a little for the
     * rest.
     */
    long chars() {
      Enclosure main = original != null ? original : thumbnail;
      return 100L
          + main.url().length()
          + (original != null ? original.url().length() : 0)
          + (thumbnail != null ? thumbnail.url().length() : 0)
          + (main.title() == null ? 0 : main.title().length());
    }

    Association toAssociation(String name) {
      Enclosure main = original != null ? original : thumbnail;
      List<Rendition> renditions = new ArrayList<>(2);
      if (original != null) {
        renditions.add(rendition("original", original));
      }
      if (thumbnail != null) {
        renditions.add(rendition("thumbnail", thumbnail));
      }
      String description =
          main.title() == null || main.title().isBlank()
              ? null
              : Html.collapseWhitespace(main.title());
      return new Association(name, type, main.url().strip(), description, List.copyOf(renditions));
    }
  }
}
