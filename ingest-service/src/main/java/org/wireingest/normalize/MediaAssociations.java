package org.wireingest.normalize;

import java.net.URLConnection;
import java.util.ArrayList;
import java.util.HashMap;
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
 * media:thumbnail}) to ninjs associations, each a media object with its renditions (ninjs 2.x
 * {@code associations} / {@code renditions}). A Media RSS {@code <media:group>} is one media object
 * in several representations (Media RSS 1.5.1), so its members ({@link Enclosure#group}) make one
 * association with a rendition each. Pure; see {@link Normalizer} for the rules.
 */
final class MediaAssociations {

  static final String PICTURE = "picture";
  static final String VIDEO = "video";
  static final String AUDIO = "audio";
  static final String FILE = "file";

  /** Name of an association's main rendition: a lone media object's, or its group's default. */
  static final String ORIGINAL = "original";

  /** Name of an association's {@code media:thumbnail} rendition. */
  static final String THUMBNAIL = "thumbnail";

  /**
   * Prefix of the names of a group's other renditions: {@code rendition-2}, {@code rendition-3},
   * ... in document order.
   */
  static final String RENDITION_PREFIX = "rendition-";

  /**
   * Most associations an article carries: {@value}, the first in order. Real entries have a few; an
   * entry of 10,000 enclosures made an article event of 2 MB, too large to publish, so the story
   * was lost.
   */
  static final int MAX_ASSOCIATIONS = 100;

  /**
   * Most renditions an association carries besides its thumbnail: {@value}, the first in document
   * order (the group's default always). CNN gives ten crops of each picture; a group of thousands
   * would otherwise take the whole {@link #MAX_ASSOCIATION_CHARS} and leave the story no media.
   */
  static final int MAX_RENDITIONS = 20;

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
   * @param warnings where {@link Normalizer#MEDIA_TRUNCATED} goes when media or renditions are left
   *     out
   * @return associations named {@code media-1}, {@code media-2}, ... in order of first appearance,
   *     at most {@link #MAX_ASSOCIATIONS}, and only while they take at most {@link
   *     #MAX_ASSOCIATION_CHARS}: one per {@code media:group}, with a rendition per member of
   *     another URL (at most {@link #MAX_RENDITIONS}), and one per other URL; an enclosure at a URL
   *     a group has is that rendition of the group's
   */
  static List<Association> of(
      List<Enclosure> enclosures, List<String> bodyImages, Set<String> warnings) {
    List<Media> objects = new ArrayList<>();
    Map<String, Media> byUrl = new HashMap<>();
    Map<Integer, Media> groups = new HashMap<>();
    List<Enclosure> thumbnails = new ArrayList<>();
    // The group of each URL a group has (the first group's, when two share one): an ungrouped
    // enclosure at that URL is that rendition of the group's, wherever it stands (Rome lists the
    // <enclosure>s before the groups). Found first, so a group's members never join another
    // media object, and an ungrouped enclosure never makes a second one of a group's rendition.
    Map<String, Integer> groupOfUrl = new HashMap<>();
    for (Enclosure enclosure : enclosures) {
      if (enclosure.group() != null && usable(enclosure) && !isThumbnail(enclosure)) {
        groupOfUrl.putIfAbsent(urlKey(enclosure.url()), enclosure.group());
      }
    }
    List<Enclosure> intoGroups = new ArrayList<>();
    for (Enclosure enclosure : enclosures) {
      if (!usable(enclosure)) {
        continue;
      }
      if (isThumbnail(enclosure)) {
        thumbnails.add(enclosure);
        continue;
      }
      String key = urlKey(enclosure.url());
      Integer group = enclosure.group() != null ? enclosure.group() : groupOfUrl.get(key);
      Media owner;
      if (group != null) {
        owner = groups.get(group);
        if (owner == null) {
          owner = new Media();
          objects.add(owner);
          groups.put(group, owner);
        }
        if (enclosure.group() == null) {
          // merged into its member once the group's members are in, which keep their order
          intoGroups.add(enclosure);
          continue;
        }
      } else {
        owner = byUrl.get(key);
        if (owner == null) {
          owner = new Media();
          objects.add(owner);
        }
      }
      if (!owner.add(key, enclosure)) {
        warnings.add(Normalizer.MEDIA_TRUNCATED);
      }
      byUrl.putIfAbsent(key, owner);
    }
    for (Enclosure enclosure : intoGroups) {
      String key = urlKey(enclosure.url());
      groups.get(groupOfUrl.get(key)).fill(key, enclosure);
    }
    Set<String> thumbnailUrls = new HashSet<>();
    List<Enclosure> loose = new ArrayList<>(thumbnails.size());
    // A group's own thumbnail is its media object's, whatever its type.
    for (Enclosure thumbnail : thumbnails) {
      Media owner = thumbnail.group() == null ? null : groups.get(thumbnail.group());
      if (owner == null) {
        loose.add(thumbnail);
        continue;
      }
      String key = urlKey(thumbnail.url());
      if (!byUrl.containsKey(key) && thumbnailUrls.add(key) && owner.thumbnail == null) {
        owner.thumbnail = thumbnail;
      } // else: a rendition of its own, or a second thumbnail of the object
    }
    // Owners take thumbnails in order, and one that has taken one takes no other: a cursor finds
    // the next, where a search from the start made 10,000 thumbnails quadratic.
    List<Media> candidates = List.copyOf(objects);
    int next = 0;
    for (Enclosure thumbnail : loose) {
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
        Media media = Media.thumbnailOnly(thumbnail);
        objects.add(media);
        byUrl.put(key, media);
      }
    }
    if (objects.isEmpty()) {
      Set<String> seen = new HashSet<>();
      for (String image : bodyImages) {
        if (seen.add(urlKey(image))) {
          objects.add(Media.embeddedImage(image));
        }
      }
    }
    List<Association> associations = new ArrayList<>(Math.min(objects.size(), MAX_ASSOCIATIONS));
    long chars = 0;
    for (Media media : objects) {
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

  private static boolean usable(Enclosure enclosure) {
    return enclosure.url() != null && !enclosure.url().isBlank() && safe(enclosure);
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

  /**
   * The same URL given twice (an enclosure and a {@code media:content}, or twice in a group): the
   * first wins, the second fills its gaps.
   */
  private static Enclosure merged(Enclosure a, Enclosure b) {
    return new Enclosure(
        a.url(),
        a.type() != null ? a.type() : b.type(),
        a.length() != null ? a.length() : b.length(),
        a.medium() != null ? a.medium() : b.medium(),
        a.width() != null ? a.width() : b.width(),
        a.height() != null ? a.height() : b.height(),
        a.title() != null ? a.title() : b.title(),
        a.source(),
        a.group() != null ? a.group() : b.group(),
        a.groupDefault() != null ? a.groupDefault() : b.groupDefault());
  }

  /** One media object being assembled: its files by URL key, in document order, and a thumbnail. */
  private static final class Media {
    private final Map<String, Enclosure> files = new LinkedHashMap<>();
    private String defaultKey;
    private String type;
    private Enclosure thumbnail;

    static Media thumbnailOnly(Enclosure thumbnail) {
      Media media = new Media();
      media.thumbnail = thumbnail;
      media.type = PICTURE;
      return media;
    }

    static Media embeddedImage(String url) {
      Media media = new Media();
      media.add(urlKey(url), new Enclosure(url, null, null, "image", null, null, null, "img"));
      media.type = PICTURE;
      return media;
    }

    /**
     * @return false when a file was left out: a new URL beyond {@link #MAX_RENDITIONS}, or, for a
     *     group's default beyond it, the last other one, which the default replaces
     */
    boolean add(String key, Enclosure file) {
      Enclosure known = files.get(key);
      boolean kept = true;
      if (known == null && files.size() == MAX_RENDITIONS) {
        if (defaultKey != null || !Boolean.TRUE.equals(file.groupDefault())) {
          return false;
        }
        // the group's default is its original whatever its place: it takes the last one's
        String last = null;
        for (String k : files.keySet()) {
          last = k;
        }
        files.remove(last);
        kept = false;
      }
      files.put(key, known == null ? file : merged(known, file));
      if (defaultKey == null && Boolean.TRUE.equals(file.groupDefault())) {
        defaultKey = key;
      }
      type = null;
      return kept;
    }

    /**
     * Fills the gaps of the file at {@code key} with {@code file}'s (an ungrouped enclosure at the
     * URL of a group's member); nothing when the group left that member out.
     */
    void fill(String key, Enclosure file) {
      files.computeIfPresent(key, (k, known) -> merged(known, file));
    }

    /** The main file: the group's default, else the first; null for a thumbnail alone. */
    Enclosure main() {
      if (defaultKey != null) {
        return files.get(defaultKey);
      }
      return files.isEmpty() ? null : files.values().iterator().next();
    }

    String type() {
      if (type == null) {
        type = typeOf(main());
      }
      return type;
    }

    boolean acceptsThumbnail() {
      return !files.isEmpty()
          && thumbnail == null
          && (type().equals(PICTURE) || type().equals(VIDEO));
    }

    /**
     * About how many characters its association takes in an article: its URLs (the main one twice,
     * as {@code uri} and as a rendition's {@code href}), its description, a little for the rest,
     * and a little more for each rendition of a group besides its main one.
     */
    long chars() {
      Enclosure main = main() != null ? main() : thumbnail;
      long chars = 100L + main.url().length() + (main.title() == null ? 0 : main.title().length());
      for (Enclosure file : files.values()) {
        chars += file.url().length() + (file == main ? 0 : 60L);
      }
      return chars + (thumbnail != null ? thumbnail.url().length() : 0);
    }

    Association toAssociation(String name) {
      Enclosure main = main() != null ? main() : thumbnail;
      List<Rendition> renditions = new ArrayList<>(files.size() + 1);
      if (main() != null) {
        renditions.add(rendition(ORIGINAL, main));
        for (Enclosure file : files.values()) {
          if (file != main) {
            renditions.add(rendition(RENDITION_PREFIX + (renditions.size() + 1), file));
          }
        }
      }
      if (thumbnail != null) {
        renditions.add(rendition(THUMBNAIL, thumbnail));
      }
      String description =
          main.title() == null || main.title().isBlank()
              ? null
              : Html.collapseWhitespace(main.title());
      return new Association(
          name,
          main() != null ? type() : PICTURE,
          main.url().strip(),
          description,
          List.copyOf(renditions));
    }
  }
}
