package org.wireingest.poll;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.FeedSource;
import org.wireingest.fetch.BodyBudget;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchRequest;
import org.wireingest.fetch.FetchResult;
import org.wireingest.fetch.Redaction;
import org.wireingest.model.Counted;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.Hashes;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseResult;
import org.wireingest.parse.ParseWarning;
import org.wireingest.parse.ParsedFeed;
import org.wireingest.text.Shortened;

/**
 * Polls one feed once: conditional GET with the stored validators, skip when the body is unchanged,
 * parse, publish new and changed entries as raw items, then store the new feed state: validators,
 * entries, the next poll (stretched by the feed's refresh hint; back-off after a failure), the
 * feed's cadence ({@link FeedHealth#cadence}) and its feed-wide identity basis ({@link
 * RawItems.Plan#identity()}). Every fetch goes to the fetch log; a body that differs from the last
 * one (so it is parsed) is stored in its record, zstd-compressed and capped ({@link
 * FetchLogBodies}), for {@code replay --reparse}. Items are acknowledged before the state that
 * records them is written, so a crash in between republishes (and the normalizer suppresses) rather
 * than loses; the two share one deadline ({@link PollSink#beginPoll()}), so a poll holds its thread
 * about one publish timeout for its writes while no broker answers, whenever the outage starts.
 * Each feed's last body's length is kept in memory and given to its next fetch ({@link
 * FetchRequest#expectedBodyBytes()}), so a compressed body reserves an estimate of its size in the
 * body memory budget, not the cap. Thread-safe: polls of different feeds run concurrently; one feed
 * is never polled twice at once (the scheduler's job).
 */
public final class FeedPoller {

  private static final Logger LOG = LoggerFactory.getLogger(FeedPoller.class);

  /**
   * Most characters of a failed poll's message kept (in its log line, feed state, fetch log and
   * summary), on one line: {@value}.
   */
  static final int MAX_ERROR_MESSAGE_CHARS = 2000;

  /**
   * The outcome code of a poll that failed on a bug (or an exhausted heap), not on the feed's own
   * fault.
   */
  public static final String INTERNAL_ERROR = "internal-error";

  /**
   * The outcome code of a poll whose raw items or feed state Kafka did not take: a failure of the
   * broker's (down, slow, refusing), not of the feed's.
   */
  public static final String PUBLISH_ERROR = "publish-error";

  /**
   * The outcome code of a poll whose feed was handed over while it ran ({@link
   * PollResult.Outcome#HANDED_OVER}): not a failure.
   */
  public static final String HANDED_OVER = "handed-over";

  /**
   * Warning kind of a poll's entries too large for the raw-items topic ({@link
   * KafkaPollSink#MAX_RAW_ITEM_BYTES}), sent to the dead-letter topic instead: counted in {@link
   * PollResult#warnings()} (and {@code wire_parser_warnings_total}), not in {@link
   * PollResult#published()}.
   */
  public static final String ENTRY_TOO_LARGE = "entry-too-large";

  private final FeedFetcher fetcher;
  private final BiFunction<byte[], String, ParseResult> parser;
  private final PollSink sink;
  private final Clock clock;

  private final int maxStoredBodyBytes;
  private final BodyBudget budget;

  /** How long a feed's last body length is kept without a poll of the feed: one day. */
  private static final Duration LAST_BODY_KEPT = Duration.ofDays(1);

  /**
   * The decoded length of each feed's last body fetched by this poller, in bytes, by source id: the
   * next fetch's {@link FetchRequest#expectedBodyBytes()}, so a compressed or chunked body reserves
   * an estimate in the budget rather than the cap. In memory only (a restarted poller's first fetch
   * of a feed reserves the least estimate, 1 MiB, and grows it as the body is read). A feed not
   * polled for {@link #LAST_BODY_KEPT} is forgotten (one taken off the feeds list, or handed to
   * another poller), so the entries follow the feeds polled, not every feed this poller ever had;
   * kept up on the polling threads (no background pool).
   */
  private final Cache<String, Long> lastBodyBytes =
      Caffeine.newBuilder().expireAfterAccess(LAST_BODY_KEPT).executor(Runnable::run).build();

