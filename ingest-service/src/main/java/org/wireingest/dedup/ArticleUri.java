package org.wireingest.dedup;

import java.util.List;
import java.util.Objects;
import org.wireingest.config.FeedsConfig;
import org.wireingest.model.RawWireItem;
import org.wireingest.text.Html;

/**
 * The ninjs {@code uri} of an article: {@code urn:wire:<agency>:<identity hash>} (DESIGN.md,
 * "Identity, dedup and versions"). Scoped by agency, not by feed, so the same story in two section
 * feeds of one agency has one {@code uri}; stable across versions and replays. Pure and
 * thread-safe.
 */
public final class ArticleUri {

  /** The bases an identity may have ({@link IdentityResolver}). */
  private static final List<String> BASES =
      List.of(
          IdentityResolver.GUID,
          IdentityResolver.GUID_AND_LINK,
          IdentityResolver.LINK,
          IdentityResolver.CONTENT);

  private ArticleUri() {}

  /**
   * @param agency the agency id of the source, as the feeds list accepts it ({@link
   *     FeedsConfig#isAgencyId})
   * @param identity the entry's identity; never null
   * @return {@code urn:wire:<agency>:<32 lower-case hex>}, the hex being {@link
   *     Digests#identityHash(RawWireItem.Identity)}
   * @throws IllegalArgumentException when {@code agency} is not a valid agency id (a configuration
   *     bug: feeds lists are validated at start-up), or the identity has no value with a visible
   *     character ({@link Html#hasVisibleText}) or a basis other than {@code guid}, {@code
   *     guid+link}, {@code link} and {@code content} (not made by a poller: every such identity
   *     would share one {@code uri}, merging unrelated stories)
   */
  public static String of(String agency, RawWireItem.Identity identity) {
    Objects.requireNonNull(identity, "identity");
    if (!FeedsConfig.isAgencyId(agency)) {
      // the feeds list's rule: an unbounded agency made an unbounded uri, key and headers
      throw new IllegalArgumentException("agency id " + FeedsConfig.agencyError(agency));
    }
    if (identity.basis() == null || !BASES.contains(identity.basis())) {
      throw new IllegalArgumentException(
          "identity basis must be one of " + BASES + ", got: " + identity.basis());
    }
    if (!Html.hasVisibleText(identity.value())) {
      throw new IllegalArgumentException("identity value is missing or has no visible character");
    }
    return "urn:wire:" + agency + ":" + Digests.identityHash(identity);
  }
}
