package org.wireingest.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.FeedSource;
import org.wireingest.config.FeedsConfig;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.kafka.KafkaConnection;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.TopicSpec;
import org.wireingest.kafka.Topics;
import org.wireingest.model.FeedState;
import org.wireingest.ops.FeedBoard;
import org.wireingest.ops.KafkaProbes;
import org.wireingest.ops.LogFormat;
import org.wireingest.ops.OpsRegistry;
import org.wireingest.ops.OpsServer;
import org.wireingest.ops.PollMetrics;
import org.wireingest.ops.Readiness;
import org.wireingest.parse.FeedParser;
import org.wireingest.poll.FeedPoller;
import org.wireingest.poll.FeedStateReader;
import org.wireingest.poll.KafkaPollSink;
import org.wireingest.poll.PollResult;
import org.wireingest.poll.PollScheduler;
import org.wireingest.streams.NormalizerApp;
import org.wireingest.streams.NormalizerStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wire-ingest run}: poller + normalizer + the ops HTTP server ({@link OpsServer}: {@code
 * /metrics}, {@code /health/live}, {@code /health/ready}, {@code /api/feeds}, the status page) in
 * one process, until Ctrl-C or, with --once, one round.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the feed poller and the normalizer until Ctrl-C.",
      "With --once: polls every feed once, waits until the normalizer has caught up, prints a summary and exits 0 (1 if any feed failed)."
    })
