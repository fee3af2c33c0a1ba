package org.wireingest.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.StreamsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.wireingest.config.ConfigException;
import org.wireingest.config.Durations;
import org.wireingest.config.FeedSource;
import org.wireingest.config.FeedsFileWatcher;
import org.wireingest.fetch.BodyBudget;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchOutcome;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.kafka.DirectoryLock;
import org.wireingest.kafka.DirectoryUseLock;
import org.wireingest.kafka.EmbeddedBroker;
import org.wireingest.kafka.GroupSessionLimits;
import org.wireingest.kafka.KafkaConnection;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.TopicSpec;
import org.wireingest.kafka.Topics;
import org.wireingest.logging.LogRedaction;
import org.wireingest.model.Counted;
import org.wireingest.model.ErrorText;
import org.wireingest.model.FeedState;
import org.wireingest.model.LongArguments;
import org.wireingest.ops.FeedBoard;
import org.wireingest.ops.KafkaProbes;
import org.wireingest.ops.NormalizerStatus;
import org.wireingest.ops.OpsRegistry;
import org.wireingest.ops.OpsServer;
import org.wireingest.ops.PollMetrics;
import org.wireingest.ops.Readiness;
import org.wireingest.parse.FeedParser;
import org.wireingest.poll.FeedAssignment;
import org.wireingest.poll.FeedPoller;
import org.wireingest.poll.FeedStateReader;
import org.wireingest.poll.KafkaPollSink;
import org.wireingest.poll.PollResult;
import org.wireingest.poll.PollScheduler;
import org.wireingest.streams.NormalizerApp;
import org.wireingest.streams.NormalizerStats;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The wiring shared by the long-running commands: {@code run} (poller + normalizer), {@code poll}
 * (poller only) and {@code normalize} (normalizer only), each with the ops HTTP server ({@link
 * OpsServer}: {@code /metrics}, {@code /health/live}, {@code /health/ready}, {@code /api/feeds},
 * the status page). A continuous poller shares the feeds with the other pollers of its group
 * ({@link FeedAssignment}) and follows changes of the feeds list ({@link FeedsFileWatcher}). Stops
 * on Ctrl-C / SIGTERM, closing everything in reverse order.
 */
