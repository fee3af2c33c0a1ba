package org.wireingest.poll;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.wireingest.config.FeedSource;
import org.wireingest.dedup.FeedIdentity;
import org.wireingest.dedup.IdentityResolver;
import org.wireingest.dedup.PublishedEntries;
import org.wireingest.dedup.ResolvedEntry;
import org.wireingest.fetch.Redaction;
import org.wireingest.model.FeedState;
import org.wireingest.model.Hashes;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.Normalizer;
import org.wireingest.parse.ParseWarning;
import org.wireingest.parse.ParsedEntry;
import org.wireingest.parse.ParsedFeed;
import org.wireingest.parse.Warnings;
import org.wireingest.text.Shortened;
import org.wireingest.text.UrlCanonicalizer;

/**
 * Turns a parsed feed into the raw items to publish, given what was published before: the
 * poller-side suppression of unchanged entries (DESIGN.md). Pure: no I/O, no clock.
 */
public final class RawItems {

  /**
   * Most item keys remembered per feed (newest by first-seen kept); more than any feed lists at
   * once.
   */
  public static final int MAX_REMEMBERED_ENTRIES = 2000;

  private RawItems() {}

  /**
   * The outcome of planning one fetched document.
   *
   * @param toPublish new or changed entries as raw items, in document order
   * @param entriesSeen entries in the document (before identity collapsing)
   * @param unchanged entries skipped because an identical one was already published
   * @param entries the feed state's entry map after publishing {@code toPublish}
   * @param firstSeen the feed state's first-seen map after publishing {@code toPublish}
   * @param identity the feed-wide identity basis used, to store in the feed state
   * @param warnings problems found while planning, beside the parser's: {@value
   *     RawItems#IDENTITY_DEGRADED} when {@code identity} became more degraded with this document,
   *     {@value RawItems#FUTURE_DATE} per published entry dated beyond the poll time plus {@link
   *     Normalizer#DEFAULT_FUTURE_SKEW} (the normalizer clamps such dates), {@value
   *     RawItems#FEED_FIELD_TOO_LONG} per feed field cut or left out; at most 20 of a kind with
   *     their detail, the rest one summary that counts them ({@link Warnings})
   */
  public record Plan(
      List<RawWireItem> toPublish,
      int entriesSeen,
      int unchanged,
      Map<String, String> entries,
      Map<String, Instant> firstSeen,
      FeedIdentity identity,
      List<ParseWarning> warnings) {}

  /**
   * Warning kind: {@code auto} identity fell back feed-wide to link or content (detail: the
   * reason).
   */
  public static final String IDENTITY_DEGRADED = "identity-degraded";

  /** Warning kind: an entry published now is dated in the future (detail: item key and date). */
  public static final String FUTURE_DATE = "future-date";

  /**
   * Warning kind: the feed's title was cut, or its link or language left out, for being longer than
   * any real one (detail: the field and its length). Every raw item of the poll carries them: a 500
   * KB channel title made 240 MB of raw items per poll of 500 entries.
   */
  public static final String FEED_FIELD_TOO_LONG = "feed-field-too-long";

  /** Most characters of the feed's title a raw item carries; a longer one is cut. */
  static final int MAX_FEED_TITLE_CHARS = 1000;

  /**
   * Most characters of the feed's link a raw item carries (RFC 9110 §4.1's 8,000); a longer one is
   * left out.
   */
  static final int MAX_FEED_LINK_CHARS = 8000;

  /** Most characters of the feed's language a raw item carries; a longer one is left out. */
  static final int MAX_FEED_LANGUAGE_CHARS = 100;

  /**
   * {@code value}, cut (a title) or left out (a link or language: half of one is wrong) when too
   * long, with a warning.
   */
  private static String bounded(String field, String value, int maxChars, Warnings warnings) {
    if (value == null || value.length() <= maxChars) {
      return value;
    }
    warnings.add(
        FEED_FIELD_TOO_LONG,
        "feed " + field + " of " + value.length() + " characters, over " + maxChars);
    return field.equals("title") ? Shortened.cut(value, maxChars) : null;
  }

