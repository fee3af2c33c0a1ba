package org.wireingest.dedup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.model.Hashes;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.ParsedEntry;
import org.wireingest.text.Html;
import org.wireingest.text.UrlCanonicalizer;

/**
 * Gives each entry of one feed document its identity under the source's {@link IdentityPolicy} and
 * keeps one entry per identity (DESIGN.md, "Identity, dedup and versions"). Pure and thread-safe.
 *
 * <p>Identity of one entry, by policy. Each entry is judged on its own fields, except that {@code
 * auto} looks at the other entries sharing its GUID, so one odd entry never changes the identity of
 * its neighbours:
 *
 * <ul>
 *   <li>{@code auto}: basis {@value #GUID}, the trimmed GUID (an http(s) URL in canonical form,
 *       fragment kept: {@link UrlCanonicalizer#canonicalizeIdentifier}), when the entry has one;
 *       but when entries of this document share that GUID while pointing to different links (a CMS
 *       reusing one GUID), basis {@value #GUID_AND_LINK}, value {@code GUID + "\n" + link} (the
 *       canonical link, else the link as given, else empty), so they stay apart. Without a GUID:
 *       basis {@value #LINK}, the canonical link ({@link UrlCanonicalizer}); else basis {@value
 *       #CONTENT}.
 *   <li>{@code guid}: basis {@value #GUID} whenever the entry has a GUID (entries sharing it are
 *       one story, whatever their links); entries without a GUID follow {@code auto}.
 *   <li>{@code link}: basis {@value #LINK}, else {@value #CONTENT}.
 *   <li>{@code content}: basis {@value #CONTENT}: SHA-256 (hex) of the title's text and the
 *       description's text (the content's when there is no description), each whitespace-collapsed,
 *       joined by {@code "\n"}.
 * </ul>
 *
 * <p>Entries that end with equal identities are versions of one story: only the newest by its
 * updated date (else published date; undated counts as oldest) is kept, the first in document order
 * on a tie; the survivors keep their document order.
 *
 * <p>Feed-wide degradation of {@code auto} ({@link #feedIdentity}): when more than {@link
 * #MAX_UNUSABLE_SHARE} of a document's entries, and at least {@link #MIN_UNUSABLE} of them, have an
 * unusable GUID (missing or blank, equal to the channel link without a fragment of its own, or
 * shared by entries with different links), GUIDs are no longer trusted for that feed: every entry
 * gets basis {@value #LINK} (else {@value #CONTENT}), and when the links fail the same test
 * (missing or invalid, or equal to the channel link; entries sharing a link are versions of one
 * story, not a fault) every entry gets basis {@value #CONTENT}. Below the threshold each entry
 * keeps its own identity as above. A degradation is sticky (the caller stores it in the feed state
 * and passes it back): a feed never returns to GUIDs, and {@value #LINK} only ever moves on to
 * {@value #CONTENT}, so item keys change once, not at every poll that crosses the threshold.
 * Entries the feed already published under their own usable identity keep it ({@link #resolve(List,
 * IdentityPolicy, FeedIdentity, String, PublishedEntries)}), so a degradation changes the identity
 * of new entries only.
 *
 * <p>Likewise under {@code auto}, whether a GUID is {@value #GUID} or {@value #GUID_AND_LINK}
 * depends on the document (whether another entry shares it), but an entry the feed published under
 * one of the two keeps it in later documents: a story does not get a second {@code uri} when a CMS
 * gives its GUID to a second story, or when that other story leaves the feed.
 *
 * <p>GUIDs that are http(s) URLs are canonical in identities since 2026-12 (before, they were taken
 * as given, so DW's {@code ?maca=...} GUIDs, which name the section feed, gave one story a {@code
 * uri} per section feed). An entry the feed published under its GUID as given keeps that identity
 * (under {@code auto}, {@code guid}, and a degraded {@code auto}), found by its item key among the
 * published entries as above; only entries not published under it take the canonical GUID. So no
 * story published before gets a second {@code uri}, and the dedup state under its {@code uri} stays
 * in use.
 *
 * <p>Links likewise: when tracking parameters are added to the canonicaliser's rules, the canonical
 * link, so a {@value #LINK} or {@value #GUID_AND_LINK} identity (and a URL GUID's), changes for
 * every story whose link carries one. An entry the feed published under the link's canonical form
 * under earlier rules ({@link UrlCanonicalizer#earlierCanonicalForms}) keeps that identity, under
 * every policy and a degraded {@code auto}, found in the same way. This resolver is the one place
 * that decides; {@link UrlCanonicalizer} only says what the earlier forms are.
 */
