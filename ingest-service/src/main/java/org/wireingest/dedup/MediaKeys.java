package org.wireingest.dedup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.wireingest.model.ArticleEvent;
import org.wireingest.text.UrlCanonicalizer;

/**
 * What the version rule keeps of an article's media ({@code associations}) to tell a copy that adds
 * a picture from one that only renders the same media differently ({@link Versioning}, {@link
 * DedupState#mediaHashes}). Pure and thread-safe.
 *
 * <p>A media URL is compared by its <em>key</em>: its canonical form ({@link
 * UrlCanonicalizer#canonicalize}: host lower-cased, default port, fragment and tracking parameters
 * removed), then without its scheme and its query. A media URL's query is a rendition's size,
 * quality, crop, signature or cache-buster ({@code ?w=460&q=55&s=…}, {@code ?resize=770,513},
 * {@code ?v=3}), not which picture it is, so a picture fetched at another size or over {@code
 * https} instead of {@code http} is the same picture. A URL that has no canonical form (relative,
 * no host) is taken as written, stripped, without what follows a {@code ?} or {@code #}. Each key
 * is kept as its {@link Versioning#shortHash} (8 hex characters).
 */
final class MediaKeys {

  /**
   * Most media hashes a state keeps ({@link DedupState#mediaHashes}): 32, some 350 bytes of JSON at
   * most. A story with that many media URLs known (a gallery) is not compared any more: a URL
   * forgotten for the bound must not come back as new.
   */
  static final int MAX_MEDIA_HASHES = 32;

  private MediaKeys() {}

  /**
   * @param draft an article; never null
   * @return the hashes of the keys of every URL of its media: each association's {@code uri} and
   *     each of its renditions' {@code href} (a thumbnail's too, so another feed carrying only the
   *     thumbnail of a known picture carries nothing new); distinct, in order of first appearance;
   *     empty when it has no media
   */
  static List<String> of(ArticleEvent draft) {
    Set<String> hashes = new LinkedHashSet<>();
    // An association's uri is, as a rule, its original rendition's href too: each URL is keyed
    // once.
    Set<String> keyed = new HashSet<>();
    for (ArticleEvent.Association association : associations(draft)) {
      add(hashes, keyed, association.uri());
      if (association.renditions() != null) {
        for (ArticleEvent.Rendition rendition : association.renditions()) {
          add(hashes, keyed, rendition.href());
        }
      }
    }
    return List.copyOf(hashes);
  }

  /**
   * @param draft an article; never null
   * @return the hashes of the keys of its media objects' own URLs (each association's {@code uri}):
   *     what is new when not known. Distinct, in order; empty when it has no media
   */
  static List<String> objects(ArticleEvent draft) {
    Set<String> hashes = new LinkedHashSet<>();
    for (ArticleEvent.Association association : associations(draft)) {
      add(hashes, association.uri());
    }
    return List.copyOf(hashes);
  }

  /**
   * @param known the media hashes a state keeps, newest first; null when unknown
   * @param next the media hashes of the version that follows ({@link #of})
   * @return {@code next}, then those of {@code known} not among them, at most {@value
   *     #MAX_MEDIA_HASHES} (the oldest dropped); {@code next} alone when {@code known} is null
   */
  static List<String> after(List<String> known, List<String> next) {
    Set<String> out = new LinkedHashSet<>(next);
    if (known != null) {
      out.addAll(known);
    }
    List<String> list = new ArrayList<>(out);
    return List.copyOf(list.size() <= MAX_MEDIA_HASHES ? list : list.subList(0, MAX_MEDIA_HASHES));
  }

  /**
   * @param url a media URL; never null
   * @return its key (see the class comment): e.g. {@code cdn.example/img/1.jpg} for {@code
   *     HTTPS://CDN.example:443/img/1.jpg?w=460#top}
   */
  static String key(String url) {
    String canonical = UrlCanonicalizer.canonicalize(url).orElse(url.strip());
    int scheme = canonical.indexOf("://");
    String rest = scheme < 0 ? canonical : canonical.substring(scheme + 3);
    int end = rest.length();
    for (char stop : new char[] {'?', '#'}) {
      int at = rest.indexOf(stop);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    return rest.substring(0, end);
  }

  private static List<ArticleEvent.Association> associations(ArticleEvent draft) {
    return draft.associations() == null ? List.of() : draft.associations();
  }

  private static void add(Set<String> hashes, String url) {
    if (url != null && !url.isBlank()) {
      hashes.add(Versioning.shortHash(key(url)));
    }
  }

  /** {@link #add(Set, String)} for a URL not in {@code keyed} yet, which it then joins. */
  private static void add(Set<String> hashes, Set<String> keyed, String url) {
    if (url != null && keyed.add(url)) {
      add(hashes, url);
    }
  }
}
