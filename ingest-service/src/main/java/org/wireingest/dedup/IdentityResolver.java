package org.wireingest.dedup;

import org.wireingest.model.Hashes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.Html;
import org.wireingest.normalize.UrlCanonicalizer;
import org.wireingest.parse.ParsedEntry;

/**
 * Gives each entry of one feed document its identity under the source's {@link IdentityPolicy}
 * and keeps one entry per identity (DESIGN.md, "Identity, dedup and versions"). Pure and
 * thread-safe.
 *
 * <p>Identity of one entry, by policy. Each entry is judged on its own fields, except that {@code
 * auto} looks at the other entries sharing its GUID, so one odd entry never changes the identity of
 * its neighbours:
 *
 * <ul>
 *   <li>{@code auto}: basis {@value #GUID}, the trimmed GUID, when the entry has one; but when
 *       entries of this document share that GUID while pointing to different links (a CMS reusing
 *       one GUID), basis {@value #GUID_AND_LINK}, value {@code GUID + "\n" + link} (the canonical
 *       link, else the link as given, else empty), so they stay apart. Without a GUID: basis
 *       {@value #LINK}, the canonical link ({@link UrlCanonicalizer}); else basis {@value #CONTENT}.
 *   <li>{@code guid}: basis {@value #GUID} whenever the entry has a GUID (entries sharing it are one
 *       story, whatever their links); entries without a GUID follow {@code auto}.
 *   <li>{@code link}: basis {@value #LINK}, else {@value #CONTENT}.
 *   <li>{@code content}: basis {@value #CONTENT}: SHA-256 (hex) of the title's text and the
 *       description's text (the content's when there is no description), each whitespace-collapsed,
 *       joined by {@code "\n"}.
 * </ul>
 *
 * <p>Entries that end with equal identities are versions of one story: only the newest by its
 * updated date (else published date; undated counts as oldest) is kept, the first in document
 * order on a tie; the survivors keep their document order.
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

  private IdentityResolver() {}

  /**
   * @param entries the entries of one feed document, in document order; never null
   * @param policy the source's identity policy; never null
   * @return one resolved entry per identity, in document order; never null
   */
  public static List<ResolvedEntry> resolve(List<ParsedEntry> entries, IdentityPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    Set<String> guidsWithSeveralLinks = policy == IdentityPolicy.AUTO ? guidsWithSeveralLinks(entries) : Set.of();
    List<RawWireItem.Identity> identities = new ArrayList<>(entries.size());
    Map<RawWireItem.Identity, Integer> newest = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      RawWireItem.Identity identity = identify(entries.get(i), policy, guidsWithSeveralLinks);
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

  private static RawWireItem.Identity identify(ParsedEntry entry, IdentityPolicy policy, Set<String> guidsWithSeveralLinks) {
    String guid = guid(entry);
    return switch (policy) {
      case CONTENT -> contentIdentity(entry);
      case LINK -> linkIdentity(entry);
      case GUID -> guid != null ? new RawWireItem.Identity(GUID, guid) : linkIdentity(entry);
      case AUTO -> {
        if (guid == null) {
          yield linkIdentity(entry);
        }
        yield guidsWithSeveralLinks.contains(guid)
            ? new RawWireItem.Identity(GUID_AND_LINK, guid + "\n" + linkKey(entry))
            : new RawWireItem.Identity(GUID, guid);
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
    String description = entry.descriptionHtml() != null && !entry.descriptionHtml().isBlank() ? entry.descriptionHtml() : entry.contentHtml();
    String text = Html.collapseWhitespace(Html.toText(description));
    return new RawWireItem.Identity(CONTENT, Hashes.sha256Hex(title + "\n" + text));
  }

  private static Set<String> guidsWithSeveralLinks(List<ParsedEntry> entries) {
    Map<String, String> firstLinkByGuid = new HashMap<>();
    Set<String> shared = new HashSet<>();
    for (ParsedEntry entry : entries) {
      String guid = guid(entry);
      if (guid != null) {
        String previous = firstLinkByGuid.putIfAbsent(guid, linkKey(entry));
        if (previous != null && !previous.equals(linkKey(entry))) {
          shared.add(guid);
        }
      }
    }
    return shared;
  }

  /** The link that tells entries sharing a GUID apart: canonical, else as given, else empty. */
  private static String linkKey(ParsedEntry entry) {
    String given = entry.link() == null ? "" : entry.link().strip();
    return UrlCanonicalizer.canonicalize(given).orElse(given);
  }

  private static String guid(ParsedEntry entry) {
    return entry.guid() == null || entry.guid().isBlank() ? null : entry.guid().strip();
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
