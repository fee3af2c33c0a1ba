package org.wireingest.dedup;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.wireingest.parse.ParsedEntry;

/**
 * What one feed has published, by raw item key ({@link Digests#identityHash}): the poller's recent
 * entries ({@code FeedState.entries}, item key to entry hash). {@link IdentityResolver} asks it
 * which identity an entry had, so that a feed's identity degradation does not change the identity
 * of entries it published before.
 */
public interface PublishedEntries {

  /** Nothing published. */
  PublishedEntries NONE = keys(key -> false);

  /**
   * @param itemKey a raw item key
   * @return whether the feed published an entry under it
   */
  boolean contains(String itemKey);

  /**
   * @param itemKey a raw item key
   * @param entry an entry of the current document
   * @return whether the feed published this very entry, unchanged, under {@code itemKey}
   */
  boolean containsExactly(String itemKey, ParsedEntry entry);

  /**
   * @param published item key to what was published under it (the poller's entry hash); never null
   * @param valueOf the same value for an entry of the current document ({@code RawItems.entryHash})
   * @param <V> the kind of value
   * @return the entries of {@code published}; an entry is there exactly when its value is
   */
  static <V> PublishedEntries byKey(Map<String, V> published, Function<ParsedEntry, V> valueOf) {
    return new PublishedEntries() {
      @Override
      public boolean contains(String itemKey) {
        return published.containsKey(itemKey);
      }

      @Override
      public boolean containsExactly(String itemKey, ParsedEntry entry) {
        V value = published.get(itemKey);
        return value != null && value.equals(valueOf.apply(entry));
      }
    };
  }

  /**
   * @param published whether the feed published an entry under an item key
   * @return the published entries known by key only ({@link #containsExactly} always false)
   */
  static PublishedEntries keys(Predicate<String> published) {
    return new PublishedEntries() {
      @Override
      public boolean contains(String itemKey) {
        return published.test(itemKey);
      }

      @Override
      public boolean containsExactly(String itemKey, ParsedEntry entry) {
        return false;
      }
    };
  }
}
