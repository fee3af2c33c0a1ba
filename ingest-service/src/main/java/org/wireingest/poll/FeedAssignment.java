package org.wireingest.poll;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.FeedSource;
import org.wireingest.model.ErrorText;
import org.wireingest.model.FeedState;

/**
 * Shares the feeds among poller processes through Kafka's consumer group protocol, with no
 * coordinator of wire-ingest's own. Each feed belongs to one partition of the feed-state topic (the
 * partition the producer's default partitioner gives its {@code sourceId} key: murmur2, see {@link
 * #partitionOf}); every poller joins one consumer group subscribed to that topic, and polls exactly
 * the feeds of the partitions the group assigns it.
 *
 * <p>On assignment, the new partitions are read from their beginning to their end offset (the last
 * state per feed wins, as in {@link FeedStateReader}) before their feeds are handed to the {@link
 * PollScheduler}, so a feed moves with its ETag, Last-Modified, body hash and recent entries. The
 * consumer keeps reading afterwards. Each state is held once: the scheduler holds the states of the
 * feeds it polls, and records of those feeds (this poller's own writes) are skipped by key without
 * being decoded; this class holds, as the raw record values, only the latest state of the other
 * feeds of the owned partitions (those being restored, and those in the topic but not in the feeds
 * list, should they come back), and decodes a state only when its feed is handed to the scheduler.
 * A feed dropped from the feeds list leaves its last state here (taken from the scheduler once its
 * running poll has finished).
 *
 * <p>On revocation (a rebalance), the feeds of the revoked partitions stop being polled and the
 * revocation waits for their running polls (at most {@link #DRAIN_TIMEOUT}), so their last states
 * are written before another poller reads them. {@link #close()} does the same for all its feeds
 * before it leaves the group, while its heartbeats still keep it a member. When a poller dies, the
 * group notices within the session timeout and gives its partitions to the others. A poller whose
 * membership expired without it noticing (a long pause) finds its partitions lost: their feeds stop
 * at once, and their running polls write nothing more, since another poller may hold them already.
 * The assignor is cooperative-sticky: a rebalance only moves the partitions that must move.
 *
 * <p>A change of the feeds list ({@link #updateFeeds}) is applied to the owned partitions: every
 * poller gets the same list and keeps the feeds that fall in its partitions.
 *
 * <p>One thread ({@code feed-assignment}) runs the consumer; the listener callbacks run on it.
 * Public methods are thread-safe.
 */
public final class FeedAssignment implements AutoCloseable {

  /** Default consumer group of the pollers. */
  public static final String DEFAULT_GROUP = "wire-ingest-pollers";

