package org.wireingest.dedup;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.Hashes;
import org.wireingest.text.Html;

/**
 * The fingerprint of an article's editorial content: what a reader would call "the story changed"
 * (DESIGN.md, "Fingerprint"). Pure and thread-safe.
 *
 * <p>Covered: {@code headline}, {@code byline}, {@code summary}, {@code bodyText}, the {@code
 * subjects}' names (sorted, so category order does not count) and {@code pubStatus}; each text
 * without ignorable characters ({@link #withoutIgnorable}), whitespace-collapsed and NFC-normalised
 * ({@link Html#collapseWhitespace(String)}), so re-wrapped, re-encoded or invisibly marked text
 * gives the same fingerprint. Not covered: anything that is fetch or transport noise: URLs (and
 * their tracking parameters), dates, media, {@code bodyHtml} markup, source, {@code ingestedAt},
 * lineage, version and warnings.
 */
public final class Fingerprint {

  private Fingerprint() {}

  /**
   * @param draft the article (usually a normalizer draft); never null
   * @return SHA-256 as 64 lower-case hex characters over the fields above, each written as {@code
   *     name + "=" + length + ":" + value} (or {@code name + "=-"} for null) on its own line, so no
   *     two different field sets share an input
   */
  public static String of(ArticleEvent draft) {
    return of(draft, draft.summary(), draft.bodyText());
  }

  /**
   * The fingerprint the draft would have with its one text in the other field: a feed writing its
   * description as plain text gives a {@code summary}, the same text in {@code <p>} markup gives a
   * body ({@code bodyText}), and the two renderings say the same (DESIGN.md, "Fingerprint": markup
   * is not content). {@link Versioning} takes a draft whose moved fingerprint is the last version's
   * as a duplicate.
   *
   * @param draft the article; never null
   * @return {@link #of} of the draft with {@code summary} and {@code bodyText} swapped, when
   *     exactly one of them has text; null when both or neither have (nothing can have moved)
   */
  public static String ofTextMoved(ArticleEvent draft) {
    return hasText(draft.summary()) == hasText(draft.bodyText())
        ? null
        : of(draft, draft.bodyText(), draft.summary());
  }

  private static boolean hasText(String text) {
    return text != null && !text.isBlank();
  }

  private static String of(ArticleEvent draft, String summary, String bodyText) {
    return Hashes.sha256Hex(
        digest -> {
          field(digest, "headline", draft.headline());
          field(digest, "byline", draft.byline());
          field(digest, "summary", summary);
          field(digest, "bodyText", bodyText);
          for (String subject : subjectNames(draft)) {
            field(digest, "subject", subject);
          }
          field(digest, "pubStatus", draft.pubStatus());
        });
  }

  /**
   * A text as the fingerprint reads it: without {@link #withoutIgnorable ignorable} characters,
   * whitespace-collapsed and NFC-normalised ({@link Html#collapseWhitespace(String)}). {@link
   * Versioning}'s field hashes read each field the same way, so a field is named changed only when
   * it changed the fingerprint.
   *
   * @param text any text; null gives null
   * @return the text as compared
   */
  static String comparedText(String text) {
    return Html.collapseWhitespace(withoutIgnorable(text));
  }

  /**
   * @param draft the article; never null
   * @return its subjects' names as compared ({@link #comparedText}), blank ones left out, sorted
   *     (category order does not count); empty when it has none
   */
  static List<String> subjectNames(ArticleEvent draft) {
    if (draft.subjects() == null || draft.subjects().isEmpty()) {
      return List.of();
    }
    List<String> names = new ArrayList<>(draft.subjects().size());
    for (ArticleEvent.Subject subject : draft.subjects()) {
      String name = comparedText(subject.name());
      if (name != null) {
        names.add(name);
      }
    }
    Collections.sort(names);
    return names;
  }

  /**
   * The text without {@link Html#isIgnorable ignorable} characters (soft hyphen, zero-width space
   * and joiners, bidirectional marks, byte order mark, variation selectors, tag characters, Hangul
   * fillers, ...). They show nothing, and a feed that scatters them differently at each fetch (a
   * watermark, a CMS's hyphenation, an emoji with and without its presentation selector) made a new
   * version at every poll.
   *
   * @param text any text; null gives null
   * @return {@code text} itself when it has none
   */
  static String withoutIgnorable(String text) {
    if (text == null) {
      return null;
    }
    int first = 0;
    while (first < text.length()) {
      int c = text.codePointAt(first);
      if (Html.isIgnorable(c)) {
        break;
      }
      first += Character.charCount(c);
    }
    if (first >= text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length()).append(text, 0, first);
    for (int i = first; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (!Html.isIgnorable(c)) {
        out.appendCodePoint(c);
      }
      i += Character.charCount(c);
    }
    return out.toString();
  }

  /**
   * Feeds one field's compared text to the digest ({@link Hashes#field}). The value goes in by
   * itself: the body text is the largest input, and building the whole input as one string first
   * cost three more copies of it.
   */
  private static void field(MessageDigest digest, String name, String value) {
    Hashes.field(digest, name, comparedText(value));
  }
}
