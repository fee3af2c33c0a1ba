package org.wireingest.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;
import org.wireingest.dedup.SignatureIndex;
import org.wireingest.dedup.Versioning;
import org.wireingest.model.ArticleEvent;
import org.wireingest.ops.RollingCounts;

/**
 * Counts what the normalizer did — Micrometer counters {@code wire.normalizer.raw.records}, {@code
 * wire.normalizer.articles} (tags {@code change_type}, {@code source}, {@code agency}), {@code
 * wire.normalizer.duplicates} (tag {@code reason}), {@code wire.normalizer.normalizations.skipped}
 * (the {@code same-fingerprint} duplicates among them found by their input hash, without
 * normalising), {@code wire.normalizer.versions.expired} (stories the version store's retention
 * forgot), {@code wire.normalizer.clusters} (tag {@code outcome}: {@code joined}, {@code started},
 * {@code no-signature}; first versions given a near-duplicate cluster), {@code
 * wire.normalizer.signatures.expired}, {@code wire.normalizer.signatures.skipped} and {@code
 * wire.normalizer.signatures.refused} (the near-duplicate index), {@code
 * wire.normalizer.changed.fields} (tag {@code field}: each name of an updated event's {@link
 * ArticleEvent#changedFields}), {@code wire.normalizer.warnings} (tag {@code kind}: each code in an
 * emitted event's {@link ArticleEvent#warnings}), {@code wire.normalizer.dead.letters} (tags {@code
 * stage}, {@code error}), the gauges {@value #SIGNATURE_INDEX_STORIES} and {@value
 * #SIGNATURE_INDEX_MAX_STORIES}, the timer {@value #PUBLICATION_LAG} (tag {@code agency}) and
 * article events per source over the last 24 h — and tells {@code run --once} when the dedup stage
 * has decided every routed item. Also keeps what the status page shows of the normalizer: totals
 * since the process started, and the last article and dead letter. Thread-safe.
 *
 * <p>Each tagged meter is looked up in the registry once and then kept here, so counting an outcome
 * on a stream thread is a map read and an increment, not a registry lookup (the registry's meters
 * are never removed, so what is kept stays current).
 */
public final class NormalizerStats implements NormalizerListener {

  /**
   * Publication lag: from an entry's {@code versionCreated} (the agency's publish or update time)
   * to the moment its article event is emitted; negative lags (clock skew) count as 0. A histogram
   * with the buckets of {@link #LAG_SLOS} (Prometheus {@code
   * wire_normalizer_publication_lag_seconds_bucket}). A backlog read on a feed's first poll shows
   * as long lags: that is what it is.
   */
  public static final String PUBLICATION_LAG = "wire.normalizer.publication.lag";

  /** Histogram buckets of {@value #PUBLICATION_LAG}: 10 s to 1 day. */
  public static final Duration[] LAG_SLOS = {
    Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
        Duration.ofMinutes(5),
    Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(6),
        Duration.ofHours(24)
  };

  /**
   * Stories in the normalizer's near-duplicate index now ({@link SignatureIndex#size}), a gauge
   * (Prometheus {@code wire_normalizer_signature_index_stories}). Registered when the index is
   * created ({@link #signatureIndexCreated}), at the normalizer's start: absent before.
   */
  public static final String SIGNATURE_INDEX_STORIES = "wire.normalizer.signature.index.stories";

  /**
   * The most stories the near-duplicate index keeps ({@link SignatureIndex#maxStories}, {@code
   * --cluster-index-size}), a gauge (Prometheus {@code
   * wire_normalizer_signature_index_max_stories}). When {@value #SIGNATURE_INDEX_STORIES} stays at
   * it, stories leave by size before the window ends. Registered with {@value
   * #SIGNATURE_INDEX_STORIES}.
   */
  public static final String SIGNATURE_INDEX_MAX_STORIES =
      "wire.normalizer.signature.index.max.stories";