  /**
   * @param source the configured source
   * @param fetch facts of the fetch that delivered the document
   * @param feed the parsed document
   * @param state the feed's state before this fetch
   * @param now the poll time (UTC): first-seen time of new entries
   * @return what to publish and the entry maps of the next state
   */
  public static Plan plan(
      FeedSource source, RawWireItem.Fetch fetch, ParsedFeed feed, FeedState state, Instant now) {
    RawWireItem.Source src =
        new RawWireItem.Source(
            source.id(),
            source.name(),
            source.agency(),
            Redaction.url(source.url()),
            source.language(),
            source.identity().code());
    Warnings warnings = new Warnings();
    RawWireItem.Feed feedFacts =
        new RawWireItem.Feed(
            feed.format(),
            bounded("title", feed.title(), MAX_FEED_TITLE_CHARS, warnings),
            bounded("link", feed.link(), MAX_FEED_LINK_CHARS, warnings),
            bounded("language", feed.language(), MAX_FEED_LANGUAGE_CHARS, warnings));
    FeedIdentity previous = FeedIdentity.of(state.identityBasis(), state.identityReason());
    FeedIdentity identity =
        IdentityResolver.feedIdentity(feed.entries(), feed.link(), source.identity(), previous);
    if (!Objects.equals(identity.basis(), previous.basis())) {
      warnings.add(
          IDENTITY_DEGRADED, identity.reason() + "; auto identity now uses " + identity.basis());
    }
    // Entries published before a degradation keep their identity: their stories are not published
    // again under new uris.
    List<ResolvedEntry> resolved =
        IdentityResolver.resolve(
            feed.entries(),
            source.identity(),
            identity,
            feed.link(),
            PublishedEntries.byKey(state.entries(), RawItems::entryHash));

    Map<String, String> entries = new HashMap<>(state.entries());
    Map<String, Instant> firstSeen = new HashMap<>(state.firstSeen());
    List<RawWireItem> out = new ArrayList<>();
    int unchanged = 0;
    for (ResolvedEntry r : resolved) {
      String hash = entryHash(r.entry());
      String key = r.itemKey();
      if (hash.equals(entries.get(key))) {
        unchanged++;
        continue;
      }
      Instant seen = firstSeen.getOrDefault(key, now);
      futureDate(r.entry(), now)
          .ifPresent(date -> warnings.add(FUTURE_DATE, "entry " + key + " dated " + date));
      out.add(
          new RawWireItem(
              RawWireItem.SCHEMA_VERSION,
              src,
              key,
              r.identity(),
              fetch,
              feedFacts,
              r.entry(),
              hash,
              seen));
      entries.put(key, hash);
      firstSeen.put(key, seen);
    }
    if (entries.size() > MAX_REMEMBERED_ENTRIES) {
      trim(entries, firstSeen, resolved);
    }
    return new Plan(
        List.copyOf(out),
        feed.entries().size(),
        unchanged,
        entries,
        firstSeen,
        identity,
        warnings.list());
  }

  /** The entry's latest date when it lies beyond {@code now} plus the normalizer's future skew. */
  private static Optional<Instant> futureDate(ParsedEntry entry, Instant now) {
    Instant limit = now.plus(Normalizer.DEFAULT_FUTURE_SKEW);
    return Stream.of(entry.published(), entry.updated())
        .filter(Objects::nonNull)
        .filter(date -> date.isAfter(limit))
        .max(Comparator.naturalOrder());
  }

  /**
   * The hash the poller compares to tell an entry it published unchanged (the feed state's {@code
   * entries}) and that it writes as the raw item's {@code entryHash}.
   *
   * <p>It is SHA-256 of the entry's JSON form with its {@code link}, {@code links} and {@code
   * origLink} in canonical form ({@link UrlCanonicalizer}; a link without one as given), so it
   * changes whenever a parsed field changes, except when a link changes only in what the canonical
   * URL drops: tracking and session parameters, the fragment, the case of scheme and host, a
   * default port (DESIGN.md, "Canonical URL"). Such a change makes no new article version (the
   * fingerprint covers no URL), and a feed that writes a new {@code utm_*} value into every link at
   * every fetch would otherwise republish all its entries at every poll. An entry whose links are
   * canonical already hashes exactly as before this rule (2026-12), so an upgraded poller
   * republishes only the entries whose links it now shortens, once.
   *
   * @param entry the entry as parsed; never null
   * @return 64 lower-case hex characters
   */
  public static String entryHash(ParsedEntry entry) {
    try {
      return Hashes.sha256Hex(Json.MAPPER.writeValueAsBytes(withCanonicalLinks(entry)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed entry must always serialise", e);
    }
  }

  /**
   * The entry with its links (and FeedBurner {@code origLink}) canonical; the entry itself when
   * they are already.
   */
  private static ParsedEntry withCanonicalLinks(ParsedEntry entry) {
    String link = canonicalOrGiven(entry.link());
    List<String> links = entry.links().stream().map(RawItems::canonicalOrGiven).toList();
    String origLink = canonicalOrGiven(entry.origLink());
    ParsedEntry canonical =
        Objects.equals(link, entry.link()) && links.equals(entry.links())
            ? entry
            : entry.withLinks(link, links);
    return Objects.equals(origLink, entry.origLink())
        ? canonical
        : canonical.withOrigLink(origLink);
  }

  private static String canonicalOrGiven(String url) {
    return url == null ? null : UrlCanonicalizer.canonicalize(url).orElse(url);
  }

  /** Keeps the entries of the current document plus the newest others, up to the bound. */
  private static void trim(
      Map<String, String> entries, Map<String, Instant> firstSeen, List<ResolvedEntry> current) {
    Map<String, Boolean> keep = new LinkedHashMap<>();
    current.forEach(r -> keep.put(r.itemKey(), Boolean.TRUE));
    entries.keySet().stream()
        .filter(k -> !keep.containsKey(k))
        .sorted(
            Comparator.comparing((String k) -> firstSeen.getOrDefault(k, Instant.EPOCH)).reversed())
        .limit(Math.max(0, MAX_REMEMBERED_ENTRIES - keep.size()))
        .forEach(k -> keep.put(k, Boolean.TRUE));
    entries.keySet().retainAll(keep.keySet());
    firstSeen.keySet().retainAll(keep.keySet());
  }
}