  /**
   * A poller that stores new bodies in the fetch log up to {@link
   * FetchLogBodies#DEFAULT_MAX_COMPRESSED_BYTES} compressed.
   *
   * @param fetcher HTTP / file fetcher
   * @param parser feed parser
   * @param sink where items, state and the fetch log go
   * @param clock time source (UTC)
   */
  public FeedPoller(FeedFetcher fetcher, FeedParser parser, PollSink sink, Clock clock) {
    this(fetcher, parser, sink, clock, FetchLogBodies.DEFAULT_MAX_COMPRESSED_BYTES);
  }

  /**
   * @param fetcher HTTP / file fetcher
   * @param parser feed parser
   * @param sink where items, state and the fetch log go
   * @param clock time source (UTC)
   * @param maxStoredBodyBytes cap on a body stored in the fetch log, zstd-compressed bytes; over it
   *     the record says {@code omitted}; positive
   */
  public FeedPoller(
      FeedFetcher fetcher, FeedParser parser, PollSink sink, Clock clock, int maxStoredBodyBytes) {
    this(
        fetcher,
        Objects.requireNonNull(parser)::parse,
        sink,
        clock,
        maxStoredBodyBytes,
        BodyBudget.unlimited());
  }

  /**
   * A poller whose polls share {@code budget}: each reserves its body's bytes there before reading
   * it (waiting for room within its fetch deadline, {@link FeedFetcher#fetch(FetchRequest,
   * BodyBudget.Claim)}) and gives them back once done with the body, its parse and its writes.
   * Bodies go to the fetch log as for {@link #FeedPoller(FeedFetcher, FeedParser, PollSink,
   * Clock)}.
   *
   * @param fetcher HTTP / file fetcher
   * @param parser feed parser
   * @param sink where items, state and the fetch log go
   * @param clock time source (UTC)
   * @param budget the body memory budget shared by every poll of this poller; never null
   */
  public FeedPoller(
      FeedFetcher fetcher, FeedParser parser, PollSink sink, Clock clock, BodyBudget budget) {
    this(
        fetcher,
        Objects.requireNonNull(parser)::parse,
        sink,
        clock,
        FetchLogBodies.DEFAULT_MAX_COMPRESSED_BYTES,
        budget);
  }

  /**
   * As the public constructors, with any parse function (body, Content-Type) in place of a parser:
   * tests.
   */
  FeedPoller(
      FeedFetcher fetcher,
      BiFunction<byte[], String, ParseResult> parser,
      PollSink sink,
      Clock clock,
      int maxStoredBodyBytes) {
    this(fetcher, parser, sink, clock, maxStoredBodyBytes, BodyBudget.unlimited());
  }

  FeedPoller(
      FeedFetcher fetcher,
      BiFunction<byte[], String, ParseResult> parser,
      PollSink sink,
      Clock clock,
      int maxStoredBodyBytes,
      BodyBudget budget) {
    this.budget = Objects.requireNonNull(budget);
    this.fetcher = Objects.requireNonNull(fetcher);
    this.parser = Objects.requireNonNull(parser);
    this.sink = Objects.requireNonNull(sink);
    this.clock = Objects.requireNonNull(clock);
    if (maxStoredBodyBytes <= 0) {
      throw new IllegalArgumentException(
          "maxStoredBodyBytes must be positive: " + maxStoredBodyBytes);
    }
    this.maxStoredBodyBytes = maxStoredBodyBytes;
  }

  /**
   * When a poll's fetch started and how long it took.
   *
   * @param at its start on the wall clock (UTC): the fetch-log record's time
   * @param nanos its start on the monotonic clock, {@link System#nanoTime()}
   * @param fetchMs how long the fetch took, whole milliseconds on the monotonic clock (never
   *     negative, whatever the wall clock did meanwhile)
   */
  private record Started(Instant at, long nanos, long fetchMs) {}

  /**
   * A fetched response's facts but its body, which a poll no longer needs once it is parsed.
   *
   * @param bytes the body's length, bytes
   */
  private record Response(int status, long bytes, String contentType, NextFeedState.Answer answer) {

    static Response of(FetchResult.Fetched ok) {
      return new Response(
          ok.status(), ok.body().length, ok.contentType(), NextFeedState.Answer.of(ok));
    }
  }

