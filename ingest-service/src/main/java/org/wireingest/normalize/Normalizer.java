package org.wireingest.normalize;

import static org.wireingest.model.ArticleEvent.CANCELED;
import static org.wireingest.model.ArticleEvent.DATE_MISSING;
import static org.wireingest.model.ArticleEvent.FUTURE_DATE_CLAMPED;
import static org.wireingest.model.ArticleEvent.USABLE;
import static org.wireingest.model.ArticleEvent.WITHHELD;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wireingest.dedup.ArticleUri;
import org.wireingest.dedup.Fingerprint;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.ParsedEntry;
import org.wireingest.text.Html;
import org.wireingest.text.PercentEncoding;
import org.wireingest.text.Shortened;
import org.wireingest.text.UrlCanonicalizer;
import org.wireingest.text.UrlSafelist;

/**
 * Maps a raw wire item to a draft article event (ninjs 2.x shaped, DESIGN.md "Article event").
 * Pure: the same item and clock give an equal draft, so replays re-create the same events.
 * Thread-safe.
 *
 * <p>The draft has {@code version} 0 and no {@code changeType}, {@code ingestedAt} or {@code
 * lineage}: the dedup stage ({@code dedup.Versioning}) and the Streams edge fill those. Field
 * rules:
 *
 * <ul>
 *   <li>{@code uri}: {@link ArticleUri} of the source's agency and the item's identity.
 *   <li>{@code headline}: the title as text on one line; without one, the description's (else the
 *       body's) text cut at a word boundary to at most {@value #HEADLINE_FROM_BODY_MAX_CHARS}
 *       characters plus {@code "…"} (warning {@value #HEADLINE_FROM_BODY}).
 *   <li>{@code byline}: the authors, distinct, joined by {@code ", "}; an RSS 2.0 {@code email
 *       (Name)} author gives {@code Name}; null when none.
 *   <li>{@code bodyHtml}: {@link Html#sanitize(String, String) sanitised} {@code content:encoded} /
 *       Atom content, else the description when it holds markup; links resolved against the entry's
 *       {@link ParsedEntry#baseUri() baseUri} (Atom {@code xml:base}), else its link, else the feed
 *       link. {@code bodyText}: its text. Both null when there is no body; {@code bodyText} alone
 *       null when the body holds no text (only a picture).
 *   <li>{@code summary}: the description's text; null when none or equal to {@code bodyText}.
 *   <li>{@code originalUrl}: FeedBurner's {@code origLink} when the entry has a valid http(s) one,
 *       else the entry's link; {@code url}: its {@link UrlCanonicalizer canonical} form.
 *   <li>Dates (UTC): {@code firstCreated} = published, else updated, else first seen; {@code
 *       versionCreated} = updated, else published, else first seen (warning {@value
 *       ArticleEvent#DATE_MISSING} when the entry has neither date). A date later than the fetch
 *       time plus the future skew is clamped to the fetch time (warning {@value
 *       ArticleEvent#FUTURE_DATE_CLAMPED}): the fetch time, not the clock, so a replay clamps
 *       exactly as the first run did. The clock is only the last resort for an item with neither
 *       fetch time nor first-seen time.
 *   <li>{@code language}: the entry's, else the feed's, else the source default; a valid BCP 47 tag
 *       (RFC 5646) with a 2–3 letter primary language, written in BCP 47's case convention by
 *       {@link Locale#toLanguageTag()} ({@code en_us} and {@code EN-us} give {@code en-US}); an
 *       invalid one is skipped (warning {@value #LANGUAGE_INVALID}); null when none.
 *   <li>{@code subjects}: the categories' terms, whitespace-collapsed, distinct ignoring case (in
 *       the place of the first; of spellings equal ignoring case the one not in capitals, else the
 *       first in code-point order, whatever order the feed gives them), with their scheme/domain;
 *       {@code uri} null.
 *   <li>{@code associations} (ninjs): the enclosures and Media RSS objects, one per URL (duplicates
 *       merged), except that a Media RSS {@code <media:group>} is one media object (Media RSS
 *       1.5.1): one association whose renditions are {@code original} (its {@code isDefault}
 *       member, else its first; the association's {@code uri}), {@code rendition-2}, {@code
 *       rendition-3}, ... (its other members, in order, at most {@link
 *       MediaAssociations#MAX_RENDITIONS} in all) and {@code thumbnail} (its own {@code
 *       media:thumbnail}). Named {@code media-1}, {@code media-2}, ...; type from Media RSS {@code
 *       medium}, else the MIME type, else the file extension: {@code picture}, {@code video},
 *       {@code audio}, else {@code file}; each other {@code media:thumbnail} becomes the {@code
 *       thumbnail} rendition of the first picture or video still without one, else a picture of its
 *       own. Without any enclosure, the images embedded in the body become pictures.
 *   <li>{@code url}: the canonical link ({@link UrlCanonicalizer}; warning {@value #LINK_INVALID}
 *       when there is a link without a canonical form); {@code originalUrl}: the link as given,
 *       unless its scheme is not http(s) ({@code javascript:}, {@code data:}, ...: left out).
 *       Enclosures and media objects with such a URL are left out of {@code associations} (warning
 *       {@value #MEDIA_URL_INVALID}); a negative size is left out (warning {@value
 *       #MEDIA_SIZE_INVALID}).
 *   <li>{@code pubStatus}: {@code canceled} when the headline starts with an agency kill marker in
 *       capitals, as wire advisories write them ({@code KILL:}, {@code KILLED:}, {@code
 *       WITHDRAWN:}, {@code CORRECTION: KILL}, {@code ELIMINATE}, a Turkish-locale upper-casing
 *       such as {@code KİLL:} or {@code ELİMİNATE} included): "Killed: 12 in ..." or "Eliminate
 *       waste ..." is an ordinary headline, and a false kill withdraws a real story from every
 *       consumer without anyone seeing it. {@code withheld} when it starts with {@code WITHHOLD:},
 *       {@code WITHHELD:} or {@code EMBARGOED:}, ignoring case (the dotted and dotless Turkish i
 *       included): a story held by mistake is held visibly, an embargo missed is broken. Else
 *       {@code usable}. A marker not ending in a colon ({@code CORRECTION: KILL}, {@code
 *       ELIMINATE}) must be followed by a non-letter. Characters that show nothing ({@link
 *       Html#isIgnorable}: a right-to-left or byte order mark, a zero-width space) before the
 *       marker do not hide it.
 *   <li>{@code type}: {@code text}; {@code source}: the item's source; {@code fingerprint}: {@link
 *       Fingerprint} of the finished draft.
 * </ul>
 *
 * <p>A bad field never drops the entry: it falls back and adds a warning. Only an item with no text
 * at all (or no identity) raises {@link NormalizationException}.
 */
