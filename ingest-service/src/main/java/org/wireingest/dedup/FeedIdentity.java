package org.wireingest.dedup;

import java.util.Objects;

/**
 * The feed-wide identity basis of one feed under {@code auto}: either each entry chooses its own
 * (the normal case), or the feed's GUIDs proved unusable and every entry is identified by its link,
 * or by its content when the links are unusable too. See {@link IdentityResolver#feedIdentity}.
 *
 * @param basis null when each entry chooses its own basis; else {@value IdentityResolver#LINK} or
 *     {@value IdentityResolver#CONTENT}
 * @param reason one line saying why {@code basis} was chosen (counts and shares of unusable GUIDs
 *     and links); null exactly when {@code basis} is null
 * @throws IllegalArgumentException when {@code basis} is another value, or only one of the two is
 *     null
 */
public record FeedIdentity(String basis, String reason) {

  /** Each entry chooses its own identity basis. */
  public static final FeedIdentity PER_ENTRY = new FeedIdentity(null, null);

  public FeedIdentity {
    if (basis != null
        && !basis.equals(IdentityResolver.LINK)
        && !basis.equals(IdentityResolver.CONTENT)) {
      throw new IllegalArgumentException(
          "a feed-wide identity basis is link or content, not " + basis);
    }
    if ((basis == null) != (reason == null)) {
      throw new IllegalArgumentException(
          "a feed-wide identity basis needs a reason, and only it has one");
    }
  }

  /**
   * @param basis a stored basis ({@code FeedState.identityBasis}); null for per entry
   * @param reason its stored reason; ignored when {@code basis} is null
   * @return the feed identity they describe
   */
  public static FeedIdentity of(String basis, String reason) {
    return basis == null
        ? PER_ENTRY
        : new FeedIdentity(basis, Objects.requireNonNullElse(reason, "unknown"));
  }

  /**
   * @return true when a feed-wide basis replaced the per-entry choice
   */
  public boolean degraded() {
    return basis != null;
  }
}