  /**
   * What the fetch log keeps of a delivered body: its content type and hash, and the body when it
   * was new.
   */
  private record Delivered(String contentType, String sha256, FetchLogRecord.Body body) {
    static final Delivered NONE = new Delivered(null, null, null);
  }

  /**
   * One poll under way, once its fetch has ended: what each of its steps needs.
   *
   * @param source the feed
   * @param before the feed's state before the poll, at its current URL
   * @param started when its fetch started and how long it took
   * @param now when its fetch ended, on the wall clock (UTC): the time of its feed state
   * @param writes its raw items and feed state, refused once the feed is handed over
   */
  private record Poll(
      FeedSource source, FeedState before, Started started, Instant now, OwnedWrites writes) {

    /** How long the poll has taken so far, whole milliseconds on the monotonic clock. */
    long elapsedMs() {
      return (System.nanoTime() - started.nanos()) / 1_000_000;
    }
  }

  /**
   * How far a poll got reading its feed ({@link #read}): to its end, or to a new document, parsed.
   * Neither holds the body.
   */
  private sealed interface Read permits Ended, NewDocument {}

  /** A poll that ended without a new document: not modified, unchanged, or failed. */
  private record Ended(PollResult result) implements Read {}

  /**
   * A new document, parsed, whose raw items are still to be written.
   *
   * @param bodyHash the body's SHA-256, hex
   */
  private record NewDocument(
      Poll poll, ParsedFeed feed, Response response, String bodyHash, Delivered delivered)
      implements Read {}

  /**
   * How a poll ends, before its state is stored and its fetch logged ({@link #finish}).
   *
   * @param message why it failed, one line; null when it did not
   * @param status the response's HTTP status; 0 when there was none
   * @param bytes the body's length, bytes; 0 when none was read
   * @param seen entries in the document; 0 when none was parsed
   * @param published raw items published (not those sent to the dead-letter topic)
   * @param warnings warnings by kind
   */
  private record Ending(
      PollResult.Outcome outcome,
      String code,
      String message,
      int status,
      long bytes,
      int seen,
      int published,
      Delivered delivered,
      Map<String, Integer> warnings) {

    static final Ending NOT_MODIFIED =
        new Ending(
            PollResult.Outcome.NOT_MODIFIED,
            "not-modified",
            null,
            304,
            0,
            0,
            0,
            Delivered.NONE,
            Map.of());

    static Ending unchanged(int status, long bytes, Delivered delivered) {
      return new Ending(
          PollResult.Outcome.UNCHANGED,
          "unchanged",
          null,
          status,
          bytes,
          0,
          0,
          delivered,
          Map.of());
    }

    static Ending failed(String code, String message, int status, long bytes, Delivered delivered) {
      return new Ending(
          PollResult.Outcome.FAILED, code, message, status, bytes, 0, 0, delivered, Map.of());
    }

    static Ending ok(
        int status,
        long bytes,
        int seen,
        int published,
        Delivered delivered,
        Map<String, Integer> warnings) {
      return new Ending(
          PollResult.Outcome.OK, "ok", null, status, bytes, seen, published, delivered, warnings);
    }

    /**
     * @return this ending as a failure to store the poll's state ({@value
     *     FeedPoller#PUBLISH_ERROR}), saying why
     */
    Ending notStored(String why) {
      return new Ending(
          PollResult.Outcome.FAILED,
          PUBLISH_ERROR,
          why,
          status,
          bytes,
          seen,
          published,
          delivered,
          warnings);
    }
  }

  /**
   * @param source the feed
   * @param state a state of the feed; null when none
   * @return whether {@code state} belongs to the feed's current URL ({@link #atCurrentUrl} is not
   *     null). A state of another URL is ignored everywhere: the feed was moved in the feeds list
   */
  public static boolean recordedFor(FeedSource source, FeedState state) {
    return atCurrentUrl(source, state) != null;
  }