public final class Normalizer {

  /** Default tolerance for entry dates ahead of the fetch time. */
  public static final Duration DEFAULT_FUTURE_SKEW = Duration.ofMinutes(10);

  /** Longest headline made from the summary or body, before the ellipsis, in characters. */
  public static final int HEADLINE_FROM_BODY_MAX_CHARS = 140;

  /** Warning: the entry has no title; the headline was cut from the summary or body. */
  public static final String HEADLINE_FROM_BODY = "headline-from-body";

  /**
   * Entry dates before this (placeholders such as year 0000 or the Unix epoch) count as missing.
   */
  public static final Instant EARLIEST_PLAUSIBLE_DATE = Instant.parse("1980-01-01T00:00:00Z");

  /** Warning: an entry date before {@link #EARLIEST_PLAUSIBLE_DATE} was ignored. */
  public static final String IMPLAUSIBLE_DATE = "implausible-date";

  /** Warning: a language value is not a BCP 47 tag and was skipped. */
  public static final String LANGUAGE_INVALID = "language-invalid";

  /**
   * Warning: the body HTML nests deeper than {@link Html#MAX_CLEAN_DEPTH}; {@code bodyHtml} is its
   * text in paragraphs.
   */
  public static final String HTML_TOO_DEEP = "html-too-deep";

  /**
   * Warning: the entry's link has no canonical form; {@code url} is null (and {@code originalUrl}
   * when its scheme is not http(s)).
   */
  public static final String LINK_INVALID = "link-invalid";

