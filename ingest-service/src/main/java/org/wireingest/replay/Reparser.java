package org.wireingest.replay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.wireingest.config.FeedSource;
import org.wireingest.fetch.Redaction;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.Hashes;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseResult;
import org.wireingest.poll.FetchLogBodies;
import org.wireingest.poll.RawItems;

/**
 * Re-parses the feed bodies stored in the fetch log with the current {@link FeedParser} and turns
 * them into raw items exactly as the poller does ({@link RawItems#plan}): same identities, item
 * keys and entry hashes. Per source, the entry state starts empty at the first fetch re-parsed and
 * is carried from fetch to fetch (like the poller's feed state), so an entry unchanged since the
 * previous stored body is not emitted again; across the start of the range, and for every entry the
 * live poller had already published, the raw items repeat history and the normalizer's dedup
 * suppresses them as duplicates.
 *
 * <p>The source's name, agency, language and identity policy come from the current feeds list (the
 * fetch log records only the source id). The fetch facts of the items are rebuilt from the log:
 * {@code fetchedAt} = start + duration (millisecond precision), the URL the source had then, the
 * status, content type and body hash; ETag and Last-Modified are not logged. Not thread-safe.
 */
public final class Reparser {

  private final FeedParser parser;
  private final Map<String, FeedSource> sources;
  private final Map<String, FeedState> states = new HashMap<>();

  /**
   * @param parser the current parser
   * @param sources the feeds list by source id
   */
  public Reparser(FeedParser parser, Map<String, FeedSource> sources) {
    this.parser = Objects.requireNonNull(parser, "parser");
    this.sources = Map.copyOf(sources);
  }

  /** What one fetch-log record gave. */
  public sealed interface Result {

    /**
     * The body parsed.
     *
     * @param items the raw items to publish (new or changed entries), in document order
     * @param entries entries in the document
     */
    record Items(List<RawWireItem> items, int entries) implements Result {}

    /**
     * Nothing to publish.
     *
     * @param reason why
     * @param detail a one-line explanation (the parse error, the missing body's reason, ...)
     */
    record Skipped(Reason reason, String detail) implements Result {}
  }

  /** Why a fetch gave no items. */
  public enum Reason {
    /** The fetch stored no body: not modified, unchanged, or failed before a body arrived. */
    NO_BODY,
    /** A body was new but is not readable: over the cap when stored, or corrupt. */
    BODY_MISSING,
    /** The source is not in the feeds list any more. */
    UNKNOWN_SOURCE,
    /** The current parser rejects the body too. */
    PARSE_FAILED
  }

  /**
   * Whether a fetch's body came from another URL than the one the feeds list gives its source now:
   * the feed moved, or its entry in the list was changed. Its items are then re-parsed with the
   * listed source's agency, language and identity policy, which may not be the ones of the feed
   * fetched. Compared as the fetch log writes URLs ({@link Redaction#url}: no credentials, secret
   * parameters masked), byte for byte. Pure.
   *
   * @param fetch a fetch-log record of {@code source}; never null
   * @param source the source as the feeds list gives it now; never null
   * @return true when {@code fetch.url()} is not the listed URL; false when the record names no URL
   *     (none to compare)
   */
  public static boolean fromOtherUrl(FetchLogRecord fetch, FeedSource source) {
    return fetch.url() != null && !Redaction.url(source.url()).equals(fetch.url());
  }

  /**
   * @param fetch the next fetch-log record of its source, in fetch order
   * @return the raw items, or why there are none; never null
   */
  public Result apply(FetchLogRecord fetch) {
    if (fetch.body() == null) {
      return new Result.Skipped(Reason.NO_BODY, "no body stored (" + fetch.outcome() + ")");
    }
    FeedSource source = sources.get(fetch.sourceId());
    if (source == null) {
      return new Result.Skipped(
          Reason.UNKNOWN_SOURCE, "source " + fetch.sourceId() + " is not in the feeds list");
    }
    byte[] body;
    FetchLogBodies.Restored restored = FetchLogBodies.restore(fetch.body());
    if (restored instanceof FetchLogBodies.Restored.Missing missing) {
      return new Result.Skipped(Reason.BODY_MISSING, "body " + missing.reason());
    }
    body = ((FetchLogBodies.Restored.Bytes) restored).bytes();
    if (fetch.bodySha256() != null && !fetch.bodySha256().equals(Hashes.sha256Hex(body))) {
      return new Result.Skipped(Reason.BODY_MISSING, "body does not match its SHA-256");
    }
    ParseResult parsed = parser.parse(body, fetch.contentType());
    if (parsed instanceof ParseResult.Failed failed) {
      return new Result.Skipped(
          Reason.PARSE_FAILED, failed.kind().code() + ": " + failed.message());
    }
    FeedState state = states.computeIfAbsent(source.id(), id -> FeedState.initial(id, fetch.url()));
    RawWireItem.Fetch facts =
        new RawWireItem.Fetch(
            fetch.endedAt(),
            fetch.url(),
            fetch.status(),
            null,
            null,
            fetch.contentType(),
            Hashes.sha256Hex(body));
    RawItems.Plan plan =
        RawItems.plan(source, facts, ((ParseResult.Parsed) parsed).feed(), state, fetch.endedAt());
    // The feed-wide identity basis sticks, as the poller keeps it in the feed state; a replay
    // needs no refresh hint nor cadence.
    states.put(
        source.id(),
        state.withParsed(
            facts.bodySha256(),
            plan.entries(),
            plan.firstSeen(),
            state.ttlMinutes(),
            state.cadenceSeconds(),
            plan.identity().basis(),
            plan.identity().reason()));
    return new Result.Items(plan.toPublish(), plan.entriesSeen());
  }
}