  /**
   * The one rule for "this state belongs to this feed", used by the poller, the scheduler and
   * {@link FeedHealth}.
   *
   * @param source the feed
   * @param state a state of the feed; null when none
   * @return {@code state} as it stands at the feed's current URL (credentials masked, as states
   *     keep it): itself when recorded for that URL; recorded at it, its move kept, when it was
   *     stored before the URL's redaction changed (a secret parameter's name added since, its value
   *     kept in clear); adopted at it ({@link FeedState#adoptedAt}, no longer moved) when it is
   *     where the state's URL moved permanently ({@link FeedState#movedTo()}: the feeds list
   *     followed the move, and the state carries over); null when {@code state} is null or of
   *     another URL
   */
  public static FeedState atCurrentUrl(FeedSource source, FeedState state) {
    if (state == null) {
      return null;
    }
    String url = Redaction.url(source.url());
    if (url.equals(state.feedUrl())) {
      return state;
    }
    if (url.equals(redactedAgain(state.feedUrl()))) {
      return state.recordedAt(url);
    }
    if (url.equals(state.movedTo())) {
      return state.adoptedAt(url);
    }
    return null;
  }

  /**
   * A stored {@code feedUrl} as {@link Redaction#url} writes it now: a state stored before a secret
   * parameter's name was added to the redaction keeps the feed's URL with that value in clear, one
   * stored before non-ASCII characters were percent-encoded keeps them as the feeds list wrote
   * them, and each belongs to the same feed. Null when it is not a URI.
   */
  private static String redactedAgain(String stored) {
    try {
      return stored == null ? null : Redaction.url(URI.create(stored));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * @return {@code previous} at {@code url} ({@link #atCurrentUrl}); else a new state
   */
  private static FeedState stateAt(FeedSource source, String url, FeedState previous) {
    FeedState current = atCurrentUrl(source, previous);
    if (current == null) {
      return FeedState.initial(source.id(), url);
    }
    if (previous.movedTo() != null && current.movedTo() == null) {
      LOG.info(
          "feed {}: the feeds list now gives {}, where {} moved permanently; its state (validators, recent entries) carries over",
          source.id(),
          url,
          previous.feedUrl());
    }
    return current;
  }

  /**
   * @param source the feed
   * @param previous its state before this poll (use {@link FeedState#initial} for a new feed; a
   *     state recorded for another URL is ignored)
   * @return the outcome; never throws for feed or Kafka problems
   */
  public PollResult poll(FeedSource source, FeedState previous) {
    return poll(source, previous, () -> false);
  }

  /**
   * As {@link #poll(FeedSource, FeedState)}, for a poller that may hand the feed over while the
   * poll runs: once {@code handedOver} says so, the poll writes nothing more (no raw items not yet
   * sent, no feed state, no fetch-log record), since the feed's next poller reads its state from
   * the feed-state topic and a late write would replace the state that poller wrote with an older
   * one. Such a poll is no failure: its outcome is {@link PollResult.Outcome#HANDED_OVER} (code
   * {@value #HANDED_OVER}), logged at INFO.
   *
   * @param source the feed
   * @param previous its state before this poll (as for {@link #poll(FeedSource, FeedState)})
   * @param handedOver asked before each write (the raw items, then the feed state); true when the
   *     feed is no longer this poll's to write; fast, must not throw
   * @return the outcome; never throws for feed or Kafka problems
   */
  public PollResult poll(FeedSource source, FeedState previous, BooleanSupplier handedOver) {
    return poll(source, previous, handedOver, () -> {});
  }

  /**
   * As {@link #poll(FeedSource, FeedState, BooleanSupplier)}, telling {@code fetched} as soon as
   * the fetch is done, before the parse and the writes: a scheduler that limits the polls at once
   * per host frees the host's slot then, so a poll waiting for Kafka (up to the publish timeout
   * while no broker answers) does not hold the host's other feeds back.
   *
   * @param source the feed
   * @param previous its state before this poll (as for {@link #poll(FeedSource, FeedState)})
   * @param handedOver as for {@link #poll(FeedSource, FeedState, BooleanSupplier)}
   * @param fetched run once, on the calling thread, when the fetch has ended (whatever its
   *     outcome); fast, must not throw
   * @return the outcome; never throws for feed or Kafka problems
   */
  public PollResult poll(
      FeedSource source, FeedState previous, BooleanSupplier handedOver, Runnable fetched) {
    // The body's bytes stay reserved until the poll is done with the body, its parse and the raw
    // items made of it: its writes included, on every path (failures and exceptions too).
    try (BodyBudget.Claim claim = budget.claim()) {
      return poll(source, previous, handedOver, fetched, claim);
    }
  }

  private PollResult poll(
      FeedSource source,
      FeedState previous,
      BooleanSupplier handedOver,
      Runnable fetched,
      BodyBudget.Claim claim) {
    FeedState state = stateAt(source, Redaction.url(source.url()), previous);
    Read read = read(source, state, handedOver, fetched, claim);
    if (read instanceof Ended ended) {
      return ended.result();
    }
    // The body is not read again: from here on the poll keeps the response's other facts only, so
    // the body is garbage while the raw items are written (the producer's buffer filling with
    // them), where it was held to the poll's end: a 19 MB feed's body beside its 8,544 entries.
    NewDocument document = (NewDocument) read;
    return publish(document, plan(document));
  }

  /**
   * Fetches the feed and reads the response: the poll's end when it was not modified, unchanged or
   * failed, else its new document, parsed. The fetch result, and the body with it, is not returned,
   * so that no frame of the poll holds the body once the document is parsed.
   */
  private Read read(
      FeedSource source,
      FeedState state,
      BooleanSupplier handedOver,
      Runnable fetched,
      BodyBudget.Claim claim) {
    Instant startedAt = clock.instant();
    long startedNanos = System.nanoTime();
    FetchResult result = fetch(source, state, claim);
    Instant now = clock.instant();
    Started started =
        new Started(startedAt, startedNanos, (System.nanoTime() - startedNanos) / 1_000_000);
    fetched.run(); // nothing more is asked of the feed's host
    // the raw items and the state share one deadline, from the first of them
    Poll poll =
        new Poll(source, state, started, now, new OwnedWrites(sink.beginPoll(), handedOver));
    if (result instanceof FetchResult.NotModified nm) {
      return new Ended(notModified(poll, nm));
    }
    if (result instanceof FetchResult.Failed f) {
      return new Ended(
          failure(
              poll,
              f.outcome().code(),
              f.message(),
              f.status(),
              0,
              f.retryAfter(),
              Delivered.NONE));
    }
    FetchResult.Fetched ok = (FetchResult.Fetched) result;
    String bodyHash = Hashes.sha256Hex(ok.body());
    if (bodyHash.equals(state.bodySha256())) {
      return new Ended(unchanged(poll, ok, bodyHash));
    }
    return parse(poll, ok, bodyHash);
  }

  /**
   * A conditional GET with the state's validators and the response's kept {@code max-age}; the
   * body's length is remembered for the feed's next fetch.
   */
  private FetchResult fetch(FeedSource source, FeedState state, BodyBudget.Claim claim) {
    FetchResult result =
        fetcher.fetch(
            new FetchRequest(
                source.url(),
                state.etag(),
                state.lastModified(),
                source.headers(),
                state.maxAgeSeconds() == null ? null : Duration.ofSeconds(state.maxAgeSeconds()),
                lastBodyBytes.getIfPresent(source.id())),
            claim);
    if (result instanceof FetchResult.Fetched body) {
      lastBodyBytes.put(source.id(), (long) body.body().length);
    }
    return result;
  }

  /** Ends a poll answered 304 Not Modified: its state takes the response's validators. */
  private PollResult notModified(Poll poll, FetchResult.NotModified nm) {
    FeedState state = poll.before();
    FeedState next =
        NextFeedState.succeeded(
            poll.source(),
            state,
            NextFeedState.Answer.of(nm),
            state.bodySha256(),
            false,
            poll.now());
    return finish(poll, Ending.NOT_MODIFIED, next);
  }

  /** Ends a poll whose body is the last one's, byte for byte: not parsed again. */
  private PollResult unchanged(Poll poll, FetchResult.Fetched ok, String bodyHash) {
    FeedState state = poll.before();
    FeedState next =
        NextFeedState.succeeded(
            poll.source(),
            state,
            NextFeedState.Answer.of(ok).unlessCutOff(state),
            bodyHash,
            false,
            poll.now());
    Delivered delivered = new Delivered(ok.contentType(), bodyHash, null);
    return finish(poll, Ending.unchanged(ok.status(), ok.body().length, delivered), next);
  }

  /**
   * Parses a new body; a body the parser refuses, or that breaks it, ends the poll as a failure. A
   * new body goes to the fetch log either way: re-parse history, also when its parse fails.
   */
  private Read parse(Poll poll, FetchResult.Fetched ok, String bodyHash) {
    Delivered delivered =
        new Delivered(
            ok.contentType(), bodyHash, FetchLogBodies.capture(ok.body(), maxStoredBodyBytes));
    ParseResult parsed;
    try {
      parsed = parser.apply(ok.body(), ok.contentType());
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      // A parser bug, or a document that takes the whole heap, fails this feed like any bad
      // document: counted, in its state, backed off. It killed the poller thread and left the feed
      // "pending" with no error, polled again at its interval.
      LOG.error(
          "feed {}: parsing its {}-byte body failed unexpectedly",
          poll.source().id(),
          ok.body().length,
          e);
      return new Ended(
          failure(
              poll,
              INTERNAL_ERROR,
              "parsing failed unexpectedly: " + e,
              ok.status(),
              ok.body().length,
              null,
              delivered));
    }
    if (parsed instanceof ParseResult.Failed pf) {
      return new Ended(
          failure(
              poll,
              pf.kind().code(),
              pf.message(),
              ok.status(),
              ok.body().length,
              null,
              delivered));
    }
    ParsedFeed feed = ((ParseResult.Parsed) parsed).feed();
    return new NewDocument(poll, feed, Response.of(ok), bodyHash, delivered);
  }

  /**
   * The document's raw items ({@link RawItems#plan}). Their fetch time is the one the fetch log
   * keeps (start + whole milliseconds), so that {@code replay --reparse} rebuilds them with the
   * same times (first seen, versionCreated) as live.
   */
  private static RawItems.Plan plan(NewDocument document) {
    Poll poll = document.poll();
    Response response = document.response();
    Instant fetchedAt = poll.started().at().plusMillis(poll.started().fetchMs());
    RawWireItem.Fetch fetch =
        new RawWireItem.Fetch(
            fetchedAt,
            Redaction.url(response.answer().finalUrl()),
            response.status(),
            response.answer().etag(),
            response.answer().lastModified(),
            response.contentType(),
            document.bodyHash());
    return RawItems.plan(poll.source(), fetch, document.feed(), poll.before(), fetchedAt);
  }

  /**
   * Publishes the planned raw items, then ends the poll ({@link #published}). Raw items Kafka did
   * not take fail the poll ({@value #PUBLISH_ERROR}); refused ones (the feed handed over) end it.
   */
  private PollResult publish(NewDocument document, RawItems.Plan plan) {
    Poll poll = document.poll();
    Response response = document.response();
    int tooLarge;
    try {
      tooLarge = poll.writes().publish(plan.toPublish());
    } catch (PollSink.PublishException e) {
      if (poll.writes().refused()) {
        return handedOver(poll, "its raw items", 0, 0, response.bytes(), poll.before(), Map.of());
      }
      return failure(
          poll,
          PUBLISH_ERROR,
          e.getMessage(),
          response.status(),
          response.bytes(),
          // the feed answered: polled again when it would be while healthy, never more often
          Backoff.healthyDelay(
              poll.source().interval(),
              NextFeedState.refreshHint(
                  response.answer().cacheMaxAge(), document.feed().ttlMinutes())),
          document.delivered());
    }
    return published(document, plan, tooLarge);
  }

  /**
   * Ends a poll whose raw items were published: its state takes the document's entries, cadence,
   * identity basis and cut-off, then the response's validators.
   *
   * @param tooLarge how many of the raw items went to the dead-letter topic instead
   */
  private PollResult published(NewDocument document, RawItems.Plan plan, int tooLarge) {
    Poll poll = document.poll();
    FeedSource source = poll.source();
    FeedState state = poll.before();
    ParsedFeed feed = document.feed();
    plan.warnings().stream()
        .filter(w -> w.kind().equals(RawItems.IDENTITY_DEGRADED))
        .forEach(w -> LOG.warn("feed {}: {}", source.id(), w.detail()));
    Long cadence =
        FeedHealth.cadence(feed.entries()).map(Duration::toSeconds).orElse(state.cadenceSeconds());
    FeedState withEntries =
        state
            .withParsed(
                document.bodyHash(),
                plan.entries(),
                plan.firstSeen(),
                feed.ttlMinutes(),
                cadence,
                plan.identity().basis(),
                plan.identity().reason())
            .withTruncatedSince(NextFeedState.truncatedSince(source, state, feed, poll.now()));
    FeedState next =
        NextFeedState.succeeded(
            source,
            withEntries,
            document.response().answer().unlessCutOff(withEntries),
            document.bodyHash(),
            !plan.toPublish().isEmpty(),
            poll.now());
    Map<String, Integer> warnings = countByKind(feed.warnings(), plan.warnings());
    if (tooLarge > 0) {
      warnings.put(ENTRY_TOO_LARGE, tooLarge);
    }
    Response response = document.response();
    return finish(
        poll,
        Ending.ok(
            response.status(),
            response.bytes(),
            plan.entriesSeen(),
            plan.toPublish().size() - tooLarge,
            document.delivered(),
            warnings),
        next);
  }

  /**
   * A poll's writes, each refused with {@link PollSink.PublishException} once {@code handedOver}
   * says so; remembers that it refused one. Used by the poll's thread only.
   */
  private static final class OwnedWrites implements PollSink.Writes {
    private final PollSink.Writes writes;
    private final BooleanSupplier handedOver;
    private boolean refused;

    OwnedWrites(PollSink.Writes writes, BooleanSupplier handedOver) {
      this.writes = writes;
      this.handedOver = handedOver;
    }

    @Override
    public int publish(List<RawWireItem> items) {
      refuseIfHandedOver("raw items");
      return writes.publish(items);
    }

    @Override
    public void saveState(FeedState state) {
      refuseIfHandedOver("feed state");
      writes.saveState(state);
    }

    /**
     * @return whether a write was refused because the feed was handed over
     */
    boolean refused() {
      return refused;
    }

    private void refuseIfHandedOver(String what) {
      if (handedOver.getAsBoolean()) {
        refused = true;
        throw new PollSink.PublishException(
            "its " + what + " not written: the feed was handed over", null);
      }
    }
  }

  /**
   * The result of a poll whose feed was handed over while it ran (to another poller of the group,
   * or out of the feeds list): it wrote nothing more from then on (neither {@code what} nor
   * anything after it, the fetch-log record included) and is no failure of the feed's, nor of
   * Kafka's: outcome {@link PollResult.Outcome#HANDED_OVER}, code {@value #HANDED_OVER}. Its state
   * is not kept (the scheduler drops it), the feed's next poller starts from the state stored
   * before.
   */
  private static PollResult handedOver(
      Poll poll,
      String what,
      int seen,
      int published,
      long bytes,
      FeedState next,
      Map<String, Integer> warnings) {
    String message =
        what
            + " not written: the feed was handed over (to another poller, or out of the feeds list)"
            + " while this poll ran";
    LOG.info("feed {}: {}", poll.source().id(), message);
    return new PollResult(
        poll.source().id(),
        PollResult.Outcome.HANDED_OVER,
        HANDED_OVER,
        message,
        seen,
        published,
        bytes,
        poll.elapsedMs(),
        next,
        poll.started().fetchMs(),
        warnings);
  }

  private static Map<String, Integer> countByKind(
      List<ParseWarning> parse, List<ParseWarning> plan) {
    Map<String, Integer> out = new TreeMap<>();
    parse.forEach(w -> out.merge(w.kind(), w.count(), Integer::sum));
    plan.forEach(w -> out.merge(w.kind(), w.count(), Integer::sum));
    return out;
  }

  /**
   * Ends a poll whose fetch, parse or raw items failed ({@code code}): its message shortened to one
   * line, its state backed off ({@link NextFeedState#failed}), a WARN line, then {@link #finish}.
   *
   * @param retryAfter the earliest next poll, from the poll's end: the server's Retry-After, or
   *     after {@value #PUBLISH_ERROR} the feed's healthy delay; null when none
   */
  private PollResult failure(
      Poll poll,
      String code,
      String message,
      int status,
      long bytes,
      Duration retryAfter,
      Delivered delivered) {
    // Messages quote what the server sent (a header value, a Location): a 300 KB header made a
    // 300 KB log line, feed state and summary at every poll, and its control bytes went along.
    message = Shortened.line(message, MAX_ERROR_MESSAGE_CHARS);
    FeedState next =
        NextFeedState.failed(poll.source(), poll.before(), code, message, retryAfter, poll.now());
    LOG.warn(
        "feed {} failed ({}), attempt {}: {}",
        poll.source().id(),
        code,
        next.consecutiveErrors(),
        message);
    return finish(poll, Ending.failed(code, message, status, bytes, delivered), next);
  }

  /**
   * Stores the poll's state and logs the fetch. A state the sink could not store fails the poll
   * ({@code publish-error}): the returned state, which the scheduler keeps for the next poll,
   * counts the failure ({@code consecutiveErrors} one more than before the poll, {@code lastError}
   * saying why), so the feed's status and the consecutive-errors gauge show it; its entries and
   * validators are this poll's, as the raw items were published. That includes a state not sent
   * because the raw items took the poll's whole write deadline ({@link PollSink.Writes#saveState}).
   *
   * <p>A poll whose raw items failed ({@code publish-error}) writes no state: Kafka just failed a
   * write, and the state would record nothing but the failure. Its failure is kept in the returned
   * state only; the stored state stays the one before the poll, whose entries lack the unpublished
   * items, so the next poll (or a restarted poller) publishes them again.
   *
   * @param ending how the poll ended; its fetch-log record says so, whether its state is stored or
   *     not
   * @param next the feed's state after the poll
   */
  private PollResult finish(Poll poll, Ending ending, FeedState next) {
    FeedSource source = poll.source();
    int errorsBefore = poll.before().consecutiveErrors();
    // written under this definition: a poller restarted with the feed redefined lifts its back-off
    next = next.withDefinitionHash(FeedDefinitions.digest(source));
    String notStored = null;
    if (!PUBLISH_ERROR.equals(ending.code())) {
      try {
        poll.writes().saveState(next);
      } catch (PollSink.PublishException e) {
        if (poll.writes().refused()) {
          return handedOver(
              poll,
              "its feed state",
              ending.seen(),
              ending.published(),
              ending.bytes(),
              next,
              ending.warnings());
        }
        notStored = "feed state not stored: " + e.getMessage();
        next = notStored(source, next, errorsBefore, notStored, e);
      }
    }
    if (notStored == null && errorsBefore > 0 && next.consecutiveErrors() == 0) {
      // failures are logged at each poll; without this line the log never says they ended. After
      // the state is stored: a poll whose state could not be stored is one more failure
      LOG.info(
          "feed {}: polled successfully again after {}",
          source.id(),
          Counted.of(errorsBefore, "failed poll", "failed polls"));
    }
    sink.logFetch(fetchLogRecord(poll, ending));
    long pollMs = poll.elapsedMs();
    Ending result = notStored == null ? ending : ending.notStored(notStored);
    return new PollResult(
        source.id(),
        result.outcome(),
        result.code(),
        result.message(),
        result.seen(),
        result.published(),
        result.bytes(),
        pollMs,
        next,
        poll.started().fetchMs(),
        result.warnings());
  }

  /**
   * The state of a poll whose state the sink could not store: one more failure than before the poll
   * (at least), its {@code lastError} its own when it failed, else why the state was not stored;
   * logged at WARN.
   */
  private static FeedState notStored(
      FeedSource source,
      FeedState next,
      int errorsBefore,
      String notStored,
      PollSink.PublishException e) {
    int errors = Math.max(next.consecutiveErrors(), errorsBefore + 1);
    FeedState failed =
        next.withFailure(
            errors, next.lastError() != null ? next.lastError() : PUBLISH_ERROR + ": " + notStored);
    LOG.warn(
        "feed {}: could not store feed state, attempt {}: {}", source.id(), errors, e.getMessage());
    return failed;
  }

  /** The fetch-log record of a poll: one per fetch, whatever its outcome. */
  private static FetchLogRecord fetchLogRecord(Poll poll, Ending ending) {
    Delivered delivered = ending.delivered();
    return new FetchLogRecord(
        poll.source().id(),
        Redaction.url(poll.source().url()),
        poll.started().at(),
        poll.started().fetchMs(),
        ending.status(),
        ending.code(),
        ending.bytes(),
        ending.outcome() == PollResult.Outcome.OK ? ending.seen() : null,
        ending.published(),
        ending.message(),
        delivered.contentType(),
        delivered.sha256(),
        delivered.body());
  }
}