  /**
   * Warning: an enclosure or media object of the entry had a URL with a scheme other than http(s)
   * ({@code javascript:}, {@code vbscript:}, {@code data:}, ...), and was left out of {@code
   * associations}.
   */
  public static final String MEDIA_URL_INVALID = "media-url-invalid";

  /**
   * Warning: an enclosure or media object gave a negative size ({@code length}, {@code width} or
   * {@code height}), which is left out (unknown). The parser never reads one (its warning {@code
   * bad-number}); a raw item written by hand may carry one.
   */
  public static final String MEDIA_SIZE_INVALID = "media-size-invalid";

  /**
   * Warning: the entry had more media than an article carries ({@link
   * MediaAssociations#MAX_ASSOCIATIONS}, 100, taking at most {@link
   * MediaAssociations#MAX_ASSOCIATION_CHARS} characters), or a media group more renditions than an
   * association carries ({@link MediaAssociations#MAX_RENDITIONS}); the first are kept.
   */
  public static final String MEDIA_TRUNCATED = "media-truncated";

  /** Matched in capitals only ({@link #startsInCapitals}); one without a colon must end a word. */
  private static final List<String> KILL_MARKERS =
      List.of("KILL:", "KILLED:", "WITHDRAWN:", "CORRECTION: KILL", "ELIMINATE");

  /** Ignoring case. */
  private static final List<String> WITHHOLD_MARKERS =
      List.of("WITHHOLD:", "WITHHELD:", "EMBARGOED:");

  /**
   * An RSS 2.0 author, {@code email (Name)}. The address is a local part without {@code @}, then a
   * domain without parentheses, both possessive: with {@code \S+@\S+} every split at an {@code @}
   * was tried against every split before the {@code (}, so an author of 16,000 {@code @} took 1.3 s
   * to match and one of 500,000 (a raw item may be 1 MB) about twenty minutes, on the normalizer's
   * stream thread.
   */
  private static final Pattern RSS_AUTHOR =
      Pattern.compile("^[^\\s@]++@[^\\s()]++\\s*+\\((.+)\\)$");

  private static final Pattern PRIMARY_LANGUAGE = Pattern.compile("[a-z]{2,3}");

  /**
   * Language values as given → their BCP 47 tag, or "" when invalid: a feed says the same few
   * values on every item, and parsing them ({@link Locale#forLanguageTag}) was a few per cent of
   * the normalizer's time. Bounded: the 1,024 values of at most {@value #LANGUAGE_TAG_MAX_CHARS}
   * characters (no real tag is longer) used most are remembered; any other value is parsed each
   * time, with the same result.
   */
  private static final Cache<String, String> LANGUAGE_TAGS = memo(1024);

  private static final int LANGUAGE_TAG_MAX_CHARS = 64;

  /**
   * Feed URLs as raw items give them → the RFC 3986 URI events carry ({@link #feedUrl}), empty when
   * none: every item of a feed gives the same one, and checking it (percent-encoding, then {@link
   * URI}'s parse) was ~0.5 µs and ~740 bytes of allocation per item. Bounded as {@link
   * #LANGUAGE_TAGS}: the 4,096 URLs of at most {@value #FEED_URL_MAX_CHARS} characters used most
   * (each raw item's source is one feed of the feeds list).
   */
  private static final Cache<String, Optional<String>> FEED_URLS = memo(4096);

  private static final int FEED_URL_MAX_CHARS = 512;

  private final Clock clock;
  private final Duration futureSkew;

  /** A normalizer with the {@linkplain #DEFAULT_FUTURE_SKEW default future skew}. */
  public Normalizer(Clock clock) {
    this(clock, DEFAULT_FUTURE_SKEW);
  }