  private final MeterRegistry registry;
  private final Clock clock;
  private final RollingCounts articlesBySource;
  private final AtomicLong routed = new AtomicLong();
  private final AtomicLong created = new AtomicLong();
  private final AtomicLong updated = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong decided = new AtomicLong();
  private final Counter rawCounter;
  private final Counter skippedCounter;
  private final Counter expiredCounter;
  private final Counter signaturesExpiredCounter;
  private final Counter signaturesSkippedCounter;
  private final Counter signaturesRefusedCounter;
  private final Map<String, Counter> clusterCounters = new ConcurrentHashMap<>();

  /** By {@link ArticleEvent#changedFields} name; all registered at start. */
  private final Map<String, Counter> changedFieldCounters = new ConcurrentHashMap<>();

  private final Map<ArticleTags, Counter> articleCounters = new ConcurrentHashMap<>();

  /** By warning code ({@link ArticleEvent#warnings}: a fixed set the normalizer writes). */
  private final Map<String, Counter> warningCounters = new ConcurrentHashMap<>();

  private final Map<String, Timer> lagTimers = new ConcurrentHashMap<>();
  private final Map<String, Counter> duplicateCounters = new ConcurrentHashMap<>();
  private final Map<DeadLetterTags, Counter> deadLetterCounters = new ConcurrentHashMap<>();
  private final AtomicReference<Instant> lastArticleAt = new AtomicReference<>();
  private final AtomicReference<DeadLetterSeen> lastDeadLetter = new AtomicReference<>();

  /** The index the gauges read: the last one created (a normalizer built again has a new one). */
  private final AtomicReference<SignatureIndex> signatureIndex = new AtomicReference<>();

  private record ArticleTags(String changeType, String source, String agency) {}

  private record DeadLetterTags(String stage, String error) {}

  /**
   * The last record this process sent to the dead-letter topic.
   *
   * @param at when (UTC)
   * @param stage the dead letter's stage ({@code deserialize}, {@code normalize}, {@code dedup})
   * @param error the simple name of the error's class
   */
  public record DeadLetterSeen(Instant at, String stage, String error) {}