public final class IdentityResolver {

  /** Basis of an identity made of the GUID. */
  public static final String GUID = "guid";

  /** Basis of an identity made of the GUID and the link, for GUIDs shared by different links. */
  public static final String GUID_AND_LINK = "guid+link";

  /** Basis of an identity made of the canonical link. */
  public static final String LINK = "link";

  /** Basis of an identity made of a hash of the title and description text. */
  public static final String CONTENT = "content";

  /**
   * Share of a document's entries with an unusable GUID (or link) above which {@code auto}
   * degrades: 5 %.
   */
  public static final double MAX_UNUSABLE_SHARE = 0.05;

  /**
   * Fewest entries with an unusable GUID (or link) that degrade a feed, so one odd entry of a short
   * feed does not.
   */
  public static final int MIN_UNUSABLE = 2;

  private IdentityResolver() {}

  /**
   * Resolves with each entry choosing its own basis ({@link FeedIdentity#PER_ENTRY}).
   *
   * @param entries the entries of one feed document, in document order; never null
   * @param policy the source's identity policy; never null
   * @return one resolved entry per identity, in document order; never null
   */
  public static List<ResolvedEntry> resolve(List<ParsedEntry> entries, IdentityPolicy policy) {
    return resolve(entries, policy, FeedIdentity.PER_ENTRY);
  }

  /**
   * @param entries the entries of one feed document, in document order; never null
   * @param policy the source's identity policy; never null
   * @param feedIdentity the feed-wide basis from {@link #feedIdentity}; a degraded one applies only
   *     under {@link IdentityPolicy#AUTO}; never null
   * @return one resolved entry per identity, in document order; never null
   */
  public static List<ResolvedEntry> resolve(
      List<ParsedEntry> entries, IdentityPolicy policy, FeedIdentity feedIdentity) {
    return resolve(entries, policy, feedIdentity, null, PublishedEntries.NONE);
  }