  /**
   * @param clock last-resort "now" for items without fetch or first-seen time; never null
   * @param futureSkew how far past the fetch time an entry date may be before it is clamped; not
   *     negative
   */
  public Normalizer(Clock clock, Duration futureSkew) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (futureSkew == null || futureSkew.isNegative()) {
      throw new IllegalArgumentException("futureSkew must be zero or positive, got: " + futureSkew);
    }
    this.futureSkew = futureSkew;
  }

  /**
   * @param item a raw wire item; never null
   * @return the draft article event (version 0; changeType, ingestedAt and lineage null)
   * @throws NormalizationException when the item has no entry, source agency or identity, or its
   *     entry has no text at all (title, description and content all empty)
   */
  public ArticleEvent normalize(RawWireItem item) {
    Objects.requireNonNull(item, "item");
    String name = describe(item);
    RawWireItem.Source source = item.source();
    if (item.entry() == null) {
      throw new NormalizationException("raw item " + name + " lacks its entry, source or identity");
    }
    ParsedEntry entry = withoutLoneSurrogates(item.entry());
    String uri = uriOf(item);
    Set<String> warnings = new LinkedHashSet<>();
    String feedLink = item.feed() == null ? null : item.feed().link();
    String baseUri =
        blankToNull(entry.baseUri()) != null
            ? entry.baseUri().strip()
            : blankToNull(entry.link()) != null ? entry.link().strip() : feedLink;

    // Each fragment is parsed once and read several times (sanitised HTML, text, image sources).
    String description = entry.descriptionHtml();
    Html.Fragment descriptionFragment =
        description == null || description.isBlank()
            ? null
            : Html.Fragment.of(description, baseUri);
    Html.Fragment body =
        blankToNull(entry.contentHtml()) != null
            ? Html.Fragment.of(entry.contentHtml(), baseUri)
            : descriptionFragment != null && descriptionFragment.hasMarkup()
                ? descriptionFragment
                : null;
    String bodyHtml = body == null ? null : blankToNull(body.sanitized());
    if (body != null && body.flattened()) {
      warnings.add(HTML_TOO_DEEP);
    }
    String bodyText = body == null ? null : blankToNull(body.text());
    String descriptionText =
        descriptionFragment == null ? null : blankToNull(descriptionFragment.text());
    String summary =
        descriptionText == null || descriptionText.equals(bodyText) ? null : descriptionText;
    String headline =
        headline(entry, descriptionText != null ? descriptionText : bodyText, warnings, name);

    Instant reference = referenceInstant(item);
    Instant published = clamped(entry.published(), reference, warnings);
    Instant updated = clamped(entry.updated(), reference, warnings);
    Instant firstSeen = item.firstSeenAt() != null ? item.firstSeenAt() : reference;
    if (published == null && updated == null) {
      warnings.add(DATE_MISSING);
    }
    Instant firstCreated = published != null ? published : updated != null ? updated : firstSeen;
    Instant versionCreated = updated != null ? updated : published != null ? published : firstSeen;

    String originalUrl = storyLink(entry);
    String url = UrlCanonicalizer.canonicalize(originalUrl).orElse(null);
    if (originalUrl != null && url == null) {
      warnings.add(LINK_INVALID);
      if (!UrlSafelist.hasSafeScheme(originalUrl)) {
        originalUrl = null; // javascript:, data:, ...: never handed to consumers, not even as given
      }
    }
    if (entry.enclosures().stream()
        .anyMatch(e -> e.url() != null && !e.url().isBlank() && !MediaAssociations.safe(e))) {
      warnings.add(MEDIA_URL_INVALID);
    }
    if (entry.enclosures().stream().anyMatch(MediaAssociations::hasNegativeSize)) {
      warnings.add(MEDIA_SIZE_INVALID);
    }

    List<ArticleEvent.Association> associations =
        MediaAssociations.of(
            entry.enclosures(), body == null ? List.of() : body.imageSources(), warnings);
    ArticleEvent draft =
        new ArticleEvent(
            uri,
            0,
            null,
            pubStatus(headline),
            "text",
            versionCreated,
            firstCreated,
            language(item, entry, warnings),
            headline,
            byline(entry),
            summary,
            bodyText,
            bodyHtml,
            subjects(entry),
            associations,
            url,
            originalUrl,
            null,
            new ArticleEvent.Source(
                source.id(),
                sourceName(source.name()),
                source.agency(),
                feedUrl(source.feedUrl(), name)),
            null,
            null,
            List.copyOf(warnings));
    return draft.withFingerprint(Fingerprint.of(draft));
  }

  /**
   * The draft's {@code uri}, without normalising: {@link ArticleUri} of the source's agency and the
   * item's identity. The normalizer's first stage routes raw items by it.
   *
   * @param item a raw wire item; never null
   * @return {@code urn:wire:<agency>:<identity hash>}
   * @throws NormalizationException when the item has no source or identity, or the agency id is
   *     invalid (the same error {@link #normalize} raises for it)
   */
  public static String uriOf(RawWireItem item) {
    if (item.source() == null || item.identity() == null) {
      throw new NormalizationException(
          "raw item " + describe(item) + " lacks its entry, source or identity");
    }
    try {
      return ArticleUri.of(item.source().agency(), item.identity());
    } catch (IllegalArgumentException badAgency) {
      throw new NormalizationException(
          "raw item " + describe(item) + ": " + badAgency.getMessage(), badAgency);
    }
  }

  /**
   * The entry without lone surrogates (a UTF-16 high or low surrogate without its other half: no
   * character, and no UTF-8 form) in its text fields, as the parser has removed them since
   * 2026-12-06 ({@code invalid-xml-chars}). Raw items written before kept the ones a JSON Feed
   * escaped ({@code "\\ud800"}), and an article event carrying one is JSON that strict parsers
   * (Rust's serde_json, ...) refuse.
   *
   * @return {@code entry} itself when it holds none (checked first, without copying anything: every
   *     raw item comes through here, and only old ones can hold any)
   */
  static ParsedEntry withoutLoneSurrogates(ParsedEntry entry) {
    if (!hasLoneSurrogate(entry)) {
      return entry;
    }
    List<ParsedEntry.Category> categories = new ArrayList<>(entry.categories().size());
    for (ParsedEntry.Category c : entry.categories()) {
      categories.add(
          new ParsedEntry.Category(
              withoutLoneSurrogates(c.term()),
              withoutLoneSurrogates(c.scheme()),
              withoutLoneSurrogates(c.label())));
    }
    List<ParsedEntry.Enclosure> enclosures = new ArrayList<>(entry.enclosures().size());
    for (ParsedEntry.Enclosure e : entry.enclosures()) {
      enclosures.add(
          new ParsedEntry.Enclosure(
              withoutLoneSurrogates(e.url()),
              withoutLoneSurrogates(e.type()),
              e.length(),
              withoutLoneSurrogates(e.medium()),
              e.width(),
              e.height(),
              withoutLoneSurrogates(e.title()),
              withoutLoneSurrogates(e.source()),
              e.group(),
              e.groupDefault()));
    }
    ParsedEntry cleaned =
        new ParsedEntry(
            withoutLoneSurrogates(entry.guid()),
            entry.guidIsPermaLink(),
            withoutLoneSurrogates(entry.title()),
            withoutLoneSurrogates(entry.link()),
            entry.links().stream().map(Normalizer::withoutLoneSurrogates).toList(),
            withoutLoneSurrogates(entry.descriptionHtml()),
            withoutLoneSurrogates(entry.contentHtml()),
            entry.authors().stream().map(Normalizer::withoutLoneSurrogates).toList(),
            categories,
            entry.publishedRaw(),
            entry.published(),
            entry.updatedRaw(),
            entry.updated(),
            enclosures,
            withoutLoneSurrogates(entry.language()),
            withoutLoneSurrogates(entry.rights()),
            withoutLoneSurrogates(entry.origLink()),
            withoutLoneSurrogates(entry.baseUri()));
    return cleaned;
  }

  private static boolean hasLoneSurrogate(ParsedEntry entry) {
    for (ParsedEntry.Category c : entry.categories()) {
      if (hasLoneSurrogate(c.term())
          || hasLoneSurrogate(c.scheme())
          || hasLoneSurrogate(c.label())) {
        return true;
      }
    }
    for (ParsedEntry.Enclosure e : entry.enclosures()) {
      if (hasLoneSurrogate(e.url())
          || hasLoneSurrogate(e.type())
          || hasLoneSurrogate(e.medium())
          || hasLoneSurrogate(e.title())
          || hasLoneSurrogate(e.source())) {
        return true;
      }
    }
    for (String text : entry.links()) {
      if (hasLoneSurrogate(text)) {
        return true;
      }
    }
    for (String text : entry.authors()) {
      if (hasLoneSurrogate(text)) {
        return true;
      }
    }
    return hasLoneSurrogate(entry.guid())
        || hasLoneSurrogate(entry.title())
        || hasLoneSurrogate(entry.link())
        || hasLoneSurrogate(entry.descriptionHtml())
        || hasLoneSurrogate(entry.contentHtml())
        || hasLoneSurrogate(entry.language())
        || hasLoneSurrogate(entry.rights())
        || hasLoneSurrogate(entry.origLink())
        || hasLoneSurrogate(entry.baseUri());
  }

  /**
   * Whether a text has a lone surrogate ({@link #withoutLoneSurrogates(String)} would change it).
   */
  private static boolean hasLoneSurrogate(String text) {
    return text != null && withoutLoneSurrogates(text) != text;
  }

  /**
   * @return the text without lone surrogates; the text itself (null for null) when it has none
   */
  static String withoutLoneSurrogates(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean lone =
          Character.isHighSurrogate(c)
                  && !(i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
              || Character.isLowSurrogate(c)
                  && !(i > 0 && Character.isHighSurrogate(text.charAt(i - 1)));
      if (lone && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      } else if (!lone && out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * The source's feed URL as an RFC 3986 URI, as the article schema's {@code source.feedUrl}
   * requires: as given when it is one (every poller since 2026-12-06 writes it so), else with the
   * characters a URI may not hold percent-encoded as UTF-8 ({@link PercentEncoding#escapeRefused}):
   * pollers before then wrote a feeds-list URL such as {@code https://example.com.tr/gündem.xml} as
   * written, and raw items keep it for the topic's retention.
   *
   * @throws NormalizationException when it is missing or no encoding makes it an absolute URI of
   *     http, https or file
   */
  private static String feedUrl(String given, String name) {
    Optional<String> uri = Optional.empty();
    if (given != null) {
      uri = FEED_URLS.getIfPresent(given);
      if (uri == null) {
        uri = absoluteUri(given);
        if (given.length() <= FEED_URL_MAX_CHARS) {
          FEED_URLS.put(given, uri);
        }
      }
    }
    if (uri.isPresent()) {
      return uri.get();
    }
    throw new NormalizationException(
        "raw item "
            + name
            + ": source.feedUrl is not an absolute URI of http, https or file: "
            + given);
  }

  /**
   * The source's name as the event's {@code source.name}: without lone surrogates, and with each
   * character that garbles a line it is printed in ({@link Shortened#garbles}: control characters,
   * U+2028, U+2029, bidirectional embeddings, overrides and isolates) as a space. The feeds list
   * refuses such names since 2026-12-06; raw items written before keep them as configured.
   *
   * @param name the raw item's {@code source.name}; null for null
   */
  private static String sourceName(String name) {
    String text = withoutLoneSurrogates(name);
    if (text == null) {
      return null;
    }
    char[] chars = null;
    for (int i = 0; i < text.length(); i++) {
      if (Shortened.garbles(text.charAt(i))) {
        if (chars == null) {
          chars = text.toCharArray();
        }
        chars[i] = ' ';
      }
    }
    return chars == null ? text : new String(chars);
  }

  /**
   * The schemes of a feed URL, as the feeds list allows them ({@code FeedsConfig.feedUrl}): a raw
   * item naming another ({@code javascript:}, {@code data:}) was written by hand, and its URL would
   * reach consumers as the event's {@code source.feedUrl}.
   */
  private static final Set<String> FEED_URL_SCHEMES = Set.of("http", "https", "file");

  /**
   * @return {@code given} with the characters a URI may not hold percent-encoded, as an absolute
   *     RFC 3986 URI in ASCII of a scheme of {@link #FEED_URL_SCHEMES}; empty when no encoding
   *     makes it one
   */
  private static Optional<String> absoluteUri(String given) {
    Optional<String> escaped = PercentEncoding.escapeRefused(given);
    if (escaped.isPresent()) {
      try {
        URI uri = new URI(escaped.get());
        if (uri.isAbsolute()
            && FEED_URL_SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
          return Optional.of(uri.toASCIIString());
        }
      } catch (URISyntaxException notAUri) {
        // none
      }
    }
    return Optional.empty();
  }

  /**
   * A bounded, thread-safe memo of a pure function's results (the stream threads share the
   * normalizer): at most {@code maximumSize} entries, the least used forgotten first, kept up on
   * the calling thread (no background pool).
   */
  private static <V> Cache<String, V> memo(int maximumSize) {
    return Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
  }

  private static String headline(
      ParsedEntry entry, String fallbackText, Set<String> warnings, String name) {
    String title = blankToNull(Html.collapseWhitespace(Html.toText(entry.title())));
    if (title != null) {
      return title;
    }
    if (fallbackText == null) {
      throw new NormalizationException(
          "raw item " + name + " has no title, description or content text to make a headline of");
    }
    warnings.add(HEADLINE_FROM_BODY);
    return shortened(Html.collapseWhitespace(fallbackText));
  }

  /** Cuts text to at most {@link #HEADLINE_FROM_BODY_MAX_CHARS} at a word boundary, adding "…". */
  private static String shortened(String text) {
    if (text.length() <= HEADLINE_FROM_BODY_MAX_CHARS) {
      return text;
    }
    int cut = text.lastIndexOf(' ', HEADLINE_FROM_BODY_MAX_CHARS);
    if (cut <= 0) {
      cut = HEADLINE_FROM_BODY_MAX_CHARS;
      if (Character.isHighSurrogate(text.charAt(cut - 1))) {
        cut--;
      }
    }
    return text.substring(0, cut).stripTrailing() + "…";
  }

  private static String pubStatus(String shown) {
    // A marker after characters that show nothing (a right-to-left mark, a byte order mark, a
    // zero-width space) is the first thing a reader sees: it counts.
    int start = 0;
    while (start < shown.length() && Html.isIgnorable(shown.codePointAt(start))) {
      start += Character.charCount(shown.codePointAt(start));
    }
    String headline = shown.substring(start);
    for (String marker : KILL_MARKERS) {
      if (startsInCapitals(headline, marker)
          && (marker.endsWith(":") || endsWord(headline, marker.length()))) {
        return CANCELED;
      }
    }
    for (String marker : WITHHOLD_MARKERS) {
      if (headline.regionMatches(true, 0, marker, 0, marker.length())) {
        return WITHHELD;
      }
    }
    return USABLE;
  }

  /**
   * Whether {@code headline} starts with {@code capitals} as written, where a dotted capital I
   * (U+0130) stands for I: what a Turkish-locale upper-casing makes of it ("ELİMİNATE", "KİLL:").
   */
  private static boolean startsInCapitals(String headline, String capitals) {
    if (headline.length() < capitals.length()) {
      return false;
    }
    for (int i = 0; i < capitals.length(); i++) {
      char c = headline.charAt(i);
      if (c != capitals.charAt(i) && !(c == '\u0130' && capitals.charAt(i) == 'I')) {
        return false;
      }
    }
    return true;
  }

  private static boolean endsWord(String text, int index) {
    return index >= text.length() || !Character.isLetterOrDigit(text.charAt(index));
  }

  private static String byline(ParsedEntry entry) {
    Set<String> names = new LinkedHashSet<>();
    for (String author : entry.authors()) {
      String collapsed = Html.collapseWhitespace(author);
      if (collapsed == null || collapsed.isEmpty()) {
        continue;
      }
      Matcher rssAuthor = RSS_AUTHOR.matcher(collapsed);
      names.add(rssAuthor.matches() ? rssAuthor.group(1).strip() : collapsed);
    }
    return names.isEmpty() ? null : String.join(", ", names);
  }

  private Instant referenceInstant(RawWireItem item) {
    if (item.fetch() != null && item.fetch().fetchedAt() != null) {
      return item.fetch().fetchedAt();
    }
    return item.firstSeenAt() != null ? item.firstSeenAt() : clock.instant();
  }

  private Instant clamped(Instant date, Instant reference, Set<String> warnings) {
    if (date != null && date.isBefore(EARLIEST_PLAUSIBLE_DATE)) {
      // "Sat, 01 Jan 0000", the Unix epoch and other placeholders: treated as no date at all.
      warnings.add(IMPLAUSIBLE_DATE);
      return null;
    }
    if (date != null && date.isAfter(reference.plus(futureSkew))) {
      warnings.add(FUTURE_DATE_CLAMPED);
      return reference;
    }
    return date;
  }

  private static String language(RawWireItem item, ParsedEntry entry, Set<String> warnings) {
    List<String> candidates = new ArrayList<>(3);
    candidates.add(entry.language());
    candidates.add(item.feed() == null ? null : item.feed().language());
    candidates.add(item.source().language());
    for (String candidate : candidates) {
      if (blankToNull(candidate) == null) {
        continue;
      }
      Optional<String> tag = languageTag(candidate);
      if (tag.isPresent()) {
        return tag.get();
      }
      warnings.add(LANGUAGE_INVALID);
    }
    return null;
  }

  private static Optional<String> languageTag(String value) {
    String tag = LANGUAGE_TAGS.getIfPresent(value);
    if (tag == null) {
      Locale locale = Locale.forLanguageTag(value.strip().replace('_', '-'));
      tag = PRIMARY_LANGUAGE.matcher(locale.getLanguage()).matches() ? locale.toLanguageTag() : "";
      if (value.length() <= LANGUAGE_TAG_MAX_CHARS) {
        LANGUAGE_TAGS.put(value, tag);
      }
    }
    return tag.isEmpty() ? Optional.empty() : Optional.of(tag);
  }

  private static List<ArticleEvent.Subject> subjects(ParsedEntry entry) {
    Map<String, ArticleEvent.Subject> byName = new LinkedHashMap<>();
    for (ParsedEntry.Category category : entry.categories()) {
      String name = blankToNull(Html.collapseWhitespace(category.term()));
      if (name != null) {
        String scheme = blankToNull(Html.collapseWhitespace(category.scheme()));
        byName.merge(
            name.toLowerCase(Locale.ROOT),
            new ArticleEvent.Subject(name, null, scheme),
            (kept, other) -> SUBJECT_SPELLING.compare(other, kept) < 0 ? other : kept);
      }
    }
    return List.copyOf(byName.values());
  }

  /**
   * Which of two spellings of one subject, equal ignoring case, is kept: one not all in capitals
   * first, then the first in {@link String#compareTo} order, so the choice does not depend on the
   * order the feed lists them in (it flipped the fingerprint when a feed reordered its categories).
   * Equal names keep the first.
   */
  private static final Comparator<ArticleEvent.Subject> SUBJECT_SPELLING =
      Comparator.comparing((ArticleEvent.Subject s) -> allCapitals(s.name()))
          .thenComparing(ArticleEvent.Subject::name);

  private static boolean allCapitals(String name) {
    return name.equals(name.toUpperCase(Locale.ROOT))
        && !name.equals(name.toLowerCase(Locale.ROOT));
  }

  private static String describe(RawWireItem item) {
    String sourceId = item.source() == null ? "?" : item.source().id();
    return sourceId + "/" + item.itemKey();
  }

  /**
   * Null for text without a visible character ({@link Html#hasVisibleText}): an invisible title is
   * no title.
   */
  /**
   * The story's link as given: FeedBurner's {@code origLink} when it is a valid http(s) URL (the
   * entry's {@code link} is then a FeedBurner redirect, {@code feeds.reuters.com/~r/...}, that
   * names the feed and not the story), else the entry's link; null when neither.
   */
  private static String storyLink(ParsedEntry entry) {
    String orig = blankToNull(entry.origLink());
    if (orig != null && UrlCanonicalizer.canonicalize(orig.strip()).isPresent()) {
      return orig.strip();
    }
    return blankToNull(entry.link()) == null ? null : entry.link().strip();
  }

  private static String blankToNull(String text) {
    return Html.hasVisibleText(text) ? text : null;
  }
}
