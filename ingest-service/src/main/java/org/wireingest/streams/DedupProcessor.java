package org.wireingest.streams;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.dedup.DedupState;
import org.wireingest.dedup.SignatureIndex;
import org.wireingest.dedup.Versioning;

/**
 * Stage 2, keyed by article {@code uri}: the authority on versions. Looks up the story's {@link
 * DedupState} in a persistent store and applies {@link NormalizerSteps#decide}: an item whose input
 * hash equals the stored one is a duplicate without being normalised; any other is normalised and
 * goes through {@link Versioning} (new uri → {@code created} v1; same fingerprint → suppressed; new
 * fingerprint → {@code updated} v+1). Store and output commit in one exactly-once transaction, so
 * no crash or restart duplicates an event. Emitted events carry the CloudEvents 1.0 Kafka binding
 * headers (binary mode); dead letters keep the raw record's bytes and headers and are keyed by its
 * key.
 *
 * <p>With a version retention ({@link NormalizerTopology#VERSION_RETENTION_MS}), the processor that
 * {@code sweeps} (one per task: both dedup processors of a task share its store) walks the store on
 * the wall clock, {@value #SWEEP_BATCH} stories every {@link #SWEEP_EVERY}, resuming where it
 * stopped: a story {@link DedupState#expired} is deleted (a tombstone in the changelog, in the
 * task's transaction), and a state without {@code lastSeenAt} (written before the field existed) is
 * stamped with the sweep's time, so it is kept one retention from then.
 */
final class DedupProcessor
    implements Processor<String, NormalizerSteps.Routing.Routed, String, StageOutput> {

  private static final Logger LOG = LoggerFactory.getLogger(DedupProcessor.class);

  /** How often the retention sweep runs (wall clock). */
  static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

  /** Stories one sweep looks at, at most: a pass over 125,000 stories takes 13 sweeps. */
  static final int SWEEP_BATCH = 10_000;

  private final String storeName;
  private final NormalizerSteps steps;
  private final NormalizerListener listener;
  private final boolean sweeps;
  private ProcessorContext<String, StageOutput> context;
  private KeyValueStore<String, DedupState> store;
  private final SharedSignatureIndex sharedIndex;
  private SignatureIndex index;
  private Duration retention;

  /** The most bytes of JSON of an article event ({@link NormalizerTopology#articleMaxBytes}). */
  private int maxArticleBytes = NormalizerSteps.MAX_ARTICLE_BYTES;

  /** The last key the sweep looked at; null to start the next sweep at the first key. */
  private String sweptUpTo;

  private long passScanned;
  private long passExpired;

  /**
   * @param storeName the version store
   * @param sharedIndex the instance's near-duplicate index
   * @param steps the rules
   * @param listener told of stories the retention sweep forgot
   * @param sweeps whether this processor runs the task's retention sweep (one of the task's two)
   */
  DedupProcessor(
      String storeName,
      SharedSignatureIndex sharedIndex,
      NormalizerSteps steps,
      NormalizerListener listener,
      boolean sweeps) {
    this.storeName = storeName;
    this.sharedIndex = sharedIndex;
    this.steps = steps;
    this.listener = listener;
    this.sweeps = sweeps;
  }

  @Override
  public void init(ProcessorContext<String, StageOutput> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    this.index = sharedIndex.get(context.appConfigs());
    this.retention = NormalizerTopology.versionRetention(context.appConfigs());
    this.maxArticleBytes = NormalizerTopology.articleMaxBytes(context.appConfigs());
    if (sweeps && retention != null) {
      context.schedule(SWEEP_EVERY, PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }
  }

  @Override
  public void process(Record<String, NormalizerSteps.Routing.Routed> record) {
    NormalizerSteps.Dedup outcome =
        steps.decide(store.get(record.key()), record.value(), index, maxArticleBytes);
    if (outcome instanceof NormalizerSteps.Dedup.Emit emit) {
      store.put(record.key(), emit.state());
      context.forward(
          new Record<>(
              record.key(),
              StageOutput.of(emit.event()),
              record.timestamp(),
              kafkaHeaders(emit.headers())));
      if (emit.signature() != null) {
        // decide() indexed it already, for the instance's other tasks too; the global thread's add
        // of the record read back from the topic finds it there and does nothing
        context.forward(
            new Record<>(
                record.key(), StageOutput.signature(emit.signature()), record.timestamp()));
      }
    } else if (outcome instanceof NormalizerSteps.Dedup.Suppressed suppressed) {
      if (suppressed.state() != null) {
        store.put(record.key(), suppressed.state());
      }
    } else if (outcome instanceof NormalizerSteps.Dedup.Rejected rejected) {
      context.forward(
          RouteProcessor.deadLetterRecord(
              record, rejected.key(), StageOutput.dead(rejected.deadLetter())));
    }
  }

  /** One step of the retention sweep, at wall-clock time {@code epochMs}. */
  private void sweep(long epochMs) {
    Instant now = Instant.ofEpochMilli(epochMs);
    List<String> expired = new ArrayList<>();
    List<KeyValue<String, DedupState>> stamped = new ArrayList<>();
    String last = sweptUpTo;
    boolean passDone;
    int scanned = 0;
    try (KeyValueIterator<String, DedupState> it =
        sweptUpTo == null ? store.all() : store.range(sweptUpTo, null)) {
      while (scanned < SWEEP_BATCH && it.hasNext()) {
        KeyValue<String, DedupState> kv = it.next();
        if (kv.key.equals(sweptUpTo)) {
          continue; // range() starts at the last key of the previous sweep, which was looked at
          // then
        }
        scanned++;
        last = kv.key;
        if (kv.value.lastSeenAt() == null) {
          stamped.add(KeyValue.pair(kv.key, kv.value.withLastSeenAt(now)));
        } else if (kv.value.expired(now, retention)) {
          expired.add(kv.key);
        }
      }
      passDone = !it.hasNext();
    }
    // Changed after the iterator is closed: RocksDB iterators see a snapshot, but the store's
    // wrappers are not meant to be written under an open one.
    expired.forEach(store::delete);
    stamped.forEach(kv -> store.put(kv.key, kv.value));
    passScanned += scanned;
    passExpired += expired.size();
    if (!expired.isEmpty()) {
      listener.versionsExpired(expired.size());
    }
    sweptUpTo = passDone ? null : last;
    if (passDone) {
      if (passExpired > 0) {
        LOG.info(
            "version store of task {}: {} of {} stories forgotten, no raw item for more than {} (--version-retention)",
            context.taskId(),
            passExpired,
            passScanned,
            retention);
      } else {
        LOG.debug(
            "version store of task {}: {} stories, none older than {}",
            context.taskId(),
            passScanned,
            retention);
      }
      passScanned = 0;
      passExpired = 0;
    }
  }

  private static Headers kafkaHeaders(Map<String, String> headers) {
    RecordHeaders h = new RecordHeaders();
    headers.forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
    return h;
  }
}