abstract class ServiceCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceCommand.class);

  /** How long a readiness probe waits for the broker. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  /**
   * Longest wait for the cluster to answer at start-up: an unreachable broker is an error (exit 1)
   * after it.
   */
  static final Duration BROKER_CONTACT_TIMEOUT = Duration.ofSeconds(10);

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Mixin TopicOptions topicOptions;

  @Mixin OpsOptions opsOptions;

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  /**
   * Set once a Ctrl-C / SIGTERM (or {@link #requestStop}) has begun the stop, for the last log
   * line.
   */
  private volatile boolean stopping;

  private final CompletableFuture<InetSocketAddress> opsAddress = new CompletableFuture<>();

  /**
   * Set once the ops server listens, Kafka is reached and the normalizer (if any) has started: a
   * failure after it is no failed start, and leaves the data dir as it is.
   */
  private volatile boolean started;

  /**
   * @return the poller's options; null when this command runs no poller
   */
  abstract PollerOptions pollerOptions();

  /**
   * @return the normalizer's options; null when this command runs no normalizer
   */
  abstract NormalizerOptions normalizerOptions();

  /**
   * @return true for one polling round ({@code run --once}) instead of running until stopped
   */
  boolean once() {
    return false;
  }

  /**
   * With {@link #once()}: polls every feed once and reports; the normalizer (when not null) runs.
   *
   * @return the exit status
   */
  int runOnce(
      PollScheduler scheduler,
      KafkaConnection conn,
      Topics topics,
      NormalizerApp normalizer,
      NormalizerStats stats)
      throws Exception {
    throw new UnsupportedOperationException("only run --once");
  }

  /** This start's hold on the data dir; null until the start uses it, or when it uses none. */
  private DataDirStart dataDirStart;

  /**
   * Runs the command. A start that fails (the ops port taken, Kafka unreachable, ...) removes what
   * it created of the data dir, while no other process uses it ({@link DataDirStart#failed}): the
   * data dir itself when it did not exist before ({@code run --once --data-dir NEW} left {@code
   * NEW/streams} behind) and the parents it created, while empty ({@code --data-dir NEW/a/data}
   * left {@code NEW/a}); in a data dir that existed, what this start made there ({@code streams},
   * the embedded broker's {@code .lock}, ...). A data dir that existed is never removed, nor
   * anything in it that this start did not create.
   */
  @Override
  public Integer call() throws Exception {
    try {
      return serve();
    } catch (Exception | Error e) {
      // an Error too: RocksDB's native library failing to load is one, before anything started
      if (!started && dataDirStart != null) {
        dataDirStart.failed();
      }
      throw e;
    } finally {
      if (dataDirStart != null) {
        dataDirStart.close();
      }
    }
  }

  @SuppressWarnings(
      "try") // metric binders and the ops server live for the whole try block: closed in reverse
  // order at its end
  private Integer serve() throws Exception {
    PollerOptions po = pollerOptions();
    NormalizerOptions no = normalizerOptions();
    refuseIgnoredOptions(spec.commandLine().getParseResult(), once());
    List<FeedSource> sources = po == null ? List.of() : po.validateAndLoad();
    Map<String, Object> normalizerProperties = no == null ? Map.of() : no.streamsProperties();
    opsOptions.validate(); // its --log-format is set before the command runs (WireIngest)
    kafka.checkSettings(); // before the ops server takes its port or a broker starts
    Topics topics = topicOptions.topics();
    if (no != null) {
      no.resolveApplicationId(topics.prefix());
    }
    // A data dir in use is refused before the ops server starts and logs its address: the
    // embedded broker's lock first, whose refusal says more (the running broker's address), then
    // the normalizer's state lock, held until the normalizer has closed. The broker's lock is
    // checked before the streams dir is made, so a start refused there makes no streams dir in a
    // data dir another process holds (one a poll-only process holds has none).
    if (kafka.bootstrapServers == null || no != null) {
      // held from before anything is made in the data dir until the command ends
      dataDirStart = DataDirStart.begin(kafka.dataDir, no == null ? null : no.applicationId);
    }
    kafka.checkDataDirFree();
    Path streamsDir = no == null ? null : stateDir(kafka.dataDir);
    PrometheusMeterRegistry registry = OpsRegistry.prometheus();
    installShutdownHook();
    Run run = new Run(po, no, registry, Clock.systemUTC());
    boolean serveOps =
        !once() || spec.commandLine().getParseResult().hasMatchedOption("--ops-port");
    try (DirectoryLock stateLock = no == null ? null : lockStateDir(streamsDir, no.applicationId);
        AutoCloseable jvmMetrics = OpsRegistry.bindJvm(registry);
        OpsServer ops =
            serveOps ? startOps(registry, run.readiness, run.board, run.normalizerStatus) : null;
        KafkaConnection conn = connect(topics);
        NormalizerApp normalizer =
            no == null
                ? null
                : normalizerApp(
                    NormalizerApp.withTopicSizes(
                        conn.admin(),
                        topics,
                        NormalizerApp.withInternalTopicSizes(
                            conn.admin(),
                            no.applicationId,
                            withAll(conn.clientProperties(), normalizerProperties),
                            BROKER_CONTACT_TIMEOUT),
                        BROKER_CONTACT_TIMEOUT),
                    no.applicationId,
                    streamsDir,
                    topics,
                    run.stats,
                    rawPartitions(conn, topics, no.applicationId));
        KafkaPollSink sink =
            po == null
                ? null
                : new KafkaPollSink(conn.clientProperties(), topics, Duration.ofSeconds(60));
        AutoCloseable streamsMetrics =
            normalizer == null ? null : normalizer.bindMetrics(registry);
        AutoCloseable producerMetrics = sink == null ? null : sink.bindMetrics(registry)) {
      if (po != null && !once()) {
        checkSessionTimeout(conn, po.sessionTimeout); // before the normalizer starts
      }
      List<Readiness.Probe> probes = new ArrayList<>();
      probes.add(KafkaProbes.broker(conn.admin(), conn.bootstrapServers(), PROBE_TIMEOUT));
      Readiness.Probe topicsProbe =
          KafkaProbes.topics(conn.admin(), topics.all(topicOptions.partitions), PROBE_TIMEOUT);
      topicsProbe.check(); // a WARN at start for each topic not as wire-ingest creates it
      probes.add(topicsProbe);
      if (normalizer != null) {
        LOG.info(
            "normalizer {}: RocksDB version store {}",
            no.applicationId,
            normalizer.versionStoreMemory());
        run.normalizer.set(normalizer);
        probes.add(KafkaProbes.streams(normalizer::state, normalizer::started));
        normalizer.start();
      }
      started = true;
      if (po == null) {
        run.readiness.use(probes);
        LOG.info(
            "wire-ingest normalizer running, Kafka at {}; Ctrl-C to stop",
            LongArguments.shown(conn.bootstrapServers()));
        return untilStopped();
      }
      FetchSettings fetchSettings =
          FetchSettings.defaults().withAllowPrivateAddresses(po.allowPrivateAddresses);
      BodyBudget budget = new BodyBudget(po.bodyBudgetBytes());
      run.pollMetrics.bindBodyBudget(budget);
      LOG.info(
          "poller: response bodies held at once bounded at {} ({})", budget, po.bodyBudgetOrigin());
      FeedPoller poller =
          new FeedPoller(new FeedFetcher(fetchSettings), new FeedParser(), sink, run.clock, budget);
      return once()
          ? pollOnce(run, sources, poller, probes, conn, topics, normalizer)
          : pollUntilStopped(run, sources, poller, probes, conn, topics);
    } finally {
      opsAddress.cancel(false);
      if (stopping) {
        LOG.info(
            "stopped: every part closed"); // the last line of a clean stop; its absence marks a
        // hang or a kill
      }
      stopped.countDown();
    }
  }

  /**
   * {@code run --once}: polls every feed once from the feed states stored in Kafka, then reports
   * ({@link #runOnce}).
   *
   * @return the exit status
   */
  private int pollOnce(
      Run run,
      List<FeedSource> sources,
      FeedPoller poller,
      List<Readiness.Probe> probes,
      KafkaConnection conn,
      Topics topics,
      NormalizerApp normalizer)
      throws Exception {
    Map<String, FeedState> restored =
        FeedStateReader.readAll(
            conn.clientProperties(), topics.feedState(), Duration.ofSeconds(60));
    run.readiness.use(probes);
    PollerOptions po = run.po;
    try (PollScheduler scheduler =
        new PollScheduler(
            sources,
            restored,
            poller,
            po.pollThreads,
            po.perHostConcurrency,
            run.clock,
            run.onPoll)) {
      scheduler.addFeedsListener(run.pollMetrics::track);
      run.scheduler.set(scheduler);
      return runOnce(scheduler, conn, topics, normalizer, run.stats);
    }
  }

  /**
   * The continuous poller: shares the feeds with the other pollers of its group ({@link
   * FeedAssignment}), follows the feeds list ({@link FeedsFileWatcher}) and polls until stopped.
   *
   * @return the exit status: 0 after a stop
   */
  private int pollUntilStopped(
      Run run,
      List<FeedSource> sources,
      FeedPoller poller,
      List<Readiness.Probe> probes,
      KafkaConnection conn,
      Topics topics)
      throws InterruptedException {
    PollerOptions po = run.po;
    try (PollScheduler scheduler =
            new PollScheduler(
                List.of(),
                Map.of(),
                poller,
                po.pollThreads,
                po.perHostConcurrency,
                run.clock,
                run.onPoll,
                run.pollMetrics::lateness);
        FeedAssignment assignment =
            new FeedAssignment(
                conn.clientProperties(),
                topics.feedState(),
                po.pollerGroup,
                po.sessionTimeout,
                sources,
                scheduler);
        FeedsFileWatcher watcher =
            new FeedsFileWatcher(po.feeds, sources, assignment::updateFeeds)) {
      scheduler.addFeedsListener(run.pollMetrics::track);
      run.scheduler.set(scheduler);
      run.assignment.set(assignment);
      run.watcher.set(watcher);
      run.pollMetrics.watchFeedsList(watcher::problem);
      probes.add(
          KafkaProbes.pollerGroup(
              conn.admin(),
              po.pollerGroup,
              topics.feedState(),
              assignment::membership,
              PROBE_TIMEOUT));
      run.readiness.use(probes);
      scheduler.start();
      assignment.start();
      watcher.start(po.feedsCheckInterval);
      LOG.info(
          "wire-ingest {} running: {} feeds shared in group {}, Kafka at {}{}; Ctrl-C to stop",
          run.no == null ? "poller" : "poller + normalizer",
          sources.size(),
          LongArguments.shown(po.pollerGroup),
          LongArguments.shown(conn.bootstrapServers()),
          conn.embedded()
              ? " (embedded, data in " + LongArguments.shown(kafka.dataDir.toString()) + ")"
              : "");
      return untilStopped();
    }
  }

  /**
   * Waits for Ctrl-C / SIGTERM (or {@link #requestStop}).
   *
   * @return 0, the exit status of a stop
   */
  private int untilStopped() throws InterruptedException {
    stop.await();
    stopping = true;
    LOG.info("stopping");
    return 0;
  }

  /**
   * One run of the command: its options and clock, and what the ops server and the metrics see of
   * it, wired before any part exists. The normalizer, the poll scheduler, the feed assignment and
   * the feeds-list watcher are set here as they start; until then the status page, {@code
   * /api/feeds} and the metrics read them as absent.
   */
  private final class Run {
    /** The poller's options; null when the command runs no poller. */
    final PollerOptions po;

    /** The normalizer's options; null when the command runs no normalizer. */
    final NormalizerOptions no;

    final Clock clock;
    final NormalizerStats stats;
    final PollMetrics pollMetrics;
    final FeedBoard board;

    /** The normalizer's status for the ops server; null when the command runs no normalizer. */
    final Supplier<NormalizerStatus> normalizerStatus;

    final Readiness readiness = new Readiness();

    /** What each poll's result goes to: the log, the metrics, the feed board. */
    final Consumer<PollResult> onPoll;

    final AtomicReference<PollScheduler> scheduler = new AtomicReference<>();
    final AtomicReference<FeedAssignment> assignment = new AtomicReference<>();
    final AtomicReference<FeedsFileWatcher> watcher = new AtomicReference<>();
    final AtomicReference<NormalizerApp> normalizer = new AtomicReference<>();

    Run(PollerOptions po, NormalizerOptions no, PrometheusMeterRegistry registry, Clock clock) {
      this.po = po;
      this.no = no;
      this.clock = clock;
      // A poll-only process counts no normalizer outcomes: its registry gets no wire_normalizer_*
      // series.
      NormalizerStats normalizerStats =
          new NormalizerStats(no == null ? new SimpleMeterRegistry() : registry, clock);
      this.stats = normalizerStats;
      Function<String, FeedState> stateOf =
          id -> {
            PollScheduler s = scheduler.get();
            FeedState st = s == null ? null : s.state(id);
            Instant planned = st == null ? null : s.plannedPoll(id);
            // The status page and /api/feeds show the poll's real planned time, jitter included.
            return planned == null ? st : st.withNextPollAt(planned);
          };
      // A normalize-only process polls nothing: its registry gets no wire_poller_* series either.
      PollMetrics metrics =
          new PollMetrics(
              po == null ? new SimpleMeterRegistry() : registry, List.of(), stateOf, clock);
      this.pollMetrics = metrics;
      Supplier<List<FeedSource>> polled =
          () -> {
            PollScheduler s = scheduler.get();
            return s == null ? List.of() : s.feeds();
          };
      FeedBoard feedBoard =
          new FeedBoard(polled, this::scope, stateOf, normalizerStats::articlesLast24h, clock);
      this.board = feedBoard;
      this.normalizerStatus =
          no == null
              ? null
              : () ->
                  ServiceCommand.normalizerStatus(
                      no.applicationId, normalizer.get(), normalizerStats);
      AtomicBoolean blockedAddressHinted = new AtomicBoolean();
      String command = spec.commandLine().getCommandName();
      this.onPoll =
          r -> {
            logResult(r, po != null && po.logEveryPoll);
            // run --once prints the hint in its summary
            if (!once() && firstBlockedAddress(r, blockedAddressHinted)) {
              LOG.warn(CheckFeedCommand.blockedAddressHint(command));
            }
            metrics.accept(r);
            feedBoard.accept(r);
          };
    }

    /**
     * The status page's scope line: which feeds this process polls; null for {@code run --once}.
     */
    private String scope() {
      if (po == null) {
        return "This process runs the normalizer only: it polls no feeds.";
      }
      FeedAssignment a = assignment.get();
      if (a == null) {
        return null; // run --once: every feed, no group
      }
      FeedsFileWatcher w = watcher.get();
      return pollerScope(
          a.membership(),
          po.pollerGroup,
          topicOptions.topics().feedState(),
          po.feeds,
          w == null ? null : w.problem());
    }
  }

  private OpsServer startOps(
      PrometheusMeterRegistry registry,
      Readiness readiness,
      FeedBoard board,
      Supplier<NormalizerStatus> normalizer) {
    OpsServer ops;
    InetSocketAddress address = new InetSocketAddress(opsOptions.opsBind, opsOptions.opsPort);
    try {
      ops = OpsServer.start(address, registry, readiness, board, normalizer);
    } catch (UncheckedIOException e) {
      // A newcomer's first `run` on a machine where 8080 (the default) is taken: say which option
      // helps.
      // An --ops-bind that is no address of this host fails too (unresolved, or a BindException
      // "Cannot assign requested address"): there the port is not the problem.
      String hint =
          !isLocal(address)
              ? " (give --ops-bind an address of this host: 127.0.0.1 for this host only, 0.0.0.0 for every interface)"
              : e.getCause() instanceof java.net.BindException
                  ? " (give another --ops-port, or --ops-port 0 for a free one)"
                  : "";
      throw new StartupException(
          "cannot start the ops HTTP server: " + ErrorText.message(e) + hint, e);
    }
    LOG.info(
        "ops HTTP server on http://{}:{}/ (status page /, /metrics, /health/live, /health/ready, /api/feeds{})",
        opsOptions.opsBind,
        ops.port(),
        normalizer == null ? "" : ", /api/normalizer");
    opsAddress.complete(ops.address());
    return ops;
  }

  /**
   * Whether {@code address} is resolved to the wildcard address or to one of this host's
   * interfaces.
   */
  private static boolean isLocal(InetSocketAddress address) {
    if (address.isUnresolved()) {
      return false;
    }
    try {
      return address.getAddress().isAnyLocalAddress()
          || NetworkInterface.getByInetAddress(address.getAddress()) != null;
    } catch (SocketException e) {
      return true; // cannot tell: the port hint, as before
    }
  }

  /**
   * @param applicationId the normalizer's application id
   * @param app the normalizer; null while the process is still connecting to Kafka (state {@value
   *     NormalizerStatus#STARTING})
   * @param stats its counts
   * @return the normalizer's status now, for the status page and {@code /api/normalizer}
   */
  static NormalizerStatus normalizerStatus(
      String applicationId, NormalizerApp app, NormalizerStats stats) {
    NormalizerStats.DeadLetterSeen dead = stats.lastDeadLetter();
    return new NormalizerStatus(
        applicationId,
        app == null ? NormalizerStatus.STARTING : app.state().name(),
        app == null ? 0 : app.threads(),
        app == null ? 0 : app.threadsRunning(),
        app == null ? null : NormalizerStatus.lagRecords(app.consumerLag()),
        stats.rawRecords(),
        stats.created(),
        stats.updated(),
        stats.duplicates(),
        stats.normalizationsSkipped(),
        stats.deadLetters(),
        stats.lastArticleAt(),
        dead == null ? null : dead.at(),
        dead == null ? null : dead.stage() + ": " + dead.error(),
        stats.articlesLast24hBySource());
  }

  /**
   * @return {@code base} with {@code extra} added (a new map; {@code extra} wins)
   */
  private static Map<String, Object> withAll(Map<String, Object> base, Map<String, Object> extra) {
    Map<String, Object> all = new HashMap<>(base);
    all.putAll(extra);
    return all;
  }

  /** Asks a running command to stop, as Ctrl-C does (for in-process tests). */
  void requestStop() {
    stop.countDown();
  }

  /**
   * The scope line of a grouped poller's status page and {@code /api/feeds}.
   *
   * @param membership the poller's place in its group ({@link FeedAssignment#membership})
   * @param group its consumer group
   * @param topic the feed-state topic whose partitions the group shares, named beside them as the
   *     {@code poller-group} readiness detail names it
   * @param feeds the feeds list file
   * @param problem why the feeds list's last change was refused ({@link FeedsFileWatcher#problem});
   *     null when valid
   * @return one line of plain text; a refused change is named, redacted as log lines are (it may
   *     quote a URL with credentials)
   */
  static String pollerScope(
      FeedAssignment.Membership membership,
      String group,
      String topic,
      Path feeds,
      String problem) {
    String share;
    if (!membership.joined()) {
      share = "Joining consumer group " + group + ": no feeds assigned yet.";
    } else if (!membership.owned().isEmpty()) {
      share =
          "This poller's share of the feeds list: the feeds of partitions "
              + new TreeSet<>(membership.owned())
              + " of "
              + topic
              + ", in consumer group "
              + group
              + ".";
    } else if (!membership.restoring().isEmpty()) {
      share =
          "In consumer group "
              + group
              + ": reading the feed states of partitions "
              + new TreeSet<>(membership.restoring())
              + " of "
              + topic
              + " before polling their feeds.";
    } else {
      // a standby in a group with more pollers than partitions, or a share still on its way: the
      // readiness check tells which
      share =
          "In consumer group "
              + group
              + ", this poller holds no partition of "
              + topic
              + " now, so it polls no feed (see /health/ready: a standby, or a rebalance under"
              + " way).";
    }
    return problem == null
        ? share
        : share
            + " The feeds list "
            + feeds
            + " was changed but is not valid, so its last valid version is still polled: "
            + LogRedaction.redact(problem);
  }

  /**
   * @return completes with the ops server's address once it listens; cancelled when the command
   *     ends without one
   */
  CompletableFuture<InetSocketAddress> opsAddress() {
    return opsAddress;
  }

  /**
   * @return true once Ctrl-C / SIGTERM has asked this command to stop
   */
  boolean stopRequested() {
    return stop.getCount() == 0;
  }

  /**
   * On SIGTERM / Ctrl-C: ask the main thread to stop, and let the JVM exit only once it has closed
   * everything (at most 120 s).
   */
  private void installShutdownHook() {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.countDown();
                  try {
                    stopped.await(120, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "wire-ingest-shutdown"));
  }

  /**
   * Creates the normalizer's state directory ({@code <dataDir>/streams}) before anything else
   * starts, so that a data dir that cannot be used is one clear line (exit 1) instead of a Kafka
   * Streams stack trace.
   *
   * @throws StartupException when the directory cannot be created or written
   */
  static Path stateDir(Path dataDir) {
    Path dir = dataDir.resolve(DataDirStart.STREAMS_DIR);
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      // something else where the directory goes: permissions are not the problem
      throw new StartupException(
          "cannot start: "
              + e.getFile()
              + " in data dir "
              + dataDir
              + " is not a directory (the normalizer keeps its state there); move it away or choose another --data-dir",
          e);
    } catch (IOException e) {
      throw new StartupException(
          "cannot start: " + EmbeddedBroker.notWritableReason(dataDir, e), e);
    }
    if (!Files.isWritable(dir)) {
      throw new StartupException(
          "cannot start: data dir "
              + dataDir
              + " is not a writable directory ("
              + dir
              + " is read-only); fix its permissions or choose another --data-dir",
          null);
    }
    return dir;
  }

  /**
   * Takes this process's lock on the normalizer's state directory, {@code
   * <streamsDir>/<applicationId>.lock} (beside the directory Kafka Streams locks itself), before
   * the normalizer is made: a second {@code normalize} or {@code run} with the same {@code
   * --data-dir} and application id gets one line naming the holder's pid instead of Kafka Streams'
   * ERROR log. (A second {@code run} on the embedded broker is refused earlier, by the broker's
   * lock on the data dir.)
   *
   * @return the held lock, to keep until the normalizer has closed
   * @throws StartupException when another process holds it, or it cannot be created
   */
  private static DirectoryLock lockStateDir(Path streamsDir, String applicationId) {
    Path lockFile = streamsDir.resolve(applicationId + ".lock");
    try {
      return DirectoryLock.tryAcquire(lockFile)
          .orElseThrow(
              () ->
                  inUse(
                      streamsDir,
                      applicationId,
                      "; " + DirectoryLock.describeHolder(lockFile),
                      null));
    } catch (DirectoryUseLock.NotALockFileException e) {
      throw new StartupException("cannot start: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StartupException(
          "cannot start: the normalizer's state directory "
              + streamsDir
              + " is not writable ("
              + e
              + "); fix its permissions or choose another --data-dir",
          e);
    }
  }

  private static StartupException inUse(
      Path streamsDir, String applicationId, String holder, Throwable cause) {
    return new StartupException(
        "cannot start: the normalizer's state directory "
            + streamsDir.resolve(applicationId)
            + " is in use by another process (a normalizer on the same --data-dir"
            + holder
            + "); stop it, or give this one its own --data-dir",
        cause);
  }

  /**
   * Creates the normalizer, turning Kafka Streams' refusal of a state directory another process
   * holds into one line (exit 1) instead of a stack trace. {@link #lockStateDir} refuses a second
   * wire-ingest first; this catches a holder that does not take that lock (an older wire-ingest,
   * another Kafka Streams application pointed at the same directory).
   *
   * @throws StartupException when another process holds Kafka Streams' lock on {@code streamsDir}
   */
  private static NormalizerApp normalizerApp(
      Map<String, Object> properties,
      String applicationId,
      Path streamsDir,
      Topics topics,
      NormalizerStats stats,
      int partitions) {
    try {
      return new NormalizerApp(properties, applicationId, streamsDir, topics, stats, partitions);
    } catch (StreamsException e) {
      // Kafka Streams' StateDirectory: "Unable to initialize state, this can happen if multiple
      // instances of Kafka Streams are running in the same state directory (...)", thrown when its
      // OS lock on <state.dir>/<application.id>/.lock is held elsewhere.
      if (e.getMessage() == null || !e.getMessage().contains("same state directory")) {
        throw e;
      }
      throw inUse(streamsDir, applicationId, "", e);
    }
  }

  /**
   * The raw-items topic's partition count, which the normalizer's repartition topic takes, after
   * checking that the normalizer's existing internal topics were made for it.
   */
  private static int rawPartitions(KafkaConnection conn, Topics topics, String applicationId) {
    try {
      int partitions =
          TopicAdmin.partitionCount(conn.admin(), topics.rawItems(), Duration.ofSeconds(60));
      NormalizerApp.checkInternalTopics(
          conn.admin(), applicationId, partitions, Duration.ofSeconds(60));
      return partitions;
    } catch (RuntimeException e) {
      throw new StartupException("cannot start: " + ErrorText.message(e), e);
    }
  }

  private KafkaConnection connect(Topics topics) {
    KafkaConnection conn = kafka.connectReachable();
    List<TopicSpec> specs = topics.all(topicOptions.partitions);
    try {
      TopicAdmin.ensureTopics(conn.admin(), specs, Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      conn.close();
      throw new StartupException(
          "cannot create topics on " + conn.bootstrapServers() + ": " + ErrorText.message(e), e);
    }
    return conn;
  }

  /**
   * Refuses a {@code --session-timeout} the cluster's brokers refuse to a member of a consumer
   * group ({@link GroupSessionLimits}): the poller would be refused at every join of its group and
   * retry for ever, up but polling nothing, its readiness down with "joining group". When the
   * cluster does not say its limits (not authorised, no answer within {@link
   * #BROKER_CONTACT_TIMEOUT}), nothing is checked.
   *
   * @param conn the connection to the cluster; never null
   * @param sessionTimeout the poller group's session timeout; never null
   * @throws ConfigException (exit 2) naming the value, the limits and the broker settings
   */
  static void checkSessionTimeout(KafkaConnection conn, Duration sessionTimeout) {
    GroupSessionLimits.read(conn.admin(), BROKER_CONTACT_TIMEOUT)
        .filter(limits -> !limits.allows(sessionTimeout))
        .ifPresent(
            limits -> {
              throw new ConfigException(
                  "--session-timeout "
                      + Durations.format(sessionTimeout)
                      + " is outside what the cluster at "
                      + conn.bootstrapServers()
                      + " allows a member of a consumer group: "
                      + Durations.format(limits.min())
                      + " to "
                      + Durations.format(limits.max())
                      + " (its brokers' "
                      + GroupSessionLimits.MIN_CONFIG
                      + " and "
                      + GroupSessionLimits.MAX_CONFIG
                      + "); the poller could never join its group");
            });
  }

  /** Options of a continuous poller only: {@code run --once} polls every feed, in no group. */
  static final List<String> CONTINUOUS_ONLY =
      List.of("--poller-group", "--session-timeout", "--feeds-check-interval");

  /**
   * Refuses an option the run would ignore: a continuous poller's with {@code --once}, {@code
   * --catch-up-timeout} without it. A new user gave {@code --poller-group} to {@code run --once},
   * and nothing said it did nothing.
   *
   * @param given the command line as parsed; never null
   * @param once whether this is a one-off round
   * @throws ConfigException naming the options and why they do nothing here
   */
  static void refuseIgnoredOptions(CommandLine.ParseResult given, boolean once) {
    List<String> ignored =
        (once ? CONTINUOUS_ONLY : List.of("--catch-up-timeout"))
            .stream().filter(given::hasMatchedOption).toList();
    if (ignored.isEmpty()) {
      return;
    }
    String options = String.join(", ", ignored);
    throw new ConfigException(
        once
            ? options
                + (ignored.size() == 1 ? " sets" : " set")
                + " how a continuous poller shares and watches the feeds; --once polls every feed of"
                + " the list once, in no group: leave "
                + (ignored.size() == 1 ? "it" : "them")
                + " out"
            : options + " is the wait for the normalizer of --once: give it with --once only");
  }

  /**
   * Whether {@code r} is the first poll of this process refused by the SSRF guard: its log line
   * then gets the hint {@code check-feed} and {@code run --once} print (a new user's local feeds
   * all fail so, and the poller's own WARN does not say what to do).
   *
   * @param r a poll's result; never null
   * @param told set by the first such poll; changed in place
   * @return true once per {@code told}, for the first {@code blocked-address} failure
   */
  static boolean firstBlockedAddress(PollResult r, AtomicBoolean told) {
    return !r.succeeded()
        && FetchOutcome.BLOCKED_ADDRESS.code().equals(r.code())
        && told.compareAndSet(false, true);
  }

  /**
   * The line of a poll that succeeded: INFO when it published something or {@code everyPoll}, DEBUG
   * otherwise (at 200 feeds polled every minute, 86 % of a soak run's lines were "not modified, 0
   * published"). A failed poll is logged by the poller, at WARN.
   */
  static void logResult(PollResult r, boolean everyPoll) {
    if (r.succeeded()) {
      LOG.atLevel(r.published() > 0 || everyPoll ? Level.INFO : Level.DEBUG)
          .log(
              "feed {}: {}, {}, {} published ({} ms)",
              r.sourceId(),
              r.truncated() ? r.code() + " (document cut off)" : r.code(),
              Counted.of(r.entriesSeen(), "entry", "entries"),
              r.published(),
              r.durationMs());
    }
  }
}