final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Mixin TopicOptions topicOptions;

  @Option(names = "--feeds", paramLabel = "FILE", defaultValue = "deploy/feeds/agencies.yaml", description = "Feeds list (YAML; default: ${DEFAULT-VALUE}).")
  Path feeds;

  @Option(names = "--once", description = "Poll every feed once, wait for the normalizer, print a summary, exit.")
  boolean once;

  @Option(names = "--poll-threads", paramLabel = "N", defaultValue = "8", description = "Most feeds fetched at once (default: ${DEFAULT-VALUE}).")
  int pollThreads;

  @Option(names = "--per-host-concurrency", paramLabel = "N", defaultValue = "2", description = "Most fetches at once to one host (default: ${DEFAULT-VALUE}).")
  int perHostConcurrency;

  @Option(names = "--allow-private-addresses", description = "Let feeds and their redirects reach loopback, link-local, private and CGNAT addresses; without it such fetches fail as blocked-address (the SSRF guard). For feeds served on the local network.")
  boolean allowPrivateAddresses;

  @Option(names = "--application-id", paramLabel = "ID", defaultValue = NormalizerApp.DEFAULT_APPLICATION_ID, description = "Kafka Streams application id of the normalizer (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--catch-up-timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class, description = "With --once: longest wait for the normalizer to catch up (default: ${DEFAULT-VALUE}).")
  Duration catchUpTimeout;

  @Option(names = "--ops-port", paramLabel = "PORT", defaultValue = "8080", description = "Port of the ops HTTP server: /metrics, /health/live, /health/ready, /api/feeds and the status page at / (default: ${DEFAULT-VALUE}; 0 picks a free port and logs it). With --once the server runs only when this option is given.")
  int opsPort;

  @Option(names = "--ops-bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0", description = "Address the ops HTTP server listens on (default: ${DEFAULT-VALUE}, every interface; 127.0.0.1 for this host only).")
  String opsBind;

  @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text", description = "Log lines on stderr: text or json (one JSON object per line) (default: ${DEFAULT-VALUE}). Credentials in URLs and headers are always masked.")
  LogFormat logFormat;

  /** How long a readiness probe waits for the broker. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  /** Longest wait for the cluster to answer at start-up: an unreachable broker is an error (exit 1) after it. */
  static final Duration BROKER_CONTACT_TIMEOUT = Duration.ofSeconds(10);

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CompletableFuture<InetSocketAddress> opsAddress = new CompletableFuture<>();

  @Override
  @SuppressWarnings("try") // metric binders and the ops server live for the whole try block: closed in reverse order at its end
  public Integer call() throws Exception {
    List<FeedSource> sources = FeedsConfig.load(feeds);
    if (pollThreads < 1) {
      throw new org.wireingest.config.ConfigException("--poll-threads must be at least 1 (got " + pollThreads + ")");
    }
    if (perHostConcurrency < 1) {
      throw new org.wireingest.config.ConfigException("--per-host-concurrency must be at least 1 (got " + perHostConcurrency + ")");
    }
    if (opsPort < 0 || opsPort > 65_535) {
      throw new org.wireingest.config.ConfigException("--ops-port must be between 0 and 65535 (got " + opsPort + ")");
    }
    if (logFormat != LogFormat.TEXT) {
      logFormat.apply(); // text is logback.xml's own format: left as configured
    }
    Topics topics = topicOptions.topics();
    Clock clock = Clock.systemUTC();
    PrometheusMeterRegistry registry = OpsRegistry.prometheus();
    installShutdownHook();
    NormalizerStats stats = new NormalizerStats(registry, clock);
    AtomicReference<PollScheduler> schedulerRef = new AtomicReference<>();
    Function<String, FeedState> stateOf = id -> {
      PollScheduler s = schedulerRef.get();
      return s == null ? null : s.state(id);
    };
    PollMetrics pollMetrics = new PollMetrics(registry, sources, stateOf, clock);
    FeedBoard board = new FeedBoard(sources, stateOf, stats::articlesLast24h, clock);
    Readiness readiness = new Readiness();
    Consumer<PollResult> onPoll = r -> {
      logResult(r);
      pollMetrics.accept(r);
      board.accept(r);
    };
    boolean serveOps = !once || spec.commandLine().getParseResult().hasMatchedOption("--ops-port");
    try (AutoCloseable jvmMetrics = OpsRegistry.bindJvm(registry);
        OpsServer ops = serveOps ? startOps(registry, readiness, board) : null;
        KafkaConnection conn = connect(topics);
        NormalizerApp normalizer = new NormalizerApp(conn.clientProperties(), applicationId, kafka.dataDir.resolve("streams"), topics, stats);
        KafkaPollSink sink = new KafkaPollSink(conn.clientProperties(), topics, Duration.ofSeconds(60));
        AutoCloseable streamsMetrics = normalizer.bindMetrics(registry);
        AutoCloseable producerMetrics = sink.bindMetrics(registry)) {
      Map<String, FeedState> restored = FeedStateReader.readAll(conn.clientProperties(), topics.feedState(), Duration.ofSeconds(60));
      readiness.use(
          List.of(
              KafkaProbes.broker(conn.admin(), PROBE_TIMEOUT),
              KafkaProbes.topics(conn.admin(), topics.all(topicOptions.partitions).stream().map(TopicSpec::name).toList(), PROBE_TIMEOUT),
              KafkaProbes.streams(normalizer::state)));
      normalizer.start();
      FetchSettings fetchSettings = FetchSettings.defaults().withAllowPrivateAddresses(allowPrivateAddresses);
      FeedPoller poller = new FeedPoller(new FeedFetcher(fetchSettings), new FeedParser(), sink, clock);
      try (PollScheduler scheduler = new PollScheduler(sources, restored, poller, pollThreads, perHostConcurrency, clock, onPoll)) {
        schedulerRef.set(scheduler);
        if (once) {
          return runOnce(scheduler, conn.admin(), topics, normalizer, stats);
        }
        scheduler.start();
        LOG.info("wire-ingest running: {} feeds, Kafka at {}{}; Ctrl-C to stop", sources.size(), conn.bootstrapServers(), conn.embedded() ? " (embedded, data in " + kafka.dataDir + ")" : "");
        stop.await();
        LOG.info("stopping");
        return 0;
      }
    } finally {
      opsAddress.cancel(false);
      stopped.countDown();
    }
  }

  private OpsServer startOps(PrometheusMeterRegistry registry, Readiness readiness, FeedBoard board) {
    OpsServer ops;
    try {
      ops = OpsServer.start(new InetSocketAddress(opsBind, opsPort), registry, readiness, board);
    } catch (UncheckedIOException e) {
      throw new StartupException("cannot start the ops HTTP server: " + e.getMessage(), e);
    }
    LOG.info("ops HTTP server on http://{}:{}/ (/metrics, /health/live, /health/ready, /api/feeds)", opsBind, ops.port());
    opsAddress.complete(ops.address());
    return ops;
  }

  /** Asks a running {@code run} to stop, as Ctrl-C does (for in-process tests). */
  void requestStop() {
    stop.countDown();
  }

  /** @return completes with the ops server's address once it listens; cancelled when the command ends without one */
  CompletableFuture<InetSocketAddress> opsAddress() {
    return opsAddress;
  }

  /** On SIGTERM / Ctrl-C: ask the main thread to stop, and let the JVM exit only once it has closed everything (at most 60 s). */
  private void installShutdownHook() {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        stopped.await(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "wire-ingest-shutdown"));
  }

  private KafkaConnection connect(Topics topics) {
    KafkaConnection conn;
    try {
      conn = kafka.connect();
    } catch (RuntimeException e) {
      throw new StartupException("cannot start: " + e.getMessage(), e);
    }
    try {
      conn.awaitReachable(BROKER_CONTACT_TIMEOUT);
    } catch (RuntimeException e) {
      conn.close();
      throw new StartupException("cannot start: " + e.getMessage(), e);
    }
    try {
      TopicAdmin.ensureTopics(conn.admin(), topics.all(topicOptions.partitions), Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      conn.close();
      throw new StartupException("cannot create topics on " + conn.bootstrapServers() + ": " + e.getMessage(), e);
    }
    return conn;
  }

  private int runOnce(PollScheduler scheduler, Admin admin, Topics topics, NormalizerApp normalizer, NormalizerStats stats) throws Exception {
    List<PollResult> results = scheduler.pollOnce();
    long deadline = System.nanoTime() + catchUpTimeout.toNanos();
    boolean caughtUp =
        awaitCommitted(admin, topics.rawItems(), deadline)
            && stats.awaitDecided(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), Duration.ofSeconds(3));
    normalizer.close();
    java.io.PrintWriter out = spec.commandLine().getOut();
    long failed = results.stream().filter(r -> !r.succeeded()).count();
    long notModified = results.stream().filter(r -> r.outcome() != PollResult.Outcome.OK && r.succeeded()).count();
    int seen = results.stream().mapToInt(PollResult::entriesSeen).sum();
    int published = results.stream().mapToInt(PollResult::published).sum();
    out.printf(
        "feeds: %d ok (%d not modified or unchanged), %d failed | entries seen: %d | raw items published: %d | articles created: %d, updated: %d | duplicates suppressed: %d | dead letters: %d%n",
        results.size() - failed, notModified, failed, seen, published, stats.created(), stats.updated(), stats.duplicates(), stats.deadLetters());
    for (PollResult r : results) {
      if (!r.succeeded()) {
        out.printf("failed feed %s: %s: %s%n", r.sourceId(), r.code(), r.message());
      }
    }
    if (!caughtUp) {
      out.printf("normalizer did not catch up within %s: counts above may be incomplete%n", catchUpTimeout);
      out.flush();
      return 1;
    }
    out.flush();
    return failed > 0 ? 1 : 0;
  }

  /**
   * Waits until the normalizer's consumer group has committed every raw item written so far: the
   * first stage's output is committed in the same transaction, so it is then in the repartition topic.
   * The raw-items topic is written without transactions, so its end offset is exact.
   */
  private boolean awaitCommitted(Admin admin, String topic, long deadlineNanos) throws Exception {
    var parts = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
    Map<TopicPartition, OffsetSpec> req =
        parts.stream().collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
    Map<TopicPartition, Long> end =
        admin.listOffsets(req).all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    while (System.nanoTime() < deadlineNanos) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
      boolean done =
          end.entrySet().stream()
              .allMatch(e -> e.getValue() == 0 || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
      if (done) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }

  private static void logResult(PollResult r) {
    if (r.succeeded()) {
      LOG.info("feed {}: {}, {} entries, {} published ({} ms)", r.sourceId(), r.code(), r.entriesSeen(), r.published(), r.durationMs());
    }
  }
}
