package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wireingest.model.Json;
import org.wireingest.poll.FeedAssignment;
import org.wireingest.testing.KafkaBrokerExtension;
import org.wireingest.testing.LogCapture;
import picocli.CommandLine;

/**
 * {@code wire-ingest poll} and {@code wire-ingest normalize} as two services (in one JVM here) on a
 * real broker.
 */
@Tag("integration")
class PollAndNormalizeCommandsTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  private final List<Running> running = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (Running r : running) {
      r.command.requestStop();
      assertThat(r.exit.get(120, TimeUnit.SECONDS)).isZero();
    }
  }

  /**
   * Found in an ops test: {@code run --session-timeout 1s} (the broker allows 6 s to 30 min) ran
   * on, its poller refused at every join of its group (an ERROR line each, then again after 1, 2,
   * 4, ... 30 s), polling nothing, its readiness down with "joining group". A bad value is refused
   * at start instead, before anything runs.
   */
  @Test
  void shouldRefuseASessionTimeoutTheBrokerDoesNotAllow() throws Exception {
    Path feeds =
        Files.writeString(
            dir.resolve("feeds.yaml"),
            "sources:\n  - {id: short-session, name: S, agency: s, url: 'file:feed.xml', interval: PT10M}\n");
    CommandLine cl = WireIngest.commandLine();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    ServiceCommand command = (ServiceCommand) cl.getSubcommands().get("poll").getCommand();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                cl.execute(
                    "poll",
                    "--bootstrap-servers",
                    KAFKA.bootstrapServers(),
                    "--topic-prefix",
                    "short.",
                    "--feeds",
                    feeds.toString(),
                    "--poller-group",
                    "short-session-pollers",
                    "--session-timeout",
                    "1s",
                    "--data-dir",
                    dir.resolve("p").toString(),
                    "--ops-port",
                    "0",
                    "--ops-bind",
                    "127.0.0.1"));

    int status;
    try {
      status = exit.get(60, TimeUnit.SECONDS);
    } catch (TimeoutException stillRunning) {
      command.requestStop();
      exit.get(120, TimeUnit.SECONDS);
      throw new AssertionError("poll --session-timeout 1s was still running after 60 s");
    }

    assertThat(status).as(err.toString()).isEqualTo(2);
    assertThat(err.toString().strip().lines())
        .singleElement()
        .isEqualTo(
            "wire-ingest: --session-timeout 1s is outside what the cluster at "
                + KAFKA.bootstrapServers()
                + " allows a member of a consumer group: 6s to 30m (its brokers' group.min.session.timeout.ms and group.max.session.timeout.ms); the poller could never join its group");
  }

  @Test
  void shouldTurnAFeedPolledByThePollerIntoArticlesInTheNormalizer() throws Exception {
    Files.writeString(
        dir.resolve("feed.xml"),
        "<rss version=\"2.0\"><channel><title>T</title><link>https://example.org/</link><description>d</description>"
            + "<item><title>Split roles</title><link>https://example.org/split</link><guid>split-1</guid></item></channel></rss>");
    Path feeds =
        Files.writeString(
            dir.resolve("feeds.yaml"),
            "sources:\n  - {id: split-one, name: Split, agency: splitagency, url: 'file:feed.xml', interval: PT10M}\n");
    String[] common = {
      "--bootstrap-servers",
      KAFKA.bootstrapServers(),
      "--topic-prefix",
      "split.",
      "--ops-port",
      "0",
      "--ops-bind",
      "127.0.0.1"
    };

    String normalizer =
        start(
            "normalize",
            concat(
                common,
                "--application-id",
                "split-normalizer",
                "--data-dir",
                dir.resolve("n").toString()));
    String poller =
        start(
            "poll",
            concat(
                common,
                "--feeds",
                feeds.toString(),
                "--poller-group",
                "split-pollers",
                "--data-dir",
                dir.resolve("p").toString()));

    assertThat(await(poller + "/health/ready", r -> r.statusCode() == 200).body())
        .contains("poller-group");
    assertThat(
            await(
                    normalizer + "/metrics",
                    r ->
                        r.body()
                            .contains(
                                "wire_normalizer_articles_total{agency=\"splitagency\",change_type=\"created\",source=\"split-one\"} 1.0"))
                .body())
        .doesNotContain(
            "wire_poller_"); // not even the schedule-lateness timer of a poller it does not run
    // The poll's result is counted once the poll ends: after its raw item was written, so maybe
    // after the article.
    await(
        poller + "/metrics",
        r -> r.body().contains("wire_poller_polls_total{agency=\"splitagency\",outcome=\"ok\""));

    // The normalizer's own status: what the status page shows of it, and the poller has none. An
    // article is counted in /metrics a moment before its source's 24 h figure and lastArticleAt
    // are set: wait for the last of them.
    var status =
        Json.MAPPER.readTree(
            await(
                    normalizer + "/api/normalizer",
                    r ->
                        r.body().contains("\"RUNNING\"")
                            && !r.body().contains("\"lastArticleAt\":null"))
                .body());
    assertThat(status.get("applicationId").asText()).isEqualTo("split-normalizer");
    assertThat(status.get("streamThreadsRunning").asInt())
        .isEqualTo(status.get("streamThreads").asInt())
        .isPositive();
    assertThat(status.get("rawRecords").asLong()).isEqualTo(1);
    assertThat(status.get("articlesCreated").asLong()).isEqualTo(1);
    assertThat(status.get("lastArticleAt").isNull()).isFalse();
    assertThat(status.get("articlesLast24hBySource").get("split-one").asLong()).isEqualTo(1);
    assertThat(get(normalizer + "/").body())
        .contains("id=\"normalizer\"")
        .contains("This process runs the normalizer only");
    assertThat(get(poller + "/api/normalizer").statusCode()).isEqualTo(404);
    assertThat(get(poller + "/metrics").body()).doesNotContain("wire_normalizer_");
  }

  @Test
  void shouldShowEachPollerItsShareOfTheFeedsAndFollowRebalancesAndFeedsListChanges()
      throws Exception {
    // One feed per feed-state partition (6, the default), so that each poller of two has a share.
    List<String> ids = new ArrayList<>();
    for (int n = 0; ids.size() < 7; n++) {
      String id = "share-" + n;
      if (ids.size() == 6
          || ids.stream()
              .noneMatch(
                  other ->
                      FeedAssignment.partitionOf(other, 6) == FeedAssignment.partitionOf(id, 6))) {
        ids.add(id); // the 7th, on any partition, is added to the list later
        Files.writeString(
            dir.resolve(id + ".xml"),
            "<rss version=\"2.0\"><channel><title>T</title><link>https://example.org/</link><description>d</description>"
                + "<item><title>"
                + id
                + "</title><link>https://example.org/"
                + id
                + "</link><guid>"
                + id
                + "</guid></item></channel></rss>");
      }
    }
    List<String> listed = ids.subList(0, 6);
    Path feeds = writeFeedsList(listed);
    String[] common = {
      "--bootstrap-servers", KAFKA.bootstrapServers(), "--topic-prefix", "share.", "--ops-port",
          "0", "--ops-bind", "127.0.0.1",
      "--feeds", feeds.toString(), "--poller-group", "share-pollers", "--session-timeout", "6s",
          "--feeds-check-interval", "1s"
    };

    // Alone in the group, the first poller polls, lists and gauges every feed.
    String first = start("poll", concat(common, "--data-dir", dir.resolve("p1").toString()));
    await(first + "/api/feeds", r -> polledIds(r).size() == 6);
    assertThat(idleGaugeSources(get(first + "/metrics").body()))
        .containsExactlyInAnyOrderElementsOf(listed);

    // A second joins: each lists only its share, disjoint, together the whole list; the gauges
    // follow.
    String second = start("poll", concat(common, "--data-dir", dir.resolve("p2").toString()));
    List<String> firstShare;
    List<String> secondShare;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    do {
      Thread.sleep(100);
      firstShare = polledIds(get(first + "/api/feeds"));
      secondShare = polledIds(get(second + "/api/feeds"));
      assertThat(System.nanoTime())
          .as("shares never settled: %s and %s", firstShare, secondShare)
          .isLessThan(deadline);
    } while (firstShare.isEmpty()
        || secondShare.isEmpty()
        || firstShare.size() + secondShare.size() != 6);
    assertThat(firstShare).doesNotContainAnyElementsOf(secondShare);
    assertThat(concat(firstShare.toArray(String[]::new), secondShare.toArray(String[]::new)))
        .containsExactlyInAnyOrderElementsOf(listed);
    assertThat(Json.MAPPER.readTree(get(first + "/api/feeds").body()).get("scope").asText())
        .startsWith("This poller's share of the feeds list: the feeds of partitions [")
        .endsWith("in consumer group share-pollers.");
    assertThat(get(first + "/").body()).contains("id=\"scope\"");
    assertThat(idleGaugeSources(get(first + "/metrics").body()))
        .containsExactlyInAnyOrderElementsOf(firstShare);
    assertThat(idleGaugeSources(get(second + "/metrics").body()))
        .containsExactlyInAnyOrderElementsOf(secondShare);

    // The second stops (and leaves the group): the first takes the whole list, status and gauges.
    Running stopped = running.remove(1);
    stopped.command.requestStop();
    assertThat(stopped.exit.get(120, TimeUnit.SECONDS)).isZero();
    await(first + "/api/feeds", r -> polledIds(r).size() == 6);
    assertThat(polledIds(get(first + "/api/feeds")))
        .as("in feeds-list order")
        .containsExactlyElementsOf(listed);
    assertThat(idleGaugeSources(get(first + "/metrics").body()))
        .containsExactlyInAnyOrderElementsOf(listed);

    // The feeds list changes under it: one feed out, one in.
    List<String> changed = new ArrayList<>(ids.subList(1, 7));
    Files.setLastModifiedTime(
        writeFeedsList(changed), FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    await(first + "/api/feeds", r -> polledIds(r).equals(changed));
    assertThat(idleGaugeSources(get(first + "/metrics").body()))
        .containsExactlyInAnyOrderElementsOf(changed);
  }

  private Path writeFeedsList(List<String> ids) throws IOException {
    StringBuilder yaml = new StringBuilder("sources:\n");
    ids.forEach(
        id ->
            yaml.append("  - {id: ")
                .append(id)
                .append(", name: ")
                .append(id)
                .append(", agency: shareagency, url: 'file:")
                .append(id)
                .append(".xml', interval: PT10M}\n"));
    return Files.writeString(dir.resolve("feeds.yaml"), yaml);
  }

  private static List<String> polledIds(HttpResponse<String> apiFeeds) {
    try {
      return Json.MAPPER.readTree(apiFeeds.body()).get("feeds").findValuesAsText("id");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code source} tags of the {@code wire_poller_feed_idle} series in a Prometheus scrape. */
  private static List<String> idleGaugeSources(String metrics) {
    return metrics
        .lines()
        .filter(l -> l.startsWith("wire_poller_feed_idle{"))
        .map(l -> l.replaceFirst(".*source=\"([^\"]+)\".*", "$1"))
        .toList();
  }

  /**
   * Regression: a second {@code normalize} started on the {@code --data-dir} of a running one (two
   * normalizers launched from one folder with the default {@code ./data}) exited with Kafka
   * Streams' "Unable to initialize state" stack trace and no wire-ingest line: its state directory
   * lock is taken only by Kafka Streams, whose exception reached picocli untranslated. Since then
   * the service takes its own lock beside Kafka Streams' first, so the refusal also names the
   * holder's pid, and Kafka Streams never gets to log its ERROR.
   */
  @Test
  void shouldExitWithOneAndOneLineWhenASecondNormalizerUsesTheSameDataDir() throws Exception {
    String[] args = {
      "--bootstrap-servers",
      KAFKA.bootstrapServers(),
      "--topic-prefix",
      "locked.",
      "--application-id",
      "locked-normalizer",
      "--ops-port",
      "0",
      "--ops-bind",
      "127.0.0.1",
      "--data-dir",
      dir.resolve("n").toString()
    };
    String first = start("normalize", args);
    await(first + "/health/ready", r -> r.statusCode() == 200);
    CliRun r;
    try (LogCapture log = LogCapture.of(ServiceCommand.class)) {
      r = CliRun.execute(concat(new String[] {"normalize"}, args));
      // Regression: the ops server started, and logged its address, before the lock was tried
      assertThat(log.containing("ops HTTP server on")).isEmpty();
    }

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith(
            "wire-ingest: cannot start: the normalizer's state directory "
                + dir.resolve("n").resolve("streams").resolve("locked-normalizer"))
        .contains("in use by another process", "--data-dir")
        // wire-ingest's own lock refused it, before Kafka Streams logged its ERROR: it names the
        // holder
        .contains("held by pid " + ProcessHandle.current().pid());
  }

  /**
   * A second embedded {@code run} on a data dir in use meets the broker's lock first, whose refusal
   * names the running broker's address (to tail its topics), not the normalizer's state lock.
   */
  @Test
  void shouldRefuseASecondEmbeddedRunWithTheBrokersAddress() throws Exception {
    Path feeds = oneFeedList();
    Path data = dir.resolve("r");
    startEmbeddedRun(feeds, data);

    CliRun r =
        CliRun.execute("run", "--once", "--feeds", feeds.toString(), "--data-dir", data.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .contains(
            "data dir " + data + " is in use by another wire-ingest process",
            "held by pid " + ProcessHandle.current().pid(),
            "use --bootstrap-servers 127.0.0.1:")
        .doesNotContain("state directory");
  }

  /**
   * Regression: a second {@code normalize} on the data dir of a running embedded {@code run}
   * started its ops server and logged its address before the broker's lock refused it: the one line
   * of the refusal should be all it says.
   */
  @Test
  void shouldRefuseASecondNormalizerOnAnEmbeddedDataDirBeforeStartingItsOpsServer()
      throws Exception {
    Path data = dir.resolve("e");
    startEmbeddedRun(oneFeedList(), data);

    CliRun r;
    try (LogCapture log = LogCapture.of(ServiceCommand.class)) {
      r =
          CliRun.execute(
              "normalize",
              "--data-dir",
              data.toString(),
              "--ops-port",
              "0",
              "--ops-bind",
              "127.0.0.1");
      assertThat(log.containing("ops HTTP server on")).isEmpty();
    }

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .contains(
            "data dir " + data + " is in use by another wire-ingest process",
            "use --bootstrap-servers 127.0.0.1:");
  }

  @Test
  void shouldRefuseASessionTimeoutBelowOneSecondBeforeStartingKafka() throws Exception {
    Path feeds = oneFeedList();
    CliRun r =
        CliRun.execute(
            "poll",
            "--feeds",
            feeds.toString(),
            "--session-timeout",
            "500ms",
            "--data-dir",
            dir.resolve("d").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("--session-timeout must be at least 1s (got 500ms)")
        .doesNotContain("PT");
  }

  /**
   * The application id names the internal topics, and under --data-dir the state directory and its
   * lock file: "a/b" or ".." would put them elsewhere, and a name too long for its changelog topic
   * failed only once Kafka Streams created it.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "a/b",
        "..",
        ".",
        "../../victim",
        "bad id",
        "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
      })
  void shouldRefuseAnApplicationIdThatCannotNameTopicsBeforeTouchingTheDataDir(String id) {
    CliRun r =
        CliRun.execute(
            "normalize",
            "--application-id",
            id,
            "--data-dir",
            dir.resolve("d").toString(),
            "--ops-port",
            "0");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip().lines())
        .singleElement()
        .isEqualTo(
            "wire-ingest: --application-id must be 1-200 characters of [a-zA-Z0-9._-], not '.' or '..' (got '"
                + id
                + "'): it names the normalizer's internal topics and its state directory");
    assertThat(dir.resolve("d")).as("no state directory, no lock file").doesNotExist();
  }

  @Test
  void shouldRefuseARocksDbBudgetOverThisMachinesMemoryBeforeStartingKafka() {
    CliRun r =
        CliRun.execute(
            "normalize",
            "--rocksdb-memory-mb",
            String.valueOf(Integer.MAX_VALUE), // 2 PiB
            // nothing listens there: taken, the budget would fail the start (exit 1), not hang
            "--bootstrap-servers",
            "127.0.0.1:9",
            "--ops-port",
            "0",
            "--ops-bind",
            "127.0.0.1",
            "--data-dir",
            dir.resolve("d").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith("wire-ingest: --rocksdb-memory-mb must be at most ")
        .contains("(got " + Integer.MAX_VALUE + "): this machine's memory");
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void shouldRefuseARocksDbBudgetBelow8MiBBeforeStartingKafka() {
    CliRun r =
        CliRun.execute(
            "normalize", "--rocksdb-memory-mb", "4", "--data-dir", dir.resolve("d").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--rocksdb-memory-mb must be at least 8 (got 4)");
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void shouldRefuseAVersionRetentionBelowADayBeforeStartingKafka() {
    CliRun r =
        CliRun.execute(
            "normalize", "--version-retention", "12h", "--data-dir", dir.resolve("d").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--version-retention must be at least 1d (got 12h)");
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void shouldRefuseAnEmptyClusterIndexBeforeStartingKafka() {
    CliRun r =
        CliRun.execute(
            "normalize", "--cluster-index-size", "0", "--data-dir", dir.resolve("d").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--cluster-index-size must be at least 1 (got 0)");
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void shouldRefuseAClusterWindowTooLongToComputeWithBeforeStartingKafka() {
    // accepted before: the normalizer stopped with an ArithmeticException (long overflow) from
    // Duration.toMillis (400000000000d; Durations refuses that itself now, DurationsTest)
    CliRun r =
        CliRun.execute(
            "normalize",
            "--cluster-window",
            "100000000d",
            "--data-dir",
            dir.resolve("d").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--cluster-window must be at most 36500d");
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void shouldRefuseAClusterWindowBelowAMinuteBeforeStartingKafka() {
    CliRun r =
        CliRun.execute(
            "normalize", "--cluster-window", "30s", "--data-dir", dir.resolve("d").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--cluster-window must be at least 1m (got 30s)");
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void shouldNotAcceptPollerOptionsInTheNormalizer() {
    CliRun r = CliRun.execute("normalize", "--feeds", "feeds.yaml");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--feeds");
  }

  private record Running(ServiceCommand command, CompletableFuture<Integer> exit) {}

  /** Starts a service command in the background; @return the base URL of its ops server */
  private String start(String name, String... args) throws Exception {
    CommandLine cl = WireIngest.commandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    ServiceCommand command = (ServiceCommand) cl.getSubcommands().get(name).getCommand();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> cl.execute(concat(new String[] {name}, args)));
    running.add(new Running(command, exit));
    return "http://127.0.0.1:" + command.opsAddress().get(60, TimeUnit.SECONDS).getPort();
  }

  private static String[] concat(String[] head, String... tail) {
    String[] out = new String[head.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Polls a URL until the response matches; fails after 60 s. */
  private static HttpResponse<String> await(String url, Predicate<HttpResponse<String>> condition)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> r = get(url);
      if (condition.test(r)) {
        return r;
      }
      assertThat(System.nanoTime())
          .as("%s never matched; last: %s %s", url, r.statusCode(), r.body())
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** A feeds list of one feed, {@code feeds.yaml} in the test's directory. */
  private Path oneFeedList() throws IOException {
    return Files.writeString(
        dir.resolve("feeds.yaml"),
        "sources:\n  - {id: one, name: One, agency: a, url: 'file:feed.xml'}\n");
  }

  /** Starts an embedded {@code run} on {@code data} and waits until it is ready. */
  private void startEmbeddedRun(Path feeds, Path data) throws Exception {
    String ops =
        start(
            "run",
            "--feeds",
            feeds.toString(),
            "--data-dir",
            data.toString(),
            "--ops-port",
            "0",
            "--ops-bind",
            "127.0.0.1");
    await(ops + "/health/ready", r -> r.statusCode() == 200);
  }
}
