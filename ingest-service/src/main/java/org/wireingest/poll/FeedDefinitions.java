package org.wireingest.poll;

import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import org.wireingest.config.FeedSource;
import org.wireingest.fetch.Redaction;
import org.wireingest.model.Hashes;

/**
 * When a feed counts as redefined for its schedule: the parts of a feeds-list entry that its
 * fetches and its polling interval depend on, compared while a poller runs ({@link #fetchedAlike})
 * and across a restart ({@link #digest}, stored in each feed state). A change of name, agency,
 * language or identity policy changes no fetch, so it lifts no back-off. Pure and thread-safe.
 */
public final class FeedDefinitions {

  private FeedDefinitions() {}

  /**
   * Whether two definitions of a feed fetch and schedule alike: the same URL, interval and request
   * headers (names and values). Compared in memory only, so secrets count without being stored.
   *
   * @param a a feed's definition; never null
   * @param b another definition of it; never null
   * @return true when a poll under one is a poll under the other
   */
  public static boolean fetchedAlike(FeedSource a, FeedSource b) {
    return Objects.equals(a.url(), b.url())
        && Objects.equals(a.interval(), b.interval())
        && a.headers().equals(b.headers());
  }

  /**
   * The digest a feed state keeps of the definition it was written under ({@code
   * FeedState#definitionHash}), for a poller that restarts to tell whether the feeds list changed
   * what the feed fetches meanwhile. It holds nothing secret, even in digested form (an unsalted
   * digest of a password lets whoever reads the feed-state topic test guesses of it offline): the
   * URL with its credentials and secret parameters masked ({@link Redaction#url}), the interval and
   * the header names (case-insensitive, in any order), but no header value. A corrected secret
   * alone leaves it equal; a restart lifts the wait of a feed refused for its credentials instead
   * ({@code PollScheduler}).
   *
   * @param feed a feed's definition; never null
   * @return SHA-256 as 64 lower-case hex characters over a scheme name ({@code
   *     wire-ingest.feed-definition.v1}) and those fields ({@link Hashes#field}); equal for
   *     definitions that differ only in secrets or in fields no fetch reads
   */
  public static String digest(FeedSource feed) {
    MessageDigest digest = Hashes.sha256();
    Hashes.field(digest, "scheme", "wire-ingest.feed-definition.v1");
    Hashes.field(digest, "url", Redaction.url(feed.url()));
    Hashes.field(digest, "interval", feed.interval() == null ? null : feed.interval().toString());
    TreeSet<String> names = new TreeSet<>();
    feed.headers().keySet().forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
    for (String name : names) {
      Hashes.field(digest, "header", name);
    }
    return Hashes.hex(digest.digest());
  }
}