  /** Default session timeout of the group: a dead poller's feeds move after at most this long. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Longest wait, on revocation, for the running polls of the feeds handed over: 90 s. A running
   * poll is a fetch of at most 60 s (its total deadline), its parse, then its writes, which share
   * the 60 s publish timeout ({@link KafkaPollSink}) but take milliseconds while Kafka answers: 90
   * s lets a fetch that ends at its deadline write its state. Not 60 s: that would hand over such a
   * feed before its state is written, and its next owner would fetch and publish it again. When
   * Kafka does not answer, a poll may run 120 s; one still running when the wait ends writes
   * nothing more ({@link PollScheduler#assign}), so its older state never replaces the one the
   * feed's next owner writes.
   */
  public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);

  private static final Logger LOG = LoggerFactory.getLogger(FeedAssignment.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  private static final int FETCH_MIN_BYTES = 256 * 1024;
  private static final Duration FETCH_MAX_WAIT = Duration.ofSeconds(1);

  /**
   * Longest wait before joining the group again after the consumer failed (the wait doubles from 1
   * s).
   */
  static final Duration MAX_REJOIN_DELAY = Duration.ofSeconds(30);

  private final Map<String, Object> consumerProperties;
  private final Function<Map<String, Object>, Consumer<String, byte[]>> consumers;
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Consumer<String, byte[]> consumer;
  private final String topic;
  private final PollScheduler scheduler;
  private final Thread thread;
  private final CountDownLatch exited = new CountDownLatch(1);

  // Owned by the consumer thread:
  /**
   * Latest raw state value per source id of the owned partitions, for the feeds not in {@link
   * #polled}.
   */
  private final Map<String, byte[]> dormant = new HashMap<>();

  /**
   * Source ids of the feeds handed to the scheduler (the feeds-list feeds of the live partitions).
   */
  private Set<String> polled = Set.of();

  private final Map<TopicPartition, Long> restoring = new HashMap<>();

  /**
   * Partitions assigned whose restore has not started: their end offsets (or the topic's partition
   * count) could not be had when they were assigned, a Kafka error the consumer rethrows after the
   * assignment has taken effect. Tried again after every consumer poll until it starts; restoring
   * for the membership.
   */
  private final Set<TopicPartition> toRestore = new HashSet<>();

  private final Set<Integer> live = new HashSet<>();

  /** Failures of the consumer since it last joined the group: the rejoin wait doubles with each. */
  private int failuresInARow;

  /**
   * Why the consumer last failed ({@link ErrorText#describe}), until it joins again; consumer
   * thread.
   */
  private String lastFailure;

  /** This poller's member id while it is a member of the group; null otherwise. */
  private String memberId;

  /** The partitions whose feeds were last handed to the scheduler ({@link #live} then). */
  private Set<Integer> handedOver = Set.of();

  private List<FeedSource> feeds;
  private int partitionCount;

  /**
   * The feeds list handed over by {@link #updateFeeds} and not yet applied; taken (and cleared) in
   * one step by the consumer thread, so a list handed over while it takes the one before is never
   * lost.
   */
  private final AtomicReference<List<FeedSource>> pendingFeeds = new AtomicReference<>();

  private volatile Membership membership = Membership.NONE;
  private volatile boolean closed;
  private volatile int kept;
  private volatile long recordsRead;

  /**
   * Joins nothing yet: {@link #start()} does.
   *
   * @param clientProperties bootstrap servers and pass-through client settings
   * @param topic the feed-state topic ({@code wire.feed-state.v1}); must exist
   * @param groupId the pollers' consumer group
   * @param sessionTimeout the group's session timeout (the broker bounds it: 6 s to 30 min by
   *     default)
   * @param feeds the feeds list (all feeds, of every poller)
   * @param scheduler polls the feeds of the owned partitions; {@link PollScheduler#assign} is
   *     called on every change, from the consumer thread
   */
  public FeedAssignment(
      Map<String, Object> clientProperties,
      String topic,
      String groupId,
      Duration sessionTimeout,
      List<FeedSource> feeds,
      PollScheduler scheduler) {
    this(
        clientProperties,
        topic,
        groupId,
        sessionTimeout,
        feeds,
        scheduler,
        p -> new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer()));
  }

  /**
   * As the public constructor, with the consumers made by {@code consumers} (one at start, and a
   * new one each time the group is joined again after a failure): a seam for tests.
   */
  FeedAssignment(
      Map<String, Object> clientProperties,
      String topic,
      String groupId,
      Duration sessionTimeout,
      List<FeedSource> feeds,
      PollScheduler scheduler,
      Function<Map<String, Object>, Consumer<String, byte[]>> consumers) {
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
    p.put(
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        (int) Math.max(500, sessionTimeout.toMillis() / 3));
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Nothing here is urgent once restored (this poller's own states are skipped), so fetch in
    // batches: fewer, larger fetches (at most FETCH_MAX_WAIT late) cost the poller less CPU.
    p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES);
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) FETCH_MAX_WAIT.toMillis());
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "wire-ingest-poller-group");
    this.consumerProperties = Map.copyOf(p);
    this.consumers = consumers;
    this.consumer = consumers.apply(consumerProperties);
    this.topic = topic;
    this.scheduler = scheduler;
    this.feeds = List.copyOf(feeds);
    this.thread = new Thread(this::run, "feed-assignment");
    this.thread.setDaemon(true);
  }

  /**
   * The partition of the feed-state topic holding a feed's state: the one Kafka's default
   * partitioner picks for the key, {@code toPositive(murmur2(utf8(sourceId))) % partitions}.
   *
   * @param sourceId the feed's source id
   * @param partitions partitions of the feed-state topic; at least 1
   * @return the partition, 0 to {@code partitions - 1}
   */
  public static int partitionOf(String sourceId, int partitions) {
    return Utils.toPositive(Utils.murmur2(sourceId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** Subscribes and starts the consumer thread. */
  public void start() {
    thread.start();
  }

  /**
   * Replaces the feeds list; applied by the consumer thread within a fraction of a second.
   *
   * @param newFeeds the whole feeds list
   */
  public void updateFeeds(List<FeedSource> newFeeds) {
    pendingFeeds.set(List.copyOf(newFeeds));
  }

  /**
   * @return true once this poller has joined the group (a first assignment, possibly of no
   *     partition), and while its consumer thread runs
   */
  public boolean joined() {
    return membership().joined();
  }

  /**
   * @return the feed-state partitions whose feeds this poller polls now (restored and live)
   */
  public Set<Integer> ownedPartitions() {
    return membership().owned();
  }

  /**
   * @return what this poller holds in its group now, as one consistent snapshot (the poller's
   *     readiness and its status page's scope line read it); {@link Membership#NONE} before it has
   *     joined and once its consumer thread has ended
   */
  public Membership membership() {
    return exited.getCount() > 0 ? membership : Membership.NONE;
  }

  /**
   * A poller's place in its consumer group at one moment. Immutable.
   *
   * @param joined whether it is a member of the group (it has had an assignment, possibly of no
   *     partition, and has not left since)
   * @param memberId its member id in the group (the coordinator's, as {@code
   *     Admin#describeConsumerGroups} lists it); null before it has joined
   * @param owned the feed-state partitions whose feeds it polls now (their states restored); never
   *     null, unmodifiable
   * @param restoring the feed-state partitions assigned to it whose feed states are still being
   *     read: their feeds are not polled yet; never null, unmodifiable
   * @param partitions the feed-state topic's partition count, as its consumer last saw it; 0 before
   *     it has joined
   * @param lastFailure when it is not a member: why its last membership or attempt to join ended
   *     ({@link ErrorText#describe}, e.g. {@code GroupAuthorizationException: Not authorized to
   *     access group: wire-ingest-pollers}); null when it is a member, or none failed since it last
   *     joined
   */
  public record Membership(
      boolean joined,
      String memberId,
      Set<Integer> owned,
      Set<Integer> restoring,
      int partitions,
      String lastFailure) {

    /** Not a member of the group, and no failure: before joining, after leaving on a close. */
    public static final Membership NONE = notJoined(null);

    public Membership {
      owned = Set.copyOf(owned);
      restoring = Set.copyOf(restoring);
    }

    /** Without a failure: a member, or not one and none failed. */
    public Membership(
        boolean joined,
        String memberId,
        Set<Integer> owned,
        Set<Integer> restoring,
        int partitions) {
      this(joined, memberId, owned, restoring, partitions, null);
    }

    /**
     * @param lastFailure why the last membership or attempt to join ended; null for none
     * @return not a member of the group
     */
    public static Membership notJoined(String lastFailure) {
      return new Membership(false, null, Set.of(), Set.of(), 0, lastFailure);
    }
  }

  /**
   * Publishes what the consumer thread holds as {@link #membership()}; on the consumer thread,
   * after each change of the assignment, the partitions restored or the group membership.
   */
  private void publishMembership() {
    Set<Integer> restoringNow = new TreeSet<>();
    restoring.keySet().forEach(tp -> restoringNow.add(tp.partition()));
    toRestore.forEach(tp -> restoringNow.add(tp.partition()));
    membership =
        memberId != null
            ? new Membership(true, memberId, handedOver, restoringNow, partitionCount)
            : Membership.notJoined(lastFailure);
  }

  /**
   * @return how many feed states this class holds itself (as of its last consumer poll): those of
   *     the owned partitions' feeds that the scheduler does not poll; never those it polls
   */
  int statesKept() {
    return kept;
  }

  /**
   * @return how many feed-state records this poller's consumers have read since {@link #start()}
   *     (restores included), counted after each consumer poll's records are kept and {@link
   *     #statesKept()} updated: once it reaches the topic's end, {@link #statesKept()} tells the
   *     states of every record written so far
   */
  long recordsRead() {
    return recordsRead;
  }

  /**
   * The consumer thread: runs the group membership until {@link #close()}. When the consumer fails
   * in a way it cannot retry (any exception but a retriable Kafka one; a TCP self-connect to a
   * broker port in the ephemeral range gave a {@code CorrelationIdMismatchException}), this poller
   * leaves the group as on a close, then joins it again with a new consumer after 1 s, doubling up
   * to {@link #MAX_REJOIN_DELAY} while the failures go on (back to 1 s once it has joined again; a
   * consumer that cannot even be made waits and is tried again): a poller never stays up without
   * polling.
   */
  private void run() {
    boolean needsConsumer = false;
    try {
      while (!closed) {
        try {
          if (needsConsumer) {
            consumer =
                consumers.apply(
                    consumerProperties); // may fail too: then tried again after the next wait
            needsConsumer = false;
            if (closed) {
              break; // close() may have woken the consumer just replaced
            }
          }
          consume();
        } catch (RuntimeException e) {
          if (closed) {
            break;
          }
          failuresInARow++;
          lastFailure = ErrorText.describe(e);
          long delayMs =
              Math.min(MAX_REJOIN_DELAY.toMillis(), 1_000L << Math.min(failuresInARow - 1, 16));
          LOG.error(
              "feed assignment failed ({}); leaving the poller group and joining it again in {} s",
              e.toString(),
              delayMs / 1000,
              e);
          leave();
          needsConsumer = true;
          if (closing.await(delayMs, TimeUnit.MILLISECONDS)) {
            break;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      leave();
      exited.countDown();
    }
  }

  /** Subscribes and runs the poll loop until {@link #close()}; throws what it cannot retry. */
  private void consume() throws InterruptedException {
    consumer.subscribe(List.of(topic), new Listener());
    while (!closed) {
      try {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
        for (ConsumerRecord<String, byte[]> r : records) {
          keep(r);
        }
        startRestores(); // those whose start failed as they were assigned
        boolean changed = finishRestores();
        List<FeedSource> pending = pendingFeeds.getAndSet(null);
        if (pending != null) {
          feeds = pending;
          changed = true;
        }
        if (changed) {
          handOver();
        }
        kept = dormant.size();
        recordsRead += records.count(); // one writer: this thread
      } catch (WakeupException e) {
        // close() asked to stop
      } catch (RetriableException e) {
        LOG.error("feed assignment: Kafka error, retrying: {}", e.toString());
        sleepQuietly(1_000);
      }
    }
  }

  /**
   * Leaves the group with the current consumer (its feeds stopped first, see {@link
   * #drainBeforeLeaving}) and forgets what the membership held. Idempotent: a consumer already
   * closed is not closed again.
   */
  private void leave() {
    drainBeforeLeaving(); // also after a failure of this thread: close() would revoke too late
    try {
      consumer.close(); // revokes (nothing runs any more), then the group rebalances without us
    } catch (IllegalStateException e) {
      // closed already
    } catch (RuntimeException e) {
      LOG.warn("feed assignment: closing the consumer failed: {}", e.toString());
    }
    memberId = null;
    handedOver = Set.of();
    restoring.clear();
    toRestore.clear();
    live.clear();
    dormant.clear();
    partitionCount = 0;
    publishMembership();
  }

  /**
   * Before leaving the group ({@link #close()}, or this thread ending on an error): stops every
   * feed of this poller and waits for their running polls (at most {@link #DRAIN_TIMEOUT}) while it
   * is still a member of the group, so that their last states are written before another poller is
   * given their partitions. Waiting inside {@code consumer.close()}'s revocation instead is too
   * late: the classic consumer stops its heartbeat before it revokes, so a poll longer than the
   * session timeout let the group expire this member and hand its feeds to another poller, which
   * fetched and published them again. Here the heartbeat thread goes on (the wait is far below
   * {@code max.poll.interval.ms}, 5 min).
   */
  private void drainBeforeLeaving() {
    if (live.isEmpty() && polled.isEmpty()) {
      return;
    }
    LOG.info(
        "leaving the poller group: stopping its {} feeds and waiting for their running polls (at most {} s) before handing partitions {} over",
        polled.size(),
        DRAIN_TIMEOUT.toSeconds(),
        new TreeSet<>(live));
    live.clear();
    boolean interrupted =
        Thread.interrupted(); // an interrupt that ended the loop must not cut the wait short
    try {
      handOver();
    } catch (InterruptedException e) {
      interrupted = true;
    } catch (RuntimeException e) {
      LOG.warn(
          "feed assignment: stopping the feeds before leaving the group failed: {}", e.toString());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Moves the partitions read to their restore end offset to live; @return whether any moved */
  private boolean finishRestores() {
    boolean moved = false;
    for (var it = restoring.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (consumer.position(e.getKey()) >= e.getValue()) {
        it.remove();
        live.add(e.getKey().partition());
        moved = true;
      }
    }
    return moved;
  }

  /**
   * Keeps a record's value unless its feed is polled here: the scheduler already holds that feed's
   * state, which this poller wrote (a record without key is ignored, a tombstone removes).
   */
  private void keep(ConsumerRecord<String, byte[]> r) {
    if (r.key() == null || polled.contains(r.key())) {
      return;
    }
    if (r.value() == null) {
      dormant.remove(r.key());
    } else {
      dormant.put(r.key(), r.value());
    }
  }

  /**
   * Tells the scheduler the feeds of the live partitions, with the kept states of the newly listed
   * ones; waits up to {@link #DRAIN_TIMEOUT} for the running polls of the feeds it stops.
   */
  private void handOver() throws InterruptedException {
    handOver(DRAIN_TIMEOUT);
  }

  /**
   * {@link #handOver()}, waiting up to {@code drainTimeout} for the running polls of the feeds it
   * stops; those still running then write nothing more ({@link PollScheduler#assign}).
   */
  private void handOver(Duration drainTimeout) throws InterruptedException {
    List<FeedSource> owned =
        live.isEmpty()
            ? List.of()
            : feeds.stream()
                .filter(f -> live.contains(partitionOf(f.id(), partitionCount)))
                .toList();
    Map<String, FeedState> restored = new HashMap<>();
    for (FeedSource f : owned) {
      byte[] value = polled.contains(f.id()) ? null : dormant.get(f.id());
      FeedState st = value == null ? null : FeedStateReader.decode(f.id(), value, topic);
      if (st != null) {
        restored.put(f.id(), st);
      }
    }
    handedOver = Set.copyOf(live);
    publishMembership();
    Map<String, FeedState> released = new HashMap<>();
    scheduler.assign(owned, restored, drainTimeout, released);
    Set<String> now = new HashSet<>();
    owned.forEach(f -> now.add(f.id()));
    polled = now;
    dormant.keySet().removeAll(now);
    released.forEach(
        (id, st) -> {
          // Dropped from the feeds list while its partition stays here: keep its last state, in
          // case it comes back.
          if (partitionCount > 0 && live.contains(partitionOf(id, partitionCount))) {
            dormant.put(id, FeedStateReader.encode(st));
          }
        });
  }

  /**
   * Stops the feeds of {@code partitions} here.
   *
   * @param why {@code revoked} or {@code lost}, for the log
   * @param drainTimeout longest wait for their running polls, which write their states meanwhile
   */
  private void release(Collection<TopicPartition> partitions, String why, Duration drainTimeout) {
    Set<Integer> gone = new TreeSet<>();
    partitions.forEach(tp -> gone.add(tp.partition()));
    restoring.keySet().removeAll(partitions);
    toRestore.removeAll(partitions);
    live.removeAll(gone);
    LOG.info("feed-state partitions {} {}: their feeds stop here", gone, why);
    try {
      handOver(drainTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dormant.keySet().removeIf(id -> gone.contains(partitionOf(id, partitionCount)));
  }

  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        release(partitions, "revoked", DRAIN_TIMEOUT);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        // This member's membership expired: the group may have given the partitions to another
        // poller
        // already, which restored their states and polls their feeds. A running poll's writes
        // would now come after that poller's restore, and its older state could end up last in
        // the compacted topic: such polls write nothing more, and nothing waits for them.
        release(partitions, "lost", Duration.ZERO);
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      memberId = consumer.groupMetadata().memberId();
      failuresInARow = 0;
      lastFailure = null;
      if (partitions.isEmpty()) {
        try {
          // for readiness: a poller given no partition tells a standby from a share on its way
          partitionCount = consumer.partitionsFor(topic).size();
        } catch (RuntimeException e) {
          // unknown (0) until the next assignment; polling needs no count without partitions
        }
        publishMembership();
        return;
      }
      toRestore.addAll(partitions);
      publishMembership();
      startRestores();
    }
  }

  /**
   * Starts reading the partitions of {@link #toRestore} from their beginning to their end offsets
   * now; on the consumer thread. Throws what the consumer throws (a {@code TimeoutException} while
   * the brokers do not answer): the partitions stay to restore, and the next call tries again.
   */
  private void startRestores() {
    if (toRestore.isEmpty()) {
      return;
    }
    partitionCount = consumer.partitionsFor(topic).size();
    consumer.seekToBeginning(toRestore);
    Map<TopicPartition, Long> end = consumer.endOffsets(toRestore);
    restoring.putAll(end);
    LOG.info(
        "feed-state partitions {} assigned: restoring their feed states",
        toRestore.stream().map(TopicPartition::partition).sorted().toList());
    toRestore.clear();
    publishMembership();
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Leaves the group: the feeds' running polls finish (at most {@link #DRAIN_TIMEOUT}), then the
   * other pollers take the partitions over. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    closing.countDown();
    consumer.wakeup();
    if (thread.isAlive()) {
      try {
        if (!exited.await(DRAIN_TIMEOUT.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
          LOG.warn("feed assignment did not stop in time");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (exited.getCount() > 0) {
      consumer.close();
    }
  }
}