  /**
   * Resolves as {@link #resolve(List, IdentityPolicy, FeedIdentity)}, except that entries keep
   * identities they were published under. Under {@code auto}, an entry with a GUID published under
   * {@value #GUID_AND_LINK} of its GUID and link keeps it, and one published under {@value #GUID}
   * keeps that (while another entry of the document shares the GUID, only when this very entry,
   * unchanged, was published under it). Under a degraded {@code auto} basis an entry the feed has
   * not published under the degraded basis yet, but has published under its own usable identity,
   * keeps that identity: its GUID identity (a GUID that is not the channel link; with its link when
   * entries of this document share the GUID), or after a degradation to content, its link identity
   * (a valid link that is not the channel link), when that identity's item key is {@code
   * published}. So a feed whose GUIDs become unusable does not publish its stories again under new
   * {@code uri}s; only entries not published before, or whose own GUID (link) is the unusable kind,
   * take the degraded basis.
   *
   * @param entries the entries of one feed document, in document order; never null
   * @param policy the source's identity policy; never null
   * @param feedIdentity the feed-wide basis from {@link #feedIdentity}; never null
   * @param feedLink the channel / feed home page link; null when the feed has none
   * @param published what this feed published before, by item key (its state's recent entries);
   *     never null
   * @return one resolved entry per identity, in document order; never null
   */
  public static List<ResolvedEntry> resolve(
      List<ParsedEntry> entries,
      IdentityPolicy policy,
      FeedIdentity feedIdentity,
      String feedLink,
      PublishedEntries published) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(feedIdentity, "feedIdentity");
    Objects.requireNonNull(published, "published");
    IdentityPolicy effective = policy;
    boolean degraded = policy == IdentityPolicy.AUTO && feedIdentity.degraded();
    if (degraded) {
      effective = feedIdentity.basis().equals(LINK) ? IdentityPolicy.LINK : IdentityPolicy.CONTENT;
    }
    Set<String> guidsWithSeveralLinks =
        policy == IdentityPolicy.AUTO ? guidsWithSeveralLinks(entries) : Set.of();
    Set<String> repeatedGuids = degraded ? repeatedGuids(entries) : Set.of();
    String channel = linkKey(feedLink);
    List<RawWireItem.Identity> identities = new ArrayList<>(entries.size());
    Map<RawWireItem.Identity, Integer> newest = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      RawWireItem.Identity identity = identify(entries.get(i), effective, guidsWithSeveralLinks);
      if (degraded) {
        identity =
            publishedIdentity(
                entries.get(i),
                identity,
                feedIdentity,
                guidsWithSeveralLinks,
                repeatedGuids,
                channel,
                published);
      } else if (published != PublishedEntries.NONE) {
        identity =
            publishedOwnIdentity(
                entries.get(i), identity, policy, guidsWithSeveralLinks, published);
      }
      identities.add(identity);
      Integer kept = newest.get(identity);
      if (kept == null || isNewer(entries.get(i), entries.get(kept))) {
        newest.put(identity, i);
      }
    }
    List<ResolvedEntry> resolved = new ArrayList<>(newest.size());
    for (int i = 0; i < entries.size(); i++) {
      RawWireItem.Identity identity = identities.get(i);
      if (newest.get(identity) == i) {
        resolved.add(new ResolvedEntry(entries.get(i), identity, Digests.identityHash(identity)));
      }
    }
    return List.copyOf(resolved);
  }

  /**
   * The feed-wide identity basis for one document (see the class comment): pure, and {@code
   * previous} is the basis stored from earlier polls.
   *
   * @param entries the entries of one feed document; never null
   * @param feedLink the channel / feed home page link; null when the feed has none
   * @param policy the source's identity policy; only {@link IdentityPolicy#AUTO} degrades
   * @param previous the feed's basis so far; never null
   * @return {@code previous} when nothing changes (always for an empty document or a policy other
   *     than {@code auto}); else the new, more degraded basis with its reason
   */
  public static FeedIdentity feedIdentity(
      List<ParsedEntry> entries, String feedLink, IdentityPolicy policy, FeedIdentity previous) {
    Objects.requireNonNull(previous, "previous");
    if (policy != IdentityPolicy.AUTO || entries.isEmpty() || CONTENT.equals(previous.basis())) {
      return previous;
    }
    String channel = linkKey(feedLink);
    String guidReason = previous.degraded() ? previous.reason() : unusableGuids(entries, channel);
    if (guidReason == null) {
      return previous;
    }
    String linkReason = unusableLinks(entries, channel);
    if (linkReason != null) {
      return new FeedIdentity(CONTENT, guidReason + "; " + linkReason);
    }
    return previous.degraded() ? previous : new FeedIdentity(LINK, guidReason);
  }

  /** Why the document's GUIDs cannot be trusted, or null when they can. */
  private static String unusableGuids(List<ParsedEntry> entries, String channel) {
    Set<String> shared = guidsWithSeveralLinks(entries);
    Set<String> repeated = repeatedGuids(entries);
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (ParsedEntry entry : entries) {
      String guid = guid(entry);
      if (guid == null) {
        counts.merge("missing or blank", 1, Integer::sum);
      } else if (namesChannel(guid, channel, repeated)) {
        counts.merge("equal to the channel link", 1, Integer::sum);
      } else if (shared.contains(guidKey(guid))) {
        counts.merge("shared by different links", 1, Integer::sum);
      }
    }
    return verdict("GUIDs", counts, entries.size());
  }

  /**
   * Why the document's links cannot identify its entries, or null when they can. Entries sharing a
   * link are not counted: they are versions of one story (an updated text under one URL).
   */
  private static String unusableLinks(List<ParsedEntry> entries, String channel) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (ParsedEntry entry : entries) {
      String link = UrlCanonicalizer.canonicalize(entry.link()).orElse(null);
      if (link == null) {
        counts.merge("missing or invalid", 1, Integer::sum);
      } else if (link.equals(channel)) {
        counts.merge("equal to the channel link", 1, Integer::sum);
      }
    }
    return verdict("links", counts, entries.size());
  }

  /**
   * {@code "12 of 40 GUIDs unusable (30%): 3 missing or blank, 9 shared by different links"}, or
   * null under the threshold.
   */
  private static String verdict(String what, Map<String, Integer> counts, int total) {
    int unusable = counts.values().stream().mapToInt(Integer::intValue).sum();
    if (unusable < MIN_UNUSABLE || unusable <= MAX_UNUSABLE_SHARE * total) {
      return null;
    }
    StringBuilder reason =
        new StringBuilder()
            .append(unusable)
            .append(" of ")
            .append(total)
            .append(' ')
            .append(what)
            .append(" unusable (")
            .append(Math.round(100.0 * unusable / total))
            .append("%): ");
    String separator = "";
    for (Map.Entry<String, Integer> count : counts.entrySet()) {
      reason.append(separator).append(count.getValue()).append(' ').append(count.getKey());
      separator = ", ";
    }
    return reason.toString();
  }

  /**
   * The identity a degraded feed's entry was published under: of {@code degradedIdentity} and the
   * entry's own usable identities from before the degradation ({@link #guidCandidates}; after a
   * degradation to content, its link), the one under which this very entry, unchanged, was
   * published; else the first of them under which anything was (an edited entry); else {@code
   * degradedIdentity}.
   */
  private static RawWireItem.Identity publishedIdentity(
      ParsedEntry entry,
      RawWireItem.Identity degradedIdentity,
      FeedIdentity feedIdentity,
      Set<String> guidsWithSeveralLinks,
      Set<String> repeatedGuids,
      String channel,
      PublishedEntries published) {
    List<Candidate> candidates = new ArrayList<>(4);
    if (degradedIdentity.basis().equals(LINK)) {
      candidates.addAll(linkCandidates(entry));
    } else {
      candidates.add(new Candidate(degradedIdentity, false));
    }
    String guid = guid(entry);
    if (guid != null && !namesChannel(guid, channel, repeatedGuids)) {
      candidates.addAll(guidCandidates(entry, guid, guidsWithSeveralLinks));
    }
    if (feedIdentity.basis().equals(CONTENT) && !linkKey(entry).equals(channel)) {
      candidates.addAll(linkCandidates(entry));
    }
    return published(entry, candidates, published).orElse(degradedIdentity);
  }

  /**
   * The identity an entry of a feed that did not degrade was published under, which may differ from
   * {@code own}, the one this document gives it:
   *
   * <ul>
   *   <li>under {@code auto}, a GUID is {@value #GUID} while no other entry of the document carries
   *       it and {@value #GUID_AND_LINK} while one does, so a CMS reusing a GUID for a second story
   *       made the first one a new {@code uri} (a second {@code created} event) the poll the second
   *       appeared, and a story published beside another with its GUID a new {@code uri} the poll
   *       that other left the feed ({@link #guidCandidates});
   *   <li>the rules changed: URL GUIDs were taken as given before 2026-12, and tracking parameters
   *       were added to the canonical link ({@link UrlCanonicalizer#earlierCanonicalForms}), so a
   *       {@value #GUID} or {@value #LINK} identity (any policy) had another value when the story
   *       was published ({@link #guidKeys}, {@link #linkCandidates}).
   * </ul>
   *
   * The entry keeps the identity it was published under; a new one takes {@code own}.
   *
   * @param own the identity the document gives the entry
   */
  private static RawWireItem.Identity publishedOwnIdentity(
      ParsedEntry entry,
      RawWireItem.Identity own,
      IdentityPolicy policy,
      Set<String> guidsWithSeveralLinks,
      PublishedEntries published) {
    String guid = guid(entry);
    List<Candidate> candidates;
    if (own.basis().equals(LINK)) {
      candidates = linkCandidates(entry);
    } else if (own.basis().equals(CONTENT) || guid == null) {
      candidates = List.of();
    } else if (policy == IdentityPolicy.AUTO) {
      candidates = guidCandidates(entry, guid, guidsWithSeveralLinks);
    } else {
      candidates =
          guidKeys(guid).stream()
              .map(key -> new Candidate(new RawWireItem.Identity(GUID, key), false))
              .toList();
    }
    if (candidates.size() <= 1) {
      return own; // its only form: no lookup
    }
    return published(entry, candidates, published).orElse(own);
  }

  /**
   * The GUID identities an {@code auto} entry may have been published under: for each of its GUID's
   * forms ({@link #guidKeys}, the current one first), {@value #GUID_AND_LINK} of it and each form
   * of the link ({@link #linkKeys}: only this story at this link has it), then {@value #GUID} of
   * it, which while another entry of the document shares the GUID counts only for this very entry
   * unchanged (else the other story, or this one edited, could be taken for the story first
   * published under the GUID). So a story a feed published under its section-feed GUID ({@code
   * ?maca=...}) or with a link in an earlier canonical form keeps that {@code uri}, and its dedup
   * state, while the feed still carries it.
   */
  private static List<Candidate> guidCandidates(
      ParsedEntry entry, String guid, Set<String> guidsWithSeveralLinks) {
    boolean shared = guidsWithSeveralLinks.contains(guidKey(guid));
    List<String> links = linkKeys(entry);
    List<String> keys = guidKeys(guid);
    List<Candidate> candidates = new ArrayList<>(keys.size() * (links.size() + 1));
    for (String key : keys) {
      for (String link : links) {
        candidates.add(
            new Candidate(new RawWireItem.Identity(GUID_AND_LINK, key + "\n" + link), false));
      }
      candidates.add(new Candidate(new RawWireItem.Identity(GUID, key), shared));
    }
    return candidates;
  }

  /**
   * The {@value #LINK} identities an entry may have been published under: its canonical link, then
   * the link's earlier canonical forms ({@link UrlCanonicalizer#earlierCanonicalForms}, before
   * tracking parameters it carries were added to the rules). Empty when the link has no canonical
   * form.
   */
  private static List<Candidate> linkCandidates(ParsedEntry entry) {
    Optional<String> link = UrlCanonicalizer.canonicalize(entry.link());
    if (link.isEmpty()) {
      return List.of();
    }
    List<String> earlier = UrlCanonicalizer.earlierCanonicalForms(entry.link());
    List<Candidate> candidates = new ArrayList<>(1 + earlier.size());
    candidates.add(new Candidate(new RawWireItem.Identity(LINK, link.get()), false));
    for (String form : earlier) {
      candidates.add(new Candidate(new RawWireItem.Identity(LINK, form), false));
    }
    return candidates;
  }

  /**
   * An identity an entry may have been published under.
   *
   * @param exactOnly whether it counts only when this very entry, unchanged, was published under it
   */
  private record Candidate(RawWireItem.Identity identity, boolean exactOnly) {}

  /**
   * Of {@code candidates}, the one under which this very entry, unchanged, was published; else the
   * first not {@code exactOnly} under which anything was; else empty. The entry is hashed ({@link
   * PublishedEntries#containsExactly}) only when that decides: when more than one candidate was
   * published, or an {@code exactOnly} one.
   */
  private static Optional<RawWireItem.Identity> published(
      ParsedEntry entry, List<Candidate> candidates, PublishedEntries published) {
    List<Candidate> found = new ArrayList<>(candidates.size());
    List<String> keys = new ArrayList<>(candidates.size());
    for (Candidate candidate : candidates) {
      String key = Digests.identityHash(candidate.identity());
      if (published.contains(key)) {
        found.add(candidate);
        keys.add(key);
      }
    }
    if (found.size() == 1 && !found.get(0).exactOnly()) {
      return Optional.of(found.get(0).identity());
    }
    for (int i = 0; i < found.size(); i++) {
      if (published.containsExactly(keys.get(i), entry)) {
        return Optional.of(found.get(i).identity());
      }
    }
    return found.stream()
        .filter(candidate -> !candidate.exactOnly())
        .map(Candidate::identity)
        .findFirst();
  }

  private static RawWireItem.Identity identify(
      ParsedEntry entry, IdentityPolicy policy, Set<String> guidsWithSeveralLinks) {
    String guid = guid(entry);
    return switch (policy) {
      case CONTENT -> contentIdentity(entry);
      case LINK -> linkIdentity(entry);
      case GUID ->
          guid != null ? new RawWireItem.Identity(GUID, guidKey(guid)) : linkIdentity(entry);
      case AUTO -> {
        if (guid == null) {
          yield linkIdentity(entry);
        }
        String key = guidKey(guid);
        yield guidsWithSeveralLinks.contains(key)
            ? new RawWireItem.Identity(GUID_AND_LINK, key + "\n" + linkKey(entry))
            : new RawWireItem.Identity(GUID, key);
      }
    };
  }

  private static RawWireItem.Identity linkIdentity(ParsedEntry entry) {
    return UrlCanonicalizer.canonicalize(entry.link())
        .map(link -> new RawWireItem.Identity(LINK, link))
        .orElseGet(() -> contentIdentity(entry));
  }

  private static RawWireItem.Identity contentIdentity(ParsedEntry entry) {
    String title = Html.collapseWhitespace(Html.toText(entry.title()));
    String description =
        entry.descriptionHtml() != null && !entry.descriptionHtml().isBlank()
            ? entry.descriptionHtml()
            : entry.contentHtml();
    String text = Html.collapseWhitespace(Html.toText(description));
    return new RawWireItem.Identity(CONTENT, Hashes.sha256Hex(title + "\n" + text));
  }

  /**
   * Whether a GUID names the feed rather than a story: as a link it is the channel link, and no
   * fragment tells it apart (it has none, a blank one, or one that another entry of the document
   * carries too). A GUID made of the channel link and a fragment of its own ({@code
   * https://example.org/#<hash>} under the home page {@code https://example.org/}) identifies its
   * story, as its {@link #guidKey} keeps the fragment: counting it as the channel link degraded
   * such a feed to content identity, where every edited headline made a new {@code uri}.
   *
   * @param repeatedGuids the {@link #guidKey}s that several entries of the document carry
   */
  private static boolean namesChannel(String guid, String channel, Set<String> repeatedGuids) {
    if (channel.isEmpty() || !linkKey(guid).equals(channel)) {
      return false;
    }
    int hash = guid.indexOf('#');
    return hash < 0
        || !Html.hasVisibleText(guid.substring(hash + 1))
        || repeatedGuids.contains(guidKey(guid));
  }

  /** The {@link #guidKey}s carried by more than one entry of the document. */
  private static Set<String> repeatedGuids(List<ParsedEntry> entries) {
    Set<String> seen = new HashSet<>();
    Set<String> repeated = new HashSet<>();
    for (ParsedEntry entry : entries) {
      String guid = guid(entry);
      if (guid != null && !seen.add(guidKey(guid))) {
        repeated.add(guidKey(guid));
      }
    }
    return repeated;
  }

  private static Set<String> guidsWithSeveralLinks(List<ParsedEntry> entries) {
    Map<String, String> firstLinkByGuid = new HashMap<>();
    Set<String> shared = new HashSet<>();
    for (ParsedEntry entry : entries) {
      String guid = guid(entry);
      if (guid != null) {
        String key = guidKey(guid);
        String previous = firstLinkByGuid.putIfAbsent(key, linkKey(entry));
        if (previous != null && !previous.equals(linkKey(entry))) {
          shared.add(key);
        }
      }
    }
    return shared;
  }

  /** The link that tells entries sharing a GUID apart: canonical, else as given, else empty. */
  private static String linkKey(ParsedEntry entry) {
    return linkKey(entry.link());
  }

  /**
   * {@link #linkKey}, then the link's earlier canonical forms ({@link
   * UrlCanonicalizer#earlierCanonicalForms}): the values it had in {@value #GUID_AND_LINK}
   * identities before tracking parameters it carries were added to the rules.
   */
  private static List<String> linkKeys(ParsedEntry entry) {
    List<String> earlier = UrlCanonicalizer.earlierCanonicalForms(entry.link());
    if (earlier.isEmpty()) {
      return List.of(linkKey(entry));
    }
    List<String> keys = new ArrayList<>(1 + earlier.size());
    keys.add(linkKey(entry));
    keys.addAll(earlier);
    return keys;
  }

  /** A link or GUID compared as a link: canonical, else as given (stripped), else empty. */
  private static String linkKey(String link) {
    String given = link == null ? "" : link.strip();
    return UrlCanonicalizer.canonicalize(given).orElse(given);
  }

  /**
   * The GUID as an identity value: an http(s) URL in canonical form with its fragment kept ({@link
   * UrlCanonicalizer#canonicalizeIdentifier}), so GUIDs that differ only in tracking parameters
   * naming the section feed (DW's {@code ?maca=en-rss-en-all-1573-rdf} and {@code
   * ?maca=en-rss-en-world-4025-rdf}, {@code utm_*}), or in the case of scheme and host or a default
   * port, are one identity and, scoped by agency, one {@code uri}; any other GUID as given.
   */
  private static String guidKey(String guid) {
    return UrlCanonicalizer.canonicalizeIdentifier(guid).orElse(guid);
  }

  /**
   * The values a GUID had as an identity under each rule set, distinct, the current first: {@link
   * #guidKey}, its earlier canonical forms ({@link UrlCanonicalizer#earlierIdentifierForms}, before
   * tracking parameters it carries were added to the rules), and the GUID as given (URL GUIDs were
   * not canonicalised before 2026-12).
   */
  private static List<String> guidKeys(String guid) {
    String key = guidKey(guid);
    if (key.equals(guid)) {
      return List.of(key); // not a URL, or one in canonical form: it never had another value
    }
    Set<String> keys = new LinkedHashSet<>();
    keys.add(key);
    keys.addAll(UrlCanonicalizer.earlierIdentifierForms(guid));
    keys.add(guid);
    return List.copyOf(keys);
  }

  /**
   * The GUID, stripped; null when it has no visible character (a GUID of only zero-width or
   * no-break spaces would make one story of every entry carrying it).
   */
  private static String guid(ParsedEntry entry) {
    return Html.hasVisibleText(entry.guid()) ? entry.guid().strip() : null;
  }

  private static boolean isNewer(ParsedEntry candidate, ParsedEntry kept) {
    return date(candidate).isAfter(date(kept));
  }

  private static Instant date(ParsedEntry entry) {
    if (entry.updated() != null) {
      return entry.updated();
    }
    return entry.published() != null ? entry.published() : Instant.MIN;
  }
}
