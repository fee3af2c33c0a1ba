package org.wireingest.dedup;

import java.util.Objects;
import java.util.regex.Pattern;
import org.wireingest.model.RawWireItem;

/**
 * The ninjs {@code uri} of an article: {@code urn:wire:<agency>:<identity hash>} (DESIGN.md,
 * "Identity, dedup and versions"). Scoped by agency, not by feed, so the same story in two section
 * feeds of one agency has one {@code uri}; stable across versions and replays. Pure and
 * thread-safe.
 */
public final class ArticleUri {

  /** An agency id: at most 100 characters, as the feeds list allows (an unbounded one made an unbounded uri, key and headers). */
  private static final Pattern AGENCY = Pattern.compile("[a-z0-9-]{1,100}");

  /** The bases an identity may have ({@link IdentityResolver}). */
  private static final java.util.List<String> BASES =
      java.util.List.of(IdentityResolver.GUID, IdentityResolver.GUID_AND_LINK, IdentityResolver.LINK, IdentityResolver.CONTENT);

  private ArticleUri() {}

  /**
   * @param agency the agency id of the source, 1–100 characters of {@code [a-z0-9-]}
   * @param identity the entry's identity; never null
   * @return {@code urn:wire:<agency>:<32 lower-case hex>}, the hex being {@link
   *     Digests#identityHash(RawWireItem.Identity)}
   * @throws IllegalArgumentException when {@code agency} is not a valid agency id (a configuration
   *     bug: feeds lists are validated at start-up), or the identity has no value or a basis other
   *     than {@code guid}, {@code guid+link}, {@code link} and {@code content} (not made by a
   *     poller: every such identity would share one {@code uri}, merging unrelated stories)
   */
  public static String of(String agency, RawWireItem.Identity identity) {
    Objects.requireNonNull(identity, "identity");
    if (agency == null || !AGENCY.matcher(agency).matches()) {
      throw new IllegalArgumentException("agency id must be 1-100 characters of [a-z0-9-], got: "
          + (agency == null || agency.length() <= 120 ? agency : agency.substring(0, 100) + "... (" + agency.length() + " characters)"));
    }
    if (identity.basis() == null || !BASES.contains(identity.basis())) {
      throw new IllegalArgumentException("identity basis must be one of " + BASES + ", got: " + identity.basis());
    }
    if (identity.value() == null || identity.value().isBlank()) {
      throw new IllegalArgumentException("identity value is missing or blank");
    }
    return "urn:wire:" + agency + ":" + Digests.identityHash(identity);
  }
}