  /**
   * @param registry where the counters are registered
   */
  public NormalizerStats(MeterRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  /**
   * @param registry where the meters are registered
   * @param clock time source (UTC) of the publication lag and the 24 h counts
   */
  public NormalizerStats(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    this.articlesBySource = RollingCounts.lastDay(clock);
    this.rawCounter =
        Counter.builder("wire.normalizer.raw.records")
            .description("Raw items consumed by the normalizer")
            .register(registry);
    this.skippedCounter =
        Counter.builder("wire.normalizer.normalizations.skipped")
            .description(
                "Duplicates suppressed by their unchanged input, without normalising (also counted as duplicates)")
            .register(registry);
    this.expiredCounter =
        Counter.builder("wire.normalizer.versions.expired")
            .description(
                "Stories the version store forgot: no raw item for longer than --version-retention")
            .register(registry);
    this.signaturesExpiredCounter =
        Counter.builder("wire.normalizer.signatures.expired")
            .description(
                "Stories the near-duplicate index forgot: first created more than --cluster-window before a newer one, or the oldest beyond --cluster-index-size")
            .register(registry);
    this.signaturesSkippedCounter =
        Counter.builder("wire.normalizer.signatures.skipped")
            .description(
                "Story-signatures records left out of the near-duplicate index: not a story signature")
            .register(registry);
    this.signaturesRefusedCounter =
        Counter.builder("wire.normalizer.signatures.refused")
            .description(
                "Stories placed too late for the near-duplicate index: first created more than --cluster-window before the newest story indexed; clustered against the stories indexed, but not kept for later ones")
            .register(registry);
    for (String outcome : new String[] {CLUSTER_JOINED, CLUSTER_STARTED, CLUSTER_NO_SIGNATURE}) {
      clusterCounters.put(
          outcome,
          Counter.builder("wire.normalizer.clusters")
              .description(
                  "First versions given a near-duplicate cluster: joined an existing one, started one, or too short for a signature")
              .tag("outcome", outcome)
              .register(registry));
    }
    for (String field : ArticleEvent.CHANGEABLE_FIELDS) {
      changedFieldCounters.put(
          field,
          Counter.builder("wire.normalizer.changed.fields")
              .description(
                  "Updated article events naming this field among their changedFields (an update names one or more)")
              .tag("field", field)
              .register(registry));
    }
    // Every reason from the start, at 0: a dashboard's duplicate rate reads 0, not "no data",
    // before the first duplicate.
    duplicateCounter(Versioning.Decision.Duplicate.SAME_FINGERPRINT);
    duplicateCounter(Versioning.Decision.Duplicate.SAME_TEXT);
    duplicateCounter(Versioning.Decision.Duplicate.OLDER_VERSION);
    duplicateCounter(Versioning.Decision.Duplicate.SHORTER_COPY);
    duplicateCounter(Versioning.Decision.Duplicate.WITHDRAWAL_COPY);
  }

  @Override
  public void rawRecordConsumed(int partition, long offset) {
    rawCounter.increment();
  }

  @Override
  public void itemRouted() {
    routed.incrementAndGet();
  }

  @Override
  public void versionsExpired(int count) {
    expiredCounter.increment(count);
  }

  @Override
  public void storyClustered(String outcome) {
    Counter c = clusterCounters.get(outcome);
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public void signaturesExpired(int count) {
    signaturesExpiredCounter.increment(count);
  }

  @Override
  public void signatureSkipped() {
    signaturesSkippedCounter.increment();
  }

  @Override
  public void signatureRefused() {
    signaturesRefusedCounter.increment();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The gauges {@value #SIGNATURE_INDEX_STORIES} and {@value #SIGNATURE_INDEX_MAX_STORIES} read
   * {@code index} from now on, replacing an index given before. They hold it strongly, as long as
   * the registry holds them or until the next index is given: a normalizer lives as long as its
   * process.
   */
  @Override
  public void signatureIndexCreated(SignatureIndex index) {
    signatureIndex.set(index);
    // The gauges read the holder, not the index: registering again (a normalizer built again in
    // this process) finds the gauges registered first, which then read the new index.
    Gauge.builder(SIGNATURE_INDEX_STORIES, signatureIndex, r -> read(r, SignatureIndex::size))
        .description("Stories in the near-duplicate index now")
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            SIGNATURE_INDEX_MAX_STORIES, signatureIndex, r -> read(r, SignatureIndex::maxStories))
        .description("The most stories the near-duplicate index keeps (--cluster-index-size)")
        .strongReference(true)
        .register(registry);
  }

  private static double read(
      AtomicReference<SignatureIndex> holder, ToIntFunction<SignatureIndex> value) {
    SignatureIndex index = holder.get();
    return index == null ? Double.NaN : value.applyAsInt(index);
  }

  @Override
  public void itemDecided() {
    decided.incrementAndGet();
  }

  @Override
  public void normalizationSkipped() {
    skipped.incrementAndGet();
    skippedCounter.increment();
  }

  @Override
  public void articleEmitted(ArticleEvent event) {
    ("created".equals(event.changeType()) ? created : updated).incrementAndGet();
    String sourceId = event.source() == null ? "unknown" : event.source().id();
    String agency = event.source() == null ? "unknown" : event.source().agency();
    articleCounters
        .computeIfAbsent(
            new ArticleTags(event.changeType(), sourceId, agency),
            t ->
                Counter.builder("wire.normalizer.articles")
                    .description("Article events emitted")
                    .tag("change_type", t.changeType())
                    .tag("source", t.source())
                    .tag("agency", t.agency())
                    .register(registry))
        .increment();
    articlesBySource.add(sourceId, 1);
    if (event.warnings() != null) {
      for (String warning : event.warnings()) {
        warningCounters
            .computeIfAbsent(
                warning,
                kind ->
                    Counter.builder("wire.normalizer.warnings")
                        .description(
                            "Article events emitted with this warning: a field fell back (a bad date, link, language or media URL, ...)")
                        .tag("kind", kind)
                        .register(registry))
            .increment();
      }
    }
    if (event.changedFields() != null) {
      for (String field : event.changedFields()) {
        Counter counter = changedFieldCounters.get(field);
        if (counter != null) {
          counter.increment();
        }
      }
    }
    Instant now = clock.instant();
    lastArticleAt.set(now);
    if (event.versionCreated() != null) {
      Duration lag = Duration.between(event.versionCreated(), now);
      lagTimers
          .computeIfAbsent(
              agency,
              a ->
                  Timer.builder(PUBLICATION_LAG)
                      .description("From an entry's versionCreated to its article event")
                      .tag("agency", a)
                      .serviceLevelObjectives(LAG_SLOS)
                      .register(registry))
          .record(lag.isNegative() ? Duration.ZERO : lag);
    }
  }

  /**
   * @param sourceId a source id
   * @return article events (created or updated) of that source emitted by this process in the last
   *     24 h
   */
  public long articlesLast24h(String sourceId) {
    return articlesBySource.count(sourceId);
  }

  @Override
  public void duplicateSuppressed(String reason) {
    duplicates.incrementAndGet();
    duplicateCounter(reason).increment();
  }

  private Counter duplicateCounter(String reason) {
    return duplicateCounters.computeIfAbsent(
        reason,
        r ->
            Counter.builder("wire.normalizer.duplicates")
                .description("Duplicates suppressed")
                .tag("reason", r)
                .register(registry));
  }

  @Override
  public void deadLettered(String stage, String errorClass) {
    deadLetters.incrementAndGet();
    deadLetterCounters
        .computeIfAbsent(
            new DeadLetterTags(stage, errorClass),
            t ->
                Counter.builder("wire.normalizer.dead.letters")
                    .description("Records sent to the dead-letter topic")
                    .tag("stage", t.stage())
                    .tag("error", t.error())
                    .register(registry))
        .increment();
    lastDeadLetter.set(new DeadLetterSeen(clock.instant(), stage, errorClass));
  }

  /**
   * @return raw records consumed so far (attempts: a record of an aborted transaction counts again)
   */
  public long rawRecords() {
    return (long) rawCounter.count();
  }

  /**
   * @return when this process last emitted an article event (UTC); null when it has emitted none
   */
  public Instant lastArticleAt() {
    return lastArticleAt.get();
  }

  /**
   * @return the last record this process sent to the dead-letter topic; null when none
   */
  public DeadLetterSeen lastDeadLetter() {
    return lastDeadLetter.get();
  }

  /**
   * @return article events (created or updated) emitted by this process in the last 24 h, by source
   *     id, sorted by source id; sources without one in the window left out
   */
  public SortedMap<String, Long> articlesLast24hBySource() {
    return articlesBySource.counts();
  }

  /**
   * @return articles created so far
   */
  public long created() {
    return created.get();
  }

  /**
   * @return articles updated so far
   */
  public long updated() {
    return updated.get();
  }

  /**
   * @return duplicates suppressed so far
   */
  public long duplicates() {
    return duplicates.get();
  }

  /**
   * @return duplicates suppressed without normalising so far (included in {@link #duplicates()})
   */
  public long normalizationsSkipped() {
    return skipped.get();
  }

  /**
   * @return dead letters so far
   */
  public long deadLetters() {
    return deadLetters.get();
  }

  /**
   * Waits until the dedup stage has decided every item the first stage routed in this process, or
   * has been idle for {@code settle} with items outstanding (items of an aborted transaction are
   * routed, and on the local path decided, twice: the counts are of attempts, so they can run ahead
   * of the committed outcomes after a failure).
   *
   * @param timeout overall bound
   * @param settle how long the dedup stage may stay idle with items outstanding before it counts as
   *     done
   * @return true when done, false on timeout
   * @throws InterruptedException when interrupted
   */
  public boolean awaitDecided(Duration timeout, Duration settle) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastDecided = -1;
    long idleSince = System.nanoTime();
    while (decided.get() < routed.get()) {
      long d = decided.get();
      if (d != lastDecided) {
        lastDecided = d;
        idleSince = System.nanoTime();
      } else if (System.nanoTime() - idleSince > settle.toNanos()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }
}
